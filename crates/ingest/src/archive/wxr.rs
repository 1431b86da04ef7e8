//! WordPress eXtended RSS (WXR 1.0, 1.1, 1.2), the file WordPress writes
//! at Tools > Export (`wp-admin/includes/export.php`): an RSS 2.0
//! channel with the site's authors and terms, then one `item` per post,
//! page, attachment or other post type, each with its meta and comments.
//!
//! Elements are matched by namespace URI and local name, never by prefix.
//! Text fields hold the text as written (CDATA joined, references
//! decoded, control characters removed), empty when the element is
//! absent; identifiers, slugs, codes and addresses are trimmed.

use super::xml::{Ev, Node, Ns, Start, Xml};
use super::{ImportError, LocalTime, UtcTime};
use std::io::Read;
use std::iter::FusedIterator;

/// One entry of a WordPress export, in the file's order: the site first,
/// then (as WordPress writes them) authors, categories, tags, terms, and
/// the items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WxrEntry {
    Site(WxrSite),
    Author(WxrAuthor),
    Category(WxrCategory),
    Tag(WxrTag),
    Term(WxrTerm),
    Item(Box<WxrItem>),
}

/// The exported site, from the channel's elements before its first
/// entry (later ones are not read).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WxrSite {
    pub title: String,
    /// The site's address (`bloginfo_rss('url')`).
    pub link: String,
    pub description: String,
    /// As WordPress writes it: `en-US`, `ar`.
    pub language: String,
    /// `1.0`, `1.1`, `1.2`; `None` when the export has no `wp:wxr_version`.
    pub wxr_version: Option<String>,
    /// The network's address on multisite, else the site's: with
    /// `post_id`, the identity of an imported item.
    pub base_site_url: String,
    pub base_blog_url: String,
}

/// `wp:author`: a user who wrote at least one exported post. Items name
/// theirs by `login` (`dc:creator`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WxrAuthor {
    pub id: Option<u64>,
    pub login: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
}

/// A key and value of post, term or comment meta. Values are often PHP
/// `serialize()` output (`a:2:{…}`), kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    pub key: String,
    pub value: String,
}

/// `wp:category`: a term of the `category` taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WxrCategory {
    /// Absent in WXR 1.0.
    pub term_id: Option<u64>,
    /// The slug (percent-encoded for non-ASCII: `%d8%a3%d8%ae%d8%a8%d8%a7%d8%b1`).
    pub nicename: String,
    /// The parent's slug (not its id); empty at the top.
    pub parent: String,
    pub name: String,
    pub description: String,
    pub meta: Vec<Meta>,
}

/// `wp:tag`: a term of the `post_tag` taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WxrTag {
    pub term_id: Option<u64>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub meta: Vec<Meta>,
}

/// `wp:term`: a term of any other taxonomy: `nav_menu`, and plugins'
/// (Polylang's `language`, whose description holds the locale, and
/// `post_translations`, whose description maps languages to post ids,
/// both PHP-serialised).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WxrTerm {
    pub term_id: Option<u64>,
    pub taxonomy: String,
    pub slug: String,
    /// The parent's slug; empty at the top.
    pub parent: String,
    pub name: String,
    pub description: String,
    pub meta: Vec<Meta>,
}

/// A term an item is filed under (`<category domain nicename>`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WxrItemTerm {
    /// The taxonomy: `category`, `post_tag` (WXR 1.0's `tag` is read as
    /// `post_tag`, as WordPress's importer does), `language` and
    /// `post_translations` (Polylang), `post_format`, others as written.
    pub domain: String,
    /// The term's slug.
    pub nicename: String,
    pub name: String,
}

