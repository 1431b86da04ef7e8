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

#[cfg(test)]
mod tests {
    use super::*;

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
