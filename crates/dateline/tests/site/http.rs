//! What HTTP clients, caches and CDNs see: headers, compression, caching.

use crate::{article_links, get, get_with, server};
use reqwest::StatusCode;

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let server = server();
    let (_, _, home) = get(&server, "/").await;
    let article = article_links(&home, "")[0].clone();
    for path in [
        "/",
        article.as_str(),
        "/no-such-page",
        "/healthz",
        "/static/site.css",
        "/latest?page=abc",
        "/ar/",
    ] {
        let (_, headers, _) = get(&server, path).await;
        let csp = headers
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("no CSP on {path}"))
            .to_str()
            .unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
        assert!(headers.contains_key("x-request-id"), "{path}");
    }
}

#[tokio::test]
async fn no_page_depends_on_inline_script_or_style() {
    let server = server();
    let (_, _, home) = get(&server, "/").await;
    let mut pages = vec![
        "/".to_owned(),
        "/ar/".into(),
        "/politics".into(),
        "/archive".into(),
        "/nope".into(),
    ];
    pages.push(article_links(&home, "")[0].clone());
    for path in pages {
        let (_, _, body) = get(&server, &path).await;
        // JSON-LD is a data block, never executed; scripts come from the
        // theme's files (enhancements only); no script is written inline.
        let scripts = body.matches("<script").count();
        let data_blocks = body
            .matches(r#"<script type="application/ld+json">"#)
            .count();
        let files = body.matches(r#"<script src="/static/"#).count();
        assert_eq!(scripts, data_blocks + files, "{path} has an inline script");
        assert!(
            !body.contains(" style=") && !body.contains("<style"),
            "{path} has inline style"
        );
        assert!(
            !body.contains(" onclick=") && !body.contains(" onload="),
            "{path} has an inline handler"
        );
    }
}

#[tokio::test]
async fn pages_are_compressed_with_gzip_and_brotli() {
    let server = server();
    let (_, plain_headers, plain) = get(&server, "/").await;
    assert!(!plain_headers.contains_key("content-encoding"));
    for encoding in ["gzip", "br"] {
        let (status, headers, _) = get_with(&server, "/", &[("accept-encoding", encoding)]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-encoding"], encoding);
        assert!(
            headers["vary"]
                .to_str()
                .unwrap()
                .to_lowercase()
                .contains("accept-encoding")
        );
    }
    // A decompressing client gets the same page back.
    let body = dateline_testkit::client()
        .get(server.url("/"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(body, plain);
}

#[tokio::test]
async fn unchanged_pages_answer_conditional_requests_with_304() {
    let server = server();
    let (_, _, home) = get(&server, "/").await;
    let article = article_links(&home, "")[0].clone();
    for path in ["/", article.as_str(), "/feed.xml"] {
        let (status, headers, _) = get(&server, path).await;
        assert_eq!(status, StatusCode::OK);
        let etag = headers["etag"].to_str().unwrap().to_owned();
        assert!(etag.starts_with("W/\""), "{path}: {etag}");
        let (status, headers304, body) = get_with(&server, path, &[("if-none-match", &etag)]).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(body.is_empty());
        assert_eq!(headers304["etag"].to_str().unwrap(), etag);
        assert!(headers304.contains_key("cache-control"));
        let (status, _, _) =
            get_with(&server, path, &[("if-none-match", "W/\"something-else\"")]).await;
        assert_eq!(status, StatusCode::OK);

        let modified = headers["last-modified"].to_str().unwrap().to_owned();
        let (status, _, _) = get_with(&server, path, &[("if-modified-since", &modified)]).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED, "{path} by date");
        let (status, _, _) = get_with(
            &server,
            path,
            &[("if-modified-since", "Mon, 01 Jan 2001 00:00:00 GMT")],
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{path} modified since 2001");
    }
}

#[tokio::test]
async fn responses_carry_cache_control_suited_to_their_kind() {
    let server = server();
    let (_, _, home) = get(&server, "/").await;
    let article = article_links(&home, "")[0].clone();
    let id_only = article
        .rsplit_once('-')
        .map(|(a, _)| a.split('-').next().unwrap().to_owned())
        .unwrap();
    let (_, home_headers, _) = get(&server, "/").await;
    let css = crate::links(&home, "/static/site.css")[0].clone();
    let cases: [(&str, &str); 6] = [
        (&article, "public, max-age=60, stale-while-revalidate=600"),
        (
            "/politics",
            "public, max-age=30, stale-while-revalidate=300",
        ),
        ("/no-such-page", "public, max-age=30"),
        (&css, "public, max-age=31536000, immutable"),
        ("/healthz", "no-store"),
        (&id_only, "public, max-age=3600"),
    ];
    assert!(
        home_headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("stale-while-revalidate")
    );
    for (path, expected) in cases {
        let (_, headers, _) = get(&server, path).await;
        let value = headers["cache-control"].to_str().unwrap();
        assert!(value.starts_with(expected), "{path}: {value}");
    }
}

#[tokio::test]
async fn healthz_answers_ok_for_load_balancers() {
    let server = server();
    let (status, _, body) = get(&server, "/healthz").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
}

#[tokio::test]
async fn lead_images_are_served_sandboxed_from_the_data_directory() {
    let server = server();
    let (_, _, home) = get(&server, "/").await;
    let src = home
        .split("src=\"/media/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let (status, headers, body) = get(&server, &format!("/media/{src}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/svg+xml");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert!(body.starts_with("<svg"));
    let (status, _, _) = get(&server, "/media/../dateline.db").await;
    assert_ne!(status, StatusCode::OK);
    let (status, _, _) = get(&server, "/media/demo/%2e%2e/%2e%2e/dateline.db").await;
    assert_ne!(status, StatusCode::OK);
}

#[tokio::test]
async fn responses_name_what_they_show_in_surrogate_keys() {
    let server = server();
    let (_, _, politics) = get(&server, "/politics").await;
    let article = article_links(&politics, "")[0].clone();
    let id = article
        .trim_start_matches("/politics/")
        .split('-')
        .next()
        .unwrap()
        .to_owned();
    let (_, headers, _) = get(&server, &article).await;
    let keys: Vec<&str> = headers["surrogate-key"]
        .to_str()
        .unwrap()
        .split(' ')
        .collect();
    for expected in ["site-1", "latest-1", &format!("article-{id}")] {
        assert!(keys.contains(&expected), "{expected} not in {keys:?}");
    }
    assert!(keys.iter().any(|k| k.starts_with("section-")));
    assert!(keys.iter().any(|k| k.starts_with("tag-")));
    assert_eq!(headers["cache-tag"].to_str().unwrap(), keys.join(","));

    let (_, headers, _) = get(&server, "/politics").await;
    let section_keys = headers["surrogate-key"].to_str().unwrap().to_owned();
    let article_keys = keys.join(" ");
    let section_key = section_keys
        .split(' ')
        .find(|k| k.starts_with("section-"))
        .unwrap();
    assert!(
        article_keys.contains(section_key),
        "the article and its section page share the section key"
    );
    let (_, headers, _) = get(&server, "/ar/feed.xml").await;
    let feed_keys = headers["surrogate-key"].to_str().unwrap();
    assert!(
        feed_keys.contains("site-2") && feed_keys.contains("feed-courier-ar"),
        "{feed_keys}"
    );
}
