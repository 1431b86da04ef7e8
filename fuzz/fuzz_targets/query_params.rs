//! The query strings of the public site and the API: `page`, `per_page`,
//! `from` / `until`, `sort`, the section, tag and author slugs of search
//! filters, and the comment list's `cpage`, decoded as the handlers decode
//! them (`SearchParams`: the last non-empty value, trimmed) and read by
//! `core::paging`, `core::dates::range_bound`, `core::search::SearchSort`
//! and `core::slug`.
//!
//! Checks: nothing panics on any query string; a page is within
//! `1..=MAX_PAGE` and its offset is not negative; `per_page` is within
//! `1..=max`; a date range bound read as the start is before the same
//! text read as the end; a sort reads back as itself; a slug accepted
//! from a URL is canonical, at most `MAX_SLUG_CHARS` long with no hyphen at
//! either end, and the slug made from any text is accepted as a slug.

#![no_main]

mod common;

use dateline_core::Slug;
use dateline_core::dates::{RangeEnd, range_bound};
use dateline_core::paging::{MAX_PAGE, PageNumber, PerPage};
use dateline_core::search::SearchSort;
use dateline_core::slug::MAX_SLUG_CHARS;
use libfuzzer_sys::fuzz_target;

fn check_slug(slug: &Slug) {
    let text = slug.as_str();
    assert!(
        !text.is_empty() && text.chars().count() <= MAX_SLUG_CHARS,
        "{text:?}"
    );
    assert!(!text.starts_with('-') && !text.ends_with('-') && !text.contains("--"));
    assert_eq!(
        Slug::parse(text).as_ref(),
        Ok(slug),
        "{text:?} is not canonical"
    );
}

fuzz_target!(|data: &[u8]| {
    let pairs = common::pairs(data);
    let get = |name| common::last_non_empty(&pairs, name);

    if let Ok(page) = PageNumber::parse(get("page")) {
        assert!((1..=MAX_PAGE).contains(&page.get()));
        assert!(page.offset(u32::MAX) >= 0);
    }
    for (default, max) in [(20, 100), (0, 0), (500, 50)] {
        if let Ok(per_page) = PerPage::parse(get("per_page"), default, max) {
            assert!((1..=max.max(1)).contains(&per_page.get()));
        }
    }
    for name in ["from", "until"] {
        if let Some(text) = get(name) {
            // A `+` of an offset that was not percent-encoded arrives as
            // a space; the handlers put it back.
            let text = text.replace(' ', "+");
            if let (Some(from), Some(until)) = (
                range_bound(&text, RangeEnd::From),
                range_bound(&text, RangeEnd::Until),
            ) {
                assert!(from < until, "{text:?}");
            }
        }
    }
    if let Some(sort) = get("sort").and_then(SearchSort::parse) {
        assert_eq!(SearchSort::parse(sort.as_str()), Some(sort));
    }
    for name in ["section", "tag", "author"] {
        if let Some(text) = get(name) {
            if let Ok(slug) = Slug::parse(text) {
                assert_eq!(slug.as_str(), text);
                check_slug(&slug);
            }
            if let Ok(slug) = Slug::from_headline(text) {
                check_slug(&slug);
            }
        }
    }
    for (key, value) in &pairs {
        if key == "cpage" {
            // As `CommentsQuery::parse` reads it.
            let page: u32 = value.parse().unwrap_or(1).clamp(1, 10_000);
            assert!((1..=10_000).contains(&page));
        }
    }
});
