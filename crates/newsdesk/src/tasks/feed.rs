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
//!
//! The feed also drives purge webhooks and WebSub notifications when
//! instances share a database: [`deliver`] runs in the one instance
//! holding the `deliveries` lease and hands every purge of the feed,
//! whoever made it, to that instance's webhook and WebSub tasks, keeping
//! its place in `feed_cursors`. When it dies, the next holder goes on
//! from there.

use super::Stop;
use crate::changes::{Changes, Purge};
use crate::sites::Sites;
use dateline_core::purge::SurrogateKey;
use dateline_store::Db;
use dateline_store::feed::{ChangeKind, NewChange};
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
                if stop.pause(RETRY * 4).await {
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

/// The queues of the tasks that deliver purges (webhooks, WebSub).
pub struct DeliveryQueues {
    pub webhooks: mpsc::Sender<Arc<Purge>>,
    pub websub: mpsc::Sender<Arc<Purge>>,
}

/// The lease of the instance that delivers, and its place in the feed.
const DELIVERIES: &str = "deliveries";
/// How often the deliverer looks at the feed (and renews its lease).
const DELIVER_EVERY: Duration = Duration::from_millis(250);
/// How often the deliverer renews its lease (a write), and others try
/// to take it.
const RENEW_EVERY: Duration = Duration::from_secs(2);
/// A deliverer not heard from for this long is replaced.
const DELIVERY_LEASE_FOR: time::Duration = time::Duration::seconds(10);
/// What a new deliverer hands over again: the longest a delivery retries
/// (31 s) plus the time the lease takes to lapse, with room to spare.
const REPLAYED: time::Duration = time::Duration::seconds(60);

/// Hands every purge of the feed to the delivery queues, in the instance
/// holding the `deliveries` lease, until `stop`. The place in the feed
/// moves past a purge as it goes into the queues; an instance that takes
/// the lease over from another first hands over again the purges of the
/// last [`REPLAYED`] before that place, which the other may still have
/// been delivering (or retrying) when it died: across a failover a purge
/// may go twice, never not at all.
pub async fn deliver(db: Db, me: Arc<str>, sites: Sites, queues: DeliveryQueues, mut stop: Stop) {
    let mut holding = false;
    let mut renewed = tokio::time::Instant::now();
    loop {
        let now = OffsetDateTime::now_utc();
        let lease = if holding && renewed.elapsed() < RENEW_EVERY {
            Ok(true)
        } else {
            renewed = tokio::time::Instant::now();
            db.take_lease(DELIVERIES, &me, now, now + DELIVERY_LEASE_FOR)
                .await
        };
        match lease {
            Ok(true) => {
                if !holding {
                    tracing::info!(
                        "this instance delivers purge webhooks and WebSub notifications"
                    );
                    holding = true;
                    if let Err(error) = replay(&db, &sites, &queues, now).await {
                        tracing::warn!(%error, "cannot read the change feed for deliveries");
                    }
                }
                if let Err(error) = hand_over(&db, &sites, &queues).await {
                    tracing::warn!(%error, "cannot read the change feed for deliveries");
                }
            }
            Ok(false) => holding = false,
            Err(error) => tracing::warn!(%error, "cannot take the deliveries lease"),
        }
        if stop.pause(DELIVER_EVERY).await {
            break;
        }
    }
    if holding && let Err(error) = db.release_lease(DELIVERIES, &me).await {
        tracing::warn!(%error, "cannot give up the deliveries lease");
    }
}

/// Hands over again the purges of the last [`REPLAYED`] up to the
/// deliveries' place (none for the first deliverer ever).
async fn replay(
    db: &Db,
    sites: &Sites,
    queues: &DeliveryQueues,
    now: OffsetDateTime,
) -> Result<(), dateline_store::StoreError> {
    if let Some(place) = db.feed_cursor(DELIVERIES).await? {
        for change in db.changes_since(now - REPLAYED, place).await? {
            queue_purge(&change, sites, queues);
        }
    }
    Ok(())
}

/// Puts a change's purge into the delivery queues (other changes have
/// nothing to deliver).
fn queue_purge(change: &dateline_store::feed::Change, sites: &Sites, queues: &DeliveryQueues) {
    let (ChangeKind::Purge { keys, paths }, Some(site)) = (&change.kind, change.site) else {
        return;
    };
    let purge = Arc::new(Purge {
        site,
        site_key: sites.current().site_key(site),
        keys: keys.iter().filter_map(|k| SurrogateKey::parse(k)).collect(),
        paths: paths.clone(),
    });
    for (name, queue) in [
        ("purge webhooks", &queues.webhooks),
        ("websub", &queues.websub),
    ] {
        if let Err(error) = queue.try_send(purge.clone()) {
            tracing::warn!(listener = name, %error, "a purge was not queued");
        }
    }
}

/// Hands the purges after the deliveries' place in the feed over, moving
/// the place past each. The first deliverer ever starts at the feed's end.
async fn hand_over(
    db: &Db,
    sites: &Sites,
    queues: &DeliveryQueues,
) -> Result<(), dateline_store::StoreError> {
    let mut place = match db.feed_cursor(DELIVERIES).await? {
        Some(place) => place,
        None => {
            let head = db.change_feed_head().await?;
            db.set_feed_cursor(DELIVERIES, head).await?;
            head
        }
    };
    loop {
        let page = db.changes_after(place, PAGE).await?;
        let Some(last) = page.last().map(|c| c.id) else {
            return Ok(());
        };
        for change in &page {
            queue_purge(change, sites, queues);
        }
        place = last;
        db.set_feed_cursor(DELIVERIES, place).await?;
        if page.len() < PAGE as usize {
            return Ok(());
        }
    }
}
