//! The wire desk in the newsroom: what sources queued, taken into a draft
//! or published by an editor, held updates applied, kills marked, and
//! the sources page with its health line, from outside over HTTP.

use crate::{BINARY, app, get};
use dateline_testkit::TestApp;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/ingest")
        .join(name)
}

/// `dateline ingest` into the queueing source `exw`; its standard output.
fn ingest(app: &TestApp, files: &[&str]) -> String {
    let output = app
        .command()
        .args(["ingest", "--site", "courier-en", "--source", "exw"])
        .args(files.iter().map(|f| fixture(f)))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The desk's link to the item with this headline.
fn item_link(desk: &str, headline: &str) -> String {
    let at = desk
        .find(headline)
        .unwrap_or_else(|| panic!("{headline:?} not on the desk"));
    let start = desk[..at].rfind("href=\"").unwrap() + 6;
    let end = start + desk[start..].find('"').unwrap();
    desk[start..end].to_owned()
}

fn location(headers: &reqwest::header::HeaderMap) -> String {
    headers["location"].to_str().unwrap().to_owned()
}

async fn until_public(app: &TestApp, path: &str, text: &str) {
    let started = Instant::now();
    while !get(app, path).await.2.contains(text) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path} never showed {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn editors_take_queued_wire_copy_into_drafts_or_publish_it_and_decide_on_held_updates() {
    let app = app();
    let queued = ingest(
        &app,
        &[
            "g2-xhtml-default-ns.xml",
            "g2-story-v1.xml",
            "g2-arabic.xml",
        ],
    );
    assert_eq!(
        queued.matches("queued on the wire desk").count(),
        3,
        "{queued}"
    );
    let editor = app.editor().await;
    let (_, _, dashboard) = editor.get("/newsroom").await;
    assert!(
        dashboard.contains("Wire desk (2)"),
        "two English items wait: {dashboard}"
    );
    let (status, _, desk) = editor.get("/newsroom/wire").await;
    assert_eq!(status, 200);
    assert!(
        desk.contains("Beirut port reopens to cargo ships")
            && desk.contains("Talks resume in Geneva")
    );
    assert!(
        !desk.contains("مرفأ بيروت"),
        "the Arabic item is on the Arabic edition's desk"
    );
    // Another source's items, and the desk by source.
    let other = app
        .command()
        .args(["ingest", "--site", "courier-en", "--source", "other"])
        .arg(fixture("ninjs-2.json"))
        .output()
        .unwrap();
    assert!(other.status.success());
    let (_, _, everything) = editor.get("/newsroom/wire").await;
    let (_, _, only_exw) = editor.get("/newsroom/wire?source=exw").await;
    let ninjs = "Bahnstrecke wieder frei";
    assert!(
        everything.contains(ninjs) && !only_exw.contains(ninjs),
        "{only_exw}"
    );
    assert!(only_exw.contains("Talks resume in Geneva"));
    let (status, _, _) = editor.get("/newsroom/wire?source=nobody").await;
    assert_eq!(status, 404);
    let (_, _, arabic_desk) = editor.get("/ar/newsroom/wire").await;
    assert!(arabic_desk.contains("استئناف الملاحة في مرفأ بيروت"));

    // The item's page shows the copy and the agency's notes to editors.
    let port = item_link(&desk, "Beirut port reopens to cargo ships");
    let (status, _, page) = editor.get(&port).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("+961 1 000000"),
        "notes for editors are shown to editors"
    );
    assert!(page.contains("Cargo ships <em>began</em> unloading"));
    let (status, headers, _) = editor
        .post(
            &format!("{port}/take"),
            &[("edition", "courier-en"), ("take", "draft")],
        )
        .await;
    assert_eq!(status, 303);
    let draft = location(&headers);
    let (_, _, form) = editor.get(&draft).await;
    assert!(form.contains("Beirut port reopens to cargo ships"));
    assert!(
        form.contains("+961 1 000000"),
        "the notes follow the story to its editor"
    );

    let talks = item_link(&desk, "Talks resume in Geneva");
    let (status, headers, _) = editor
        .post(&format!("{talks}/take"), &[("take", "publish")])
        .await;
    assert_eq!(status, 303);
    let talks_story = location(&headers);
    until_public(&app, "/", "Talks resume in Geneva").await;
    let (_, _, desk) = editor.get("/newsroom/wire").await;
    assert!(
        desk.contains("Published") && desk.contains("Taken"),
        "{desk}"
    );

    // The editor changes the story; the agency's update waits for them.
    let updated = ingest(&app, &["g2-story-v2-update.xml"]);
    assert!(updated.starts_with("held: "), "{updated}");
    let (_, _, desk) = editor.get("/newsroom/wire").await;
    assert!(desk.contains("Update waiting"));
    let update = item_link(&desk, "Talks resume in Geneva");
    let reporter = app.reporter().await;
    let (status, _, _) = reporter.post(&format!("{update}/apply"), &[]).await;
    assert_eq!(status, 403, "reporters do not decide on updates");
    let (status, headers, _) = editor.post(&format!("{update}/apply"), &[]).await;
    assert_eq!(status, 303);
    assert_eq!(location(&headers), talks_story);
    let (_, _, form) = editor.get(&talks_story).await;
    assert!(
        form.contains("ran into the night"),
        "the agency's version is applied"
    );

    // A kill takes the story down and marks the desk.
    let killed = ingest(&app, &["g2-story-kill.xml"]);
    assert!(killed.starts_with("killed: "), "{killed}");
    let (_, _, desk) = editor.get("/newsroom/wire").await;
    assert!(desk.contains("Killed"));
    let kill = item_link(&desk, "Talks resume in Geneva");
    let (status, _, _) = editor
        .post(&format!("{kill}/take"), &[("take", "publish")])
        .await;
    assert_eq!(status, 409, "a killed item cannot be taken");

    let moderator = app.moderator().await;
    let (status, _, _) = moderator.get("/newsroom/wire").await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn admins_set_up_sources_see_their_health_and_map_subjects_to_sections() {
    let app = TestApp::start(BINARY);
    ingest(&app, &["g2-story-v1.xml", "hostile-malformed.xml"]);
    let admin = app.admin_a().await;
    let (status, _, page) = admin.get("/newsroom/wire/sources").await;
    assert_eq!(status, 200);
    assert!(page.contains("ingest/exw/"), "the drop folder is named");
    assert!(page.contains("1 items taken, 1 refused"), "{page}");
    assert!(page.contains("malformed XML"), "the last refusal's reason");

    let (status, _, page) = admin
        .post(
            "/newsroom/wire/sources",
            &[
                ("name", "Agence X"),
                ("label", "Agence X"),
                ("mode", "publish"),
                ("updates", "wire"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("value=\"Agence X\""),
        "what was typed is kept"
    );
    assert!(
        page.contains("aria-invalid=\"true\""),
        "the message is at the field"
    );
    let (status, _, page) = admin
        .post(
            "/newsroom/wire/sources",
            &[
                ("name", "agence-x"),
                ("mode", "queue"),
                ("updates", "desk"),
                ("url", "ftp://wire.example.org/out"),
                ("poll_seconds", "0"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("value=\"ftp://wire.example.org/out\""),
        "the address typed is kept"
    );
    assert_eq!(
        page.matches("aria-invalid=\"true\"").count(),
        2,
        "the address and the interval are refused"
    );
    let (status, _, _) = admin
        .post(
            "/newsroom/wire/sources",
            &[
                ("name", "agence-x"),
                ("label", "Agence X"),
                ("mode", "publish"),
                ("updates", "wire"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let section = admin.first_section().await;
    let (status, _, _) = admin
        .post(
            "/newsroom/wire/sources/agence-x/subjects",
            &[("subject", "medtop:04000000"), ("section", &section)],
        )
        .await;
    assert_eq!(status, 303);
    let (_, _, page) = admin.get("/newsroom/wire/sources").await;
    assert!(
        page.contains("Publish at once") && page.contains("medtop:04000000"),
        "{page}"
    );

    let editor = app.editor().await;
    let (status, _, _) = editor.get("/newsroom/wire/sources").await;
    assert_eq!(status, 403, "only admins set sources up");
}
