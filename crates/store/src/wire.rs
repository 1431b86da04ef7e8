//! Wire ingest: sources, every version of every item they sent, and the
//! subject → section tables. An item's row is written before it is acted
//! on (outcome `pending`) and settled after, so a second delivery of the
//! same file changes nothing, and a crash in between leaves the item to be
//! taken again (taking it is idempotent: `article_sources`).

use crate::db::{on_read, on_tx, on_write};
use crate::{Db, Result, StoreError, stored_time};
use dateline_core::accounts::UserId;
use dateline_core::editing::MediaId;
use dateline_core::wire::{SourceMode, UpdatePolicy};
use dateline_core::{ArticleId, AuthorId, SectionId, SiteId, Slug};
use time::OffsetDateTime;

/// A source as admins set it up, with its health.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireSource {
    pub id: i64,
    pub name: String,
    /// Shown to editors, and the credit line when an item names none.
    pub label: String,
    pub site: SiteId,
    pub mode: SourceMode,
    pub updates: UpdatePolicy,
    /// Polled every `poll_seconds` when not empty.
    pub url: String,
    pub poll_seconds: i64,
    pub http_etag: String,
    pub http_last_modified: String,
    pub health: SourceHealth,
}

/// How a source has been doing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceHealth {
    pub last_fetch_at: Option<OffsetDateTime>,
    pub last_success_at: Option<OffsetDateTime>,
    /// Why the last fetch or file failed; empty after a success.
    pub last_error: String,
    pub items_taken: i64,
    pub items_refused: i64,
}

/// A source's settings, to create or change it (by name).
#[derive(Debug, Clone)]
pub struct NewWireSource<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub site: SiteId,
    pub mode: SourceMode,
    pub updates: UpdatePolicy,
    pub url: &'a str,
    pub poll_seconds: i64,
}

/// One fetch of a source (a drop-folder file or a URL), for its health.
#[derive(Debug, Clone, Default)]
pub struct SourceFetch<'a> {
    /// Why it failed; `None` when it succeeded.
    pub error: Option<&'a str>,
    pub taken: i64,
    pub refused: i64,
}

/// One version of one item, as received.
#[derive(Debug, Clone)]
pub struct ReceivedItem<'a> {
    pub source: i64,
    /// The edition its language chose.
    pub site: SiteId,
    pub guid: &'a str,
    pub version: i64,
    /// `usable`, `canceled` or `withheld`.
    pub status: &'a str,
    pub file: &'a str,
    pub first_created: Option<OffsetDateTime>,
    pub version_created: Option<OffsetDateTime>,
    pub embargoed_until: Option<OffsetDateTime>,
    pub language: &'a str,
    pub headline: &'a str,
    pub standfirst: &'a str,
    pub body_html: &'a str,
    pub byline: &'a str,
    pub keywords: &'a [String],
    pub subjects: &'a [String],
    pub credit: &'a str,
    pub dateline_place: &'a str,
    pub slugline: &'a str,
    /// Never public.
    pub editor_notes: &'a [String],
}

/// An item's picture, in the media library.
#[derive(Debug, Clone, Copy)]
pub struct WirePictureRow<'a> {
    pub media: MediaId,
    pub caption: &'a str,
    pub credit: &'a str,
    pub alt: &'a str,
}

/// What the store already knew of an item's version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receipt {
    /// New, or left pending by a crash, or refused before (an admin may
    /// have fixed the cause): act on it, then settle row `id`. `earlier`:
    /// an older version of the item came before.
    New { id: i64, earlier: bool },
    /// This version came before and was settled.
    Again { outcome: String },
    /// A newer version came before.
    Stale { newest: i64 },
}

/// A received item as the wire desk shows it: public fields, the notes
/// for editors, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WireItemRow {
    pub id: i64,
    pub source_id: i64,
    pub site_id: i64,
    pub guid: String,
    pub version: i64,
    pub status: String,
    pub file: String,
    pub received_at: OffsetDateTime,
    pub first_created: Option<OffsetDateTime>,
    pub version_created: Option<OffsetDateTime>,
    pub embargoed_until: Option<OffsetDateTime>,
    pub language: String,
    pub headline: String,
    pub standfirst: String,
    pub body_html: String,
    pub byline: String,
    pub keywords: String,
    pub subjects: String,
    pub credit: String,
    pub dateline_place: String,
    pub slugline: String,
    pub editor_notes: String,
    pub outcome: String,
    pub detail: String,
    pub article_id: Option<i64>,
    pub picture_media_id: Option<i64>,
    pub picture_caption: String,
    pub picture_credit: String,
    pub picture_alt: String,
    /// An older version of the item came before: this one is an update.
    pub earlier: bool,
}

