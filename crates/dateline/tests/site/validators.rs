//! Real third-party validators on the running server's output: the Nu Html
//! Checker (`vnu-jar` from npm, run with Java) on home, section and
//! article pages of both editions, and `extruct` (Python) on their
//! structured data. `scripts/test` installs both (`.tools/`, pip).

use crate::get;
use dateline_testkit::{TestApp, article_id};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const VNU: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../.tools/node_modules/vnu-jar/build/dist/vnu.jar"
);
const LDCHECK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/ldcheck.py");

/// Saves the pages at `paths` into `dir`; returns the files.
async fn save_pages(
    server: &dateline_testkit::TestServer,
    dir: &Path,
    paths: &[String],
) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for (n, path) in paths.iter().enumerate() {
        let (status, _, body) = get(server, path).await;
        assert_eq!(status, 200, "{path}");
        let file = dir.join(format!("page-{n}.html"));
        std::fs::write(&file, body).unwrap();
        files.push(file);
    }
    files
}

/// Home, a section and an article of each edition; the English article
/// carries a correction so its markup is checked too.
async fn pages_of_both_editions(app: &TestApp) -> (Vec<String>, String) {
    let mut paths = Vec::new();
    let mut corrected = String::new();
    for prefix in ["", "/ar"] {
        let section = format!("{prefix}/politics");
        let article = app.first_article_on(&section, prefix).await;
        if prefix.is_empty() {
            corrected = article.clone();
        }
        paths.extend([format!("{prefix}/"), section, article]);
    }
    (paths, corrected)
}

/// An editor adds a correction to the article at `path`.
async fn correct(app: &TestApp, path: &str) {
    let editor = app.editor().await;
    let id = article_id(path);
    let (status, _, body) = editor
        .post(
            &format!("/newsroom/articles/{id}/corrections"),
            &[(
                "note",
                "An earlier version gave the wrong date of the vote.",
            )],
        )
        .await;
    assert_eq!(status, 303, "{body}");
}

#[tokio::test]
async fn pages_of_both_editions_pass_the_nu_html_checker() {
    assert!(
        Path::new(VNU).is_file(),
        "{VNU} is missing: scripts/test installs the Nu Html Checker (npm vnu-jar)"
    );
    let app = crate::app();
    let (paths, corrected) = pages_of_both_editions(&app).await;
    correct(&app, &corrected).await;
    let dir = tempfile::tempdir().unwrap();
    let files = save_pages(&app, dir.path(), &paths).await;
    let out = Command::new("java")
        .args([
            "-jar",
            VNU,
            "--errors-only",
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
        ])
        .args(&files)
        .output()
        .expect("java runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "vnu output is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    let errors: Vec<String> = report["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            let file = m["url"].as_str().unwrap_or("");
            let page = files
                .iter()
                .position(|f| file.ends_with(&*f.file_name().unwrap().to_string_lossy()))
                .map_or("?", |i| paths[i].as_str());
            format!("{page} line {}: {}", m["lastLine"], m["message"])
        })
        .collect();
    assert!(
        errors.is_empty(),
        "Nu Html Checker errors:\n{}",
        errors.join("\n")
    );
}

/// JSON-LD items of a page as extruct reads them.
fn structured_data(file: &Path, base: &str) -> Value {
    let out = Command::new("python3")
        .arg(LDCHECK)
        .arg(file)
        .arg(base)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "ldcheck failed (scripts/test installs extruct): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn item<'a>(data: &'a Value, kind: &str) -> &'a Value {
    data["json-ld"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["@type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {data}"))
}

#[tokio::test]
async fn extruct_finds_a_complete_news_article_in_both_editions() {
    let app = crate::app();
    let (paths, corrected) = pages_of_both_editions(&app).await;
    correct(&app, &corrected).await;
    let dir = tempfile::tempdir().unwrap();
    let files = save_pages(&app, dir.path(), &paths).await;
    for (path, file) in paths.iter().zip(&files) {
        let data = structured_data(file, &app.url(path));
        if path.ends_with('/') {
            let organization = item(&data, "NewsMediaOrganization");
            assert!(organization["logo"]["url"].is_string(), "{path}");
            assert!(
                organization["correctionsPolicy"]["text"].is_string(),
                "{path}"
            );
            continue;
        }
        if !path.contains('-') {
            continue; // a section page
        }
        let article = item(&data, "NewsArticle");
        for field in [
            "headline",
            "datePublished",
            "dateModified",
            "articleSection",
            "inLanguage",
        ] {
            assert!(article[field].is_string(), "{path}: {field} in {article}");
        }
        assert!(article["image"][0]["url"].is_string(), "{path}: image");
        let author = &article["author"][0];
        assert!(
            (author["@type"] == "Person" || author["@type"] == "Organization")
                && author["name"].is_string(),
            "{path}: author {author}"
        );
        if author["@type"] == "Person" {
            assert!(author["url"].is_string(), "{path}: author url");
        }
        assert_eq!(article["publisher"]["@type"], "NewsMediaOrganization");
        assert!(article["publisher"]["logo"]["url"].is_string());
        assert_eq!(
            article["inLanguage"],
            if path.starts_with("/ar/") { "ar" } else { "en" }
        );
        if *path == corrected {
            let correction = &article["correction"][0];
            assert_eq!(correction["@type"], "CorrectionComment", "{article}");
            assert!(correction["text"].as_str().unwrap().contains("wrong date"));
        }
        item(&data, "BreadcrumbList");
        let og = data["opengraph"][0]["properties"].as_array().unwrap();
        assert!(
            og.iter().any(|p| p[0] == "og:type" && p[1] == "article"),
            "{path}: og:type"
        );
    }
}
