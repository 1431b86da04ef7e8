//! Why an export stops being read. Every message names the file and,
//! where there is one, the line, so the import report can say where to
//! look.

/// Why a reader stopped. Each ends the reading: the reader yields it
/// once, after every entry that came whole before it, then nothing more.
/// `Empty`, `NotXml`, `Encoding`, `WrongRoot` and `NotWordPress` refuse
/// the file before any entry; the others can also come after entries,
/// which stay good: the import keeps what it took and reports the rest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: the file is empty")]
    Empty { file: String },
    /// Reading the bytes failed (a disk error, a closed pipe).
    #[error("{file}: cannot be read: {reason}")]
    Io { file: String, reason: String },
    #[error("{file}: not XML (line {line}: {reason})")]
    NotXml {
        file: String,
        line: u64,
        reason: String,
    },
    /// WordPress writes the site's character set; only UTF-8 (and ASCII)
    /// is read.
    #[error(
        "{file}: declares the encoding {declared:?}; only UTF-8 is read (convert it first, e.g. iconv -f {declared} -t UTF-8)"
    )]
    Encoding { file: String, declared: String },
    #[error("{file}: not UTF-8 at line {line} (byte {offset}); only UTF-8 is read")]
    NotUtf8 {
        file: String,
        line: u64,
        offset: u64,
    },
    /// Entity declarations can expand a small file into gigabytes
    /// ("billion laughs") or read files of the server (external
    /// entities); no export needs them.
    #[error(
        "{file}: has a DTD (<!DOCTYPE>) at line {line}, refused: entity declarations are not allowed"
    )]
    Dtd { file: String, line: u64 },
    #[error("{file}: the root element is <{found}> (line {line}), not {expected}")]
    WrongRoot {
        file: String,
        line: u64,
        found: String,
        expected: &'static str,
    },
    /// An RSS feed whose channel has nothing in the WordPress export
    /// namespace: a site's public feed rather than its export.
    #[error(
        "{file}: not a WordPress export: an RSS feed without the WordPress export namespace (http://wordpress.org/export/1.2/); export from Tools > Export in WordPress"
    )]
    NotWordPress { file: String },
    #[error("{file}: malformed XML at line {line}, column {column} (byte {offset}): {reason}")]
    Malformed {
        file: String,
        line: u64,
        column: u64,
        offset: u64,
        reason: String,
    },
    /// The file ends before its root element does: an export cut short
    /// by a timeout, a full disk or an interrupted download.
    #[error(
        "{file}: the file stops at line {line} (byte {offset}) inside {inside}: it was cut short; the entries before were read"
    )]
    Truncated {
        file: String,
        line: u64,
        offset: u64,
        inside: String,
    },
    /// A resume offset where no entry of the kind resumed at begins:
    /// another file, or the file changed since the offset was taken.
    #[error(
        "{file}: no <{item}> starts at byte {offset}; resume with an offset this reader gave for this same file"
    )]
    ResumeOffset {
        file: String,
        offset: u64,
        item: &'static str,
    },
}