impl WireItemRow {
    pub fn keywords(&self) -> Vec<String> {
        serde_json::from_str(&self.keywords).unwrap_or_default()
    }

    pub fn subjects(&self) -> Vec<String> {
        serde_json::from_str(&self.subjects).unwrap_or_default()
    }

    pub fn editor_notes(&self) -> Vec<String> {
        serde_json::from_str(&self.editor_notes).unwrap_or_default()
    }
}

#[derive(sqlx::FromRow)]
struct SourceRow {
    id: i64,
    name: String,
    label: String,
    site_id: i64,
    mode: String,
    updates: String,
    url: String,
    poll_seconds: i64,
    http_etag: String,
    http_last_modified: String,
    last_fetch_at: Option<OffsetDateTime>,
    last_success_at: Option<OffsetDateTime>,
    last_error: String,
    items_taken: i64,
    items_refused: i64,
}

const SOURCE_COLUMNS: &str = "id, name, label, site_id, mode, updates, url, poll_seconds, \
     http_etag, http_last_modified, last_fetch_at, last_success_at, last_error, items_taken, items_refused";

/// A kill comes without copy: it shows the headline of the story it
/// kills (its newest version that had one).
const ITEM_COLUMNS: &str = "id, source_id, site_id, guid, version, status, file, received_at, \
     first_created, version_created, embargoed_until, language, \
     CASE WHEN headline <> '' THEN headline ELSE COALESCE((SELECT named.headline FROM wire_items named \
     WHERE named.source_id = w.source_id AND named.guid = w.guid AND named.headline <> '' \
     ORDER BY named.version DESC LIMIT 1), '') END AS headline, standfirst, body_html, \
     byline, keywords, subjects, credit, dateline_place, slugline, editor_notes, outcome, detail, article_id, \
     picture_media_id, picture_caption, picture_credit, picture_alt, \
     EXISTS (SELECT 1 FROM wire_items older WHERE older.source_id = w.source_id \
     AND older.guid = w.guid AND older.version < w.version) AS earlier";

/// The wire desk's account: it creates and updates what sources publish
/// at once. Not a person: no password matches its hash and it has no
/// role, so it never logs in and is not listed among a site's people.
const WIRE_ACCOUNT_EMAIL: &str = "wire-desk@dateline.invalid";

