//! Articles: reading what readers may see, and writing new copy.

use crate::cache::CacheKey;
use crate::db::{on_read, on_tx, on_write};
use crate::taxonomy::{NamedRow, stored_slug};
use crate::{Db, Result, StoreError, Tx, stored_time};
use dateline_core::live::{Coverage, LiveCoverage};
use dateline_core::{
    Article, ArticleId, ArticleState, ArticleSummary, AuthorId, LeadImage, Section, SectionId,
    SiteId, Slug, TagId,
};
use std::sync::Arc;
use time::OffsetDateTime;

/// Which published articles of a site a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArticleFilter {
    All,
    Section(SectionId),
    Tag(TagId),
    Author(AuthorId),
    /// Published in `[from, until)`.
    Between(OffsetDateTime, OffsetDateTime),
}

/// Published articles of a site matching every filter given: the content
/// API's combination of section, tag, author and a time range.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ArticleQuery {
    pub section: Option<SectionId>,
    pub tag: Option<TagId>,
    pub author: Option<AuthorId>,
    /// Published at or after.
    pub from: Option<OffsetDateTime>,
    /// Published before.
    pub until: Option<OffsetDateTime>,
}

/// The lead image of a new article: a stored media file and how it is used.
#[derive(Debug, Clone)]
pub struct NewLeadImage {
    pub path: String,
    pub mime_type: String,
    pub width: u32,
    pub height: u32,
    pub caption: String,
    pub credit: String,
    pub alt: String,
    /// Crops in the ratios search engines ask for.
    pub crops: Vec<dateline_core::ImageCrop>,
}

/// A new article as the newsroom, an importer or the demo writes it.
#[derive(Debug, Clone)]
pub struct NewArticle {
    pub site: SiteId,
    pub section: SectionId,
    pub state: ArticleState,
    pub headline: String,
    pub seo_title: String,
    pub slug: Slug,
    pub standfirst: String,
    pub body_html: String,
    pub dateline_place: String,
    pub source_credit: String,
    pub lead_image: Option<NewLeadImage>,
    pub published_at: Option<OffsetDateTime>,
    pub updated_at: OffsetDateTime,
    pub translation_group: Option<String>,
    pub tags: Vec<TagId>,
    pub authors: Vec<AuthorId>,
}

/// Columns shared by full articles and list lines.
macro_rules! article_columns {
    () => {
        "a.id, a.headline, a.slug, a.standfirst, a.published_at, a.updated_at, \
         a.lead_caption, a.lead_credit, a.lead_alt, \
         s.id AS section_id, s.site_id AS section_site_id, s.slug AS section_slug, s.name AS section_name, \
         s.position AS section_position, \
         m.path AS image_path, m.width AS image_width, m.height AS image_height, m.variants AS image_variants, m.crops AS image_crops, \
         s.comment_mode AS section_comment_mode, \
         (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'approved') AS comment_count"
    };
}

macro_rules! published_list {
    ($filter:expr, $limit:literal, $offset:literal) => {
        concat!(
            "SELECT ", article_columns!(),
            " FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN media m ON m.id = a.lead_media_id \
             WHERE a.site_id = $1 AND a.state = 'published' AND a.published_at <= $2 ", $filter,
            " ORDER BY a.published_at DESC, a.id DESC LIMIT ", $limit, " OFFSET ", $offset
        )
    };
}

macro_rules! published_count {
    ($filter:expr) => {
        concat!(
            "SELECT COUNT(*) FROM articles a \
             WHERE a.site_id = $1 AND a.state = 'published' AND a.published_at <= $2 ",
            $filter
        )
    };
}

