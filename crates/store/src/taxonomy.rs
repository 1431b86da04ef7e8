//! Sections, tags and authors of a site.

use crate::db::{on_read, on_tx};
use crate::{Db, Result, StoreError, Tx, stored_time};
use dateline_core::terms::{Term, TermKind};
use dateline_core::{Author, AuthorId, Section, SectionId, SiteId, Slug, Tag, TagId};
use time::OffsetDateTime;

#[derive(Debug, Clone)]
pub struct NewSection {
    pub slug: Slug,
    pub name: String,
    pub position: i64,
}

#[derive(Debug, Clone)]
pub struct NewAuthor {
    pub slug: Slug,
    pub name: String,
    pub bio: String,
}

/// A tag and how many published articles carry it.
#[derive(Debug, Clone)]
pub struct TagUse {
    pub tag: Tag,
    pub articles: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct SectionRow {
    pub id: i64,
    pub site_id: i64,
    pub slug: String,
    pub name: String,
    pub position: i64,
    pub comment_mode: Option<String>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct NamedRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio: String,
    /// Authors' photos; other queries leave the column out.
    #[sqlx(default)]
    pub photo_path: Option<String>,
}

/// Slugs come from the database; a malformed one means the data was edited
/// outside Dateline, which the operator must hear about.
pub(crate) fn stored_slug(slug: &str) -> Result<Slug> {
    Slug::parse(slug).map_err(|e| StoreError::Corrupt {
        what: format!("slug {slug:?}"),
        reason: e.to_string(),
    })
}

impl SectionRow {
    pub(crate) fn into_section(self) -> Result<Section> {
        Ok(Section {
            id: SectionId(self.id),
            site_id: SiteId(self.site_id),
            slug: stored_slug(&self.slug)?,
            name: self.name,
            position: self.position,
            comment_mode: self
                .comment_mode
                .as_deref()
                .and_then(dateline_core::comments::CommentMode::parse),
        })
    }
}

impl NamedRow {
    pub(crate) fn into_tag(self) -> Result<Tag> {
        Ok(Tag {
            id: TagId(self.id),
            slug: stored_slug(&self.slug)?,
            name: self.name,
        })
    }
    pub(crate) fn into_author(self) -> Result<Author> {
        Ok(Author {
            id: AuthorId(self.id),
            slug: stored_slug(&self.slug)?,
            name: self.name,
            bio: self.bio,
            photo_path: self.photo_path,
        })
    }
}

const SECTIONS_OF_SITE: &str = "SELECT id, site_id, slug, name, position, comment_mode FROM sections WHERE site_id = $1 ORDER BY position, id";
const TAG_BY_SLUG: &str =
    "SELECT id, slug, name, '' AS bio FROM tags WHERE site_id = $1 AND slug = $2";
const TAGS_IN_USE: &str = "SELECT t.id, t.slug, t.name, COUNT(*) AS articles FROM tags t \
     JOIN article_tags x ON x.tag_id = t.id JOIN articles a ON a.id = x.article_id \
     WHERE t.site_id = $1 AND a.site_id = $1 AND a.state = 'published' AND a.published_at <= $2 \
     GROUP BY t.id, t.slug, t.name ORDER BY t.name, t.id LIMIT $3 OFFSET $4";
const COUNT_TAGS_IN_USE: &str = "SELECT COUNT(DISTINCT x.tag_id) FROM article_tags x \
     JOIN articles a ON a.id = x.article_id \
     WHERE a.site_id = $1 AND a.state = 'published' AND a.published_at <= $2";
const AUTHOR_BY_SLUG: &str = "SELECT w.id, w.slug, w.name, w.bio, m.path AS photo_path FROM authors w \
     LEFT JOIN media m ON m.id = w.photo_media_id WHERE w.site_id = $1 AND w.slug = $2";

impl Db {
    /// The sections of a site in menu order.
    pub async fn sections(&self, site: SiteId) -> Result<Vec<Section>> {
        let rows: Vec<SectionRow> = on_read!(self, cx => sqlx::query_as(SECTIONS_OF_SITE)
            .bind(site.0)
            .fetch_all(cx)
            .await)?;
        rows.into_iter().map(SectionRow::into_section).collect()
    }