/// `item`: one post of any type, with its terms, meta and comments.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WxrItem {
    /// Where the item's `<item` begins in the file: offsets strictly
    /// increase; give one to [`WxrReader::resume`] to go on from there.
    pub offset: u64,
    /// `wp:post_id`: with the site's `base_site_url`, the item's
    /// identity. `None` when absent or not a number.
    pub post_id: Option<u64>,
    pub title: String,
    /// The permalink when exported.
    pub link: String,
    pub guid: String,
    /// `guid@isPermaLink`; RSS's default (true) when absent.
    pub guid_is_permalink: bool,
    /// `dc:creator`: the author's login.
    pub creator: String,
    /// `content:encoded`: the body, HTML with WordPress's own markup
    /// (block comments, shortcodes, auto-paragraphs) as stored.
    pub content: String,
    /// `excerpt:encoded`.
    pub excerpt: String,
    pub post_date: LocalTime,
    pub post_date_gmt: UtcTime,
    /// Absent before WXR 1.2.
    pub post_modified: LocalTime,
    pub post_modified_gmt: UtcTime,
    /// `open` or `closed`.
    pub comment_status: String,
    pub ping_status: String,
    /// The slug (percent-encoded for non-ASCII); empty for drafts.
    pub post_name: String,
    /// `publish`, `draft`, `pending`, `future`, `private`, `trash`,
    /// `inherit` (attachments, revisions), `auto-draft`, or a plugin's.
    pub status: String,
    /// The parent post's id; `None` for 0 (none).
    pub post_parent: Option<u64>,
    pub menu_order: i64,
    /// `post`, `page`, `attachment`, `nav_menu_item`, `wp_block`, or a
    /// custom type.
    pub post_type: String,
    pub post_password: String,
    pub is_sticky: bool,
    /// Attachments: the file's address on the old site.
    pub attachment_url: String,
    pub categories: Vec<WxrItemTerm>,
    /// In the file's order; a key may repeat (`_wp_old_slug` once per
    /// former slug).
    pub postmeta: Vec<Meta>,
    pub comments: Vec<WxrComment>,
}

impl WxrItem {
    /// The values of a meta key, in order.
    pub fn meta<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a str> {
        self.postmeta
            .iter()
            .filter(move |m| m.key == key)
            .map(|m| m.value.as_str())
    }
}

/// `wp:comment`. WordPress's own export leaves spam out; others keep it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WxrComment {
    pub id: Option<u64>,
    pub author: String,
    pub author_email: String,
    pub author_url: String,
    pub author_ip: String,
    pub date: LocalTime,
    pub date_gmt: UtcTime,
    /// HTML as stored.
    pub content: String,
    /// As written: `1` (approved), `0` (pending), `spam`, `trash`,
    /// `post-trashed` (its post is in the trash).
    pub approved: String,
    /// Empty for a comment; `pingback`, `trackback`, or a plugin's type.
    pub comment_type: String,
    /// The comment it replies to; `None` for 0 (none).
    pub parent: Option<u64>,
    /// The commenter's account on the old site; `None` for 0 (a guest).
    pub user_id: Option<u64>,
    pub meta: Vec<Meta>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Prolog,
    Rss,
    Channel,
    AfterChannel,
    AfterRoot,
    Finished,
}

/// Reads a WordPress export from a byte stream (a `File`, a `BufReader`,
/// a slice: it buffers itself), entry by entry, in flat memory.
///
/// Yields, in document order, the [`WxrSite`] (before any other entry),
/// then every author, term and item, then stops: at the end of the file,
/// or after yielding the one [`ImportError`] that stopped it. Everything
/// yielded before an error was whole in the file and stays good: a file
/// cut short gives its whole items, then `Truncated` with the line and
/// byte where it stops; malformed XML gives the items before it, then
/// `Malformed` with its line and column.
///
/// Refused before any entry: an empty file, not XML, a root other than
/// `rss`, an RSS feed with nothing in the WordPress export namespace
/// (`NotWordPress`), an encoding other than UTF-8; a `<!DOCTYPE>`
/// anywhere (no entity is ever declared or expanded).
pub struct WxrReader<R> {
    xml: Xml<R>,
    state: State,
    site: WxrSite,
    site_sent: bool,
    /// Whether the export namespace was seen (declared on `rss` or
    /// `channel`, or an element in it).
    wordpress: bool,
    /// An entry's start tag read before the site was yielded.
    pending: Option<Start>,
    /// The offset to resume at, until the first item.
    resume: Option<u64>,
}

impl<R: Read> WxrReader<R> {
    /// A reader of `input` from its start; `name` names the file in errors.
    pub fn new(name: impl Into<String>, input: R) -> Self {
        Self {
            xml: Xml::new(name.into(), input),
            state: State::Prolog,
            site: WxrSite::default(),
            site_sent: false,
            wordpress: false,
            pending: None,
            resume: None,
        }
    }

    /// A reader that goes on from an item: `input` is the same file from
    /// its start, `offset` one of its items' [`WxrItem::offset`]. It
    /// yields the site, authors and terms again (the head of the file:
    /// the importer needs the site, and taking a term twice changes
    /// nothing), then skips the bytes up to `offset` unparsed and reads
    /// on from that item. An offset at or before the first item reads
    /// the whole file; one where no item starts ends the reading with
    /// [`ImportError::ResumeOffset`] at the first item.
    pub fn resume(name: impl Into<String>, input: R, offset: u64) -> Self {
        let mut reader = Self::new(name, input);
        reader.resume = Some(offset);
        reader
    }

