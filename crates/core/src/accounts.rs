//! Newsroom accounts: e-mail addresses, passwords and roles per site.

use crate::SiteId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A user of the newsroom, unique across the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

/// What a user may do on one site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including settings and users.
    Admin,
    /// Edits and publishes any article of the site.
    Editor,
    /// Writes own drafts and submits them for review.
    Reporter,
    /// Moderates reader comments only.
    Moderator,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Editor, Role::Reporter, Role::Moderator];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Reporter => "reporter",
            Role::Moderator => "moderator",
        }
    }

    pub fn parse(text: &str) -> Result<Role, AccountError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| AccountError::UnknownRole(text.to_owned()))
    }
}

/// A user as the newsroom shows them.
#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub name: String,
}

/// A role on a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Membership {
    pub site: SiteId,
    pub role: Role,
}

/// Why account input was refused; each message names what to fix.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AccountError {
    #[error("enter an e-mail address such as name@example.com")]
    InvalidEmail,
    #[error("a password needs at least {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    #[error("a password may have at most {MAX_PASSWORD_CHARS} characters")]
    PasswordTooLong,
    #[error("a name is required")]
    NameRequired,
    #[error("unknown role {0:?}: use admin, editor, reporter or moderator")]
    UnknownRole(String),
    #[error("a token needs a name, such as the program that will use it")]
    TokenNameRequired,
    #[error("a token name may have at most {MAX_TOKEN_NAME_CHARS} characters")]
    TokenNameTooLong,
}

/// An e-mail address, trimmed and lower-cased so each person has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, AccountError> {
        let text = text.trim().to_lowercase();
        let (local, domain) = text.split_once('@').ok_or(AccountError::InvalidEmail)?;
        let valid = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && text.len() <= 254
            && !text.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ',' | ';')
            });
        if valid {
            Ok(Email(text))
        } else {
            Err(AccountError::InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// A new password that meets the length rules (NIST SP 800-63B: length,
/// not composition rules).
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(text: &str) -> Result<NewPassword, AccountError> {
        let chars = text.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            Err(AccountError::PasswordTooShort)
        } else if chars > MAX_PASSWORD_CHARS {
            Err(AccountError::PasswordTooLong)
        } else {
            Ok(NewPassword(text.to_owned()))
        }
    }

    /// An Argon2id hash in PHC string form. Slow on purpose (tens of
    /// milliseconds): call it off the async threads.
    pub fn hash(&self) -> String {
        password_auth::generate_hash(&self.0)
    }
}

/// A new password for an account made by someone else: 20 characters from
/// an alphabet without look-alikes (about 110 bits).
pub fn random_password() -> Result<String, getrandom::Error> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes)?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

/// 256 random bits as base64url without padding (43 characters): session
/// tokens, API tokens after their prefix, confirmation links.
pub fn random_token() -> Result<String, getrandom::Error> {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

/// What the database keeps of a token: its SHA-256, in hex, so a leaked
/// database does not leak live tokens.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub const MAX_TOKEN_NAME_CHARS: usize = 100;

/// The name of an API token (`wire importer`), unique among a user's
/// tokens that are not revoked, so a token can be revoked by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenName(String);

impl TokenName {
    /// Trims the name, folds inner white space to single spaces and drops
    /// control characters (the name is printed on terminals).
    pub fn parse(text: &str) -> Result<TokenName, AccountError> {
        let visible: String = text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let name = visible.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            Err(AccountError::TokenNameRequired)
        } else if name.chars().count() > MAX_TOKEN_NAME_CHARS {
            Err(AccountError::TokenNameTooLong)
        } else {
            Ok(TokenName(name))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TokenName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a password against a stored hash; also slow on purpose.
pub fn verify_password(password: &str, hash: &str) -> bool {
    password.chars().count() <= MAX_PASSWORD_CHARS
        && password_auth::verify_password(password, hash).is_ok()
}

/// Recent login attempts that share a key with a new one: the same
/// account from the same client, the same client, the same account, or
/// the same known browser.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttemptHistory {
    pub count: i64,
    pub newest: Option<time::OffsetDateTime>,
}

/// Backing off instead of locking out: the first `free` attempts go at
/// once; after them each must wait twice as long after the one before
/// (1 s, 2 s, 4 s …), up to `longest`. Nobody is ever shut out for good,
/// and guessing slows to a crawl.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub free: i64,
    pub longest: time::Duration,
}

impl Backoff {
    /// How long an attempt with this history must still wait.
    pub fn wait(&self, history: AttemptHistory, now: time::OffsetDateTime) -> time::Duration {
        let Some(newest) = history.newest.filter(|_| history.count >= self.free) else {
            return time::Duration::ZERO;
        };
        let doublings = (history.count - self.free).clamp(0, 30) as u32;
        let gap = time::Duration::seconds(1_i64 << doublings).min(self.longest);
        // Times are kept to the second: count from the end of that second.
        (newest + time::Duration::SECOND + gap - now).max(time::Duration::ZERO)
    }
}

/// One account from one client: a journalist's own typos.
pub const ACCOUNT_FROM_CLIENT: Backoff = Backoff {
    free: 5,
    longest: time::Duration::minutes(15),
};
/// One client, whatever the accounts: one guesser trying many. Behind a
/// proxy without `client_ip_header`, the whole newsroom is one client,
/// which is why it only ever slows down, and known browsers skip it.
pub const ONE_CLIENT: Backoff = Backoff {
    free: 20,
    longest: time::Duration::minutes(15),
};
/// One account, from anywhere: guessing spread over many addresses.
pub const ONE_ACCOUNT: Backoff = Backoff {
    free: 10,
    longest: time::Duration::minutes(15),
};

/// What the store knows of recent attempts sharing each key with a new
/// one. `known_browser` is set when the attempt comes from a browser that
/// logged in to this account before (a device cookie, as OWASP
/// recommends): its attempts back off on their own, so nobody guessing
/// at the account elsewhere can keep its owner out.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoginHistories {
    pub known_browser: Option<AttemptHistory>,
    pub account_from_client: AttemptHistory,
    pub client: AttemptHistory,
    pub account: AttemptHistory,
}

