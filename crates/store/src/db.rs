//! Connection pools and transactions, on SQLite or PostgreSQL.
//!
//! Every statement of the store is written once, in the SQL both databases
//! share, and run through [`on_read!`], [`on_write!`] or [`on_tx!`]: each
//! macro matches on the backend and compiles the same statement for both
//! drivers, so the row types and bound values are checked twice.

use crate::cache::ReadCache;
use crate::sqlite_connections::{SqliteConnections, SqliteTx};
use crate::{Result, StoreError};
use dateline_core::ArticleId;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pub(crate) backend: Backend,
    pub(crate) cache: Arc<ReadCache>,
    /// Ids of articles whose stored copy changed, sent after each commit.
    pub(crate) changes: tokio::sync::broadcast::Sender<Vec<ArticleId>>,
}

/// The database underneath, with its pools.
#[derive(Clone, Debug)]
pub(crate) enum Backend {
    /// SQLite allows one writer at a time, so writes go through one
    /// connection (no `SQLITE_BUSY` from two writers racing) while reads
    /// use connections as many as twice the cores (`sqlite_connections`:
    /// not sqlx's pool, which cost each query a second round trip).
    Sqlite {
        read: SqliteConnections,
        write: SqliteConnections,
    },
    /// PostgreSQL takes concurrent writers itself: one pool for both.
    Postgres(PgPool),
}

/// Which database a [`Db`] runs on, for the few callers that must know
/// (backups are files on SQLite, `pg_dump` on PostgreSQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

