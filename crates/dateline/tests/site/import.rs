//! Moving in from WordPress and Disqus with `dateline import`, beside a
//! running server whose pages stay cached for an hour unless purged: the
//! site shows the archive, its media and comments, and every old address
//! answers a permanent redirect.

use crate::media::picture;
use crate::{BINARY, get};
use dateline_testkit::{ServerOptions, TestServer};
use reqwest::StatusCode;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/import")
        .join(name)
}

fn cached_server() -> TestServer {
    TestServer::start_with(
        BINARY,
        ServerOptions {
            envs: vec![("DATELINE_PAGE_CACHE_SECONDS".into(), "3600".into())],
            ..ServerOptions::default()
        },
    )
}

/// Runs `dateline import ARGS…`; gives the outcome and both outputs.
fn import(server: &TestServer, args: &[&str]) -> (Output, String) {
    let output = server.command().arg("import").args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output, text)
}

/// Follows one permanent redirect; gives where it led.
async fn moved(server: &TestServer, old: &str) -> String {
    let (status, headers, _) = get(server, old).await;
    assert_eq!(status, StatusCode::MOVED_PERMANENTLY, "{old}");
    let location = headers["location"].to_str().unwrap().to_owned();
    location
        .strip_prefix(&server.url(""))
        .unwrap_or(&location)
        .to_owned()
}