impl LoginHistories {
    /// How long the attempt must still wait; zero to try it now.
    pub fn wait(&self, now: time::OffsetDateTime) -> time::Duration {
        match self.known_browser {
            Some(browser) => ACCOUNT_FROM_CLIENT.wait(browser, now),
            None => ACCOUNT_FROM_CLIENT
                .wait(self.account_from_client, now)
                .max(ONE_CLIENT.wait(self.client, now))
                .max(ONE_ACCOUNT.wait(self.account, now)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_back_off_doubling_and_never_lock_out_for_good() {
        let now = time::macros::datetime!(2026-12-05 10:00 UTC);
        let history = |count, seconds_ago| AttemptHistory {
            count,
            newest: Some(now - time::Duration::seconds(seconds_ago)),
        };
        let wait = |h| ACCOUNT_FROM_CLIENT.wait(h, now).whole_seconds();
        assert_eq!(wait(AttemptHistory::default()), 0);
        assert_eq!(wait(history(4, 0)), 0);
        // Counted from the end of the second the last attempt was made in.
        assert_eq!(wait(history(5, 0)), 2);
        assert_eq!(wait(history(6, 0)), 3);
        assert_eq!(wait(history(8, 3)), 6);
        assert_eq!(wait(history(8, 9)), 0);
        assert_eq!(wait(history(1_000, 0)), 15 * 60 + 1);
        assert_eq!(wait(history(1_000, 15 * 60 + 1)), 0);

        // A known browser looks only at its own attempts.
        let besieged = LoginHistories {
            known_browser: Some(AttemptHistory::default()),
            account_from_client: history(50, 0),
            client: history(500, 0),
            account: history(500, 0),
        };
        assert_eq!(besieged.wait(now), time::Duration::ZERO);
        let unknown = LoginHistories {
            known_browser: None,
            ..besieged
        };
        assert_eq!(unknown.wait(now), time::Duration::seconds(15 * 60 + 1));
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Rana@Example.COM ").unwrap().as_str(),
            "rana@example.com"
        );
        for bad in [
            "",
            "rana",
            "rana@",
            "@example.com",
            "rana@example",
            "a b@example.com",
            "x@y.com<script>",
        ] {
            assert_eq!(Email::parse(bad), Err(AccountError::InvalidEmail), "{bad}");
        }
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        assert!(NewPassword::parse("short").is_err());
        let hash = NewPassword::parse("correct horse battery").unwrap().hash();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong horse battery", &hash));
    }

    #[test]
    fn token_names_are_tidied_and_bounded() {
        assert_eq!(
            TokenName::parse("  wire   importer ").unwrap().as_str(),
            "wire importer"
        );
        assert_eq!(TokenName::parse(" "), Err(AccountError::TokenNameRequired));
        assert_eq!(
            TokenName::parse(&"x".repeat(MAX_TOKEN_NAME_CHARS + 1)),
            Err(AccountError::TokenNameTooLong)
        );
    }

    #[test]
    fn roles_parse_from_their_names() {
        assert_eq!(Role::parse("Editor"), Ok(Role::Editor));
        assert!(Role::parse("chief").is_err());
    }
}
