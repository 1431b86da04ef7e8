//! The newsroom's side of articles: any state, with versions, revisions,
//! corrections, autosaves, scheduled publishing and the audit log.

use crate::db::{on_read, on_tx, on_write};
use crate::taxonomy::NamedRow;
use crate::{Db, Result, StoreError, Tx, stored_time};
use dateline_core::accounts::UserId;
use dateline_core::editing::{ArticleContent, MediaId, Revision};
use dateline_core::workflow::Status;
use dateline_core::{
    ArticleId, ArticleState, Author, AuthorId, Correction, SectionId, SiteId, Slug,
};
use serde::Serialize;
use time::OffsetDateTime;

/// An article as the editor opens it.
#[derive(Debug, Clone)]
pub struct EditableArticle {
    pub id: ArticleId,
    pub site: SiteId,
    pub status: Status,
    /// Bumped by every save; a save must name the version it started from.
    pub version: i64,
    pub created_by: Option<UserId>,
    pub edited_at: Option<OffsetDateTime>,
    pub translation_group: Option<String>,
    pub content: ArticleContent,
    pub corrections: Vec<Correction>,
}

/// A line of the newsroom's article lists.
#[derive(Debug, Clone, Serialize)]
pub struct DeskItem {
    pub id: ArticleId,
    pub headline: String,
    pub state: ArticleState,
    pub section_name: String,
    pub writer: Option<String>,
    pub created_by: Option<UserId>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub edited_at: OffsetDateTime,
}

/// A media file the editor may choose as a lead image.
#[derive(Debug, Clone, Serialize)]
pub struct MediaChoice {
    pub id: MediaId,
    pub path: String,
    pub width: u32,
    pub height: u32,
}

/// A save that lost the race: someone else saved first.
#[derive(Debug, Clone)]
pub struct SaveConflict {
    pub current_version: i64,
    pub saved_by: Option<String>,
    pub saved_at: Option<OffsetDateTime>,
}

/// A save of the editor, applied only if `expected_version` is current.
#[derive(Debug, Clone)]
pub struct ArticleSave<'a> {
    pub id: ArticleId,
    pub site: SiteId,
    pub expected_version: i64,
    pub content: &'a ArticleContent,
    pub status: Status,
    pub user: UserId,
    /// What the audit log records (`save`, `publish`, `restore` …).
    pub audit_action: &'a str,
}

/// A revision in the history list.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionLine {
    pub number: i64,
    pub state: ArticleState,
    pub author_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub saved_at: OffsetDateTime,
    pub headline: String,
}

/// The editor's form as typed, kept while typing.
#[derive(Debug, Clone)]
pub struct Autosave {
    pub base_version: i64,
    /// JSON of the form; the web layer owns its shape.
    pub content: String,
    pub saved_at: OffsetDateTime,
}

/// One line of the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub user_name: Option<String>,
    pub action: String,
    pub subject: String,
    pub detail: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// How many articles of a site are in each state.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DeskCounts {
    pub draft: i64,
    pub in_review: i64,
    pub scheduled: i64,
    pub published: i64,
    pub unpublished: i64,
}

#[derive(sqlx::FromRow)]
struct EditableRow {
    id: i64,
    site_id: i64,
    section_id: i64,
    state: String,
    headline: String,
    seo_title: String,
    slug: String,
    standfirst: String,
    body_html: String,
    dateline_place: String,
    source_credit: String,
    lead_media_id: Option<i64>,
    lead_caption: String,
    lead_credit: String,
    lead_alt: String,
    published_at: Option<OffsetDateTime>,
    updated_at: OffsetDateTime,
    edited_at: Option<OffsetDateTime>,
    translation_group: Option<String>,
    created_by: Option<i64>,
    version: i64,
    comment_mode: Option<String>,
}