const LIST_ALL: &str = published_list!("", "$3", "$4");
const LIST_SECTION: &str = published_list!("AND a.section_id = $3", "$4", "$5");
const LIST_TAG: &str = published_list!(
    "AND a.id IN (SELECT article_id FROM article_tags WHERE tag_id = $3)",
    "$4",
    "$5"
);
const LIST_AUTHOR: &str = published_list!(
    "AND a.id IN (SELECT article_id FROM article_authors WHERE author_id = $3)",
    "$4",
    "$5"
);
const LIST_BETWEEN: &str = published_list!(
    "AND a.published_at >= $3 AND a.published_at < $4",
    "$5",
    "$6"
);
/// Absent filters are bound as NULL and match everything.
macro_rules! query_filters {
    () => {
        "AND ($3 IS NULL OR a.section_id = $3) \
         AND ($4 IS NULL OR a.id IN (SELECT article_id FROM article_tags WHERE tag_id = $4)) \
         AND ($5 IS NULL OR a.id IN (SELECT article_id FROM article_authors WHERE author_id = $5)) \
         AND ($6 IS NULL OR a.published_at >= $6) AND ($7 IS NULL OR a.published_at < $7)"
    };
}
const LIST_QUERY: &str = published_list!(query_filters!(), "$8", "$9");
const COUNT_QUERY: &str = published_count!(query_filters!());
const COUNT_ALL: &str = published_count!("");
const COUNT_SECTION: &str = published_count!("AND a.section_id = $3");
const COUNT_TAG: &str =
    published_count!("AND a.id IN (SELECT article_id FROM article_tags WHERE tag_id = $3)");
const COUNT_AUTHOR: &str =
    published_count!("AND a.id IN (SELECT article_id FROM article_authors WHERE author_id = $3)");
const COUNT_BETWEEN: &str = published_count!("AND a.published_at >= $3 AND a.published_at < $4");

/// Followed by an id list's placeholders (from `$3`) and `)`.
const PUBLISHED_BY_IDS: &str = concat!(
    "SELECT ",
    article_columns!(),
    " FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN media m ON m.id = a.lead_media_id \
     WHERE a.site_id = $1 AND a.state = 'published' AND a.published_at <= $2 AND a.id IN ("
);

const PUBLISHED_ARTICLE: &str = concat!(
    "SELECT ",
    article_columns!(),
    ", a.site_id, a.state, a.seo_title, a.body_html, a.dateline_place, a.source_credit, a.translation_group, \
     a.comment_mode AS article_comment_mode, a.live, a.live_started_at, a.live_ended_at \
     FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN media m ON m.id = a.lead_media_id \
     WHERE a.id = $1 AND a.site_id = $2 AND a.state = 'published' AND a.published_at <= $3"
);
const ANY_ARTICLE: &str = concat!(
    "SELECT ",
    article_columns!(),
    ", a.site_id, a.state, a.seo_title, a.body_html, a.dateline_place, a.source_credit, a.translation_group, \
     a.comment_mode AS article_comment_mode, a.live, a.live_started_at, a.live_ended_at \
     FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN media m ON m.id = a.lead_media_id \
     WHERE a.id = $1 AND a.site_id = $2 AND a.deleted_at IS NULL"
);
const TAGS_OF_ARTICLE: &str = "SELECT t.id, t.slug, t.name, '' AS bio FROM article_tags x \
     JOIN tags t ON t.id = x.tag_id WHERE x.article_id = $1 ORDER BY x.position, t.id";
const AUTHORS_OF_ARTICLE: &str = "SELECT w.id, w.slug, w.name, w.bio FROM article_authors x \
     JOIN authors w ON w.id = x.author_id WHERE x.article_id = $1 ORDER BY x.position, w.id";
const PUBLISHED_TIMES: &str = "SELECT published_at FROM articles \
     WHERE site_id = $1 AND state = 'published' AND published_at <= $2 ORDER BY published_at DESC";
const TRANSLATIONS: &str = "SELECT a.site_id, a.id, s.slug AS section_slug, a.slug FROM articles a \
     JOIN sections s ON s.id = a.section_id \
     WHERE a.translation_group = $1 AND a.id <> $2 AND a.state = 'published' AND a.published_at <= $3";

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    headline: String,
    slug: String,
    standfirst: String,
    published_at: Option<OffsetDateTime>,
    updated_at: OffsetDateTime,
    lead_caption: String,
    lead_credit: String,
    lead_alt: String,
    section_id: i64,
    section_site_id: i64,
    section_slug: String,
    section_name: String,
    section_position: i64,
    image_path: Option<String>,
    image_width: Option<i64>,
    image_height: Option<i64>,
    image_variants: Option<String>,
    image_crops: Option<String>,
    section_comment_mode: Option<String>,
    comment_count: i64,
}