impl SourceRow {
    fn into_source(self) -> Result<WireSource> {
        let corrupt = |what: &str, value: &str| StoreError::Corrupt {
            what: format!("wire source {}", self.name),
            reason: format!("unknown {what} {value:?}"),
        };
        let mode = SourceMode::parse(&self.mode).ok_or_else(|| corrupt("mode", &self.mode))?;
        let updates =
            UpdatePolicy::parse(&self.updates).ok_or_else(|| corrupt("updates", &self.updates))?;
        Ok(WireSource {
            id: self.id,
            name: self.name,
            label: self.label,
            site: SiteId(self.site_id),
            mode,
            updates,
            url: self.url,
            poll_seconds: self.poll_seconds,
            http_etag: self.http_etag,
            http_last_modified: self.http_last_modified,
            health: SourceHealth {
                last_fetch_at: self.last_fetch_at,
                last_success_at: self.last_success_at,
                last_error: self.last_error,
                items_taken: self.items_taken,
                items_refused: self.items_refused,
            },
        })
    }
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

impl Db {
    /// Every source, by name.
    pub async fn wire_sources(&self) -> Result<Vec<WireSource>> {
        let rows: Vec<SourceRow> = on_read!(self, cx => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {SOURCE_COLUMNS} FROM wire_sources ORDER BY name"
        )))
        .fetch_all(cx)
        .await)?;
        rows.into_iter().map(SourceRow::into_source).collect()
    }

    pub async fn wire_source(&self, name: &str) -> Result<Option<WireSource>> {
        let row: Option<SourceRow> = on_write!(self, cx => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {SOURCE_COLUMNS} FROM wire_sources WHERE name = $1"
        )))
        .bind(name)
        .fetch_optional(cx)
        .await)?;
        row.map(SourceRow::into_source).transpose()
    }

    pub async fn wire_source_by_id(&self, id: i64) -> Result<Option<WireSource>> {
        let row: Option<SourceRow> = on_read!(self, cx => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {SOURCE_COLUMNS} FROM wire_sources WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(cx)
        .await)?;
        row.map(SourceRow::into_source).transpose()
    }

    /// Creates a source, or changes the settings of the one of that name
    /// (its health stays, and its HTTP validators while its address does).
    pub async fn save_wire_source(
        &self,
        source: &NewWireSource<'_>,
        now: OffsetDateTime,
    ) -> Result<i64> {
        let id: i64 = on_write!(self, cx => sqlx::query_scalar(
            "INSERT INTO wire_sources (name, label, site_id, mode, updates, url, poll_seconds, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (name) DO UPDATE SET label = excluded.label, site_id = excluded.site_id, \
             mode = excluded.mode, updates = excluded.updates, url = excluded.url, \
             poll_seconds = excluded.poll_seconds, \
             http_etag = CASE WHEN wire_sources.url = excluded.url THEN wire_sources.http_etag ELSE '' END, \
             http_last_modified = CASE WHEN wire_sources.url = excluded.url \
             THEN wire_sources.http_last_modified ELSE '' END RETURNING id",
        )
        .bind(source.name)
        .bind(source.label)
        .bind(source.site.0)
        .bind(source.mode.as_str())
        .bind(source.updates.as_str())
        .bind(source.url)
        .bind(source.poll_seconds)
        .bind(stored_time(now))
        .fetch_one(cx)
        .await)?;
        Ok(id)
    }

    /// Records a fetch in the source's health line.
    pub async fn record_wire_fetch(
        &self,
        source: i64,
        fetch: &SourceFetch<'_>,
        now: OffsetDateTime,
    ) -> Result<()> {
        let now = stored_time(now);
        let success = fetch.error.is_none().then_some(now);
        on_write!(self, cx => sqlx::query(
            "UPDATE wire_sources SET last_fetch_at = $1, last_success_at = COALESCE($2, last_success_at), \
             last_error = $3, items_taken = items_taken + $4, items_refused = items_refused + $5 \
             WHERE id = $6",
        )
        .bind(now)
        .bind(success)
        .bind(fetch.error.unwrap_or(""))
        .bind(fetch.taken)
        .bind(fetch.refused)
        .bind(source)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// The HTTP validators to send with the next poll of a source.
    pub async fn set_wire_validators(
        &self,
        source: i64,
        etag: &str,
        last_modified: &str,
    ) -> Result<()> {
        on_write!(self, cx => sqlx::query(
            "UPDATE wire_sources SET http_etag = $1, http_last_modified = $2 WHERE id = $3",
        )
        .bind(etag)
        .bind(last_modified)
        .bind(source)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Notes a version of an item, unless it was received before or a
    /// newer one was.
    pub async fn receive_wire_item(
        &self,
        item: &ReceivedItem<'_>,
        now: OffsetDateTime,
    ) -> Result<Receipt> {
        let mut tx = self.begin().await?;
        let newest: Option<i64> = on_tx!(tx, cx => sqlx::query_scalar(
            "SELECT MAX(version) FROM wire_items WHERE source_id = $1 AND guid = $2",
        )
        .bind(item.source)
        .bind(item.guid)
        .fetch_one(cx)
        .await)?;
        if let Some(newest) = newest.filter(|newest| *newest > item.version) {
            return Ok(Receipt::Stale { newest });
        }
        let seen: Option<(i64, String)> = on_tx!(tx, cx => sqlx::query_as(
            "SELECT id, outcome FROM wire_items WHERE source_id = $1 AND guid = $2 AND version = $3",
        )
        .bind(item.source)
        .bind(item.guid)
        .bind(item.version)
        .fetch_optional(cx)
        .await)?;
        let earlier = newest.is_some_and(|newest| newest < item.version);
        match seen {
            Some((id, outcome)) if outcome == "pending" || outcome == "refused" => {
                return Ok(Receipt::New { id, earlier });
            }
            Some((_, outcome)) => return Ok(Receipt::Again { outcome }),
            None => {}
        }
        let id: i64 = on_tx!(tx, cx => sqlx::query_scalar(
            "INSERT INTO wire_items (source_id, site_id, guid, version, status, file, received_at, \
             first_created, version_created, embargoed_until, language, headline, standfirst, body_html, \
             byline, keywords, subjects, credit, dateline_place, slugline, editor_notes, outcome) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, 'pending') \
             RETURNING id",
        )
        .bind(item.source)
        .bind(item.site.0)
        .bind(item.guid)
        .bind(item.version)
        .bind(item.status)
        .bind(item.file)
        .bind(stored_time(now))
        .bind(item.first_created.map(stored_time))
        .bind(item.version_created.map(stored_time))
        .bind(item.embargoed_until.map(stored_time))
        .bind(item.language)
        .bind(item.headline)
        .bind(item.standfirst)
        .bind(item.body_html)
        .bind(item.byline)
        .bind(json_list(item.keywords))
        .bind(json_list(item.subjects))
        .bind(item.credit)
        .bind(item.dateline_place)
        .bind(item.slugline)
        .bind(json_list(item.editor_notes))
        .fetch_one(cx)
        .await)?;
        tx.commit().await?;
        Ok(Receipt::New { id, earlier })
    }

    /// Records what became of a received item.
    pub async fn settle_wire_item(
        &self,
        id: i64,
        outcome: &str,
        detail: &str,
        article: Option<ArticleId>,
    ) -> Result<()> {
        on_write!(self, cx => sqlx::query(
            "UPDATE wire_items SET outcome = $1, detail = $2, article_id = COALESCE($3, article_id) WHERE id = $4",
        )
        .bind(outcome)
        .bind(detail)
        .bind(article.map(|a| a.0))
        .bind(id)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Keeps the picture an item came with (already in the media library).
    pub async fn set_wire_picture(&self, id: i64, picture: &WirePictureRow<'_>) -> Result<()> {
        on_write!(self, cx => sqlx::query(
            "UPDATE wire_items SET picture_media_id = $1, picture_caption = $2, picture_credit = $3, \
             picture_alt = $4 WHERE id = $5",
        )
        .bind(picture.media.0)
        .bind(picture.caption)
        .bind(picture.credit)
        .bind(picture.alt)
        .bind(id)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    pub async fn wire_item(&self, id: i64) -> Result<Option<WireItemRow>> {
        Ok(
            on_read!(self, cx => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ITEM_COLUMNS} FROM wire_items w WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(cx)
        .await)?,
        )
    }

    /// The newest version of each item received for a site, newest first.
    /// `source`: only that source's items.
    pub async fn wire_desk(
        &self,
        site: SiteId,
        source: Option<i64>,
        limit: i64,
    ) -> Result<Vec<WireItemRow>> {
        Ok(
            on_read!(self, cx => sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ITEM_COLUMNS} FROM wire_items w WHERE site_id = $1 AND outcome <> 'pending' \
             AND ($3 IS NULL OR source_id = $3) \
             AND NOT EXISTS (SELECT 1 FROM wire_items newer WHERE newer.source_id = w.source_id \
             AND newer.guid = w.guid AND newer.version > w.version) \
             ORDER BY received_at DESC, id DESC LIMIT $2"
        )))
        .bind(site.0)
        .bind(limit)
        .bind(source)
        .fetch_all(cx)
        .await)?,
        )
    }

    /// Items of a site's wire desk waiting for an editor: the newest
    /// version of each, queued or held.
    pub async fn wire_waiting(&self, site: SiteId) -> Result<i64> {
        Ok(on_read!(self, cx => sqlx::query_scalar(
            "SELECT COUNT(*) FROM wire_items w WHERE site_id = $1 AND outcome IN ('queued', 'held') \
             AND NOT EXISTS (SELECT 1 FROM wire_items newer WHERE newer.source_id = w.source_id \
             AND newer.guid = w.guid AND newer.version > w.version)",
        )
        .bind(site.0)
        .fetch_one(cx)
        .await)?)
    }

    /// The editor notes of the newest version of the item an article came
    /// from (empty for the newsroom's own articles).
    pub async fn wire_notes_of(&self, article: ArticleId) -> Result<Vec<String>> {
        let notes: Option<String> = on_read!(self, cx => sqlx::query_scalar(
            "SELECT editor_notes FROM wire_items WHERE article_id = $1 ORDER BY version DESC, id DESC LIMIT 1",
        )
        .bind(article.0)
        .fetch_optional(cx)
        .await)?;
        Ok(notes
            .and_then(|notes| serde_json::from_str(&notes).ok())
            .unwrap_or_default())
    }

    /// The sections a source's subject codes go to in one edition.
    pub async fn subject_sections(
        &self,
        source: i64,
        site: SiteId,
    ) -> Result<Vec<(String, SectionId)>> {
        let rows: Vec<(String, i64)> = on_read!(self, cx => sqlx::query_as(
            "SELECT subject, section_id FROM wire_subject_sections \
             WHERE source_id = $1 AND site_id = $2 ORDER BY subject",
        )
        .bind(source)
        .bind(site.0)
        .fetch_all(cx)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|(subject, section)| (subject, SectionId(section)))
            .collect())
    }

    /// Sends a subject code to a section of an edition, or (`None`) back to
    /// the edition's first section.
    pub async fn set_subject_section(
        &self,
        source: i64,
        site: SiteId,
        subject: &str,
        section: Option<SectionId>,
    ) -> Result<()> {
        match section {
            Some(section) => on_write!(self, cx => sqlx::query(
                "INSERT INTO wire_subject_sections (source_id, site_id, subject, section_id) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (source_id, site_id, subject) \
                 DO UPDATE SET section_id = excluded.section_id",
            )
            .bind(source)
            .bind(site.0)
            .bind(subject)
            .bind(section.0)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?,
            None => on_write!(self, cx => sqlx::query(
                "DELETE FROM wire_subject_sections WHERE source_id = $1 AND site_id = $2 AND subject = $3",
            )
            .bind(source)
            .bind(site.0)
            .bind(subject)
            .execute(cx)
            .await.map(|done| done.rows_affected()))?,
        };
        Ok(())
    }

    /// The wire desk's account, made on first use.
    pub async fn wire_account(&self, now: OffsetDateTime) -> Result<UserId> {
        self.system_account(WIRE_ACCOUNT_EMAIL, "Wire desk", "wire", now)
            .await
    }

    /// An account that is not a person (the wire desk, the importer),
    /// made on first use. "!" is no password hash: no password verifies
    /// against it.
    pub(crate) async fn system_account(
        &self,
        email: &str,
        name: &str,
        kind: &str,
        now: OffsetDateTime,
    ) -> Result<UserId> {
        let id: i64 = on_write!(self, cx => sqlx::query_scalar(
            "INSERT INTO users (email, name, password_hash, created_at, kind) VALUES ($1, $2, '!', $3, $4) \
             ON CONFLICT (email) DO UPDATE SET kind = excluded.kind RETURNING id",
        )
        .bind(email)
        .bind(name)
        .bind(stored_time(now))
        .bind(kind)
        .fetch_one(cx)
        .await)?;
        Ok(UserId(id))
    }

    /// The site's author of this name (any case), made on first use: a
    /// wire byline credits a person.
    pub async fn author_named(&self, site: SiteId, name: &str) -> Result<AuthorId> {
        let name = name.trim();
        let slug = Slug::from_headline(name)
            .map_err(|e| StoreError::Invalid(format!("author {name:?}: {e}")))?;
        let id: i64 = on_write!(self, cx => sqlx::query_scalar(
            "INSERT INTO authors (site_id, slug, name, bio) VALUES ($1, $2, $3, '') \
             ON CONFLICT (site_id, slug) DO UPDATE SET name = authors.name RETURNING id",
        )
        .bind(site.0)
        .bind(slug.as_str())
        .bind(name)
        .fetch_one(cx)
        .await)?;
        Ok(AuthorId(id))
    }

    /// Who saved the article's latest revision (`None` when nobody left a
    /// name, or the account is gone).
    pub async fn last_revision_author(&self, article: ArticleId) -> Result<Option<UserId>> {
        let user: Option<Option<i64>> = on_write!(self, cx => sqlx::query_scalar(
            "SELECT user_id FROM article_revisions WHERE article_id = $1 ORDER BY number DESC LIMIT 1",
        )
        .bind(article.0)
        .fetch_optional(cx)
        .await)?;
        Ok(user.flatten().map(UserId))
    }
}
