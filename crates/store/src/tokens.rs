//! API tokens: created and revoked by name (on the command line or the
//! newsroom's account page), looked up by the hash of the token a request
//! carries, until revoked or past their end.

use crate::db::{on_read, on_write};
use crate::{Db, Result, StoreError, stored_time};
use dateline_core::accounts::{Email, TokenName, User, UserId};
use time::{Duration, OffsetDateTime};

/// `last_used_at` is written at most this often per token, so a busy
/// client does not turn every read into a write.
const LAST_USED_PRECISION: Duration = Duration::minutes(1);

/// A live token as its owner sees it listed: never the token itself.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenSummary {
    pub name: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
    pub expires_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct TokenUserRow {
    token_id: i64,
    last_used_at: Option<OffsetDateTime>,
    id: i64,
    email: String,
    name: String,
}

impl Db {
    /// Records a new token of a user by its hash; fails with
    /// [`StoreError::Conflict`] when the user has a live token of that name.
    pub async fn create_api_token(
        &self,
        user: UserId,
        name: &TokenName,
        token_hash: &str,
        now: OffsetDateTime,
        expires: Option<OffsetDateTime>,
    ) -> Result<()> {
        let inserted = on_write!(self, cx => sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user.0)
        .bind(name.as_str())
        .bind(token_hash)
        .bind(stored_time(now))
        .bind(expires.map(stored_time))
        .execute(cx)
        .await.map(|done| done.rows_affected()));
        match inserted {
            Ok(_) => Ok(()),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(StoreError::Conflict(
                format!("there is already a token named {:?}", name.as_str()),
            )),
            Err(e) => Err(e.into()),
        }
    }

    /// Revokes the user's live token of that name; false when there is none.
    pub async fn revoke_api_token(
        &self,
        user: UserId,
        name: &TokenName,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let done = on_write!(self, cx => sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND name = $3 AND revoked_at IS NULL",
        )
        .bind(stored_time(now))
        .bind(user.0)
        .bind(name.as_str())
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(done > 0)
    }

    /// A user's tokens not revoked, expired ones included, newest first.
    pub async fn api_tokens_of(&self, user: UserId) -> Result<Vec<TokenSummary>> {
        Ok(on_read!(self, cx => sqlx::query_as(
            "SELECT name, created_at, last_used_at, expires_at FROM api_tokens \
             WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC",
        )
        .bind(user.0)
        .fetch_all(cx)
        .await)?)
    }

    /// The user of a live token (not revoked, not past its end), by the
    /// token's hash; notes when the token was last used.
    pub async fn api_token_user(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<User>> {
        let row: Option<TokenUserRow> = on_read!(self, cx => sqlx::query_as(
            "SELECT t.id AS token_id, t.last_used_at, u.id, u.email, u.name \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL \
             AND (t.expires_at IS NULL OR t.expires_at > $2)",
        )
        .bind(token_hash)
        .bind(stored_time(now))
        .fetch_optional(cx)
        .await)?;
        let Some(row) = row else {
            return Ok(None);
        };
        if row
            .last_used_at
            .is_none_or(|at| at + LAST_USED_PRECISION <= now)
        {
            on_write!(self, cx => sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(stored_time(now))
                .bind(row.token_id)
                .execute(cx)
                .await.map(|done| done.rows_affected()))?;
        }
        let email = Email::parse(&row.email).map_err(|e| StoreError::Corrupt {
            what: format!("user {}", row.id),
            reason: e.to_string(),
        })?;
        Ok(Some(User {
            id: UserId(row.id),
            email,
            name: row.name,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn tokens_are_found_by_hash_until_revoked_and_names_are_unique_while_live() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open_sqlite(&dir.path().join("t.db")).await.unwrap();
        let now = OffsetDateTime::now_utc();
        let email = Email::parse("rana@example.com").unwrap();
        let user = db.create_user(&email, "Rana", "x", now).await.unwrap();
        let name = TokenName::parse("importer").unwrap();
        db.create_api_token(user, &name, "hash-1", now, None)
            .await
            .unwrap();
        assert!(matches!(
            db.create_api_token(user, &name, "hash-2", now, None).await,
            Err(StoreError::Conflict(_))
        ));
        let found = db.api_token_user("hash-1", now).await.unwrap().unwrap();
        assert_eq!(found.id, user);
        assert!(db.api_token_user("hash-2", now).await.unwrap().is_none());

        assert!(db.revoke_api_token(user, &name, now).await.unwrap());
        assert!(!db.revoke_api_token(user, &name, now).await.unwrap());
        assert!(db.api_token_user("hash-1", now).await.unwrap().is_none());
        // The name is free again once revoked.
        db.create_api_token(user, &name, "hash-3", now, None)
            .await
            .unwrap();

        // A token with an end works until it, and is listed with it.
        let week = TokenName::parse("for a week").unwrap();
        let end = stored_time(now + Duration::days(7));
        db.create_api_token(user, &week, "hash-4", now, Some(end))
            .await
            .unwrap();
        assert!(db.api_token_user("hash-4", now).await.unwrap().is_some());
        assert!(db.api_token_user("hash-4", end).await.unwrap().is_none());
        let listed = db.api_tokens_of(user).await.unwrap();
        assert_eq!(
            listed
                .iter()
                .map(|t| (t.name.as_str(), t.expires_at))
                .collect::<Vec<_>>(),
            [("for a week", Some(end)), ("importer", None)]
        );
    }
}