    pub async fn tag_by_slug(&self, site: SiteId, slug: &str) -> Result<Option<Tag>> {
        let row: Option<NamedRow> = on_read!(self, cx => sqlx::query_as(TAG_BY_SLUG)
            .bind(site.0)
            .bind(slug)
            .fetch_optional(cx)
            .await)?;
        row.map(NamedRow::into_tag).transpose()
    }

    /// One page of the tags that published articles of the site carry, by
    /// name, with how many articles carry each.
    pub async fn tags_in_use(
        &self,
        site: SiteId,
        now: OffsetDateTime,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<TagUse>> {
        let rows: Vec<(i64, String, String, i64)> = on_read!(self, cx => sqlx::query_as(TAGS_IN_USE)
            .bind(site.0)
            .bind(stored_time(now))
            .bind(i64::from(limit))
            .bind(offset)
            .fetch_all(cx)
            .await)?;
        rows.into_iter()
            .map(|(id, slug, name, articles)| {
                Ok(TagUse {
                    tag: Tag {
                        id: TagId(id),
                        slug: stored_slug(&slug)?,
                        name,
                    },
                    articles,
                })
            })
            .collect()
    }

    /// How many tags published articles of the site carry.
    pub async fn count_tags_in_use(&self, site: SiteId, now: OffsetDateTime) -> Result<i64> {
        Ok(on_read!(self, cx => sqlx::query_scalar(COUNT_TAGS_IN_USE)
            .bind(site.0)
            .bind(stored_time(now))
            .fetch_one(cx)
            .await)?)
    }

    pub async fn author_by_slug(&self, site: SiteId, slug: &str) -> Result<Option<Author>> {
        let row: Option<NamedRow> = on_read!(self, cx => sqlx::query_as(AUTHOR_BY_SLUG)
            .bind(site.0)
            .bind(slug)
            .fetch_optional(cx)
            .await)?;
        row.map(NamedRow::into_author).transpose()
    }
}

impl Tx {
    /// Notes every article of a tag or author as changed (sections are
    /// not part of what search indexes by name).
    pub(crate) async fn touch_articles_of(&mut self, kind: TermKind, id: i64) -> Result<()> {
        let query = match kind {
            TermKind::Section => return Ok(()),
            TermKind::Tag => "SELECT article_id FROM article_tags WHERE tag_id = $1",
            TermKind::Author => "SELECT article_id FROM article_authors WHERE author_id = $1",
        };
        let ids: Vec<i64> = on_tx!(self, cx => sqlx::query_scalar(query)
            .bind(id)
            .fetch_all(cx)
            .await)?;
        for id in ids {
            self.touch(dateline_core::ArticleId(id));
        }
        Ok(())
    }

