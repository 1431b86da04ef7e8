//! Wire ingest from outside: `dateline ingest` beside a running server,
//! and files dropped into a source's folder. Pages stay cached for an hour
//! unless purged, so only the change feed and purges can show a change.

use crate::{BINARY, get};
use dateline_testkit::{ServerOptions, TestServer};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/ingest")
        .join(name)
}

fn cached_server(envs: Vec<(String, String)>) -> TestServer {
    let mut envs = envs;
    envs.push(("DATELINE_PAGE_CACHE_SECONDS".into(), "3600".into()));
    TestServer::start_with(
        BINARY,
        ServerOptions {
            envs,
            ..ServerOptions::default()
        },
    )
}

fn ingest(server: &TestServer, args: &[&str], files: &[PathBuf]) -> (Output, String) {
    let output = server
        .command()
        .arg("ingest")
        .args(args)
        .args(files)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    (output, stdout)
}

/// Polls `path` until its page contains (or, `present` false, lacks)
/// `text`, 10 s at most; returns how long it took.
async fn until(server: &TestServer, path: &str, text: &str, present: bool) -> Duration {
    let started = Instant::now();
    loop {
        let (_, _, page) = get(server, path).await;
        if page.contains(text) == present {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path} never {} {text:?}",
            if present { "showed" } else { "lost" }
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn dateline_ingest_reports_each_item_and_the_running_server_shows_what_it_took() {
    let server = cached_server(Vec::new());
    let (_, _, home) = get(&server, "/").await;
    assert!(!home.contains("Beirut port reopens"));

    let files = [
        fixture("g2-xhtml-default-ns.xml"),
        fixture("g2-story-v1.xml"),
        fixture("hostile-billion-laughs.xml"),
    ];
    let (output, stdout) = ingest(
        &server,
        &["--site", "courier-en", "--source", "exw", "--publish"],
        &files,
    );
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(
        lines[0].starts_with("accepted: ")
            && lines[0].contains("port-reopens v3 [courier-en]: published"),
        "{stdout}"
    );
    assert!(lines[1].starts_with("accepted: "), "{stdout}");
    assert!(
        lines[2].starts_with("refused: ")
            && lines[2].contains("hostile-billion-laughs.xml: has a DTD"),
        "{stdout}"
    );

    // The server hears of it through the change feed and drops its cache.
    until(&server, "/", "Beirut port reopens to cargo ships", true).await;
    let (_, _, home) = get(&server, "/").await;
    let links = crate::article_links(&home, "");
    let port = links
        .iter()
        .find(|l| l.contains("beirut-port-reopens"))
        .unwrap();
    let talks = links
        .iter()
        .find(|l| l.contains("talks-resume-in-geneva"))
        .unwrap();
    let (status, _, page) = get(&server, port).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<bdi>Example Wire</bdi>"),
        "the credit line, without its own label"
    );
    assert!(page.contains("BEIRUT"), "the dateline");
    assert!(
        !page.contains("+961"),
        "the editor note never reaches a page"
    );
    for feed in [
        "/feed.xml",
        "/feed.json",
        "/sitemap-news.xml",
        "/api/v1/articles",
    ] {
        let (_, _, body) = get(&server, feed).await;
        assert!(!body.contains("+961"), "{feed} carries the editor note");
    }

    let (output, stdout) = ingest(
        &server,
        &["--site", "courier-en", "--source", "exw", "--publish"],
        &[fixture("g2-story-v1.xml"), fixture("g2-story-kill.xml")],
    );
    assert!(output.status.success());
    assert!(
        stdout.starts_with("skipped: "),
        "the same file again changes nothing: {stdout}"
    );
    assert!(
        stdout.lines().nth(1).unwrap().starts_with("killed: "),
        "{stdout}"
    );
    until(&server, "/", "Talks resume in Geneva", false).await;
    let (status, _, _) = get(&server, talks).await;
    assert!(
        status == 404 || status == 410,
        "a killed story is gone: {status}"
    );

    let (output, stdout) = ingest(
        &server,
        &["--site", "courier-en", "--source", "exw"],
        &[PathBuf::from("/no/such/file.xml")],
    );
    assert!(
        !output.status.success(),
        "a file that cannot be read fails the run"
    );
    assert!(
        stdout.starts_with("refused: /no/such/file.xml: cannot read"),
        "{stdout}"
    );

    let (output, _) = ingest(
        &server,
        &["--site", "nowhere", "--source", "exw"],
        &[fixture("g2-story-v1.xml")],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("--site \"nowhere\": no such site; sites are courier-en"),
        "{stderr}"
    );
}

#[tokio::test]
async fn a_file_dropped_in_a_source_folder_is_taken_in_and_filed_away() {
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        config.path(),
        "[[wire_sources]]\nname = \"exw\"\nsite = \"courier-en\"\nlabel = \"Example Wire\"\nmode = \"publish\"\n",
    )
    .unwrap();
    let server = cached_server(vec![(
        "DATELINE_CONFIG".into(),
        config.path().display().to_string(),
    )]);
    get(&server, "/").await;
    get(&server, "/ar/").await;
    let folder = server.data_dir().join("ingest/exw");
    std::fs::create_dir_all(&folder).unwrap();
    // Agencies write a file under a temporary name, then rename it.
    let drop = |name: &str, fixture_name: &str| {
        let partial = folder.join(format!("{name}.part"));
        std::fs::copy(fixture(fixture_name), &partial).unwrap();
        std::fs::rename(&partial, folder.join(name)).unwrap();
    };
    drop("port.xml", "g2-xhtml-default-ns.xml");
    drop("arabic.xml", "g2-arabic.xml");
    drop("laughs.xml", "hostile-billion-laughs.xml");
    let took = until(&server, "/", "Beirut port reopens to cargo ships", true).await;
    eprintln!("a dropped file was on the home page after {took:?}");
    until(&server, "/ar/", "استئناف الملاحة في مرفأ بيروت", true).await;

    let today = time::OffsetDateTime::now_utc().date().to_string();
    let filed = folder.join("processed").join(&today);
    let refused = folder.join("refused").join(&today);
    let started = Instant::now();
    while !refused.join("laughs.xml").exists() && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(filed.join("port.xml").exists() && filed.join("arabic.xml").exists());
    let reason = std::fs::read_to_string(refused.join("laughs.xml.reason.txt")).unwrap();
    assert!(reason.contains("exw/laughs.xml: has a DTD"), "{reason}");
    assert!(
        !folder.join("port.xml").exists(),
        "a taken file leaves the folder"
    );
}

