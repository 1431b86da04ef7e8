//! The content API from outside, as programs use it: reading the demo's
//! published articles with filters and pages, both editions, JSON errors,
//! tokens made on the command line, writing through the newsroom's
//! workflow, and the OpenAPI document checked against real responses by
//! an independent JSON Schema validator (`scripts/apicheck.py`).

use crate::get;
use dateline_testkit::{TestServer, raw_client};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::process::Command;

/// What the API answered.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map_or("", |v| v.to_str().unwrap_or(""))
    }

    /// Every value of a header, joined (`Vary` comes in several lines).
    fn all(&self, name: &str) -> String {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap())
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

/// A request with an optional token, body and content type.
async fn call(
    server: &TestServer,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<(&str, String)>,
    headers: &[(&str, &str)],
) -> Reply {
    let mut request = raw_client().request(method.clone(), server.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some((content_type, body)) = body {
        request = request.header("content-type", content_type).body(body);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"))
    };
    assert!(
        text.is_empty() || headers["content-type"] == "application/json",
        "{method} {path}: {:?}",
        headers.get("content-type")
    );
    Reply {
        status,
        headers,
        body,
    }
}

pub(crate) async fn read(server: &TestServer, path: &str) -> Reply {
    call(server, Method::GET, path, None, None, &[]).await
}

async fn read_as(server: &TestServer, token: &str, path: &str) -> Reply {
    call(server, Method::GET, path, Some(token), None, &[]).await
}

pub(crate) async fn send(
    server: &TestServer,
    method: Method,
    path: &str,
    token: &str,
    body: Value,
) -> Reply {
    let body = Some(("application/json", body.to_string()));
    call(server, method, path, Some(token), body, &[]).await
}

/// Runs `dateline token <command> --email … --name …` on the server's data.
fn token_command(
    server: &TestServer,
    command: &str,
    email: &str,
    name: &str,
) -> std::process::Output {
    server
        .command()
        .args(["token", command, "--email", email, "--name", name])
        .output()
        .unwrap()
}

/// The path of an absolute URL of the test server.
pub(crate) fn path_of<'a>(server: &TestServer, url: &'a str) -> &'a str {
    url.strip_prefix(&server.base)
        .unwrap_or_else(|| panic!("{url} is not on {}", server.base))
}