    pub async fn insert_section(
        &mut self,
        site: SiteId,
        section: &NewSection,
    ) -> Result<SectionId> {
        let id: i64 = on_tx!(self, cx => sqlx::query_scalar(
            "INSERT INTO sections (site_id, slug, name, position) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(site.0)
        .bind(section.slug.as_str())
        .bind(&section.name)
        .bind(section.position)
        .fetch_one(cx)
        .await)?;
        Ok(SectionId(id))
    }

    pub async fn insert_author(&mut self, site: SiteId, author: &NewAuthor) -> Result<AuthorId> {
        let id: i64 = on_tx!(self, cx => sqlx::query_scalar(
            "INSERT INTO authors (site_id, slug, name, bio) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(site.0)
        .bind(author.slug.as_str())
        .bind(&author.name)
        .bind(&author.bio)
        .fetch_one(cx)
        .await)?;
        Ok(AuthorId(id))
    }

    /// The tag with this name on the site, created on first use.
    pub async fn tag_named(&mut self, site: SiteId, name: &str) -> Result<TagId> {
        let slug = Slug::from_headline(name)
            .map_err(|e| StoreError::Invalid(format!("tag {name:?}: {e}")))?;
        let id: i64 = on_tx!(self, cx => sqlx::query_scalar(
            "INSERT INTO tags (site_id, slug, name) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id, slug) DO UPDATE SET name = tags.name RETURNING id",
        )
        .bind(site.0)
        .bind(slug.as_str())
        .bind(name.trim())
        .fetch_one(cx)
        .await)?;
        Ok(TagId(id))
    }
}

/// A section, tag or author as the newsroom lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TermLine {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub position: i64,
    pub bio: String,
    pub photo: Option<i64>,
    /// Sections: their own comment mode, if any.
    pub comment_mode: Option<String>,
    /// Articles (in any state) filed under it.
    pub articles: i64,
}

#[derive(sqlx::FromRow)]
struct TermRow {
    id: i64,
    name: String,
    slug: String,
    position: i64,
    bio: String,
    photo: Option<i64>,
    comment_mode: Option<String>,
    articles: i64,
}

/// Why a name could not be saved or deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermRefusal {
    /// Another item of the site has the slug.
    SlugTaken,
    /// Articles still use it (sections and authors are not deleted then).
    InUse,
}

const SECTION_LINES: &str = "SELECT s.id, s.name, s.slug, s.position, '' AS bio, NULL AS photo, s.comment_mode, \
     (SELECT COUNT(*) FROM articles a WHERE a.section_id = s.id) AS articles \
     FROM sections s WHERE s.site_id = $1 ORDER BY s.position, s.id";
const TAG_LINES: &str = "SELECT t.id, t.name, t.slug, CAST(0 AS BIGINT) AS position, '' AS bio, NULL AS photo, NULL AS comment_mode, \
     (SELECT COUNT(*) FROM article_tags x WHERE x.tag_id = t.id) AS articles \
     FROM tags t WHERE t.site_id = $1 ORDER BY t.name, t.id";
const AUTHOR_LINES: &str = "SELECT w.id, w.name, w.slug, CAST(0 AS BIGINT) AS position, w.bio, w.photo_media_id AS photo, NULL AS comment_mode, \
     (SELECT COUNT(*) FROM article_authors x WHERE x.author_id = w.id) AS articles \
     FROM authors w WHERE w.site_id = $1 ORDER BY w.name, w.id";

impl Db {
    /// The sections, tags or authors of a site with how many articles use each.
    pub async fn terms(&self, site: SiteId, kind: TermKind) -> Result<Vec<TermLine>> {
        let query = match kind {
            TermKind::Section => SECTION_LINES,
            TermKind::Tag => TAG_LINES,
            TermKind::Author => AUTHOR_LINES,
        };
        let rows: Vec<TermRow> = on_read!(self, cx => sqlx::query_as(query)
            .bind(site.0)
            .fetch_all(cx)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|r| TermLine {
                id: r.id,
                name: r.name,
                slug: r.slug,
                position: r.position,
                bio: r.bio,
                photo: r.photo,
                comment_mode: r.comment_mode,
                articles: r.articles,
            })
            .collect())
    }