#[tokio::test]
async fn a_source_with_an_address_is_fetched_again_only_when_it_changed() {
    let www = tempfile::tempdir().unwrap();
    let feed = www.path().join("wire.xml");
    std::fs::copy(fixture("g2-story-v1.xml"), &feed).unwrap();
    let log = www.path().join("access.log");
    let nginx = dateline_testkit::Nginx::start(
        "server { listen 80; root WWW; access_log LOG; location / { } }",
        &[
            ("WWW", &www.path().display().to_string()),
            ("LOG", &log.display().to_string()),
        ],
    );
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        config.path(),
        format!(
            "[[wire_sources]]\nname = \"partner\"\nsite = \"courier-en\"\nmode = \"publish\"\nurl = \"{}\"\npoll_seconds = 1\n",
            nginx.url("/wire.xml")
        ),
    )
    .unwrap();
    let server = cached_server(vec![(
        "DATELINE_CONFIG".into(),
        config.path().display().to_string(),
    )]);
    until(&server, "/", "Talks resume in Geneva", true).await;

    // Unchanged: every later poll is a conditional GET answered 304.
    let started = Instant::now();
    let statuses = || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .lines()
            .filter_map(|line| {
                line.split('"')
                    .nth(2)?
                    .split_whitespace()
                    .next()
                    .map(str::to_owned)
            })
            .collect::<Vec<_>>()
    };
    while statuses().iter().filter(|s| *s == "304").count() < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no conditional polls: {:?}",
            statuses()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        statuses().iter().filter(|s| *s == "200").count(),
        1,
        "{:?}",
        statuses()
    );

    // Changed: the newer version updates the story.
    let (_, _, home) = get(&server, "/").await;
    let story = crate::article_links(&home, "")
        .into_iter()
        .find(|l| l.contains("talks-resume-in-geneva"))
        .unwrap();
    let next = www.path().join("wire.xml.part");
    std::fs::copy(fixture("g2-story-v2-update.xml"), &next).unwrap();
    std::fs::rename(&next, &feed).unwrap();
    until(&server, &story, "ran into the night", true).await;

    // Gone: the health line says why.
    std::fs::remove_file(&feed).unwrap();
    let store = crate::store_of(&server).await;
    let started = Instant::now();
    loop {
        let health = store.wire_source("partner").await.unwrap().unwrap().health;
        if health.last_error.contains("answered 404") {
            assert!(health.items_taken >= 2, "{health:?}");
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "{health:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn what_dateline_ingest_publishes_or_kills_beside_a_server_reaches_its_purge_webhooks() {
    let hook = crate::receiver::Receiver::start(|_| (200, "ok".into())).await;
    let hooks = format!("[\"{}\"]", hook.url("/purge"));
    let server = cached_server(vec![("DATELINE_PURGE_WEBHOOKS".into(), hooks)]);
    let args = ["--site", "courier-en", "--source", "exw", "--publish"];
    let (_, stdout) = ingest(&server, &args, &[fixture("g2-story-v1.xml")]);
    let id = stdout
        .split("published as article ")
        .nth(1)
        .and_then(|rest| rest.trim().parse::<i64>().ok())
        .unwrap_or_else(|| panic!("{stdout}"));
    let key = format!("\"article-{id}\"");
    let mentions = |hook: &crate::receiver::Receiver| {
        hook.received()
            .iter()
            .filter(|r| String::from_utf8_lossy(&r.body).contains(&key))
            .count()
    };
    hook.wait_for(|r| String::from_utf8_lossy(&r.body).contains(&key))
        .await;
    let (_, stdout) = ingest(&server, &args, &[fixture("g2-story-kill.xml")]);
    assert!(stdout.starts_with("killed: "), "{stdout}");
    let started = Instant::now();
    while mentions(&hook) < 2 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the kill was not sent to the CDN"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_picture_beside_its_story_leads_it_with_caption_credit_and_alt_text() {
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        config.path(),
        "[[wire_sources]]\nname = \"exw\"\nsite = \"courier-en\"\nmode = \"publish\"\n",
    )
    .unwrap();
    let server = cached_server(vec![(
        "DATELINE_CONFIG".into(),
        config.path().display().to_string(),
    )]);
    let folder = server.data_dir().join("ingest/exw");
    std::fs::create_dir_all(&folder).unwrap();
    // The picture first, as agencies often send it; it waits for its story.
    let photo = crate::media::picture(1200, 800, image::ImageFormat::Jpeg);
    std::fs::write(folder.join("harbour-cranes.jpg"), &photo).unwrap();
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(
        folder.join("harbour-cranes.jpg").exists(),
        "a picture is not an item"
    );
    std::fs::copy(
        fixture("g2-package-with-picture.xml"),
        folder.join("cranes.xml.part"),
    )
    .unwrap();
    std::fs::rename(folder.join("cranes.xml.part"), folder.join("cranes.xml")).unwrap();
    until(&server, "/", "New cranes arrive at Beirut port", true).await;
    let (_, _, home) = get(&server, "/").await;
    let story = crate::article_links(&home, "")
        .into_iter()
        .find(|l| l.contains("new-cranes-arrive"))
        .unwrap();
    let (_, _, page) = get(&server, &story).await;
    assert!(
        page.contains("Two tall blue cranes on a quay beside a moored cargo ship."),
        "alt text"
    );
    assert!(
        page.contains("Two ship-to-shore cranes stand on the quay"),
        "caption"
    );
    assert!(page.contains("Lina Example"), "credit");
    assert!(
        page.contains("/media/uploads/courier-en/"),
        "from the media library"
    );
    assert!(
        !page.contains("no sales"),
        "the picture's note for editors stays private"
    );
    let filed = folder
        .join("processed")
        .join(time::OffsetDateTime::now_utc().date().to_string());
    assert!(filed.join("cranes.xml").exists() && filed.join("harbour-cranes.jpg").exists());
}

