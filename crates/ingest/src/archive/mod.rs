//! Archive readers: a WordPress export (WordPress eXtended RSS, WXR 1.0 to
//! 1.2) or a Disqus export, read from a byte stream entry by entry in
//! document order, in memory that stays flat whatever the size of the
//! file (one entry at a time). No store, no sites, no network: mapping
//! entries to articles, comments and redirects is the importer's
//! business (issue 15). `docs/import.md` says what each entry holds.
//!
//! Both readers tolerate what real exports contain (CDATA split around
//! `]]>`, stray control characters, HTML entities outside CDATA,
//! unknown elements, undeclared prefixes), stop with an error naming
//! the file and line at the first thing they cannot read (the entries
//! before it stay good), refuse DTDs, and give each item the byte
//! offset where it starts so an interrupted import can resume there.

pub mod body;
mod disqus;
mod error;
mod url;
mod wxr;
mod xml;

pub use body::{CleanedBody, clean_wordpress_body};
pub use disqus::{
    DisqusAuthor, DisqusCategory, DisqusEntry, DisqusPost, DisqusReader, DisqusThread,
};
pub use error::ImportError;
pub use url::normalize_url;
pub use wxr::{
    Meta, WxrAuthor, WxrCategory, WxrComment, WxrEntry, WxrItem, WxrItemTerm, WxrReader, WxrSite,
    WxrTag, WxrTerm,
};

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{OffsetDateTime, PrimitiveDateTime};

/// A time as WordPress writes it in the site's own time zone, without an
/// offset (`2026-12-01 09:30:00`): `post_date`, `comment_date`. Which
/// zone that is the export does not say; the `_gmt` twin does.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LocalTime {
    /// As written, trimmed; empty when absent.
    pub written: String,
    /// `None` when empty, unreadable, or WordPress's "never"
    /// (`0000-00-00 00:00:00`).
    pub value: Option<PrimitiveDateTime>,
}

impl LocalTime {
    fn read(written: String) -> Self {
        let value = parse_wordpress_time(&written);
        Self { written, value }
    }
}

/// A time in UTC: WordPress's `_gmt` times (written as the local ones,
/// without an offset), a Disqus `createdAt` (RFC 3339).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UtcTime {
    /// As written, trimmed; empty when absent.
    pub written: String,
    /// `None` when empty, unreadable, or WordPress's "never"
    /// (`0000-00-00 00:00:00`, the GMT date of a draft never published).
    pub value: Option<OffsetDateTime>,
}

impl UtcTime {
    fn wordpress(written: String) -> Self {
        let value = parse_wordpress_time(&written).map(PrimitiveDateTime::assume_utc);
        Self { written, value }
    }

    fn rfc3339(written: String) -> Self {
        let value = OffsetDateTime::parse(&written, &Rfc3339).ok();
        Self { written, value }
    }
}

fn parse_wordpress_time(text: &str) -> Option<PrimitiveDateTime> {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    PrimitiveDateTime::parse(text, format).ok()
}
