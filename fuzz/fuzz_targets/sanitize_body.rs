//! The HTML sanitiser of article bodies (`core::editing::sanitize_body`,
//! ammonia with Dateline's allow-list), which every body passes on every
//! save.
//!
//! Checks: sanitising its own output changes nothing (an article saved
//! again is not rewritten); the output holds only allowed elements and
//! attributes, no `on…` handler, no `style`, and every `href` / `src` is
//! relative or http, https or mailto once read as a browser reads URLs
//! (entities decoded, tabs and newlines removed); links carry
//! `rel="noopener"`.

#![no_main]

use dateline_core::editing::sanitize_body;
use libfuzzer_sys::fuzz_target;

const TAGS: &[&str] = &[
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
];

fn attribute_allowed(tag: &str, name: &str) -> bool {
    matches!(
        (tag, name),
        ("a", "href" | "title" | "rel") | ("img", "src" | "alt" | "width" | "height")
    )
}

/// An attribute value as the serializer writes it, decoded.
fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// A URL's scheme as a browser finds it, if it has one.
fn scheme(url: &str) -> Option<String> {
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (head, _) = url.split_once(':')?;
    let mut chars = head.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| head.to_ascii_lowercase())
}

/// Walks the serializer's output (well formed: quoted attributes, `<`
/// escaped in text) and checks every tag and attribute.
fn check_markup(html: &str) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        rest = &rest[open + 1..];
        let closing = rest.starts_with('/');
        if closing {
            rest = &rest[1..];
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let tag = rest[..name_end].to_owned();
        assert!(TAGS.contains(&tag.as_str()), "element {tag:?} in {html:?}");
        rest = &rest[name_end..];
        let mut has_noopener = false;
        loop {
            rest = rest.trim_start();
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                break;
            }
            if let Some(after) = rest.strip_prefix("/>") {
                rest = after;
                break;
            }
            assert!(!closing, "attributes on a closing tag in {html:?}");
            assert!(!rest.is_empty(), "unclosed tag in {html:?}");
            let name_end = rest
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
                .unwrap_or(rest.len());
            let name = rest[..name_end].to_ascii_lowercase();
            rest = &rest[name_end..];
            let value = if let Some(after) = rest.strip_prefix("=\"") {
                let end = after
                    .find('"')
                    .unwrap_or_else(|| panic!("unquoted value in {html:?}"));
                let value = unescape(&after[..end]);
                rest = &after[end + 1..];
                value
            } else {
                String::new()
            };
            assert!(
                attribute_allowed(&tag, &name),
                "attribute {name:?} on {tag:?} in {html:?}"
            );
            if (name == "href" || name == "src")
                && let Some(scheme) = scheme(&value)
            {
                assert!(
                    matches!(scheme.as_str(), "http" | "https" | "mailto"),
                    "{name}={value:?} in {html:?}"
                );
            }
            if name == "rel" {
                has_noopener = value == "noopener";
            }
        }
        if tag == "a" && !closing {
            assert!(has_noopener, "a link without rel=noopener in {html:?}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let clean = sanitize_body(&html);
    assert_eq!(
        sanitize_body(&clean),
        clean,
        "sanitising twice changed {html:?}"
    );
    check_markup(&clean);
    let lower = clean.to_ascii_lowercase();
    assert!(!lower.contains("<script") && !lower.contains("<style"));
});
