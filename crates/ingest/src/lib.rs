//! Readers of content from outside. Wire files: one file's bytes, as an
//! agency or a partner delivers them (IPTC NewsML-G2, ninjs, RSS 2.0 or
//! Atom), into [`WireItem`]s (issue 14). Archives ([`archive`]): a
//! WordPress or Disqus export streamed entry by entry (issue 15). No
//! database, no HTTP: drop folders, sources, importers and the article
//! store are the callers' business.

pub mod archive;
mod error;
mod feed;
mod newsml;
mod ninjs;
mod picture;
pub mod tidy;

pub use error::IngestError;

use time::OffsetDateTime;

/// What a reader accepts before it refuses a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file read, in bytes; a larger one is refused unread.
    pub max_bytes: usize,
}

impl Default for Limits {
    /// 20 MB: a text item is a few kilobytes, a message of many items a
    /// few hundred; anything near this is not copy.
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
        }
    }
}

/// What the source says may be done with an item (NewsML-G2 `pubStatus`,
/// ninjs `pubstatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// May be published.
    Usable,
    /// Killed: the story must come down.
    Canceled,
    /// Held back by the source: the story must come down until a later
    /// version says otherwise.
    Withheld,
}

/// One item of agency copy, as the source sent it, before any decision of
/// the desk. Public fields and `editor_notes` never mix: notes are for
/// editors only and must not reach a page, a feed, the API or search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireItem {
    /// The source's identifier of the item, the same across its versions
    /// and reads (NewsML-G2 `@guid`, ninjs `uri` or `guid`, RSS `guid`,
    /// Atom `id`; for a feed entry without one, a stable hash of its link,
    /// else of its date and title: `link:…`, `published-title:…`).
    pub source_guid: String,
    /// Compared as a number: real versions are large and not sequential.
    /// A feed entry's is the unix time it was updated (else published).
    pub version: Option<u64>,
    pub status: Status,
    /// The item must not be public before this time.
    pub embargoed_until: Option<OffsetDateTime>,
    /// `None` when absent or unreadable (the caller uses the time of
    /// ingest).
    pub first_created: Option<OffsetDateTime>,
    pub version_created: Option<OffsetDateTime>,
    /// BCP 47 tag as the source wrote it (`en`, `ar`, `de-CH`).
    pub language: Option<String>,
    /// Empty only for a kill or a hold, which need no copy.
    pub headline: String,
    /// Plain text: the item's summary or abstract.
    pub standfirst: Option<String>,
    /// HTML as the source sent it, not yet sanitised (the newsroom's
    /// sanitiser runs when it becomes an article), without the repeated
    /// headline, slugline or embargo line agencies put at the top.
    pub body_html: String,
    /// The byline without a leading "By".
    pub byline: Option<String>,
    pub keywords: Vec<String>,
    /// Qualified codes as sent: `medtop:11000000`, `subj:11000000`, or a
    /// provider's own scheme.
    pub subjects: Vec<String>,
    /// Who to credit ("AFP"): credit line, else information source, else
    /// provider.
    pub credit: Option<String>,
    /// A place, never a timestamp.
    pub dateline_place: Option<String>,
    /// Notes for editors only (`edNote`, instructions): never public.
    pub editor_notes: Vec<String>,
    pub slugline: Option<String>,
    /// The pictures that go with the item, in the source's order, each
    /// once and at most [`MAX_PICTURES`]: those a NewsML-G2 package of the
    /// same `newsMessage` places beside it, an image the item itself
    /// carries (`remoteContent`), the pictures among ninjs
    /// `associations`. Empty for feeds.
    pub pictures: Vec<WirePicture>,
}

/// The most pictures an item carries; more are passed over. A gallery
/// has dozens; a package placing thousands of pictures beside thousands
/// of stories is a file built to make the reader copy.
pub const MAX_PICTURES: usize = 100;