#[tokio::test]
async fn a_missing_picture_is_a_note_and_the_story_goes_on_without_it() {
    let server = cached_server(Vec::new());
    let (output, stdout) = ingest(
        &server,
        &["--site", "courier-en", "--source", "exw", "--publish"],
        &[fixture("g2-package-with-picture.xml")],
    );
    assert!(output.status.success());
    assert!(stdout.starts_with("accepted: "), "{stdout}");
    assert!(
        stdout.contains("; picture harbour-cranes.jpg: cannot read"),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_server_killed_while_it_takes_a_backlog_in_takes_every_file_once_after_restart() {
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        config.path(),
        "[[wire_sources]]\nname = \"exw\"\nsite = \"courier-en\"\nmode = \"publish\"\n",
    )
    .unwrap();
    let mut server = cached_server(vec![(
        "DATELINE_CONFIG".into(),
        config.path().display().to_string(),
    )]);
    let folder = server.data_dir().join("ingest/exw");
    let staging = server.data_dir().join("staging");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::create_dir_all(&staging).unwrap();
    let story = String::from_utf8(std::fs::read(fixture("g2-story-v1.xml")).unwrap()).unwrap();
    const FILES: usize = 60;
    for n in 0..FILES {
        let item = story
            .replace("newsml_STORY1", &format!("newsml_BACKLOG{n}"))
            .replace(
                "Talks resume in Geneva",
                &format!("Backlog story number {n}"),
            );
        std::fs::write(staging.join(format!("item-{n:02}.xml")), item).unwrap();
    }
    for n in 0..FILES {
        let name = format!("item-{n:02}.xml");
        std::fs::rename(staging.join(&name), folder.join(&name)).unwrap();
    }
    // Killed (SIGKILL) once it has taken a few in, however far it got.
    let filed = folder
        .join("processed")
        .join(time::OffsetDateTime::now_utc().date().to_string());
    let started = Instant::now();
    while std::fs::read_dir(&filed).map_or(0, Iterator::count) < 3 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nothing was taken"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.restart();
    let waiting = |folder: &Path| {
        std::fs::read_dir(folder)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "xml")
            })
            .count()
    };
    let started = Instant::now();
    while waiting(&folder) > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{} files left",
            waiting(&folder)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        std::fs::read_dir(&filed).unwrap().count(),
        FILES,
        "every file filed away once"
    );
    let (_, _, body) = get(&server, "/api/v1/articles?per_page=100").await;
    let listed: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut numbers: Vec<usize> = listed["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| {
            a["headline"]
                .as_str()?
                .strip_prefix("Backlog story number ")?
                .parse()
                .ok()
        })
        .collect();
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (0..FILES).collect::<Vec<_>>(),
        "each story published exactly once"
    );
}