#[derive(sqlx::FromRow)]
struct ArticleRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    site_id: i64,
    state: String,
    seo_title: String,
    body_html: String,
    dateline_place: String,
    source_credit: String,
    translation_group: Option<String>,
    article_comment_mode: Option<String>,
    live: Option<String>,
    live_started_at: Option<OffsetDateTime>,
    live_ended_at: Option<OffsetDateTime>,
}

/// Where a translation of an article lives.
#[derive(Debug, Clone)]
pub struct TranslationLink {
    pub site: SiteId,
    pub id: ArticleId,
    pub section_slug: Slug,
    pub slug: Slug,
}

/// One URL of a site's sitemap.
#[derive(Debug, Clone)]
pub struct SitemapEntry {
    pub id: ArticleId,
    pub section_slug: Slug,
    pub slug: Slug,
    pub updated_at: OffsetDateTime,
    pub image_path: Option<String>,
    /// Published translations in other editions.
    pub translations: Vec<TranslationLink>,
}

#[derive(sqlx::FromRow)]
struct SitemapRow {
    id: i64,
    section_slug: String,
    slug: String,
    updated_at: OffsetDateTime,
    image_path: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SitemapTranslationRow {
    article_id: i64,
    site_id: i64,
    id: i64,
    section_slug: String,
    slug: String,
}

const SITEMAP_PAGE: &str = "SELECT a.id, s.slug AS section_slug, a.slug, a.updated_at, m.path AS image_path \
     FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN media m ON m.id = a.lead_media_id \
     WHERE a.site_id = $1 AND a.state = 'published' AND a.published_at <= $2 \
     ORDER BY a.id LIMIT $3 OFFSET $4";
const SITEMAP_TRANSLATIONS: &str = "SELECT a.id AS article_id, t.site_id, t.id, s.slug AS section_slug, t.slug \
     FROM articles a JOIN articles t ON t.translation_group = a.translation_group AND t.id <> a.id \
     JOIN sections s ON s.id = t.section_id \
     WHERE a.site_id = $1 AND a.id >= $2 AND a.id <= $3 AND a.state = 'published' \
     AND t.state = 'published' AND t.published_at <= $4";

#[derive(sqlx::FromRow)]
struct TranslationRow {
    site_id: i64,
    id: i64,
    section_slug: String,
    slug: String,
}

impl SummaryRow {
    fn lead_image(&self) -> Option<LeadImage> {
        let path = self.image_path.clone()?;
        Some(LeadImage {
            path,
            width: self.image_width.unwrap_or(0).max(0) as u32,
            height: self.image_height.unwrap_or(0).max(0) as u32,
            caption: self.lead_caption.clone(),
            credit: self.lead_credit.clone(),
            alt: self.lead_alt.clone(),
            variants: dateline_core::parse_variants(self.image_variants.as_deref().unwrap_or("")),
            crops: dateline_core::parse_crops(self.image_crops.as_deref().unwrap_or("")),
        })
    }

    fn section(&self) -> Result<Section> {
        Ok(Section {
            id: SectionId(self.section_id),
            site_id: SiteId(self.section_site_id),
            slug: stored_slug(&self.section_slug)?,
            name: self.section_name.clone(),
            position: self.section_position,
            comment_mode: self
                .section_comment_mode
                .as_deref()
                .and_then(dateline_core::comments::CommentMode::parse),
        })
    }

