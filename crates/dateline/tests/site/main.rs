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

pub use dateline_testkit::{article_links, between, links, percent_decode};

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
