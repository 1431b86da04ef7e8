//! Wire sources and what becomes of their items: the rules of the wire
//! desk (issue 14), apart from reading files (`dateline_ingest`) and from
//! storing (`dateline_store`).

use crate::Lang;
use std::fmt;

/// What a source's new items become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceMode {
    /// Queued on the wire desk until an editor takes them.
    Queue,
    /// Published at once (or scheduled for the end of their embargo).
    Publish,
}

/// What a newer version does to a story the desk has edited since the
/// source's last version was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdatePolicy {
    /// The editor sees the new version and chooses.
    DeskDecides,
    /// The new version is applied (a revision keeps the desk's text).
    WireWins,
}

impl SourceMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceMode::Queue => "queue",
            SourceMode::Publish => "publish",
        }
    }

    pub fn parse(text: &str) -> Option<SourceMode> {
        match text.trim() {
            "queue" => Some(SourceMode::Queue),
            "publish" => Some(SourceMode::Publish),
            _ => None,
        }
    }
}

impl UpdatePolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            UpdatePolicy::DeskDecides => "desk",
            UpdatePolicy::WireWins => "wire",
        }
    }

    pub fn parse(text: &str) -> Option<UpdatePolicy> {
        match text.trim() {
            "desk" => Some(UpdatePolicy::DeskDecides),
            "wire" => Some(UpdatePolicy::WireWins),
            _ => None,
        }
    }
}

/// A source's name: its drop folder (`<data-dir>/ingest/<name>/`) and its
/// key in links between articles and items, so it is short, lower-case
/// ASCII and cannot climb out of the folder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SourceName(String);

/// Why a source name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceNameError {
    #[error("a source needs a name")]
    Empty,
    #[error("a source name has at most {MAX_NAME} characters")]
    TooLong,
    #[error(
        "a source name is lower-case letters a-z, digits and dashes (it names the folder <data-dir>/ingest/<name>/)"
    )]
    Invalid,
}

const MAX_NAME: usize = 40;