/// Polls `path` until its page contains `text`, 10 s at most.
async fn until(server: &TestServer, path: &str, text: &str) {
    let started = Instant::now();
    loop {
        let (_, _, page) = get(server, path).await;
        if page.contains(text) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{path} never showed {text:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_wordpress_site_moves_in_with_its_media_comments_and_old_addresses() {
    let server = cached_server();
    let (_, _, home) = get(&server, "/").await;
    assert!(!home.contains("Port reopens to cargo ships"));
    let uploads = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(uploads.path().join("2026/12")).unwrap();
    std::fs::write(
        uploads.path().join("2026/12/port-cranes.jpg"),
        picture(1200, 800, image::ImageFormat::Jpeg),
    )
    .unwrap();
    let export = fixture("wxr-1.2-courier.xml");
    let (output, text) = import(
        &server,
        &[
            "wordpress",
            export.to_str().unwrap(),
            "--site",
            "courier-en",
            "--media-dir",
            uploads.path().to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{text}");
    assert!(text.contains("post: 8 created"), "{text}");
    assert!(
        text.contains("attachment: 1 listed, 1 reused, 1 stored"),
        "stored once, for the featured image and the body: {text}"
    );
    assert!(
        text.contains("nav_menu_item 140"),
        "skipped, with why: {text}"
    );

    // The old permalink, `?p=`, and the post's page with its picture and
    // threaded comments.
    let port = moved(&server, "/2026/12/port-reopens/").await;
    assert!(port.contains("-port-reopens"), "{port}");
    assert_eq!(moved(&server, "/?p=101").await, port);
    assert_eq!(moved(&server, "/?p=101&utm_source=x").await, port);
    let (status, _, _) = get(&server, "/?p=987654").await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "an unknown post is no home page"
    );
    let (status, _, page) = get(&server, &port).await;
    assert_eq!(status, 200);
    assert!(page.contains("Port reopens to cargo ships"));
    assert!(page.contains("/media/uploads/"), "the featured image leads");
    assert!(
        page.contains("comment-reply-to"),
        "replies say what they answer"
    );
    assert!(!page.contains("[gallery"), "shortcodes are gone");
    // Archives, feeds and the Arabic edition's own addresses.
    let harbour = moved(&server, "/2026/12/harbour-fees/").await;
    assert!(
        harbour.contains("-harbour-fees-explained"),
        "a former slug: {harbour}"
    );
    let (_, _, page) = get(&server, &harbour).await;
    assert!(
        page.contains("/media/uploads/") && !page.contains("wp-content/uploads"),
        "the body's picture comes from the library"
    );
    let section = moved(&server, "/category/news/port/").await;
    assert!(
        harbour.starts_with(&format!("{section}/")),
        "{section} {harbour}"
    );
    assert!(moved(&server, "/feed/").await.ends_with("/feed.xml"));
    let arabic = moved(
        &server,
        "/ar/2026/12/%d8%a7%d9%84%d9%85%d9%8a%d9%86%d8%a7%d8%a1-%d9%8a%d8%b9%d9%8a%d8%af-%d9%81%d8%aa%d8%ad-%d8%a3%d8%a8%d9%88%d8%a7%d8%a8%d9%87/",
    )
    .await;
    assert!(arabic.starts_with("/ar/"), "{arabic}");
    let (status, _, page) = get(&server, &arabic).await;
    assert_eq!(status, 200);
    assert!(page.contains("dir=\"rtl\""));

    // The running server shows it without a restart: lists, search,
    // sitemaps.
    until(&server, "/", "Port reopens to cargo ships").await;
    until(&server, "/search?q=cargo", "Port reopens").await;
    until(&server, "/sitemap-articles.xml", "-port-reopens").await;
    until(&server, &format!("{section}/feed.xml"), "Harbour fees").await;

    // Disqus comments join their articles.
    let export = fixture("disqus-courier.xml");
    let (output, text) = import(
        &server,
        &["disqus", export.to_str().unwrap(), "--site", "courier-en"],
    );
    assert!(output.status.success(), "{text}");
    assert!(text.contains("unmatched threads"), "{text}");
    assert!(text.contains("removed-story"), "{text}");
    let (output, again) = import(
        &server,
        &["disqus", export.to_str().unwrap(), "--site", "courier-en"],
    );
    assert!(output.status.success(), "{again}");
    assert!(
        !again.contains(" created"),
        "a second run changes nothing: {again}"
    );
}

#[tokio::test]
async fn exports_that_cannot_be_imported_get_a_clear_answer_and_nothing_is_written() {
    let server = cached_server();
    let export = fixture("wxr-1.2-courier.xml");
    let export = export.to_str().unwrap();
    let (output, text) = import(&server, &["wordpress", export, "--site", "nowhere"]);
    assert!(!output.status.success());
    assert!(
        text.contains("--site \"nowhere\"") && text.contains("courier-en"),
        "{text}"
    );
    let (output, text) = import(
        &server,
        &[
            "wordpress",
            export,
            "--site",
            "courier-en",
            "--media-dir",
            "/no/such/uploads",
        ],
    );
    assert!(!output.status.success());
    assert!(text.contains("/no/such/uploads"), "{text}");
    let laughs = fixture("wxr-billion-laughs.xml");
    let (output, text) = import(
        &server,
        &[
            "wordpress",
            laughs.to_str().unwrap(),
            "--site",
            "courier-en",
        ],
    );
    assert!(!output.status.success());
    assert!(
        text.contains("wxr-billion-laughs.xml") && text.contains("line"),
        "{text}"
    );
    let (status, _, _) = get(&server, "/2026/12/port-reopens/").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nothing was written");

    // A file cut short: what is whole comes in, the rest is reported.
    let cut = fixture("wxr-1.2-truncated.xml");
    let (output, text) = import(
        &server,
        &["wordpress", cut.to_str().unwrap(), "--site", "courier-en"],
    );
    assert!(!output.status.success(), "{text}");
    assert!(
        text.contains("stopped early") && text.contains("line"),
        "{text}"
    );
    let port = moved(&server, "/2026/12/port-reopens/").await;
    let (status, _, _) = get(&server, &port).await;
    assert_eq!(status, 200);
}

/// A WordPress export of `posts` posts with two comments each.
fn generated_export(posts: usize) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>The Gazette</title><link>https://gazette.example.net</link><language>en-GB</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://gazette.example.net</wp:base_site_url>
<wp:base_blog_url>https://gazette.example.net</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[sam]]></wp:author_login><wp:author_display_name><![CDATA[Sam Writer]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename><![CDATA[city]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[City]]></wp:cat_name></wp:category>
"#,
    );
    for n in 1..=posts {
        let id = 1000 + n;
        xml.push_str(&format!(
            r#"<item><title><![CDATA[Gazette story number {n}]]></title>
<link>https://gazette.example.net/2025/03/story-{n}/</link>
<dc:creator><![CDATA[sam]]></dc:creator>
<guid isPermaLink="false">https://gazette.example.net/?p={id}</guid>
<content:encoded><![CDATA[<!-- wp:paragraph --><p>The council met on day {n} and decided things about the harbour, the ferry and the market.</p><!-- /wp:paragraph -->]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>{id}</wp:post_id>
<wp:post_date><![CDATA[2025-03-01 10:00:00]]></wp:post_date>
<wp:post_date_gmt><![CDATA[2025-03-01 09:00:00]]></wp:post_date_gmt>
<wp:comment_status><![CDATA[open]]></wp:comment_status>
<wp:post_name><![CDATA[story-{n}]]></wp:post_name>
<wp:status><![CDATA[publish]]></wp:status>
<wp:post_parent>0</wp:post_parent>
<wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="city"><![CDATA[City]]></category>
<wp:comment><wp:comment_id>{c1}</wp:comment_id><wp:comment_author><![CDATA[Reader A]]></wp:comment_author><wp:comment_author_email><![CDATA[a@example.com]]></wp:comment_author_email><wp:comment_date_gmt><![CDATA[2025-03-02 09:00:00]]></wp:comment_date_gmt><wp:comment_content><![CDATA[First!]]></wp:comment_content><wp:comment_approved><![CDATA[1]]></wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>
<wp:comment><wp:comment_id>{c2}</wp:comment_id><wp:comment_author><![CDATA[Reader B]]></wp:comment_author><wp:comment_author_email><![CDATA[b@example.com]]></wp:comment_author_email><wp:comment_date_gmt><![CDATA[2025-03-02 10:00:00]]></wp:comment_date_gmt><wp:comment_content><![CDATA[A reply.]]></wp:comment_content><wp:comment_approved><![CDATA[1]]></wp:comment_approved><wp:comment_parent>{c1}</wp:comment_parent></wp:comment>
</item>
"#,
            c1 = 10 * id,
            c2 = 10 * id + 1,
        ));
    }
    xml.push_str("</channel>\n</rss>\n");
    xml
}

/// The end report's count for `kind` and `outcome` (`post: 600 created`).
fn counted(report: &str, kind: &str, outcome: &str) -> u64 {
    report
        .lines()
        .find_map(|line| line.trim().strip_prefix(&format!("{kind}: ")))
        .and_then(|counts| {
            counts
                .split(", ")
                .find_map(|c| c.strip_suffix(&format!(" {outcome}"))?.parse().ok())
        })
        .unwrap_or(0)
}

#[tokio::test]
async fn an_import_killed_midway_goes_on_where_it_stopped_to_the_same_result() {
    const POSTS: u64 = 1_500;
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("gazette.xml");
    std::fs::write(&export, generated_export(POSTS as usize)).unwrap();
    let export = export.to_str().unwrap();
    let args = ["import", "wordpress", export, "--site", "courier-en"];

    // Uninterrupted, on one server.
    let whole = cached_server();
    let (output, text) = import(&whole, &args[1..]);
    assert!(output.status.success(), "{text}");
    assert_eq!(counted(&text, "post", "created"), POSTS, "{text}");
    let comments = counted(&text, "comment", "created");
    assert_eq!(comments, 2 * POSTS, "{text}");

    // Killed (SIGKILL) part-way, on another, then started again.
    let server = cached_server();
    let mut child = server
        .command()
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut progress = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    progress.read_line(&mut first).unwrap();
    assert!(first.contains("items"), "progress: {first}");
    // Past the first saved offset (every 100 posts), well before the end.
    std::thread::sleep(Duration::from_millis(2_500));
    child.kill().unwrap();
    child.wait().unwrap();
    let (output, text) = import(&server, &args[1..]);
    assert!(output.status.success(), "{text}");
    assert!(text.contains("resumed at byte"), "{text}");
    let resumed = counted(&text, "post", "created") + counted(&text, "post", "unchanged");
    assert!(resumed < POSTS, "it went on from where it was: {text}");

    // The same result: every post and comment once.
    let (output, again) = import(&server, &args[1..]);
    assert!(output.status.success(), "{again}");
    assert_eq!(counted(&again, "post", "unchanged"), POSTS, "{again}");
    assert_eq!(counted(&again, "post", "created"), 0, "{again}");
    assert_eq!(counted(&again, "comment", "unchanged"), comments, "{again}");
    assert_eq!(counted(&again, "comment", "created"), 0, "{again}");
    until(&server, "/city", "Gazette story number").await;
}
