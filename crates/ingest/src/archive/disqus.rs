//! The Disqus export (Admin > Moderation > Export): one `disqus` root
//! (namespace `http://disqus.com`, internals in
//! `http://disqus.com/disqus-internals`, the `dsq:` prefix) holding the
//! forum's categories, then its threads (one per page that had a comment
//! box), then its posts (the comments), each naming its thread and the
//! post it replies to by `dsq:id`.
//!
//! Elements are read with or without the Disqus namespace; text fields
//! are as written (CDATA joined, references decoded, control characters
//! removed), trimmed but for messages and titles, empty when absent.

use super::wxr::{after_root, prolog};
use super::xml::{Ev, Node, Ns, Start, Xml};
use super::{ImportError, UtcTime};
use std::io::Read;
use std::iter::FusedIterator;

/// One entry of a Disqus export, in the file's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DisqusEntry {
    Category(DisqusCategory),
    Thread(Box<DisqusThread>),
    Post(Box<DisqusPost>),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DisqusCategory {
    /// `dsq:id`; `None` when absent.
    pub dsq_id: Option<String>,
    pub forum: String,
    pub title: String,
    pub is_default: bool,
}

/// Who wrote a thread or a post.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DisqusAuthor {
    pub name: String,
    pub email: String,
    /// Empty for a guest.
    pub username: String,
    pub is_anonymous: bool,
}

/// A page with a comment box: how Disqus knew it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DisqusThread {
    pub dsq_id: Option<String>,
    /// The site's own identifier for the page (`disqus_identifier`; the
    /// WordPress plugin writes `"{post_id} {guid}"`); `None` when empty,
    /// which is common.
    pub id: Option<String>,
    pub forum: String,
    /// The category's `dsq:id`.
    pub category: Option<String>,
    /// The page's address when the thread was made, as the browser had
    /// it: compare through [`super::normalize_url`].
    pub link: String,
    pub title: String,
    pub message: String,
    pub created_at: UtcTime,
    pub author: DisqusAuthor,
    pub ip_address: String,
    pub is_closed: bool,
    pub is_deleted: bool,
}

/// A comment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DisqusPost {
    /// Where the post's `<post` begins in the file: offsets strictly
    /// increase; give one to [`DisqusReader::resume`] to go on from there.
    pub offset: u64,
    /// `dsq:id`: the post's identity. `None` when absent (malformed
    /// exports have such posts).
    pub dsq_id: Option<String>,
    /// `<id>`: an identifier from an earlier import into Disqus, if any.
    pub id: Option<String>,
    /// HTML as Disqus stores it.
    pub message: String,
    pub created_at: UtcTime,
    pub is_deleted: bool,
    pub is_spam: bool,
    /// `None` when the export does not say (older exports).
    pub is_approved: Option<bool>,
    pub author: DisqusAuthor,
    pub ip_address: String,
    /// The thread's `dsq:id`: a thread the export may not hold (an
    /// orphan post).
    pub thread_dsq_id: Option<String>,
    /// The post it replies to; `None` at the top of the thread.
    pub parent_dsq_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Prolog,
    Root,
    AfterRoot,
    Finished,
}

/// Reads a Disqus export from a byte stream, entry by entry, in flat
/// memory, as [`super::WxrReader`] reads a WordPress export: entries in
/// document order, then the end or the one [`ImportError`] that stopped
/// the reading (everything yielded before it stays good); a file cut
/// short gives its whole entries, then `Truncated`.
///
/// Refused before any entry: an empty file, not XML, a root other than
/// `disqus`, an encoding other than UTF-8; a `<!DOCTYPE>` anywhere.
pub struct DisqusReader<R> {
    xml: Xml<R>,
    state: State,
    resume: Option<u64>,
}

impl<R: Read> DisqusReader<R> {
    /// A reader of `input` from its start; `name` names the file in errors.
    pub fn new(name: impl Into<String>, input: R) -> Self {
        Self {
            xml: Xml::new(name.into(), input),
            state: State::Prolog,
            resume: None,
        }
    }

    /// A reader that goes on from a post: `input` is the same file from
    /// its start, `offset` one of its posts' [`DisqusPost::offset`]. It
    /// yields the categories and threads before the first post again (the
    /// importer needs the threads to place posts; taking one twice
    /// changes nothing), then skips the bytes up to `offset` unparsed and
    /// reads on from that post. An offset at or before the first post
    /// reads the whole file; one where no post starts ends the reading
    /// with [`ImportError::ResumeOffset`] at the first post.
    pub fn resume(name: impl Into<String>, input: R, offset: u64) -> Self {
        let mut reader = Self::new(name, input);
        reader.resume = Some(offset);
        reader
    }

    fn step(&mut self) -> Result<Option<DisqusEntry>, ImportError> {
        loop {
            match self.state {
                State::Prolog => {
                    let root = prolog(&mut self.xml)?;
                    if !root.ns.is(Ns::Disqus) || root.name != "disqus" {
                        return Err(ImportError::WrongRoot {
                            file: self.xml.file.clone(),
                            line: root.line,
                            found: root.name,
                            expected: "<disqus> (a Disqus export)",
                        });
                    }
                    self.state = if root.empty {
                        State::AfterRoot
                    } else {
                        State::Root
                    };
                }
                State::Root => match self.xml.next()? {
                    Ev::Start(start) => {
                        if let Some(entry) = self.take(start)? {
                            return Ok(Some(entry));
                        }
                    }
                    Ev::Text(_) => {}
                    Ev::End => {
                        self.state = State::AfterRoot;
                        if let Some(offset) = self.resume.take()
                            && offset > self.xml.offset()
                        {
                            return Err(self.xml.resume_offset(offset, "post"));
                        }
                    }
                    Ev::Eof => {
                        return Err(self
                            .xml
                            .truncated("the disqus root, after its last whole entry"));
                    }
                },
                State::AfterRoot => {
                    after_root(&mut self.xml)?;
                    self.state = State::Finished;
                }
                State::Finished => return Ok(None),
            }
        }
    }

