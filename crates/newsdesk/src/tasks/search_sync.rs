//! Keeps the search index in step with storage. Storage records every
//! change to what a document is built from in the search backlog, in the
//! very transaction that makes it (`Db::search_backlog`, filled by
//! triggers); one task per process applies the backlog to the index,
//! commits the index, and only then forgets what it applied, so no change
//! is lost to a crash between the two commits. The task wakes on the
//! notices the store sends after each commit (a change is searchable well
//! within a second), every few seconds for the writes of other processes,
//! and at start, where it also rebuilds the whole index from storage when
//! it is missing, damaged or holds a different number of articles than
//! storage.

use super::Stop;
use crate::changes::Changes;
use dateline_core::ArticleId;
use dateline_search::{SearchError, SearchIndex};
use dateline_store::{Db, StoreError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

/// Articles read from storage per step of a rebuild.
const REBUILD_PAGE: u32 = 1_000;
/// Rows of the backlog taken per index commit.
const BACKLOG_PAGE: u32 = 1_000;
/// How often the backlog is read without a notice: writes of other
/// processes (a command-line tool, another server on the same database)
/// reach the index within this.
const POLL: Duration = Duration::from_secs(10);
/// Wait before trying again after a failure (or while another process
/// holds the index's writer).
const RETRY: Duration = Duration::from_millis(500);

/// Why the index could not follow storage.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("the indexing thread failed")]
    Thread(#[from] tokio::task::JoinError),
}

/// Runs until `stop`. `announced` (the store's change notices) only says
/// when to look: what to apply comes from the backlog, so a notice that
/// is missed, dropped or never sent (another process wrote) costs at most
/// [`POLL`] of delay. Told to stop, it applies one last page of the
/// backlog if the index is free; anything left is applied at the next
/// start. Pages showing search results leave the local caches each time
/// the index changes (`changes`).
pub async fn run(
    db: Db,
    index: Arc<SearchIndex>,
    mut announced: Receiver<Vec<ArticleId>>,
    changes: Changes,
    mut stop: Stop,
) {
    // What the last process left behind, then the count check.
    loop {
        match catch_up(&db, &index, || !stop.is_requested()).await {
            Ok(()) => break,
            Err(error) => {
                tracing::warn!(error = %chain(&error), "cannot bring the search index up to date; retrying");
                if pause(&mut stop, RETRY * 4).await {
                    return;
                }
            }
        }
    }
    changes.index_changed();
    let mut failing = false;
    loop {
        let stopping = if stop.is_requested() {
            true
        } else if failing {
            pause(&mut stop, RETRY).await
        } else {
            tokio::select! {
                received = announced.recv() => match received {
                    Ok(_) | Err(RecvError::Lagged(_)) => false,
                    Err(RecvError::Closed) => return,
                },
                () = tokio::time::sleep(POLL) => false,
                () = stop.requested() => true,
            }
        };
        // Notices that came meanwhile are covered by this pass.
        while matches!(announced.try_recv(), Ok(_) | Err(TryRecvError::Lagged(_))) {}
        match drain(&db, &index, || !stopping && !stop.is_requested()).await {
            Ok(applied) => {
                failing = false;
                if applied > 0 {
                    changes.index_changed();
                }
            }
            Err(SyncError::Search(SearchError::Busy)) => {
                tracing::debug!("the search index is busy; retrying");
                failing = true;
            }
            Err(error) => {
                tracing::warn!(error = %chain(&error), "cannot update the search index; retrying");
                failing = true;
            }
        }
        if stopping {
            return;
        }
    }
}

/// The error and its causes, for the log (tantivy's reason is a cause).
fn chain(error: &SyncError) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// Waits `wait`; true if the stop came first.
async fn pause(stop: &mut Stop, wait: Duration) -> bool {
    tokio::select! {
        () = tokio::time::sleep(wait) => false,
        () = stop.requested() => true,
    }
}

/// Applies the search backlog to the index a page at a time, one index
/// commit per page, forgetting each page only once the index has
/// committed it (a crash in between applies it again: applying is
/// idempotent). Goes on while the backlog has rows and `more` says so;
/// returns how many articles it applied.
async fn drain(
    db: &Db,
    index: &Arc<SearchIndex>,
    more: impl Fn() -> bool,
) -> Result<usize, SyncError> {
    let mut applied = 0;
    loop {
        let page = db.search_backlog(BACKLOG_PAGE).await?;
        if page.is_empty() {
            return Ok(applied);
        }
        update(db, index, &page.articles).await?;
        db.forget_search_backlog(page.through).await?;
        applied += page.articles.len();
        if !more() {
            return Ok(applied);
        }
    }
}

/// At start: applies what the backlog holds (changes the last process
/// committed but may not have indexed: a kill, a command-line tool, a
/// stop while the index was busy), then, as a safety net, rebuilds if the
/// index holds a different number of articles than storage (a new data
/// directory, an index made anew, writes of a version without the
/// backlog). An empty index is rebuilt rather than filled from the
/// backlog.
async fn catch_up(
    db: &Db,
    index: &Arc<SearchIndex>,
    more: impl Fn() -> bool,
) -> Result<(), SyncError> {
    if !index.is_empty() {
        drain(db, index, &more).await?;
    }
    if !more() {
        return Ok(());
    }
    resync(db, index).await
}

/// Sites up to this many articles get their index before the first
/// reader (about two seconds at most here), so pages never change under
/// readers while it fills in; larger ones rebuild in the background.
const BUILD_BEFORE_SERVING: i64 = 5_000;

/// Brings a missing or stale index of a small site up to date before the
/// server answers anyone (the backlog, then the count check); `run` does
/// the same later for large ones.
pub async fn prepare(db: &Db, index: &Arc<SearchIndex>) {
    match db.count_indexable().await {
        Ok(n) if n <= BUILD_BEFORE_SERVING => {
            if let Err(error) = catch_up(db, index, || true).await {
                tracing::warn!(error = %chain(&error), "cannot build the search index; it is rebuilt while serving");
            }
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(error = %error, "cannot count the articles to index"),
    }
}

/// Rebuilds the index if it holds a different number of articles than
/// storage.
async fn resync(db: &Db, index: &Arc<SearchIndex>) -> Result<(), SyncError> {
    let expected = u64::try_from(db.count_indexable().await?).unwrap_or(0);
    let held = index.len();
    if held == expected {
        return Ok(());
    }
    tracing::info!(held, expected, "rebuilding the search index");
    let started = std::time::Instant::now();
    let count = reindex(db, index, |_, _| {}).await?;
    tracing::info!(
        articles = count,
        seconds = started.elapsed().as_secs_f32(),
        "rebuilt the search index"
    );
    Ok(())
}

/// Re-reads the given articles and puts them in the index, or takes out
/// those no longer published.
pub async fn update(db: &Db, index: &Arc<SearchIndex>, ids: &[ArticleId]) -> Result<(), SyncError> {
    let docs = db.search_documents(ids).await?;
    let removed: Vec<ArticleId> = ids
        .iter()
        .copied()
        .filter(|id| !docs.iter().any(|d| d.id == *id))
        .collect();
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.apply(&docs, &removed)).await??;
    Ok(())
}

/// Rebuilds the whole index from storage, telling `progress` how many
/// articles are done out of how many; returns how many it indexed.
/// Searches see the old index until the new one is complete. The backlog
/// recorded before the rebuild began is forgotten once it is committed
/// (the rebuild read those changes); later rows stay for `run`.
pub async fn reindex(
    db: &Db,
    index: &Arc<SearchIndex>,
    mut progress: impl FnMut(u64, u64),
) -> Result<u64, SyncError> {
    let taken_in = db.search_backlog_mark().await?;
    let total = u64::try_from(db.count_indexable().await?).unwrap_or(0);
    let target = index.clone();
    let mut rebuild = tokio::task::spawn_blocking(move || target.start_rebuild()).await??;
    let mut after = ArticleId(0);
    let mut done = 0;
    progress(done, total);
    loop {
        let docs = db.search_documents_after(after, REBUILD_PAGE).await?;
        let Some(last) = docs.last() else {
            break;
        };
        after = last.id;
        done += docs.len() as u64;
        rebuild = tokio::task::spawn_blocking(move || {
            rebuild.add(&docs)?;
            Ok::<_, SearchError>(rebuild)
        })
        .await??;
        progress(done, total.max(done));
    }
    let count = tokio::task::spawn_blocking(move || rebuild.finish()).await??;
    db.forget_search_backlog(taken_in).await?;
    Ok(count)
}
