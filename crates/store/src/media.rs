//! The media library: uploaded and generated images of each site.

use crate::db::{on_read, on_write};
use crate::{Db, Result, stored_time};
use dateline_core::accounts::UserId;
use dateline_core::editing::MediaId;
use dateline_core::{
    ImageCrop, ImageVariant, SiteId, format_crops, format_variants, parse_variants,
};
use serde::Serialize;
use time::OffsetDateTime;

/// A stored image as the newsroom lists it.
#[derive(Debug, Clone, Serialize)]
pub struct MediaItem {
    pub id: MediaId,
    /// Path under the media root.
    pub path: String,
    pub mime_type: String,
    pub width: u32,
    pub height: u32,
    pub original_name: String,
    pub variants: Vec<ImageVariant>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// An upload to record, its files already written.
#[derive(Debug, Clone)]
pub struct NewMedia<'a> {
    pub site: SiteId,
    pub path: &'a str,
    pub mime_type: &'a str,
    pub width: u32,
    pub height: u32,
    pub original_name: &'a str,
    pub variants: &'a [ImageVariant],
    pub crops: &'a [ImageCrop],
    pub uploaded_by: Option<UserId>,
}

#[derive(sqlx::FromRow)]
struct MediaRow {
    id: i64,
    path: String,
    mime_type: String,
    width: i64,
    height: i64,
    original_name: String,
    variants: String,
    created_at: OffsetDateTime,
}

fn pixels(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

impl Db {
    /// Records an uploaded image.
    pub async fn insert_media(&self, media: &NewMedia<'_>, now: OffsetDateTime) -> Result<MediaId> {
        let id: i64 = on_write!(self, cx => sqlx::query_scalar(
            "INSERT INTO media (site_id, path, mime_type, width, height, created_at, variants, original_name, \
             uploaded_by, crops) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(media.site.0)
        .bind(media.path)
        .bind(media.mime_type)
        .bind(i64::from(media.width))
        .bind(i64::from(media.height))
        .bind(stored_time(now))
        .bind(format_variants(media.variants))
        .bind(media.original_name)
        .bind(media.uploaded_by.map(|u| u.0))
        .bind(format_crops(media.crops))
        .fetch_one(cx)
        .await)?;
        self.cache.invalidate();
        Ok(MediaId(id))
    }

    /// A site's images, newest first.
    /// Whether a media item is in the site's library.
    pub async fn media_in_site(&self, site: SiteId, id: MediaId) -> Result<bool> {
        let found: Option<i64> = on_read!(self, cx => sqlx::query_scalar(
            "SELECT id FROM media WHERE id = $1 AND site_id = $2",
        )
        .bind(id.0)
        .bind(site.0)
        .fetch_optional(cx)
        .await)?;
        Ok(found.is_some())
    }

    /// Where a media file is, under the media root.
    pub async fn media_path(&self, id: MediaId) -> Result<Option<String>> {
        Ok(
            on_read!(self, cx => sqlx::query_scalar("SELECT path FROM media WHERE id = $1")
            .bind(id.0)
            .fetch_optional(cx)
            .await)?,
        )
    }

    pub async fn media_library(
        &self,
        site: SiteId,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<MediaItem>> {
        let rows: Vec<MediaRow> = on_read!(self, cx => sqlx::query_as(
            "SELECT id, path, mime_type, width, height, original_name, variants, created_at FROM media \
             WHERE site_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
        )
        .bind(site.0)
        .bind(i64::from(limit))
        .bind(offset)
        .fetch_all(cx)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|r| MediaItem {
                id: MediaId(r.id),
                variants: parse_variants(&r.variants),
                path: r.path,
                mime_type: r.mime_type,
                width: pixels(r.width),
                height: pixels(r.height),
                original_name: r.original_name,
                created_at: r.created_at,
            })
            .collect())
    }
}
