//! End-to-end tests: the real `dateline` binary on a random port, a fresh
//! data directory per server, HTTP from outside, and headless Chromium.
//! One test binary (modules below) keeps link time down.

// Helpers outside #[test] functions fail loudly too; that is their job.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod browser;
mod caching;
mod cli;
mod comments;
mod editorial;
mod feeds;
mod http;
mod manage;
mod media;
mod metadata;
mod newsroom;
mod pages;
mod receiver;
mod search;
mod sitemaps;
mod validators;

use dateline_testkit::{TestServer, raw_client};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

pub const BINARY: &str = env!("CARGO_BIN_EXE_dateline");

pub fn server() -> TestServer {
    TestServer::start(BINARY)
}

/// Status, headers and body of a GET, without following redirects.
pub async fn get(server: &TestServer, path: &str) -> (StatusCode, HeaderMap, String) {
    get_with(server, path, &[]).await
}

pub async fn get_with(
    server: &TestServer,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let mut request = raw_client().get(server.url(path));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap_or_default();
    (status, headers, body)
}

/// Values of `href` attributes on a page that start with `prefix`, in order.
pub fn links(body: &str, prefix: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with(prefix))
        .map(str::to_owned)
        .collect()
}

/// Article links (`/{section}/{id}-{slug}`) on a page of a site with the
/// given path prefix (`""` or `"/ar"`).
pub fn article_links(body: &str, prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = links(body, &format!("{prefix}/"))
        .into_iter()
        .filter(|href| {
            let rest = &href[prefix.len()..];
            let parts: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
            parts.len() == 2
                && parts[1]
                    .split('-')
                    .next()
                    .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();
    found.dedup();
    found
}

/// The text between the first `start` marker and the next `end` marker.
pub fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body
        .find(start)
        .map(|i| i + start.len())
        .unwrap_or_else(|| panic!("{start:?} not on page"));
    let rest = &body[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// Decodes `%XX` escapes (as in a `Location` header) to UTF-8 text.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&text[i + 1..i + 3], 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
