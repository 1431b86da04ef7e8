//! Articles from outside sources: which article an item of a source
//! became, the version of it last applied, and kills. The link is written
//! in the same transaction as the article, so an item ingested twice, even
//! across a crash, is one article.

use crate::db::{on_tx, on_write};
use crate::editorial::{ArticleSave, SaveConflict};
use crate::{Db, Result, stored_time};
use dateline_core::accounts::UserId;
use dateline_core::editing::ArticleContent;
use dateline_core::workflow::Status;
use dateline_core::{ArticleId, SiteId};
use time::OffsetDateTime;

/// An item of a source, at a version (versions compare as numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceStamp<'a> {
    /// The source's name on the site (`afp`).
    pub source: &'a str,
    /// The item's identifier at the source.
    pub guid: &'a str,
    pub version: i64,
    /// When the source first created the item: a story published at once
    /// shows this time rather than the time of ingest, when it is earlier.
    pub first_created: Option<OffsetDateTime>,
}

/// What the store knows of an item already taken in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLink {
    pub article: ArticleId,
    pub version: i64,
    /// When the source killed it, and why.
    pub killed: Option<(OffsetDateTime, String)>,
}

/// How a save changes an article's link to its source.
#[derive(Debug, Clone, Copy)]
pub enum LinkChange<'a> {
    /// A newer version of the item was applied.
    Version(i64),
    /// The source (or the desk) killed the story, for this reason.
    Kill(&'a str),
}

impl Db {
    /// The article an item of a source became, if any.
    pub async fn source_link(
        &self,
        site: SiteId,
        source: &str,
        guid: &str,
    ) -> Result<Option<SourceLink>> {
        let row: Option<(i64, i64, Option<OffsetDateTime>, String)> = on_write!(self, cx => sqlx::query_as(
            "SELECT article_id, version, killed_at, kill_reason FROM article_sources \
             WHERE site_id = $1 AND source = $2 AND guid = $3",
        )
        .bind(site.0)
        .bind(source)
        .bind(guid)
        .fetch_optional(cx)
        .await)?;
        Ok(row.map(|(article, version, killed_at, reason)| SourceLink {
            article: ArticleId(article),
            version,
            killed: killed_at.map(|at| (at, reason)),
        }))
    }

    /// A new article from an item of a source, linked to it, in one
    /// transaction.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_article_from_source(
        &self,
        site: SiteId,
        content: &ArticleContent,
        status: Status,
        step: &str,
        user: UserId,
        stamp: &SourceStamp<'_>,
        now: OffsetDateTime,
    ) -> Result<ArticleId> {
        let mut tx = self.begin().await?;
        let id = tx
            .create_article(site, content, status, step, user, now)
            .await?;
        on_tx!(tx, cx => sqlx::query(
            "INSERT INTO article_sources (article_id, site_id, source, guid, version) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.0)
        .bind(site.0)
        .bind(stamp.source)
        .bind(stamp.guid)
        .bind(stamp.version)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves an article (as [`Db::save_article`]) and changes its link to
    /// its source in the same transaction: a newer version applied, or a
    /// kill. An article without a link gets none; a kill is recorded in the
    /// audit log either way.
    pub async fn save_article_linked(
        &self,
        save: &ArticleSave<'_>,
        change: LinkChange<'_>,
        now: OffsetDateTime,
    ) -> Result<Result<i64, SaveConflict>> {
        let mut tx = self.begin().await?;
        let saved = tx.save_article(save, now).await?;
        if saved.is_err() {
            return Ok(saved);
        }
        match change {
            LinkChange::Version(version) => {
                on_tx!(tx, cx => sqlx::query("UPDATE article_sources SET version = $1 WHERE article_id = $2")
                    .bind(version)
                    .bind(save.id.0)
                    .execute(cx)
                    .await.map(|done| done.rows_affected()))?;
            }
            LinkChange::Kill(reason) => {
                on_tx!(tx, cx => sqlx::query(
                    "UPDATE article_sources SET killed_at = $1, kill_reason = $2 WHERE article_id = $3",
                )
                .bind(stored_time(now))
                .bind(reason)
                .bind(save.id.0)
                .execute(cx)
                .await.map(|done| done.rows_affected()))?;
                let subject = format!("article:{}", save.id);
                tx.audit(
                    Some(save.site),
                    Some(save.user),
                    "kill",
                    &subject,
                    reason,
                    now,
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(saved)
    }

    /// Every edition's article an item of a source became (an editor may
    /// have taken it into more than one), for a kill.
    pub async fn source_links(
        &self,
        source: &str,
        guid: &str,
    ) -> Result<Vec<(SiteId, SourceLink)>> {
        let rows: Vec<(i64, i64, i64, Option<OffsetDateTime>, String)> = on_write!(self, cx => sqlx::query_as(
            "SELECT site_id, article_id, version, killed_at, kill_reason FROM article_sources \
             WHERE source = $1 AND guid = $2 ORDER BY site_id",
        )
        .bind(source)
        .bind(guid)
        .fetch_all(cx)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(site, article, version, killed_at, reason)| {
                (
                    SiteId(site),
                    SourceLink {
                        article: ArticleId(article),
                        version,
                        killed: killed_at.map(|at| (at, reason)),
                    },
                )
            })
            .collect())
    }

    /// The source link of an article, if it came from outside.
    pub async fn link_of(&self, article: ArticleId) -> Result<Option<SourceLink>> {
        let row: Option<(i64, Option<OffsetDateTime>, String)> = on_write!(self, cx => sqlx::query_as(
            "SELECT version, killed_at, kill_reason FROM article_sources WHERE article_id = $1",
        )
        .bind(article.0)
        .fetch_optional(cx)
        .await)?;
        Ok(row.map(|(version, killed_at, reason)| SourceLink {
            article,
            version,
            killed: killed_at.map(|at| (at, reason)),
        }))
    }
}
