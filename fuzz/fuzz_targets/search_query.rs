//! The reader's search query (`core::search::SearchQuery::parse`) and the
//! body text the index is given (`core::search::html_to_text`).
//!
//! Checks: the query parser never panics; a refusal is exactly "too long"
//! or "nothing to search"; an accepted query has 1..=MAX_QUERY_PARTS
//! parts, each non-empty and trimmed, words without spaces, none with a
//! quote; and writing the parts back as a query gives the same parts.
//! `html_to_text` never panics, gives whitespace-normalised text, and
//! gives back any text that was HTML-escaped (what a sanitised body
//! holds) unchanged but for whitespace.

#![no_main]

mod common;

use dateline_core::search::{
    MAX_QUERY_CHARS, MAX_QUERY_PARTS, QueryPart, QueryProblem, SearchQuery, html_to_text,
};
use libfuzzer_sys::fuzz_target;

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„')
}

fn write_back(parts: &[QueryPart]) -> String {
    parts
        .iter()
        .map(|p| match p {
            QueryPart::Word(w) => w.clone(),
            QueryPart::Phrase(p) => format!("\"{p}\""),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    let trimmed = raw.trim();
    match SearchQuery::parse(&raw) {
        Err(QueryProblem::TooLong) => assert!(trimmed.chars().count() > MAX_QUERY_CHARS),
        Err(QueryProblem::Empty) => {
            assert!(trimmed.chars().count() <= MAX_QUERY_CHARS);
            assert!(trimmed.chars().all(|c| c.is_whitespace() || is_quote(c)));
        }
        Ok(query) => {
            assert!(trimmed.chars().count() <= MAX_QUERY_CHARS);
            assert!(!query.parts.is_empty() && query.parts.len() <= MAX_QUERY_PARTS);
            for part in &query.parts {
                let (QueryPart::Word(text) | QueryPart::Phrase(text)) = part;
                assert!(!text.is_empty());
                assert_eq!(text.trim(), text);
                assert!(!text.chars().any(is_quote));
                if let QueryPart::Word(word) = part {
                    assert!(!word.chars().any(char::is_whitespace));
                }
            }
            let again = write_back(&query.parts);
            if again.chars().count() <= MAX_QUERY_CHARS {
                assert_eq!(
                    SearchQuery::parse(&again).map(|q| q.parts),
                    Ok(query.parts.clone())
                );
            }
        }
    }

    let text = html_to_text(&raw);
    assert_eq!(common::squeeze(&text), text);
    assert_eq!(html_to_text(&escape(&raw)), common::squeeze(&raw));
});
