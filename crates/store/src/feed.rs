//! What several instances on one database share beyond the data itself
//! (`0022_instances.sql`): the change feed that tells every instance what
//! to drop from its caches, leases for the work one instance does at a
//! time, and the positions of the feed's readers.

use crate::db::{Backend, on_read, on_tx, on_write};
use crate::{Db, Result, StoreError, stored_time};
use dateline_core::SiteId;
use time::OffsetDateTime;

/// The PostgreSQL channel a new feed row is announced on.
pub const CHANGE_CHANNEL: &str = "dateline_changes";

/// What a change tells the other instances.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// Drop pages carrying these surrogate keys; `paths` are the main
    /// paths behind them (for caches that purge by URL).
    Purge {
        keys: Vec<String>,
        paths: Vec<String>,
    },
    /// Sites, sections or settings changed: load them again.
    Sites,
}

/// A change to be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChange {
    pub site: Option<SiteId>,
    pub kind: ChangeKind,
}

/// A change as the feed holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub id: i64,
    /// The instance that made it.
    pub origin: String,
    pub site: Option<SiteId>,
    pub kind: ChangeKind,
    pub at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    id: i64,
    origin: String,
    site_id: Option<i64>,
    kind: String,
    keys: String,
    paths: String,
    at: OffsetDateTime,
}

impl ChangeRow {
    fn into_change(self) -> Result<Change> {
        let lines = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let kind = match self.kind.as_str() {
            "purge" => ChangeKind::Purge {
                keys: lines(&self.keys),
                paths: lines(&self.paths),
            },
            "sites" => ChangeKind::Sites,
            other => {
                return Err(StoreError::Corrupt {
                    what: format!("change {}", self.id),
                    reason: format!("unknown kind {other:?}"),
                });
            }
        };
        Ok(Change {
            id: self.id,
            origin: self.origin,
            site: self.site_id.map(SiteId),
            kind,
            at: self.at,
        })
    }
}

