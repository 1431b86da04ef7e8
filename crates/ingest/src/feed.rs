//! Partner feeds: RSS 2.0 (<https://www.rssboard.org/rss-specification>)
//! and Atom (RFC 4287), read by feed-rs, one item per entry. feed-rs and
//! its chrono times stay inside this module: what leaves it is a
//! `WireItem` with `time` types.
//!
//! Ids are ours, not feed-rs's: its own hash the link with the title (an
//! edited title would make a new item) and give an entry with neither a
//! random UUID on every read.

use crate::tidy::{self, non_empty};
use crate::{IngestError, Status, WireItem};
use feed_rs::model::{Entry, Feed, FeedType, Link, Person, Text};
use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use time::OffsetDateTime;

/// The Atom namespace (RFC 4287 §2).
pub(crate) const ATOM: &str = "http://www.w3.org/2005/Atom";

/// Reads a document whose root is an `rss` or an Atom `feed` (roxmltree
/// has already refused DTDs and malformed XML).
pub(crate) fn read(
    file: &str,
    text: &str,
) -> Result<Vec<Result<WireItem, IngestError>>, IngestError> {
    let feed = parse(text).map_err(|reason| IngestError::MalformedFeed {
        file: file.to_owned(),
        reason,
    })?;
    let atom = feed.feed_type == FeedType::Atom;
    let credit = feed.title.as_ref().and_then(|t| plain_text(t, atom));
    Ok(feed
        .entries
        .iter()
        .map(|entry| item(file, &feed, atom, credit.as_deref(), entry))
        .collect())
}

/// Parses with our ids ([`link_id`]) and the content as sent (bodies are
/// sanitised by the newsroom), reading the document as the UTF-8 it was
/// checked to be. A panic inside feed-rs refuses the file instead of
/// ending the caller: feed-rs 3.0.0 panics on some input, such as an RSS
/// author whose e-mail address touches a non-ASCII character
/// (`Jane\u{a0}jdoe@example.com`).
fn parse(text: &str) -> Result<Feed, String> {
    let parser = feed_rs::parser::Builder::new()
        .id_generator(link_id)
        .sanitize_content(false)
        .build();
    let text = without_declaration(text);
    match panic::catch_unwind(AssertUnwindSafe(|| parser.parse(text.as_bytes()))) {
        Ok(parsed) => parsed.map_err(|e| e.to_string()),
        Err(panicked) => Err(format!("feed-rs failed on it: {}", panic_text(&*panicked))),
    }
}

fn panic_text(panicked: &(dyn Any + Send)) -> &str {
    panicked
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panicked.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic")
}

/// The document without its XML declaration, whose encoding feed-rs would
/// obey: the file is read as UTF-8 whatever the declaration names, as
/// the other formats are (a file that is not UTF-8 was refused already).
fn without_declaration(text: &str) -> &str {
    text.strip_prefix("<?xml")
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_whitespace()))
        .and_then(|rest| rest.find("?>").map(|end| &rest[end + 2..]))
        .unwrap_or(text)
}

fn item(
    file: &str,
    feed: &Feed,
    atom: bool,
    credit: Option<&str>,
    entry: &Entry,
) -> Result<WireItem, IngestError> {
    let source_guid = non_empty(&entry.id)
        .or_else(|| dated_title_id(entry))
        .ok_or_else(|| IngestError::NoGuid {
            file: file.to_owned(),
        })?;
    // feed-rs gives an RSS item its pubDate as `updated` when it has none.
    let [first_created, version_created] = [entry.published, entry.updated]
        .map(|t| t.and_then(|t| unix_time(t.timestamp(), t.timestamp_subsec_nanos())));
    let (body_html, standfirst) = body(entry, atom);
    let item = WireItem {
        // An edited entry carries a later `updated`: a newer version.
        version: version_created
            .or(first_created)
            .and_then(|t| u64::try_from(t.unix_timestamp()).ok()),
        status: Status::Usable,
        embargoed_until: None,
        first_created,
        version_created,
        language: entry
            .language
            .as_deref()
            .or(feed.language.as_deref())
            .and_then(non_empty),
        headline: entry
            .title
            .as_ref()
            .and_then(|t| plain_text(t, atom))
            .unwrap_or_default(),
        standfirst,
        body_html,
        byline: byline(&entry.authors),
        keywords: tidy::unique(
            entry
                .categories
                .iter()
                .filter_map(|c| non_empty(c.label.as_deref().unwrap_or(&c.term))),
        ),
        subjects: Vec::new(),
        credit: credit.map(str::to_owned),
        dateline_place: None,
        editor_notes: Vec::new(),
        slugline: None,
        pictures: Vec::new(),
        source_guid,
    };
    crate::finish(file, item)
}

