//! Accounts: logging in and out, sessions, the people of a site and their
//! roles, passwords, the first administrator, and API tokens.
//!
//! Callers parse input into `core`'s types (`Email`, `NewPassword`,
//! `Role`, `TokenName`); these use cases apply the rules and write.
//! Tokens are 256 random bits; only their SHA-256 is stored, so a leaked
//! database leaks no live session or token. Password hashing (Argon2id)
//! runs on a blocking thread, and a login is checked even for an unknown
//! address so timing does not tell which addresses exist.

use crate::comments::ConfirmationLetter;
use crate::{Failure, Newsdesk, OnSite};
use dateline_core::SiteId;
use dateline_core::accounts::{
    Email, NewPassword, Role, TokenName, User, UserId, random_token, token_hash, verify_password,
};
use dateline_store::{Invitation, NewInvitation};
use std::sync::LazyLock;
use time::{Duration, OffsetDateTime};

/// How long an invitation's link works.
pub const INVITATION_LIFETIME: Duration = Duration::days(7);
/// Sessions last two weeks at most.
pub const SESSION_LIFETIME: Duration = Duration::days(14);
/// A session unused for this long is over: a newsroom computer left
/// logged in over a long weekend asks for the password again.
pub const SESSION_IDLE_LIMIT: Duration = Duration::days(3);
/// Failed logins older than this no longer slow anyone down.
const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// Known-browser tokens one cookie holds: the accounts a shared computer
/// logs in to.
pub const MAX_BROWSER_TOKENS: usize = 5;
/// A browser that logged in is known for a year (its cookie's lifetime).
pub const KNOWN_BROWSER_LIFETIME: Duration = Duration::days(365);
/// Every API token starts with this, so scanners and people can tell one
/// from other secrets.
pub const API_TOKEN_PREFIX: &str = "dl_";
/// The prefix and 43 base64url characters.
const API_TOKEN_LENGTH: usize = API_TOKEN_PREFIX.len() + 43;

/// A hash to check passwords against when the address has no account,
/// so both cases take the same time; made once from a password nobody is
/// told.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let secret = random_token().unwrap_or_else(|_| "0".repeat(43));
    NewPassword::parse(&secret)
        .map(|p| p.hash())
        .unwrap_or_default()
});

/// A new session: the token for the browser's cookie.
#[derive(Debug)]
pub struct Session {
    pub token: String,
    pub user: UserId,
    pub expires: OffsetDateTime,
    /// A new known-browser token for the browser to keep, when it did not
    /// bring a valid one for this account.
    pub known_browser: Option<String>,
}

/// What adding a person to a site did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberAdded {
    /// The address had an account: it has the role now.
    RoleGiven,
    /// The address was mailed an invitation.
    Invited,
}

/// A new API token, shown to its owner once.
#[derive(Debug)]
pub struct ApiToken {
    pub token: String,
}

/// Why a login did not start a session.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("the address or the password is wrong")]
    WrongCredentials,
    #[error("too many failed logins; try again in {} s", wait.whole_seconds().max(1))]
    Throttled { wait: Duration },
    #[error("too many logins at once; try again in a moment")]
    Busy,
    #[error(transparent)]
    Failed(#[from] Failure),
}

/// Why a change to accounts or roles was not made. All but
/// [`AccessError::Failed`] are the caller's to fix.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("only administrators manage people")]
    NotAllowed,
    #[error("no such person on this site")]
    NotFound,
    #[error("administrators cannot demote or remove themselves")]
    NotYourself,
    #[error("a new account needs a name")]
    NameRequired,
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("the first administrator exists already")]
    AlreadySetUp,
    #[error("there is already a live token of that name")]
    TokenNameTaken,
    #[error(transparent)]
    Failed(#[from] Failure),
}

crate::store_failure!(LoginError, AccessError);

/// Who may manage the people of a site.
pub fn may_manage_people(role: Role) -> bool {
    role == Role::Admin
}

