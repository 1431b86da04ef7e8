//! What the search index is built from: published articles with their
//! tags, authors and edition language, read in pages of ids for a full
//! rebuild or by id for the articles of the search backlog; and the
//! backlog itself, the durable record of articles whose document changed
//! since the index took them (filled by triggers, `0017_search_backlog.sql`).

use crate::db::{on_read, on_tx};
use crate::{Db, Result, StoreError};
use dateline_core::search::{SearchDocument, html_to_text};
use dateline_core::{ArticleId, AuthorId, Lang, SectionId, SiteId, TagId};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

/// Articles the index holds: every published one. Whether its time has
/// come (`published_at <= now`) is checked at query time, like the site's
/// own lists do.
macro_rules! indexable {
    ($where:literal) => {
        concat!(
            "SELECT a.id, a.site_id, s.lang, a.section_id, a.headline, a.standfirst, a.body_html, \
             a.source_credit, COALESCE(a.published_at, a.updated_at) AS published_at \
             FROM articles a JOIN sites s ON s.id = a.site_id WHERE a.state = 'published' AND ",
            $where
        )
    };
}

const PAGE_AFTER: &str = indexable!("a.id > $1 ORDER BY a.id LIMIT $2");
/// Followed by the placeholders of an id list and `)`.
const BY_IDS: &str = indexable!("a.id IN (");
const COUNT_INDEXABLE: &str = "SELECT COUNT(*) FROM articles WHERE state = 'published'";
const BACKLOG_PAGE: &str =
    "SELECT id, article_id FROM search_backlog WHERE id > $1 ORDER BY id LIMIT $2";
const BACKLOG_MARK: &str = "SELECT COALESCE(MAX(id), 0) FROM search_backlog";
const PRUNE_BACKLOG: &str = "DELETE FROM search_backlog WHERE id <= $1";
const RECORD_PRUNED: &str =
    "UPDATE search_backlog_pruned SET through = $1 WHERE singleton = 1 AND through < $1";
const PRUNED_THROUGH: &str = "SELECT through FROM search_backlog_pruned WHERE singleton = 1";

/// A page of the search backlog: articles whose search document may have
/// changed since the index last took them. Every transaction that changes
/// what a document is built from adds its articles, in the same commit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SearchBacklog {
    /// Each article once, in the order first recorded.
    pub articles: Vec<ArticleId>,
    /// How many rows of the backlog the page covers (an article changed
    /// by several statements has several).
    pub rows: usize,
    /// Where the page ends: the index records it as its position once
    /// it has committed these articles.
    pub through: BacklogMark,
}

impl SearchBacklog {
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }
}

/// A position in the search backlog: every row up to it has been read
/// (ids are never reused). An index keeps the mark it has applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct BacklogMark(pub i64);

#[derive(sqlx::FromRow)]
struct IndexRow {
    id: i64,
    site_id: i64,
    lang: String,
    section_id: i64,
    headline: String,
    standfirst: String,
    body_html: String,
    source_credit: String,
    published_at: OffsetDateTime,
}