    fn into_summary(self) -> Result<ArticleSummary> {
        Ok(ArticleSummary {
            id: ArticleId(self.id),
            lead_image: self.lead_image(),
            section_slug: stored_slug(&self.section_slug)?,
            slug: stored_slug(&self.slug)?,
            published_at: self.published_at.unwrap_or(self.updated_at),
            section_name: self.section_name,
            headline: self.headline,
            standfirst: self.standfirst,
            updated_at: self.updated_at,
            comment_count: self.comment_count,
        })
    }
}

/// What an [`ArticleFilter`] binds after the site and the time: its
/// statement is chosen among one per filter, in the order of the variants.
enum Narrowing {
    Nothing,
    Id(i64),
    Between(OffsetDateTime, OffsetDateTime),
}

impl Narrowing {
    fn of(filter: ArticleFilter, statements: [&'static str; 5]) -> (&'static str, Narrowing) {
        let [all, section, tag, author, between] = statements;
        match filter {
            ArticleFilter::All => (all, Narrowing::Nothing),
            ArticleFilter::Section(id) => (section, Narrowing::Id(id.0)),
            ArticleFilter::Tag(id) => (tag, Narrowing::Id(id.0)),
            ArticleFilter::Author(id) => (author, Narrowing::Id(id.0)),
            ArticleFilter::Between(from, until) => (
                between,
                Narrowing::Between(stored_time(from), stored_time(until)),
            ),
        }
    }
}

/// Binds a [`Narrowing`]'s values to a query of either backend.
macro_rules! bind_narrowing {
    ($query:expr, $narrowing:expr) => {
        match $narrowing {
            Narrowing::Nothing => $query,
            Narrowing::Id(id) => $query.bind(id),
            Narrowing::Between(from, until) => $query.bind(from).bind(until),
        }
    };
}

impl Db {
    async fn load_published_article(
        &self,
        site: SiteId,
        id: ArticleId,
        now: OffsetDateTime,
    ) -> Result<Option<Article>> {
        let row: Option<ArticleRow> = on_read!(self, cx => sqlx::query_as(PUBLISHED_ARTICLE)
            .bind(id.0)
            .bind(site.0)
            .bind(stored_time(now))
            .fetch_optional(cx)
            .await)?;
        self.assemble_article(id, row).await
    }

    /// An article of the site in any state, as the newsroom previews it.
    pub async fn article_in_any_state(
        &self,
        site: SiteId,
        id: ArticleId,
    ) -> Result<Option<Article>> {
        let row: Option<ArticleRow> = on_read!(self, cx => sqlx::query_as(ANY_ARTICLE)
            .bind(id.0)
            .bind(site.0)
            .fetch_optional(cx)
            .await)?;
        self.assemble_article(id, row).await
    }

    async fn assemble_article(
        &self,
        id: ArticleId,
        row: Option<ArticleRow>,
    ) -> Result<Option<Article>> {
        let Some(row) = row else {
            return Ok(None);
        };
        let tags: Vec<NamedRow> = on_read!(self, cx => sqlx::query_as(TAGS_OF_ARTICLE)
            .bind(id.0)
            .fetch_all(cx)
            .await)?;
        let authors: Vec<NamedRow> = on_read!(self, cx => sqlx::query_as(AUTHORS_OF_ARTICLE)
            .bind(id.0)
            .fetch_all(cx)
            .await)?;
        let state = ArticleState::parse(&row.state).ok_or_else(|| StoreError::Corrupt {
            what: format!("article {id}"),
            reason: format!("unknown state {:?}", row.state),
        })?;
        let s = &row.summary;
        Ok(Some(Article {
            id,
            site_id: SiteId(row.site_id),
            section: s.section()?,
            lead_image: s.lead_image(),
            slug: stored_slug(&s.slug)?,
            published_at: s.published_at,
            updated_at: s.updated_at,
            state,
            headline: row.summary.headline,
            seo_title: row.seo_title,
            standfirst: row.summary.standfirst,
            body_html: row.body_html,
            dateline_place: row.dateline_place,
            source_credit: row.source_credit,
            translation_group: row.translation_group,
            tags: tags
                .into_iter()
                .map(NamedRow::into_tag)
                .collect::<Result<_>>()?,
            authors: authors
                .into_iter()
                .map(NamedRow::into_author)
                .collect::<Result<_>>()?,
            corrections: self.corrections(id).await?,
            comment_mode: row
                .article_comment_mode
                .as_deref()
                .and_then(dateline_core::comments::CommentMode::parse),
            comment_count: row.summary.comment_count,
            live: row
                .live
                .as_deref()
                .and_then(Coverage::parse)
                .map(|coverage| LiveCoverage {
                    coverage,
                    started_at: row.live_started_at,
                    ended_at: row.live_ended_at,
                }),
        }))
    }

