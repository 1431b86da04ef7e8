//! Live coverage (issue 16): a story that carries a stream of short,
//! timestamped entries, posted by several reporters at once while the
//! news breaks, and ended by an editor. Entries are rows of their own,
//! numbered in the order they were posted, never one growing body.

use crate::editing::{FieldError, Problem, sanitize_body};
use serde::{Deserialize, Serialize};

/// Longest entry headline.
pub const MAX_ENTRY_HEADLINE_CHARS: usize = 200;
/// Largest entry body: a few paragraphs, a picture, links.
pub const MAX_ENTRY_BODY_BYTES: usize = 64 * 1024;
/// Longest correction note on an entry.
pub const MAX_ENTRY_CORRECTION_CHARS: usize = 500;

/// Where a story's live coverage is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    /// Entries are being posted.
    Live,
    /// An editor ended it: the entries stay, no more come.
    Ended,
}

impl Coverage {
    pub fn as_str(self) -> &'static str {
        match self {
            Coverage::Live => "live",
            Coverage::Ended => "ended",
        }
    }

    pub fn parse(text: &str) -> Option<Coverage> {
        match text {
            "live" => Some(Coverage::Live),
            "ended" => Some(Coverage::Ended),
            _ => None,
        }
    }
}

/// A story's live coverage: where it is and when it began and ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveCoverage {
    pub coverage: Coverage,
    pub started_at: Option<time::OffsetDateTime>,
    pub ended_at: Option<time::OffsetDateTime>,
}

/// An entry as a reporter types it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EntryInput {
    /// Optional: most entries are a paragraph or two.
    pub headline: String,
    pub body_html: String,
    /// A key event: summarised at the top of the page.
    pub key_event: bool,
    /// Why an entry was changed (corrections only).
    pub correction: String,
    /// A picture of the media library (its number), or empty.
    pub media: String,
}

/// A checked entry: trimmed headline, sanitised body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEntry {
    pub headline: String,
    pub body_html: String,
    pub key_event: bool,
    pub correction: String,
    pub media: Option<crate::editing::MediaId>,
}

impl EntryInput {
    /// Checks the entry; `correcting` asks for the correction note;
    /// `media` is the library's picture the form names, when the site has
    /// it.
    pub fn check(
        &self,
        correcting: bool,
        media: Option<crate::editing::MediaId>,
    ) -> Result<CheckedEntry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field, problem| errors.push(FieldError { field, problem });
        let headline = self.headline.trim();
        if headline.chars().count() > MAX_ENTRY_HEADLINE_CHARS {
            fail("headline", Problem::TooLong(MAX_ENTRY_HEADLINE_CHARS));
        }
        let body_html = if self.body_html.len() > MAX_ENTRY_BODY_BYTES {
            fail("body_html", Problem::TooLong(MAX_ENTRY_BODY_BYTES));
            String::new()
        } else {
            sanitize_body(&plain_paragraphs(&self.body_html))
        };
        if self.body_html.len() <= MAX_ENTRY_BODY_BYTES && !has_text(&body_html) {
            fail("body_html", Problem::Required);
        }
        if !self.media.trim().is_empty() && media.is_none() {
            fail("media", Problem::UnknownChoice);
        }
        let correction = self.correction.trim();
        if correcting && correction.is_empty() {
            fail("correction", Problem::Required);
        } else if correction.chars().count() > MAX_ENTRY_CORRECTION_CHARS {
            fail("correction", Problem::TooLong(MAX_ENTRY_CORRECTION_CHARS));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CheckedEntry {
            headline: headline.to_owned(),
            body_html,
            key_event: self.key_event,
            correction: correction.to_owned(),
            media,
        })
    }
}

/// A body typed as plain text (the fast form has no editor) becomes
/// paragraphs at blank lines; one that is already HTML stays as it is.
fn plain_paragraphs(text: &str) -> String {
    let text = text.trim();
    if text.starts_with('<') {
        return text.to_owned();
    }
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Whether sanitised HTML holds any text or picture.
fn has_text(html: &str) -> bool {
    if html.contains("<img") {
        return true;
    }
    let mut in_tag = false;
    html.chars().any(|c| match c {
        '<' => {
            in_tag = true;
            false
        }
        '>' => {
            in_tag = false;
            false
        }
        c => !in_tag && !c.is_whitespace(),
    })
}

/// An entry's text without markup, for structured data and feeds.
pub fn entry_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", " ");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_needs_a_body_and_keeps_it_safe() {
        let typed = EntryInput {
            headline: "  Rescue teams reach the port ".into(),
            body_html: "Teams arrived at 10:40.\nMore follow.\n\nA <b>second</b> paragraph & more"
                .into(),
            ..EntryInput::default()
        };
        let checked = typed.check(false, None).unwrap();
        assert_eq!(checked.headline, "Rescue teams reach the port");
        assert_eq!(
            checked.body_html,
            "<p>Teams arrived at 10:40.<br>More follow.</p><p>A &lt;b&gt;second&lt;/b&gt; paragraph &amp; more</p>"
        );
        let html = EntryInput {
            body_html: r#"<p onclick="x()">Seen <a href="https://example.org/a">here</a></p><script>x()</script>"#.into(),
            ..EntryInput::default()
        };
        let checked = html.check(false, None).unwrap();
        assert!(!checked.body_html.contains("onclick") && !checked.body_html.contains("script"));
        let empty = EntryInput {
            body_html: "<p> </p><script>only()</script>".into(),
            ..EntryInput::default()
        };
        assert_eq!(
            empty.check(false, None).unwrap_err(),
            [FieldError {
                field: "body_html",
                problem: Problem::Required
            }]
        );
        let correcting = EntryInput {
            body_html: "Fixed.".into(),
            ..EntryInput::default()
        };
        assert_eq!(
            correcting.check(true, None).unwrap_err()[0].field,
            "correction"
        );
        let picture = EntryInput {
            body_html: "With a picture.".into(),
            media: "12".into(),
            ..EntryInput::default()
        };
        assert_eq!(picture.check(false, None).unwrap_err()[0].field, "media");
        let known = Some(crate::editing::MediaId(12));
        assert_eq!(picture.check(false, known).unwrap().media, known);
        assert_eq!(entry_text("<p>A &amp; B</p><p>C</p>"), "A & B C");
    }
}
