//! Publishes scheduled articles when their time comes, with nobody
//! present. One task per process; it sleeps until the next scheduled time
//! (or 30 seconds at most, to notice schedules written by another
//! process) and is woken early when an editor schedules something. What
//! it publishes is purged from caches like an editor's publication.

use crate::AppState;
use crate::purge::ArticleBefore;
use std::time::Duration;
use time::OffsetDateTime;

/// Longest sleep between checks.
const MAX_SLEEP: Duration = Duration::from_secs(30);

/// Runs until the task is aborted.
pub async fn run(app: AppState) {
    loop {
        match app.db.publish_due(OffsetDateTime::now_utc()).await {
            Ok(published) => {
                for (site, article) in published {
                    tracing::info!(%site, %article, "published a scheduled article");
                    // Readers could not see it before: whatever shows it now changed.
                    app.article_changed(ArticleBefore::unseen(site, article))
                        .await;
                }
            }
            Err(error) => tracing::warn!(error = %error, "cannot publish scheduled articles"),
        }
        let wait = match app.db.next_scheduled().await {
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
            () = app.scheduler.notified() => {}
        }
    }
}
