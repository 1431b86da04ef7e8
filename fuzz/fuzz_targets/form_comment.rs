//! The comment form (`POST /comments/{article}`), decoded as the site
//! decodes it (`form_urlencoded`, the last value of a field counts) and
//! handed to the rules of `core::comments`: the field checks, the
//! screening for banned terms and links, and the bans by address.
//!
//! Checks: nothing panics on any body; an accepted comment has trimmed,
//! non-empty fields within their limits and an e-mail address that reads
//! back as itself; a banned term written as a word of the comment is
//! always found; a ban range is stored in a form that reads back as
//! itself and covers its own base address; the range offered for a
//! reader's address is accepted as a ban and covers that reader.

#![no_main]

mod common;

use dateline_core::accounts::Email;
use dateline_core::comments::{
    self, BanKind, CommentInput, MAX_NAME_CHARS, MAX_TITLE_CHARS, ban_range_of, ip_in_range,
};
use libfuzzer_sys::fuzz_target;

/// As `dateline_web::site::comments::parse_form` reads the body.
fn parse_form(pairs: &[(String, String)]) -> CommentInput {
    let mut input = CommentInput::default();
    for (key, value) in pairs {
        let value = value.clone();
        match key.as_str() {
            "name" => input.name = value,
            "email" => input.email = value,
            "title" => input.title = value,
            "body" => input.body = value,
            "agree" => input.agree = value,
            "code" => input.code = value,
            "proof" => input.proof = value,
            "website" => input.website = value,
            _ => {}
        }
    }
    input
}

fuzz_target!(|data: &[u8]| {
    let pairs = common::pairs(data);
    let input = parse_form(&pairs);
    let _ = input.is_bot();
    for max_chars in [20, 2_000] {
        if let Ok(checked) = input.check(max_chars) {
            for (text, max) in [
                (&checked.name, MAX_NAME_CHARS),
                (&checked.title, MAX_TITLE_CHARS),
                (&checked.body, max_chars),
            ] {
                assert!(!text.is_empty() && text.trim() == text.as_str());
                assert!(text.chars().count() <= max);
            }
            assert!(!checked.body.contains('\r'));
            assert!(!input.agree.is_empty());
            assert_eq!(
                Email::parse(checked.email.as_str()).as_ref(),
                Ok(&checked.email)
            );
            let _ = comments::count_links(&checked.body);
        }
    }

    // Banned terms come from the site's settings; here, from the form.
    let terms: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "banned")
        .map(|(_, v)| v.clone())
        .collect();
    let text = format!("{}\n{}\n{}", input.name, input.title, input.body);
    let _ = comments::find_banned(&text, &terms);
    for term in &terms {
        if comments::screening_words(term).is_empty() {
            continue;
        }
        let written = format!("{} {term} {}", input.title, input.body);
        assert!(
            comments::find_banned(&written, std::slice::from_ref(term)).is_some(),
            "{term:?} not found in {written:?}"
        );
    }

    for (key, value) in &pairs {
        match key.as_str() {
            "ban" => {
                if let Some(stored) = BanKind::Ip.normalise(value) {
                    assert_eq!(BanKind::Ip.normalise(&stored).as_ref(), Some(&stored));
                    let base = stored.split_once('/').map_or(stored.as_str(), |(b, _)| b);
                    assert!(ip_in_range(base, &stored), "{stored:?} misses its base");
                }
                if let Some(stored) = BanKind::Email.normalise(value) {
                    assert_eq!(BanKind::Email.normalise(&stored).as_ref(), Some(&stored));
                }
            }
            "ip" => {
                let _ = ip_in_range(value, &input.code);
                if value.trim().parse::<std::net::IpAddr>().is_ok() {
                    let offered = ban_range_of(value);
                    let stored = BanKind::Ip
                        .normalise(&offered)
                        .unwrap_or_else(|| panic!("{offered:?} offered for {value:?} refused"));
                    assert!(ip_in_range(value, &stored), "{stored:?} misses {value:?}");
                }
            }
            _ => {}
        }
    }
});
