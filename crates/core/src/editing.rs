//! What an editor types into the article form, checked and cleaned into
//! the fields an article stores; revision snapshots and their differences.
//!
//! Bodies are stored as sanitised HTML (see `docs/editor.md`): newsrooms
//! paste rich text, the public page and the feeds need HTML, and one
//! allow-list applied on every write is easier to trust than a converter.

use crate::accounts::UserId;
use crate::dates::SiteTimeZone;
use crate::{ArticleId, AuthorId, SectionId, Slug};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;
use time::OffsetDateTime;

/// A media file (an uploaded or generated image).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MediaId(pub i64);

pub const MAX_HEADLINE_CHARS: usize = 300;
pub const MAX_SEO_TITLE_CHARS: usize = 200;
pub const MAX_STANDFIRST_CHARS: usize = 1_000;
pub const MAX_BODY_BYTES: usize = 512 * 1024;
pub const MAX_SHORT_FIELD_CHARS: usize = 300;
pub const MAX_TAGS: usize = 30;
pub const MAX_TAG_CHARS: usize = 80;

/// The article form exactly as typed: every value is kept as text, so a
/// form with a mistake comes back with everything the user wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ArticleInput {
    pub headline: String,
    pub seo_title: String,
    pub slug: String,
    pub standfirst: String,
    pub body_html: String,
    pub section: String,
    /// Tag names separated by commas (Latin or Arabic).
    pub tags: String,
    pub authors: Vec<String>,
    pub dateline_place: String,
    pub source_credit: String,
    pub lead_media: String,
    pub lead_caption: String,
    pub lead_credit: String,
    pub lead_alt: String,
    /// Id of the article in another edition that this one translates.
    pub translation_of: String,
    /// Local date and time (`2026-12-01T09:30`) in the site's time zone.
    pub publish_at: String,
    pub minor: bool,
    /// `pre`, `post` or `closed`; empty follows the section and site.
    pub comment_mode: String,
}

/// A field and what is wrong with it; `message_id` names translated text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Required,
    TooLong(usize),
    InvalidSlug,
    UnknownChoice,
    TooManyTags,
    InvalidTime,
    UnknownTimeZone,
    InvalidPattern,
    InvalidUrl,
    /// Another item of the site already has this slug or address.
    Taken,
    /// A section or author still has articles.
    InUse,
    InvalidEmail,
    /// A box that must be ticked (the terms of use).
    MustAgree,
    /// The security code was wrong, used or expired.
    WrongCode,
    /// A number outside `[min, max]`.
    OutOfRange(usize, usize),
}

impl FieldError {
    /// The problem in English, for programs and operators (the content
    /// API, the command line); forms show translated text instead.
    pub fn english(&self) -> String {
        let field = self.field;
        match self.problem {
            Problem::Required => "required".into(),
            Problem::TooLong(n) if field == "body_html" => format!("too long: at most {n} bytes"),
            Problem::TooLong(n) => format!("too long: at most {n} characters"),
            Problem::InvalidSlug => "use lower-case letters, digits and single hyphens".into(),
            Problem::UnknownChoice => match field {
                "section" => "no such section on this site".into(),
                "authors" => "no such author on this site".into(),
                "lead_media" => "no such image on this site".into(),
                "translation_of" => "not an article of another edition of this site".into(),
                _ => "not one of the allowed values".into(),
            },
            Problem::TooManyTags => format!("too many tags: at most {}", MAX_TAGS),
            Problem::InvalidTime => "an RFC 3339 date-time such as 2026-12-01T09:30:00Z".into(),
            // Problems of other forms (settings, names, comments), for
            // completeness: the article check does not give them.
            Problem::UnknownTimeZone => "an IANA time zone such as Asia/Beirut".into(),
            Problem::InvalidPattern => "an unknown placeholder in the date pattern".into(),
            Problem::InvalidUrl => "an absolute https:// address".into(),
            Problem::Taken => "already used on this site".into(),
            Problem::InUse => "still used by articles".into(),
            Problem::InvalidEmail => "an e-mail address such as name@example.com".into(),
            Problem::MustAgree => "must be accepted".into(),
            Problem::WrongCode => "wrong or expired security code".into(),
            Problem::OutOfRange(min, max) => format!("a whole number from {min} to {max}"),
        }
    }
}

