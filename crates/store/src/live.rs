//! Live coverage: a story's coverage state and its entries. An entry is
//! numbered (`seq`) in the transaction that stores it, so two reporters
//! posting at once get two numbers, and readers ask for what came after
//! the number they have.

use crate::db::{on_read, on_tx};
use crate::{Db, Result, stored_time};
use dateline_core::accounts::UserId;
use dateline_core::live::{CheckedEntry, Coverage};
use dateline_core::{ArticleId, SiteId};
use time::OffsetDateTime;

/// An entry as readers and the newsroom see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LiveEntry {
    pub seq: i64,
    pub headline: String,
    pub body_html: String,
    pub key_event: bool,
    /// Who posted it (the newsroom's name).
    pub author: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Why it was changed, empty when it never was.
    pub correction: String,
    /// Its picture: the file under the media folder, and its size.
    pub picture: Option<EntryPicture>,
}

/// An entry's picture.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EntryPicture {
    pub path: String,
    pub width: i64,
    pub height: i64,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    seq: i64,
    headline: String,
    body_html: String,
    key_event: i64,
    author: Option<String>,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    correction: String,
    picture_path: Option<String>,
    picture_width: Option<i64>,
    picture_height: Option<i64>,
}

fn entry(row: EntryRow) -> LiveEntry {
    LiveEntry {
        seq: row.seq,
        headline: row.headline,
        body_html: row.body_html,
        key_event: row.key_event != 0,
        author: row.author,
        created_at: row.created_at,
        updated_at: row.updated_at,
        correction: row.correction,
        picture: row.picture_path.map(|path| EntryPicture {
            path,
            width: row.picture_width.unwrap_or_default(),
            height: row.picture_height.unwrap_or_default(),
        }),
    }
}

/// Entries with their authors' names, then the condition and order.
macro_rules! entries {
    ($rest:literal) => {
        concat!(
            "SELECT e.seq, e.headline, e.body_html, e.key_event, u.name AS author, e.created_at, e.updated_at, \
             e.correction, m.path AS picture_path, m.width AS picture_width, m.height AS picture_height \
             FROM live_entries e LEFT JOIN users u ON u.id = e.user_id LEFT JOIN media m ON m.id = e.media_id ",
            $rest
        )
    };
}
const ENTRIES_AFTER: &str =
    entries!("WHERE e.article_id = $1 AND e.seq > $2 ORDER BY e.seq DESC LIMIT $3");
const KEY_EVENTS: &str =
    entries!("WHERE e.article_id = $1 AND e.key_event <> 0 ORDER BY e.seq DESC");

impl crate::Tx {
    /// The end of every change to a story's live coverage: its line in
    /// the audit log, the story marked changed for the caches, the commit.
    async fn live_changed(
        mut self,
        site: SiteId,
        user: UserId,
        article: ArticleId,
        action: &str,
        detail: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let subject = format!("article:{article}");
        self.audit(Some(site), Some(user), action, &subject, detail, now)
            .await?;
        self.touch(article);
        self.commit().await
    }
}

