//! The front door: the first code every request meets. It gives the
//! request its id and answers page-cache hits on the spot, before routing
//! and the rest of the middleware; everything else goes on to the router
//! carrying the key its answer will be cached under (`finish_pages` uses
//! it to fill the cache).
//!
//! On a breaking-news spike nearly every request is a hit, so a hit costs
//! one lookup and one copy of the cached page's headers, which already
//! carry the security headers. See `docs/caching.md`.

use crate::AppState;
use crate::edge::conditional::{self, Conditions};
use crate::edge::middleware::RequestIds;
use crate::edge::page_cache::Page;
use crate::edge::page_cache::PageKey;
use crate::network::{Resolve, request_host, request_scheme};
use axum::extract::Request;
use axum::http::{HeaderName, Method, header};
use axum::response::Response;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;
use tower::util::Oneshot;
use tower::{Service, ServiceExt};

/// The header carrying a request's id, in answers and logs.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Paths of a site never looked up in the page cache: the newsroom and
/// the hub are per user or per request, security codes are fresh each
/// time, media files stream from disk, health and metrics must be live.
const UNCACHED: [&str; 7] = [
    "/newsroom",
    "/comments",
    "/media",
    "/websub",
    "/healthz",
    "/metrics",
    "/static",
];

/// True when `path` is one of [`UNCACHED`] or below it (`/newsroom/…`
/// but not a section called `/newsroom-notes`).
fn is_uncached(path: &str) -> bool {
    UNCACHED.iter().any(|p| {
        path.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Every query parameter a cached page reads (lists, search, feeds,
/// sitemaps, comments, the public API, a live story's `after`, and
/// WordPress's old addresses
/// that redirect: `?p=`, `?page_id=`, `?cat=`, `?attachment_id=`). The
/// rest (`utm_source`, `fbclid`, a cache-buster) never reach a cached
/// page's handler, so they cannot multiply its entries.
const PAGE_PARAMETERS: [&str; 17] = [
    "after",
    "attachment_id",
    "author",
    "cat",
    "comment",
    "comments",
    "cpage",
    "from",
    "p",
    "page",
    "page_id",
    "per_page",
    "q",
    "section",
    "sort",
    "tag",
    "until",
];

/// A query string as cached pages see it: only [`PAGE_PARAMETERS`], each
/// once (the last value given, as the handlers read it, unless that one is
/// empty), in one order and one encoding. `None` when nothing is left.
fn page_query(raw: &str) -> Option<String> {
    let mut kept: Vec<(&str, String)> = Vec::new();
    for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
        let Some(name) = PAGE_PARAMETERS.iter().find(|p| **p == name) else {
            continue;
        };
        match kept.iter_mut().find(|(n, _)| n == name) {
            Some((_, old)) if value.trim().is_empty() && !old.trim().is_empty() => {}
            Some((_, old)) => *old = value.into_owned(),
            None => kept.push((name, value.into_owned())),
        }
    }
    if kept.is_empty() {
        return None;
    }
    kept.sort_unstable_by_key(|(name, _)| *name);
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in &kept {
        query.append_pair(name, value);
    }
    Some(query.finish())
}

/// The key a request's answer is cached under, or `None` when it bypasses
/// the cache (not a read, a credential, a path of [`UNCACHED`]). The
/// request's query is rewritten to what the key holds ([`page_query`]),
/// so the handler answers exactly what is cached.
pub fn page_key(app: &AppState, req: &mut Request) -> Option<PageKey> {
    if !matches!(*req.method(), Method::GET | Method::HEAD)
        || !app.page_cache.is_enabled()
        || req.headers().contains_key(header::AUTHORIZATION)
    {
        return None;
    }
    let host = request_host(req);
    if is_uncached(app.network().site_path(host, req.uri().path())) {
        return None;
    }
    let scheme = request_scheme(req.headers(), app.config.behind_proxy());
    let mut key = String::with_capacity(64 + req.uri().path().len());
    key.push_str(scheme);
    key.push('|');
    if let Some(host) = host {
        crate::network::push_canonical_host(&mut key, host)?;
    }
    key.push('|');
    let Some(raw) = req.uri().query() else {
        return Some(PageKey(key + req.uri().path()));
    };
    let path_and_query = match page_query(raw) {
        Some(query) => format!("{}?{query}", req.uri().path()),
        None => req.uri().path().to_owned(),
    };
    // Rebuilt from a valid path and a serialised query, so it parses.
    let uri: axum::http::Uri = path_and_query.parse().ok()?;
    *req.uri_mut() = uri;
    Some(PageKey(key + &path_and_query))
}

/// The service in front of the router (see the module documentation).
/// One is shared by every connection: a cache hit clones nothing, and
/// only a request that goes on to the router clones the middleware stack
/// (a tower service is cloned to be called). Cloning the stack for every
/// request, hits included, was 1.3% of the server's time under the spike
/// (reference counts shared by both cores).
pub struct FrontDoor<S> {
    app: AppState,
    ids: RequestIds,
    inner: S,
}

impl<S> FrontDoor<S>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone,
{
    /// `ids` is shared with the layer that numbers the other requests.
    pub fn new(app: AppState, ids: RequestIds, inner: S) -> FrontDoor<S> {
        FrontDoor { app, ids, inner }
    }

    /// The page from the cache, or the router's answer.
    pub fn answer(&self, mut req: Request) -> Answer<Oneshot<S, Request>> {
        if let Some(key) = page_key(&self.app, &mut req) {
            if let Some(page) = self.app.page_cache.get(&key.0) {
                return Answer::Hit(Some(self.hit(&req, &page)));
            }
            req.extensions_mut().insert(key);
        }
        Answer::Inner(Box::pin(self.inner.clone().oneshot(req)))
    }
}

/// The answer of the front door: a hit at once, or the router's.
pub enum Answer<F> {
    Hit(Option<Response>),
    Inner(Pin<Box<F>>),
}

impl<F> Future for Answer<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Unpin: the inner future is boxed.
        match self.get_mut() {
            Answer::Hit(response) => match response.take() {
                Some(response) => Poll::Ready(Ok(response)),
                None => Poll::Pending,
            },
            Answer::Inner(inner) => inner.as_mut().poll(cx),
        }
    }
}

impl<S> FrontDoor<S> {
    /// The answer to a request whose page is in the cache.
    fn hit(&self, req: &Request, page: &Page) -> Response {
        let started = Instant::now();
        let id = self.ids.next_id();
        let mut response = conditional::respond(&self.app, page, &Conditions::of(req.headers()));
        // Logged like the requests that pass the trace layer.
        tracing::info!(
            request_id = id.to_str().unwrap_or_default(),
            method = %req.method(),
            uri = %dateline_core::redact::url(&req.uri().to_string()),
            status = response.status().as_u16(),
            latency_us = started.elapsed().as_micros() as u64,
            "page cache hit"
        );
        response.headers_mut().insert(REQUEST_ID, id);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newsroom_and_machines_bypass_the_page_cache_but_look_alike_sections_do_not() {
        assert!(is_uncached("/newsroom"));
        assert!(is_uncached("/newsroom/articles/4"));
        assert!(is_uncached("/comments/challenge"));
        assert!(is_uncached("/metrics"));
        assert!(!is_uncached("/newsroom-notes"));
        assert!(!is_uncached("/mediation/4-talks"));
        assert!(!is_uncached("/"));
    }

    #[test]
    fn unknown_query_parameters_are_dropped_and_the_rest_put_in_one_form() {
        assert_eq!(page_query("utm_source=x&fbclid=y"), None);
        assert_eq!(page_query("page=2&utm_source=x").as_deref(), Some("page=2"));
        assert_eq!(
            page_query("q=a+b&page=2").as_deref(),
            page_query("page=2&q=a%20b").as_deref()
        );
        assert_eq!(
            page_query("page=2&page=3&page=4").as_deref(),
            Some("page=4")
        );
        assert_eq!(page_query("q=gaza&q=").as_deref(), Some("q=gaza"));
        assert_eq!(
            page_query("q=%D8%BA%D8%B2%D8%A9").as_deref(),
            Some("q=%D8%BA%D8%B2%D8%A9")
        );
    }
}
