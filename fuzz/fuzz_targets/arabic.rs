//! Arabic normalisation and stemming (`core::arabic`), shared by slugs,
//! search and comment screening.
//!
//! Checks: nothing panics; `strip_marks` leaves no tashkeel or tatweel and
//! is idempotent; `normalize_for_matching` is idempotent and does not
//! care whether marks were stripped first (except the combining hamza,
//! which it reads as the seat's hamza); `light_stem` gives a part of its
//! word that keeps at least two letters of a longer word; a word with a
//! stem is not a stop word, its key is not empty, and a stem by light
//! stemming alone of a word without hamza is `light_stem`'s.

#![no_main]

use dateline_core::arabic::{
    StemRule, TATWEEL, is_stop_word, is_tashkeel, light_stem, normalize_for_matching, stem,
    strip_marks,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    let stripped = strip_marks(&text);
    assert!(!stripped.chars().any(|c| is_tashkeel(c) || c == TATWEEL));
    assert_eq!(strip_marks(&stripped), stripped);

    let normal = normalize_for_matching(&text);
    assert_eq!(normalize_for_matching(&normal), normal, "{text:?}");
    if !text.contains(['\u{0654}', '\u{0655}']) {
        assert_eq!(normalize_for_matching(&stripped), normal);
    }
    assert!(!normal.chars().any(|c| is_tashkeel(c) || c == TATWEEL));

    for word in normal.split_whitespace() {
        let light = light_stem(word);
        assert!(word.contains(light), "{light:?} is not part of {word:?}");
        assert!(light.chars().count() >= word.chars().count().min(2));
        if let Some(found) = stem(word) {
            assert!(!is_stop_word(word));
            assert!(!found.key.is_empty());
            if found.rule == StemRule::Light && !word.contains('ء') {
                assert_eq!(found.key, light);
            }
        }
    }
});
