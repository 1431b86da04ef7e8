//! Old addresses that answer a permanent redirect (`core::redirect`).

use crate::db::{on_read, on_write};
use crate::{Db, Result};
use dateline_core::redirect::RedirectTarget;
use dateline_core::{ArticleId, SiteId};
use time::OffsetDateTime;

/// A redirect of a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub old_address: String,
    pub target: RedirectTarget,
    pub created_at: OffsetDateTime,
}

fn target(article: Option<i64>, path: String) -> RedirectTarget {
    match article {
        Some(id) => RedirectTarget::Article(ArticleId(id)),
        None => RedirectTarget::Path(path),
    }
}

impl Db {
    /// Makes `old` lead to `target`, or changes where it leads.
    pub async fn set_redirect(
        &self,
        site: SiteId,
        old: &str,
        to: &RedirectTarget,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.set_redirect(site, old, to, now).await?;
        tx.commit().await
    }

    /// True when there was such a redirect.
    pub async fn delete_redirect(&self, site: SiteId, old: &str) -> Result<bool> {
        let deleted = on_write!(self, cx => sqlx::query(
            "DELETE FROM redirects WHERE site_id = $1 AND old_address = $2",
        )
        .bind(site.0)
        .bind(old)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(deleted > 0)
    }

    /// Where an old address (in `old_address` form) leads, if anywhere.
    pub async fn redirect_for(&self, site: SiteId, old: &str) -> Result<Option<RedirectTarget>> {
        let row: Option<(Option<i64>, String)> = on_read!(self, cx => sqlx::query_as(
            "SELECT article_id, target_path FROM redirects WHERE site_id = $1 AND old_address = $2",
        )
        .bind(site.0)
        .bind(old)
        .fetch_optional(cx)
        .await)?;
        Ok(row.map(|(article, path)| target(article, path)))
    }

    /// A site's redirects, newest first.
    pub async fn redirects(&self, site: SiteId, limit: i64) -> Result<Vec<Redirect>> {
        let rows: Vec<(String, Option<i64>, String, OffsetDateTime)> = on_read!(self, cx => sqlx::query_as(
            "SELECT old_address, article_id, target_path, created_at FROM redirects \
             WHERE site_id = $1 ORDER BY created_at DESC, old_address LIMIT $2",
        )
        .bind(site.0)
        .bind(limit)
        .fetch_all(cx)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(old_address, article, path, created_at)| Redirect {
                old_address,
                target: target(article, path),
                created_at,
            })
            .collect())
    }
}
