//! Feeds, checked with feedparser (what feed readers use) for RSS and Atom
//! and against the JSON Feed 1.1 specification's required members.

use crate::{between, get, server};
use serde_json::Value;

/// Parses a feed URL with `scripts/feedcheck.py` (Python feedparser).
fn feedparser(url: &str) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/feedcheck.py");
    let out = std::process::Command::new("python3")
        .arg(script)
        .arg(url)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "feedcheck failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn rss_and_atom_feeds_of_every_list_parse_cleanly_with_stable_ids() {
    let server = server();
    for (path, version) in [
        ("/feed.xml", "rss20"),
        ("/atom.xml", "atom10"),
        ("/politics/feed.xml", "rss20"),
        ("/politics/atom.xml", "atom10"),
        ("/author/rana-haddad/atom.xml", "atom10"),
        ("/ar/feed.xml", "rss20"),
        ("/ar/atom.xml", "atom10"),
    ] {
        let feed = feedparser(&server.url(path));
        assert_eq!(feed["version"], version, "{path}: {feed}");
        assert_eq!(feed["bozo"], false, "{path}: {}", feed["bozo_exception"]);
        assert_eq!(feed["self"], server.url(path).as_str(), "{path}");
        let entries = feed["entries"].as_array().unwrap();
        assert!(!entries.is_empty(), "{path}");
        for entry in entries {
            assert!(
                entry["id"].as_str().unwrap().starts_with("urn:dateline:"),
                "{path}: {entry}"
            );
            assert_eq!(entry["has_content"], true, "{path}: full text expected");
            assert!(entry["published"].is_string());
            assert_eq!(
                entry["enclosures"].as_array().unwrap().len(),
                1,
                "{path}: lead image"
            );
        }
    }
    // The same article has the same id in every format and list.
    let rss = feedparser(&server.url("/feed.xml"));
    let atom = feedparser(&server.url("/atom.xml"));
    assert_eq!(rss["entries"][0]["id"], atom["entries"][0]["id"]);
    let tag_feed = feedparser(&server.url("/politics/atom.xml"));
    let first_politics = &tag_feed["entries"][0];
    assert!(
        rss["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == first_politics["id"])
    );
}

#[tokio::test]
async fn json_feeds_follow_json_feed_1_1() {
    let server = server();
    for path in ["/feed.json", "/politics/feed.json", "/ar/feed.json"] {
        let (status, headers, body) = get(&server, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/feed+json")
        );
        let feed: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
        assert!(feed["title"].is_string());
        assert_eq!(feed["feed_url"], server.url(path).as_str());
        for item in feed["items"].as_array().unwrap() {
            assert!(item["id"].as_str().unwrap().starts_with("urn:dateline:"));
            assert!(item["content_html"].as_str().unwrap().contains("<p>"));
            assert!(item["date_published"].as_str().unwrap().ends_with('Z'));
            assert!(item["attachments"][0]["mime_type"].is_string());
        }
    }
}

#[tokio::test]
async fn pages_advertise_their_feeds() {
    let server = server();
    let (_, _, home) = get(&server, "/").await;
    for media_type in [
        "application/rss+xml",
        "application/atom+xml",
        "application/feed+json",
    ] {
        assert!(
            home.contains(&format!(r#"<link rel="alternate" type="{media_type}""#)),
            "{media_type}"
        );
    }
    let (_, _, section) = get(&server, "/politics").await;
    assert!(section.contains(r#"href="/politics/atom.xml""#));
    let (_, _, unknown) = get(&server, "/no-such-section/feed.xml").await;
    assert!(between(&unknown, "<title>", "</title>").contains("Page not found"));
}
