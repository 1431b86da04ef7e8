//! Users, their roles per site, sessions and failed logins.

use crate::db::{on_read, on_tx, on_write};
use crate::{Db, Result, StoreError, stored_time};
use dateline_core::SiteId;
use dateline_core::accounts::{
    AttemptHistory, Email, LoginHistories, Membership, Role, User, UserId,
};
use time::{Duration, OffsetDateTime};

/// Known browsers remembered per account.
pub const MAX_LOGIN_DEVICES: i64 = 20;

/// A login attempt, as the throttle sees it. `known_browser` is the hash
/// of a device cookie already checked to belong to the account of
/// `email`.
#[derive(Debug, Clone, Copy)]
pub struct LoginAttempt<'a> {
    pub email: &'a str,
    pub client: &'a str,
    pub known_browser: Option<&'a str>,
}

/// What the throttle made of a login attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Counted (by this id) and to be checked.
    Counted(i64),
    /// Refused: try again after this long.
    Wait(Duration),
}

/// A session's use is written at most this often.
const SESSION_USE_PRECISION: Duration = Duration::minutes(1);

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    name: String,
    password_hash: String,
}

impl UserRow {
    fn into_user(self) -> Result<(User, String)> {
        let email = Email::parse(&self.email).map_err(|e| StoreError::Corrupt {
            what: format!("user {}", self.id),
            reason: e.to_string(),
        })?;
        Ok((
            User {
                id: UserId(self.id),
                email,
                name: self.name,
            },
            self.password_hash,
        ))
    }
}

const USER_BY_EMAIL: &str =
    "SELECT u.id, u.email, u.name, u.password_hash FROM users u WHERE u.email = $1";

