//! The background tasks stop when told, promptly; the search index
//! follows storage across restarts.

use crate::{Newsroom, newsroom};
use dateline_core::editing::ArticleInput;
use dateline_core::search::{SearchFilters, SearchQuery, SearchSort};
use dateline_core::workflow::Action;
use dateline_core::{ArticleId, Lang};
use dateline_newsdesk::tasks::{Tasks, classify, scheduler, search_sync};
use dateline_newsdesk::{ArticleCommand, Origin, Schedule};
use dateline_search::{Analysis, SearchIndex, SearchRequest};
use dateline_store::BacklogMark;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

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
            None,
            tasks.stop_signal(),
        ),
    );
    // Let both reach their sleep (30 s and 5 min).
    tokio::time::sleep(Duration::from_millis(300)).await;
    // Without the stop signal they would sleep on for 30 s and 5 min.
    let stopped = tokio::time::timeout(Duration::from_secs(10), tasks.stop()).await;
    assert!(stopped.is_ok(), "the tasks went on sleeping");
}

/// The ids a search of the newsroom's site finds in `index`.
fn found(n: &Newsroom, index: &SearchIndex, q: &str) -> Vec<ArticleId> {
    let query = SearchQuery::parse(q).unwrap();
    let request = SearchRequest {
        site: n.site,
        lang: Lang::En,
        query: &query,
        filters: SearchFilters::default(),
        sort: SearchSort::Relevance,
        now: OffsetDateTime::now_utc(),
        offset: 0,
        limit: 10,
    };
    index
        .search(&request)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

/// Waits (5 s at most) until a search finds exactly `ids`.
async fn until_found(n: &Newsroom, index: &SearchIndex, q: &str, ids: &[ArticleId]) {
    let started = Instant::now();
    while found(n, index, q) != ids {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{q:?} finds {:?}, not {ids:?}",
            found(n, index, q)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The indexing task, started as the server starts it.
fn start_search_sync(n: &Newsroom, index: &Arc<SearchIndex>) -> Tasks {
    let mut tasks = Tasks::default();
    tasks.spawn(
        "search sync",
        search_sync::run(
            n.db.clone(),
            index.clone(),
            n.db.article_changes(),
            n.desk.changes().clone(),
            tasks.stop_signal(),
        ),
    );
    tasks
}

/// An editor saves the article with a new headline and body.
async fn retitle(n: &Newsroom, id: ArticleId, headline: &str) {
    let version =
        n.db.editable_article(n.site, id)
            .await
            .unwrap()
            .unwrap()
            .version;
    let input = n.input(headline);
    n.desk
        .save_article(n.on(n.editor), id, version, command(&input, Action::Save))
        .await
        .unwrap();
}

fn command(input: &ArticleInput, action: Action) -> ArticleCommand<'_> {
    ArticleCommand {
        input,
        action,
        schedule: Schedule::AsTyped,
        origin: Origin::Newsroom,
    }
}

/// A published article, and an index that holds it (as a previous run
/// of the server left it).
async fn published_and_indexed(n: &Newsroom, headline: &str) -> (ArticleId, Arc<SearchIndex>) {
    let input = n.input(headline);
    let id = n
        .desk
        .create_article(n.on(n.editor), command(&input, Action::Publish))
        .await
        .unwrap();
    let index = Arc::new(SearchIndex::in_memory(Analysis::Full).unwrap());
    search_sync::reindex(&n.db, &index, |_, _| {})
        .await
        .unwrap();
    (id, index)
}

#[tokio::test]
async fn an_edit_made_while_no_indexing_task_ran_is_searchable_once_it_starts() {
    let n = newsroom().await;
    let (id, index) = published_and_indexed(&n, "Herons nest by the river").await;
    assert_eq!(found(&n, &index, "herons"), [id]);

    // Saved with no indexing task running (a command-line tool, or a
    // server killed before its index took the change): no notice is heard.
    retitle(&n, id, "Storks nest by the river").await;
    assert!(
        found(&n, &index, "storks").is_empty(),
        "the index is behind"
    );

    // The next start: the article count is the same, yet the edit goes in.
    let tasks = start_search_sync(&n, &index);
    until_found(&n, &index, "storks", &[id]).await;
    until_found(&n, &index, "herons", &[]).await;
    tasks.stop().await;
    assert!(
        n.db.search_backlog(BacklogMark(index.position()), 10)
            .await
            .unwrap()
            .is_empty(),
        "the index stands past what it took"
    );
}

#[tokio::test]
async fn a_clean_stop_indexes_what_was_saved_or_leaves_it_for_the_next_start() {
    let n = newsroom().await;
    let (id, index) = published_and_indexed(&n, "Cranes return to the marsh").await;
    let tasks = start_search_sync(&n, &index);

    // Saved just before the stop: in the index when the task has stopped.
    retitle(&n, id, "Pelicans return to the marsh").await;
    tasks.stop().await;
    assert_eq!(found(&n, &index, "pelicans"), [id]);

    // Saved while the index is busy (another process rebuilds it): the
    // stop does not wait for it, and nothing of the change is lost.
    let tasks = start_search_sync(&n, &index);
    let rebuild_elsewhere = index.start_rebuild().unwrap();
    retitle(&n, id, "Flamingos return to the marsh").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    tasks.stop().await;
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the stop waited {:?}",
        started.elapsed()
    );
    drop(rebuild_elsewhere);
    assert!(found(&n, &index, "flamingos").is_empty());
    assert_eq!(
        n.db.search_backlog(BacklogMark(index.position()), 10)
            .await
            .unwrap()
            .articles,
        [id],
        "the change waits past the index's position"
    );

    let tasks = start_search_sync(&n, &index);
    until_found(&n, &index, "flamingos", &[id]).await;
    until_found(&n, &index, "pelicans", &[]).await;
    tasks.stop().await;
}