#[derive(sqlx::FromRow)]
struct DeskRow {
    id: i64,
    headline: String,
    state: String,
    section_name: String,
    writer: Option<String>,
    created_by: Option<i64>,
    published_at: Option<OffsetDateTime>,
    edited_at: Option<OffsetDateTime>,
    updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    number: i64,
    state: String,
    user_id: Option<i64>,
    author_name: Option<String>,
    content: String,
    saved_at: OffsetDateTime,
}

const EDITABLE: &str = "SELECT id, site_id, section_id, state, headline, seo_title, slug, standfirst, body_html, \
     dateline_place, source_credit, lead_media_id, lead_caption, lead_credit, lead_alt, published_at, updated_at, \
     edited_at, translation_group, created_by, version, comment_mode FROM articles \
     WHERE id = $1 AND site_id = $2 AND deleted_at IS NULL";
macro_rules! desk_query {
    ($rest:literal) => {
        concat!(
            "SELECT a.id, a.headline, a.state, s.name AS section_name, u.name AS writer, \
             a.created_by, a.published_at, a.edited_at, a.updated_at \
             FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN users u ON u.id = a.created_by ",
            $rest
        )
    };
}

const TAG_NAMES: &str = "SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id \
     WHERE x.article_id = $1 ORDER BY x.position, t.id";
const AUTHOR_IDS: &str =
    "SELECT author_id FROM article_authors WHERE article_id = $1 ORDER BY position, author_id";
const CORRECTIONS: &str = "SELECT note, created_at FROM article_corrections \
     WHERE article_id = $1 ORDER BY created_at, id";

fn parse_state(id: i64, text: &str) -> Result<ArticleState> {
    ArticleState::parse(text).ok_or_else(|| StoreError::Corrupt {
        what: format!("article {id}"),
        reason: format!("unknown state {text:?}"),
    })
}

impl DeskRow {
    fn into_item(self) -> Result<DeskItem> {
        Ok(DeskItem {
            id: ArticleId(self.id),
            state: parse_state(self.id, &self.state)?,
            headline: self.headline,
            section_name: self.section_name,
            writer: self.writer,
            created_by: self.created_by.map(UserId),
            published_at: self.published_at,
            edited_at: self.edited_at.unwrap_or(self.updated_at),
        })
    }
}

impl RevisionRow {
    fn into_revision(self, article: ArticleId) -> Result<Revision> {
        let content = serde_json::from_str(&self.content).map_err(|e| StoreError::Corrupt {
            what: format!("revision {} of article {article}", self.number),
            reason: e.to_string(),
        })?;
        Ok(Revision {
            number: self.number,
            author: self.user_id.map(UserId),
            author_name: self.author_name.unwrap_or_default(),
            saved_at: self.saved_at,
            content,
        })
    }
}

impl Db {
    /// An article of the site in any state, as the editor opens it.
    pub async fn editable_article(
        &self,
        site: SiteId,
        id: ArticleId,
    ) -> Result<Option<EditableArticle>> {
        let Some(row): Option<EditableRow> = on_read!(self, cx => sqlx::query_as(EDITABLE)
            .bind(id.0)
            .bind(site.0)
            .fetch_optional(cx)
            .await)?
        else {
            return Ok(None);
        };
        let tags: Vec<String> = on_read!(self, cx => sqlx::query_scalar(TAG_NAMES)
            .bind(id.0)
            .fetch_all(cx)
            .await)?;
        let authors: Vec<i64> = on_read!(self, cx => sqlx::query_scalar(AUTHOR_IDS)
            .bind(id.0)
            .fetch_all(cx)
            .await)?;
        let corrections = self.corrections(id).await?;
        let slug = Slug::parse(&row.slug).map_err(|e| StoreError::Corrupt {
            what: format!("slug of article {id}"),
            reason: e.to_string(),
        })?;
        Ok(Some(EditableArticle {
            id,
            site: SiteId(row.site_id),
            status: Status {
                state: parse_state(row.id, &row.state)?,
                published_at: row.published_at,
                updated_at: row.updated_at,
            },
            version: row.version,
            created_by: row.created_by.map(UserId),
            edited_at: row.edited_at,
            translation_group: row.translation_group,
            content: ArticleContent {
                headline: row.headline,
                seo_title: row.seo_title,
                slug,
                standfirst: row.standfirst,
                body_html: row.body_html,
                section: SectionId(row.section_id),
                tags,
                authors: authors.into_iter().map(AuthorId).collect(),
                dateline_place: row.dateline_place,
                source_credit: row.source_credit,
                lead_media: row.lead_media_id.map(MediaId),
                lead_caption: row.lead_caption,
                lead_credit: row.lead_credit,
                lead_alt: row.lead_alt,
                comment_mode: row
                    .comment_mode
                    .as_deref()
                    .and_then(dateline_core::comments::CommentMode::parse),
            },
            corrections,
        }))
    }

