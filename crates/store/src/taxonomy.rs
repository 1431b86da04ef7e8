//! Sections, tags and authors of a site.

use crate::{Db, Result, StoreError, Tx, stored_time};
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
}

#[derive(sqlx::FromRow)]
pub(crate) struct NamedRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio: String,
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
        })
    }
}

const SECTIONS_OF_SITE: &str = "SELECT id, site_id, slug, name, position FROM sections WHERE site_id = $1 ORDER BY position, id";
const TAG_BY_SLUG: &str =
    "SELECT id, slug, name, '' AS bio FROM tags WHERE site_id = $1 AND slug = $2";
const TAGS_IN_USE: &str = "SELECT t.id, t.slug, t.name, COUNT(*) AS articles FROM tags t \
     JOIN article_tags x ON x.tag_id = t.id JOIN articles a ON a.id = x.article_id \
     WHERE t.site_id = $1 AND a.site_id = $1 AND a.state = 'published' AND a.published_at <= $2 \
     GROUP BY t.id, t.slug, t.name ORDER BY t.name, t.id LIMIT $3 OFFSET $4";
const COUNT_TAGS_IN_USE: &str = "SELECT COUNT(DISTINCT x.tag_id) FROM article_tags x \
     JOIN articles a ON a.id = x.article_id \
     WHERE a.site_id = $1 AND a.state = 'published' AND a.published_at <= $2";
const AUTHOR_BY_SLUG: &str =
    "SELECT id, slug, name, bio FROM authors WHERE site_id = $1 AND slug = $2";

impl Db {
    /// The sections of a site in menu order.
    pub async fn sections(&self, site: SiteId) -> Result<Vec<Section>> {
        let rows: Vec<SectionRow> = sqlx::query_as(SECTIONS_OF_SITE)
            .bind(site.0)
            .fetch_all(&self.read)
            .await?;
        rows.into_iter().map(SectionRow::into_section).collect()
    }

    pub async fn tag_by_slug(&self, site: SiteId, slug: &str) -> Result<Option<Tag>> {
        let row: Option<NamedRow> = sqlx::query_as(TAG_BY_SLUG)
            .bind(site.0)
            .bind(slug)
            .fetch_optional(&self.read)
            .await?;
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
        let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(TAGS_IN_USE)
            .bind(site.0)
            .bind(stored_time(now))
            .bind(i64::from(limit))
            .bind(offset)
            .fetch_all(&self.read)
            .await?;
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
        Ok(sqlx::query_scalar(COUNT_TAGS_IN_USE)
            .bind(site.0)
            .bind(stored_time(now))
            .fetch_one(&self.read)
            .await?)
    }

    pub async fn author_by_slug(&self, site: SiteId, slug: &str) -> Result<Option<Author>> {
        let row: Option<NamedRow> = sqlx::query_as(AUTHOR_BY_SLUG)
            .bind(site.0)
            .bind(slug)
            .fetch_optional(&self.read)
            .await?;
        row.map(NamedRow::into_author).transpose()
    }
}

impl Tx {
    pub async fn insert_section(
        &mut self,
        site: SiteId,
        section: &NewSection,
    ) -> Result<SectionId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO sections (site_id, slug, name, position) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(site.0)
        .bind(section.slug.as_str())
        .bind(&section.name)
        .bind(section.position)
        .fetch_one(&mut *self.inner)
        .await?;
        Ok(SectionId(id))
    }

    pub async fn insert_author(&mut self, site: SiteId, author: &NewAuthor) -> Result<AuthorId> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO authors (site_id, slug, name, bio) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(site.0)
        .bind(author.slug.as_str())
        .bind(&author.name)
        .bind(&author.bio)
        .fetch_one(&mut *self.inner)
        .await?;
        Ok(AuthorId(id))
    }

    /// The tag with this name on the site, created on first use.
    pub async fn tag_named(&mut self, site: SiteId, name: &str) -> Result<TagId> {
        let slug = Slug::from_headline(name)
            .map_err(|e| StoreError::Invalid(format!("tag {name:?}: {e}")))?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tags (site_id, slug, name) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id, slug) DO UPDATE SET name = tags.name RETURNING id",
        )
        .bind(site.0)
        .bind(slug.as_str())
        .bind(name.trim())
        .fetch_one(&mut *self.inner)
        .await?;
        Ok(TagId(id))
    }
}
