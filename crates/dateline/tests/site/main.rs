//! End-to-end tests: the real `dateline` binary on a random port, a fresh
//! data directory per server, HTTP from outside, and headless Chromium.
//! One test binary (modules below) keeps link time down.

// Helpers outside #[test] functions fail loudly too; that is their job.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api;
mod authorization;
mod backup;
mod browser;
mod cache_abuse;
mod caching;
mod cli;
mod comments;
mod editorial;
mod feeds;
mod hostile_input;
mod http;
mod import;
mod ingest;
mod instances;
mod live;
mod load_balancer;
mod logins;
mod manage;
mod media;
mod metadata;
mod migrate_store;
mod newsroom;
mod pages;
mod receiver;
mod redirects;
mod search;
mod security;
mod sitemaps;
mod validators;
mod wire_desk;

use dateline_testkit::{Answer, TestApp, TestServer};

pub use dateline_testkit::{article_links, between, get as get_with, links, percent_decode};

pub const BINARY: &str = env!("CARGO_BIN_EXE_dateline");

/// The database a test server runs on, opened as another process would.
pub async fn store_of(server: &TestServer) -> dateline_store::Db {
    match server.database_url() {
        Some(url) => dateline_store::Db::open_url(url).await,
        None => dateline_store::Db::open_sqlite(&server.data_dir().join("dateline.db")).await,
    }
    .expect("the test server's database opens")
}

/// A server with the demo network.
pub fn server() -> TestServer {
    TestServer::start(BINARY)
}

/// A server with the demo network and its actors.
pub fn app() -> TestApp {
    TestApp::start(BINARY)
}

/// Status, headers and body of a GET, without following redirects.
pub async fn get(server: &TestServer, path: &str) -> Answer {
    get_with(server, path, &[]).await
}