    /// Public corrections of an article, oldest first.
    pub async fn corrections(&self, id: ArticleId) -> Result<Vec<Correction>> {
        let rows: Vec<(String, OffsetDateTime)> = on_read!(self, cx => sqlx::query_as(CORRECTIONS)
            .bind(id.0)
            .fetch_all(cx)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(note, at)| Correction { note, at })
            .collect())
    }

    /// The newsroom's list of a site's articles, most recently edited
    /// first, optionally in one state.
    pub async fn desk_articles(
        &self,
        site: SiteId,
        state: Option<ArticleState>,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<DeskItem>> {
        let rows: Vec<DeskRow> = on_read!(self, cx => sqlx::query_as(desk_query!(
            "WHERE a.site_id = $1 AND ($4 IS NULL OR a.state = $4) AND a.deleted_at IS NULL \
             ORDER BY COALESCE(a.edited_at, a.updated_at) DESC, a.id DESC LIMIT $2 OFFSET $3"
        ))
        .bind(site.0)
        .bind(i64::from(limit))
        .bind(offset)
        .bind(state.map(ArticleState::as_str))
        .fetch_all(cx)
        .await)?;
        rows.into_iter().map(DeskRow::into_item).collect()
    }

    /// Deleted articles of a site, most recently deleted first.
    pub async fn desk_trash(&self, site: SiteId) -> Result<Vec<DeskItem>> {
        let rows: Vec<DeskRow> = on_read!(self, cx => sqlx::query_as(desk_query!(
            "WHERE a.site_id = $1 AND a.deleted_at IS NOT NULL ORDER BY a.deleted_at DESC LIMIT 200"
        ))
        .bind(site.0)
        .fetch_all(cx)
        .await)?;
        rows.into_iter().map(DeskRow::into_item).collect()
    }

    /// Moves an article to the trash (or back): it leaves every list but
    /// keeps its revisions and comments. Published articles must be
    /// unpublished first.
    pub async fn set_article_trashed(
        &self,
        site: SiteId,
        article: ArticleId,
        trashed: bool,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let done = if trashed {
            on_tx!(tx, cx => sqlx::query(
                "UPDATE articles SET deleted_at = $1, deleted_by = $2 WHERE id = $3 AND site_id = $4 \
                 AND deleted_at IS NULL AND state <> 'published'",
            )
            .bind(stored_time(now))
            .bind(user.0)
            .bind(article.0)
            .bind(site.0)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?
        } else {
            on_tx!(tx, cx => sqlx::query(
                "UPDATE articles SET deleted_at = NULL, deleted_by = NULL WHERE id = $1 AND site_id = $2 \
                 AND deleted_at IS NOT NULL",
            )
            .bind(article.0)
            .bind(site.0)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?
        };
        if done == 0 {
            return Ok(false);
        }
        let action = if trashed { "delete" } else { "undelete" };
        tx.audit(
            Some(site),
            Some(user),
            action,
            &format!("article:{article}"),
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Scheduled articles of a site, soonest first.
    pub async fn desk_scheduled(&self, site: SiteId) -> Result<Vec<DeskItem>> {
        let rows: Vec<DeskRow> = on_read!(self, cx => sqlx::query_as(desk_query!(
            "WHERE a.site_id = $1 AND a.state = 'scheduled' AND a.deleted_at IS NULL \
             ORDER BY a.published_at LIMIT 50"
        ))
        .bind(site.0)
        .fetch_all(cx)
        .await)?;
        rows.into_iter().map(DeskRow::into_item).collect()
    }

    /// How many articles of the site are in each state.
    pub async fn desk_counts(&self, site: SiteId) -> Result<DeskCounts> {
        let rows: Vec<(String, i64)> = on_read!(self, cx => sqlx::query_as(
            "SELECT state, COUNT(*) FROM articles WHERE site_id = $1 AND deleted_at IS NULL GROUP BY state",
        )
        .bind(site.0)
        .fetch_all(cx)
        .await)?;
        let mut counts = DeskCounts::default();
        for (state, n) in rows {
            match ArticleState::parse(&state) {
                Some(ArticleState::Draft) => counts.draft = n,
                Some(ArticleState::InReview) => counts.in_review = n,
                Some(ArticleState::Scheduled) => counts.scheduled = n,
                Some(ArticleState::Published) => counts.published = n,
                Some(ArticleState::Unpublished) => counts.unpublished = n,
                None => {}
            }
        }
        Ok(counts)
    }

    /// Authors of a site, by name.
    pub async fn authors(&self, site: SiteId) -> Result<Vec<Author>> {
        let rows: Vec<NamedRow> = on_read!(self, cx => sqlx::query_as(
            "SELECT id, slug, name, bio FROM authors WHERE site_id = $1 ORDER BY name, id",
        )
        .bind(site.0)
        .fetch_all(cx)
        .await)?;
        rows.into_iter().map(NamedRow::into_author).collect()
    }

    /// Images of a site that may lead an article, newest first.
    pub async fn media_choices(&self, site: SiteId) -> Result<Vec<MediaChoice>> {
        let rows: Vec<(i64, String, i64, i64)> = on_read!(self, cx => sqlx::query_as(
            "SELECT id, path, width, height FROM media WHERE site_id = $1 ORDER BY id DESC LIMIT 500",
        )
        .bind(site.0)
        .fetch_all(cx)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(id, path, width, height)| MediaChoice {
                id: MediaId(id),
                path,
                width: width.clamp(0, i64::from(u32::MAX)) as u32,
                height: height.clamp(0, i64::from(u32::MAX)) as u32,
            })
            .collect())
    }

    /// Stores a new article written in the newsroom, with its first
    /// revision and audit lines: `create`, and the step taken with it
    /// (`publish`, `schedule`, `submit`) unless that was a plain save.
    pub async fn create_article(
        &self,
        site: SiteId,
        content: &ArticleContent,
        status: Status,
        step: &str,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<ArticleId> {
        let mut tx = self.begin().await?;
        let id = tx
            .create_article(site, content, status, step, user, now)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Saves the editor's content and state if nobody saved since
    /// `expected_version`; otherwise says who did, and stores nothing.
    pub async fn save_article(
        &self,
        save: &ArticleSave<'_>,
        now: OffsetDateTime,
    ) -> Result<Result<i64, SaveConflict>> {
        let mut tx = self.begin().await?;
        let saved = tx.save_article(save, now).await?;
        if saved.is_ok() {
            tx.commit().await?;
        }
        Ok(saved)
    }

    /// Links two articles of different editions as translations of each
    /// other. Fails when the other article is not in a sister edition.
    pub async fn link_translation(
        &self,
        article: ArticleId,
        site: SiteId,
        other: ArticleId,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let other_row: Option<(i64, Option<String>, String)> = on_tx!(tx, cx => sqlx::query_as(
            "SELECT a.site_id, a.translation_group, s.edition_group FROM articles a \
             JOIN sites s ON s.id = a.site_id WHERE a.id = $1",
        )
        .bind(other.0)
        .fetch_optional(cx)
        .await)?;
        let own_group: Option<(Option<String>, String)> = on_tx!(tx, cx => sqlx::query_as(
            "SELECT a.translation_group, s.edition_group FROM articles a \
             JOIN sites s ON s.id = a.site_id WHERE a.id = $1 AND a.site_id = $2",
        )
        .bind(article.0)
        .bind(site.0)
        .fetch_optional(cx)
        .await)?;
        let (Some((other_site, other_group, other_edition)), Some((own, own_edition))) =
            (other_row, own_group)
        else {
            return Ok(false);
        };
        if other_site == site.0 || other_edition != own_edition {
            return Ok(false);
        }
        let group = other_group
            .or(own)
            .unwrap_or_else(|| format!("translation-{}", other.0));
        on_tx!(tx, cx => sqlx::query("UPDATE articles SET translation_group = $1 WHERE id = $2 OR id = $3")
            .bind(&group)
            .bind(article.0)
            .bind(other.0)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        tx.commit().await?;
        Ok(true)
    }

    /// True when `other` is an article of a sister edition of `site` (the
    /// same brand, another site), which an article may translate.
    pub async fn can_translate(&self, site: SiteId, other: ArticleId) -> Result<bool> {
        Ok(self.sister_article_site(site, other).await?.is_some())
    }

    /// The site of an article of a sister edition (same edition group,
    /// another site); `None` when `other` is no such article.
    pub async fn sister_article_site(
        &self,
        site: SiteId,
        other: ArticleId,
    ) -> Result<Option<SiteId>> {
        let found: Option<i64> = on_read!(self, cx => sqlx::query_scalar(
            "SELECT a.site_id FROM articles a JOIN sites o ON o.id = a.site_id \
             JOIN sites s ON s.id = $1 WHERE a.id = $2 AND a.site_id <> $1 \
             AND o.edition_group = s.edition_group",
        )
        .bind(site.0)
        .bind(other.0)
        .fetch_optional(cx)
        .await)?;
        Ok(found.map(SiteId))
    }

    /// Ids of the other articles of a translation group, in any state.
    pub async fn translation_ids(&self, group: &str, except: ArticleId) -> Result<Vec<ArticleId>> {
        let ids: Vec<i64> = on_read!(self, cx => sqlx::query_scalar(
            "SELECT id FROM articles WHERE translation_group = $1 AND id <> $2 ORDER BY id",
        )
        .bind(group)
        .bind(except.0)
        .fetch_all(cx)
        .await)?;
        Ok(ids.into_iter().map(ArticleId).collect())
    }

    /// The saved revisions of an article, newest first.
    pub async fn revisions(&self, article: ArticleId) -> Result<Vec<RevisionLine>> {
        let rows: Vec<RevisionRow> = on_read!(self, cx => sqlx::query_as(
            "SELECT r.number, r.state, r.user_id, u.name AS author_name, r.content, r.saved_at \
             FROM article_revisions r LEFT JOIN users u ON u.id = r.user_id \
             WHERE r.article_id = $1 ORDER BY r.number DESC",
        )
        .bind(article.0)
        .fetch_all(cx)
        .await)?;
        rows.into_iter()
            .map(|row| {
                let state = parse_state(article.0, &row.state)?;
                let revision = row.into_revision(article)?;
                Ok(RevisionLine {
                    number: revision.number,
                    state,
                    author_name: revision.author_name,
                    saved_at: revision.saved_at,
                    headline: revision.content.headline,
                })
            })
            .collect()
    }

    /// One revision of an article.
    pub async fn revision(&self, article: ArticleId, number: i64) -> Result<Option<Revision>> {
        let row: Option<RevisionRow> = on_read!(self, cx => sqlx::query_as(
            "SELECT r.number, r.state, r.user_id, u.name AS author_name, r.content, r.saved_at \
             FROM article_revisions r LEFT JOIN users u ON u.id = r.user_id \
             WHERE r.article_id = $1 AND r.number = $2",
        )
        .bind(article.0)
        .bind(number)
        .fetch_optional(cx)
        .await)?;
        row.map(|r| r.into_revision(article)).transpose()
    }

    /// Appends a public correction; it moves "Last Updated", since readers
    /// see the article change.
    pub async fn add_correction(
        &self,
        article: ArticleId,
        site: SiteId,
        note: &str,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        on_tx!(tx, cx => sqlx::query(
            "INSERT INTO article_corrections (article_id, note, user_id, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(article.0)
        .bind(note)
        .bind(user.0)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        on_tx!(tx, cx => sqlx::query("UPDATE articles SET updated_at = $1, edited_at = $1 WHERE id = $2")
            .bind(stored_time(now))
            .bind(article.0)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        tx.audit(
            Some(site),
            Some(user),
            "correct",
            &format!("article:{article}"),
            note,
            now,
        )
        .await?;
        tx.commit().await
    }

    /// Publishes every scheduled article whose time has come; returns them.
    pub async fn publish_due(&self, now: OffsetDateTime) -> Result<Vec<(SiteId, ArticleId)>> {
        let mut tx = self.begin().await?;
        let due: Vec<(i64, i64)> = on_tx!(tx, cx => sqlx::query_as(
            "UPDATE articles SET state = 'published', version = version + 1 \
             WHERE state = 'scheduled' AND published_at <= $1 AND deleted_at IS NULL \
             RETURNING site_id, id",
        )
        .bind(stored_time(now))
        .fetch_all(cx)
        .await)?;
        for (site, id) in &due {
            tx.touch(ArticleId(*id));
            tx.audit(
                Some(SiteId(*site)),
                None,
                "publish",
                &format!("article:{id}"),
                "scheduled",
                now,
            )
            .await?;
        }
        if due.is_empty() {
            return Ok(Vec::new());
        }
        tx.commit().await?;
        Ok(due
            .into_iter()
            .map(|(s, a)| (SiteId(s), ArticleId(a)))
            .collect())
    }

    /// When the next scheduled article is due, if any.
    pub async fn next_scheduled(&self) -> Result<Option<OffsetDateTime>> {
        Ok(
            on_read!(self, cx => sqlx::query_scalar("SELECT MIN(published_at) FROM articles WHERE state = 'scheduled' AND deleted_at IS NULL")
                .fetch_one(cx)
                .await)?,
        )
    }

    /// Keeps the editor's form as typed (replacing the previous autosave).
    pub async fn put_autosave(
        &self,
        user: UserId,
        site: SiteId,
        article: Option<ArticleId>,
        autosave: &Autosave,
    ) -> Result<()> {
        on_write!(self, cx => sqlx::query(
            "INSERT INTO autosaves (user_id, site_id, article_id, base_version, content, saved_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id, site_id, article_id) DO UPDATE SET \
             base_version = excluded.base_version, content = excluded.content, saved_at = excluded.saved_at",
        )
        .bind(user.0)
        .bind(site.0)
        .bind(article.map_or(0, |a| a.0))
        .bind(autosave.base_version)
        .bind(&autosave.content)
        .bind(stored_time(autosave.saved_at))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// The user's autosave of an article (or of a new one), if any.
    pub async fn autosave(
        &self,
        user: UserId,
        site: SiteId,
        article: Option<ArticleId>,
    ) -> Result<Option<Autosave>> {
        let row: Option<(i64, String, OffsetDateTime)> = on_write!(self, cx => sqlx::query_as(
            "SELECT base_version, content, saved_at FROM autosaves \
             WHERE user_id = $1 AND site_id = $2 AND article_id = $3",
        )
        .bind(user.0)
        .bind(site.0)
        .bind(article.map_or(0, |a| a.0))
        .fetch_optional(cx)
        .await)?;
        Ok(row.map(|(base_version, content, saved_at)| Autosave {
            base_version,
            content,
            saved_at,
        }))
    }

    /// Drops the user's autosave once the form was saved for real.
    pub async fn clear_autosave(
        &self,
        user: UserId,
        site: SiteId,
        article: Option<ArticleId>,
    ) -> Result<()> {
        on_write!(self, cx => sqlx::query(
            "DELETE FROM autosaves WHERE user_id = $1 AND site_id = $2 AND article_id = $3",
        )
        .bind(user.0)
        .bind(site.0)
        .bind(article.map_or(0, |a| a.0))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Records an action outside an article save (settings, deletions).
    pub async fn record_audit(
        &self,
        site: Option<SiteId>,
        user: Option<UserId>,
        action: &str,
        subject: &str,
        detail: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.audit(site, user, action, subject, detail, now).await?;
        tx.commit().await
    }

    /// The newest audit entries of a site.
    pub async fn audit_log(&self, site: SiteId, limit: u32) -> Result<Vec<AuditEntry>> {
        let rows: Vec<(Option<String>, String, String, String, OffsetDateTime)> = on_read!(self, cx => sqlx::query_as(
            "SELECT u.name, l.action, l.subject, l.detail, l.at FROM audit_log l \
             LEFT JOIN users u ON u.id = l.user_id WHERE l.site_id = $1 ORDER BY l.at DESC, l.id DESC LIMIT $2",
        )
        .bind(site.0)
        .bind(i64::from(limit))
        .fetch_all(cx)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(user_name, action, subject, detail, at)| AuditEntry {
                user_name,
                action,
                subject,
                detail,
                at,
            })
            .collect())
    }
}

impl Tx {
    /// [`Db::create_article`] inside a transaction.
    pub(crate) async fn create_article(
        &mut self,
        site: SiteId,
        content: &ArticleContent,
        status: Status,
        step: &str,
        user: UserId,
        now: OffsetDateTime,
    ) -> Result<ArticleId> {
        let id: i64 = on_tx!(self, cx => sqlx::query_scalar(
            "INSERT INTO articles (site_id, section_id, state, headline, slug, published_at, updated_at, \
             created_at, edited_at, created_by, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, 0) RETURNING id",
        )
        .bind(site.0)
        .bind(content.section.0)
        .bind(status.state.as_str())
        .bind(&content.headline)
        .bind(content.slug.as_str())
        .bind(status.published_at.map(stored_time))
        .bind(stored_time(status.updated_at))
        .bind(stored_time(now))
        .bind(user.0)
        .fetch_one(cx)
        .await)?;
        let id = ArticleId(id);
        let save = ArticleSave {
            id,
            site,
            expected_version: 0,
            content,
            status,
            user,
            audit_action: "create",
        };
        self.write_article(&save, now).await?;
        if step != "save" {
            let subject = format!("article:{id}");
            self.audit(
                Some(site),
                Some(user),
                step,
                &subject,
                &content.headline,
                now,
            )
            .await?;
        }
        Ok(id)
    }

    /// [`Db::save_article`] inside a transaction.
    pub(crate) async fn save_article(
        &mut self,
        save: &ArticleSave<'_>,
        now: OffsetDateTime,
    ) -> Result<Result<i64, SaveConflict>> {
        let current: Option<i64> = on_tx!(self, cx => sqlx::query_scalar(
            "SELECT version FROM articles WHERE id = $1 AND site_id = $2 AND deleted_at IS NULL",
        )
        .bind(save.id.0)
        .bind(save.site.0)
        .fetch_optional(cx)
        .await)?;
        let Some(current) = current else {
            return Err(StoreError::Invalid(format!(
                "article {} does not exist",
                save.id
            )));
        };
        if current != save.expected_version {
            let last: Option<(Option<String>, OffsetDateTime)> = on_tx!(self, cx => sqlx::query_as(
                "SELECT u.name, r.saved_at FROM article_revisions r LEFT JOIN users u ON u.id = r.user_id \
                 WHERE r.article_id = $1 ORDER BY r.number DESC LIMIT 1",
            )
            .bind(save.id.0)
            .fetch_optional(cx)
            .await)?;
            let (saved_by, saved_at) = last.map_or((None, None), |(n, t)| (n, Some(t)));
            return Ok(Err(SaveConflict {
                current_version: current,
                saved_by,
                saved_at,
            }));
        }
        let version = self.write_article(save, now).await?;
        Ok(Ok(version))
    }

    /// Writes content and status, replaces tags and authors, bumps the
    /// version, keeps a revision and an audit line. Returns the new version.
    async fn write_article(&mut self, save: &ArticleSave<'_>, now: OffsetDateTime) -> Result<i64> {
        let c = save.content;
        let version = save.expected_version + 1;
        self.touch(save.id);
        on_tx!(self, cx => sqlx::query(
            "UPDATE articles SET section_id = $1, state = $2, headline = $3, seo_title = $4, slug = $5, \
             standfirst = $6, body_html = $7, dateline_place = $8, source_credit = $9, lead_media_id = $10, \
             lead_caption = $11, lead_credit = $12, lead_alt = $13, published_at = $14, updated_at = $15, \
             edited_at = $16, version = $17, comment_mode = $19 WHERE id = $18",
        )
        .bind(c.section.0)
        .bind(save.status.state.as_str())
        .bind(&c.headline)
        .bind(&c.seo_title)
        .bind(c.slug.as_str())
        .bind(&c.standfirst)
        .bind(&c.body_html)
        .bind(&c.dateline_place)
        .bind(&c.source_credit)
        .bind(c.lead_media.map(|m| m.0))
        .bind(&c.lead_caption)
        .bind(&c.lead_credit)
        .bind(&c.lead_alt)
        .bind(save.status.published_at.map(stored_time))
        .bind(stored_time(save.status.updated_at))
        .bind(stored_time(now))
        .bind(version)
        .bind(save.id.0)
        .bind(c.comment_mode.map(|m| m.as_str()))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        on_tx!(self, cx => sqlx::query("DELETE FROM article_tags WHERE article_id = $1")
            .bind(save.id.0)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        for (position, name) in c.tags.iter().enumerate() {
            let tag = self.tag_named(save.site, name).await?;
            on_tx!(self, cx => sqlx::query(
                "INSERT INTO article_tags (article_id, tag_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(save.id.0)
            .bind(tag.0)
            .bind(position as i64)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        }
        on_tx!(self, cx => sqlx::query("DELETE FROM article_authors WHERE article_id = $1")
            .bind(save.id.0)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        for (position, author) in c.authors.iter().enumerate() {
            on_tx!(self, cx => sqlx::query(
                "INSERT INTO article_authors (article_id, author_id, position) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(save.id.0)
            .bind(author.0)
            .bind(position as i64)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        }
        let snapshot = serde_json::to_string(c).map_err(|e| StoreError::Invalid(e.to_string()))?;
        on_tx!(self, cx => sqlx::query(
            "INSERT INTO article_revisions (article_id, number, user_id, state, content, saved_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(save.id.0)
        .bind(version)
        .bind(save.user.0)
        .bind(save.status.state.as_str())
        .bind(snapshot)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        self.audit(
            Some(save.site),
            Some(save.user),
            save.audit_action,
            &format!("article:{}", save.id),
            &c.headline,
            now,
        )
        .await?;
        Ok(version)
    }

    pub(crate) async fn audit(
        &mut self,
        site: Option<SiteId>,
        user: Option<UserId>,
        action: &str,
        subject: &str,
        detail: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        on_tx!(self, cx => sqlx::query(
            "INSERT INTO audit_log (site_id, user_id, action, subject, detail, at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(site.map(|s| s.0))
        .bind(user.map(|u| u.0))
        .bind(action)
        .bind(subject)
        .bind(detail)
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }
}