/// Runs `$body` with `$conn` bound to the pool that serves reads.
macro_rules! on_read {
    ($db:expr, $conn:ident => $body:expr) => {
        match &$db.backend {
            $crate::db::Backend::Sqlite { read: $conn, .. } => $body,
            $crate::db::Backend::Postgres($conn) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the pool that takes writes.
macro_rules! on_write {
    ($db:expr, $conn:ident => $body:expr) => {
        match &$db.backend {
            $crate::db::Backend::Sqlite { write: $conn, .. } => $body,
            $crate::db::Backend::Postgres($conn) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the connection of a [`Tx`].
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match &mut $tx.inner {
            $crate::db::TxInner::Sqlite(inner) => {
                let $conn = &mut **inner;
                $body
            }
            $crate::db::TxInner::Postgres(inner) => {
                let $conn = &mut **inner;
                $body
            }
        }
    };
}

pub(crate) use {on_read, on_tx, on_write};

/// How many change notices may wait for a slow listener before it is told
/// it lagged (and must resynchronise from storage).
const CHANGES_BACKLOG: usize = 1_024;

/// The migrations embedded in the binary, one directory per backend with
/// the same versions and names (a test checks they match).
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
pub(crate) static POSTGRES_MIGRATOR: sqlx::migrate::Migrator =
    sqlx::migrate!("./migrations/postgres");

/// A write transaction; dropped without [`Tx::commit`] it rolls back.
pub struct Tx {
    pub(crate) inner: TxInner,
    cache: Arc<ReadCache>,
    changes: tokio::sync::broadcast::Sender<Vec<ArticleId>>,
    touched: Vec<ArticleId>,
}

pub(crate) enum TxInner {
    Sqlite(SqliteTx),
    Postgres(Transaction<'static, Postgres>),
}

impl TxInner {
    /// Commits without the read-cache and change bookkeeping of
    /// [`Tx::commit`], for writes readers never see.
    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// The largest pool a PostgreSQL instance opens: several instances share
/// the server's `max_connections` (100 by default).
const POSTGRES_CONNECTIONS: u32 = 16;

impl Db {
    /// Opens the database a `--database-url` names: `postgres://…` (or
    /// `postgresql://…`) for PostgreSQL; anything else is refused.
    pub async fn open_url(url: &str) -> Result<Db> {
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(StoreError::Url {
                reason: "it must start with postgres:// (SQLite needs no URL: leave it out to use the data directory's database file)".into(),
            });
        }
        let options = PgConnectOptions::from_str(url).map_err(|e| StoreError::Url {
            reason: e.to_string(),
        })?;
        Db::open_postgres(options).await
    }

    /// Connects to PostgreSQL and applies pending migrations (several
    /// instances starting at once wait for each other: sqlx takes an
    /// advisory lock around them).
    pub async fn open_postgres(options: PgConnectOptions) -> Result<Db> {
        let server = format!(
            "{}:{}, database {:?} (PostgreSQL)",
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or(options.get_username())
        );
        let open_error = |source| StoreError::Open {
            path: server.clone(),
            source,
        };
        let options = options.application_name("dateline");
        // One connection first: a pool that cannot connect reports only
        // that it timed out, while this says why (refused, no such
        // database, password).
        use sqlx::Connection;
        let probe = sqlx::PgConnection::connect_with(&options)
            .await
            .map_err(open_error)?;
        probe.close().await.map_err(open_error)?;
        let pool = PgPoolOptions::new()
            .max_connections(POSTGRES_CONNECTIONS)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(open_error)?;
        migrate(&POSTGRES_MIGRATOR, &pool, &server).await?;
        Ok(Db::with(Backend::Postgres(pool)))
    }

    /// Opens (creating if needed) the SQLite database file and applies
    /// pending migrations.
    pub async fn open_sqlite(path: &Path) -> Result<Db> {
        let display = path.display().to_string();
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // In WAL mode NORMAL survives a crash of the process (what was
            // committed is in the WAL file); only a power loss can lose the
            // last transactions.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let open_error = |source| StoreError::Open {
            path: display.clone(),
            source,
        };
        let write = SqliteConnections::open(options.clone(), 1)
            .await
            .map_err(open_error)?;
        migrate(&MIGRATOR, &mut *write.acquire().await?, &display).await?;
        let readers = std::thread::available_parallelism().map_or(4, |n| n.get() as u32 * 2);
        let read = SqliteConnections::open(options.read_only(true), readers.max(4))
            .await
            .map_err(open_error)?;
        Ok(Db::with(Backend::Sqlite { read, write }))
    }

    fn with(backend: Backend) -> Db {
        Db {
            backend,
            cache: Arc::default(),
            changes: tokio::sync::broadcast::channel(CHANGES_BACKLOG).0,
        }
    }

    pub fn backend(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite { .. } => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    pub async fn begin(&self) -> Result<Tx> {
        let inner = match &self.backend {
            // IMMEDIATE takes the write lock at once, waiting out another
            // process's write (`busy_timeout`). A deferred transaction that
            // reads before it writes would fail at its first write instead:
            // SQLite cannot wait there without risking a deadlock, so a
            // command writing beside a server (`dateline ingest`) got
            // "database is locked" whenever the server wrote in between.
            Backend::Sqlite { write, .. } => TxInner::Sqlite(SqliteTx::begin(write).await?),
            Backend::Postgres(pool) => TxInner::Postgres(pool.begin().await?),
        };
        Ok(Tx {
            inner,
            cache: self.cache.clone(),
            changes: self.changes.clone(),
            touched: Vec::new(),
        })
    }

    /// Ids of articles whose stored copy (content, state, tags, authors)
    /// changed, one message per committed write through this process,
    /// sent after the commit: a prompt hint, lost if the process dies
    /// after the commit. The durable record of the same changes, which
    /// derived data (the search index) follows, is the search backlog
    /// ([`Db::search_backlog`]), written in the same transaction.
    pub fn article_changes(&self) -> tokio::sync::broadcast::Receiver<Vec<ArticleId>> {
        self.changes.subscribe()
    }

    /// Tells this process's listeners of [`Db::article_changes`] that
    /// another instance changed articles: which ones is in the search
    /// backlog, so the notice names none.
    pub fn announce_foreign_changes(&self) {
        let _ = self.changes.send(Vec::new());
    }

    /// Tells listeners that articles changed outside a transaction.
    pub(crate) fn announce(&self, ids: Vec<ArticleId>) {
        if !ids.is_empty() {
            // No listener (a command-line tool) is fine.
            let _ = self.changes.send(ids);
        }
    }

    /// True when the database holds no site yet (a new data directory).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = on_read!(self, cx => sqlx::query_scalar("SELECT COUNT(*) FROM sites")
            .fetch_one(cx)
            .await)?;
        Ok(n == 0)
    }

    /// A cheap round trip for health checks.
    pub async fn ping(&self) -> Result<()> {
        on_read!(self, cx => sqlx::query("SELECT 1").execute(cx).await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Closes the pools, checkpointing the WAL.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Backend::Postgres(pool) => pool.close().await,
        }
    }
}

/// Creates a new, empty database on the PostgreSQL server `server_url`
/// names (a URL whose path is an existing database, such as `/postgres`)
/// and returns the new database's URL. For tests and benchmarks, which
/// each want a database of their own on one throwaway server.
pub async fn create_scratch_database(server_url: &str) -> Result<String> {
    use sqlx::Connection;
    static MADE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let (base, query) = server_url.split_once('?').unwrap_or((server_url, ""));
    let Some((server, _database)) = base.rsplit_once('/') else {
        return Err(StoreError::Url {
            reason: format!("{server_url:?} names no database"),
        });
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!(
        "dateline_scratch_{}_{}_{nanos}",
        std::process::id(),
        MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let options = PgConnectOptions::from_str(server_url).map_err(|e| StoreError::Url {
        reason: e.to_string(),
    })?;
    let mut admin = sqlx::PgConnection::connect_with(&options)
        .await
        .map_err(|source| StoreError::Open {
            path: server.to_owned(),
            source,
        })?;
    // The name is made here of letters, digits and underscores only.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await?;
    admin.close().await?;
    Ok(match query {
        "" => format!("{server}/{name}"),
        query => format!("{server}/{name}?{query}"),
    })
}

/// Applies the pending migrations; a database that has migrations this
/// binary does not know was written by a newer Dateline, and is refused
/// with that reason rather than a driver error.
async fn migrate<'c, A>(migrator: &sqlx::migrate::Migrator, pool: A, database: &str) -> Result<()>
where
    A: sqlx::Acquire<'c>,
    <A::Connection as std::ops::Deref>::Target: sqlx::migrate::Migrate,
{
    match migrator.run(pool).await {
        Err(sqlx::migrate::MigrateError::VersionMissing(version)) => Err(StoreError::SchemaNewer {
            database: database.to_owned(),
            version,
            known: migrator.iter().map(|m| m.version).max().unwrap_or(0),
        }),
        other => Ok(other?),
    }
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        self.inner.commit().await?;
        self.cache.invalidate();
        if !self.touched.is_empty() {
            // No listener (a command-line tool) is fine.
            let _ = self.changes.send(self.touched);
        }
        Ok(())
    }

    /// Notes that the transaction changes an article; listeners of
    /// [`Db::article_changes`] hear of it once the transaction commits.
    pub(crate) fn touch(&mut self, id: ArticleId) {
        if !self.touched.contains(&id) {
            self.touched.push(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both backends go through the same steps, so a database of either
    /// kind at migration N has the same tables and columns.
    #[test]
    fn both_backends_have_the_same_migrations() {
        let steps = |m: &sqlx::migrate::Migrator| {
            m.iter()
                .map(|m| (m.version, m.description.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(steps(&MIGRATOR), steps(&POSTGRES_MIGRATOR));
        assert!(MIGRATOR.iter().count() >= 20);
    }
}
