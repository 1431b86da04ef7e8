//! Connection pools and transactions.

use crate::cache::ReadCache;
use crate::{Result, StoreError};
use dateline_core::ArticleId;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// A handle on the database; cheap to clone.
///
/// SQLite allows one writer at a time, so writes go through a pool of one
/// connection (no `SQLITE_BUSY` from two writers racing) while reads use a
/// pool as wide as the machine.
#[derive(Clone, Debug)]
pub struct Db {
    pub(crate) read: SqlitePool,
    pub(crate) write: SqlitePool,
    pub(crate) cache: Arc<ReadCache>,
    /// Ids of articles whose stored copy changed, sent after each commit.
    pub(crate) changes: tokio::sync::broadcast::Sender<Vec<ArticleId>>,
}

/// How many change notices may wait for a slow listener before it is told
/// it lagged (and must resynchronise from storage).
const CHANGES_BACKLOG: usize = 1_024;

/// The migrations embedded in the binary, applied by [`Db::open_sqlite`].
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// A write transaction; dropped without [`Tx::commit`] it rolls back.
pub struct Tx {
    pub(crate) inner: Transaction<'static, Sqlite>,
    cache: Arc<ReadCache>,
    changes: tokio::sync::broadcast::Sender<Vec<ArticleId>>,
    touched: Vec<ArticleId>,
}

impl Db {
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
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(open_error)?;
        MIGRATOR.run(&write).await?;
        let readers = std::thread::available_parallelism().map_or(4, |n| n.get() as u32 * 2);
        let read = SqlitePoolOptions::new()
            .max_connections(readers.max(4))
            .min_connections(1)
            .connect_with(options.read_only(true))
            .await
            .map_err(open_error)?;
        Ok(Db {
            read,
            write,
            cache: Arc::default(),
            changes: tokio::sync::broadcast::channel(CHANGES_BACKLOG).0,
        })
    }

    pub async fn begin(&self) -> Result<Tx> {
        Ok(Tx {
            inner: self.write.begin().await?,
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

    /// Tells listeners that articles changed outside a transaction.
    pub(crate) fn announce(&self, ids: Vec<ArticleId>) {
        if !ids.is_empty() {
            // No listener (a command-line tool) is fine.
            let _ = self.changes.send(ids);
        }
    }

    /// True when the database holds no site yet (a new data directory).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sites")
            .fetch_one(&self.read)
            .await?;
        Ok(n == 0)
    }

    /// A cheap round trip for health checks.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    /// Closes the pools, checkpointing the WAL.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
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
