//! The WordPress body cleaner (`dateline_ingest::archive::clean_wordpress_body`),
//! which every imported post's `content:encoded` passes before the
//! newsroom's sanitiser.
//!
//! Checks: nothing panics; the same body cleaned twice gives the same
//! result; no HTML comment (a Gutenberg block marker) survives; cleaning
//! and sanitising keeps the sanitiser's promise that sanitising again
//! changes nothing; each note is one line, given once.

#![no_main]

use dateline_core::editing::sanitize_body;
use dateline_ingest::archive::clean_wordpress_body;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(content) = std::str::from_utf8(data) else {
        return;
    };
    let cleaned = clean_wordpress_body(content);
    assert_eq!(cleaned, clean_wordpress_body(content), "not deterministic");
    assert!(!cleaned.html.contains("<!--"), "a comment survived: {:?}", cleaned.html);
    for (n, note) in cleaned.notes.iter().enumerate() {
        assert!(!note.contains('\n'), "a note of two lines: {note:?}");
        assert!(!cleaned.notes[..n].contains(note), "a note twice: {note:?}");
    }
    let body = sanitize_body(&cleaned.html);
    assert_eq!(sanitize_body(&body), body, "sanitising the cleaned body again changed it");
});