    fn step(&mut self) -> Result<Option<WxrEntry>, ImportError> {
        loop {
            if let Some(start) = self.pending.take()
                && let Some(entry) = self.take(start)?
            {
                return Ok(Some(entry));
            }
            match self.state {
                State::Prolog => self.prolog()?,
                State::Rss => match self.xml.next()? {
                    Ev::Start(start) if start.ns == Ns::None && start.name == "channel" => {
                        self.wordpress |= start.declares.contains(&Ns::Wp);
                        if start.empty {
                            self.state = State::AfterChannel;
                            return self.send_site().map(Some);
                        }
                        self.state = State::Channel;
                    }
                    Ev::Start(start) => {
                        self.read(start, "an element of the rss root")?;
                    }
                    Ev::Text(_) => {}
                    Ev::End => {
                        self.state = State::AfterRoot;
                        if !self.site_sent {
                            return self.send_site().map(Some);
                        }
                    }
                    Ev::Eof => return Err(self.truncated("the rss root, before its channel")),
                },
                State::Channel => match self.xml.next()? {
                    Ev::Start(start) => {
                        self.wordpress |= start.ns == Ns::Wp;
                        if is_entry(&start) {
                            if !self.site_sent {
                                self.pending = Some(start);
                                return self.send_site().map(Some);
                            }
                            if let Some(entry) = self.take(start)? {
                                return Ok(Some(entry));
                            }
                        } else {
                            let node = self.read(start, "the channel's head")?;
                            if !self.site_sent {
                                site_field(&mut self.site, &node);
                            }
                        }
                    }
                    Ev::Text(_) => {}
                    Ev::End => {
                        self.state = State::AfterChannel;
                        if let Some(offset) = self.resume.take()
                            && offset > self.xml.offset()
                        {
                            return Err(self.xml.resume_offset(offset, "item"));
                        }
                        if !self.site_sent {
                            return self.send_site().map(Some);
                        }
                    }
                    Ev::Eof => {
                        return Err(self.truncated("the channel, after its last whole entry"));
                    }
                },
                State::AfterChannel => match self.xml.next()? {
                    Ev::Start(start) => {
                        self.read(start, "an element after the channel")?;
                    }
                    Ev::Text(_) => {}
                    Ev::End => self.state = State::AfterRoot,
                    Ev::Eof => return Err(self.truncated("the rss root, after its channel")),
                },
                State::AfterRoot => {
                    after_root(&mut self.xml)?;
                    self.state = State::Finished;
                }
                State::Finished => return Ok(None),
            }
        }
    }

    fn prolog(&mut self) -> Result<(), ImportError> {
        let start = prolog(&mut self.xml)?;
        if start.ns != Ns::None || start.name != "rss" {
            return Err(ImportError::WrongRoot {
                file: self.xml.file.clone(),
                line: start.line,
                found: start.name,
                expected: "<rss> (a WordPress export)",
            });
        }
        if start.empty {
            return Err(ImportError::NotWordPress {
                file: self.xml.file.clone(),
            });
        }
        self.wordpress |= start.declares.contains(&Ns::Wp);
        self.state = State::Rss;
        Ok(())
    }

    fn send_site(&mut self) -> Result<WxrEntry, ImportError> {
        if !self.wordpress {
            return Err(ImportError::NotWordPress {
                file: self.xml.file.clone(),
            });
        }
        self.site_sent = true;
        Ok(WxrEntry::Site(std::mem::take(&mut self.site)))
    }

    /// Reads the entry `start` begins, or skips to the resume offset at
    /// the first item.
    fn take(&mut self, start: Start) -> Result<Option<WxrEntry>, ImportError> {
        let is_item = start.ns == Ns::None && start.name == "item" && !start.prefixed;
        // The resume offset is taken at the first item, skipped to or
        // not.
        if is_item
            && let Some(target) = self.resume.take()
            && self.xml.skip_to_item(&start, target, "item")?
        {
            return Ok(None);
        }
        let offset = start.offset;
        let node = self.xml.element_or_cut(start, |partial, line| {
            // WordPress writes the id after the content: the title comes
            // first.
            let id = partial.word(Ns::Wp, "post_id");
            let title = partial.text(Ns::None, "title");
            if !is_item {
                format!("<{}> (from line {line})", partial.name)
            } else if !id.is_empty() {
                format!("item {id} (from line {line})")
            } else if !title.trim().is_empty() {
                format!("the item {:?} (from line {line})", title.trim())
            } else {
                format!("an item (from line {line})")
            }
        })?;
        Ok(Some(match (node.ns, node.name.as_str()) {
            (Ns::Wp, "author") => WxrEntry::Author(author(&node)),
            (Ns::Wp, "category") => WxrEntry::Category(category(&node)),
            (Ns::Wp, "tag") => WxrEntry::Tag(tag(&node)),
            (Ns::Wp, "term") => WxrEntry::Term(term(&node)),
            _ => WxrEntry::Item(Box::new(item(&node, offset))),
        }))
    }