impl Problem {
    pub fn message_id(self) -> &'static str {
        match self {
            Problem::Required => "field-required",
            Problem::TooLong(_) => "field-too-long",
            Problem::InvalidSlug => "field-invalid-slug",
            Problem::UnknownChoice => "field-unknown-choice",
            Problem::TooManyTags => "field-too-many-tags",
            Problem::InvalidTime => "field-invalid-time",
            Problem::UnknownTimeZone => "field-unknown-time-zone",
            Problem::InvalidPattern => "field-invalid-pattern",
            Problem::InvalidUrl => "field-invalid-url",
            Problem::Taken => "field-taken",
            Problem::InUse => "field-in-use",
            Problem::InvalidEmail => "field-invalid-email",
            Problem::MustAgree => "field-must-agree",
            Problem::WrongCode => "field-wrong-code",
            Problem::OutOfRange(..) => "field-out-of-range",
        }
    }

    /// The limit a `TooLong` message names.
    pub fn limit(self) -> Option<usize> {
        match self {
            Problem::TooLong(n) => Some(n),
            Problem::TooManyTags => Some(MAX_TAGS),
            Problem::OutOfRange(_, max) => Some(max),
            _ => None,
        }
    }
}

/// What the site offers to choose from; a form may only pick these.
pub struct Choices<'a> {
    pub sections: &'a [SectionId],
    pub authors: &'a [AuthorId],
    pub media: &'a [MediaId],
    pub time_zone: &'a SiteTimeZone,
}

/// The checked content of an article, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleContent {
    pub headline: String,
    pub seo_title: String,
    pub slug: Slug,
    pub standfirst: String,
    /// Sanitised by [`sanitize_body`].
    pub body_html: String,
    pub section: SectionId,
    pub tags: Vec<String>,
    pub authors: Vec<AuthorId>,
    pub dateline_place: String,
    pub source_credit: String,
    pub lead_media: Option<MediaId>,
    pub lead_caption: String,
    pub lead_credit: String,
    pub lead_alt: String,
    /// Overrides the section's and site's comment mode.
    #[serde(default)]
    pub comment_mode: Option<crate::comments::CommentMode>,
}

/// A checked form: the content, and the workflow details that came with it.
#[derive(Debug, Clone)]
pub struct CheckedArticle {
    pub content: ArticleContent,
    pub translation_of: Option<ArticleId>,
    pub publish_at: Option<OffsetDateTime>,
    pub minor: bool,
}