impl SourceName {
    pub fn parse(text: &str) -> Result<SourceName, SourceNameError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(SourceNameError::Empty);
        }
        if text.len() > MAX_NAME {
            return Err(SourceNameError::TooLong);
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
        if !text.chars().all(allowed) || text.starts_with('-') {
            return Err(SourceNameError::Invalid);
        }
        Ok(SourceName(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SourceName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A source's settings as an admin types them in the newsroom.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourceInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub updates: String,
    /// An `http(s)://` address to poll; empty: files come only through
    /// the drop folder.
    #[serde(default)]
    pub url: String,
    /// Seconds between polls of `url`; empty: [`DEFAULT_POLL_SECONDS`].
    #[serde(default)]
    pub poll_seconds: String,
}

/// Checked source settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedSource {
    pub name: SourceName,
    pub label: String,
    pub mode: SourceMode,
    pub updates: UpdatePolicy,
    pub url: String,
    pub poll_seconds: i64,
}

/// Longest label.
pub const MAX_LABEL_CHARS: usize = 80;
/// Seconds between polls of a source's address unless set.
pub const DEFAULT_POLL_SECONDS: i64 = 300;
/// The range of poll intervals: every second (tests, a partner on the
/// same network) to once a day.
pub const POLL_SECONDS: (usize, usize) = (1, 86_400);

/// An address a source may be polled at: `http://` or `https://` and a
/// host, at most 2,000 characters, no spaces.
pub fn pollable_url(text: &str) -> bool {
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"));
    rest.is_some_and(|rest| {
        !rest.is_empty()
            && !rest.starts_with('/')
            && text.len() <= 2_000
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

impl SourceInput {
    /// Every field's problem at once, for the form.
    pub fn check(&self) -> Result<CheckedSource, Vec<crate::editing::FieldError>> {
        use crate::editing::{FieldError, Problem};
        let mut errors = Vec::new();
        let mut fail = |field, problem| errors.push(FieldError { field, problem });
        let name = match SourceName::parse(&self.name) {
            Ok(name) => Some(name),
            Err(SourceNameError::Empty) => {
                fail("name", Problem::Required);
                None
            }
            Err(SourceNameError::TooLong) => {
                fail("name", Problem::TooLong(MAX_NAME));
                None
            }
            Err(SourceNameError::Invalid) => {
                fail("name", Problem::InvalidSlug);
                None
            }
        };
        let label = self.label.trim();
        if label.chars().count() > MAX_LABEL_CHARS {
            fail("label", Problem::TooLong(MAX_LABEL_CHARS));
        }
        let mode = SourceMode::parse(&self.mode);
        if mode.is_none() {
            fail("mode", Problem::UnknownChoice);
        }
        let updates = UpdatePolicy::parse(&self.updates);
        if updates.is_none() {
            fail("updates", Problem::UnknownChoice);
        }
        let url = self.url.trim();
        if !url.is_empty() && !pollable_url(url) {
            fail("url", Problem::InvalidUrl);
        }
        let (min, max) = POLL_SECONDS;
        let poll_seconds = match self.poll_seconds.trim() {
            "" => Some(DEFAULT_POLL_SECONDS),
            text => text
                .parse::<i64>()
                .ok()
                .filter(|n| usize::try_from(*n).is_ok_and(|n| (min..=max).contains(&n))),
        };
        if poll_seconds.is_none() {
            fail("poll_seconds", Problem::OutOfRange(min, max));
        }
        match (name, mode, updates, poll_seconds) {
            (Some(name), Some(mode), Some(updates), Some(poll_seconds)) if errors.is_empty() => {
                Ok(CheckedSource {
                    url: url.to_owned(),
                    poll_seconds,
                    label: match label {
                        "" => name.as_str().to_uppercase(),
                        label => label.to_owned(),
                    },
                    name,
                    mode,
                    updates,
                })
            }
            _ => Err(errors),
        }
    }
}

/// The edition an item goes to: among the editions of the source's site
/// (`editions`, the source's own site first), the one whose language is
/// the item's primary language (`ar-EG` is Arabic); the source's own site
/// when the item names no language or one no edition serves.
pub fn edition_for<T: Copy>(language: Option<&str>, editions: &[(T, Lang)]) -> Option<T> {
    let home = editions.first()?.0;
    let Some(primary) = language
        .and_then(|tag| tag.split(['-', '_']).next())
        .map(str::to_ascii_lowercase)
    else {
        return Some(home);
    };
    Some(
        editions
            .iter()
            .find(|(_, lang)| lang.code() == primary)
            .map_or(home, |(edition, _)| *edition),
    )
}

/// A source's version, as the store keeps it (a signed 64-bit number):
/// real versions are large integers but well below that; a larger one is
/// refused rather than wrapped, which would make it compare as older.
/// An item without a version counts as version 0, so a second delivery of
/// it changes nothing.
pub fn stored_version(version: Option<u64>) -> Option<i64> {
    i64::try_from(version.unwrap_or(0)).ok()
}

/// Keywords as the article form's tag field (names separated by commas):
/// a comma inside a keyword would split it, so it becomes a space; blank
/// repeated and overlong keywords are dropped, and at most `max` are kept.
pub fn tags_field(keywords: &[String], max: usize) -> String {
    let mut kept: Vec<String> = Vec::new();
    for keyword in keywords {
        let name = keyword
            .replace([',', '،'], " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let fits = !name.is_empty() && name.chars().count() <= crate::editing::MAX_TAG_CHARS;
        if fits && !kept.iter().any(|k| k.eq_ignore_ascii_case(&name)) {
            kept.push(name);
        }
        if kept.len() == max {
            break;
        }
    }
    kept.join(", ")
}

/// The name to credit from a credit line: agencies write "Source: AFP" or
/// "المصدر: أ ف ب", and the page adds its own "Source:" label.
pub fn credit_name(line: &str) -> &str {
    let line = line.trim();
    for label in ["source", "credit", "المصدر", "مصدر"] {
        let Some(head) = line.get(..label.len()) else {
            continue;
        };
        if head.eq_ignore_ascii_case(label) {
            let rest = line[label.len()..].trim_start();
            if let Some(name) = rest.strip_prefix([':', '-', '–', '—']) {
                let name = name.trim();
                if !name.is_empty() {
                    return name;
                }
            }
        }
    }
    line
}

/// The subject that maps a source's default section: items none of
/// whose subjects is mapped go there (else to the edition's first
/// section).
pub const DEFAULT_SUBJECT: &str = "*";

/// The codes a subject is looked up by in a source's table, most precise
/// first: the code itself; for an IPTC Subject Code (`subj:15054000`),
/// its top level (`subj:15000000`); and for a top level, the Media Topic
/// of the same number (`medtop:15000000`): the seventeen top levels of
/// the two vocabularies correspond, so a table written for Media Topics
/// also places copy from agencies still on Subject Codes.
pub fn subject_candidates(code: &str) -> Vec<String> {
    let mut candidates = vec![code.to_owned()];
    let Some(number) = code.strip_prefix("subj:") else {
        return candidates;
    };
    if number.len() == 8 && number.bytes().all(|b| b.is_ascii_digit()) {
        let top = format!("{}000000", &number[..2]);
        if top != number {
            candidates.push(format!("subj:{top}"));
        }
        if ("01".."18").contains(&&number[..2]) {
            candidates.push(format!("medtop:{top}"));
        }
    }
    candidates
}

/// A wire field cut to what the article form takes (`max` characters), at
/// a word when there is one near the end, with an ellipsis: an overlong
/// summary or dateline is not worth refusing the story for.
pub fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max.saturating_sub(1)).collect();
    let at_word = cut
        .rfind(char::is_whitespace)
        .filter(|at| cut[..*at].chars().count() * 5 >= max * 4)
        .map_or(cut.as_str(), |at| &cut[..at]);
    format!("{}…", at_word.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_goes_to_the_edition_of_its_language_else_to_the_source_site() {
        let editions = [(1, Lang::En), (2, Lang::Ar)];
        assert_eq!(edition_for(Some("ar"), &editions), Some(2));
        assert_eq!(edition_for(Some("ar-EG"), &editions), Some(2));
        assert_eq!(edition_for(Some("EN_gb"), &editions), Some(1));
        assert_eq!(edition_for(Some("de"), &editions), Some(1));
        assert_eq!(edition_for(None, &editions), Some(1));
        let arabic_home = [(2, Lang::Ar), (1, Lang::En)];
        assert_eq!(edition_for(Some("fr"), &arabic_home), Some(2));
        assert_eq!(edition_for::<i32>(Some("en"), &[]), None);
    }

    #[test]
    fn versions_above_the_stores_range_are_refused_and_none_is_zero() {
        assert_eq!(stored_version(Some(1_542_761_538)), Some(1_542_761_538));
        assert_eq!(stored_version(None), Some(0));
        assert_eq!(stored_version(Some(u64::MAX)), None);
    }

    #[test]
    fn source_names_are_folder_safe() {
        assert_eq!(SourceName::parse(" afp ").unwrap().as_str(), "afp");
        assert!(SourceName::parse("reuters-ar").is_ok());
        assert_eq!(SourceName::parse(""), Err(SourceNameError::Empty));
        for bad in ["../etc", "AFP", "a b", "-x", "afp/ar", "وكالة"] {
            assert_eq!(
                SourceName::parse(bad),
                Err(SourceNameError::Invalid),
                "{bad}"
            );
        }
        assert_eq!(
            SourceName::parse(&"a".repeat(41)),
            Err(SourceNameError::TooLong)
        );
    }

    #[test]
    fn subject_codes_fall_back_to_their_top_level_and_its_media_topic() {
        assert_eq!(
            subject_candidates("subj:15054000"),
            ["subj:15054000", "subj:15000000", "medtop:15000000"]
        );
        assert_eq!(
            subject_candidates("subj:11000000"),
            ["subj:11000000", "medtop:11000000"]
        );
        assert_eq!(subject_candidates("medtop:20000349"), ["medtop:20000349"]);
        assert_eq!(subject_candidates("subj:99000000"), ["subj:99000000"]);
        assert_eq!(subject_candidates("subj:abc"), ["subj:abc"]);
    }

    #[test]
    fn a_credit_line_loses_its_label() {
        assert_eq!(credit_name("Source: Example Wire"), "Example Wire");
        assert_eq!(credit_name("SOURCE - AFP"), "AFP");
        assert_eq!(credit_name("المصدر: أ ف ب"), "أ ف ب");
        assert_eq!(credit_name(" AFP "), "AFP");
        assert_eq!(
            credit_name("Sources close to the talks"),
            "Sources close to the talks"
        );
        assert_eq!(credit_name("Source:"), "Source:");
    }

    #[test]
    fn long_fields_are_clipped_at_a_word_within_the_limit() {
        assert_eq!(clip(" short ", 10), "short");
        let clipped = clip("the quick brown fox jumps over", 20);
        assert_eq!(clipped, "the quick brown fox…");
        assert!(clipped.chars().count() <= 20);
        let solid = clip(&"س".repeat(50), 10);
        assert_eq!(solid.chars().count(), 10);
    }

    #[test]
    fn source_settings_are_checked_field_by_field() {
        let input = SourceInput {
            name: "afp".into(),
            label: String::new(),
            mode: "publish".into(),
            updates: "wire".into(),
            ..SourceInput::default()
        };
        let checked = input.check().unwrap();
        assert_eq!(checked.poll_seconds, DEFAULT_POLL_SECONDS);
        assert_eq!(
            (checked.label.as_str(), checked.mode),
            ("AFP", SourceMode::Publish)
        );
        let bad = SourceInput {
            name: "A F P".into(),
            label: "x".repeat(81),
            mode: "sometimes".into(),
            updates: String::new(),
            url: "ftp://wire.example.org/".into(),
            poll_seconds: "0".into(),
        };
        let fields: Vec<_> = bad.check().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["name", "label", "mode", "updates", "url", "poll_seconds"]
        );
        for url in [
            "https://wire.example.org/feed.xml",
            "http://10.0.0.5:8080/out",
        ] {
            assert!(pollable_url(url), "{url}");
        }
        for url in [
            "https://",
            "http:///x",
            "https://a b",
            "file:///etc/passwd",
            "wire.example.org",
        ] {
            assert!(!pollable_url(url), "{url}");
        }
    }

    #[test]
    fn keywords_become_a_tag_field_without_stray_commas_or_repeats() {
        let keywords: Vec<String> = ["Syria", "conflict, war", "syria", " ", "سوريا، حلب"]
            .map(String::from)
            .to_vec();
        assert_eq!(tags_field(&keywords, 10), "Syria, conflict war, سوريا حلب");
        assert_eq!(tags_field(&keywords, 2), "Syria, conflict war");
    }
}