    /// Reads an element that is not an entry, whole.
    fn read(&mut self, start: Start, inside: &str) -> Result<Node, ImportError> {
        self.xml.element_or_cut(start, |partial, line| {
            format!("<{}> (from line {line}) in {inside}", partial.name)
        })
    }

    fn truncated(&self, inside: &str) -> ImportError {
        self.xml.truncated(inside)
    }
}

impl<R: Read> Iterator for WxrReader<R> {
    type Item = Result<WxrEntry, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.state == State::Finished {
            return None;
        }
        let outcome = self.step().transpose();
        if !matches!(outcome, Some(Ok(_))) {
            self.state = State::Finished;
        }
        outcome
    }
}

impl<R: Read> FusedIterator for WxrReader<R> {}

/// Reads up to the root element's start tag.
pub(crate) fn prolog<R: Read>(xml: &mut Xml<R>) -> Result<Start, ImportError> {
    loop {
        match xml.next()? {
            Ev::Start(start) => return Ok(start),
            Ev::Text(piece) if piece.is_blank() => {}
            Ev::Text(_) => {
                return Err(ImportError::NotXml {
                    file: xml.file.clone(),
                    line: xml.event_line(),
                    reason: "text before the first element".to_owned(),
                });
            }
            Ev::End => {}
            Ev::Eof if !xml.anything => {
                return Err(ImportError::Empty {
                    file: xml.file.clone(),
                });
            }
            Ev::Eof => {
                return Err(ImportError::NotXml {
                    file: xml.file.clone(),
                    line: xml.end_position().line,
                    reason: "no root element".to_owned(),
                });
            }
        }
    }
}

/// Reads to the end of the input after the root's end tag, where only
/// blank text and comments may come.
pub(crate) fn after_root<R: Read>(xml: &mut Xml<R>) -> Result<(), ImportError> {
    loop {
        match xml.next()? {
            Ev::Text(piece) if piece.is_blank() => {}
            Ev::Eof => return Ok(()),
            Ev::Text(_) | Ev::Start(_) | Ev::End => {
                return Err(
                    xml.malformed(xml.event_offset(), "content after the root element ends")
                );
            }
        }
    }
}

fn is_entry(start: &Start) -> bool {
    match start.ns {
        Ns::None => start.name == "item" && !start.prefixed,
        Ns::Wp => matches!(start.name.as_str(), "author" | "category" | "tag" | "term"),
        _ => false,
    }
}

fn site_field(site: &mut WxrSite, node: &Node) {
    let field = match (node.ns, node.name.as_str()) {
        (Ns::None, "title") => &mut site.title,
        (Ns::None, "link") => &mut site.link,
        (Ns::None, "description") => &mut site.description,
        (Ns::None, "language") => &mut site.language,
        (Ns::Wp, "base_site_url") => &mut site.base_site_url,
        (Ns::Wp, "base_blog_url") => &mut site.base_blog_url,
        (Ns::Wp, "wxr_version") => {
            if site.wxr_version.is_none() {
                site.wxr_version = Some(node.text.trim().to_owned());
            }
            return;
        }
        _ => return,
    };
    if field.is_empty() {
        *field = match node.name.as_str() {
            "title" | "description" => node.text.clone(),
            _ => node.text.trim().to_owned(),
        };
    }
}

