//! Media files kept in the database, on PostgreSQL, so that every
//! instance sharing it can serve every upload (`docs/deploy.md`, "Media").
//! Each instance's media folder is then a cache of `media_files`. On
//! SQLite there is one instance and the files live only in its folder.

use crate::db::{Backend, on_read, on_tx};
use crate::{Db, Result, stored_time};
use time::OffsetDateTime;

impl Db {
    /// Whether media files are kept in the database for other instances.
    pub fn shares_media(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// Stores files by their path under the media folder, in one
    /// transaction. A path stored already is kept: files are never
    /// rewritten under the same name.
    pub async fn put_media_files(
        &self,
        files: &[(&str, &[u8])],
        now: OffsetDateTime,
    ) -> Result<()> {
        if files.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        for (path, bytes) in files {
            on_tx!(tx, cx => sqlx::query(
                "INSERT INTO media_files (path, bytes, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (path) DO NOTHING",
            )
            .bind(*path)
            .bind(*bytes)
            .bind(stored_time(now))
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        }
        // Readers see files through media rows, written afterwards.
        tx.inner.commit().await
    }

    /// A stored file's bytes.
    pub async fn media_file(&self, path: &str) -> Result<Option<Vec<u8>>> {
        Ok(on_read!(self, cx => sqlx::query_scalar(
            "SELECT bytes FROM media_files WHERE path = $1",
        )
        .bind(path)
        .fetch_optional(cx)
        .await)?)
    }

    /// How many files are stored (for `migrate-store`'s check).
    pub async fn media_file_count(&self) -> Result<i64> {
        Ok(
            on_read!(self, cx => sqlx::query_scalar("SELECT COUNT(*) FROM media_files")
            .fetch_one(cx)
            .await)?,
        )
    }
}