impl ArticleInput {
    /// Checks every field and reports every problem at once.
    pub fn check(&self, choices: &Choices<'_>) -> Result<CheckedArticle, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |field: &'static str, value: &str, max: usize, required: bool| {
            let value = value.trim();
            if required && value.is_empty() {
                errors.push(FieldError {
                    field,
                    problem: Problem::Required,
                });
            } else if value.chars().count() > max {
                errors.push(FieldError {
                    field,
                    problem: Problem::TooLong(max),
                });
            }
            value.to_owned()
        };
        let headline = text("headline", &self.headline, MAX_HEADLINE_CHARS, true);
        let seo_title = text("seo_title", &self.seo_title, MAX_SEO_TITLE_CHARS, false);
        let standfirst = text("standfirst", &self.standfirst, MAX_STANDFIRST_CHARS, false);
        let dateline_place = text(
            "dateline_place",
            &self.dateline_place,
            MAX_SHORT_FIELD_CHARS,
            false,
        );
        let source_credit = text(
            "source_credit",
            &self.source_credit,
            MAX_SHORT_FIELD_CHARS,
            false,
        );
        let lead_caption = text("lead_caption", &self.lead_caption, 1_000, false);
        let lead_credit = text(
            "lead_credit",
            &self.lead_credit,
            MAX_SHORT_FIELD_CHARS,
            false,
        );
        let lead_alt = text("lead_alt", &self.lead_alt, MAX_SHORT_FIELD_CHARS, false);

        let mut fail = |field, problem| errors.push(FieldError { field, problem });
        if self.body_html.len() > MAX_BODY_BYTES {
            fail("body_html", Problem::TooLong(MAX_BODY_BYTES));
        }
        let slug_text = self.slug.trim();
        let slug = if slug_text.is_empty() {
            Slug::from_headline(&headline).ok()
        } else {
            let parsed = Slug::parse(slug_text).ok();
            if parsed.is_none() {
                fail("slug", Problem::InvalidSlug);
            }
            parsed
        };
        let section = parse_choice(&self.section, choices.sections, SectionId);
        if section.is_none() {
            fail("section", Problem::UnknownChoice);
        }
        let tags = split_tags(&self.tags);
        if tags.len() > MAX_TAGS {
            fail("tags", Problem::TooManyTags);
        } else if tags.iter().any(|t| t.chars().count() > MAX_TAG_CHARS) {
            fail("tags", Problem::TooLong(MAX_TAG_CHARS));
        }
        let mut authors = Vec::new();
        for text in &self.authors {
            match parse_choice(text, choices.authors, AuthorId) {
                Some(id) if !authors.contains(&id) => authors.push(id),
                Some(_) => {}
                None => fail("authors", Problem::UnknownChoice),
            }
        }
        let lead_media = if self.lead_media.trim().is_empty() {
            None
        } else {
            let found = parse_choice(&self.lead_media, choices.media, MediaId);
            if found.is_none() {
                fail("lead_media", Problem::UnknownChoice);
            }
            found
        };
        let translation_of = match self.translation_of.trim() {
            "" => None,
            t => match t.trim_start_matches('#').parse::<i64>() {
                Ok(id) if id > 0 => Some(ArticleId(id)),
                _ => {
                    fail("translation_of", Problem::UnknownChoice);
                    None
                }
            },
        };
        let comment_mode = match self.comment_mode.trim() {
            "" => None,
            text => {
                let mode = crate::comments::CommentMode::parse(text);
                if mode.is_none() {
                    fail("comment_mode", Problem::UnknownChoice);
                }
                mode
            }
        };
        let publish_at = match self.publish_at.trim() {
            "" => None,
            t => {
                let at = choices.time_zone.parse_local_input(t);
                if at.is_none() {
                    fail("publish_at", Problem::InvalidTime);
                }
                at
            }
        };
        match (section, slug) {
            (Some(section), Some(slug)) if errors.is_empty() => Ok(CheckedArticle {
                content: ArticleContent {
                    headline,
                    seo_title,
                    slug,
                    standfirst,
                    body_html: sanitize_body(&self.body_html),
                    section,
                    tags,
                    authors,
                    dateline_place,
                    source_credit,
                    lead_media,
                    lead_caption,
                    lead_credit,
                    lead_alt,
                    comment_mode,
                },
                translation_of,
                publish_at,
                minor: self.minor,
            }),
            _ => Err(errors),
        }
    }
}

impl ArticleContent {
    /// The form showing this content, for the editor.
    pub fn to_input(&self) -> ArticleInput {
        ArticleInput {
            headline: self.headline.clone(),
            seo_title: self.seo_title.clone(),
            slug: self.slug.to_string(),
            standfirst: self.standfirst.clone(),
            body_html: self.body_html.clone(),
            section: self.section.to_string(),
            tags: self.tags.join(", "),
            authors: self.authors.iter().map(ToString::to_string).collect(),
            dateline_place: self.dateline_place.clone(),
            source_credit: self.source_credit.clone(),
            lead_media: self.lead_media.map(|m| m.0.to_string()).unwrap_or_default(),
            lead_caption: self.lead_caption.clone(),
            lead_credit: self.lead_credit.clone(),
            lead_alt: self.lead_alt.clone(),
            translation_of: String::new(),
            publish_at: String::new(),
            minor: false,
            comment_mode: self
                .comment_mode
                .map(|m| m.as_str().to_owned())
                .unwrap_or_default(),
        }
    }
}

