//! Invitations to a site's newsroom: made with their mail in one
//! transaction, found by the hash of the link's token, used once.

use crate::db::{on_read, on_tx, on_write};
use crate::{Db, Result, StoreError, stored_time};
use dateline_core::SiteId;
use dateline_core::accounts::{Role, UserId};
use time::OffsetDateTime;

/// An invitation to store, with the mail that carries its link.
pub struct NewInvitation<'a> {
    pub site: SiteId,
    pub email: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub invited_by: UserId,
    pub token_hash: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
    pub expires: OffsetDateTime,
}

/// What using an invitation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claimed {
    pub user: UserId,
    /// The account was made now, with the invited person's password.
    pub created: bool,
}

/// An invitation not yet used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub site: SiteId,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    id: i64,
    site_id: i64,
    email: String,
    name: String,
    role: String,
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
}

impl InvitationRow {
    fn into_invitation(self) -> Result<Invitation> {
        let role = Role::parse(&self.role).map_err(|e| StoreError::Corrupt {
            what: format!("invitation {}", self.id),
            reason: e.to_string(),
        })?;
        Ok(Invitation {
            id: self.id,
            site: SiteId(self.site_id),
            email: self.email,
            name: self.name,
            role,
            created_at: self.created_at,
            expires_at: self.expires_at,
        })
    }
}

const COLUMNS: &str = "id, site_id, email, name, role, created_at, expires_at";

impl Db {
    /// Keeps an invitation and queues its mail in one transaction.
    pub async fn create_invitation(
        &self,
        new: &NewInvitation<'_>,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, cx => sqlx::query(
            "INSERT INTO invitations (token_hash, site_id, email, name, role, invited_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new.token_hash)
        .bind(new.site.0)
        .bind(new.email)
        .bind(new.name)
        .bind(new.role.as_str())
        .bind(new.invited_by.0)
        .bind(stored_time(now))
        .bind(stored_time(new.expires))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        crate::comments::queue_mail(&mut tx, new.email, new.subject, new.body, now).await?;
        tx.inner.commit().await?;
        Ok(())
    }

    /// The site's invitations neither used nor expired, newest first.
    pub async fn pending_invitations(
        &self,
        site: SiteId,
        now: OffsetDateTime,
    ) -> Result<Vec<Invitation>> {
        let rows: Vec<InvitationRow> = on_read!(self, cx => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM invitations WHERE site_id = $1 AND accepted_at IS NULL \
             AND expires_at > $2 ORDER BY created_at DESC, id DESC"
        )))
        .bind(site.0)
        .bind(stored_time(now))
        .fetch_all(cx)
        .await)?;
        rows.into_iter()
            .map(InvitationRow::into_invitation)
            .collect()
    }

    /// The unused, unexpired invitation of this token's hash.
    pub async fn invitation(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Invitation>> {
        let row: Option<InvitationRow> = on_write!(self, cx => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM invitations WHERE token_hash = $1 AND accepted_at IS NULL \
             AND expires_at > $2"
        )))
        .bind(token_hash)
        .bind(stored_time(now))
        .fetch_optional(cx)
        .await)?;
        row.map(InvitationRow::into_invitation).transpose()
    }

    /// Uses an invitation once, in one transaction: the account of its
    /// address (made now with `name` and `password_hash` when there is
    /// none) gets the role, and the address's other invitations to the
    /// site go, so none can give a role back later. `None` when it was
    /// used or withdrawn meanwhile.
    pub async fn claim_invitation(
        &self,
        invitation: &Invitation,
        name: &str,
        password_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<Claimed>> {
        let mut tx = self.begin().await?;
        let used = on_tx!(tx, cx => sqlx::query(
            "UPDATE invitations SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL",
        )
        .bind(invitation.id)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        if used == 0 {
            return Ok(None);
        }
        let existing: Option<i64> = on_tx!(tx, cx => sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
            .bind(&invitation.email)
            .fetch_optional(cx)
            .await)?;
        let (user, created) = match existing {
            Some(id) => (id, false),
            None => {
                let id: i64 = on_tx!(tx, cx => sqlx::query_scalar(
                    "INSERT INTO users (email, name, password_hash, created_at) \
                     VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(&invitation.email)
                .bind(name)
                .bind(password_hash)
                .bind(stored_time(now))
                .fetch_one(cx)
                .await)?;
                (id, true)
            }
        };
        on_tx!(tx, cx => sqlx::query(
            "INSERT INTO site_roles (user_id, site_id, role) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, site_id) DO UPDATE SET role = excluded.role",
        )
        .bind(user)
        .bind(invitation.site.0)
        .bind(invitation.role.as_str())
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        on_tx!(tx, cx => sqlx::query(
            "DELETE FROM invitations WHERE site_id = $1 AND email = $2 AND accepted_at IS NULL",
        )
        .bind(invitation.site.0)
        .bind(&invitation.email)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        tx.commit().await?;
        Ok(Some(Claimed {
            user: UserId(user),
            created,
        }))
    }

    /// Withdraws an unused invitation of the site; false when there is none.
    pub async fn withdraw_invitation(&self, site: SiteId, id: i64) -> Result<bool> {
        let done = on_write!(self, cx => sqlx::query(
            "DELETE FROM invitations WHERE id = $1 AND site_id = $2 AND accepted_at IS NULL",
        )
        .bind(id)
        .bind(site.0)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(done > 0)
    }
}
