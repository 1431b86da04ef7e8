//! Search from outside: the bilingual corpus of `fixtures/search/`
//! published through the content API and found in the forms readers type,
//! changes searchable within a second, the search page's own states for
//! awkward input, related articles on the article page, the reindex
//! command, and an index rebuilt at start after damage.

use crate::api::{Reply, path_of, read, send};
use crate::{between, get};
use dateline_testkit::{Person, TestApp, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::time::{Duration, Instant};

fn corpus() -> Value {
    let text = include_str!("../../../../fixtures/search/corpus.json");
    serde_json::from_str(text).unwrap()
}

fn prefix(edition: &str) -> &'static str {
    if edition == "ar" { "/ar" } else { "" }
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Publishes the corpus through the API; returns article ids by key.
async fn publish_corpus(server: &TestServer, token: &str) -> HashMap<String, i64> {
    let mut ids = HashMap::new();
    for a in corpus()["articles"].as_array().unwrap() {
        let edition = a["edition"].as_str().unwrap();
        let created = send(
            server,
            Method::POST,
            &format!("{}/api/v1/articles", prefix(edition)),
            token,
            json!({
                "headline": a["headline"],
                "standfirst": a["standfirst"],
                "body_html": a["body"],
                "section": a["section"],
                "tags": a["tags"],
                "authors": a["authors"],
                "source_credit": a["credit"],
                "action": "publish",
            }),
        )
        .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        ids.insert(
            a["key"].as_str().unwrap().to_owned(),
            created.body["id"].as_i64().unwrap(),
        );
    }
    ids
}

fn result_ids(reply: &Reply) -> Vec<i64> {
    reply.body["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results: {}", reply.body))
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

async fn search(server: &TestServer, edition: &str, q: &str) -> Reply {
    read(
        server,
        &format!(
            "{}/api/v1/search?per_page=100&q={}",
            prefix(edition),
            encode(q)
        ),
    )
    .await
}

/// Polls a search until `done` holds for its result ids; returns how long
/// that took, or panics after `limit`.
async fn wait_for(
    server: &TestServer,
    edition: &str,
    q: &str,
    limit: Duration,
    done: impl Fn(&[i64]) -> bool,
) -> Duration {
    let started = Instant::now();
    loop {
        let reply = search(server, edition, q).await;
        if reply.status == StatusCode::OK && done(&result_ids(&reply)) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < limit,
            "{q:?} did not change within {limit:?}: {}",
            reply.body
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A demo server whose search index holds the demo articles: a new data
/// directory's index is filled in the background after start.
pub(crate) async fn ready_app() -> TestApp {
    let app = crate::app();
    wait_for(&app, "en", "government", Duration::from_secs(20), |r| {
        !r.is_empty()
    })
    .await;
    app
}

#[tokio::test]
async fn readers_find_the_corpus_in_the_forms_they_type_in_both_editions() {
    let app = ready_app().await;
    let token = app.api_token("eda@example.com", "editor");
    let ids = publish_corpus(&app, &token).await;
    // The last one published must be searchable before checking the rest.
    let last = ids["en-engineers"];
    wait_for(
        &app,
        "en",
        "engineers bridge",
        Duration::from_secs(2),
        |r| r.contains(&last),
    )
    .await;
    for case in corpus()["queries"].as_array().unwrap() {
        let edition = case["edition"].as_str().unwrap();
        let q = case["q"].as_str().unwrap();
        let reply = search(&app, edition, q).await;
        assert_eq!(reply.status, StatusCode::OK, "{q}: {}", reply.body);
        let found = result_ids(&reply);
        for key in case["expect"].as_array().unwrap() {
            let key = key.as_str().unwrap();
            assert!(
                found.contains(&ids[key]),
                "{q:?} in {edition} ({}) should find {key}: {}",
                case["why"],
                reply.body
            );
        }
        for key in case["exclude"].as_array().into_iter().flatten() {
            assert!(!found.contains(&ids[key.as_str().unwrap()]), "{q:?}");
        }
    }

    // The page shows the same, marked, in Arabic.
    let (status, headers, page) = get(&app, &format!("/ar/search?q={}", encode("الوزير"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["x-robots-tag"], "noindex, follow");
    assert!(page.contains("<mark>"), "{page}");
    assert!(
        page.contains("<mark>الوزيرة</mark> تزور مدارس القاهرة"),
        "{page}"
    );
    assert!(page.contains("نتائج البحث عن «الوزير»"));
    // Filters: a section and a date range.
    let politics = read(
        &app,
        &format!("/ar/api/v1/search?q={}&section=business", encode("بيروت")),
    )
    .await;
    let found = result_ids(&politics);
    assert!(found.contains(&ids["ar-engineers"]));
    assert!(!found.contains(&ids["ar-elections"]));
    let old = read(&app, "/api/v1/search?q=Beirut&until=2000-01-01").await;
    assert_eq!(old.body["total"], 0);
    let by_author = read(&app, "/api/v1/search?q=Cairo&author=rana-haddad").await;
    assert_eq!(result_ids(&by_author), [ids["en-minister"]]);
    // Sorted by date, newest first.
    let newest = read(&app, "/api/v1/search?q=bank&sort=date").await;
    let dates: Vec<&str> = newest.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["published_at"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
}

#[tokio::test]
async fn publishing_editing_and_unpublishing_show_in_search_within_a_second() {
    let app = ready_app().await;
    let token = app.api_token("eda@example.com", "editor");
    let created = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &token,
        json!({"headline": "Quokkas colonise the harbour", "section": "environment",
               "body_html": "<p>Marine biologists counted forty quokkas.</p>", "action": "publish"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    let second = Duration::from_secs(1);
    wait_for(&app, "en", "quokka", second, |r| r == [id]).await;

    let edited = send(
        &app,
        Method::PUT,
        &format!("/api/v1/articles/{id}"),
        &token,
        json!({"version": 1, "headline": "Wallabies colonise the harbour",
               "body_html": "<p>Marine biologists counted forty wallabies.</p>"}),
    )
    .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    wait_for(&app, "en", "wallaby", second, |r| r == [id]).await;
    wait_for(&app, "en", "quokka", second, <[i64]>::is_empty).await;

    let unpublished = send(
        &app,
        Method::PUT,
        &format!("/api/v1/articles/{id}"),
        &token,
        json!({"version": 2, "action": "unpublish"}),
    )
    .await;
    assert_eq!(unpublished.status, StatusCode::OK, "{}", unpublished.body);
    wait_for(&app, "en", "wallaby", second, <[i64]>::is_empty).await;

    // The same through the newsroom's editor.
    let staff = app
        .join(Person::new("ed@example.com", "Ed", "editor"))
        .await;
    let id = staff
        .publish_article("Ocelots return to the cedar forest")
        .await;
    wait_for(&app, "en", "ocelot", second, |r| r == [id]).await;
    let (status, _, body) = staff
        .edit(
            id,
            &[
                ("headline", "Lynxes return to the cedar forest"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    wait_for(&app, "en", "lynx cedar", second, |r| r == [id]).await;
    wait_for(&app, "en", "ocelot", second, <[i64]>::is_empty).await;
    let (status, _, body) = staff
        .edit(
            id,
            &[
                ("headline", "Lynxes return to the cedar forest"),
                ("action", "unpublish"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    wait_for(&app, "en", "lynx cedar", second, <[i64]>::is_empty).await;

    // The scheduler's publication too: due in two seconds, searchable
    // within a second of that.
    let at = time::OffsetDateTime::now_utc() + time::Duration::seconds(2);
    let at = at
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let scheduled = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &token,
        json!({"headline": "Platypus sighted upriver", "section": "environment",
               "action": "schedule", "publish_at": at}),
    )
    .await;
    assert_eq!(scheduled.status, StatusCode::CREATED, "{}", scheduled.body);
    let late = scheduled.body["id"].as_i64().unwrap();
    assert!(result_ids(&search(&app, "en", "platypus").await).is_empty());
    wait_for(
        &app,
        "en",
        "platypus",
        Duration::from_secs(3) + second,
        |r| r == [late],
    )
    .await;
}

#[tokio::test]
async fn the_search_page_answers_awkward_input_with_its_own_states() {
    let app = ready_app().await;
    // The header of every page has the search box, a plain GET form.
    let (_, _, home) = get(&app, "/").await;
    assert!(
        home.contains(r#"<form class="search-box" role="search" action="/search" method="get">"#)
    );
    let (_, _, home) = get(&app, "/ar/").await;
    assert!(home.contains(r#"action="/ar/search""#));
    assert!(home.contains("ابحث في الموقع"));

    let (status, _, page) = get(&app, "/search").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Type a word or two to search for"), "{page}");
    assert!(page.contains(r#"name="q""#));

    let long = "word ".repeat(2_000);
    let (status, _, page) = get(&app, &format!("/search?q={}", encode(&long))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("That search is too long: use at most 300 characters."));
    assert!(page.len() < 40_000, "the query is not echoed whole");

    let (status, _, page) = get(&app, "/search?q=the+of+and").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("only very common words"), "{page}");

    let (status, _, page) = get(&app, "/search?q=zzzxxqq").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("No articles match “zzzxxqq”"), "{page}");

    let (status, _, page) = get(&app, "/search?q=government&section=nope").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        page.contains("A filter of this search is not valid"),
        "{page}"
    );
    assert!(
        page.contains(r#"class="search-form""#),
        "the search page, not the error page"
    );

    let (status, _, page) = get(&app, "/search?q=government&page=999").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("There are no more results"), "{page}");

    for q in [
        "\"unbalanced quote government",
        "government AND (budget OR -tax) +x:y ~z^2 [a TO b] {c} \\ / * ?",
        "<script>alert(1)</script>",
        "الحكومة government",
        "\"\"\"",
        "%",
    ] {
        for site in ["", "/ar"] {
            let (status, _, page) = get(&app, &format!("{site}/search?q={}", encode(q))).await;
            assert_eq!(status, StatusCode::OK, "{q:?} on {site}/search");
            assert!(!page.contains("<script>alert(1)"), "{q:?} is escaped");
        }
    }
    // Results: a count, a pager, marked words.
    let (_, _, page) = get(&app, "/search?q=government").await;
    assert!(page.contains("articles found"), "{page}");
    assert!(page.contains("<mark>"), "{page}");
    let (_, _, page) = get(&app, &format!("/ar/search?q={}", encode("الحكومة"))).await;
    assert!(page.contains("<mark>"), "{page}");
}

#[tokio::test]
async fn the_more_articles_block_starts_with_related_stories() {
    let app = ready_app().await;
    let token = app.api_token("eda@example.com", "editor");
    let publish = async |headline: &str, section: &str, body: &str| -> Value {
        let created = send(
            &app,
            Method::POST,
            "/api/v1/articles",
            &token,
            json!({"headline": headline, "section": section, "body_html": body, "action": "publish"}),
        )
        .await;
        assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
        created.body
    };
    let older = publish(
        "Saffron farmers of the Bekaa try drip irrigation",
        "travel",
        "<p>Saffron growers in the Bekaa valley say drip irrigation doubled their saffron harvest.</p>",
    )
    .await;
    let newer = publish(
        "Bekaa saffron harvest breaks a record",
        "business",
        "<p>The saffron harvest of the Bekaa valley was the largest on record, growers said.</p>",
    )
    .await;
    let url = newer["url"].as_str().unwrap();
    let older_headline = older["headline"].as_str().unwrap();
    // The index follows within a second; then the block leads with it.
    let started = Instant::now();
    loop {
        let (status, _, page) = get(&app, path_of(&app, url)).await;
        assert_eq!(status, StatusCode::OK);
        let block = between(&page, r#"<aside class="more-articles""#, "</aside>");
        let first = between(block, "<li>", "</li>");
        if first.contains(older_headline) {
            assert_eq!(block.matches("<li>").count(), 13);
            assert!(!block.contains(newer["headline"].as_str().unwrap()));
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "related story not first: {block}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn reindex(server: &TestServer) -> std::process::Output {
    server
        .command()
        .args(["search", "reindex"])
        .output()
        .unwrap()
}

#[tokio::test]
async fn the_reindex_command_rebuilds_the_index_while_the_server_runs() {
    let app = ready_app().await;
    let before = read(&app, "/api/v1/search?q=government").await;
    let out = reindex(&app);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stderr.contains("Indexing ["), "{stderr}");
    assert!(stderr.contains("94/94 articles (100%)"), "{stderr}");
    assert!(stdout.contains("Indexed 94 published articles"), "{stdout}");
    // The server reads the new index; nothing changed for readers.
    let after = read(&app, "/api/v1/search?q=government").await;
    assert_eq!(after.body["total"], before.body["total"]);
    assert_eq!(result_ids(&after), result_ids(&before));
}

#[tokio::test]
async fn a_damaged_or_missing_index_is_rebuilt_at_start_without_losing_an_article() {
    let mut app = ready_app().await;
    let token = app.api_token("eda@example.com", "editor");
    let created = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &token,
        json!({"headline": "Narwhal tusk exhibition opens", "section": "culture", "action": "publish"}),
    )
    .await;
    let id = created.body["id"].as_i64().unwrap();
    wait_for(&app, "en", "narwhal", Duration::from_secs(1), |r| r == [id]).await;
    let government = result_ids(&read(&app, "/api/v1/search?q=government&per_page=100").await);
    assert!(app.terminate());

    // Garbage in every file of the index.
    let index = app.data_dir().join("search/index");
    for entry in std::fs::read_dir(&index).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && !path.ends_with(".tantivy-meta.lock") {
            std::fs::write(&path, b"\x00garbage").unwrap();
        }
    }
    app.restart();
    wait_for(&app, "en", "narwhal", Duration::from_secs(10), |r| {
        r == [id]
    })
    .await;
    let again = result_ids(&read(&app, "/api/v1/search?q=government&per_page=100").await);
    assert_eq!(again, government);

    // No index folder at all.
    assert!(app.terminate());
    std::fs::remove_dir_all(app.data_dir().join("search")).unwrap();
    app.restart();
    wait_for(&app, "en", "narwhal", Duration::from_secs(10), |r| {
        r == [id]
    })
    .await;
    let total = read(&app, "/api/v1/search?q=government&per_page=100").await;
    assert_eq!(result_ids(&total), government);
}

/// Holds the index's writer from this process, as a `dateline search
/// reindex` in progress does: the server's updates wait meanwhile.
fn hold_the_index(server: &TestServer) -> dateline_search::Rebuild {
    let opened = dateline_search::SearchIndex::open(&server.data_dir().join("search")).unwrap();
    assert!(
        opened.rebuild_reason.is_none(),
        "{:?}",
        opened.rebuild_reason
    );
    std::sync::Arc::new(opened.index).start_rebuild().unwrap()
}

/// Publishes, through the API, a story of birds nesting on the pier.
async fn nesting(server: &TestServer, token: &str, birds: &str) -> i64 {
    let created = send(
        server,
        Method::POST,
        "/api/v1/articles",
        token,
        json!({"headline": format!("{birds} nest on the old pier"), "section": "environment",
               "body_html": format!("<p>{birds} came back this spring.</p>"), "action": "publish"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    created.body["id"].as_i64().unwrap()
}

/// Saves the story with other birds; the save is acknowledged (200).
async fn renest(server: &TestServer, token: &str, id: i64, version: i64, birds: &str) {
    let edited = send(
        server,
        Method::PUT,
        &format!("/api/v1/articles/{id}"),
        token,
        json!({"version": version, "headline": format!("{birds} nest on the old pier"),
               "body_html": format!("<p>{birds} came back this spring.</p>")}),
    )
    .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
}

#[tokio::test]
async fn an_edit_acknowledged_before_a_kill_or_a_stop_is_searchable_after_the_restart() {
    let mut app = ready_app().await;
    let token = app.api_token("eda@example.com", "editor");
    let id = nesting(&app, &token, "Herons").await;
    wait_for(&app, "en", "herons", Duration::from_secs(1), |r| r == [id]).await;
    let gone = <[i64]>::is_empty;

    // The save is acknowledged while the index cannot take it; then the
    // server is killed (SIGKILL) before it could.
    let held = hold_the_index(&app);
    renest(&app, &token, id, 1, "Storks").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(result_ids(&search(&app, "en", "storks").await).is_empty());
    app.kill();
    drop(held);
    // Same number of articles: no rebuild at start, no reindex run.
    app.restart();
    wait_for(&app, "en", "storks", Duration::from_secs(10), |r| r == [id]).await;
    wait_for(&app, "en", "herons", Duration::from_secs(1), gone).await;

    // The same with a clean stop (SIGTERM) while the index is busy.
    let held = hold_the_index(&app);
    renest(&app, &token, id, 2, "Egrets").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app.terminate(), "the server stopped cleanly");
    drop(held);
    app.restart();
    wait_for(&app, "en", "egrets", Duration::from_secs(10), |r| r == [id]).await;
    wait_for(&app, "en", "storks", Duration::from_secs(1), gone).await;
}
