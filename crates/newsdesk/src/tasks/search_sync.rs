//! Keeps the search index in step with storage. Storage records every
//! change to what a document is built from in the search backlog, in the
//! very transaction that makes it (`Db::search_backlog`, filled by
//! triggers); one task per process applies the backlog to its own index,
//! recording in the same index commit how far it has applied it, so no
//! change is lost to a crash between the two. Each instance on a shared
//! database has its own index and its own position; the backlog is pruned
//! only far behind the newest position, and an index left behind what was
//! pruned is rebuilt. The task wakes on the notices the store sends after
//! each commit (and that the change feed relays from other instances: a
//! change is searchable well within a second), every few seconds anyway,
//! and at start, where it also rebuilds the whole index from storage when
//! it is missing, damaged, behind the pruned backlog, or holds a
//! different number of articles than storage.

use super::Stop;
use crate::changes::Changes;
use dateline_core::ArticleId;
use dateline_search::{SearchError, SearchIndex};
use dateline_store::{BacklogMark, Db, StoreError};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

/// Articles read from storage per step of a rebuild.
const REBUILD_PAGE: u32 = 1_000;
/// Rows of the backlog taken per index commit.
const BACKLOG_PAGE: u32 = 1_000;
/// Backlog rows kept behind an index's position for instances whose
/// index is behind (down, or restarting); one further behind rebuilds.
const BACKLOG_KEPT: i64 = 100_000;
/// How often the backlog is read without a notice: writes of other
/// processes (a command-line tool, another server on the same database)
/// reach the index within this.
const POLL: Duration = Duration::from_secs(10);
/// Wait before trying again after a failure (or while another process
/// holds the index's writer).
const RETRY: Duration = Duration::from_millis(500);
/// After a notice, changes that follow within this go into the same index
/// commit: a burst of writes (wire ingest, an import) makes a commit per
/// batch rather than per handful of articles (each commit opens a writer,
/// starts its threads and syncs its files), at this much delay.
const GATHER: Duration = Duration::from_millis(150);

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
    // What the last process left behind, then the count check. Pages
    // cached since the server started show the index as `prepare` left
    // it: they go only if this changed it.
    loop {
        match catch_up(&db, &index, || !stop.is_requested()).await {
            Ok(changed) => {
                if changed {
                    changes.index_changed();
                }
                break;
            }
            Err(error) => {
                tracing::warn!(error = %crate::cause_chain(&error), "cannot bring the search index up to date; retrying");
                if stop.pause(RETRY * 4).await {
                    return;
                }
            }
        }
    }
    let mut failing = false;
    loop {
        let stopping = if stop.is_requested() {
            true
        } else if failing {
            stop.pause(RETRY).await
        } else {
            let notified = tokio::select! {
                received = announced.recv() => match received {
                    Ok(_) | Err(RecvError::Lagged(_)) => true,
                    Err(RecvError::Closed) => return,
                },
                () = tokio::time::sleep(POLL) => true,
                () = stop.requested() => false,
            };
            // Stopping when the stop came first, or during the gathering.
            !notified || stop.pause(GATHER).await
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
                tracing::warn!(error = %crate::cause_chain(&error), "cannot update the search index; retrying");
                failing = true;
            }
        }
        if stopping {
            return;
        }
    }
}

/// Applies the search backlog to the index a page at a time from the
/// index's own position, one index commit per page recording the new
/// position (a crash before the commit applies the page again: applying
/// is idempotent). Goes on while the backlog has rows and `more` says
/// so; returns how many articles it applied.
async fn drain(
    db: &Db,
    index: &Arc<SearchIndex>,
    more: impl Fn() -> bool,
) -> Result<usize, SyncError> {
    let mut applied = 0;
    loop {
        let page = db
            .search_backlog(BacklogMark(index.position()), BACKLOG_PAGE)
            .await?;
        if page.is_empty() {
            return Ok(applied);
        }
        update(db, index, &page.articles, page.through).await?;
        db.prune_search_backlog(page.through, BACKLOG_KEPT).await?;
        applied += page.articles.len();
        if !more() {
            return Ok(applied);
        }
    }
}

/// At start: applies what the backlog holds past the index's position
/// (changes committed while this process was not indexing: a kill, a
/// command-line tool, another instance, a stop while the index was
/// busy), then, as a safety net, rebuilds if the index holds a different
/// number of articles than storage (a new data directory, an index made
/// anew, writes of a version without the backlog). An empty index, or one
/// behind what was pruned from the backlog, is rebuilt rather than filled
/// from the backlog.
/// Returns whether it changed the index.
async fn catch_up(
    db: &Db,
    index: &Arc<SearchIndex>,
    more: impl Fn() -> bool,
) -> Result<bool, SyncError> {
    let pruned = db.search_backlog_pruned().await?;
    if !index.is_empty() && BacklogMark(index.position()) < pruned {
        tracing::info!(
            position = index.position(),
            pruned = pruned.0,
            "the search index missed changes pruned from the backlog; rebuilding it"
        );
        reindex(db, index, |_, _| {}).await?;
        return Ok(true);
    }
    let applied = if index.is_empty() {
        0
    } else {
        drain(db, index, &more).await?
    };
    if !more() {
        return Ok(applied > 0);
    }
    Ok(resync(db, index).await? || applied > 0)
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
                tracing::warn!(error = %crate::cause_chain(&error), "cannot build the search index; it is rebuilt while serving");
            }
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(error = %error, "cannot count the articles to index"),
    }
}

/// Rebuilds the index if it holds a different number of articles than
/// storage; returns whether it did.
async fn resync(db: &Db, index: &Arc<SearchIndex>) -> Result<bool, SyncError> {
    let expected = u64::try_from(db.count_indexable().await?).unwrap_or(0);
    let held = index.len();
    if held == expected {
        return Ok(false);
    }
    tracing::info!(held, expected, "rebuilding the search index");
    let started = std::time::Instant::now();
    let count = reindex(db, index, |_, _| {}).await?;
    tracing::info!(
        articles = count,
        seconds = started.elapsed().as_secs_f32(),
        "rebuilt the search index"
    );
    Ok(true)
}

/// Re-reads the given articles and puts them in the index, or takes out
/// those no longer published, recording that the index has applied the
/// backlog `through` this mark.
pub async fn update(
    db: &Db,
    index: &Arc<SearchIndex>,
    ids: &[ArticleId],
    through: BacklogMark,
) -> Result<(), SyncError> {
    let docs = db.search_documents(ids).await?;
    let removed: Vec<ArticleId> = ids
        .iter()
        .copied()
        .filter(|id| !docs.iter().any(|d| d.id == *id))
        .collect();
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.apply(&docs, &removed, through.0)).await??;
    Ok(())
}

/// Rebuilds the whole index from storage, telling `progress` how many
/// articles are done out of how many; returns how many it indexed.
/// Searches see the old index until the new one is complete. The new
/// index stands at the backlog's end as it was when the rebuild began
/// (the rebuild read those changes); later rows are for `run`.
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
    let count = tokio::task::spawn_blocking(move || rebuild.finish(taken_in.0)).await??;
    Ok(count)
}
