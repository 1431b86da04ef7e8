//! Copying a SQLite database into PostgreSQL (`dateline migrate-store`):
//! table by table, in batches that are each their own transaction, each
//! row inserted unless its primary key is there already, so a copy cut
//! short (even by `kill -9`) goes on where it stopped when run again.
//! Afterwards the row counts of both sides must agree.
//!
//! The copy is generic over columns: values travel as text and are cast to
//! the target column's type in SQL, so a column added by a later migration
//! is copied without a change here. Tables are listed by hand, parents
//! first; a test checks the list covers every table of the schema.

use crate::db::{Backend, on_read};
use crate::{Db, Result, StoreError};
use sqlx::Row;

/// Every table, parents before children. Not copied ([`NOT_COPIED`]): the
/// search backlog and the classifiers (derived: the target's index and
/// models are built from the articles and decisions), the change feed and what follows it (about the source's
/// running instances), the media files (taken from the media folder
/// instead: `migrate-store` does it), and sqlx's own migration table (the
/// target records its own migrations).
pub const TABLES: &[&str] = &[
    "sites",
    "users",
    "media",
    "sections",
    "tags",
    "authors",
    "articles",
    "article_tags",
    "article_authors",
    "article_sources",
    "article_revisions",
    "article_corrections",
    "autosaves",
    "audit_log",
    "site_roles",
    "sessions",
    "login_failures",
    "login_devices",
    "api_tokens",
    "invitations",
    "comments",
    "comment_reports",
    "comment_bans",
    "security_codes",
    "commenters",
    "commenter_keys",
    "email_verifications",
    "outbox",
    "websub_subscriptions",
    "store_copies",
    "wire_sources",
    "wire_items",
    "wire_subject_sections",
    "redirects",
    "imported",
    "import_runs",
    "live_entries",
];

/// Tables left out of the copy: derived from others, or about the running
/// instances of the source (see [`TABLES`]).
pub const NOT_COPIED: &[&str] = &[
    "search_backlog",
    "search_backlog_pruned",
    "change_feed",
    "feed_cursors",
    "leases",
    "classifier_models",
    "media_files",
];

/// Columns that point forward in [`TABLES`] (a site's logo is a media row,
/// and media rows belong to sites; an imported reply may precede the
/// comment it answers): copied as NULL, then set once the rows they point
/// to are there.
const FORWARD_COLUMNS: &[(&str, &str)] = &[("sites", "logo_media_id"), ("comments", "parent_id")];

/// Rows per batch (one transaction each).
const BATCH: i64 = 500;

/// One table's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    pub table: &'static str,
    pub source_rows: i64,
    pub target_rows: i64,
}

/// What a copy did: every table, with both sides counted afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    pub tables: Vec<TableCopy>,
}

impl CopyReport {
    /// Tables whose counts differ (none after a complete copy).
    pub fn mismatches(&self) -> Vec<&TableCopy> {
        self.tables
            .iter()
            .filter(|t| t.source_rows != t.target_rows)
            .collect()
    }
}

/// Progress of a copy: the table, rows done in it, rows it has.
pub type Progress<'a> = dyn FnMut(&str, i64, i64) + Send + 'a;

impl Db {
    /// Whether `target` may receive a copy of this database: it holds no
    /// site yet, or it is the unfinished (or finished) copy of `source`
    /// (`store_copies` remembers which database a copy came from).
    pub async fn may_copy_into(&self, target: &Db, source: &str) -> Result<()> {
        if target.is_empty().await? {
            return Ok(());
        }
        let known: Option<String> = on_read!(target, cx => sqlx::query_scalar(
            "SELECT source FROM store_copies WHERE source = $1",
        )
        .bind(source)
        .fetch_optional(cx)
        .await)?;
        match known {
            Some(_) => Ok(()),
            None => Err(StoreError::Invalid(format!(
                "the target database already holds sites that were not copied from {source}: give an empty database"
            ))),
        }
    }

    /// Copies every row of this SQLite database into `target`, a
    /// PostgreSQL database at the same schema level, telling `progress`
    /// as it goes. `source` names this database in `store_copies`.
    pub async fn copy_into(
        &self,
        target: &Db,
        source: &str,
        now: time::OffsetDateTime,
        progress: &mut Progress<'_>,
    ) -> Result<CopyReport> {
        let Backend::Sqlite { read, .. } = &self.backend else {
            return Err(StoreError::Invalid(
                "the database to copy from must be SQLite".into(),
            ));
        };
        let Backend::Postgres(pg) = &target.backend else {
            return Err(StoreError::Invalid(
                "the database to copy into must be PostgreSQL".into(),
            ));
        };
        self.may_copy_into(target, source).await?;
        sqlx::query(
            "INSERT INTO store_copies (source, started_at) VALUES ($1, $2) \
             ON CONFLICT (source) DO NOTHING",
        )
        .bind(source)
        .bind(crate::stored_time(now))
        .execute(pg)
        .await?;
        for table in TABLES {
            copy_table(read, pg, table, progress).await?;
        }
        for (table, column) in FORWARD_COLUMNS {
            set_forward_column(read, pg, table, column).await?;
        }
        for table in TABLES {
            restart_identity(pg, table).await?;
        }
        sqlx::query("UPDATE store_copies SET finished_at = $2 WHERE source = $1")
            .bind(source)
            .bind(crate::stored_time(now))
            .execute(pg)
            .await?;
        let mut tables = Vec::new();
        for table in TABLES {
            tables.push(TableCopy {
                table,
                source_rows: count(self, table).await?,
                target_rows: count(target, table).await?,
            });
        }
        // The copy's own record is made on the target only.
        tables.retain(|t| t.table != "store_copies");
        Ok(CopyReport { tables })
    }