    /// Adds (`id` None) or changes a section, tag or author of a site.
    pub async fn save_term(
        &self,
        site: SiteId,
        kind: TermKind,
        id: Option<i64>,
        term: &Term,
    ) -> Result<Result<i64, TermRefusal>> {
        let mut tx = self.begin().await?;
        if let Some(id) = id {
            // A new name changes what the articles of a tag or author say.
            tx.touch_articles_of(kind, id).await?;
        }
        let written: std::result::Result<i64, sqlx::Error> = match (kind, id) {
            (TermKind::Section, None) => on_tx!(tx, cx => sqlx::query_scalar(
                "INSERT INTO sections (site_id, slug, name, position, comment_mode) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(site.0)
            .bind(term.slug.as_str())
            .bind(&term.name)
            .bind(term.position)
            .bind(term.comment_mode.map(|m| m.as_str()))
            .fetch_one(cx)
            .await),
            (TermKind::Section, Some(id)) => on_tx!(tx, cx => sqlx::query_scalar(
                "UPDATE sections SET slug = $1, name = $2, position = $3, comment_mode = $6 \
                 WHERE id = $4 AND site_id = $5 RETURNING id",
            )
            .bind(term.slug.as_str())
            .bind(&term.name)
            .bind(term.position)
            .bind(id)
            .bind(site.0)
            .bind(term.comment_mode.map(|m| m.as_str()))
            .fetch_one(cx)
            .await),
            (TermKind::Tag, None) => on_tx!(tx, cx => sqlx::query_scalar(
                "INSERT INTO tags (site_id, slug, name) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(site.0)
            .bind(term.slug.as_str())
            .bind(&term.name)
            .fetch_one(cx)
            .await),
            (TermKind::Tag, Some(id)) => on_tx!(tx, cx => sqlx::query_scalar(
                "UPDATE tags SET slug = $1, name = $2 WHERE id = $3 AND site_id = $4 RETURNING id",
            )
            .bind(term.slug.as_str())
            .bind(&term.name)
            .bind(id)
            .bind(site.0)
            .fetch_one(cx)
            .await),
            (TermKind::Author, None) => on_tx!(tx, cx => sqlx::query_scalar(
                "INSERT INTO authors (site_id, slug, name, bio, photo_media_id) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(site.0)
            .bind(term.slug.as_str())
            .bind(&term.name)
            .bind(&term.bio)
            .bind(term.photo.map(|m| m.0))
            .fetch_one(cx)
            .await),
            (TermKind::Author, Some(id)) => on_tx!(tx, cx => sqlx::query_scalar(
                "UPDATE authors SET slug = $1, name = $2, bio = $3, photo_media_id = $4 \
                 WHERE id = $5 AND site_id = $6 RETURNING id",
            )
            .bind(term.slug.as_str())
            .bind(&term.name)
            .bind(&term.bio)
            .bind(term.photo.map(|m| m.0))
            .bind(id)
            .bind(site.0)
            .fetch_one(cx)
            .await),
        };
        match written {
            Ok(id) => {
                tx.commit().await?;
                Ok(Ok(id))
            }
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                Ok(Err(TermRefusal::SlugTaken))
            }
            Err(sqlx::Error::RowNotFound) => Err(StoreError::Invalid(format!(
                "no {kind:?} {} on this site",
                id.unwrap_or_default()
            ))),
            Err(e) => Err(e.into()),
        }
    }

    /// Deletes a section or author no article uses, or a tag (taking it
    /// off its articles). Returns false when there was no such item.
    pub async fn delete_term(
        &self,
        site: SiteId,
        kind: TermKind,
        id: i64,
    ) -> Result<Result<bool, TermRefusal>> {
        let lines = self.terms(site, kind).await?;
        let Some(line) = lines.iter().find(|l| l.id == id) else {
            return Ok(Ok(false));
        };
        if line.articles > 0 && kind != TermKind::Tag {
            return Ok(Err(TermRefusal::InUse));
        }
        let mut tx = self.begin().await?;
        match kind {
            TermKind::Section => {
                on_tx!(tx, cx => sqlx::query("DELETE FROM sections WHERE id = $1 AND site_id = $2")
                    .bind(id)
                    .bind(site.0)
                    .execute(cx)
                    .await.map(|done| done.rows_affected()))?;
            }
            TermKind::Tag => {
                tx.touch_articles_of(kind, id).await?;
                on_tx!(tx, cx => sqlx::query("DELETE FROM article_tags WHERE tag_id = $1")
                    .bind(id)
                    .execute(cx)
                    .await.map(|done| done.rows_affected()))?;
                on_tx!(tx, cx => sqlx::query("DELETE FROM tags WHERE id = $1 AND site_id = $2")
                    .bind(id)
                    .bind(site.0)
                    .execute(cx)
                    .await.map(|done| done.rows_affected()))?;
            }
            TermKind::Author => {
                on_tx!(tx, cx => sqlx::query("DELETE FROM authors WHERE id = $1 AND site_id = $2")
                    .bind(id)
                    .bind(site.0)
                    .execute(cx)
                    .await.map(|done| done.rows_affected()))?;
            }
        }
        tx.commit().await?;
        Ok(Ok(true))
    }
}
