//! The page cache, purging, purge webhooks and the WebSub hub, seen from
//! outside: render counts from `/metrics`, a purge receiver and a WebSub
//! subscriber running inside the test process.

use crate::receiver::Receiver;
use crate::{BINARY, between, get};
use dateline_core::signature::signature_header;
use dateline_testkit::{
    ServerOptions, TestApp, TestServer, article_id, form, public_path, raw_client,
};
use reqwest::StatusCode;
use std::collections::BTreeSet;
use std::time::Duration;

/// A demo server with `envs` set, and its actors.
/// A server whose WebSub hub may call subscribers on this machine (the
/// tests' subscribers listen on loopback, which the hub otherwise refuses).
pub(crate) fn websub_app() -> TestApp {
    app_with(&[("DATELINE_WEBSUB_ALLOWED_HOSTS", r#"["127.0.0.1"]"#)])
}

pub(crate) fn app_with(envs: &[(&str, &str)]) -> TestApp {
    TestApp::start_with(
        BINARY,
        ServerOptions {
            envs: envs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..ServerOptions::default()
        },
    )
}

/// A counter of `/metrics`.
pub(crate) async fn metric(server: &TestServer, name: &str) -> u64 {
    let (status, _, body) = get(server, "/metrics").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body.lines()
        .find_map(|line| line.strip_prefix(&format!("{name} ")))
        .unwrap_or_else(|| panic!("{name} not in {body}"))
        .trim()
        .parse()
        .unwrap()
}

/// A thousand readers at once on a page just purged: one render. The
/// reader whose request renders waits for it and gets the corrected page;
/// the others, meanwhile, get the copy from before the change at once
/// (none waits behind the render), and everyone after it the new one.
#[tokio::test]
async fn a_thundering_herd_for_a_just_purged_article_renders_it_once() {
    // A long lifetime, so that only the purge can drop the page.
    let app = app_with(&[
        ("DATELINE_METRICS", "true"),
        ("DATELINE_PAGE_CACHE_SECONDS", "120"),
    ]);
    let editor = app.editor().await;
    let path = app.first_article_on("/", "").await;
    let (_, first_headers, before) = get(&app, &path).await;
    let (_, _, _) = get(&app, &path).await;
    assert!(metric(&app, "dateline_page_cache_hits_total").await >= 1);

    // A correction purges the article's page.
    let note = "An earlier version misspelt the minister's name.";
    let (status, _, body) = editor
        .post(
            &format!("/newsroom/articles/{}/corrections", article_id(&path)),
            &[("note", note)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let renders = metric(&app, "dateline_page_cache_renders_total").await;
    let stale = metric(&app, "dateline_page_cache_stale_total").await;

    let client = raw_client();
    let herd: Vec<_> = (0..1000)
        .map(|_| {
            let client = client.clone();
            let url = app.url(&path);
            tokio::spawn(async move {
                let response = client.get(url).send().await.unwrap();
                (response.status(), response.text().await.unwrap())
            })
        })
        .collect();
    let (mut older, mut corrected) = (0, 0);
    for request in herd {
        let (status, body) = request.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        if body == before {
            older += 1;
        } else {
            assert!(body.contains(note), "either page, nothing else");
            corrected += 1;
        }
    }
    assert!(corrected >= 1, "the reader who renders gets the correction");
    assert_eq!(
        metric(&app, "dateline_page_cache_renders_total").await - renders,
        1,
        "1,000 simultaneous requests, one render"
    );
    assert_eq!(
        metric(&app, "dateline_page_cache_stale_total").await - stale,
        older,
        "the copy from before went only to readers who came during the render"
    );
    // The page readers get now is the corrected one, with a new entity tag.
    let (_, headers, page) = get(&app, &path).await;
    assert!(page.contains(note));
    assert_ne!(headers["etag"], first_headers["etag"]);
}

#[tokio::test]
async fn the_cache_serves_every_encoding_and_validator_from_one_entry() {
    let app = app_with(&[
        ("DATELINE_METRICS", "true"),
        ("DATELINE_PAGE_CACHE_SECONDS", "120"),
    ]);
    let path = app.first_article_on("/", "").await;
    let (_, plain, body) = crate::get_with(&app, &path, &[]).await;
    let renders = metric(&app, "dateline_page_cache_renders_total").await;
    let (_, br, _) = crate::get_with(&app, &path, &[("accept-encoding", "br")]).await;
    let (_, gz, _) = crate::get_with(&app, &path, &[("accept-encoding", "gzip")]).await;
    assert_eq!(br["content-encoding"], "br");
    assert_eq!(gz["content-encoding"], "gzip");
    assert!(plain.get("content-encoding").is_none());
    assert!(body.contains("</html>"));
    let etag = plain["etag"].to_str().unwrap().to_owned();
    let (status, _, _) = crate::get_with(&app, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(
        metric(&app, "dateline_page_cache_renders_total").await,
        renders,
        "no new render"
    );
    // Another of the site's host names is another page (absolute links
    // follow it; a host the network does not know gets no page at all).
    let port = app.base.rsplit(':').next().unwrap().to_owned();
    let other_host = format!("courier.localhost:{port}");
    let (_, _, other) = crate::get_with(&app, &path, &[("host", &other_host)]).await;
    assert!(other.contains(&format!("http://{other_host}/")));
    assert!(!body.contains(&format!("http://{other_host}/")));
}

#[tokio::test]
async fn hits_are_answered_with_every_header_a_rendered_page_has() {
    let app = app_with(&[
        ("DATELINE_METRICS", "true"),
        ("DATELINE_PAGE_CACHE_SECONDS", "120"),
    ]);
    let path = app.first_article_on("/", "").await;
    let (_, rendered, body) = get(&app, &path).await;
    let hits = metric(&app, "dateline_page_cache_hits_total").await;
    let (status, hit, cached) = get(&app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cached, body);
    assert_eq!(
        metric(&app, "dateline_page_cache_hits_total").await,
        hits + 1
    );
    for name in [
        "content-security-policy",
        "x-content-type-options",
        "referrer-policy",
        "x-frame-options",
        "cache-control",
        "surrogate-key",
        "etag",
        "last-modified",
        "vary",
        "content-type",
    ] {
        assert_eq!(hit.get(name), rendered.get(name), "{name}");
    }
    // Each answer has its own request id.
    assert_ne!(hit["x-request-id"], rendered["x-request-id"]);

    // A 304 from the cache keeps the security headers.
    let etag = hit["etag"].to_str().unwrap().to_owned();
    let (status, not_modified, _) = crate::get_with(&app, &path, &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(not_modified.contains_key("content-security-policy"));
    assert!(not_modified.contains_key("x-request-id"));
    assert_eq!(not_modified["etag"], etag.as_str());

    // HEAD is answered from the entry, without a body.
    let response = raw_client().head(app.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["etag"], etag.as_str());
    assert!(response.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn uncached_paths_stay_uncached_behind_an_edition_prefix() {
    let app = app_with(&[
        ("DATELINE_METRICS", "true"),
        ("DATELINE_PAGE_CACHE_SECONDS", "120"),
    ]);
    // Static files are public and cacheable, but stream from their own
    // store: never looked up, with or without the edition's prefix.
    let (_, _, home) = get(&app, "/").await;
    let css = between(&home, "<link rel=\"stylesheet\" href=\"", "\"").to_owned();
    for path in [css.clone(), format!("/ar{css}")] {
        for _ in 0..2 {
            let (status, _, _) = get(&app, &path).await;
            assert_eq!(status, StatusCode::OK, "{path}");
        }
    }
    // Proof-of-work challenges are fresh for each request.
    let (_, _, first) = get(&app, "/ar/comments/challenge").await;
    let (_, _, second) = get(&app, "/ar/comments/challenge").await;
    assert_ne!(first, second);
    assert_eq!(metric(&app, "dateline_page_cache_hits_total").await, 0);
    // While a section page of the Arabic edition is cached like any page.
    let (_, _, home) = get(&app, "/ar/").await;
    let section = home
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with("/ar/") && href.matches('/').count() == 2)
        .unwrap()
        .to_owned();
    get(&app, &section).await;
    get(&app, &section).await;
    assert_eq!(metric(&app, "dateline_page_cache_hits_total").await, 1);
}

#[tokio::test]
async fn with_the_page_cache_off_every_request_renders() {
    let app = app_with(&[
        ("DATELINE_METRICS", "true"),
        ("DATELINE_PAGE_CACHE", "false"),
    ]);
    for _ in 0..3 {
        let (status, _, _) = get(&app, "/").await;
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(metric(&app, "dateline_page_cache_hits_total").await, 0);
    assert_eq!(metric(&app, "dateline_page_cache_renders_total").await, 0);
    // Without the setting, there are no metrics at all.
    let plain = crate::server();
    let (status, _, _) = get(&plain, "/metrics").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn publishing_sends_the_exact_keys_to_the_purge_webhook() {
    // The first call fails: the webhook is retried.
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let hook = Receiver::start(move |_| {
        if calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            (503, "busy".into())
        } else {
            (200, "ok".into())
        }
    })
    .await;
    let hooks = format!("[\"{}\"]", hook.url("/purge"));
    let app = app_with(&[
        ("DATELINE_PURGE_WEBHOOKS", &hooks),
        ("DATELINE_PURGE_WEBHOOK_SECRET", "s3cret"),
    ]);
    let editor = app.editor().await;
    let (_, _, form) = editor.get("/newsroom/articles/new").await;
    let author = between(
        between(&form, r#"<select id="authors""#, "</select>"),
        r#"<option value=""#,
        "\"",
    )
    .to_owned();
    let id = editor
        .write_article(
            "Harbour cranes return to Beirut port",
            "publish",
            &[("tags", "Ports, Reconstruction"), ("authors", &author)],
        )
        .await;
    let path = public_path(&app, id, "x").await.unwrap();

    // What the article page says it shows is what the purge names.
    let (_, headers, _) = get(&app, &path).await;
    let page_keys: BTreeSet<String> = headers["surrogate-key"]
        .to_str()
        .unwrap()
        .split(' ')
        .map(str::to_owned)
        .collect();
    let (_, feed_headers, _) = get(&app, "/feed.xml").await;
    let feed_key = feed_headers["surrogate-key"]
        .to_str()
        .unwrap()
        .split(' ')
        .find(|k| k.starts_with("feed-"))
        .unwrap()
        .to_owned();
    let mut expected: BTreeSet<String> = page_keys
        .into_iter()
        .filter(|k| !k.starts_with("site-"))
        .collect();
    expected.insert(feed_key);
    for kind in ["article-", "latest-", "section-", "tag-", "author-"] {
        assert!(
            expected.iter().any(|k| k.starts_with(kind)),
            "{kind} in {expected:?}"
        );
    }
    assert_eq!(expected.iter().filter(|k| k.starts_with("tag-")).count(), 2);

    let call = hook
        .wait_for(|r| {
            r.method == "POST"
                && String::from_utf8_lossy(&r.body).contains(&format!("\"article-{id}\""))
        })
        .await;
    let json: serde_json::Value = serde_json::from_slice(&call.body).unwrap();
    let sent: BTreeSet<String> = json["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sent, expected);
    assert_eq!(json["site"], "courier-en");
    let urls: Vec<&str> = json["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap())
        .collect();
    assert!(urls.contains(&path.as_str()), "{urls:?}");
    assert!(urls.contains(&"/feed.xml"), "{urls:?}");
    assert_eq!(call.header("content-type"), Some("application/json"));
    assert_eq!(
        call.header("x-dateline-signature").unwrap(),
        signature_header(b"s3cret", &call.body)
    );
    // The first call was refused (503): it is tried again, unchanged.
    let first_body = call.body.clone();
    let retry = hook
        .wait_for(|r| {
            r.method == "POST" && r.body == first_body && hook_calls(&hook, &first_body) >= 2
        })
        .await;
    assert_eq!(
        retry.header("x-dateline-signature"),
        call.header("x-dateline-signature")
    );
}

fn hook_calls(hook: &Receiver, body: &[u8]) -> usize {
    hook.received().iter().filter(|r| r.body == body).count()
}

#[tokio::test]
async fn a_draft_purges_nothing() {
    let hook = Receiver::start(|_| (200, "ok".into())).await;
    let hooks = format!("[\"{}\"]", hook.url("/purge"));
    let app = app_with(&[("DATELINE_PURGE_WEBHOOKS", &hooks)]);
    let editor = app.editor().await;
    let draft = editor.write_draft("A draft nobody sees").await;
    let id = editor.publish_article("Published for the record").await;
    hook.wait_for(|r| String::from_utf8_lossy(&r.body).contains(&format!("\"article-{id}\"")))
        .await;
    assert!(
        !hook
            .received()
            .iter()
            .any(|r| String::from_utf8_lossy(&r.body).contains(&format!("\"article-{draft}\""))),
        "drafts change nothing readers see"
    );
}

#[tokio::test]
async fn a_subscriber_subscribes_confirms_and_receives_the_feed_on_publish() {
    let subscriber = Receiver::start(|r| match r.param("hub.challenge") {
        Some(challenge) if r.method == "GET" => (200, challenge),
        _ => (204, String::new()),
    })
    .await;
    let app = websub_app();
    let topic = app.url("/feed.xml");
    let (_, headers, feed) = get(&app, "/feed.xml").await;
    let hub = app.url("/websub");
    assert!(
        feed.contains(&format!(r#"<atom:link href="{hub}" rel="hub"/>"#)),
        "{feed}"
    );
    let link = headers["link"].to_str().unwrap();
    assert!(
        link.contains(&format!("<{hub}>; rel=\"hub\"")) && link.contains("rel=\"self\""),
        "{link}"
    );
    let (_, _, atom) = get(&app, "/politics/atom.xml").await;
    assert!(atom.contains(&format!(r#"<link rel="hub" href="{hub}"/>"#)));
    let (_, _, json) = get(&app, "/feed.json").await;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["hubs"][0]["type"], "WebSub");
    assert_eq!(json["hubs"][0]["url"], hub.as_str());

    let callback = subscriber.url("/inbox?reader=7");
    let subscribe = |pairs: Vec<(&'static str, String)>| {
        let server_hub = hub.clone();
        async move {
            let body = form(
                &pairs
                    .iter()
                    .map(|(k, v)| (*k, v.as_str()))
                    .collect::<Vec<_>>(),
            );
            let response = raw_client()
                .post(server_hub)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap();
            let status = response.status();
            (status, response.text().await.unwrap())
        }
    };
    // Bad requests are refused with a reason, never a server error.
    for (pairs, reason) in [
        (
            vec![
                ("hub.topic", topic.clone()),
                ("hub.callback", callback.clone()),
            ],
            "hub.mode is required",
        ),
        (
            vec![
                ("hub.mode", "subscribe".into()),
                ("hub.topic", app.url("/politics")),
                ("hub.callback", callback.clone()),
            ],
            "one of this site's feeds",
        ),
        (
            vec![
                ("hub.mode", "subscribe".into()),
                ("hub.topic", topic.clone()),
                ("hub.callback", "file:///etc/passwd".into()),
            ],
            "hub.callback must be an absolute http or https URL",
        ),
        (
            vec![
                ("hub.mode", "subscribe".into()),
                ("hub.topic", app.url("/ar/feed.xml")),
                ("hub.callback", callback.clone()),
            ],
            "one of this site's feeds",
        ),
        (
            vec![
                ("hub.mode", "watch".into()),
                ("hub.topic", topic.clone()),
                ("hub.callback", callback.clone()),
            ],
            "hub.mode must be subscribe or unsubscribe",
        ),
    ] {
        let (status, body) = subscribe(pairs).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert!(body.contains(reason), "{body}");
    }
    let not_a_form = raw_client().post(&hub).body("{}").send().await.unwrap();
    assert_eq!(not_a_form.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let (status, _) = subscribe(vec![
        ("hub.mode", "subscribe".into()),
        ("hub.topic", topic.clone()),
        ("hub.callback", callback.clone()),
        ("hub.lease_seconds", "3600".into()),
        ("hub.secret", "tomato".into()),
    ])
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let verification = subscriber.wait_for(|r| r.method == "GET").await;
    assert_eq!(verification.param("hub.mode").as_deref(), Some("subscribe"));
    assert_eq!(verification.param("hub.topic"), Some(topic.clone()));
    assert_eq!(
        verification.param("hub.lease_seconds").as_deref(),
        Some("3600")
    );
    assert_eq!(
        verification.param("reader").as_deref(),
        Some("7"),
        "the callback's own query is kept"
    );
    // The subscription is stored once the answer is read.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let editor = app.editor().await;
    let headline = "Tripoli refinery reopens after a decade";
    editor.publish_article(headline).await;
    let delivery = subscriber
        .wait_for(|r| r.method == "POST" && String::from_utf8_lossy(&r.body).contains(headline))
        .await;
    assert!(
        delivery
            .header("content-type")
            .unwrap()
            .starts_with("application/rss+xml")
    );
    let link = delivery.header("link").unwrap();
    assert!(link.contains(&format!("<{hub}>; rel=\"hub\"")), "{link}");
    assert!(link.contains(&format!("<{topic}>; rel=\"self\"")), "{link}");
    assert_eq!(
        delivery.header("x-hub-signature").unwrap(),
        signature_header(b"tomato", &delivery.body)
    );

    // Unsubscribing is verified the same way.
    let (status, _) = subscribe(vec![
        ("hub.mode", "unsubscribe".into()),
        ("hub.topic", topic.clone()),
        ("hub.callback", callback.clone()),
    ])
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    subscriber
        .wait_for(|r| r.method == "GET" && r.param("hub.mode").as_deref() == Some("unsubscribe"))
        .await;
}

#[tokio::test]
async fn the_feed_setting_chooses_full_text_or_summary() {
    let app = crate::app();
    let (_, _, rss) = get(&app, "/feed.xml").await;
    assert!(rss.contains("<content:encoded>"));
    let admin = app.admin_a().await;
    let (_, _, page) = admin.get("/newsroom/settings").await;
    assert!(
        page.contains(r#"<option value="full" selected>"#),
        "the form shows the setting"
    );
    let mut fields: Vec<(String, String)> = Vec::new();
    for (name, _) in SETTINGS_FIELDS {
        let value = if name == "feed_content" {
            "summary".to_owned()
        } else {
            field_value(&page, name)
        };
        fields.push((name.to_owned(), value));
    }
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _, body) = admin.post("/newsroom/settings", &pairs).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, _, rss) = get(&app, "/feed.xml").await;
    assert!(
        !rss.contains("<content:encoded>"),
        "the cached feed was purged"
    );
    assert!(rss.contains("<description>"));
    let (_, _, atom) = get(&app, "/atom.xml").await;
    assert!(!atom.contains("<content type=\"html\">"));
    let (_, _, json) = get(&app, "/feed.json").await;
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(json["items"][0]["content_html"].is_null());
    assert!(json["items"][0]["content_text"].is_string());
    // The Arabic edition keeps its own setting.
    let (_, _, arabic) = get(&app, "/ar/feed.xml").await;
    assert!(arabic.contains("<content:encoded>"));
}

/// Fields of the settings form, with how their value is shown.
pub(crate) const SETTINGS_FIELDS: [(&str, &str); 20] = [
    ("name", "input"),
    ("description", "textarea"),
    ("logo_media", "select"),
    ("time_zone", "input"),
    ("date_format_list", "input"),
    ("date_format_published", "input"),
    ("date_format_updated", "input"),
    ("social_facebook", "input"),
    ("social_twitter", "input"),
    ("social_youtube", "input"),
    ("footer_publisher", "input"),
    ("footer_copyright", "input"),
    ("footer_address", "input"),
    ("terms_of_use", "textarea"),
    ("feed_content", "select"),
    ("comment_mode", "select"),
    ("comment_max_chars", "input"),
    ("comment_close_days", "input"),
    ("security_mode", "select"),
    ("banned_terms", "textarea"),
];

/// The current value of a field of a form page (input, textarea or select).
pub(crate) fn field_value(page: &str, name: &str) -> String {
    let unescape = |s: &str| {
        s.replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#x27;", "'")
            .replace("&#x2f;", "/")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
    };
    if let Some(at) = page.find(&format!(r#"<textarea id="{name}""#)) {
        let rest = &page[at..];
        let start = rest.find('>').unwrap() + 1;
        let end = rest.find("</textarea>").unwrap();
        return unescape(&rest[start..end]);
    }
    if let Some(at) = page.find(&format!(r#"<select id="{name}""#)) {
        let select = &page[at..at + page[at..].find("</select>").unwrap()];
        return select
            .split("<option ")
            .find(|o| o.contains(" selected"))
            .map(|o| unescape(between(o, "value=\"", "\"")))
            .unwrap_or_default();
    }
    let at = page
        .find(&format!(r#"id="{name}""#))
        .unwrap_or_else(|| panic!("{name} not in the form"));
    let tag_start = page[..at].rfind('<').unwrap();
    let tag = &page[tag_start..tag_start + page[tag_start..].find('>').unwrap()];
    tag.split(" value=\"")
        .nth(1)
        .map(|v| unescape(&v[..v.find('"').unwrap()]))
        .unwrap_or_default()
}

/// A subscriber in its own process (`scripts/websub_subscriber.py`): what
/// it logged, one JSON value per line.
struct SubscriberProcess {
    child: std::process::Child,
    port: u16,
    log: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl SubscriberProcess {
    fn start(topic: &str, secret: &str) -> SubscriberProcess {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("events.jsonl");
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/websub_subscriber.py"
        );
        let mut child = std::process::Command::new("python3")
            .arg(script)
            .arg(&log)
            .arg(topic)
            .arg(secret)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs the subscriber");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .trim_start_matches("listening on ")
            .parse()
            .unwrap();
        SubscriberProcess {
            child,
            port,
            log,
            _dir: dir,
        }
    }

    fn events(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Waits (ten seconds at most) for an event matching `wanted`.
    async fn wait_for(&self, wanted: impl Fn(&serde_json::Value) -> bool) -> serde_json::Value {
        for _ in 0..100 {
            if let Some(event) = self.events().into_iter().find(|e| wanted(e)) {
                return event;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the subscriber saw no such event: {:?}", self.events());
    }
}

impl Drop for SubscriberProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn a_subscriber_process_verifies_its_subscription_and_receives_signed_content() {
    let app = websub_app();
    let topic = app.url("/feed.xml");
    let subscriber = SubscriberProcess::start(&topic, "a shared secret");
    let callback = format!("http://127.0.0.1:{}/inbox", subscriber.port);
    let response = raw_client()
        .post(app.url("/websub"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("hub.mode", "subscribe"),
            ("hub.topic", &topic),
            ("hub.callback", &callback),
            ("hub.lease_seconds", "86400"),
            ("hub.secret", "a shared secret"),
        ]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let verified = subscriber.wait_for(|e| e["event"] == "verified").await;
    assert_eq!(verified["mode"], "subscribe");

    let editor = app.editor().await;
    editor
        .publish_article("Ferry strike ends after three days")
        .await;
    let delivered = subscriber
        .wait_for(|e| {
            e["event"] == "content"
                && e["body"]
                    .as_str()
                    .is_some_and(|b| b.contains("Ferry strike ends after three days"))
        })
        .await;
    assert_eq!(
        delivered["signature_ok"], true,
        "the HMAC matches the secret"
    );
    let link = delivered["link"].as_str().unwrap();
    assert!(
        link.contains(r#"rel="hub""#) && link.contains(&format!("<{topic}>; rel=\"self\"")),
        "{link}"
    );
    assert!(delivered["content_type"].as_str().unwrap().contains("xml"));
}
