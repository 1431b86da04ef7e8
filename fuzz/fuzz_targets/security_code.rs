//! The comment form's security code (`core::security_code`): the
//! proof-of-work check and the image-code check.
//!
//! Salts and ids are made as the server makes them (hex of random
//! bytes); the proof, the reader's typed answer and a second challenge
//! are arbitrary.
//!
//! Checks: `verify_pow` never panics on any salt, challenge or proof;
//! it accepts the hidden number (also padded with whitespace) and accepts
//! a proof only when it is that number; it never accepts the number for
//! another salt's challenge, nor a proof of another number. The typed
//! code matches its stored hash whatever its case and spacing, a hash is
//! bound to its id, and `normalize_answer` is idempotent.

#![no_main]

mod common;

use dateline_core::security_code::{
    CODE_ALPHABET, CODE_LENGTH, POW_MAX, code_hash, normalize_answer, pow_challenge, verify_pow,
};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input {
    salt: [u8; 12],
    other_salt: [u8; 12],
    number: u32,
    other_number: u32,
    proof: String,
    challenge: String,
    id: [u8; 24],
    other_id: [u8; 24],
    code: [u8; CODE_LENGTH],
    typed: String,
    spacing: u8,
}

fuzz_target!(|input: Input| {
    let salt = common::hex(&input.salt);
    let n = input.number % POW_MAX;
    let challenge = pow_challenge(&salt, n);

    // Any input at all: no panic.
    let _ = verify_pow(&input.proof, &input.challenge, &input.proof, POW_MAX);
    let _ = verify_pow(&salt, &input.challenge, &input.proof, POW_MAX);

    assert!(verify_pow(&salt, &challenge, &n.to_string(), POW_MAX));
    assert!(verify_pow(&salt, &challenge, &format!(" {n}\n"), POW_MAX));
    if verify_pow(&salt, &challenge, &input.proof, POW_MAX) {
        assert_eq!(
            input.proof.trim().parse::<u32>(),
            Ok(n),
            "{:?}",
            input.proof
        );
    }
    if input.other_salt != input.salt {
        let other = common::hex(&input.other_salt);
        assert!(!verify_pow(&other, &challenge, &n.to_string(), POW_MAX));
        assert!(!verify_pow(
            &salt,
            &pow_challenge(&other, n),
            &n.to_string(), POW_MAX));
    }
    let m = input.other_number % POW_MAX;
    if m != n {
        assert!(!verify_pow(&salt, &challenge, &m.to_string(), POW_MAX));
        assert!(!verify_pow(&salt, &pow_challenge(&salt, m), &n.to_string(), POW_MAX));
    }
    // Past the maximum, even a number whose hash matches is refused.
    let big = POW_MAX.saturating_add(input.number % 1000);
    assert!(!verify_pow(
        &salt,
        &pow_challenge(&salt, big),
        &big.to_string(), POW_MAX));

    let id = common::hex(&input.id);
    let code: String = input
        .code
        .iter()
        .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
        .collect();
    let stored = code_hash(&id, &code);
    // As a reader may type it: lower case, spaces between letters.
    let typed: String = code
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let c = if input.spacing & (1 << i) != 0 {
                c.to_ascii_lowercase()
            } else {
                c
            };
            let gap = if input.spacing & 0x80 != 0 { " " } else { "" };
            [c.to_string(), gap.to_owned()]
        })
        .collect();
    assert_eq!(code_hash(&id, &typed), stored, "{typed:?} for {code:?}");
    if input.other_id != input.id {
        assert_ne!(code_hash(&common::hex(&input.other_id), &code), stored);
    }
    let normal = normalize_answer(&input.typed);
    assert_eq!(normalize_answer(&normal), normal);
    assert!(!normal.chars().any(char::is_whitespace));
    let matches = code_hash(&id, &input.typed) == stored;
    assert_eq!(
        matches,
        normal == code,
        "{:?} against {code:?}",
        input.typed
    );
});