    async fn load_published_articles(
        &self,
        site: SiteId,
        filter: ArticleFilter,
        now: OffsetDateTime,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<ArticleSummary>> {
        let (sql, narrowing) = Narrowing::of(
            filter,
            [LIST_ALL, LIST_SECTION, LIST_TAG, LIST_AUTHOR, LIST_BETWEEN],
        );
        let rows: Vec<SummaryRow> = on_read!(self, cx => {
            let query = sqlx::query_as(sql).bind(site.0).bind(stored_time(now));
            bind_narrowing!(query, narrowing)
                .bind(i64::from(limit))
                .bind(offset)
                .fetch_all(cx)
                .await
        })?;
        rows.into_iter().map(SummaryRow::into_summary).collect()
    }

    async fn load_count_published(
        &self,
        site: SiteId,
        filter: ArticleFilter,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let (sql, narrowing) = Narrowing::of(
            filter,
            [
                COUNT_ALL,
                COUNT_SECTION,
                COUNT_TAG,
                COUNT_AUTHOR,
                COUNT_BETWEEN,
            ],
        );
        Ok(on_read!(self, cx => {
            let query = sqlx::query_scalar(sql).bind(site.0).bind(stored_time(now));
            bind_narrowing!(query, narrowing).fetch_one(cx).await
        })?)
    }

    async fn load_matching(
        &self,
        site: SiteId,
        query: ArticleQuery,
        now: OffsetDateTime,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<ArticleSummary>> {
        let rows: Vec<SummaryRow> = on_read!(self, cx => sqlx::query_as(LIST_QUERY)
            .bind(site.0)
            .bind(stored_time(now))
            .bind(query.section.map(|s| s.0))
            .bind(query.tag.map(|t| t.0))
            .bind(query.author.map(|a| a.0))
            .bind(query.from.map(stored_time))
            .bind(query.until.map(stored_time))
            .bind(i64::from(limit))
            .bind(offset)
            .fetch_all(cx)
            .await)?;
        rows.into_iter().map(SummaryRow::into_summary).collect()
    }

    async fn load_count_matching(
        &self,
        site: SiteId,
        query: ArticleQuery,
        now: OffsetDateTime,
    ) -> Result<i64> {
        Ok(on_read!(self, cx => sqlx::query_scalar(COUNT_QUERY)
            .bind(site.0)
            .bind(stored_time(now))
            .bind(query.section.map(|s| s.0))
            .bind(query.tag.map(|t| t.0))
            .bind(query.author.map(|a| a.0))
            .bind(query.from.map(stored_time))
            .bind(query.until.map(stored_time))
            .fetch_one(cx)
            .await)?)
    }

    /// One page of the published articles matching a query, newest first.
    pub async fn published_matching(
        &self,
        site: SiteId,
        query: ArticleQuery,
        now: OffsetDateTime,
        limit: u32,
        offset: i64,
    ) -> Result<Arc<Vec<ArticleSummary>>> {
        let key = CacheKey::Query {
            site,
            query,
            limit,
            offset,
        };
        self.cached(key, || self.load_matching(site, query, now, limit, offset))
            .await
    }

    /// The published articles of a site among `ids`, in the order given
    /// (search results, related articles); ids that are not published
    /// are left out.
    pub async fn published_by_ids(
        &self,
        site: SiteId,
        ids: &[ArticleId],
        now: OffsetDateTime,
    ) -> Result<Arc<Vec<ArticleSummary>>> {
        if ids.is_empty() {
            return Ok(Arc::new(Vec::new()));
        }
        let key = CacheKey::ByIds(site, ids.to_vec());
        self.cached(key, || self.load_published_by_ids(site, ids, now))
            .await
    }

    async fn load_published_by_ids(
        &self,
        site: SiteId,
        ids: &[ArticleId],
        now: OffsetDateTime,
    ) -> Result<Vec<ArticleSummary>> {
        let ids = &ids[..ids.len().min(500)];
        // Only generated placeholders are spliced into the statement.
        let list: Vec<String> = (3..ids.len() + 3).map(|i| format!("${i}")).collect();
        let sql = format!("{PUBLISHED_BY_IDS}{})", list.join(", "));
        let mut rows: Vec<SummaryRow> = on_read!(self, cx => {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(site.0)
                .bind(stored_time(now));
            for id in ids {
                query = query.bind(id.0);
            }
            query.fetch_all(cx).await
        })?;
        rows.sort_by_key(|r| ids.iter().position(|id| id.0 == r.id));
        rows.into_iter().map(SummaryRow::into_summary).collect()
    }

    /// How many published articles match a query in all.
    pub async fn count_published_matching(
        &self,
        site: SiteId,
        query: ArticleQuery,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let key = CacheKey::QueryCount(site, query);
        Ok(*self
            .cached(key, || self.load_count_matching(site, query, now))
            .await?)
    }

    /// Publication times of all published articles of a site, newest first;
    /// the archive groups them into months of the site's time zone.
    pub async fn published_times(
        &self,
        site: SiteId,
        now: OffsetDateTime,
    ) -> Result<Vec<OffsetDateTime>> {
        Ok(on_read!(self, cx => sqlx::query_scalar(PUBLISHED_TIMES)
            .bind(site.0)
            .bind(stored_time(now))
            .fetch_all(cx)
            .await)?)
    }

    async fn load_translations(
        &self,
        group: &str,
        of: ArticleId,
        now: OffsetDateTime,
    ) -> Result<Vec<TranslationLink>> {
        let rows: Vec<TranslationRow> = on_read!(self, cx => sqlx::query_as(TRANSLATIONS)
            .bind(group)
            .bind(of.0)
            .bind(stored_time(now))
            .fetch_all(cx)
            .await)?;
        rows.into_iter()
            .map(|r| {
                Ok(TranslationLink {
                    site: SiteId(r.site_id),
                    id: ArticleId(r.id),
                    section_slug: stored_slug(&r.section_slug)?,
                    slug: stored_slug(&r.slug)?,
                })
            })
            .collect()
    }

    /// A published article of the site, as readers see it at `now`.
    pub async fn published_article(
        &self,
        site: SiteId,
        id: ArticleId,
        now: OffsetDateTime,
    ) -> Result<Option<Arc<Article>>> {
        let key = CacheKey::Article(site, id);
        let found = self
            .cached(key, || async {
                Ok(self
                    .load_published_article(site, id, now)
                    .await?
                    .map(Arc::new))
            })
            .await?;
        Ok((*found).clone())
    }

    /// One page of a site's published articles, newest first.
    pub async fn published_articles(
        &self,
        site: SiteId,
        filter: ArticleFilter,
        now: OffsetDateTime,
        limit: u32,
        offset: i64,
    ) -> Result<Arc<Vec<ArticleSummary>>> {
        let key = CacheKey::List {
            site,
            filter,
            limit,
            offset,
        };
        self.cached(key, || {
            self.load_published_articles(site, filter, now, limit, offset)
        })
        .await
    }

    /// How many articles a list has in all.
    pub async fn count_published(
        &self,
        site: SiteId,
        filter: ArticleFilter,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let key = CacheKey::Count(site, filter);
        Ok(*self
            .cached(key, || self.load_count_published(site, filter, now))
            .await?)
    }

    /// Published translations of an article in the other editions.
    pub async fn translations(
        &self,
        group: &str,
        of: ArticleId,
        now: OffsetDateTime,
    ) -> Result<Arc<Vec<TranslationLink>>> {
        let key = CacheKey::Translations(group.to_owned(), of);
        self.cached(key, || self.load_translations(group, of, now))
            .await
    }

    /// One page of a site's sitemap, in id order, with each article's
    /// translations (two queries for the whole page).
    pub async fn sitemap_entries(
        &self,
        site: SiteId,
        now: OffsetDateTime,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<SitemapEntry>> {
        let now = stored_time(now);
        let rows: Vec<SitemapRow> = on_read!(self, cx => sqlx::query_as(SITEMAP_PAGE)
            .bind(site.0)
            .bind(now)
            .bind(i64::from(limit))
            .bind(offset)
            .fetch_all(cx)
            .await)?;
        let (Some(first), Some(last)) = (rows.first().map(|r| r.id), rows.last().map(|r| r.id))
        else {
            return Ok(Vec::new());
        };
        let links: Vec<SitemapTranslationRow> = on_read!(self, cx => sqlx::query_as(SITEMAP_TRANSLATIONS)
            .bind(site.0)
            .bind(first)
            .bind(last)
            .bind(now)
            .fetch_all(cx)
            .await)?;
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let translations = links
                .iter()
                .filter(|l| l.article_id == row.id)
                .map(|l| {
                    Ok(TranslationLink {
                        site: SiteId(l.site_id),
                        id: ArticleId(l.id),
                        section_slug: stored_slug(&l.section_slug)?,
                        slug: stored_slug(&l.slug)?,
                    })
                })
                .collect::<Result<_>>()?;
            entries.push(SitemapEntry {
                id: ArticleId(row.id),
                section_slug: stored_slug(&row.section_slug)?,
                slug: stored_slug(&row.slug)?,
                updated_at: row.updated_at,
                image_path: row.image_path,
                translations,
            });
        }
        Ok(entries)
    }

    /// Serves a reader query from the cache, or runs it and keeps the result.
    pub(crate) async fn cached<T, F, Fut>(&self, key: CacheKey, load: F) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        if let Some(hit) = self.cache.get::<T>(&key) {
            return Ok(hit);
        }
        let generation = self.cache.generation();
        let value = Arc::new(load().await?);
        self.cache.put(key, generation, value.clone());
        Ok(value)
    }

    /// Gives an article a new slug; its old URLs keep resolving (by id) and
    /// redirect to the new one.
    pub async fn set_article_slug(
        &self,
        id: ArticleId,
        slug: &Slug,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let done = on_write!(self, cx => sqlx::query("UPDATE articles SET slug = $1, updated_at = $2 WHERE id = $3")
            .bind(slug.as_str())
            .bind(stored_time(now))
            .bind(id.0)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        self.cache.invalidate();
        self.announce(vec![id]);
        Ok(done == 1)
    }
}

impl Tx {
    /// Stores a new article with its lead image, tags and authors.
    pub async fn insert_article(
        &mut self,
        article: &NewArticle,
        now: OffsetDateTime,
    ) -> Result<ArticleId> {
        let lead_media_id = match &article.lead_image {
            Some(image) => Some(self.insert_media(article.site, image, now).await?),
            None => None,
        };
        let (caption, credit, alt) = article
            .lead_image
            .as_ref()
            .map(|i| (i.caption.as_str(), i.credit.as_str(), i.alt.as_str()))
            .unwrap_or_default();
        let id: i64 = on_tx!(self, cx => sqlx::query_scalar(
            "INSERT INTO articles (site_id, section_id, state, headline, seo_title, slug, standfirst, body_html, \
             dateline_place, source_credit, lead_media_id, lead_caption, lead_credit, lead_alt, published_at, \
             updated_at, created_at, translation_group) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        )
        .bind(article.site.0)
        .bind(article.section.0)
        .bind(article.state.as_str())
        .bind(&article.headline)
        .bind(&article.seo_title)
        .bind(article.slug.as_str())
        .bind(&article.standfirst)
        .bind(&article.body_html)
        .bind(&article.dateline_place)
        .bind(&article.source_credit)
        .bind(lead_media_id)
        .bind(caption)
        .bind(credit)
        .bind(alt)
        .bind(article.published_at.map(stored_time))
        .bind(stored_time(article.updated_at))
        .bind(stored_time(now))
        .bind(&article.translation_group)
        .fetch_one(cx)
        .await)?;
        self.touch(ArticleId(id));
        for (position, tag) in article.tags.iter().enumerate() {
            on_tx!(self, cx => sqlx::query("INSERT INTO article_tags (article_id, tag_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(tag.0)
                .bind(position as i64)
                .execute(cx)
                .await.map(|done| done.rows_affected()))?;
        }
        for (position, author) in article.authors.iter().enumerate() {
            on_tx!(self, cx => sqlx::query(
                "INSERT INTO article_authors (article_id, author_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(author.0)
            .bind(position as i64)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        }
        Ok(ArticleId(id))
    }

    async fn insert_media(
        &mut self,
        site: SiteId,
        image: &NewLeadImage,
        now: OffsetDateTime,
    ) -> Result<i64> {
        Ok(on_tx!(self, cx => sqlx::query_scalar(
            "INSERT INTO media (site_id, path, mime_type, width, height, created_at, crops) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(site.0)
        .bind(&image.path)
        .bind(&image.mime_type)
        .bind(i64::from(image.width))
        .bind(i64::from(image.height))
        .bind(stored_time(now))
        .bind(dateline_core::format_crops(&image.crops))
        .fetch_one(cx)
        .await)?)
    }
}