/// True when a bearer token has the shape of a Dateline API token, which
/// spares the database look-ups that cannot match.
pub fn api_token_well_formed(token: &str) -> bool {
    token.len() == API_TOKEN_LENGTH
        && token.starts_with(API_TOKEN_PREFIX)
        && token[API_TOKEN_PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn randomness(what: &'static str) -> impl FnOnce(dateline_core::RandomError) -> Failure {
    move |source| Failure::Randomness { what, source }
}

async fn hash_password(password: NewPassword) -> Result<String, Failure> {
    Ok(tokio::task::spawn_blocking(move || password.hash()).await?)
}

impl Newsdesk {
    /// Checks an address and password; on success starts a session.
    ///
    /// Password hashing is slow and memory-hungry on purpose, so only a
    /// few checks run at once (a burst past them is answered `Busy` at
    /// once, before any work), and each attempt is counted before its
    /// password is checked. Failures back off rather than lock out
    /// (`core::accounts::LoginHistories`): per account from a client, per
    /// client and per account, except that a browser which logged in to
    /// the account before (one of `known_browsers`, the tokens its cookie
    /// holds: a shared newsroom computer knows several accounts) backs off
    /// on its own, so guessing elsewhere never keeps the owner out.
    pub async fn log_in(
        &self,
        email: &Email,
        password: String,
        client_ip: &str,
        known_browsers: &[&str],
    ) -> Result<Session, LoginError> {
        let Ok(_permit) = self.password_checks().try_acquire() else {
            return Err(LoginError::Busy);
        };
        let now = OffsetDateTime::now_utc();
        let account = self.db().user_by_email(email).await?;
        let mut browser_hash = None;
        if let Some((user, _)) = &account {
            for token in known_browsers.iter().take(MAX_BROWSER_TOKENS) {
                let hash = token_hash(token);
                let owner = self
                    .db()
                    .login_device_user(&hash, now - KNOWN_BROWSER_LIFETIME)
                    .await?;
                if owner == Some(user.id) {
                    browser_hash = Some(hash);
                    break;
                }
            }
        }
        let browser_known = browser_hash.is_some();
        let attempt = dateline_store::LoginAttempt {
            email: email.as_str(),
            client: client_ip,
            known_browser: browser_hash.as_deref(),
        };
        let admission = self
            .db()
            .admit_login_attempt(&attempt, now - THROTTLE_WINDOW, now, |histories| {
                histories.wait(now)
            })
            .await?;
        let attempt_id = match admission {
            dateline_store::Admission::Counted(id) => id,
            dateline_store::Admission::Wait(wait) => return Err(LoginError::Throttled { wait }),
        };
        // Verify even without an account, so timing does not tell which
        // addresses exist.
        let hash = account
            .as_ref()
            .map(|(_, hash)| hash.clone())
            .unwrap_or_else(|| DUMMY_HASH.clone());
        let valid = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
            .await
            .map_err(Failure::Blocking)?;
        // The attempt was counted as a failure when admitted.
        let Some((user, _)) = account.filter(|_| valid) else {
            return Err(LoginError::WrongCredentials);
        };
        self.db().forget_login_attempt(attempt_id).await?;
        let mut session = self.start_session(user.id, now).await?;
        if !browser_known {
            let token = random_token().map_err(randomness("a known browser"))?;
            self.db()
                .add_login_device(&token_hash(&token), user.id, now)
                .await?;
            session.known_browser = Some(token);
        }
        Ok(session)
    }

    /// Ends the session of this token, if it is one.
    pub async fn log_out(&self, session_token: &str) -> Result<(), Failure> {
        self.db().delete_session(&token_hash(session_token)).await?;
        Ok(())
    }

    /// The user of a live session: not expired, and used within
    /// [`SESSION_IDLE_LIMIT`]; the use is noted.
    pub async fn session_user(&self, session_token: &str) -> Result<Option<User>, Failure> {
        let now = OffsetDateTime::now_utc();
        Ok(self
            .db()
            .session_user(&token_hash(session_token), now, now - SESSION_IDLE_LIMIT)
            .await?)
    }

    /// Makes the first administrator, of every site, and logs them in;
    /// refused once any account exists.
    pub async fn set_up_first_admin(
        &self,
        email: &Email,
        name: &str,
        password: NewPassword,
    ) -> Result<Session, AccessError> {
        if self.db().user_count().await? > 0 {
            return Err(AccessError::AlreadySetUp);
        }
        let sites: Vec<SiteId> = self.network().sites.iter().map(|e| e.site.id).collect();
        let user = self
            .create_account(email, name, password, Role::Admin, &sites)
            .await?;
        Ok(self.start_session(user, OffsetDateTime::now_utc()).await?)
    }

    /// A new account with a role on each of these sites (the CLI's
    /// `user add`, the first administrator).
    pub async fn create_account(
        &self,
        email: &Email,
        name: &str,
        password: NewPassword,
        role: Role,
        sites: &[SiteId],
    ) -> Result<UserId, AccessError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AccessError::NameRequired);
        }
        let hash = hash_password(password).await?;
        let user = self
            .db()
            .create_user(email, name, &hash, OffsetDateTime::now_utc())
            .await?;
        for site in sites {
            self.db().grant_role(user, *site, role).await?;
        }
        Ok(user)
    }

    /// Gives a role on the site to the account of this address; when the
    /// address has no account, invites it instead: the link goes by mail
    /// to the address alone (written by `letter`, valid
    /// [`INVITATION_LIFETIME`]), and whoever follows it makes the account
    /// with their own password. No administrator ever knows a password,
    /// so none keeps a way into the account once other sites add it.
    pub async fn add_member(
        &self,
        on: OnSite,
        email: &Email,
        name: &str,
        role: Role,
        letter: &dyn ConfirmationLetter,
    ) -> Result<MemberAdded, AccessError> {
        if !may_manage_people(on.actor.role) {
            return Err(AccessError::NotAllowed);
        }
        let now = OffsetDateTime::now_utc();
        if let Some((user, _)) = self.db().user_by_email(email).await? {
            self.db().grant_role(user.id, on.site, role).await?;
            self.audit_role(on, &format!("user:{}", user.id.0), email, role, now)
                .await?;
            return Ok(MemberAdded::RoleGiven);
        }
        let name = name.trim();
        if name.is_empty() {
            return Err(AccessError::NameRequired);
        }
        let token = random_token().map_err(randomness("an invitation"))?;
        let mail = letter.write(&token);
        self.db()
            .create_invitation(
                &NewInvitation {
                    site: on.site,
                    email: email.as_str(),
                    name,
                    role,
                    invited_by: on.actor.user,
                    token_hash: &token_hash(&token),
                    subject: &mail.subject,
                    body: &mail.body,
                    expires: now + INVITATION_LIFETIME,
                },
                now,
            )
            .await?;
        self.wakers().outbox.notify_one();
        self.audit_role(on, &format!("invitation:{email}"), email, role, now)
            .await?;
        Ok(MemberAdded::Invited)
    }

    async fn audit_role(
        &self,
        on: OnSite,
        target: &str,
        email: &Email,
        role: Role,
        now: OffsetDateTime,
    ) -> Result<(), Failure> {
        self.db()
            .record_audit(
                Some(on.site),
                Some(on.actor.user),
                "role",
                target,
                &format!("{email} {}", role.as_str()),
                now,
            )
            .await?;
        Ok(())
    }

    /// The site's invitations not yet used nor expired.
    pub async fn pending_invitations(&self, on: OnSite) -> Result<Vec<Invitation>, AccessError> {
        if !may_manage_people(on.actor.role) {
            return Err(AccessError::NotAllowed);
        }
        Ok(self
            .db()
            .pending_invitations(on.site, OffsetDateTime::now_utc())
            .await?)
    }

    /// Withdraws an invitation before it is used.
    pub async fn withdraw_invitation(&self, on: OnSite, id: i64) -> Result<(), AccessError> {
        if !may_manage_people(on.actor.role) {
            return Err(AccessError::NotAllowed);
        }
        if self.db().withdraw_invitation(on.site, id).await? {
            Ok(())
        } else {
            Err(AccessError::NotFound)
        }
    }

    /// The invitation behind a link, if it can still be used.
    pub async fn invitation(&self, token: &str) -> Result<Option<Invitation>, Failure> {
        Ok(self
            .db()
            .invitation(&token_hash(token), OffsetDateTime::now_utc())
            .await?)
    }

    /// Follows an invitation's link: makes the account with the invited
    /// person's own name and password, gives it the role and starts a
    /// session, all or nothing. When the address got an account meanwhile,
    /// only the role is given (`Ok(None)`): its owner logs in with their
    /// password.
    pub async fn accept_invitation(
        &self,
        token: &str,
        name: &str,
        password: NewPassword,
    ) -> Result<Option<Session>, AccessError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(AccessError::NameRequired);
        }
        let invitation = self
            .db()
            .invitation(&token_hash(token), OffsetDateTime::now_utc())
            .await?
            .ok_or(AccessError::NotFound)?;
        let hash = hash_password(password).await?;
        let now = OffsetDateTime::now_utc();
        let claimed = self
            .db()
            .claim_invitation(&invitation, name, &hash, now)
            .await?
            .ok_or(AccessError::NotFound)?;
        if !claimed.created {
            return Ok(None);
        }
        Ok(Some(self.start_session(claimed.user, now).await?))
    }

    /// Changes a member's role on the site.
    pub async fn change_role(
        &self,
        on: OnSite,
        member: UserId,
        role: Role,
    ) -> Result<(), AccessError> {
        if !may_manage_people(on.actor.role) {
            return Err(AccessError::NotAllowed);
        }
        if member == on.actor.user && role != Role::Admin {
            return Err(AccessError::NotYourself);
        }
        let (user, _) = self
            .db()
            .site_members(on.site)
            .await?
            .into_iter()
            .find(|(u, _)| u.id == member)
            .ok_or(AccessError::NotFound)?;
        self.db().grant_role(member, on.site, role).await?;
        self.db()
            .record_audit(
                Some(on.site),
                Some(on.actor.user),
                "role",
                &format!("user:{}", member.0),
                &format!("{} {}", user.email, role.as_str()),
                OffsetDateTime::now_utc(),
            )
            .await?;
        Ok(())
    }

    /// Takes a member's role on the site away; the account stays.
    pub async fn remove_member(&self, on: OnSite, member: UserId) -> Result<(), AccessError> {
        if !may_manage_people(on.actor.role) {
            return Err(AccessError::NotAllowed);
        }
        if member == on.actor.user {
            return Err(AccessError::NotYourself);
        }
        if !self.db().revoke_role(member, on.site).await? {
            return Err(AccessError::NotFound);
        }
        self.db()
            .record_audit(
                Some(on.site),
                Some(on.actor.user),
                "remove",
                &format!("user:{}", member.0),
                "",
                OffsetDateTime::now_utc(),
            )
            .await?;
        Ok(())
    }

    /// Replaces the actor's password after checking the current one;
    /// every other session ends, so a stolen one dies with the old
    /// password.
    pub async fn change_password(
        &self,
        on: OnSite,
        current: String,
        new: NewPassword,
        keep_session: Option<&str>,
        keep_browsers: &[&str],
    ) -> Result<(), AccessError> {
        let user = on.actor.user;
        let hash = self
            .db()
            .password_hash(user)
            .await?
            .ok_or(AccessError::NotFound)?;
        let new_hash = tokio::task::spawn_blocking(move || {
            verify_password(&current, &hash).then(|| new.hash())
        })
        .await
        .map_err(Failure::Blocking)?
        .ok_or(AccessError::WrongPassword)?;
        let keep = keep_session.map(token_hash).unwrap_or_default();
        // The browser changing the password stays known: the change is
        // often made because someone is guessing, and its owner must not
        // become a stranger to the back-off then.
        let browsers: Vec<String> = keep_browsers
            .iter()
            .take(MAX_BROWSER_TOKENS)
            .map(|t| token_hash(t))
            .collect();
        self.db()
            .set_password(user, &new_hash, &keep, &browsers, OffsetDateTime::now_utc())
            .await?;
        self.db()
            .record_audit(
                Some(on.site),
                Some(user),
                "password",
                &format!("user:{}", user.0),
                "",
                OffsetDateTime::now_utc(),
            )
            .await?;
        Ok(())
    }

    /// A new personal API token for a user, by a name unique among their
    /// live tokens.
    pub async fn issue_api_token(
        &self,
        user: UserId,
        name: &TokenName,
        lifetime: Option<Duration>,
    ) -> Result<ApiToken, AccessError> {
        let token = format!(
            "{API_TOKEN_PREFIX}{}",
            random_token().map_err(randomness("an API token"))?
        );
        let now = OffsetDateTime::now_utc();
        let created = self
            .db()
            .create_api_token(
                user,
                name,
                &token_hash(&token),
                now,
                lifetime.map(|l| now + l),
            )
            .await;
        match created {
            Ok(()) => Ok(ApiToken { token }),
            Err(dateline_store::StoreError::Conflict(_)) => Err(AccessError::TokenNameTaken),
            Err(other) => Err(other.into()),
        }
    }

    /// A user's tokens not revoked (never the tokens themselves).
    pub async fn api_tokens(
        &self,
        user: UserId,
    ) -> Result<Vec<dateline_store::TokenSummary>, Failure> {
        Ok(self.db().api_tokens_of(user).await?)
    }

    /// Revokes a user's live token of that name; false when there is none.
    pub async fn revoke_api_token(&self, user: UserId, name: &TokenName) -> Result<bool, Failure> {
        Ok(self
            .db()
            .revoke_api_token(user, name, OffsetDateTime::now_utc())
            .await?)
    }

    /// The user of a live API token.
    pub async fn api_token_user(&self, token: &str) -> Result<Option<User>, Failure> {
        if !api_token_well_formed(token) {
            return Ok(None);
        }
        Ok(self
            .db()
            .api_token_user(&token_hash(token), OffsetDateTime::now_utc())
            .await?)
    }

    async fn start_session(&self, user: UserId, now: OffsetDateTime) -> Result<Session, Failure> {
        let token = random_token().map_err(randomness("a session"))?;
        let expires = now + SESSION_LIFETIME;
        // Ended sessions go as new ones start: the table holds live ones.
        self.db()
            .delete_ended_sessions(now, now - SESSION_IDLE_LIMIT)
            .await?;
        self.db()
            .create_session(&token_hash(&token), user, now, expires)
            .await?;
        Ok(Session {
            token,
            user,
            expires,
            known_browser: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_tokens_are_told_apart_from_other_strings() {
        let token = format!("{API_TOKEN_PREFIX}{}", "a".repeat(43));
        assert!(api_token_well_formed(&token));
        assert!(!api_token_well_formed("dl_short"));
        assert!(!api_token_well_formed(&token.replace("dl_", "xx_")));
        assert!(!api_token_well_formed(&format!("{token}a")));
        assert!(!api_token_well_formed(&token.replace('a', "!")));
    }
}
