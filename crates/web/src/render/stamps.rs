//! Times and media addresses as pages write them: the site's date
//! stamps (`core::dates`), ISO 8601 for machines, media URLs.

use crate::AppState;
use crate::network::Edition;
use dateline_core::Site;
use time::OffsetDateTime;

/// Formats the stamps of a site.
pub(crate) struct Stamps<'a> {
    app: &'a AppState,
    site: &'a Site,
}

impl<'a> Stamps<'a> {
    pub fn new(app: &'a AppState, site: &'a Site) -> Stamps<'a> {
        Stamps { app, site }
    }

    fn format(&self, pattern: &dateline_core::dates::DatePattern, at: OffsetDateTime) -> String {
        self.site
            .time_zone
            .format(at, pattern, self.app.translations.calendar(self.site.lang))
    }

    pub fn list(&self, at: OffsetDateTime) -> String {
        self.format(&self.site.formats.list, at)
    }
    pub fn published(&self, at: OffsetDateTime) -> String {
        self.format(&self.site.formats.published, at)
    }
    pub fn updated(&self, at: OffsetDateTime) -> String {
        self.format(&self.site.formats.updated, at)
    }
}

/// RFC 3339 in UTC (`2016-03-23T10:18:00Z`) for `datetime` attributes,
/// written directly: it is on every card of every page.
pub(crate) fn iso(at: OffsetDateTime) -> String {
    use dateline_core::dates::{push_two_digits, push_year};
    let at = at.to_offset(time::UtcOffset::UTC);
    let mut out = String::with_capacity(20);
    push_year(&mut out, at.year());
    out.push('-');
    push_two_digits(&mut out, u8::from(at.month()));
    out.push('-');
    push_two_digits(&mut out, at.day());
    out.push('T');
    push_two_digits(&mut out, at.hour());
    out.push(':');
    push_two_digits(&mut out, at.minute());
    out.push(':');
    push_two_digits(&mut out, at.second());
    out.push('Z');
    out
}

pub(crate) fn media_url(edition: &Edition, path: &str) -> String {
    edition.url(&format!("/media/{path}"))
}
