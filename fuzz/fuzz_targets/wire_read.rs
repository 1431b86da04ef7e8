//! The wire ingest readers (`dateline_ingest::read_file`): whatever bytes
//! a source drops, as NewsML-G2, ninjs, RSS 2.0 or Atom.
//!
//! Checks: nothing panics out of `read_file` (a panic inside feed-rs is
//! the reader's to catch and turn into a refused file; see the hook);
//! the same bytes read twice give the same result (feed ids are stable);
//! a whole file is never refused for what is an item's fault, and an item
//! only ever is (`NoGuid`, `NoHeadline`, `NoBody`, `UnknownStatus`,
//! `UnreadableEmbargo`, `PictureNotPlaced`); every refusal names the file; every item has a
//! guid that is not blank; a usable item has a headline and a body with
//! text; an item has at most `MAX_PICTURES` pictures, each with an href
//! that is not blank.
//!
//! Editor notes stay private: from the same input the target builds a
//! NewsML-G2 item and a ninjs item (fields split at NUL bytes) whose
//! notes hold a character, U+10FFFD, that is nowhere else in either
//! document and that nothing else can write: the target removes it and
//! every `&` from the other fields (so no character reference can make
//! it), and writes the JSON with serde_json (so no `\u` escape can).
//! That character must be in the item's `editor_notes` and in none of its
//! public fields.

#![no_main]

use dateline_ingest::tidy::html_text;
use dateline_ingest::{IngestError, Limits, MAX_PICTURES, Status, WireItem, read_file};
use libfuzzer_sys::fuzz_target;

const FILE: &str = "wire";
const MARK: char = '\u{10FFFD}';

/// The refusals that concern one item, not the file.
fn is_per_item(error: &IngestError) -> bool {
    matches!(
        error,
        IngestError::NoGuid { .. }
            | IngestError::NoHeadline { .. }
            | IngestError::NoBody { .. }
            | IngestError::UnknownStatus { .. }
            | IngestError::UnreadableEmbargo { .. }
            | IngestError::PictureNotPlaced { .. }
    )
}

fn check_item(item: &WireItem) {
    assert!(!item.source_guid.trim().is_empty(), "{item:?}");
    if item.status == Status::Usable {
        assert!(!item.headline.trim().is_empty(), "{item:?}");
        assert!(!html_text(&item.body_html).is_empty(), "{item:?}");
    }
    assert!(item.pictures.len() <= MAX_PICTURES, "{item:?}");
    for picture in &item.pictures {
        assert!(!picture.href.trim().is_empty(), "{item:?}");
    }
}

fn check_refusal(error: &IngestError) {
    let message = error.to_string();
    assert!(message.starts_with("wire: "), "{message}");
}

/// Every field of an item that may reach a page, a feed, the API or
/// search (as they are: `Debug` would escape the mark).
fn public_fields(item: &WireItem) -> Vec<&str> {
    let optional = [
        &item.standfirst,
        &item.byline,
        &item.credit,
        &item.dateline_place,
        &item.slugline,
        &item.language,
    ];
    let pictures = item.pictures.iter().flat_map(|p| {
        [&p.caption, &p.credit, &p.alt, &p.content_type]
            .into_iter()
            .flatten()
            .chain([&p.href])
    });
    [&item.source_guid, &item.headline, &item.body_html]
        .into_iter()
        .chain(optional.into_iter().flatten())
        .chain(&item.keywords)
        .chain(&item.subjects)
        .chain(pictures)
        .map(String::as_str)
        .collect()
}

fn xml_escape(text: &str) -> String {
    text.replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A NewsML-G2 item and a ninjs item whose notes carry `MARK`; the body
/// is markup as the fuzzer wrote it.
fn documents_with_a_note(data: &[u8]) -> [String; 2] {
    let text: String = String::from_utf8_lossy(data)
        .chars()
        .filter(|&c| c != MARK && c != '&')
        .collect();
    let mut fields = text.split('\0');
    let mut next = || fields.next().unwrap_or_default().to_owned();
    let [headline, body, note, byline, summary, slugline] =
        [next(), next(), next(), next(), next(), next()];
    let note = format!("{note}{MARK}");
    let newsml = format!(
        r#"<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:fuzz:1" version="1">
<itemMeta><pubStatus qcode="stat:usable"/><edNote>{}</edNote></itemMeta>
<contentMeta><headline>{}</headline><by>{}</by><description>{}</description><slugline>{}</slugline></contentMeta>
<contentSet><inlineXML><html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html></inlineXML></contentSet>
</newsItem>"#,
        xml_escape(&note),
        xml_escape(&headline),
        xml_escape(&byline),
        xml_escape(&summary),
        xml_escape(&slugline),
    );
    let ninjs = serde_json::json!({
        "uri": "urn:fuzz:2",
        "headline": headline,
        "body_html": body,
        "byline": byline,
        "description_html": summary,
        "slugline": slugline,
        "ednote": note,
    })
    .to_string();
    [newsml, ninjs]
}

fuzz_target!(
    init: {
        // libfuzzer-sys aborts on every panic. `read_file` catches one
        // inside feed-rs (or the quick-xml it drives) and refuses the
        // file, which the checks below see: let those unwind to it. Any
        // other panic still aborts.
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let file = info.location().map(|l| l.file()).unwrap_or_default();
            if !(file.contains("/feed-rs-") || file.contains("/quick-xml-")) {
                abort(info);
            }
        }));
    },
    |data: &[u8]| {
        let limits = Limits::default();
        let read = read_file(FILE, data, &limits);
        assert_eq!(read, read_file(FILE, data, &limits), "read twice");
        match &read {
            Err(error) => {
                assert!(!is_per_item(error), "the file refused for {error:?}");
                check_refusal(error);
            }
            Ok(outcomes) => {
                for outcome in outcomes {
                    match outcome {
                        Ok(item) => check_item(item),
                        Err(error) => {
                            assert!(is_per_item(error), "an item refused for {error:?}");
                            check_refusal(error);
                        }
                    }
                }
            }
        }

        for document in documents_with_a_note(data) {
            let Ok(outcomes) = read_file(FILE, document.as_bytes(), &limits) else {
                continue;
            };
            for item in outcomes.iter().flatten() {
                assert!(
                    item.editor_notes.iter().any(|n| n.contains(MARK)),
                    "the note is lost: {item:?}"
                );
                for field in public_fields(item) {
                    assert!(!field.contains(MARK), "a note in public: {field:?} of {item:?}");
                }
            }
        }
    }
);
