//! Why a file, or one item of it, was refused. Every message names the
//! file, so one line in a source's log says what went wrong and where.

/// A refusal. As the outer error of [`crate::read_file`] it refuses the
/// whole file: nothing of it is taken, and the caller moves it to the
/// refused folder and goes on with the next. The per-item variants
/// (`NoGuid`, `NoHeadline`, `NoBody`, `UnknownStatus`,
/// `UnreadableEmbargo`, `PictureNotPlaced`) are only ever an item's own
/// outcome, inside the outer `Ok`: the file's other items are still
/// taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("{file}: the file is empty")]
    Empty { file: String },
    #[error("{file}: {size} bytes is larger than the limit of {limit} bytes")]
    TooLarge {
        file: String,
        size: usize,
        limit: usize,
    },
    #[error("{file}: not UTF-8 (invalid byte at offset {offset}); other encodings are not read")]
    NotUtf8 { file: String, offset: usize },
    #[error("{file}: neither XML nor JSON")]
    UnknownFormat { file: String },
    #[error("{file}: malformed XML at line {line}, column {column}: {reason}")]
    MalformedXml {
        file: String,
        line: u32,
        column: u32,
        reason: String,
    },
    /// Entity declarations can expand a small file into gigabytes
    /// ("billion laughs") or read files of the server (external
    /// entities); wire items never need them.
    #[error("{file}: has a DTD (<!DOCTYPE>), refused: entity declarations are not allowed")]
    Dtd { file: String },
    #[error("{file}: malformed JSON at line {line}, column {column}: {reason}")]
    MalformedJson {
        file: String,
        line: usize,
        column: usize,
        reason: String,
    },
    #[error(
        "{file}: root element <{found}> is none of those read: a NewsML-G2 newsItem or newsMessage (namespace http://iptc.org/std/nar/2006-10-01/), an RSS 2.0 rss, an Atom feed (namespace http://www.w3.org/2005/Atom)"
    )]
    WrongRoot { file: String, found: String },
    #[error(
        "{file}: NewsML 1.x (root <NewsML> without the G2 namespace) is not read; ask the source for NewsML-G2"
    )]
    NewsMl1 { file: String },
    /// A package alone says how items go together, but the items come in
    /// files of their own.
    #[error(
        "{file}: a NewsML-G2 packageItem on its own is not read; the items it refers to are ingested from their own files (send it in a newsMessage with its items to place pictures beside their story)"
    )]
    Package { file: String },
    /// Pictures are stored with the story they illustrate, never as
    /// articles of their own: a NewsML-G2 picture `newsItem` (or a
    /// `newsMessage` of pictures only), a ninjs document of type picture.
    #[error(
        "{file}: a picture item without copy; send it with its story in a newsMessage or beside the story in the drop folder"
    )]
    PictureWithoutCopy { file: String },
    /// An `rss` or Atom `feed` that feed-rs cannot read (an `rss` without
    /// a version or a channel, an Atom content type it does not know), or
    /// on which it failed.
    #[error("{file}: an RSS or Atom feed that cannot be read: {reason}")]
    MalformedFeed { file: String, reason: String },
    #[error("{file}: JSON that is not ninjs: {reason}")]
    NotNinjs { file: String, reason: String },
    #[error(
        "{file}: an item without a guid (NewsML-G2 @guid, ninjs uri or guid; a feed entry without guid, id, link, date or title)"
    )]
    NoGuid { file: String },
    #[error("{file}: item {guid} has no headline")]
    NoHeadline { file: String, guid: String },
    #[error("{file}: item {guid} has no body")]
    NoBody { file: String, guid: String },
    #[error("{file}: item {guid} has an unknown publishing status {status:?}")]
    UnknownStatus {
        file: String,
        guid: String,
        status: String,
    },
    /// A picture item of a `newsMessage` that has copy, but that no
    /// package of the message places in a group with a text item of it:
    /// which story it illustrates is not known.
    #[error(
        "{file}: picture item {guid} goes with no story: no packageItem of the message places it beside a text item of the message"
    )]
    PictureNotPlaced { file: String, guid: String },
    /// An embargo we cannot read cannot be honoured, and publishing would
    /// break it.
    #[error("{file}: item {guid} has an embargo that is not a time: {value:?}")]
    UnreadableEmbargo {
        file: String,
        guid: String,
        value: String,
    },
}
