//! The comment form's security code, made by Dateline itself: a one-time,
//! expiring code shown as an image, and for readers who cannot read the
//! image a proof-of-work challenge their browser solves (ALTCHA-style:
//! find the number whose SHA-256 with the salt is the challenge).
//!
//! Only hashes are stored; the code itself lives in the image.

use sha2::{Digest, Sha256};

/// Letters and digits that cannot be mistaken for one another.
pub const CODE_ALPHABET: &[u8] = b"ACDEFHJKMNPRTUVWXY34679";
pub const CODE_LENGTH: usize = 5;
/// The proof-of-work number is below this at rest: a browser needs a
/// fraction of a second on average, a spammer pays that for every comment.
pub const POW_MAX: u32 = 60_000;
/// Codes asked for per minute that the resting work is meant for; past
/// it the work doubles with each doubling of the rate.
pub const POW_CALM_RATE: i64 = 60;
/// The most the work grows: sixteen times, a few seconds in a browser.
pub const POW_MOST_FACTOR: u32 = 16;
/// Codes handed out a minute, over every site, past which no more are
/// until the rate falls: each is a row kept half an hour, and a flood of
/// requests for codes must not fill the database.
pub const MAX_CODES_PER_MINUTE: i64 = 20_000;
/// Codes one client address may ask for a minute: a reader needs one per
/// comment, so nobody alone can bring the network to its cap.
pub const MAX_CODES_PER_CLIENT_MINUTE: i64 = 30;
/// How long a code stays valid: enough to write a long comment.
pub const CODE_LIFETIME_MINUTES: i64 = 30;

/// A fresh code with what to store and what to show.
#[derive(Debug, Clone)]
pub struct NewCode {
    /// Identifies the code (sent to the browser in a cookie).
    pub id: String,
    /// The text drawn in the image.
    pub code: String,
    pub code_hash: String,
    pub pow_salt: String,
    pub pow_challenge: String,
    /// The number behind the challenge is below this.
    pub pow_max: u32,
}

/// The proof-of-work bound for a new code when `issued_last_minute` codes
/// were asked for in the minute before: [`POW_MAX`] while calm, doubling
/// with each doubling of the rate past [`POW_CALM_RATE`], so a flood of
/// bots pays more for every comment while a reader waits a moment longer.
pub fn work_for_load(issued_last_minute: i64) -> u32 {
    let mut factor = 1;
    let mut rate = POW_CALM_RATE;
    while issued_last_minute > rate && factor < POW_MOST_FACTOR {
        factor *= 2;
        rate *= 2;
    }
    POW_MAX * factor
}

impl NewCode {
    /// A fresh code whose proof of work is a number below `pow_max`.
    pub fn generate(pow_max: u32) -> Result<NewCode, getrandom::Error> {
        let mut bytes = [0u8; 24 + CODE_LENGTH + 12 + 4];
        getrandom::fill(&mut bytes)?;
        let (id_bytes, rest) = bytes.split_at(24);
        let (code_bytes, rest) = rest.split_at(CODE_LENGTH);
        let (salt_bytes, number_bytes) = rest.split_at(12);
        let id = hex(id_bytes);
        let code: String = code_bytes
            .iter()
            .map(|b| CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()] as char)
            .collect();
        let salt = hex(salt_bytes);
        let number = u32::from_le_bytes([
            number_bytes[0],
            number_bytes[1],
            number_bytes[2],
            number_bytes[3],
        ]) % pow_max.max(1);
        Ok(NewCode {
            pow_max,
            code_hash: code_hash(&id, &code),
            pow_challenge: pow_challenge(&salt, number),
            pow_salt: salt,
            code,
            id,
        })
    }
}

/// The stored hash of a code (bound to its id, so equal codes differ).
pub fn code_hash(id: &str, code: &str) -> String {
    hex(&Sha256::digest(
        format!("{id}:{}", normalize_answer(code)).as_bytes(),
    ))
}

/// What a reader typed, as compared: upper case, no spaces.
pub fn normalize_answer(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

pub fn pow_challenge(salt: &str, number: u32) -> String {
    hex(&Sha256::digest(format!("{salt}{number}").as_bytes()))
}

/// True when `proof` is the number behind the challenge (below `max`).
pub fn verify_pow(salt: &str, challenge: &str, proof: &str, max: u32) -> bool {
    proof
        .trim()
        .parse::<u32>()
        .is_ok_and(|n| n < max && pow_challenge(salt, n) == challenge)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_checked_by_its_hash_whatever_the_case() {
        let code = NewCode::generate(POW_MAX).unwrap();
        assert_eq!(code.code.len(), CODE_LENGTH);
        assert_eq!(
            code_hash(&code.id, &code.code.to_lowercase()),
            code.code_hash
        );
        assert_ne!(code_hash(&code.id, "AAAAA"), code.code_hash);
    }

    #[test]
    fn the_proof_of_work_is_the_hidden_number() {
        let code = NewCode::generate(POW_MAX).unwrap();
        let found = (0..POW_MAX)
            .find(|n| pow_challenge(&code.pow_salt, *n) == code.pow_challenge)
            .unwrap();
        let verify = |proof: &str| verify_pow(&code.pow_salt, &code.pow_challenge, proof, POW_MAX);
        assert!(verify(&found.to_string()));
        assert!(!verify("not a number"));
        assert!(!verify(&((found + 1) % POW_MAX).to_string()));
        // A number past the code's bound is refused even when it matches.
        assert!(!verify_pow(
            &code.pow_salt,
            &code.pow_challenge,
            &found.to_string(),
            found
        ));
    }

    #[test]
    fn the_work_grows_with_the_rate_codes_are_asked_for_and_stops_growing() {
        assert_eq!(work_for_load(0), POW_MAX);
        assert_eq!(work_for_load(POW_CALM_RATE), POW_MAX);
        assert_eq!(work_for_load(POW_CALM_RATE + 1), 2 * POW_MAX);
        assert_eq!(work_for_load(POW_CALM_RATE * 4), 4 * POW_MAX);
        assert_eq!(work_for_load(POW_CALM_RATE * 5), 8 * POW_MAX);
        assert_eq!(work_for_load(i64::MAX), POW_MOST_FACTOR * POW_MAX);
        let code = NewCode::generate(4 * POW_MAX).unwrap();
        assert_eq!(code.pow_max, 4 * POW_MAX);
    }
}