impl Db {
    /// Creates a user; fails with [`StoreError::Conflict`] if the e-mail
    /// address already has an account.
    pub async fn create_user(
        &self,
        email: &Email,
        name: &str,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<UserId> {
        let inserted = on_write!(self, cx => sqlx::query_scalar(
            "INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(email.as_str())
        .bind(name)
        .bind(password_hash)
        .bind(stored_time(now))
        .fetch_one(cx)
        .await);
        match inserted {
            Ok(id) => Ok(UserId(id)),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict(
                format!("{email} already has an account"),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// Gives a user a role on a site, replacing any role they had there.
    pub async fn grant_role(&self, user: UserId, site: SiteId, role: Role) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, cx => sqlx::query(
            "INSERT INTO site_roles (user_id, site_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role",
        )
        .bind(user.0)
        .bind(site.0)
        .bind(role.as_str())
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        forget_invitations(&mut tx, user, site).await?;
        tx.commit().await
    }

    /// A user and their password hash, by e-mail address.
    pub async fn user_by_email(&self, email: &Email) -> Result<Option<(User, String)>> {
        let row: Option<UserRow> = on_read!(self, cx => sqlx::query_as(USER_BY_EMAIL)
            .bind(email.as_str())
            .fetch_optional(cx)
            .await)?;
        row.map(UserRow::into_user).transpose()
    }

    /// The roles a user holds, one per site.
    pub async fn memberships(&self, user: UserId) -> Result<Vec<Membership>> {
        let rows: Vec<(i64, String)> = on_read!(self, cx => sqlx::query_as(
            "SELECT site_id, role FROM site_roles WHERE user_id = $1 ORDER BY site_id",
        )
        .bind(user.0)
        .fetch_all(cx)
        .await)?;
        rows.into_iter()
            .map(|(site, role)| {
                let role = Role::parse(&role).map_err(|e| StoreError::Corrupt {
                    what: format!("role of user {}", user.0),
                    reason: e.to_string(),
                })?;
                Ok(Membership {
                    site: SiteId(site),
                    role,
                })
            })
            .collect()
    }

    /// How many people have newsroom accounts (none on a new install; the
    /// wire desk's account is not a person).
    pub async fn user_count(&self) -> Result<i64> {
        Ok(
            on_read!(self, cx => sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE kind = 'person'")
            .fetch_one(cx)
            .await)?,
        )
    }

    /// The people with a role on a site, by name.
    pub async fn site_members(&self, site: SiteId) -> Result<Vec<(User, Role)>> {
        let rows: Vec<(i64, String, String, String)> = on_read!(self, cx => sqlx::query_as(
            "SELECT u.id, u.email, u.name, r.role FROM site_roles r JOIN users u ON u.id = r.user_id \
             WHERE r.site_id = $1 ORDER BY u.name, u.id",
        )
        .bind(site.0)
        .fetch_all(cx)
        .await)?;
        rows.into_iter()
            .map(|(id, email, name, role)| {
                let corrupt = |reason: String| StoreError::Corrupt {
                    what: format!("user {id}"),
                    reason,
                };
                Ok((
                    User {
                        id: UserId(id),
                        email: Email::parse(&email).map_err(|e| corrupt(e.to_string()))?,
                        name,
                    },
                    Role::parse(&role).map_err(|e| corrupt(e.to_string()))?,
                ))
            })
            .collect()
    }

    /// Takes a user's role on a site away (the account stays).
    pub async fn revoke_role(&self, user: UserId, site: SiteId) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = on_tx!(tx, cx => sqlx::query("DELETE FROM site_roles WHERE user_id = $1 AND site_id = $2")
            .bind(user.0)
            .bind(site.0)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        forget_invitations(&mut tx, user, site).await?;
        tx.commit().await?;
        Ok(done > 0)
    }

    /// The stored password hash of a user.
    pub async fn password_hash(&self, user: UserId) -> Result<Option<String>> {
        Ok(
            on_read!(self, cx => sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
                .bind(user.0)
                .fetch_optional(cx)
                .await)?,
        )
    }

    /// Changes a password, ending every session but `keep_session`, the
    /// known browsers but `keep_browsers` (hashes; five at most are looked
    /// at) and the API tokens of the account.
    pub async fn set_password(
        &self,
        user: UserId,
        hash: &str,
        keep_session: &str,
        keep_browsers: &[String],
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, cx => sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user.0)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        on_tx!(tx, cx => sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user.0)
            .bind(keep_session)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        // Whatever was made with the old password ends with it.
        let kept = |n: usize| keep_browsers.get(n).map_or("", String::as_str);
        on_tx!(tx, cx => sqlx::query(
            "DELETE FROM login_devices WHERE user_id = $1 \
             AND token_hash NOT IN ($2, $3, $4, $5, $6)",
        )
        .bind(user.0)
        .bind(kept(0))
        .bind(kept(1))
        .bind(kept(2))
        .bind(kept(3))
        .bind(kept(4))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        on_tx!(tx, cx => sqlx::query(
            "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(user.0)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        tx.commit().await
    }

    /// Records a session by the hash of its token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> Result<()> {
        on_write!(self, cx => sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(token_hash)
            .bind(user.0)
            .bind(stored_time(now))
            .bind(stored_time(expires))
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// The user of an unexpired session.
    ///
    /// A session not used since `idle_since` is over too. Use is noted at
    /// most once a minute, so a busy editor does not turn every page into
    /// a write.
    pub async fn session_user(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
        idle_since: OffsetDateTime,
    ) -> Result<Option<User>> {
        let row: Option<(i64, String, String, String, OffsetDateTime)> = on_read!(self, cx => sqlx::query_as(
            "SELECT u.id, u.email, u.name, u.password_hash, COALESCE(s.last_seen_at, s.created_at) \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 \
             AND COALESCE(s.last_seen_at, s.created_at) > $3",
        )
        .bind(token_hash)
        .bind(stored_time(now))
        .bind(stored_time(idle_since))
        .fetch_optional(cx)
        .await)?;
        let Some((id, email, name, password_hash, last_seen)) = row else {
            return Ok(None);
        };
        if now - last_seen >= SESSION_USE_PRECISION {
            on_write!(self, cx => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(stored_time(now))
                .bind(token_hash)
                .execute(cx)
                .await.map(|done| done.rows_affected()))?;
        }
        let (user, _) = UserRow {
            id,
            email,
            name,
            password_hash,
        }
        .into_user()?;
        Ok(Some(user))
    }

    /// Forgets sessions that are over: expired, or idle since `idle_since`.
    pub async fn delete_ended_sessions(
        &self,
        now: OffsetDateTime,
        idle_since: OffsetDateTime,
    ) -> Result<u64> {
        let done = on_write!(self, cx => sqlx::query(
            "DELETE FROM sessions WHERE expires_at <= $1 \
             OR COALESCE(last_seen_at, created_at) <= $2",
        )
        .bind(stored_time(now))
        .bind(stored_time(idle_since))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(done)
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        on_write!(self, cx => sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Counts a login attempt before its password is checked, in one
    /// serialised write with the look at the attempts before it: `wait`
    /// reads their histories and says how long this one must still wait.
    /// A wait refuses the attempt (not counted, so waiting out a back-off
    /// is never made longer by asking); otherwise it is counted as a
    /// failure until [`Db::forget_login_attempt`] says it succeeded.
    /// A burst of parallel attempts is therefore counted one by one.
    pub async fn admit_login_attempt(
        &self,
        attempt: &LoginAttempt<'_>,
        since: OffsetDateTime,
        now: OffsetDateTime,
        wait: impl FnOnce(&LoginHistories) -> Duration,
    ) -> Result<Admission> {
        let since = stored_time(since);
        let mut tx = self.begin().await?;
        let mut history = async |filter: &str, first: &str, second: Option<&str>| {
            let sql = format!(
                "SELECT COUNT(*), MAX(failed_at) FROM login_failures WHERE {filter} AND failed_at > $3"
            );
            let (count, newest): (i64, Option<OffsetDateTime>) = on_tx!(tx, cx => sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(first)
                    .bind(second)
                    .bind(since)
                    .fetch_one(cx)
                    .await)?;
            Ok::<_, StoreError>(AttemptHistory { count, newest })
        };
        let known_browser = match attempt.known_browser {
            Some(device) => Some(history("device = $1 AND $2 IS NULL", device, None).await?),
            None => None,
        };
        let histories = LoginHistories {
            known_browser,
            account_from_client: history(
                "email = $1 AND client = $2",
                attempt.email,
                Some(attempt.client),
            )
            .await?,
            client: history("client = $1 AND $2 IS NULL", attempt.client, None).await?,
            account: history("email = $1 AND $2 IS NULL", attempt.email, None).await?,
        };
        let wait = wait(&histories);
        if wait > Duration::ZERO {
            return Ok(Admission::Wait(wait));
        }
        let id: i64 = on_tx!(tx, cx => sqlx::query_scalar(
            "INSERT INTO login_failures (email, client, device, failed_at) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(attempt.email)
        .bind(attempt.client)
        .bind(attempt.known_browser)
        .bind(stored_time(now))
        .fetch_one(cx)
        .await)?;
        tx.commit().await?;
        Ok(Admission::Counted(id))
    }

    /// Forgets one counted attempt: it turned out to be the right password.
    /// The failures before it stay until they age out, so the owner
    /// logging in gives nobody guessing from the same address (a
    /// newsroom's proxy) a fresh start.
    pub async fn forget_login_attempt(&self, id: i64) -> Result<()> {
        on_write!(self, cx => sqlx::query("DELETE FROM login_failures WHERE id = $1")
            .bind(id)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// The account a known browser (by the hash of its cookie) logged in
    /// to, if it did so after `since` (its cookie's lifetime).
    pub async fn login_device_user(
        &self,
        token_hash: &str,
        since: OffsetDateTime,
    ) -> Result<Option<UserId>> {
        let user: Option<i64> = on_read!(self, cx => sqlx::query_scalar(
            "SELECT user_id FROM login_devices WHERE token_hash = $1 AND created_at > $2",
        )
        .bind(token_hash)
        .bind(stored_time(since))
        .fetch_optional(cx)
        .await)?;
        Ok(user.map(UserId))
    }

    /// Remembers a browser that logged in to `user`; only the newest
    /// [`MAX_LOGIN_DEVICES`] per account are kept.
    pub async fn add_login_device(
        &self,
        token_hash: &str,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, cx => sqlx::query(
            "INSERT INTO login_devices (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        on_tx!(tx, cx => sqlx::query(
            "DELETE FROM login_devices WHERE user_id = $1 AND token_hash NOT IN \
             (SELECT token_hash FROM login_devices WHERE user_id = $1 \
              ORDER BY created_at DESC, rowid DESC LIMIT $2)",
        )
        .bind(user.0)
        .bind(MAX_LOGIN_DEVICES)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        tx.commit().await
    }
}

/// Drops the unused invitations of a user's address to a site: once an
/// administrator has set (or ended) the role, an old link must not set it
/// again.
async fn forget_invitations(tx: &mut crate::Tx, user: UserId, site: SiteId) -> Result<()> {
    on_tx!(tx, cx => sqlx::query(
        "DELETE FROM invitations WHERE site_id = $2 AND accepted_at IS NULL \
         AND email = (SELECT email FROM users WHERE id = $1)",
    )
    .bind(user.0)
    .bind(site.0)
    .execute(cx)
    .await.map(|done| done.rows_affected()))?;
    Ok(())
}
