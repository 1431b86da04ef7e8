//! Keeps the search index in step with storage: one task per process
//! applies the article changes the store announces after each commit
//! (newsroom, content API, the scheduler, term renames), so a change is
//! searchable well within a second; and rebuilds the whole index from
//! storage when it is missing, damaged, holds a different number of
//! articles than storage, or the task fell behind the announcements.

use super::Stop;
use crate::changes::Changes;
use dateline_core::ArticleId;
use dateline_search::{SearchError, SearchIndex};
use dateline_store::{Db, StoreError};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

/// Articles read from storage per step of a rebuild.
const REBUILD_PAGE: u32 = 1_000;
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

/// Runs until `stop` or the change announcements end (the store is
/// dropped). `announced` must be subscribed before anything is written, so
/// that no change falls between the start-up check and the first
/// announcement. Pages showing search results leave the local caches each
/// time the index changes (`changes`).
pub async fn run(
    db: Db,
    index: Arc<SearchIndex>,
    mut announced: Receiver<Vec<ArticleId>>,
    changes: Changes,
    mut stop: Stop,
) {
    let mut check = Some(false);
    let mut pending: BTreeSet<ArticleId> = BTreeSet::new();
    loop {
        if let Some(force) = check {
            match resync(&db, &index, force).await {
                Ok(()) => {
                    check = None;
                    changes.index_changed();
                }
                Err(error) => {
                    tracing::warn!(error = %error, "cannot rebuild the search index; retrying");
                    tokio::time::sleep(RETRY * 4).await;
                    continue;
                }
            }
        }
        if pending.is_empty() {
            let received = tokio::select! {
                received = announced.recv() => received,
                () = stop.requested() => return,
            };
            match received {
                Ok(ids) => pending.extend(ids),
                Err(RecvError::Lagged(_)) => {
                    check = Some(true);
                    continue;
                }
                Err(RecvError::Closed) => return,
            }
        }
        // Take whatever else has been announced meanwhile: one commit.
        loop {
            match announced.try_recv() {
                Ok(ids) => pending.extend(ids),
                Err(TryRecvError::Lagged(_)) => check = Some(true),
                Err(TryRecvError::Empty | TryRecvError::Closed) => break,
            }
        }
        if check.is_some() {
            // A rebuild reads everything anyway.
            pending.clear();
            continue;
        }
        let ids: Vec<ArticleId> = pending.iter().copied().collect();
        match update(&db, &index, &ids).await {
            Ok(()) => {
                pending.clear();
                changes.index_changed();
            }
            Err(SyncError::Search(SearchError::Busy)) => {
                tracing::debug!("the search index is busy; retrying");
                tokio::time::sleep(RETRY).await;
            }
            Err(error) => {
                tracing::warn!(error = %error, "cannot update the search index; retrying");
                tokio::time::sleep(RETRY).await;
            }
        }
    }
}

/// Sites up to this many articles get their index before the first
/// reader (about two seconds at most here), so pages never change under
/// readers while it fills in; larger ones rebuild in the background.
const BUILD_BEFORE_SERVING: i64 = 5_000;

/// Brings a missing or stale index of a small site up to date before the
/// server answers anyone; `run` does the same later for large ones.
pub async fn prepare(db: &Db, index: &Arc<SearchIndex>) {
    match db.count_indexable().await {
        Ok(n) if n <= BUILD_BEFORE_SERVING => {
            if let Err(error) = resync(db, index, false).await {
                tracing::warn!(error = %error, "cannot build the search index; it is rebuilt while serving");
            }
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(error = %error, "cannot count the articles to index"),
    }
}

/// Rebuilds the index if it holds a different number of articles than
/// storage (or always, with `force`).
async fn resync(db: &Db, index: &Arc<SearchIndex>, force: bool) -> Result<(), SyncError> {
    let expected = u64::try_from(db.count_indexable().await?).unwrap_or(0);
    let held = index.len();
    if !force && held == expected {
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
/// Searches see the old index until the new one is complete.
pub async fn reindex(
    db: &Db,
    index: &Arc<SearchIndex>,
    mut progress: impl FnMut(u64, u64),
) -> Result<u64, SyncError> {
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
    Ok(tokio::task::spawn_blocking(move || rebuild.finish()).await??)
}