impl Db {
    /// Appends changes made by `origin` to the feed, in one transaction;
    /// on PostgreSQL the commit also wakes every listening instance.
    pub async fn record_changes(
        &self,
        origin: &str,
        changes: &[NewChange],
        now: OffsetDateTime,
    ) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        if let crate::db::TxInner::Postgres(inner) = &mut tx.inner {
            // Readers go by position: ids must appear in commit order, so
            // writers of the feed take turns until they commit (SQLite
            // has one writer anyway).
            sqlx::query("SELECT pg_advisory_xact_lock(hashtext('dateline.change_feed'))")
                .execute(&mut **inner)
                .await?;
        }
        for change in changes {
            let (kind, keys, paths) = match &change.kind {
                ChangeKind::Purge { keys, paths } => ("purge", keys.join("\n"), paths.join("\n")),
                ChangeKind::Sites => ("sites", String::new(), String::new()),
            };
            on_tx!(tx, cx => sqlx::query(
                "INSERT INTO change_feed (origin, site_id, kind, keys, paths, at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(origin)
            .bind(change.site.map(|s| s.0))
            .bind(kind)
            .bind(keys)
            .bind(paths)
            .bind(stored_time(now))
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        }
        if let crate::db::TxInner::Postgres(inner) = &mut tx.inner {
            // Delivered to listeners when (and only if) this commits.
            sqlx::query("SELECT pg_notify($1, '')")
                .bind(CHANGE_CHANNEL)
                .execute(&mut **inner)
                .await?;
        }
        tx.inner.commit().await
    }

    /// The newest change's id (0 for an empty feed): where an instance
    /// that starts begins to follow (its caches are empty).
    pub async fn change_feed_head(&self) -> Result<i64> {
        Ok(on_read!(self, cx => sqlx::query_scalar(
            "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM change_feed",
        )
        .fetch_one(cx)
        .await)?)
    }

    /// Up to `limit` changes after `position`, oldest first.
    pub async fn changes_after(&self, position: i64, limit: u32) -> Result<Vec<Change>> {
        let rows: Vec<ChangeRow> = on_read!(self, cx => sqlx::query_as(
            "SELECT id, origin, site_id, kind, keys, paths, at FROM change_feed \
             WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(position)
        .bind(i64::from(limit))
        .fetch_all(cx)
        .await)?;
        rows.into_iter().map(ChangeRow::into_change).collect()
    }

    /// The changes up to `through` made since `since`, oldest first (what
    /// an instance that died may have been delivering).
    pub async fn changes_since(&self, since: OffsetDateTime, through: i64) -> Result<Vec<Change>> {
        let rows: Vec<ChangeRow> = on_read!(self, cx => sqlx::query_as(
            "SELECT id, origin, site_id, kind, keys, paths, at FROM change_feed \
             WHERE at >= $1 AND id <= $2 ORDER BY id",
        )
        .bind(stored_time(since))
        .bind(through)
        .fetch_all(cx)
        .await)?;
        rows.into_iter().map(ChangeRow::into_change).collect()
    }

    /// Forgets changes made before `before`; returns how many.
    pub async fn prune_change_feed(&self, before: OffsetDateTime) -> Result<u64> {
        Ok(
            on_write!(self, cx => sqlx::query("DELETE FROM change_feed WHERE at < $1")
            .bind(stored_time(before))
            .execute(cx)
            .await.map(|done| done.rows_affected()))?,
        )
    }

    /// Takes or renews the lease `name` for `holder` until `until`: true
    /// when `holder` has it now (it was free, had lapsed, or was already
    /// theirs). One statement, so two instances asking at once cannot
    /// both get it.
    pub async fn take_lease(
        &self,
        name: &str,
        holder: &str,
        now: OffsetDateTime,
        until: OffsetDateTime,
    ) -> Result<bool> {
        let taken: Option<String> = on_write!(self, cx => sqlx::query_scalar(
            "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $4) \
             ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at \
             WHERE leases.holder = excluded.holder OR leases.expires_at <= $3 \
             RETURNING holder",
        )
        .bind(name)
        .bind(holder)
        .bind(stored_time(now))
        .bind(stored_time(until))
        .fetch_optional(cx)
        .await)?;
        Ok(taken.is_some())
    }

    /// Gives a lease up (a clean stop), so another instance need not wait
    /// for it to lapse.
    pub async fn release_lease(&self, name: &str, holder: &str) -> Result<()> {
        on_write!(self, cx => sqlx::query("DELETE FROM leases WHERE name = $1 AND holder = $2")
            .bind(name)
            .bind(holder)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Where the reader of the feed named `name` stopped, if it ever read.
    pub async fn feed_cursor(&self, name: &str) -> Result<Option<i64>> {
        Ok(on_read!(self, cx => sqlx::query_scalar(
            "SELECT position FROM feed_cursors WHERE name = $1",
        )
        .bind(name)
        .fetch_optional(cx)
        .await)?)
    }

    pub async fn set_feed_cursor(&self, name: &str, position: i64) -> Result<()> {
        on_write!(self, cx => sqlx::query(
            "INSERT INTO feed_cursors (name, position) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET position = excluded.position",
        )
        .bind(name)
        .bind(position)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Stores a site's trained classifier (`core::classifier::Model` as
    /// JSON) for the other instances.
    pub async fn save_classifier_model(
        &self,
        site: SiteId,
        model: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        on_write!(self, cx => sqlx::query(
            "INSERT INTO classifier_models (site_id, model, trained_at) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id) DO UPDATE SET model = excluded.model, trained_at = excluded.trained_at",
        )
        .bind(site.0)
        .bind(model)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// The stored classifiers trained after `since` (all when `None`):
    /// `(site, model JSON, trained at)`.
    pub async fn classifier_models_since(
        &self,
        since: Option<OffsetDateTime>,
    ) -> Result<Vec<(SiteId, String, OffsetDateTime)>> {
        let rows: Vec<(i64, String, OffsetDateTime)> = on_read!(self, cx => sqlx::query_as(
            "SELECT site_id, model, trained_at FROM classifier_models \
             WHERE $1 IS NULL OR trained_at > $1 ORDER BY site_id",
        )
        .bind(since.map(stored_time))
        .fetch_all(cx)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(site, model, at)| (SiteId(site), model, at))
            .collect())
    }

    /// Drops every result the read cache holds (another instance wrote).
    pub fn forget_cached_reads(&self) {
        self.cache.invalidate();
    }

    /// Waits for changes announced by other instances, where the database
    /// can announce them (PostgreSQL); `None` on SQLite, whose readers
    /// look at the feed on a timer.
    pub async fn change_listener(&self) -> Result<Option<ChangeListener>> {
        match &self.backend {
            Backend::Sqlite { .. } => Ok(None),
            Backend::Postgres(pool) => {
                let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
                listener.listen(CHANGE_CHANNEL).await?;
                Ok(Some(ChangeListener(listener)))
            }
        }
    }
}

/// Notifications of new changes in the feed (PostgreSQL `LISTEN`).
pub struct ChangeListener(sqlx::postgres::PgListener);

impl ChangeListener {
    /// Waits for the next notification. A lost connection is re-made, and
    /// whatever was announced meanwhile is not delivered: readers go by
    /// their position in the feed, so a notification only says when to
    /// look.
    pub async fn next(&mut self) -> Result<()> {
        self.0.recv().await?;
        Ok(())
    }
}
