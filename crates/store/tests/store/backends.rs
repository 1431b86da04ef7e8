//! Opening a database: what an operator is told when it cannot be used.

use crate::{fresh_store, on_postgres};
use dateline_store::{Db, StoreError};

#[tokio::test]
async fn a_url_that_is_not_postgres_or_is_malformed_is_refused_with_the_reason() {
    let error = Db::open_url("mysql://localhost/news").await.unwrap_err();
    assert!(matches!(error, StoreError::Url { .. }), "{error:?}");
    assert!(error.to_string().contains("postgres://"), "{error}");

    let error = Db::open_url("postgres://dateline@127.0.0.1:notaport/news")
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Url { .. }), "{error:?}");
}

#[tokio::test]
async fn a_server_that_cannot_be_reached_is_named_in_the_error() {
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://dateline@127.0.0.1:{port}/news?connect_timeout=2");
    let error = Db::open_url(&url).await.unwrap_err();
    assert!(matches!(error, StoreError::Open { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains(&format!("127.0.0.1:{port}")), "{message}");
    assert!(message.contains("news"), "{message}");
}

#[tokio::test]
async fn a_database_migrated_by_a_newer_dateline_is_refused_with_both_versions() {
    let store = fresh_store().await;
    assert_eq!(
        store.backend(),
        if on_postgres() {
            dateline_store::BackendKind::Postgres
        } else {
            dateline_store::BackendKind::Sqlite
        }
    );
    store.record_foreign_migration(9_999).await;
    let error = store.another_process_result().await.unwrap_err();
    let StoreError::SchemaNewer { version, known, .. } = &error else {
        panic!("expected SchemaNewer, got {error:?}");
    };
    assert_eq!(*version, 9_999);
    assert!(*known >= 20 && *known < 9_999);
    assert!(error.to_string().contains("newer Dateline"), "{error}");
}

/// The bundled SQLite keeps its query plans whatever the bound values
/// (`.cargo/config.toml`). Without it, SQLite 3.51 prepares a statement
/// with a bound `LIMIT` again every time it runs: the comment screening
/// query was parsed and planned anew for every comment
/// (`docs/performance.md`).
#[tokio::test]
async fn the_bundled_sqlite_has_the_query_planner_stability_guarantee() {
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect("sqlite::memory:")
        .await
        .unwrap();
    let options: Vec<String> =
        sqlx::query_scalar("SELECT compile_options FROM pragma_compile_options")
            .fetch_all(&mut c)
            .await
            .unwrap();
    assert!(
        options.iter().any(|o| o == "ENABLE_QPSG"),
        "SQLite was built without SQLITE_ENABLE_QPSG (LIBSQLITE3_FLAGS): {options:?}"
    );
}

/// A transaction dropped without its commit is rolled back before the
/// writer's next use, and the writer is free again at once: on SQLite the
/// store lends its own connections, given back without sqlx's ping.
#[tokio::test]
async fn a_dropped_transaction_leaves_nothing_and_the_writer_serves_the_next_at_once() {
    use crate::{T0, add_site, add_tag, new_site};
    use dateline_core::Lang;

    let store = fresh_store().await;
    let mut dropped = store.begin().await.unwrap();
    dropped
        .insert_site(&new_site("gone", Lang::En, "", "gone"), T0)
        .await
        .unwrap();
    drop(dropped);
    let site = add_site(&store, "kept", Lang::En, "", "kept").await;
    let keys: Vec<String> = store
        .sites()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.key)
        .collect();
    assert_eq!(keys, ["kept"]);

    // Writers and readers at once, more than there are connections: each
    // waits its turn and none is lost.
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..48 {
        let db: Db = (*store).clone();
        tasks.spawn(async move {
            add_tag(&db, site, &format!("tag {i}")).await;
            db.sites().await.unwrap().len()
        });
    }
    while let Some(sites) = tasks.join_next().await {
        assert_eq!(sites.unwrap(), 1);
    }
    for i in 0..48 {
        let slug = format!("tag-{i}");
        assert!(
            store.tag_by_slug(site, &slug).await.unwrap().is_some(),
            "{slug}"
        );
    }
}
