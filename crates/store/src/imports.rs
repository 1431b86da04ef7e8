//! What importers (WordPress, Disqus) took in, by identity at the source.
//! An imported article is written with its source link, its old addresses
//! and its trash mark in one transaction; a post's comments in another.
//! Either is whole or absent after a crash, so a run started again skips
//! what is done and finishes the rest.

use crate::db::{on_read, on_tx, on_write};
use crate::sources::SourceStamp;
use crate::{Db, Result, Tx, stored_time};
use dateline_core::accounts::UserId;
use dateline_core::comments::CommentStatus;
use dateline_core::editing::ArticleContent;
use dateline_core::redirect::RedirectTarget;
use dateline_core::workflow::Status;
use dateline_core::{ArticleId, SiteId};
use time::OffsetDateTime;

/// What an imported row is, beside articles (which `article_sources`
/// links).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportedKind {
    /// A WordPress attachment stored in an edition's media library.
    Attachment,
    /// A WordPress comment or a Disqus post.
    Comment,
}

impl ImportedKind {
    fn as_str(self) -> &'static str {
        match self {
            ImportedKind::Attachment => "attachment",
            ImportedKind::Comment => "comment",
        }
    }
}

/// An old address of a site and where it leads now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldAddress {
    pub site: SiteId,
    /// In `core::redirect::old_address` form.
    pub old: String,
}

/// A new article from an import.
#[derive(Debug, Clone, Copy)]
pub struct ImportedArticle<'a> {
    pub site: SiteId,
    pub content: &'a ArticleContent,
    /// The state and times it had at the source.
    pub status: Status,
    pub user: UserId,
    pub stamp: SourceStamp<'a>,
    /// Its old addresses: each leads to it.
    pub old_addresses: &'a [OldAddress],
    /// It was in the source's trash: it goes to the trash here too.
    pub trashed: bool,
}

/// A comment from an import, with the identity it had at its source.
#[derive(Debug, Clone, Copy)]
pub struct ImportedComment<'a> {
    /// The id at the source.
    pub key: &'a str,
    pub site: SiteId,
    pub article: ArticleId,
    /// The id at the source of the comment it answers, if any.
    pub parent_key: Option<&'a str>,
    pub name: &'a str,
    pub email: &'a str,
    pub body: &'a str,
    pub status: CommentStatus,
    pub client_ip: &'a str,
    pub created_at: OffsetDateTime,
    /// Why it is not shown (spam, trash at the source); empty otherwise.
    pub decision_reason: &'a str,
}

/// A comment's row, and whether this run made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommentRow {
    pub id: i64,
    pub new: bool,
}

/// How far the import of one file got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportRun {
    /// Where the first entry not known to be done starts.
    pub resume_offset: u64,
    pub finished: bool,
}

/// The terms a comment from before Dateline was written under: none of
/// this site's.
const IMPORTED_TERMS: &str = "imported";

/// The importer's account: it creates what imports bring in (bylines name
/// the writers). Not a person, as the wire desk's is not.
const IMPORT_ACCOUNT_EMAIL: &str = "import@dateline.invalid";

impl Db {
    pub async fn import_account(&self, now: OffsetDateTime) -> Result<UserId> {
        self.system_account(IMPORT_ACCOUNT_EMAIL, "Import", "import", now)
            .await
    }