/// A picture that comes with an item, as the source describes it: one
/// of its renditions (a high-resolution one by name, else the largest;
/// the rule is in `docs/ingest.md`) and the words that go with it. Nothing is fetched
/// here: storing it is the media library's business. Caption, credit and
/// alt text are plain text, and public.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WirePicture {
    /// As written, trimmed: a file name beside the item (`./pic.jpg`) or
    /// a URL. Never empty.
    pub href: String,
    /// The picture's caption (description of role caption, else the
    /// first description that is not alt text or a credit line, else its
    /// headline).
    pub caption: Option<String>,
    /// Who to credit: the credit line, else the photographer, else the
    /// information source or copyright holder, else the provider.
    pub credit: Option<String>,
    /// Alternative text for readers who cannot see the picture
    /// (description of role `drol:altText`, ninjs `alt_text`).
    pub alt: Option<String>,
    /// The rendition's media type as sent (`image/jpeg`).
    pub content_type: Option<String>,
    /// In pixels, as the source declares them (not checked here).
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// Reads one file into its items: a NewsML-G2 `newsItem` gives one, a
/// `newsMessage` one per text news item (its picture items go with the
/// stories its packages place them beside, see [`WireItem::pictures`]),
/// a ninjs document one, an RSS 2.0 or Atom (RFC 4287) feed one per item
/// or entry. The format is told by the content (an XML root element or a
/// JSON object), never by the file name, which only names the file in
/// errors.
///
/// The outer error refuses the file as a whole (empty, too large, not
/// UTF-8, malformed, a DTD, a root or format not read, pictures without
/// copy, a package on its own). Otherwise each item has its own outcome,
/// in the file's order: the item, or why that item alone is refused (no
/// guid, no headline or body, an unknown status, an unreadable embargo,
/// a picture no package places beside a story), so one bad item of a
/// `newsMessage` does not cost the others. A file holding a single item
/// gives the same shape: a bad lone item is an outer `Ok` with one inner
/// `Err`, never an outer error.
pub fn read_file(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<Result<WireItem, IngestError>>, IngestError> {
    let file = name.to_owned();
    if bytes.len() > limits.max_bytes {
        return Err(IngestError::TooLarge {
            file,
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Some(first) = bytes.iter().find(|b| !b.is_ascii_whitespace()) else {
        return Err(IngestError::Empty { file });
    };
    let text = std::str::from_utf8(bytes).map_err(|e| IngestError::NotUtf8 {
        file: file.clone(),
        offset: e.valid_up_to(),
    })?;
    match first {
        b'<' => read_xml(name, text),
        b'{' | b'[' => ninjs::read(name, text),
        _ => Err(IngestError::UnknownFormat { file }),
    }
}

/// Every XML file is parsed with roxmltree first, whatever its format:
/// it refuses a DTD (so no entity is expanded and no external entity
/// read, "billion laughs" and `SYSTEM "file:///etc/passwd"`) and
/// malformed XML with its line and column, before any reader, feed-rs
/// included, sees the file. The root element then tells the format, by
/// namespace and local name.
fn read_xml(file: &str, text: &str) -> Result<Vec<Result<WireItem, IngestError>>, IngestError> {
    let doc = roxmltree::Document::parse(text).map_err(|e| xml_error(file, &e))?;
    let root = doc.root_element();
    match (root.tag_name().namespace(), root.tag_name().name()) {
        (None, "rss") | (Some(feed::ATOM), "feed") => feed::read(file, text),
        (Some(newsml::NAR), _) => newsml::read(file, root),
        (_, "NewsML") => Err(IngestError::NewsMl1 {
            file: file.to_owned(),
        }),
        (_, found) => Err(IngestError::WrongRoot {
            file: file.to_owned(),
            found: found.to_owned(),
        }),
    }
}

fn xml_error(file: &str, error: &roxmltree::Error) -> IngestError {
    if matches!(error, roxmltree::Error::DtdDetected) {
        return IngestError::Dtd {
            file: file.to_owned(),
        };
    }
    let pos = error.pos();
    IngestError::MalformedXml {
        file: file.to_owned(),
        line: pos.row,
        column: pos.col,
        reason: error.to_string(),
    }
}

/// Checks what the readers built: a usable item needs copy (a kill or a
/// hold needs only its guid), and loses the preamble at the top of its
/// body.
fn finish(file: &str, mut item: WireItem) -> Result<WireItem, IngestError> {
    item.body_html =
        tidy::strip_wire_preamble(&item.body_html, &item.headline, item.slugline.as_deref());
    if item.status != Status::Usable {
        return Ok(item);
    }
    if item.headline.is_empty() {
        return Err(IngestError::NoHeadline {
            file: file.to_owned(),
            guid: item.source_guid,
        });
    }
    if tidy::html_text(&item.body_html).is_empty() {
        return Err(IngestError::NoBody {
            file: file.to_owned(),
            guid: item.source_guid,
        });
    }
    Ok(item)
}

/// An embargo time: none when absent or empty (an empty `<embargoed/>`
/// is sent for "no embargo"), a refusal when present but unreadable.
fn embargo(
    file: &str,
    guid: &str,
    value: Option<&str>,
) -> Result<Option<OffsetDateTime>, IngestError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    tidy::parse_time(value)
        .map(Some)
        .ok_or_else(|| IngestError::UnreadableEmbargo {
            file: file.to_owned(),
            guid: guid.to_owned(),
            value: value.to_owned(),
        })
}

/// The status a code names; a missing one is usable (the NewsML-G2 and
/// ninjs default), an unknown one refused rather than guessed.
fn status(file: &str, guid: &str, code: Option<&str>) -> Result<Status, IngestError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None => Ok(Status::Usable),
        Some(code) => tidy::parse_status(code).ok_or_else(|| IngestError::UnknownStatus {
            file: file.to_owned(),
            guid: guid.to_owned(),
            status: code.to_owned(),
        }),
    }
}