fn number(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

/// WordPress writes 0 for "none" (no parent, a guest).
fn reference(text: &str) -> Option<u64> {
    number(text).filter(|&n| n != 0)
}

fn meta(node: &Node, name: &str) -> Vec<Meta> {
    node.all(Ns::Wp, name)
        .map(|m| Meta {
            key: m.word(Ns::Wp, "meta_key"),
            value: m.text(Ns::Wp, "meta_value"),
        })
        .collect()
}

fn author(node: &Node) -> WxrAuthor {
    WxrAuthor {
        id: number(&node.text(Ns::Wp, "author_id")),
        login: node.word(Ns::Wp, "author_login"),
        email: node.word(Ns::Wp, "author_email"),
        display_name: node.word(Ns::Wp, "author_display_name"),
        first_name: node.word(Ns::Wp, "author_first_name"),
        last_name: node.word(Ns::Wp, "author_last_name"),
    }
}

fn category(node: &Node) -> WxrCategory {
    WxrCategory {
        term_id: number(&node.text(Ns::Wp, "term_id")),
        nicename: node.word(Ns::Wp, "category_nicename"),
        parent: node.word(Ns::Wp, "category_parent"),
        name: node.word(Ns::Wp, "cat_name"),
        description: node.text(Ns::Wp, "category_description"),
        meta: meta(node, "termmeta"),
    }
}

fn tag(node: &Node) -> WxrTag {
    WxrTag {
        term_id: number(&node.text(Ns::Wp, "term_id")),
        slug: node.word(Ns::Wp, "tag_slug"),
        name: node.word(Ns::Wp, "tag_name"),
        description: node.text(Ns::Wp, "tag_description"),
        meta: meta(node, "termmeta"),
    }
}

fn term(node: &Node) -> WxrTerm {
    WxrTerm {
        term_id: number(&node.text(Ns::Wp, "term_id")),
        taxonomy: node.word(Ns::Wp, "term_taxonomy"),
        slug: node.word(Ns::Wp, "term_slug"),
        parent: node.word(Ns::Wp, "term_parent"),
        name: node.word(Ns::Wp, "term_name"),
        description: node.text(Ns::Wp, "term_description"),
        meta: meta(node, "termmeta"),
    }
}

/// An item's terms: the `<category>` elements with a `nicename`. Those
/// without are the plain RSS copies WXR 1.0 writes beside each term
/// (WordPress's importer passes over them too).
fn item_terms(node: &Node) -> Vec<WxrItemTerm> {
    node.all(Ns::None, "category")
        .filter_map(|c| {
            let nicename = c.attr(Ns::None, "nicename")?.trim().to_owned();
            let domain = match c.attr(Ns::None, "domain").map(str::trim) {
                None | Some("") => "category",
                Some("tag") => "post_tag",
                Some(domain) => domain,
            };
            Some(WxrItemTerm {
                domain: domain.to_owned(),
                nicename,
                name: c.text.trim().to_owned(),
            })
        })
        .collect()
}

fn item(node: &Node, offset: u64) -> WxrItem {
    let wp = |name| node.word(Ns::Wp, name);
    let guid = node.child(Ns::None, "guid");
    WxrItem {
        offset,
        post_id: number(&wp("post_id")),
        title: node.text(Ns::None, "title"),
        link: node.word(Ns::None, "link"),
        guid: node.word(Ns::None, "guid"),
        guid_is_permalink: guid
            .and_then(|g| g.attr(Ns::None, "isPermaLink"))
            .is_none_or(|v| !v.trim().eq_ignore_ascii_case("false")),
        creator: node.word(Ns::Dc, "creator"),
        content: node.text(Ns::Content, "encoded"),
        excerpt: node.text(Ns::Excerpt, "encoded"),
        post_date: LocalTime::read(wp("post_date")),
        post_date_gmt: UtcTime::wordpress(wp("post_date_gmt")),
        post_modified: LocalTime::read(wp("post_modified")),
        post_modified_gmt: UtcTime::wordpress(wp("post_modified_gmt")),
        comment_status: wp("comment_status"),
        ping_status: wp("ping_status"),
        post_name: wp("post_name"),
        status: wp("status"),
        post_parent: reference(&wp("post_parent")),
        menu_order: wp("menu_order").parse().unwrap_or(0),
        post_type: wp("post_type"),
        post_password: node.text(Ns::Wp, "post_password"),
        is_sticky: wp("is_sticky") == "1",
        attachment_url: wp("attachment_url"),
        categories: item_terms(node),
        postmeta: meta(node, "postmeta"),
        comments: node.all(Ns::Wp, "comment").map(comment).collect(),
    }
}

fn comment(node: &Node) -> WxrComment {
    let wp = |name| node.word(Ns::Wp, name);
    WxrComment {
        id: number(&wp("comment_id")),
        author: wp("comment_author"),
        author_email: wp("comment_author_email"),
        author_url: wp("comment_author_url"),
        author_ip: wp("comment_author_IP"),
        date: LocalTime::read(wp("comment_date")),
        date_gmt: UtcTime::wordpress(wp("comment_date_gmt")),
        content: node.text(Ns::Wp, "comment_content"),
        approved: wp("comment_approved"),
        comment_type: wp("comment_type"),
        parent: reference(&wp("comment_parent")),
        user_id: reference(&wp("comment_user_id")),
        meta: meta(node, "commentmeta"),
    }
}