impl Db {
    /// Starts (`Live`) or ends (`Ended`) a story's live coverage; false
    /// when the site has no such story.
    pub async fn set_coverage(
        &self,
        site: SiteId,
        article: ArticleId,
        coverage: Coverage,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let query = match coverage {
            Coverage::Live => {
                "UPDATE articles SET live = 'live', live_started_at = COALESCE(live_started_at, $1), \
                 live_ended_at = NULL WHERE id = $2 AND site_id = $3 AND deleted_at IS NULL"
            }
            Coverage::Ended => {
                "UPDATE articles SET live = 'ended', live_ended_at = $1 \
                 WHERE id = $2 AND site_id = $3 AND live IS NOT NULL AND deleted_at IS NULL"
            }
        };
        let changed = on_tx!(tx, cx => sqlx::query(query)
            .bind(stored_time(now))
            .bind(article.0)
            .bind(site.0)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        if changed == 0 {
            return Ok(false);
        }
        let action = match coverage {
            Coverage::Live => "live-start",
            Coverage::Ended => "live-end",
        };
        tx.live_changed(site, user, article, action, "", now)
            .await?;
        Ok(true)
    }

    /// Posts an entry to a live story, numbered after the last; the
    /// story's "Last Updated" time is the entry's. `None` when the story
    /// is not live on this site.
    pub async fn add_live_entry(
        &self,
        site: SiteId,
        article: ArticleId,
        entry: &CheckedEntry,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<Option<i64>> {
        let mut tx = self.begin().await?;
        let live: Option<Option<String>> = on_tx!(tx, cx => sqlx::query_scalar(
            "SELECT live FROM articles WHERE id = $1 AND site_id = $2 AND deleted_at IS NULL",
        )
        .bind(article.0)
        .bind(site.0)
        .fetch_optional(cx)
        .await)?;
        if live.flatten().as_deref() != Some(Coverage::Live.as_str()) {
            return Ok(None);
        }
        let seq: i64 = on_tx!(tx, cx => sqlx::query_scalar(
            "UPDATE articles SET live_seq = live_seq + 1 WHERE id = $1 RETURNING live_seq",
        )
        .bind(article.0)
        .fetch_one(cx)
        .await)?;
        on_tx!(tx, cx => sqlx::query(
            "INSERT INTO live_entries (article_id, seq, headline, body_html, key_event, user_id, created_at, updated_at, media_id) \
             VALUES ($1, $7, $2, $3, $4, $5, $6, $6, $8)",
        )
        .bind(article.0)
        .bind(&entry.headline)
        .bind(&entry.body_html)
        .bind(i64::from(entry.key_event))
        .bind(user.0)
        .bind(stored_time(now))
        .bind(seq)
        .bind(entry.media.map(|m| m.0))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        on_tx!(tx, cx => sqlx::query(
            "UPDATE articles SET updated_at = $1 WHERE id = $2 AND state = 'published' AND updated_at < $1",
        )
        .bind(stored_time(now))
        .bind(article.0)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        tx.live_changed(
            site,
            user,
            article,
            "live-entry",
            &format!("entry {seq}"),
            now,
        )
        .await?;
        Ok(Some(seq))
    }

    /// Corrects an entry (its text, headline and key-event mark) with a
    /// note readers see; false when there is no such entry.
    pub async fn correct_live_entry(
        &self,
        site: SiteId,
        article: ArticleId,
        seq: i64,
        entry: &CheckedEntry,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let changed = on_tx!(tx, cx => sqlx::query(
            "UPDATE live_entries SET headline = $1, body_html = $2, key_event = $3, correction = $4, updated_at = $5, \
             media_id = $9 WHERE article_id = $6 AND seq = $7 \
             AND article_id IN (SELECT id FROM articles WHERE site_id = $8)",
        )
        .bind(&entry.headline)
        .bind(&entry.body_html)
        .bind(i64::from(entry.key_event))
        .bind(&entry.correction)
        .bind(stored_time(now))
        .bind(article.0)
        .bind(seq)
        .bind(site.0)
        .bind(entry.media.map(|m| m.0))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        if changed == 0 {
            return Ok(false);
        }
        tx.live_changed(
            site,
            user,
            article,
            "live-correct",
            &format!("entry {seq}: {}", entry.correction),
            now,
        )
        .await?;
        Ok(true)
    }

    /// Removes an entry (posted in error, or against the rules), with the
    /// reason in the audit log; false when there is no such entry.
    pub async fn remove_live_entry(
        &self,
        site: SiteId,
        article: ArticleId,
        seq: i64,
        reason: &str,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let removed = on_tx!(tx, cx => sqlx::query(
            "DELETE FROM live_entries WHERE article_id = $1 AND seq = $2 \
             AND article_id IN (SELECT id FROM articles WHERE site_id = $3)",
        )
        .bind(article.0)
        .bind(seq)
        .bind(site.0)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        if removed == 0 {
            return Ok(false);
        }
        tx.live_changed(
            site,
            user,
            article,
            "live-remove",
            &format!("entry {seq}: {reason}"),
            now,
        )
        .await?;
        Ok(true)
    }

    /// A story's entries numbered after `after`, newest first, at most
    /// `limit`.
    pub async fn live_entries(
        &self,
        article: ArticleId,
        after: i64,
        limit: u32,
    ) -> Result<Vec<LiveEntry>> {
        let rows: Vec<EntryRow> = on_read!(self, cx => sqlx::query_as(ENTRIES_AFTER)
            .bind(article.0)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(cx)
            .await)?;
        Ok(rows.into_iter().map(entry).collect())
    }

    /// The numbers of a story's entries that were removed: the gaps in
    /// its numbering up to the last number given (numbers are never
    /// given twice).
    pub async fn removed_live_entries(&self, article: ArticleId) -> Result<Vec<i64>> {
        let seqs: Vec<i64> = on_read!(self, cx => sqlx::query_scalar(
            "SELECT seq FROM live_entries WHERE article_id = $1 ORDER BY seq",
        )
        .bind(article.0)
        .fetch_all(cx)
        .await)?;
        let last: Option<i64> = on_read!(self, cx => sqlx::query_scalar(
            "SELECT live_seq FROM articles WHERE id = $1",
        )
        .bind(article.0)
        .fetch_optional(cx)
        .await)?;
        let mut removed = Vec::new();
        let mut expected = 1;
        for seq in seqs.into_iter().chain(last.map(|l| l + 1)) {
            removed.extend(expected..seq);
            expected = seq + 1;
        }
        Ok(removed)
    }

    /// A story's key events, newest first.
    pub async fn live_key_events(&self, article: ArticleId) -> Result<Vec<LiveEntry>> {
        let rows: Vec<EntryRow> = on_read!(self, cx => sqlx::query_as(KEY_EVENTS)
            .bind(article.0)
            .fetch_all(cx)
            .await)?;
        Ok(rows.into_iter().map(entry).collect())
    }
}