fn parse_choice<T: Copy + PartialEq>(text: &str, allowed: &[T], make: fn(i64) -> T) -> Option<T> {
    let id = make(text.trim().parse::<i64>().ok()?);
    allowed.contains(&id).then_some(id)
}

/// Tag names from a comma-separated list (`,` or the Arabic `،`), trimmed,
/// without empties or repeats.
pub fn split_tags(text: &str) -> Vec<String> {
    let mut seen = HashSet::new();
    text.split([',', '،', '\n'])
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty() && Slug::from_headline(t).is_ok())
        .filter(|t| seen.insert(t.to_lowercase()))
        .collect()
}

static BODY_POLICY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut policy = ammonia::Builder::empty();
    policy
        .add_tags([
            "p",
            "h2",
            "h3",
            "h4",
            "blockquote",
            "ul",
            "ol",
            "li",
            "a",
            "strong",
            "b",
            "em",
            "i",
            "br",
            "hr",
            "figure",
            "figcaption",
            "img",
            "cite",
        ])
        // `Builder::empty` empties only the tags: without these two the
        // defaults would still let `lang` and `title` onto every element
        // and `hreflang`, `align`, `start`, `cite`… onto some (found by
        // fuzzing, `docs/fuzzing.md`).
        .generic_attributes(HashSet::new())
        .tag_attributes(HashMap::from([
            ("a", HashSet::from(["href", "title"])),
            ("img", HashSet::from(["src", "alt", "width", "height"])),
        ]))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener"));
    policy
});

/// Most cleaning passes of one body (see [`sanitize_body`]).
const SANITIZE_PASSES: usize = 4;

/// Keeps only the markup an article body may hold: paragraphs,
/// subheadings, quotes, lists, links, emphasis and figures. Scripts,
/// styles, event handlers and `javascript:` links are removed. The result
/// sanitises to itself, so saving an article again leaves its body as it
/// was.
pub fn sanitize_body(html: &str) -> String {
    // One pass can write markup that parses into another tree: the
    // children of a removed element stay where the parser put them (an
    // `<h4>` inside an `<h2>` once the unknown element between them is
    // gone), and parsing that again closes the `<h2>` first. Cleaning
    // until nothing changes gives the tree that browsers, and the next
    // save, read back. Found by fuzzing (`docs/fuzzing.md`).
    let mut clean = clean_once(html);
    for _ in 1..SANITIZE_PASSES {
        let again = clean_once(&clean);
        if again == clean {
            break;
        }
        clean = again;
    }
    clean
}

fn clean_once(html: &str) -> String {
    BODY_POLICY.clean(html).to_string().trim().to_owned()
}

/// One saved state of an article, as revisions keep it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Revision {
    pub number: i64,
    pub author: Option<UserId>,
    pub author_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub saved_at: OffsetDateTime,
    pub content: ArticleContent,
}

/// A line of a difference between two revisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffLine {
    /// `same`, `added` or `removed`.
    pub change: &'static str,
    pub text: String,
}

/// The changes to one field between two revisions.
#[derive(Debug, Clone, Serialize)]
pub struct FieldDiff {
    pub field: &'static str,
    pub lines: Vec<DiffLine>,
}

