//! What is kept out of logs (`core::redact`): secret query values and a
//! URL's password.
//!
//! Checks: never panics; in the query of the output every parameter whose
//! name says it is secret has the value `[redacted]` and every other
//! parameter is as it was; a URL with a user part keeps no password;
//! redacting twice changes nothing.

#![no_main]

use dateline_core::redact;
use libfuzzer_sys::fuzz_target;

const SECRET_NAMES: [&str; 9] = [
    "token",
    "secret",
    "key",
    "password",
    "pass",
    "signature",
    "sig",
    "code",
    "challenge",
];

fn is_secret(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    SECRET_NAMES
        .iter()
        .any(|s| last == *s || last.ends_with(&format!("_{s}")))
}

fn check_query(input: &str, output: &str) {
    let before: Vec<&str> = input.split('&').collect();
    let after: Vec<&str> = output.split('&').collect();
    assert_eq!(before.len(), after.len(), "{input:?} became {output:?}");
    for (b, a) in before.iter().zip(&after) {
        match b.split_once('=') {
            Some((name, _)) if is_secret(name) => {
                assert_eq!(*a, format!("{name}=[redacted]"));
            }
            _ => assert_eq!(a, b),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let query = redact::query(&text);
    check_query(&text, &query);
    assert_eq!(redact::query(&query), query);

    let url = redact::url(&text);
    assert_eq!(redact::url(&url), url, "not stable for {text:?}");
    let head = text.split_once('?').map_or(&*text, |(h, _)| h);
    if let Some((_, rest)) = text.split_once('?') {
        let q = rest.split_once('#').map_or(rest, |(q, _)| q);
        let out_rest = url.split_once('?').map(|(_, r)| r).unwrap_or_else(|| {
            panic!("the query of {text:?} is gone: {url:?}");
        });
        let out_q = out_rest.split_once('#').map_or(out_rest, |(q, _)| q);
        check_query(q, out_q);
    }
    if let Some((_, after_scheme)) = head.split_once("://") {
        let authority = &after_scheme[..after_scheme.find('/').unwrap_or(after_scheme.len())];
        if let Some((user, _)) = authority.rsplit_once('@')
            && user.contains(':')
        {
            let out_head = url.split_once('?').map_or(url.as_str(), |(h, _)| h);
            let out_user = out_head
                .split_once("://")
                .and_then(|(_, r)| r[..r.find('/').unwrap_or(r.len())].rsplit_once('@'))
                .map(|(u, _)| u)
                .unwrap_or_else(|| panic!("user part of {text:?} lost: {url:?}"));
            assert!(
                out_user.ends_with(":[redacted]"),
                "password kept in {url:?}"
            );
            assert_eq!(out_user.matches(':').count(), 1, "password kept in {url:?}");
        }
    }
});
