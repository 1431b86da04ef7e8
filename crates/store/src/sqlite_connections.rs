//! SQLite connections lent out without sqlx's pool.
//!
//! sqlx's pool pings every connection given back to it, in a task of its
//! own: each query cost a second round trip to the connection's thread,
//! and the single writer connection stayed out of reach until that ping
//! returned. A connection to a file cannot drop as a network's can, and a
//! sqlx SQLite connection runs its commands in the order they are sent,
//! so here a connection is free again the moment its lease ends: a query
//! cut short, or a transaction's rollback on drop, is simply ahead of the
//! next borrower's first command.
//!
//! `&SqliteConnections` is an [`Executor`], so the store's statements run
//! on it exactly as they ran on a pool (`fetch_one(cx)`).

use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream};
use futures_util::{StreamExt, TryStreamExt};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteQueryResult, SqliteRow, SqliteStatement,
    SqliteTypeInfo,
};
use sqlx::{
    ConnectOptions, Connection, Database, Describe, Either, Error, Execute, Executor, SqlSafeStr,
    SqlStr, Sqlite,
};
use sqlx_core::transaction::TransactionManager;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a borrower waits for a connection before giving up, as sqlx's
/// pool did: a writer stuck this long is a fault to report, not to queue
/// behind forever.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// `size` connections to one database file, opened together and kept
/// open.
#[derive(Clone)]
pub(crate) struct SqliteConnections {
    inner: Arc<Inner>,
}

type Slot = Arc<tokio::sync::Mutex<SqliteConnection>>;

struct Inner {
    options: SqliteConnectOptions,
    slots: Mutex<Vec<Slot>>,
    /// One permit per connection not lent out: a borrower holding one is
    /// sure to find an unlocked slot.
    free: Arc<Semaphore>,
    size: u32,
}

impl std::fmt::Debug for SqliteConnections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteConnections")
            .field("size", &self.inner.size)
            .field("free", &self.inner.free.available_permits())
            .finish()
    }
}

impl SqliteConnections {
    /// Opens the connections now, so a file that cannot be opened is
    /// reported at once rather than at the first query.
    pub(crate) async fn open(options: SqliteConnectOptions, size: u32) -> Result<Self, Error> {
        let size = size.max(1);
        let mut slots = Vec::with_capacity(size as usize);
        for _ in 0..size {
            slots.push(Arc::new(tokio::sync::Mutex::new(options.connect().await?)));
        }
        Ok(SqliteConnections {
            inner: Arc::new(Inner {
                options,
                slots: Mutex::new(slots),
                free: Arc::new(Semaphore::new(size as usize)),
                size,
            }),
        })
    }

    /// A connection of one's own until the lease is dropped.
    pub(crate) async fn acquire(&self) -> Result<Lease, Error> {
        let permit = tokio::time::timeout(ACQUIRE_TIMEOUT, self.inner.free.clone().acquire_owned())
            .await
            .map_err(|_| Error::PoolTimedOut)?
            .map_err(|_| Error::PoolClosed)?;
        let slots = self.inner.slots();
        // A lease unlocks its slot before it returns its permit, so with a
        // permit in hand one slot at least is unlocked.
        let guard = slots
            .iter()
            .find_map(|slot| slot.clone().try_lock_owned().ok())
            .ok_or(Error::PoolClosed)?;
        Ok(Lease {
            connection: guard,
            owner: self.inner.clone(),
            _permit: permit,
        })
    }

    /// Waits for every lease to end, then closes the connections (the last
    /// to close checkpoints the WAL). Later borrowers are refused.
    pub(crate) async fn close(&self) {
        let all = self.inner.free.acquire_many(self.inner.size).await;
        self.inner.free.close();
        drop(all);
        let slots = std::mem::take(&mut *self.inner.slots());
        for slot in slots {
            // No lease is left, so no other reference to the slot.
            let Ok(connection) = Arc::try_unwrap(slot) else {
                continue;
            };
            if let Err(error) = connection.into_inner().close().await {
                tracing::warn!(%error, "closing a SQLite connection failed");
            }
        }
    }
}