/// Fields that differ between two revisions, line by line. Bodies are
/// split at block ends so a changed paragraph shows as one line.
pub fn diff(old: &ArticleContent, new: &ArticleContent) -> Vec<FieldDiff> {
    let fields: [(&'static str, String, String); 12] = [
        ("headline", old.headline.clone(), new.headline.clone()),
        ("seo_title", old.seo_title.clone(), new.seo_title.clone()),
        ("slug", old.slug.to_string(), new.slug.to_string()),
        ("standfirst", old.standfirst.clone(), new.standfirst.clone()),
        (
            "body_html",
            body_lines(&old.body_html),
            body_lines(&new.body_html),
        ),
        ("section", old.section.to_string(), new.section.to_string()),
        ("tags", old.tags.join("\n"), new.tags.join("\n")),
        ("authors", join_ids(&old.authors), join_ids(&new.authors)),
        (
            "dateline_place",
            old.dateline_place.clone(),
            new.dateline_place.clone(),
        ),
        (
            "source_credit",
            old.source_credit.clone(),
            new.source_credit.clone(),
        ),
        (
            "lead_caption",
            old.lead_caption.clone(),
            new.lead_caption.clone(),
        ),
        ("lead_alt", old.lead_alt.clone(), new.lead_alt.clone()),
    ];
    fields
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, a, b)| FieldDiff {
            field,
            lines: line_diff(&a, &b),
        })
        .collect()
}