    /// A new article with its source link, old addresses and trash mark,
    /// in one transaction.
    pub async fn create_imported_article(
        &self,
        article: &ImportedArticle<'_>,
        now: OffsetDateTime,
    ) -> Result<ArticleId> {
        let mut tx = self.begin().await?;
        let id = tx
            .create_article(
                article.site,
                article.content,
                article.status,
                "import",
                article.user,
                now,
            )
            .await?;
        on_tx!(tx, cx => sqlx::query(
            "INSERT INTO article_sources (article_id, site_id, source, guid, version) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.0)
        .bind(article.site.0)
        .bind(article.stamp.source)
        .bind(article.stamp.guid)
        .bind(article.stamp.version)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        let target = RedirectTarget::Article(id);
        for address in article.old_addresses {
            tx.set_redirect(address.site, &address.old, &target, now)
                .await?;
        }
        if article.trashed {
            on_tx!(tx, cx => sqlx::query(
                "UPDATE articles SET deleted_at = $1, deleted_by = $2 WHERE id = $3",
            )
            .bind(stored_time(now))
            .bind(article.user.0)
            .bind(id.0)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Old addresses (archives, feeds, an article's former slugs) and where
    /// they lead, in one transaction; an address kept before is changed.
    pub async fn set_redirects(
        &self,
        redirects: &[(OldAddress, RedirectTarget)],
        now: OffsetDateTime,
    ) -> Result<()> {
        if redirects.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for (address, target) in redirects {
            tx.set_redirect(address.site, &address.old, target, now)
                .await?;
        }
        tx.commit().await
    }

    /// The row an item of a source became in an edition, if any.
    pub async fn imported(
        &self,
        source: &str,
        kind: ImportedKind,
        key: &str,
        site: SiteId,
    ) -> Result<Option<i64>> {
        Ok(on_write!(self, cx => sqlx::query_scalar(
            "SELECT local_id FROM imported WHERE source = $1 AND kind = $2 AND item_key = $3 AND site_id = $4",
        )
        .bind(source)
        .bind(kind.as_str())
        .bind(key)
        .bind(site.0)
        .fetch_optional(cx)
        .await)?)
    }

    /// Records the row an item became (an attachment's media row).
    pub async fn record_imported(
        &self,
        source: &str,
        kind: ImportedKind,
        key: &str,
        site: SiteId,
        local: i64,
        now: OffsetDateTime,
    ) -> Result<()> {
        on_write!(self, cx => sqlx::query(
            "INSERT INTO imported (source, kind, item_key, site_id, local_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(source)
        .bind(kind.as_str())
        .bind(key)
        .bind(site.0)
        .bind(local)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Stores comments from a source in one transaction, each once: one
    /// taken in before keeps its row. A reply is linked to the comment it
    /// answers when that is in (earlier in `comments` included), else
    /// when it comes ([`Db::link_waiting_replies`]). Gives
    /// each comment's row, in order.
    pub async fn import_comments(
        &self,
        source: &str,
        comments: &[ImportedComment<'_>],
        now: OffsetDateTime,
    ) -> Result<Vec<CommentRow>> {
        let mut rows = Vec::with_capacity(comments.len());
        if comments.is_empty() {
            return Ok(rows);
        }
        let mut tx = self.begin().await?;
        for comment in comments {
            let known = tx
                .imported_comment(source, comment.key, comment.site)
                .await?;
            if let Some(id) = known {
                rows.push(CommentRow { id, new: false });
                continue;
            }
            let parent = match comment.parent_key {
                Some(key) => tx.imported_comment(source, key, comment.site).await?,
                None => None,
            };
            let id = tx.insert_imported_comment(comment, parent, now).await?;
            let waiting = comment.parent_key.filter(|_| parent.is_none());
            on_tx!(tx, cx => sqlx::query(
                "INSERT INTO imported (source, kind, item_key, site_id, local_id, waiting_parent, created_at) \
                 VALUES ($1, 'comment', $2, $3, $4, $5, $6)",
            )
            .bind(source)
            .bind(comment.key)
            .bind(comment.site.0)
            .bind(id)
            .bind(waiting)
            .bind(stored_time(now))
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
            rows.push(CommentRow { id, new: true });
        }
        tx.commit().await?;
        Ok(rows)
    }

    /// Links the replies of a source that came before the comment they
    /// answer, now that it is in; gives how many were linked.
    pub async fn link_waiting_replies(&self, source: &str) -> Result<u64> {
        let mut tx = self.begin().await?;
        let linked = on_tx!(tx, cx => sqlx::query(
            "UPDATE comments SET parent_id = (SELECT p.local_id FROM imported c JOIN imported p \
             ON p.source = c.source AND p.kind = 'comment' AND p.item_key = c.waiting_parent AND p.site_id = c.site_id \
             WHERE c.source = $1 AND c.kind = 'comment' AND c.local_id = comments.id) \
             WHERE id IN (SELECT c.local_id FROM imported c JOIN imported p \
             ON p.source = c.source AND p.kind = 'comment' AND p.item_key = c.waiting_parent AND p.site_id = c.site_id \
             WHERE c.source = $1 AND c.kind = 'comment')",
        )
        .bind(source)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        on_tx!(tx, cx => sqlx::query(
            "UPDATE imported SET waiting_parent = NULL WHERE source = $1 AND kind = 'comment' \
             AND waiting_parent IS NOT NULL AND EXISTS (SELECT 1 FROM imported p WHERE p.source = imported.source \
             AND p.kind = 'comment' AND p.item_key = imported.waiting_parent AND p.site_id = imported.site_id)",
        )
        .bind(source)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        tx.commit().await?;
        Ok(linked)
    }

    /// How far the import of `file` from `source` got, if it began.
    pub async fn import_run(&self, source: &str, file: &str) -> Result<Option<ImportRun>> {
        let row: Option<(i64, Option<OffsetDateTime>)> = on_write!(self, cx => sqlx::query_as(
            "SELECT resume_offset, finished_at FROM import_runs WHERE source = $1 AND file = $2",
        )
        .bind(source)
        .bind(file)
        .fetch_optional(cx)
        .await)?;
        Ok(row.map(|(offset, finished)| ImportRun {
            resume_offset: u64::try_from(offset).unwrap_or(0),
            finished: finished.is_some(),
        }))
    }

    /// Records how far the import of `file` got (`finished` at its end).
    pub async fn save_import_run(
        &self,
        source: &str,
        file: &str,
        run: ImportRun,
        now: OffsetDateTime,
    ) -> Result<()> {
        let finished = run.finished.then(|| stored_time(now));
        on_write!(self, cx => sqlx::query(
            "INSERT INTO import_runs (source, file, resume_offset, started_at, updated_at, finished_at) \
             VALUES ($1, $2, $3, $4, $4, $5) ON CONFLICT (source, file) DO UPDATE SET \
             resume_offset = excluded.resume_offset, updated_at = excluded.updated_at, \
             finished_at = excluded.finished_at",
        )
        .bind(source)
        .bind(file)
        .bind(i64::try_from(run.resume_offset).unwrap_or(i64::MAX))
        .bind(stored_time(now))
        .bind(finished)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// The article a WordPress post became in one of `sites`, by the post's
    /// id, whichever WordPress site it came from (a Disqus thread names
    /// its post so).
    pub async fn imported_post(
        &self,
        sites: &[SiteId],
        post_id: &str,
    ) -> Result<Option<(SiteId, ArticleId)>> {
        let rows: Vec<(i64, i64)> = on_read!(self, cx => sqlx::query_as(
            "SELECT site_id, article_id FROM article_sources \
             WHERE guid = $1 AND source LIKE 'wordpress:%' ORDER BY article_id",
        )
        .bind(post_id)
        .fetch_all(cx)
        .await)?;
        Ok(rows
            .into_iter()
            .find(|(site, _)| sites.iter().any(|s| s.0 == *site))
            .map(|(site, article)| (SiteId(site), ArticleId(article))))
    }

    /// The site of an article, if it is in one of `sites`.
    pub async fn article_site(
        &self,
        sites: &[SiteId],
        article: ArticleId,
    ) -> Result<Option<SiteId>> {
        let site: Option<i64> = on_read!(self, cx => sqlx::query_scalar(
            "SELECT site_id FROM articles WHERE id = $1",
        )
        .bind(article.0)
        .fetch_optional(cx)
        .await)?;
        Ok(site
            .filter(|site| sites.iter().any(|s| s.0 == *site))
            .map(SiteId))
    }
}

impl Tx {
    async fn imported_comment(
        &mut self,
        source: &str,
        key: &str,
        site: SiteId,
    ) -> Result<Option<i64>> {
        Ok(on_tx!(self, cx => sqlx::query_scalar(
            "SELECT local_id FROM imported WHERE source = $1 AND kind = 'comment' AND item_key = $2 AND site_id = $3",
        )
        .bind(source)
        .bind(key)
        .bind(site.0)
        .fetch_optional(cx)
        .await)?)
    }

    async fn insert_imported_comment(
        &mut self,
        c: &ImportedComment<'_>,
        parent: Option<i64>,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let decided = (c.status != CommentStatus::Pending).then(|| stored_time(now));
        let id: i64 = on_tx!(self, cx => sqlx::query_scalar(
            "INSERT INTO comments (site_id, article_id, author_name, author_email, title, body, status, \
             hold_reasons, client_ip, user_agent, terms_version, terms_accepted_at, created_at, \
             parent_id, decided_at, decision_reason) \
             VALUES ($1, $2, $3, $4, '', $5, $6, '', $7, '', $8, $9, $9, $10, $11, $12) RETURNING id",
        )
        .bind(c.site.0)
        .bind(c.article.0)
        .bind(c.name)
        .bind(c.email)
        .bind(c.body)
        .bind(c.status.as_str())
        .bind(c.client_ip)
        .bind(IMPORTED_TERMS)
        .bind(stored_time(c.created_at))
        .bind(parent)
        .bind(decided)
        .bind(c.decision_reason)
        .fetch_one(cx)
        .await)?;
        Ok(id)
    }

    /// [`Db::set_redirect`] inside a transaction.
    pub(crate) async fn set_redirect(
        &mut self,
        site: SiteId,
        old: &str,
        to: &RedirectTarget,
        now: OffsetDateTime,
    ) -> Result<()> {
        let (article, path) = match to {
            RedirectTarget::Article(id) => (Some(id.0), ""),
            RedirectTarget::Path(path) => (None, path.as_str()),
        };
        on_tx!(self, cx => sqlx::query(
            "INSERT INTO redirects (site_id, old_address, article_id, target_path, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (site_id, old_address) \
             DO UPDATE SET article_id = excluded.article_id, target_path = excluded.target_path",
        )
        .bind(site.0)
        .bind(old)
        .bind(article)
        .bind(path)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }
}