/// `$1, $2, …, $n` for an `IN` list: the only text ever spliced into this
/// module's SQL, so the statements stay free of injected input.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Db {
    /// How many articles the search index should hold.
    pub async fn count_indexable(&self) -> Result<i64> {
        Ok(on_read!(self, cx => sqlx::query_scalar(COUNT_INDEXABLE)
            .fetch_one(cx)
            .await)?)
    }

    /// Up to `limit` indexable articles with ids above `after`, in id
    /// order: one page of a full rebuild.
    pub async fn search_documents_after(
        &self,
        after: ArticleId,
        limit: u32,
    ) -> Result<Vec<SearchDocument>> {
        let rows: Vec<IndexRow> = on_read!(self, cx => sqlx::query_as(PAGE_AFTER)
            .bind(after.0)
            .bind(i64::from(limit))
            .fetch_all(cx)
            .await)?;
        self.documents(rows).await
    }

    /// The indexable articles among `ids`; an id missing from the answer
    /// is not (or no longer) published and belongs out of the index.
    pub async fn search_documents(&self, ids: &[ArticleId]) -> Result<Vec<SearchDocument>> {
        let mut found = Vec::with_capacity(ids.len());
        // Well under SQLite's limit of bound parameters.
        for chunk in ids.chunks(500) {
            let sql = format!("{BY_IDS}{}) ORDER BY a.id", placeholders(chunk.len()));
            let rows: Vec<IndexRow> = on_read!(self, cx => {
                let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
                for id in chunk {
                    query = query.bind(id.0);
                }
                query.fetch_all(cx).await
            })?;
            found.extend(self.documents(rows).await?);
        }
        Ok(found)
    }

    /// The oldest `limit` rows of the search backlog after `after` (how far
    /// an index has applied it). What a page names was committed before
    /// it was read, so documents read afterwards
    /// ([`Db::search_documents`]) include those changes.
    pub async fn search_backlog(&self, after: BacklogMark, limit: u32) -> Result<SearchBacklog> {
        let rows: Vec<(i64, i64)> = on_read!(self, cx => sqlx::query_as(BACKLOG_PAGE)
            .bind(after.0)
            .bind(i64::from(limit))
            .fetch_all(cx)
            .await)?;
        let mut page = SearchBacklog {
            articles: Vec::new(),
            rows: rows.len(),
            through: BacklogMark(rows.last().map_or(after.0, |(id, _)| *id)),
        };
        let mut seen = HashSet::new();
        for (_, article) in rows {
            if seen.insert(article) {
                page.articles.push(ArticleId(article));
            }
        }
        Ok(page)
    }

    /// The end of the search backlog now: a full rebuild that starts
    /// reading after this takes in every change up to it.
    pub async fn search_backlog_mark(&self) -> Result<BacklogMark> {
        Ok(BacklogMark(
            on_read!(self, cx => sqlx::query_scalar(BACKLOG_MARK)
                .fetch_one(cx)
                .await)?,
        ))
    }

    /// Deletes the backlog up to `keep` rows before `applied` (where an
    /// index stands): every instance keeps its own position in the
    /// backlog, so rows stay for those that are behind, up to a point.
    /// Returns how many rows went.
    pub async fn prune_search_backlog(&self, applied: BacklogMark, keep: i64) -> Result<u64> {
        let through = applied.0 - keep;
        if through <= 0 {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let done = on_tx!(tx, cx => sqlx::query(PRUNE_BACKLOG)
            .bind(through)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        on_tx!(tx, cx => sqlx::query(RECORD_PRUNED)
            .bind(through)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        // Not a reader-visible write: no cache to drop.
        tx.inner.commit().await?;
        Ok(done)
    }

    /// Up to where the backlog was pruned: an index that stands before
    /// this missed changes and must be rebuilt.
    pub async fn search_backlog_pruned(&self) -> Result<BacklogMark> {
        Ok(BacklogMark(
            on_read!(self, cx => sqlx::query_scalar(PRUNED_THROUGH)
                .fetch_one(cx)
                .await)?,
        ))
    }

    /// `(article id, term id, term name)` rows of a tag or author query
    /// over an `IN` list of article ids.
    async fn named_links(&self, sql: String, ids: &[i64]) -> Result<Vec<(i64, i64, String)>> {
        Ok(on_read!(self, cx => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for id in ids {
                query = query.bind(id);
            }
            query.fetch_all(cx).await
        })?)
    }

    /// Adds tags and authors (two queries for the whole page of rows).
    async fn documents(&self, rows: Vec<IndexRow>) -> Result<Vec<SearchDocument>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let list = placeholders(ids.len());
        let tags_sql = format!(
            "SELECT x.article_id, t.id, t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id \
             WHERE x.article_id IN ({list}) ORDER BY x.article_id, x.position, t.id"
        );
        let authors_sql = format!(
            "SELECT x.article_id, w.id, w.name FROM article_authors x JOIN authors w ON w.id = x.author_id \
             WHERE x.article_id IN ({list}) ORDER BY x.article_id, x.position, w.id"
        );
        let mut tags: HashMap<i64, Vec<(TagId, String)>> = HashMap::new();
        for (article, id, name) in self.named_links(tags_sql, &ids).await? {
            tags.entry(article).or_default().push((TagId(id), name));
        }
        let mut authors: HashMap<i64, Vec<(AuthorId, String)>> = HashMap::new();
        for (article, id, name) in self.named_links(authors_sql, &ids).await? {
            authors
                .entry(article)
                .or_default()
                .push((AuthorId(id), name));
        }
        rows.into_iter()
            .map(|row| {
                let lang = row.lang.parse::<Lang>().map_err(|e| StoreError::Corrupt {
                    what: format!("site {}", row.site_id),
                    reason: e.to_string(),
                })?;
                Ok(SearchDocument {
                    id: ArticleId(row.id),
                    site: SiteId(row.site_id),
                    lang,
                    section: SectionId(row.section_id),
                    body_text: html_to_text(&row.body_html),
                    headline: row.headline,
                    standfirst: row.standfirst,
                    source_credit: row.source_credit,
                    tags: tags.remove(&row.id).unwrap_or_default(),
                    authors: authors.remove(&row.id).unwrap_or_default(),
                    published_at: row.published_at,
                })
            })
            .collect()
    }
}