    /// Reads the element `start` begins: an entry, or something else
    /// read past; or skips to the resume offset at the first post.
    fn take(&mut self, start: Start) -> Result<Option<DisqusEntry>, ImportError> {
        // Entries are unprefixed, in the default namespace or none.
        let is_entry = start.ns.is(Ns::Disqus) && !start.prefixed;
        let is_post = is_entry && start.name == "post";
        // The resume offset is taken at the first item, skipped to or
        // not.
        if is_post
            && let Some(target) = self.resume.take()
            && self.xml.skip_to_item(&start, target, "post")?
        {
            return Ok(None);
        }
        let offset = start.offset;
        let node = self
            .xml
            .element_or_cut(start, |partial, line| match dsq_id(partial) {
                Some(id) => format!("<{}> dsq:id {id} (from line {line})", partial.name),
                None => format!("<{}> (from line {line})", partial.name),
            })?;
        if !is_entry {
            return Ok(None);
        }
        Ok(match node.name.as_str() {
            "category" => Some(DisqusEntry::Category(category(&node))),
            "thread" => Some(DisqusEntry::Thread(Box::new(thread(&node)))),
            "post" => Some(DisqusEntry::Post(Box::new(post(&node, offset)))),
            _ => None,
        })
    }
}

impl<R: Read> Iterator for DisqusReader<R> {
    type Item = Result<DisqusEntry, ImportError>;

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

impl<R: Read> FusedIterator for DisqusReader<R> {}

/// An element's `dsq:id` (or a bare `id` attribute, which some tools
/// write); `None` when absent or blank.
fn dsq_id(node: &Node) -> Option<String> {
    node.attr(Ns::Dsq, "id")
        .or_else(|| node.attr(Ns::None, "id"))
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

/// The `dsq:id` of a child that refers to another entry (`<thread
/// dsq:id="…"/>` in a post).
fn reference(node: &Node, name: &str) -> Option<String> {
    node.child(Ns::Disqus, name).and_then(dsq_id)
}

/// `true` and `1` are true; anything else (`false`, empty, junk) false.
fn flag(text: &str) -> bool {
    let text = text.trim();
    text.eq_ignore_ascii_case("true") || text == "1"
}

fn non_empty(text: String) -> Option<String> {
    Some(text).filter(|t| !t.is_empty())
}

fn author(node: &Node) -> DisqusAuthor {
    let Some(author) = node.child(Ns::Disqus, "author") else {
        return DisqusAuthor::default();
    };
    DisqusAuthor {
        name: author.word(Ns::Disqus, "name"),
        email: author.word(Ns::Disqus, "email"),
        username: author.word(Ns::Disqus, "username"),
        is_anonymous: flag(&author.text(Ns::Disqus, "isAnonymous")),
    }
}

fn category(node: &Node) -> DisqusCategory {
    DisqusCategory {
        dsq_id: dsq_id(node),
        forum: node.word(Ns::Disqus, "forum"),
        title: node.text(Ns::Disqus, "title"),
        is_default: flag(&node.text(Ns::Disqus, "isDefault")),
    }
}

fn thread(node: &Node) -> DisqusThread {
    DisqusThread {
        dsq_id: dsq_id(node),
        id: non_empty(node.word(Ns::Disqus, "id")),
        forum: node.word(Ns::Disqus, "forum"),
        category: reference(node, "category"),
        link: node.word(Ns::Disqus, "link"),
        title: node.text(Ns::Disqus, "title"),
        message: node.text(Ns::Disqus, "message"),
        created_at: UtcTime::rfc3339(node.word(Ns::Disqus, "createdAt")),
        author: author(node),
        ip_address: node.word(Ns::Disqus, "ipAddress"),
        is_closed: flag(&node.text(Ns::Disqus, "isClosed")),
        is_deleted: flag(&node.text(Ns::Disqus, "isDeleted")),
    }
}

fn post(node: &Node, offset: u64) -> DisqusPost {
    DisqusPost {
        offset,
        dsq_id: dsq_id(node),
        id: non_empty(node.word(Ns::Disqus, "id")),
        message: node.text(Ns::Disqus, "message"),
        created_at: UtcTime::rfc3339(node.word(Ns::Disqus, "createdAt")),
        is_deleted: flag(&node.text(Ns::Disqus, "isDeleted")),
        is_spam: flag(&node.text(Ns::Disqus, "isSpam")),
        is_approved: node.child(Ns::Disqus, "isApproved").map(|a| flag(&a.text)),
        author: author(node),
        ip_address: node.word(Ns::Disqus, "ipAddress"),
        thread_dsq_id: reference(node, "thread"),
        parent_dsq_id: reference(node, "parent"),
    }
}