/// The id of an entry without a guid (RSS) or id (Atom), which feed-rs
/// asks us for: the hash of its link, never of its title, so an edited
/// title keeps the id. Empty without a link, for [`dated_title_id`] to
/// take over once the entry's date is known.
fn link_id(links: &[Link], _title: &Option<Text>, _base: Option<&str>) -> String {
    links
        .iter()
        .find(|l| l.target.is_none() && l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .and_then(|l| non_empty(&l.href))
        .map(|href| format!("link:{:016x}", fnv1a(href.as_bytes())))
        .unwrap_or_default()
}

/// The last resort, for an entry with neither guid, id nor link: the hash
/// of its publication time and title (one of them may be missing). An
/// edited title then makes a new item, but such a feed has nothing
/// steadier to offer.
fn dated_title_id(entry: &Entry) -> Option<String> {
    let published = entry.published.map(|t| t.timestamp().to_string());
    let title = entry.title.as_ref().and_then(|t| non_empty(&t.content));
    if published.is_none() && title.is_none() {
        return None;
    }
    let key = format!(
        "{}\n{}",
        published.unwrap_or_default(),
        title.unwrap_or_default()
    );
    Some(format!("published-title:{:016x}", fnv1a(key.as_bytes())))
}

/// 64-bit FNV-1a (<http://www.isthe.com/chongo/tech/comp/fnv/>): the same
/// bytes give the same id on every machine and in every run, which std's
/// randomly seeded hasher does not. Not proof against a partner crafting
/// collisions, but ids are per source: a partner can only collide with
/// its own items.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A chrono instant from feed-rs as a `time` one.
fn unix_time(seconds: i64, nanos: u32) -> Option<OffsetDateTime> {
    // chrono counts a leap second as a second billion nanoseconds.
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()?
        .replace_nanosecond(nanos.min(999_999_999))
        .ok()
}

/// The essence of a media type, without parameters, in lower case.
fn essence(content_type: &str) -> String {
    let essence = content_type.split(';').next().unwrap_or_default();
    essence.trim().to_ascii_lowercase()
}

/// A title or summary as plain text. Atom says which it is (RFC 4287
/// §3.1: `type="text"` is plain); RSS titles and descriptions are HTML by
/// custom (`Trump&amp;#8217;s`, sometimes tags).
fn plain_text(text: &Text, atom: bool) -> Option<String> {
    if atom && essence(text.content_type.as_str()) == "text/plain" {
        non_empty(&text.content)
    } else {
        non_empty(&tidy::html_text(&text.content))
    }
}

/// The body and standfirst: the entry's content, with its summary as the
/// standfirst; else the summary as the body, without a standfirst.
fn body(entry: &Entry, atom: bool) -> (String, Option<String>) {
    let content = entry.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?;
        as_html(body, c.content_type.as_str())
    });
    match content {
        Some(html) => (
            html,
            entry.summary.as_ref().and_then(|s| plain_text(s, atom)),
        ),
        None => {
            let summary = entry.summary.as_ref();
            let html = summary.and_then(|s| as_html(&s.content, s.content_type.as_str()));
            (html.unwrap_or_default(), None)
        }
    }
}

/// Text of this media type as HTML: plain text as escaped paragraphs,
/// HTML or XHTML as sent, but for HTML without a tag (an RSS description
/// of text and entities), which becomes paragraphs too. `None` for other
/// types (an image, XML that is not XHTML) and when no text is left.
fn as_html(text: &str, content_type: &str) -> Option<String> {
    let essence = essence(content_type);
    let html = if essence == "text/plain" {
        tidy::text_paragraphs(text)
    } else if !essence.contains("html") {
        return None;
    } else if text.contains('<') {
        text.trim().to_owned()
    } else {
        tidy::text_paragraphs(&tidy::decode_entities(text))
    };
    (!tidy::html_text(&html).is_empty()).then_some(html)
}

/// The authors' names, never their e-mail addresses; an RSS author
/// written `jdoe@example.com (Jane Doe)` is "Jane Doe".
fn byline(authors: &[Person]) -> Option<String> {
    let names = tidy::unique(
        authors
            .iter()
            .filter_map(|p| p.name.as_deref())
            .filter_map(|n| non_empty(n.trim().trim_start_matches('(').trim_end_matches(')'))),
    );
    tidy::byline(&names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_gives_the_published_test_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn only_a_leading_xml_declaration_is_dropped() {
        assert_eq!(
            without_declaration("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss/>"),
            "\n<rss/>"
        );
        let styled = "<?xml-stylesheet href=\"a.xsl\"?><rss/>";
        assert_eq!(without_declaration(styled), styled);
    }

    /// Why roxmltree refuses DTDs before feed-rs sees a feed, although
    /// feed-rs alone expands nothing: it ignores the DTD and leaves the
    /// references as written, so nothing would warn of a hostile file.
    #[test]
    fn feed_rs_alone_neither_expands_nor_reads_declared_entities() {
        let rss = r#"<!DOCTYPE rss [ <!ENTITY a "aaaaaaaaaa"> <!ENTITY b "&a;&a;&a;&a;"> <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
            <rss version="2.0"><channel><item><title>&b; &secret;</title></item></channel></rss>"#;
        let feed = parse(rss).unwrap_or_else(|e| panic!("{e}"));
        let title = feed.entries.first().and_then(|e| e.title.as_ref());
        assert_eq!(title.map(|t| t.content.as_str()), Some("&b; &secret;"));
    }

    #[test]
    fn a_panic_inside_feed_rs_is_a_refusal() {
        let rss = "<rss version=\"2.0\"><channel><item><title>T</title>\
                   <author>Jane\u{a0}jdoe@example.com</author></item></channel></rss>";
        let reason = parse(rss).map(|_| ()).unwrap_err();
        assert!(reason.starts_with("feed-rs failed on it: "), "{reason}");
    }
}