fn join_ids(ids: &[AuthorId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

fn body_lines(html: &str) -> String {
    let mut out = html.to_owned();
    for end in [
        "</p>",
        "</h2>",
        "</h3>",
        "</h4>",
        "</blockquote>",
        "</li>",
        "</figure>",
    ] {
        out = out.replace(end, &format!("{end}\n"));
    }
    out.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let old = format!("{old}\n");
    let new = format!("{new}\n");
    similar::TextDiff::from_lines(&old, &new)
        .iter_all_changes()
        .map(|change| DiffLine {
            change: match change.tag() {
                similar::ChangeTag::Equal => "same",
                similar::ChangeTag::Insert => "added",
                similar::ChangeTag::Delete => "removed",
            },
            text: change.value().trim_end_matches('\n').to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone() -> SiteTimeZone {
        SiteTimeZone::parse("Asia/Beirut").unwrap()
    }

    fn form() -> ArticleInput {
        ArticleInput {
            headline: "  Port of Beirut reopens its grain silos ".into(),
            body_html: "<p>First.</p><script>alert(1)</script>".into(),
            section: "3".into(),
            tags: "Lebanon, Trade ، ports, lebanon".into(),
            authors: vec!["7".into(), "7".into()],
            ..ArticleInput::default()
        }
    }

    #[test]
    fn a_good_form_becomes_clean_content() {
        let tz = zone();
        let choices = Choices {
            sections: &[SectionId(3)],
            authors: &[AuthorId(7)],
            media: &[],
            time_zone: &tz,
        };
        let checked = form().check(&choices).unwrap();
        let c = &checked.content;
        assert_eq!(c.headline, "Port of Beirut reopens its grain silos");
        assert_eq!(c.slug.as_str(), "port-of-beirut-reopens-its-grain-silos");
        assert_eq!(c.body_html, "<p>First.</p>");
        assert_eq!(c.tags, vec!["Lebanon", "Trade", "ports"]);
        assert_eq!(c.authors, vec![AuthorId(7)]);
    }

    #[test]
    fn every_problem_is_reported_at_its_field() {
        let tz = zone();
        let choices = Choices {
            sections: &[SectionId(3)],
            authors: &[],
            media: &[],
            time_zone: &tz,
        };
        let bad = ArticleInput {
            headline: " ".into(),
            slug: "Not A Slug".into(),
            section: "99".into(),
            authors: vec!["7".into()],
            publish_at: "tomorrow".into(),
            seo_title: "x".repeat(MAX_SEO_TITLE_CHARS + 1),
            ..form()
        };
        let errors = bad.check(&choices).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field, e.problem)).collect();
        assert_eq!(
            fields,
            vec![
                ("headline", Problem::Required),
                ("seo_title", Problem::TooLong(MAX_SEO_TITLE_CHARS)),
                ("slug", Problem::InvalidSlug),
                ("section", Problem::UnknownChoice),
                ("authors", Problem::UnknownChoice),
                ("publish_at", Problem::InvalidTime),
            ]
        );
    }

    #[test]
    fn bodies_keep_news_markup_and_lose_everything_dangerous() {
        let dirty = r#"<h2 style="color:red">Toll rises</h2><p onclick="x()">Said <a href="javascript:alert(1)">this</a> and <a href="https://example.org/r">that</a>.</p><blockquote><p>Quote</p></blockquote><iframe src="https://evil.test"></iframe><img src="/media/a.jpg" onerror="x()" alt="A">"#;
        let clean = sanitize_body(dirty);
        assert_eq!(
            clean,
            r#"<h2>Toll rises</h2><p>Said <a rel="noopener">this</a> and <a href="https://example.org/r" rel="noopener">that</a>.</p><blockquote><p>Quote</p></blockquote><img src="/media/a.jpg" alt="A">"#
        );
    }

    #[test]
    fn only_the_listed_attributes_are_kept() {
        // Found by fuzzing: ammonia's defaults kept `title` on images,
        // `lang` everywhere, `align` on images and rules, `start` on
        // lists and `cite` on quotes.
        let dirty = r#"<p lang="fr" title="t">a</p><img src="/a.jpg" title="t" align="left" alt="A"><hr align="left" size="3" width="50"><ol start="4"><li lang="en">b</li></ol><blockquote cite="https://example.org/"><p>q</p></blockquote><a href="/x" hreflang="en" title="T" lang="en">c</a>"#;
        assert_eq!(
            sanitize_body(dirty),
            r#"<p>a</p><img src="/a.jpg" alt="A"><hr><ol><li>b</li></ol><blockquote><p>q</p></blockquote><a href="/x" title="T" rel="noopener">c</a>"#
        );
    }

    #[test]
    fn a_sanitised_body_sanitises_to_itself() {
        // Found by fuzzing: with the unknown element `head<` removed, the
        // `<h4>` it held was written inside the `<h2>`, which the next
        // parse closes before the `<h4>`.
        let dirty = "<h2>Sub<head</h3><h4>ing</h4><hr><br>i><stro<i>i2>i</><s\u{fffd}g>s</strong>";
        let clean = sanitize_body(dirty);
        assert_eq!(clean, "<h2>Sub</h2><h4>ing</h4><hr><br>i&gt;i2&gt;is");
        assert_eq!(sanitize_body(&clean), clean);
    }

    #[test]
    fn local_schedule_times_are_read_in_the_site_zone() {
        let tz = zone();
        // Beirut is UTC+2 in winter.
        let at = tz.parse_local_input("2026-12-01T09:30").unwrap();
        assert_eq!(at, time::macros::datetime!(2026-12-01 07:30 UTC));
        assert_eq!(tz.local_input(at), "2026-12-01T09:30");
        assert_eq!(tz.parse_local_input("2026-13-01T09:30"), None);
    }

    #[test]
    fn diffs_show_changed_fields_and_paragraphs() {
        let tz = zone();
        let choices = Choices {
            sections: &[SectionId(3)],
            authors: &[AuthorId(7)],
            media: &[],
            time_zone: &tz,
        };
        let old = form().check(&choices).unwrap().content;
        let mut new = old.clone();
        new.body_html = "<p>First.</p><p>Second.</p>".into();
        let diffs = diff(&old, &new);
        assert_eq!(diffs.len(), 1);
        assert_eq!(diffs[0].field, "body_html");
        assert_eq!(
            diffs[0].lines,
            vec![
                DiffLine {
                    change: "same",
                    text: "<p>First.</p>".into()
                },
                DiffLine {
                    change: "added",
                    text: "<p>Second.</p>".into()
                },
            ]
        );
    }
}