fn ids(list: &Reply) -> Vec<i64> {
    list.body["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect()
}

fn total(list: &Reply) -> i64 {
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.body["total"].as_i64().unwrap()
}

/// All published articles of the English demo site, newest first.
async fn everything(server: &TestServer) -> Vec<Value> {
    let list = read(server, "/api/v1/articles?per_page=100").await;
    list.body["articles"].as_array().unwrap().clone()
}

const DEMO_ARTICLES: i64 = 47;

#[tokio::test]
async fn the_article_list_pages_through_every_published_article_newest_first() {
    let app = crate::app();
    let first = read(&app, "/api/v1/articles").await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(total(&first), DEMO_ARTICLES);
    assert_eq!(
        (first.body["page"].as_i64(), first.body["per_page"].as_i64()),
        (Some(1), Some(20))
    );
    assert_eq!(ids(&first).len(), 20);

    // Walking the pages gives every article once, newest first.
    let mut seen = Vec::new();
    let mut times = Vec::new();
    for page in 1..=3 {
        let list = read(&app, &format!("/api/v1/articles?page={page}&per_page=20")).await;
        for article in list.body["articles"].as_array().unwrap() {
            seen.push(article["id"].as_i64().unwrap());
            times.push(article["published_at"].as_str().unwrap().to_owned());
        }
    }
    assert_eq!(seen.len() as i64, DEMO_ARTICLES);
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no article twice");
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );

    // per_page is capped; a page past the end is empty, not an error.
    let capped = read(&app, "/api/v1/articles?per_page=500").await;
    assert_eq!(capped.body["per_page"], 100);
    assert_eq!(ids(&capped).len() as i64, DEMO_ARTICLES);
    let past = read(&app, "/api/v1/articles?page=4").await;
    assert_eq!(past.status, StatusCode::OK);
    assert_eq!(ids(&past), Vec::<i64>::new());
    assert_eq!(total(&past), DEMO_ARTICLES);
    let zero = read(&app, "/api/v1/articles?page=0&per_page=5").await;
    assert_eq!(zero.body["page"], 1);
    assert_eq!(ids(&zero), ids(&first)[..5]);

    // A summary links the canonical page of the article.
    let top = &first.body["articles"][0];
    let url = top["url"].as_str().unwrap();
    let (status, _, page) = get(&app, path_of(&app, url)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!(r#"<link rel="canonical" href="{url}">"#)),
        "{url}"
    );
    assert!(
        top["lead_image"]["url"]
            .as_str()
            .unwrap()
            .starts_with(&app.base)
    );

    // Cached like a list page, tagged for purges, readable from anywhere.
    assert!(
        first
            .header("cache-control")
            .starts_with("public, max-age=30")
    );
    let keys = first.header("surrogate-key");
    assert!(
        keys.contains("site-1") && keys.contains("latest-1"),
        "{keys}"
    );
    assert_eq!(first.header("access-control-allow-origin"), "*");
    let etag = first.header("etag").to_owned();
    let again = call(
        &app,
        Method::GET,
        "/api/v1/articles",
        None,
        None,
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn filters_by_section_tag_author_and_time_combine_and_agree_with_the_counts() {
    let app = crate::app();
    let all = everything(&app).await;

    // Sections split the site: their totals add up.
    let sections = read(&app, "/api/v1/sections").await;
    let mut sum = 0;
    for section in sections.body["sections"].as_array().unwrap() {
        let slug = section["slug"].as_str().unwrap();
        let list = read(
            &app,
            &format!("/api/v1/articles?section={slug}&per_page=100"),
        )
        .await;
        let expected = all.iter().filter(|a| a["section"]["slug"] == slug).count();
        assert_eq!(total(&list), expected as i64, "{slug}");
        sum += total(&list);
    }
    assert_eq!(sum, DEMO_ARTICLES);
    let politics = read(&app, "/api/v1/articles?section=politics").await;
    assert!(politics.header("surrogate-key").contains("section-1"));
    assert!(!politics.header("surrogate-key").contains("latest-1"));

    // A tag's count in /tags is the total of its list, and every article
    // listed carries it.
    let tags = read(&app, "/api/v1/tags?per_page=100").await;
    let tag = tags.body["tags"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|t| t["article_count"].as_i64())
        .unwrap()
        .clone();
    let slug = tag["slug"].as_str().unwrap();
    let tagged = read(&app, &format!("/api/v1/articles?tag={slug}")).await;
    assert_eq!(total(&tagged), tag["article_count"].as_i64().unwrap());
    assert!(total(&tagged) > 1);
    for id in ids(&tagged) {
        let article = read(&app, &format!("/api/v1/articles/{id}")).await;
        assert!(
            article.body["tags"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["slug"] == slug)
        );
    }

    // An author's list holds their articles only.
    let by_rana = read(&app, "/api/v1/articles?author=rana-haddad").await;
    assert!(total(&by_rana) > 0);
    for id in ids(&by_rana) {
        let article = read(&app, &format!("/api/v1/articles/{id}")).await;
        let authors = article.body["authors"].as_array().unwrap();
        assert!(authors.iter().any(|a| a["slug"] == "rana-haddad"), "{id}");
    }

    // Time bounds are inclusive; a date is a whole day in UTC.
    let before = read(&app, "/api/v1/articles?until=2019-12-31&per_page=100").await;
    let after = read(&app, "/api/v1/articles?from=2020-01-01&per_page=100").await;
    assert!(total(&before) > 0 && total(&after) > 0);
    assert_eq!(total(&before) + total(&after), DEMO_ARTICLES);
    for article in before.body["articles"].as_array().unwrap() {
        assert!(
            article["published_at"].as_str().unwrap() < "2020-01-01",
            "{article}"
        );
    }
    let at = all[5]["published_at"].as_str().unwrap();
    let exact = read(&app, &format!("/api/v1/articles?from={at}&until={at}")).await;
    assert!(
        ids(&exact).contains(&all[5]["id"].as_i64().unwrap()),
        "{at}"
    );
    // An offset's `+` sent unencoded arrives as a space, and still works.
    let local = at.replace('Z', "+00:00");
    let plus = read(
        &app,
        &format!("/api/v1/articles?from={local}&until={local}"),
    )
    .await;
    assert_eq!(ids(&plus), ids(&exact));

    // Filters combine.
    let both = read(
        &app,
        "/api/v1/articles?section=politics&until=2019-12-31&per_page=100",
    )
    .await;
    let expected = before.body["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["section"]["slug"] == "politics")
        .count();
    assert_eq!(total(&both), expected as i64);
    let nothing = read(&app, "/api/v1/articles?from=2020-01-01&until=2019-12-31").await;
    assert_eq!(total(&nothing), 0);
}

#[tokio::test]
async fn one_article_carries_its_body_tags_authors_image_and_translation() {
    let app = crate::app();
    let all = everything(&app).await;
    let listed = all
        .iter()
        .find(|a| {
            a["headline"] == "Regional water-sharing talks resume in Amman after two-year pause"
        })
        .unwrap();
    let id = listed["id"].as_i64().unwrap();
    let one = read(&app, &format!("/api/v1/articles/{id}")).await;
    assert_eq!(one.status, StatusCode::OK);
    let a = &one.body;
    for field in [
        "id",
        "url",
        "headline",
        "standfirst",
        "section",
        "published_at",
        "updated_at",
        "lead_image",
    ] {
        assert_eq!(a[field], listed[field], "{field} as in the list");
    }
    assert!(a["body_html"].as_str().unwrap().starts_with("<p>"));
    assert_eq!(a["dateline_place"], "Amman");
    assert_eq!(a["source_credit"], "LPA");
    assert_eq!(
        a["slug"],
        "regional-water-sharing-talks-resume-in-amman-after-two-year-pause"
    );
    assert!(
        a["tags"]
            .as_array()
            .unwrap()
            .contains(&json!({"slug": "water", "name": "water"}))
    );
    assert_eq!(a["corrections"], json!([]));
    assert!(
        a.get("state").is_none() && a.get("version").is_none(),
        "readers see no workflow"
    );

    // The image and the translation are real pages.
    let (status, _, _) = get(
        &app,
        path_of(&app, a["lead_image"]["url"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let translations = a["translations"].as_array().unwrap();
    assert_eq!(translations.len(), 1);
    assert_eq!(translations[0]["lang"], "ar");
    let arabic_url = translations[0]["url"].as_str().unwrap();
    assert!(
        arabic_url.starts_with(&format!("{}/ar/", app.base)),
        "{arabic_url}"
    );
    let (status, _, _) = get(&app, path_of(&app, arabic_url)).await;
    assert_eq!(status, StatusCode::OK);

    assert!(
        one.header("cache-control")
            .starts_with("public, max-age=60")
    );
    assert!(
        one.header("surrogate-key")
            .contains(&format!("article-{id}"))
    );
    assert!(
        one.all("vary").contains("authorization"),
        "{}",
        one.all("vary")
    );
    assert_eq!(one.header("access-control-allow-origin"), "*");
}

#[tokio::test]
async fn the_arabic_edition_answers_under_its_prefix_and_links_translations_made_through_the_api() {
    let app = crate::app();
    let list = read(&app, "/ar/api/v1/articles?per_page=100").await;
    assert_eq!(total(&list), DEMO_ARTICLES);
    let first = &list.body["articles"][0];
    assert!(
        first["url"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{}/ar/", app.base))
    );
    let sections = read(&app, "/ar/api/v1/sections").await;
    let politics = &sections.body["sections"][0];
    assert_eq!(politics["name"], "سياسة");
    assert_eq!(politics["url"], format!("{}/ar/politics", app.base));
    let ar_politics = read(&app, "/ar/api/v1/articles?section=politics").await;
    assert_eq!(ar_politics.body["articles"][0]["section"]["name"], "سياسة");
    let document = read(&app, "/ar/api/v1/openapi.json").await;
    assert_eq!(document.body["servers"][0]["url"], "/ar/api/v1");

    // Each edition answers for its own articles only.
    let english = everything(&app).await;
    let english_id = english[0]["id"].as_i64().unwrap();
    let arabic_id = first["id"].as_i64().unwrap();
    assert_eq!(
        read(&app, &format!("/ar/api/v1/articles/{english_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        read(&app, &format!("/api/v1/articles/{arabic_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        read(&app, &format!("/ar/api/v1/articles/{arabic_id}"))
            .await
            .status,
        StatusCode::OK
    );

    // An editor of both editions translates an English article in Arabic,
    // naming the section by id.
    let token = app.api_token("eda@example.com", "editor");
    let created = send(
        &app,
        Method::POST,
        "/ar/api/v1/articles",
        &token,
        json!({
            "headline": "ترجمة عبر واجهة البرمجة",
            "section": politics["id"],
            "translation_of": english_id,
            "action": "publish",
        }),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert!(
        created
            .header("location")
            .starts_with("/ar/api/v1/articles/")
    );
    assert_eq!(created.body["section"]["slug"], "politics");
    let now_english = read(&app, &format!("/api/v1/articles/{english_id}")).await;
    let links = now_english.body["translations"].as_array().unwrap();
    assert!(
        links
            .iter()
            .any(|t| t["lang"] == "ar" && t["url"] == created.body["url"]),
        "{links:?}"
    );
}

#[tokio::test]
async fn bad_requests_get_json_errors_with_stable_codes() {
    let app = crate::app();
    for (path, status, code) in [
        ("/api/v1/articles?page=abc", 400, "bad_parameter"),
        ("/api/v1/articles?per_page=0", 400, "bad_parameter"),
        ("/api/v1/articles?per_page=-5", 400, "bad_parameter"),
        ("/api/v1/articles?from=yesterday", 400, "bad_parameter"),
        ("/api/v1/articles?until=2016-02-30", 400, "bad_parameter"),
        ("/api/v1/tags?page=abc", 400, "bad_parameter"),
        ("/api/v1/articles?section=no-such-section", 404, "not_found"),
        ("/api/v1/articles?tag=no-such-tag", 404, "not_found"),
        ("/api/v1/articles?author=nobody", 404, "not_found"),
        ("/api/v1/articles/999999", 404, "not_found"),
        ("/api/v1/articles/abc", 404, "not_found"),
        ("/api/v1/articles/-1", 404, "not_found"),
        ("/api/v1/no-such-endpoint", 404, "not_found"),
        ("/api/v2/articles", 404, "not_found"),
        ("/ar/api/v1/articles?page=abc", 400, "bad_parameter"),
    ] {
        let reply = read(&app, path).await;
        assert_eq!(reply.status.as_u16(), status, "{path}: {}", reply.body);
        assert_eq!(reply.code(), code, "{path}");
        assert!(
            reply.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        assert_eq!(reply.header("access-control-allow-origin"), "*", "{path}");
    }
    let refused = call(&app, Method::DELETE, "/api/v1/articles/1", None, None, &[]).await;
    assert_eq!(refused.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(refused.code(), "method_not_allowed");
    assert!(
        refused.header("allow").contains("GET"),
        "{}",
        refused.header("allow")
    );
    assert_eq!(refused.header("cache-control"), "no-store");
}

#[tokio::test]
async fn tokens_are_made_once_and_revoked_by_name_on_the_command_line() {
    let app = crate::app();
    let token = app.api_token("eda@example.com", "editor");
    assert_eq!(token.len(), 46, "{token}");
    // Names are unique per user while the token lives.
    let again = token_command(&app, "add", "eda@example.com", "importer");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("importer"));
    let second = token_command(&app, "add", "eda@example.com", "wire feed");
    assert!(second.status.success());
    assert!(
        !String::from_utf8_lossy(&second.stdout).contains(&token),
        "a new secret"
    );
    let nobody = token_command(&app, "add", "nobody@example.com", "x");
    assert!(!nobody.status.success());
    assert!(String::from_utf8_lossy(&nobody.stderr).contains("no account"));
    let blank = token_command(&app, "add", "eda@example.com", "  ");
    assert!(!blank.status.success());

    let works = read_as(&app, &token, "/api/v1/articles/1").await;
    assert_eq!(works.status, StatusCode::OK);
    let revoked = token_command(&app, "revoke", "eda@example.com", "importer");
    assert!(
        revoked.status.success(),
        "{}",
        String::from_utf8_lossy(&revoked.stderr)
    );
    let refused = read_as(&app, &token, "/api/v1/articles/1").await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.code(), "invalid_token");
    assert!(refused.header("www-authenticate").starts_with("Bearer"));
    let twice = token_command(&app, "revoke", "eda@example.com", "importer");
    assert!(!twice.status.success());
}

#[tokio::test]
async fn writes_without_a_valid_token_are_refused_with_a_bearer_challenge() {
    let app = crate::app();
    let body = json!({"headline": "Unsigned", "section": "politics", "action": "publish"});
    let missing = call(
        &app,
        Method::POST,
        "/api/v1/articles",
        None,
        Some(("application/json", body.to_string())),
        &[],
    )
    .await;
    assert_eq!(missing.status, StatusCode::UNAUTHORIZED);
    assert_eq!(missing.code(), "token_required");
    assert_eq!(
        missing.header("www-authenticate"),
        r#"Bearer realm="Dateline API""#
    );
    assert_eq!(missing.header("cache-control"), "no-store");
    assert_eq!(missing.header("access-control-allow-origin"), "");
    let fake = format!("dl_{}", "A".repeat(43));
    for token in ["not-a-token", fake.as_str()] {
        let refused = send(&app, Method::POST, "/api/v1/articles", token, body.clone()).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{token}");
        assert_eq!(refused.code(), "invalid_token");
        assert!(
            refused
                .header("www-authenticate")
                .contains(r#"error="invalid_token""#)
        );
        // A bad token is refused on reads too, never ignored.
        let read = read_as(&app, token, "/api/v1/articles/1").await;
        assert_eq!(read.status, StatusCode::UNAUTHORIZED);
    }
    let put = call(&app, Method::PUT, "/api/v1/articles/1", None, None, &[]).await;
    assert_eq!(put.status, StatusCode::UNAUTHORIZED);
    assert_eq!(total(&read(&app, "/api/v1/articles").await), DEMO_ARTICLES);
}

#[tokio::test]
async fn a_session_cookie_alone_cannot_write_through_the_api() {
    let app = crate::app();
    let cookie = app.editor().await.cookie;
    let origin = app.base.clone();
    let body =
        json!({"headline": "Forged through a browser", "section": "politics", "action": "publish"});
    for origin in [origin.as_str(), "https://evil.example"] {
        let forged = call(
            &app,
            Method::POST,
            "/api/v1/articles",
            None,
            Some(("application/json", body.to_string())),
            &[("cookie", &cookie), ("origin", origin)],
        )
        .await;
        assert_eq!(forged.status, StatusCode::UNAUTHORIZED, "{origin}");
        assert_eq!(forged.code(), "token_required");
    }
    let (_, _, latest) = get(&app, "/latest").await;
    assert!(!latest.contains("Forged through a browser"));
}

#[tokio::test]
async fn an_editor_creates_publishes_updates_and_unpublishes_and_readers_follow() {
    let app = crate::app();
    let token = app.api_token("eda@example.com", "editor");
    let created = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &token,
        json!({
            "headline": "Grain silos reopen at the port",
            "standfirst": "Ships dock again after two years.",
            "section": "business",
            "body_html": "<p onclick=\"x()\">Ships docked.</p><script>alert(1)</script>",
            "tags": ["Ports", "Grain silos"],
            "authors": ["omar-khalil", 1],
            "dateline_place": "Beirut",
            "action": "publish",
        }),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    assert_eq!(created.header("location"), format!("/api/v1/articles/{id}"));
    assert_eq!(created.header("cache-control"), "no-store");
    assert_eq!(created.header("access-control-allow-origin"), "");
    let a = &created.body;
    assert_eq!(
        (a["state"].as_str(), a["version"].as_i64()),
        (Some("published"), Some(1))
    );
    assert_eq!(
        a["body_html"], "<p>Ships docked.</p>",
        "sanitised as in the editor"
    );
    assert_eq!(a["section"]["slug"], "business");
    let authors: Vec<&str> = a["authors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["slug"].as_str().unwrap())
        .collect();
    assert_eq!(
        authors,
        ["omar-khalil", "rana-haddad"],
        "by slug and by id, in order"
    );
    let tag_names: Vec<&str> = a["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(tag_names.contains(&"Grain silos"), "{tag_names:?}");

    // Readers see it: the page, the list, the public API.
    let url = a["url"].as_str().unwrap().to_owned();
    let (status, _, page) = get(&app, path_of(&app, &url)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Grain silos reopen at the port"));
    assert!(page.contains("Beirut - The Levant Courier"));
    let latest = read(&app, "/api/v1/articles?per_page=1").await;
    assert_eq!(ids(&latest), [id]);
    assert_eq!(total(&latest), DEMO_ARTICLES + 1);
    let public = read(&app, &format!("/api/v1/articles/{id}")).await;
    assert_eq!(public.body["headline"], "Grain silos reopen at the port");

    // An update changes what it names and keeps the rest.
    let updated = send(
        &app,
        Method::PUT,
        &format!("/api/v1/articles/{id}"),
        &token,
        json!({"version": 1, "headline": "Grain silos reopen at Beirut port"}),
    )
    .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert_eq!(updated.body["version"], 2);
    assert_eq!(
        updated.body["standfirst"],
        "Ships dock again after two years."
    );
    assert_eq!(updated.body["tags"], a["tags"]);
    assert_eq!(updated.body["url"], url, "the slug stays");
    let (_, _, page) = get(&app, path_of(&app, &url)).await;
    assert!(page.contains("Grain silos reopen at Beirut port"));

    // A save from an older version is refused, naming the current one.
    let stale = send(
        &app,
        Method::PUT,
        &format!("/api/v1/articles/{id}"),
        &token,
        json!({"version": 1, "headline": "Overwritten by accident"}),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.code(), "version_conflict");
    assert_eq!(stale.body["error"]["current_version"], 2);
    let mine = read_as(&app, &token, &format!("/api/v1/articles/{id}")).await;
    assert_eq!(mine.body["headline"], "Grain silos reopen at Beirut port");
    assert_eq!(mine.header("cache-control"), "no-store");

    // Unpublished: gone for readers, still there for the token.
    let pulled = send(
        &app,
        Method::PUT,
        &format!("/api/v1/articles/{id}"),
        &token,
        json!({"version": 2, "action": "unpublish"}),
    )
    .await;
    assert_eq!(pulled.body["state"], "unpublished", "{}", pulled.body);
    assert_eq!(
        read(&app, &format!("/api/v1/articles/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let (status, _, _) = get(&app, path_of(&app, &url)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let wrong = send(
        &app,
        Method::PUT,
        &format!("/api/v1/articles/{id}"),
        &token,
        json!({"version": 3, "action": "unpublish"}),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::CONFLICT);
    assert_eq!(wrong.code(), "wrong_state");

    // Scheduling needs a future time, and keeps the article from readers.
    let scheduled = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &token,
        json!({"headline": "Polls open at dawn", "section": "politics",
               "action": "schedule", "publish_at": "2031-05-01T06:00:00+03:00"}),
    )
    .await;
    assert_eq!(scheduled.status, StatusCode::CREATED, "{}", scheduled.body);
    assert_eq!(scheduled.body["state"], "scheduled");
    assert_eq!(scheduled.body["published_at"], "2031-05-01T03:00:00Z");
    let sid = scheduled.body["id"].as_i64().unwrap();
    assert_eq!(
        read(&app, &format!("/api/v1/articles/{sid}")).await.status,
        StatusCode::NOT_FOUND
    );
    let past = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &token,
        json!({"headline": "Too late", "section": "politics",
               "action": "schedule", "publish_at": "2001-01-01T10:00:00Z"}),
    )
    .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        past.body["error"]["fields"]["publish_at"].is_string(),
        "{}",
        past.body
    );
}

#[tokio::test]
async fn a_reporters_token_writes_and_submits_drafts_but_cannot_publish() {
    let app = crate::app();
    let reporter = app.api_token("rami@example.com", "reporter");
    let publish = json!({"headline": "Fishermen of Tyre count a thin season", "section": "politics", "action": "publish"});
    let refused = send(&app, Method::POST, "/api/v1/articles", &reporter, publish).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.code(), "forbidden");
    assert_eq!(total(&read(&app, "/api/v1/articles").await), DEMO_ARTICLES);

    let draft = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &reporter,
        json!({"headline": "Fishermen of Tyre count a thin season", "section": "politics"}),
    )
    .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    assert_eq!(draft.body["state"], "draft");
    assert_eq!(draft.body["published_at"], Value::Null);
    let id = draft.body["id"].as_i64().unwrap();
    assert_eq!(
        read(&app, &format!("/api/v1/articles/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let seen = read_as(&app, &reporter, &format!("/api/v1/articles/{id}")).await;
    assert_eq!(seen.body["state"], "draft");

    let submitted = send(
        &app,
        Method::PUT,
        &format!("/api/v1/articles/{id}"),
        &reporter,
        json!({"version": 1, "action": "submit"}),
    )
    .await;
    assert_eq!(submitted.body["state"], "in_review", "{}", submitted.body);
    let publish = send(
        &app,
        Method::PUT,
        &format!("/api/v1/articles/{id}"),
        &reporter,
        json!({"version": 2, "action": "publish"}),
    )
    .await;
    assert_eq!(publish.status, StatusCode::FORBIDDEN);

    // Nor may a reporter change someone else's copy.
    let editor = app.api_token("eda@example.com", "editor");
    let theirs = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &editor,
        json!({"headline": "An editor's draft", "section": "politics"}),
    )
    .await;
    let theirs = theirs.body["id"].as_i64().unwrap();
    let hijack = send(
        &app,
        Method::PUT,
        &format!("/api/v1/articles/{theirs}"),
        &reporter,
        json!({"version": 1, "headline": "Hijacked"}),
    )
    .await;
    assert_eq!(hijack.status, StatusCode::FORBIDDEN);
    // The editor publishes the reporter's submitted copy.
    let published = send(
        &app,
        Method::PUT,
        &format!("/api/v1/articles/{id}"),
        &editor,
        json!({"version": 2, "action": "publish"}),
    )
    .await;
    assert_eq!(published.body["state"], "published", "{}", published.body);
    assert_eq!(
        read(&app, &format!("/api/v1/articles/{id}")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_moderators_token_can_neither_write_nor_read_the_newsroom_copy() {
    let app = crate::app();
    let moderator = app.api_token("mona@example.com", "moderator");
    let write = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &moderator,
        json!({"headline": "Moderators do not write", "section": "politics"}),
    )
    .await;
    assert_eq!(write.status, StatusCode::FORBIDDEN);
    assert_eq!(write.code(), "forbidden");
    let read = read_as(&app, &moderator, "/api/v1/articles/1").await;
    assert_eq!(read.status, StatusCode::FORBIDDEN);
    let update = send(
        &app,
        Method::PUT,
        "/api/v1/articles/1",
        &moderator,
        json!({"version": 1}),
    )
    .await;
    assert_eq!(update.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn malformed_or_invalid_bodies_are_refused_and_nothing_is_written() {
    let app = crate::app();
    let token = app.api_token("eda@example.com", "editor");
    let raw = |content_type: &'static str, body: String| {
        call(
            &app,
            Method::POST,
            "/api/v1/articles",
            Some(&token),
            Some((content_type, body)),
            &[],
        )
    };
    for broken in ["{", "", "[1, 2]", "\"text\"", "{\"headline\": \"x\",}"] {
        let reply = raw("application/json", broken.to_owned()).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{broken:?}");
        assert_eq!(reply.code(), "bad_json");
    }
    let form = raw("application/x-www-form-urlencoded", "headline=x".to_owned()).await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(form.code(), "unsupported_media_type");
    let huge = raw(
        "application/json",
        format!("{{\"body_html\": \"{}\"}}", "x".repeat(3 << 20)),
    )
    .await;
    assert_eq!(huge.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(huge.code(), "too_large");

    // Every problem is named at its field, in one answer.
    let invalid = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &token,
        json!({
            "headline": "  ",
            "section": "no-such-section",
            "authors": ["nobody"],
            "tags": "not, an, array",
            "slug": "Not A Slug",
            "colour": "red",
            "action": "fly",
        }),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.code(), "invalid_input");
    let fields = invalid.body["error"]["fields"].as_object().unwrap();
    let mut named: Vec<&str> = fields.keys().map(String::as_str).collect();
    named.sort_unstable();
    assert_eq!(
        named,
        [
            "action", "authors", "colour", "headline", "section", "slug", "tags"
        ]
    );
    assert_eq!(fields["headline"], "required");

    let unscheduled = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &token,
        json!({"headline": "When?", "section": "politics", "action": "schedule"}),
    )
    .await;
    assert_eq!(unscheduled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unscheduled.body["error"]["fields"]["publish_at"].is_string());
    let unversioned = send(
        &app,
        Method::PUT,
        "/api/v1/articles/1",
        &token,
        json!({"headline": "No version"}),
    )
    .await;
    assert_eq!(unversioned.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unversioned.body["error"]["fields"]["version"].is_string());
    let missing = send(
        &app,
        Method::PUT,
        "/api/v1/articles/999999",
        &token,
        json!({"version": 1}),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    assert_eq!(total(&read(&app, "/api/v1/articles").await), DEMO_ARTICLES);
    let (_, _, page) = get(&app, "/latest").await;
    assert!(!page.contains("No version"));
}

/// Runs `scripts/apicheck.py` (Python jsonschema) on the document and the
/// (target, body) pairs; panics with its report when a body does not match.
fn apicheck(document: &Value, checks: &[(String, Value)]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, document.to_string()).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/apicheck.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(&file)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let input = serde_json::to_vec(
        &checks
            .iter()
            .map(|(t, b)| json!([t, b]))
            .collect::<Vec<_>>(),
    )
    .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &input).unwrap();
    let out = child.wait_with_output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "apicheck failed: {report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["checked"], checks.len());
}

#[tokio::test]
async fn the_openapi_document_describes_every_real_response() {
    // With the search index filled, so results are checked too.
    let app = crate::search::ready_app().await;
    let document = read(&app, "/api/v1/openapi.json").await;
    assert_eq!(document.status, StatusCode::OK);
    assert_eq!(document.header("access-control-allow-origin"), "*");
    let document = document.body;
    assert_eq!(document["openapi"], "3.1.0");
    let base = document["servers"][0]["url"].as_str().unwrap().to_owned();
    assert_eq!(base, "/api/v1");

    let editor = app.api_token("eda@example.com", "editor");
    let reporter = app.api_token("rami@example.com", "reporter");
    let mut checks: Vec<(String, Value)> = Vec::new();
    let mut check = |target: &str, reply: &Reply| {
        checks.push((target.to_owned(), reply.body.clone()));
    };

    let list = read(&app, "/api/v1/articles?per_page=100").await;
    check("get /articles 200", &list);
    check("ArticleList", &list);
    let id = ids(&list)[0];
    for article in list.body["articles"].as_array().unwrap() {
        let one = read(&app, &format!("/api/v1/articles/{}", article["id"])).await;
        check("get /articles/{id} 200", &one);
        check("Article", &one);
    }
    check("ArticleList", &read(&app, "/ar/api/v1/articles").await);
    check(
        "Article",
        &read(
            &app,
            &format!(
                "/ar/api/v1/articles/{}",
                ids(&read(&app, "/ar/api/v1/articles").await)[0]
            ),
        )
        .await,
    );
    check("get /sections 200", &read(&app, "/api/v1/sections").await);
    check(
        "get /tags 200",
        &read(&app, "/api/v1/tags?per_page=100").await,
    );
    check("get /authors 200", &read(&app, "/api/v1/authors").await);
    check("SectionList", &read(&app, "/ar/api/v1/sections").await);
    check("TagList", &read(&app, "/ar/api/v1/tags").await);
    check("AuthorList", &read(&app, "/ar/api/v1/authors").await);
    // Search: results in both editions, filters, sorting, an empty page.
    for path in [
        "/api/v1/search?q=government",
        "/api/v1/search?q=%22the%20government%22&sort=date&section=politics",
        "/api/v1/search?q=nothing-matches-this-zzz",
        "/ar/api/v1/search?q=%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9&per_page=5",
        "/api/v1/search?q=government&page=50",
    ] {
        let found = read(&app, path).await;
        assert_eq!(found.status, StatusCode::OK, "{path}: {:?}", found.body);
        if !path.contains("zzz") && !path.contains("page=50") {
            assert!(found.body["total"].as_u64() > Some(0), "{path}");
        }
        check("get /search 200", &found);
        check("SearchList", &found);
    }

    // The authenticated article, created, read and updated.
    let created = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &editor,
        json!({"headline": "Checked against the schema", "section": "politics", "tags": ["schema"], "authors": ["rana-haddad"]}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    check("post /articles 201", &created);
    check("NewsroomArticle", &created);
    let new_id = created.body["id"].as_i64().unwrap();
    let mine = read_as(&app, &editor, &format!("/api/v1/articles/{new_id}")).await;
    check("get /articles/{id} 200", &mine);
    let published = send(
        &app,
        Method::PUT,
        &format!("/api/v1/articles/{new_id}"),
        &editor,
        json!({"version": 1, "action": "publish"}),
    )
    .await;
    check("put /articles/{id} 200", &published);
    check(
        "get /articles/{id} 200",
        &read_as(&app, &editor, &format!("/api/v1/articles/{id}")).await,
    );

    // Every error shape.
    check(
        "get /articles 400",
        &read(&app, "/api/v1/articles?page=abc").await,
    );
    check(
        "get /articles 404",
        &read(&app, "/api/v1/articles?section=nope").await,
    );
    check(
        "get /tags 400",
        &read(&app, "/api/v1/tags?per_page=0").await,
    );
    check(
        "get /articles/{id} 404",
        &read(&app, "/api/v1/articles/999999").await,
    );
    check(
        "get /articles/{id} 401",
        &read_as(&app, "dl_nope", "/api/v1/articles/1").await,
    );
    let no_token = call(
        &app,
        Method::POST,
        "/api/v1/articles",
        None,
        Some(("application/json", "{}".into())),
        &[],
    )
    .await;
    check("post /articles 401", &no_token);
    let forbidden = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &reporter,
        json!({"headline": "x", "section": "politics", "action": "publish"}),
    )
    .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    check("post /articles 403", &forbidden);
    let bad_json = call(
        &app,
        Method::POST,
        "/api/v1/articles",
        Some(&editor),
        Some(("application/json", "{".into())),
        &[],
    )
    .await;
    check("post /articles 400", &bad_json);
    let media = call(
        &app,
        Method::POST,
        "/api/v1/articles",
        Some(&editor),
        Some(("text/plain", "{}".into())),
        &[],
    )
    .await;
    check("post /articles 415", &media);
    let invalid = send(
        &app,
        Method::POST,
        "/api/v1/articles",
        &editor,
        json!({"headline": ""}),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    check("post /articles 422", &invalid);
    let conflict = send(
        &app,
        Method::PUT,
        &format!("/api/v1/articles/{new_id}"),
        &editor,
        json!({"version": 1}),
    )
    .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    check("put /articles/{id} 409", &conflict);
    check(
        "Error",
        &call(&app, Method::DELETE, "/api/v1/articles", None, None, &[]).await,
    );
    check("Error", &read(&app, "/api/v1/nothing-here").await);
    for path in [
        "/api/v1/search",
        "/api/v1/search?q=the",
        "/api/v1/search?q=government&sort=best",
        "/api/v1/search?q=government&from=yesterday",
    ] {
        let refused = read(&app, path).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{path}");
        check("get /search 400", &refused);
    }
    let long = format!("/api/v1/search?q={}", "word%20".repeat(2_000));
    check("get /search 400", &read(&app, &long).await);
    check(
        "get /search 404",
        &read(&app, "/api/v1/search?q=x&section=nope").await,
    );
    apicheck(&document, &checks);

    // Every path of the document answers on the server.
    for (path, item) in document["paths"].as_object().unwrap() {
        let concrete = path.replace("{id}", &id.to_string());
        for method in item
            .as_object()
            .unwrap()
            .keys()
            .filter(|m| *m != "parameters")
        {
            let method: Method = method.to_uppercase().parse().unwrap();
            let reply = call(
                &app,
                method.clone(),
                &format!("{base}{concrete}"),
                None,
                None,
                &[],
            )
            .await;
            assert!(
                reply.status != StatusCode::NOT_FOUND
                    && reply.status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path}: {}",
                reply.status
            );
        }
    }
    // And the server has no public endpoint the document leaves out.
    let documented: Vec<&String> = document["paths"].as_object().unwrap().keys().collect();
    for path in [
        "/articles",
        "/articles/{id}",
        "/sections",
        "/tags",
        "/authors",
        "/search",
        "/openapi.json",
    ] {
        assert!(documented.iter().any(|p| p.as_str() == path), "{path}");
    }
}

#[tokio::test]
async fn a_journalist_makes_uses_and_revokes_a_token_in_the_newsroom() {
    let app = crate::app();
    let reporter = app.reporter().await;
    let (status, headers, page) = reporter
        .post(
            "/newsroom/account/tokens",
            &[("name", "laptop script"), ("days", "30")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(headers["cache-control"], "no-store");
    let token =
        dateline_testkit::between(&page, r#"<code class="nr-token" dir="ltr">"#, "<").to_owned();
    assert!(token.starts_with("dl_"), "{token}");
    let answer = raw_client()
        .post(app.url("/api/v1/articles"))
        .bearer_auth(&token)
        .json(&json!({"headline": "Filed by a script", "body_html": "<p>Text.</p>", "section": "politics"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::CREATED);

    // Listed with its end, never shown again.
    let (_, _, account) = reporter.get("/newsroom/account").await;
    assert!(account.contains("laptop script"));
    assert!(!account.contains(&token), "the token is shown once");
    // The same name twice is refused at the field, the name kept.
    let (status, _, page) = reporter
        .post(
            "/newsroom/account/tokens",
            &[("name", "laptop script"), ("days", "0")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("You already have a token of that name."));
    assert!(page.contains(r#"value="laptop script""#));
    assert!(
        page.contains(r#"<option value="0" selected>"#),
        "the end chosen is kept"
    );
    // An end not offered is refused at its field, not taken as none.
    let (status, _, page) = reporter
        .post(
            "/newsroom/account/tokens",
            &[("name", "other"), ("days", "7")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"<p id="token-days-error" class="nr-error">"#));
    assert!(page.contains(r#"value="other""#));

    let (status, headers, _) = reporter
        .post(
            "/newsroom/account/tokens/revoke",
            &[("name", "laptop script")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers["location"]
            .to_str()
            .unwrap()
            .ends_with("?revoked=1")
    );
    let refused = raw_client()
        .get(app.url("/api/v1/articles/1"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
}