    /// Every table of the schema, as the database lists them (for the
    /// test that [`TABLES`] misses none).
    pub async fn table_names(&self) -> Result<Vec<String>> {
        let sql = match self.backend {
            Backend::Sqlite { .. } => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name"
            }
            Backend::Postgres(_) => {
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                 AND table_name <> '_sqlx_migrations' ORDER BY table_name"
            }
        };
        Ok(on_read!(self, cx => sqlx::query_scalar(sql).fetch_all(cx).await)?)
    }
}

/// Only names from [`TABLES`] and the databases' own column lists are
/// spliced into statements.
fn assert_known(table: &str) -> Result<()> {
    if TABLES.contains(&table) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!("unknown table {table}")))
    }
}

async fn count(db: &Db, table: &str) -> Result<i64> {
    assert_known(table)?;
    let sql = format!("SELECT COUNT(*) FROM {table}");
    Ok(on_read!(db, cx => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(cx).await)?)
}

/// The target's columns of a table with their types, in the target's
/// order, keeping those the source has too.
async fn columns(
    source: &crate::sqlite_connections::SqliteConnections,
    target: &sqlx::PgPool,
    table: &str,
) -> Result<Vec<(String, String)>> {
    let in_source: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
        .bind(table)
        .fetch_all(source)
        .await?;
    let in_target: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(target)
    .await?;
    Ok(in_target
        .into_iter()
        .filter(|(name, _)| in_source.contains(name))
        .collect())
}

/// Copies one table in batches of [`BATCH`] rows, in the source's row
/// order (so identity columns the target makes itself keep that order).
async fn copy_table(
    source: &crate::sqlite_connections::SqliteConnections,
    target: &sqlx::PgPool,
    table: &'static str,
    progress: &mut Progress<'_>,
) -> Result<()> {
    assert_known(table)?;
    let columns = columns(source, target, table).await?;
    if columns.is_empty() {
        return Ok(());
    }
    let total: i64 =
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
            .fetch_one(source)
            .await?;
    let forward: Vec<&str> = FORWARD_COLUMNS
        .iter()
        .filter(|(t, _)| *t == table)
        .map(|(_, c)| *c)
        .collect();
    // Everything as text (NULL stays NULL); the target casts it back.
    let select = format!(
        "SELECT rowid, {} FROM {table} WHERE rowid > $1 ORDER BY rowid LIMIT {BATCH}",
        columns
            .iter()
            .map(|(name, _)| if forward.contains(&name.as_str()) {
                "NULL".to_owned()
            } else {
                format!("CAST({name} AS TEXT)")
            })
            .collect::<Vec<_>>()
            .join(", ")
    );
    let names = columns
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut after = 0_i64;
    let mut done = 0_i64;
    progress(table, done, total);
    loop {
        let rows = sqlx::query(sqlx::AssertSqlSafe(select.clone()))
            .bind(after)
            .fetch_all(source)
            .await?;
        let Some(last) = rows.last() else {
            break;
        };
        after = last.try_get(0)?;
        let mut values = Vec::with_capacity(rows.len());
        let mut n = 0;
        for _ in &rows {
            let row: Vec<String> = columns
                .iter()
                .map(|(_, kind)| {
                    n += 1;
                    format!("CAST(${n} AS {kind})")
                })
                .collect();
            values.push(format!("({})", row.join(", ")));
        }
        let insert = format!(
            "INSERT INTO {table} ({names}) VALUES {} ON CONFLICT DO NOTHING",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(insert));
        for row in &rows {
            for (i, (_, kind)) in columns.iter().enumerate() {
                let value: Option<String> = row.try_get(i + 1)?;
                query = query.bind(readable_value(value, kind));
            }
        }
        query.execute(target).await?;
        done += rows.len() as i64;
        progress(table, done, total);
    }
    Ok(())
}

/// A value as the target column's type reads it: SQLite rows written
/// before a time column had its default hold `''`, which PostgreSQL reads
/// as the epoch (what SQLite's text order made of it: before any time).
fn readable_value(value: Option<String>, kind: &str) -> Option<String> {
    match value {
        Some(text) if text.is_empty() && kind.starts_with("timestamp") => {
            Some("1970-01-01T00:00:00Z".to_owned())
        }
        other => other,
    }
}

/// Sets a [`FORWARD_COLUMNS`] column from the source, row by row (a
/// handful of rows: sites).
async fn set_forward_column(
    source: &crate::sqlite_connections::SqliteConnections,
    target: &sqlx::PgPool,
    table: &str,
    column: &str,
) -> Result<()> {
    assert_known(table)?;
    let rows: Vec<(i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL"
    )))
    .fetch_all(source)
    .await?;
    for (id, value) in rows {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET {column} = $2 WHERE id = $1"
        )))
        .bind(id)
        .bind(value)
        .execute(target)
        .await?;
    }
    Ok(())
}

/// Moves a table's identity sequence past the ids copied into it, so the
/// next row the target makes gets a new one.
async fn restart_identity(target: &sqlx::PgPool, table: &str) -> Result<()> {
    assert_known(table)?;
    let identity: Option<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name = $1 AND is_identity = 'YES' \
         AND identity_generation = 'BY DEFAULT'",
    )
    .bind(table)
    .fetch_optional(target)
    .await?;
    let Some(column) = identity else {
        return Ok(());
    };
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
         COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
    )))
    .execute(target)
    .await?;
    Ok(())
}