impl Inner {
    fn slots(&self) -> std::sync::MutexGuard<'_, Vec<Slot>> {
        // The list stays whole whatever panicked while it was held.
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A borrowed connection; free again when dropped.
pub(crate) struct Lease {
    // Dropped first: the slot is unlocked before the permit is returned.
    connection: tokio::sync::OwnedMutexGuard<SqliteConnection>,
    owner: Arc<Inner>,
    _permit: OwnedSemaphorePermit,
}

impl Lease {
    /// After a statement: a connection whose thread is gone (it panicked)
    /// is replaced by a new one, so the slot does not fail every later
    /// borrower.
    async fn settle<T>(&mut self, result: &Result<T, Error>) {
        if matches!(result, Err(Error::WorkerCrashed)) {
            match self.owner.options.connect().await {
                Ok(fresh) => *self.connection = fresh,
                Err(error) => tracing::error!(%error, "cannot reopen a SQLite connection"),
            }
        }
    }
}

impl Deref for Lease {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.connection
    }
}

impl DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.connection
    }
}

impl<'p> Executor<'p> for &'_ SqliteConnections {
    type Database = Sqlite;

    /// The results are gathered before the first is passed on: the store
    /// reads whole results (`fetch_all`, `execute`), never a stream it
    /// could stop early.
    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxStream<'e, Result<Either<SqliteQueryResult, SqliteRow>, Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Sqlite>,
    {
        let connections = self.clone();
        let gathered = async move {
            let mut lease = connections.acquire().await?;
            let results: Result<Vec<_>, Error> = lease.fetch_many(query).try_collect().await;
            lease.settle(&results).await;
            results
        };
        stream::once(gathered)
            .map_ok(|results| stream::iter(results.into_iter().map(Ok)))
            .try_flatten()
            .boxed()
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> BoxFuture<'e, Result<Option<SqliteRow>, Error>>
    where
        'p: 'e,
        E: 'q + Execute<'q, Sqlite>,
    {
        let connections = self.clone();
        Box::pin(async move {
            let mut lease = connections.acquire().await?;
            let row = lease.fetch_optional(query).await;
            lease.settle(&row).await;
            row
        })
    }

    fn prepare_with<'e>(
        self,
        sql: SqlStr,
        parameters: &'e [SqliteTypeInfo],
    ) -> BoxFuture<'e, Result<SqliteStatement, Error>>
    where
        'p: 'e,
    {
        let connections = self.clone();
        Box::pin(async move {
            let mut lease = connections.acquire().await?;
            let statement = lease.prepare_with(sql, parameters).await;
            lease.settle(&statement).await;
            statement
        })
    }

    // Part of the trait while sqlx's `offline` feature is on, which its
    // `macros` feature (ours) turns on.
    fn describe<'e>(self, sql: SqlStr) -> BoxFuture<'e, Result<Describe<Sqlite>, Error>>
    where
        'p: 'e,
    {
        let connections = self.clone();
        Box::pin(async move {
            let mut lease = connections.acquire().await?;
            let description = lease.describe(sql).await;
            lease.settle(&description).await;
            description
        })
    }
}

type Manager = <Sqlite as Database>::TransactionManager;

/// A write transaction on a leased connection; dropped without
/// [`SqliteTx::commit`] it rolls back before the connection's next use.
pub(crate) struct SqliteTx {
    lease: Lease,
    open: bool,
}

impl SqliteTx {
    /// `BEGIN IMMEDIATE`: takes the write lock at once (see `Db::begin`).
    pub(crate) async fn begin(connections: &SqliteConnections) -> Result<SqliteTx, Error> {
        let mut lease = connections.acquire().await?;
        let begun = Manager::begin(&mut lease, Some("BEGIN IMMEDIATE".into_sql_str())).await;
        lease.settle(&begun).await;
        begun?;
        Ok(SqliteTx { lease, open: true })
    }

    pub(crate) async fn commit(mut self) -> Result<(), Error> {
        let committed = Manager::commit(&mut self.lease).await;
        self.lease.settle(&committed).await;
        committed?;
        self.open = false;
        Ok(())
    }
}

impl Deref for SqliteTx {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        &self.lease
    }
}

impl DerefMut for SqliteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.lease
    }
}

impl Drop for SqliteTx {
    fn drop(&mut self) {
        if self.open {
            // Queued on the connection's thread ahead of anything the next
            // borrower sends.
            Manager::start_rollback(&mut self.lease);
        }
    }
}
