//! The background tasks stop when told, promptly.

use crate::newsroom;
use dateline_newsdesk::tasks::{Tasks, classify, scheduler};
use std::time::Duration;

#[tokio::test]
async fn the_scheduler_and_the_classifier_stop_when_told() {
    let n = newsroom().await;
    let mut tasks = Tasks::default();
    tasks.spawn(
        "scheduler",
        scheduler::run(
            n.db.clone(),
            n.desk.changes().clone(),
            n.desk.wakers().clone(),
            tasks.stop_signal(),
        ),
    );
    tasks.spawn(
        "classifier training",
        classify::run(
            n.db.clone(),
            n.desk.sites().clone(),
            n.desk.classifiers().clone(),
            tasks.stop_signal(),
        ),
    );
    // Let both reach their sleep (30 s and 5 min).
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Without the stop signal they would sleep on for 30 s and 5 min.
    let stopped = tokio::time::timeout(Duration::from_secs(10), tasks.stop()).await;
    assert!(stopped.is_ok(), "the tasks went on sleeping");
}
