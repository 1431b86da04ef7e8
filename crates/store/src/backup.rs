//! Consistent copies of the database for `dateline backup`, and the checks
//! `dateline restore` makes before it trusts one (`docs/backup.md`).
//!
//! These work on database files, not on a [`crate::Db`]: a backup must not
//! migrate (or otherwise write to) the database a running server uses, and
//! a restore must judge a copy before anything opens it for writing.

use crate::{Result, StoreError};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use std::path::Path;
use std::time::Duration;

/// What a database file holds, as a backup's manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseSummary {
    /// The last migration applied (`0014_session_activity.sql` is 14).
    pub schema: i64,
    pub sites: i64,
    pub articles: i64,
    pub comments: i64,
    pub users: i64,
    pub media: i64,
}

/// A database file checked whole: its summary and the files its media rows
/// name (originals, resized copies and crops, as paths under `media/`).
#[derive(Debug, Clone)]
pub struct Inspection {
    pub summary: DatabaseSummary,
    pub media_files: Vec<String>,
}

/// The schema this binary knows: the number of its last migration. A
/// database at a higher level was written by a newer Dateline.
pub fn schema_level() -> i64 {
    crate::db::MIGRATOR
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// Writes a consistent copy of the database at `source` to `target` (a file
/// that must not exist yet), while other processes (a running server) go
/// on reading and writing it, then checks the copy ([`inspect`]).
///
/// The copy is SQLite's `VACUUM INTO` on one read-only connection: it reads
/// inside a single transaction, so it holds exactly the transactions
/// committed before it began, and writers are not stopped (WAL mode). The
/// source is never migrated or written.
pub async fn snapshot(source: &Path, target: &Path) -> Result<Inspection> {
    let target_text = target.to_str().ok_or_else(|| {
        StoreError::Invalid(format!(
            "the backup path {} is not valid UTF-8",
            target.display()
        ))
    })?;
    let mut connection = connect(source, false).await?;
    let copied = sqlx::query("VACUUM INTO $1")
        .bind(target_text)
        .execute(&mut connection)
        .await;
    connection.close().await.ok();
    copied.map_err(|error| StoreError::Snapshot {
        from: source.display().to_string(),
        to: target.display().to_string(),
        source: error,
    })?;
    inspect(target).await
}

/// Checks a database file that nothing else writes (a backup): SQLite's
/// `PRAGMA integrity_check` must answer `ok`; then its schema level, what
/// it holds, and the media files it names.
pub async fn inspect(path: &Path) -> Result<Inspection> {
    let mut connection = connect(path, true).await?;
    let inspected = inspect_on(&mut connection, path).await;
    connection.close().await.ok();
    // A file that is not a database, or a damaged one, fails on the way.
    inspected.map_err(|error| match error {
        StoreError::Database(source) => StoreError::Corrupt {
            what: format!("the database {}", path.display()),
            reason: source.to_string(),
        },
        other => other,
    })
}

async fn inspect_on(connection: &mut SqliteConnection, path: &Path) -> Result<Inspection> {
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *connection)
        .await?;
    if problems != ["ok"] {
        return Err(StoreError::Corrupt {
            what: format!("the database {}", path.display()),
            reason: format!("integrity check: {}", problems.join("; ")),
        });
    }
    let schema: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *connection)
            .await
            .map_err(|_| StoreError::Corrupt {
                what: format!("the database {}", path.display()),
                reason: "it has no migration table: not a Dateline database".to_owned(),
            })?;
    let (sites, articles, comments, users, media): (i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM sites), (SELECT COUNT(*) FROM articles),
                (SELECT COUNT(*) FROM comments), (SELECT COUNT(*) FROM users),
                (SELECT COUNT(*) FROM media)",
    )
    .fetch_one(&mut *connection)
    .await?;
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT path, variants, crops FROM media ORDER BY id")
            .fetch_all(&mut *connection)
            .await?;
    let mut media_files = Vec::new();
    for (original, variants, crops) in rows {
        media_files.push(original);
        media_files.extend(
            dateline_core::parse_variants(&variants)
                .into_iter()
                .map(|v| v.path),
        );
        media_files.extend(
            dateline_core::parse_crops(&crops)
                .into_iter()
                .map(|c| c.path),
        );
    }
    Ok(Inspection {
        summary: DatabaseSummary {
            schema: schema.unwrap_or(0),
            sites,
            articles,
            comments,
            users,
            media,
        },
        media_files,
    })
}

/// One read-only connection to an existing file. `immutable` tells SQLite
/// that nothing changes the file meanwhile (a backup), so it takes no locks
/// and leaves no `-wal` or `-shm` file beside it.
async fn connect(path: &Path, immutable: bool) -> Result<SqliteConnection> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .immutable(immutable)
        .busy_timeout(Duration::from_secs(5));
    SqliteConnection::connect_with(&options)
        .await
        .map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })
}
