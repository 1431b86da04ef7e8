//! The change feed between instances on one PostgreSQL database
//! (`store::feed`). What readers see is cached in each instance (pages,
//! query results, the rendered header); when one instance changes
//! something, the others must forget it too. Each change is written to
//! the feed by [`publish`] right after its commit, and every instance's
//! [`follow`] reads the changes of the others, woken by PostgreSQL's
//! `NOTIFY` within milliseconds, and by a timer every [`LOOK_EVERY`] in
//! case a notification was lost with a connection. A change written by
//! an instance that dies before [`publish`] writes it reaches the others
//! only through their caches' lifetimes (`page_cache_seconds`, 2 s).
//!
//! An instance that starts follows from the feed's end (its caches are
//! empty); one whose search index is behind catches up from the search
//! backlog instead (`search_sync`).

use super::Stop;
use crate::changes::Changes;
use dateline_store::Db;
use dateline_store::feed::NewChange;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::mpsc;

/// How often the feed is read without a notification.
pub const LOOK_EVERY: Duration = Duration::from_secs(1);
/// Changes written per transaction at most.
const BATCH: usize = 256;
/// Changes read per query.
const PAGE: u32 = 500;
/// How long changes stay in the feed (an instance only ever reads the
/// last seconds of it).
const KEPT_FOR: time::Duration = time::Duration::hours(1);
/// How often the feed is pruned (by whichever instance).
const PRUNE_EVERY: Duration = Duration::from_secs(600);
/// Wait before trying again after a failure.
const RETRY: Duration = Duration::from_millis(500);

/// A name for this instance, unique among those on one database: the
/// host, the process and the time it started (for the feed's `origin`
/// and the leases' holder, and for people reading them).
pub fn instance_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".to_owned());
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{host}:{}:{started:x}", std::process::id())
}

/// Writes this instance's changes to the feed, a batch per transaction,
/// until `stop`; what is queued when the stop comes is written first.
pub async fn publish(
    db: Db,
    origin: Arc<str>,
    mut queue: mpsc::Receiver<NewChange>,
    mut stop: Stop,
) {
    loop {
        let first = stop.next(&mut queue).await;
        let stopping = first.is_none();
        let mut batch: Vec<NewChange> = first.into_iter().collect();
        while batch.len() < BATCH {
            match queue.try_recv() {
                Ok(change) => batch.push(change),
                Err(_) => break,
            }
        }
        if !batch.is_empty() {
            let mut attempts = 0;
            while let Err(error) = db
                .record_changes(&origin, &batch, OffsetDateTime::now_utc())
                .await
            {
                attempts += 1;
                if attempts == 3 {
                    tracing::warn!(%error, changes = batch.len(), "cannot write changes to the feed; the other instances' caches will expire them");
                    break;
                }
                tokio::time::sleep(RETRY).await;
            }
        }
        if stopping && queue.is_empty() {
            return;
        }
    }
}

/// Reads the changes other instances make and applies them to this
/// instance's caches, until `stop`.
pub async fn follow(db: Db, origin: Arc<str>, changes: Changes, mut stop: Stop) {
    let mut position = loop {
        match db.change_feed_head().await {
            Ok(head) => break head,
            Err(error) => {
                tracing::warn!(%error, "cannot read the change feed; retrying");
                if pause(&mut stop, RETRY * 4).await {
                    return;
                }
            }
        }
    };
    let mut listener = None;
    let mut pruned = tokio::time::Instant::now();
    loop {
        if listener.is_none() {
            match db.change_listener().await {
                Ok(made) => listener = made,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for changes; reading the feed every second")
                }
            }
        }
        let notified = async {
            match listener.as_mut() {
                Some(listener) => listener.next().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            result = notified => if let Err(error) = result {
                tracing::warn!(%error, "lost the change notifications; listening again");
                listener = None;
            },
            () = tokio::time::sleep(LOOK_EVERY) => {}
            () = stop.requested() => return,
        }
        match apply_new(&db, &origin, &changes, position).await {
            Ok(next) => position = next,
            Err(error) => tracing::warn!(%error, "cannot read the change feed"),
        }
        if pruned.elapsed() >= PRUNE_EVERY {
            pruned = tokio::time::Instant::now();
            if let Err(error) = db
                .prune_change_feed(OffsetDateTime::now_utc() - KEPT_FOR)
                .await
            {
                tracing::warn!(%error, "cannot prune the change feed");
            }
        }
    }
}

/// Applies the other instances' changes after `position`; returns the
/// new position.
async fn apply_new(
    db: &Db,
    origin: &str,
    changes: &Changes,
    mut position: i64,
) -> Result<i64, dateline_store::StoreError> {
    let mut foreign = false;
    loop {
        let page = db.changes_after(position, PAGE).await?;
        for change in &page {
            if change.origin != origin {
                changes.apply_remote(change).await;
                foreign = true;
            }
            position = change.id;
        }
        if page.len() < PAGE as usize {
            break;
        }
    }
    if foreign {
        // Query results cached before the change, and the search index
        // (which the others' writes reach through the backlog).
        db.forget_cached_reads();
        db.announce_foreign_changes();
    }
    Ok(position)
}

/// Waits `wait`; true if the stop came first.
async fn pause(stop: &mut Stop, wait: Duration) -> bool {
    tokio::select! {
        () = tokio::time::sleep(wait) => false,
        () = stop.requested() => true,
    }
}
