//! What the targets share: form and query-string decoding as the web
//! crate does it (`form_urlencoded`, lossy UTF-8), and small checks.

#![allow(dead_code)]

/// The pairs of an `application/x-www-form-urlencoded` body or query
/// string, decoded exactly as the web handlers decode them.
pub fn pairs(data: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(data).into_owned().collect()
}

/// The value of `name` as the search and API handlers read it
/// (`SearchParams::get`): the last non-empty value, trimmed.
pub fn last_non_empty<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim())
}

/// The value of `name` as the form handlers read it (the last one sent).
pub fn last<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A text with its whitespace runs made single spaces, trimmed.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
