//! Backups taken while the server runs and writes go on, restored into a
//! new data directory that a server then serves; and the refusals that
//! keep a backup or a data directory from being overwritten or mixed up
//! (`docs/backup.md`).

use crate::api::{read, send};
use crate::media::{picture, upload};
use crate::{BINARY, get};
use dateline_testkit::{
    PASSWORD, Person, ServerOptions, TestServer, log_in, public_path, temporary_dir,
};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Runs `dateline COMMAND PATH --data-dir DATA_DIR EXTRA…` and waits.
fn dateline(command: &str, path: &Path, data_dir: &Path, extra: &[&str]) -> Output {
    Command::new(BINARY)
        .arg(command)
        .arg(path)
        .arg("--data-dir")
        .arg(data_dir)
        .args(extra)
        .env_remove("DATELINE_DATA_DIR")
        .output()
        .unwrap()
}

fn succeeded(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Asserts that the command failed with an error naming each of `needles`.
fn refused(out: &Output, needles: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "not refused: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in: {stderr}");
    }
}

/// The names in a directory, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// Every image an article page offers in its lead image's `srcset`, with
/// the bytes served for it.
async fn lead_images(server: &TestServer, path: &str) -> Vec<(String, Vec<u8>)> {
    let (status, _, page) = get(server, path).await;
    assert_eq!(status, StatusCode::OK, "{path}");
    let figure = crate::between(&page, r#"<figure class="lead-image">"#, "</figure>");
    let mut images = Vec::new();
    for candidate in crate::between(figure, r#"srcset=""#, "\"").split(", ") {
        let url = candidate.split(' ').next().unwrap().to_owned();
        let response = dateline_testkit::raw_client()
            .get(server.url(&url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        images.push((url, response.bytes().await.unwrap().to_vec()));
    }
    images
}

/// What the writer wrote, and when the write was answered.
struct Written {
    id: i64,
    headline: String,
    at: Instant,
}

#[tokio::test]
async fn a_backup_taken_while_stories_are_filed_restores_everything_filed_before_it() {
    let app = crate::app();
    let token = app.api_token("wire@example.com", "editor");
    let editor = app.editor().await;
    let photo = picture(1200, 800, image::ImageFormat::Jpeg);
    let (status, headers, body) = upload(&editor, "Harbour.jpg", "image/jpeg", &photo).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let media = headers["location"]
        .to_str()
        .unwrap()
        .split("uploaded=")
        .nth(1);
    let lead = editor
        .write_article(
            "The harbour before the backup",
            "publish",
            &[("lead_media", media.unwrap()), ("lead_alt", "Boats")],
        )
        .await;
    let lead_path = public_path(&app, lead, "politics").await.unwrap();
    let images = lead_images(&app, &lead_path).await;
    assert!(images.len() >= 4, "the original and its resized copies");

    // Stories are filed through the API, and photos uploaded, all along.
    let scratch = temporary_dir("dateline-backups-");
    let destination = scratch.path().join("nightly");
    let written = Mutex::new(Vec::<Written>::new());
    let stop = AtomicBool::new(false);
    let writer = async {
        let mut n = 0;
        while !stop.load(Ordering::SeqCst) {
            n += 1;
            if n % 3 == 0 {
                let small = picture(640, 480, image::ImageFormat::Png);
                let (status, _, body) = upload(&editor, "chart.png", "image/png", &small).await;
                assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
                continue;
            }
            let headline = format!("Dispatch {n} from the wire");
            let body = json!({"headline": headline, "section": "politics", "action": "publish"});
            let created = send(&app, Method::POST, "/api/v1/articles", &token, body).await;
            assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
            written.lock().unwrap().push(Written {
                id: created.body["id"].as_i64().unwrap(),
                headline,
                at: Instant::now(),
            });
        }
    };
    let backup = async {
        while written.lock().unwrap().len() < 3 {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let started = Instant::now();
        let out = tokio::process::Command::new(BINARY)
            .arg("backup")
            .arg(&destination)
            .arg("--data-dir")
            .arg(app.data_dir())
            .output()
            .await
            .unwrap();
        let ended = Instant::now();
        stop.store(true, Ordering::SeqCst);
        (started, out, ended)
    };
    let ((), (started, out, ended)) = tokio::join!(writer, backup);
    let stdout = succeeded(&out);
    assert!(
        stdout.contains("every media file the database names is in the backup"),
        "{stdout}"
    );
    let written = written.into_inner().unwrap();
    let before: Vec<&Written> = written.iter().filter(|w| w.at < started).collect();
    let during = written
        .iter()
        .filter(|w| w.at >= started && w.at <= ended)
        .count();
    eprintln!(
        "{} stories filed before the backup, {during} while it ran ({:?})",
        before.len(),
        ended - started
    );
    let after = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &token,
        json!({"headline": "Filed after the backup", "section": "politics", "action": "publish"}),
    )
    .await;
    assert_eq!(after.status, StatusCode::CREATED);

    // The backup: the database, the media and a manifest, nothing half made.
    assert_eq!(listing(scratch.path()), ["nightly"]);
    assert_eq!(
        listing(&destination),
        ["dateline.db", "manifest.json", "media"]
    );
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(destination.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], 1);
    assert_eq!(
        manifest["database"]["schema"],
        dateline_store::backup::schema_level()
    );
    let articles = manifest["database"]["articles"].as_i64().unwrap();
    assert!(articles >= 94 + 1 + before.len() as i64, "{manifest}");
    assert_eq!(manifest["missing_media"], json!([]));

    // Restored into a new data directory, a server serves it.
    let restored = temporary_dir("dateline-restored-");
    let stdout = succeeded(&dateline("restore", &destination, restored.path(), &[]));
    assert!(stdout.contains("Restored"), "{stdout}");
    let mut server = TestServer::start_on(BINARY, restored, ServerOptions::default());
    for story in &before {
        let found = read(&server, &format!("/api/v1/articles/{}", story.id)).await;
        assert_eq!(found.status, StatusCode::OK, "{} is lost", story.headline);
        assert_eq!(found.body["headline"], story.headline.as_str());
    }
    let later = read(&server, &format!("/api/v1/articles/{}", after.body["id"])).await;
    assert_eq!(
        later.status,
        StatusCode::NOT_FOUND,
        "filed after the backup"
    );
    assert_eq!(lead_images(&server, &lead_path).await, images);
    let (status, _, _) = log_in(&server, Person::EDITOR.email, PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "accounts come back");
    // The search index was not in the backup: the server rebuilds it.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = read(&server, "/api/v1/search?q=harbour+backup").await;
        let ids: Vec<i64> = found.body["results"]
            .as_array()
            .map(|r| r.iter().filter_map(|a| a["id"].as_i64()).collect())
            .unwrap_or_default();
        if ids.contains(&lead) {
            break;
        }
        assert!(Instant::now() < deadline, "not searchable: {}", found.body);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(server.terminate());
    let check = dateline_store::backup::inspect(&server.data_dir().join("dateline.db"))
        .await
        .unwrap();
    assert_eq!(check.summary.articles, articles, "integrity checked, whole");
}

#[tokio::test]
async fn backup_and_restore_refuse_what_would_overwrite_or_mix_up_data_naming_it() {
    let server = crate::server();
    let data_dir = server.data_dir();
    let scratch = temporary_dir("dateline-backups-");
    let at = |name: &str| scratch.path().join(name);
    let text = |path: &Path| path.display().to_string();

    // A destination that holds anything is left as it is.
    let full = at("full");
    std::fs::create_dir(&full).unwrap();
    std::fs::write(full.join("notes.txt"), "mine").unwrap();
    let out = dateline("backup", &full, data_dir, &[]);
    refused(&out, &[&text(&full), "is not empty"]);
    assert_eq!(listing(&full), ["notes.txt"]);
    assert_eq!(listing(scratch.path()), ["full"], "no half-made backup");
    let inside = data_dir.join("backups");
    let out = dateline("backup", &inside, data_dir, &[]);
    refused(&out, &[&text(&inside), "is inside the data directory"]);
    assert!(!inside.exists());
    let out = dateline("backup", &at("b"), &at("none"), &[]);
    let database = at("none").join("dateline.db");
    refused(&out, &[&text(&database), "no database"]);

    let good = at("good");
    succeeded(&dateline("backup", &good, data_dir, &[]));

    // Not while a server runs on the data directory.
    let out = dateline("restore", &good, data_dir, &[]);
    refused(&out, &[&text(data_dir), "a Dateline server is running"]);
    let (status, _, _) = get(&server, "/latest").await;
    assert_eq!(status, StatusCode::OK);

    // Not over what a data directory holds, unless told to move it aside.
    let occupied = at("occupied");
    std::fs::create_dir(&occupied).unwrap();
    std::fs::write(occupied.join("dateline.db"), "an older network").unwrap();
    let out = dateline("restore", &good, &occupied, &[]);
    refused(&out, &[&text(&occupied), "is not empty", "--force"]);
    let kept = |dir: &Path| std::fs::read_to_string(dir.join("dateline.db")).unwrap();
    assert_eq!(kept(&occupied), "an older network");
    let stdout = succeeded(&dateline("restore", &good, &occupied, &["--force"]));
    let aside = listing(scratch.path())
        .into_iter()
        .find(|name| name.starts_with("occupied.before-restore-"))
        .unwrap_or_else(|| panic!("nothing moved aside: {stdout}"));
    assert!(stdout.contains(&aside), "{stdout}");
    assert_eq!(kept(&at(&aside)), "an older network");
    assert_eq!(
        listing(&occupied),
        ["dateline.db", "dateline.lock", "media"]
    );

    // Not from something that is no backup, from a newer Dateline, or damaged.
    let fresh = at("fresh");
    let out = dateline("restore", &full, &fresh, &[]);
    refused(&out, &[&text(&full), "is not a Dateline backup"]);
    let edited = |name: &str, change: &dyn Fn(&mut Value)| {
        let copy = at(name);
        copy_dir(&good, &copy);
        let path = copy.join("manifest.json");
        let mut manifest: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        change(&mut manifest);
        std::fs::write(&path, manifest.to_string()).unwrap();
        copy
    };
    let newer = edited("newer", &|m| m["database"]["schema"] = json!(9999));
    let out = dateline("restore", &newer, &fresh, &[]);
    let said = "at schema 9999, newer than this Dateline's";
    refused(&out, &[&text(&newer), said]);
    let mixed = edited("mixed", &|m| m["database"]["articles"] = json!(1));
    let out = dateline("restore", &mixed, &fresh, &[]);
    let database = mixed.join("dateline.db");
    refused(&out, &[&text(&database), "does not match its manifest"]);
    let damaged = edited("damaged", &|_| {});
    let database = damaged.join("dateline.db");
    let mut bytes = std::fs::read(&database).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle..middle + 8192].fill(0x5a);
    std::fs::write(&database, bytes).unwrap();
    let out = dateline("restore", &damaged, &fresh, &[]);
    refused(&out, &[&text(&database), "invalid"]);
    assert!(!fresh.exists(), "nothing restored from a refused backup");
}
