//! Several instances on one PostgreSQL database: what one instance
//! changes reaches the others' page caches, read caches and search
//! indexes through the change feed, and a reader or a journalist may be
//! served by any of them.

use crate::caching::{SETTINGS_FIELDS, field_value};
use crate::{BINARY, get};
use dateline_testkit::{
    Reader, ServerOptions, Staff, TestApp, TestDatabase, TestServer, scratch_postgres_database,
};
use reqwest::StatusCode;
use std::time::{Duration, Instant};

/// An instance on `url` whose pages stay cached for an hour unless purged:
/// only the change feed can make it show a change made elsewhere.
fn instance(url: &str) -> TestServer {
    TestServer::start_with(
        BINARY,
        ServerOptions {
            database: TestDatabase::Postgres(url.to_owned()),
            envs: vec![("DATELINE_PAGE_CACHE_SECONDS".into(), "3600".into())],
            ..ServerOptions::default()
        },
    )
}

/// Polls `path` on `server` until its page contains `text` (10 s at most);
/// returns how long it took.
async fn until_shown(server: &TestServer, path: &str, text: &str) -> Duration {
    let started = Instant::now();
    loop {
        let (_, _, page) = get(server, path).await;
        if page.contains(text) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path} on {} never showed {text:?}",
            server.base
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn what_one_instance_changes_the_others_show_and_anyone_may_serve_anyone() {
    let Some(url) = scratch_postgres_database() else {
        eprintln!("skipped: needs TEST_POSTGRES_URL (scripts/test sets it)");
        return;
    };
    let a = TestApp::on(instance(&url));
    let b = instance(&url);
    // Both installed nothing twice: one demo network.
    let (_, _, home_b) = get(&b, "/").await;
    let (_, _, home_a) = get(&a, "/").await;
    assert_eq!(
        dateline_testkit::article_links(&home_a, ""),
        dateline_testkit::article_links(&home_b, "")
    );
    // B's home page and search results are cached now (for an hour).
    let (_, _, found) = get(&b, "/search?q=Zanzibar").await;
    assert!(!found.contains("resumes crossings"), "{found}");

    // A publishes through its newsroom: B's cached pages and its index
    // follow.
    let editor = a.editor().await;
    let id = editor
        .publish_article("Zanzibar ferry resumes crossings")
        .await;
    let shown = until_shown(&b, "/", "Zanzibar ferry resumes crossings").await;
    eprintln!("B's cached home page showed A's story after {shown:?}");
    until_shown(&b, "/search?q=Zanzibar", "resumes crossings").await;

    // A's session works on B, and B's edit reaches A.
    let on_b = Staff {
        server: &b,
        cookie: editor.cookie.clone(),
    };
    let (status, _, _) = on_b.get("/newsroom").await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, page) = get(&a, "/").await;
    assert!(page.contains("Zanzibar ferry resumes crossings"));
    let answer = on_b
        .edit(
            id,
            &[("headline", "Zanzibar ferry crossings resume at dawn")],
        )
        .await;
    assert_eq!(answer.0, StatusCode::SEE_OTHER, "{}", answer.2);
    until_shown(&a, "/", "Zanzibar ferry crossings resume at dawn").await;

    // Settings changed on B: A's header (cached) follows.
    let admin = a.admin_a().await;
    let admin_on_b = Staff {
        server: &b,
        cookie: admin.cookie.clone(),
    };
    let (_, _, form) = admin_on_b.get("/newsroom/settings").await;
    let fields: Vec<(String, String)> = SETTINGS_FIELDS
        .iter()
        .map(|(name, _)| {
            let value = if *name == "name" {
                "The Levant Courier Weekend".to_owned()
            } else {
                field_value(&form, name)
            };
            ((*name).to_owned(), value)
        })
        .collect();
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _, body) = admin_on_b.post("/newsroom/settings", &pairs).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    until_shown(&a, "/", "The Levant Courier Weekend").await;

    // A photo uploaded through A is served by B, and so are the demo's
    // images, which only the first instance wrote to its folder.
    let photo = crate::media::picture(1200, 800, image::ImageFormat::Jpeg);
    let (status, headers, body) =
        crate::media::upload(&editor, "Ferry at dawn.jpg", "image/jpeg", &photo).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let location = headers["location"].to_str().unwrap();
    let media = location.split("uploaded=").nth(1).unwrap().to_owned();
    let pictured = editor
        .write_article(
            "Ferry at dawn",
            "publish",
            &[("lead_media", &media), ("lead_alt", "The ferry")],
        )
        .await;
    let path = dateline_testkit::public_path(&b, pictured, "politics")
        .await
        .unwrap();
    let (_, _, page) = get(&b, &path).await;
    let figure = crate::between(&page, r#"<figure class="lead-image">"#, "</figure>");
    let srcset = crate::between(figure, r#"srcset=""#, "\"");
    for candidate in srcset.split(", ") {
        let url = candidate.split(' ').next().unwrap();
        let (status, headers, _) = get(&b, url).await;
        assert_eq!(status, StatusCode::OK, "{url} on B");
        assert_eq!(headers["content-type"], "image/jpeg");
    }
    let (_, _, first_story) = get(&b, &dateline_testkit::article_links(&home_a, "")[0]).await;
    let demo_figure = crate::between(&first_story, r#"<figure class="lead-image">"#, "</figure>");
    let demo_image = crate::between(demo_figure, r#"src=""#, "\"");
    assert!(demo_image.contains("/media/demo/"), "{demo_image}");
    let (status, _, _) = get(&b, demo_image).await;
    assert_eq!(status, StatusCode::OK, "{demo_image} on B");

    // B is down while A publishes: back up, it catches up from where its
    // index stood.
    let mut b = b;
    b.kill();
    editor
        .publish_article("Night trains return to the coast")
        .await;
    b.restart();
    until_shown(&b, "/search?q=trains", "return to the coast").await;
    until_shown(&b, "/", "Night trains return to the coast").await;

    // A reader gets the comment form's code from A and posts to B.
    let (cookie, proof) = a.reader().solve_code().await;
    let answer = Reader::on(&b, "")
        .send_comment(id, &[], &cookie, &proof)
        .await;
    assert_eq!(answer.0, StatusCode::SEE_OTHER, "{}", answer.2);
}

/// Purge webhooks, when instances share a database: every change is
/// delivered once, whichever instance made it, and when the instance
/// delivering dies, another takes over.
#[tokio::test]
async fn each_change_is_delivered_once_and_deliveries_go_on_when_an_instance_dies() {
    let Some(url) = scratch_postgres_database() else {
        eprintln!("skipped: needs TEST_POSTGRES_URL (scripts/test sets it)");
        return;
    };
    // A purge naming this story is refused at first: its deliverer is
    // retrying it when it dies.
    let opened = Instant::now();
    let hook = crate::receiver::Receiver::start(move |r| {
        let retried = String::from_utf8_lossy(&r.body).contains("retried-when-a-dies");
        if retried && opened.elapsed() < Duration::from_secs(4) {
            (503, "busy".into())
        } else {
            (200, "ok".into())
        }
    })
    .await;
    let hooks = format!("[\"{}\"]", hook.url("/purge"));
    let start = || {
        TestServer::start_with(
            BINARY,
            ServerOptions {
                database: TestDatabase::Postgres(url.clone()),
                envs: vec![("DATELINE_PURGE_WEBHOOKS".into(), hooks.clone())],
                ..ServerOptions::default()
            },
        )
    };
    let mut a = TestApp::on(start());
    let b = start();
    let editor = a.editor().await;
    let cookie = editor.cookie.clone();
    let on_b = Staff {
        server: &b,
        cookie: editor.cookie.clone(),
    };
    let from_a = editor.publish_article("Purged once, from A").await;
    let from_b = on_b.publish_article("Purged once, from B").await;
    let naming = |id: i64| {
        let key = format!("\"article-{id}\"");
        move |r: &crate::receiver::Received| String::from_utf8_lossy(&r.body).contains(&key)
    };
    hook.wait_for(naming(from_a)).await;
    hook.wait_for(naming(from_b)).await;
    // Both instances are up: had each delivered its own and the other's,
    // these would come twice.
    tokio::time::sleep(Duration::from_secs(1)).await;
    for id in [from_a, from_b] {
        let times = hook.received().iter().filter(|r| naming(id)(r)).count();
        assert_eq!(times, 1, "article {id} delivered {times} times");
    }

    // A, started first and so the one delivering, is retrying a purge
    // when it dies: B takes the lease over, delivers that purge again,
    // and delivers what comes after.
    let retried = editor.publish_article("Retried when A dies").await;
    let slug = |r: &crate::receiver::Received| {
        String::from_utf8_lossy(&r.body).contains("retried-when-a-dies")
    };
    hook.wait_for(slug).await;
    drop(editor);
    a.kill();
    let on_b = Staff { server: &b, cookie };
    let later = on_b.publish_article("Purged after A died").await;
    let started = Instant::now();
    while hook.received().iter().filter(|r| slug(r)).count() < 2
        || !hook.received().iter().any(naming(later))
    {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "after A died, B never delivered article {retried} again or article {later}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!(
        "B took the deliveries over {:?} after A died",
        started.elapsed()
    );
}
