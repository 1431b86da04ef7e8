//! Publishes scheduled articles when their time comes, with nobody
//! present. One task per process; it sleeps until the next scheduled time
//! (or 30 seconds at most, to notice schedules written by another
//! process) and is woken early when an editor schedules something. What
//! it publishes is announced like an editor's publication.

use super::Stop;
use crate::articles::publish_due;
use crate::changes::Changes;
use dateline_store::Db;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::Notify;

/// Longest sleep between checks.
const MAX_SLEEP: Duration = Duration::from_secs(30);

/// Runs until `stop`.
pub async fn run(db: Db, changes: Changes, wake: Arc<crate::Wakers>, mut stop: Stop) {
    let woken: &Notify = &wake.scheduler;
    while !stop.is_requested() {
        if let Err(error) = publish_due(&db, &changes, OffsetDateTime::now_utc()).await {
            tracing::warn!(error = %error, "cannot publish scheduled articles");
        }
        let wait = match db.next_scheduled().await {
            Ok(Some(at)) => {
                let until = at - OffsetDateTime::now_utc();
                // Times are whole seconds; wake just after the second turns.
                Duration::try_from(until)
                    .unwrap_or(Duration::ZERO)
                    .saturating_add(Duration::from_millis(50))
                    .clamp(Duration::from_millis(200), MAX_SLEEP)
            }
            Ok(None) => MAX_SLEEP,
            Err(error) => {
                tracing::warn!(error = %error, "cannot read the schedule");
                MAX_SLEEP
            }
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = woken.notified() => {}
            () = stop.requested() => {}
        }
    }
}
