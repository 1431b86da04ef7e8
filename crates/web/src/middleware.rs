//! Cross-cutting HTTP behaviour: security headers, caching headers and
//! conditional GET, error pages, request ids.

use crate::error::PageError;
use crate::front_door::PageKey;
use crate::network::Edition;
use crate::page_cache::{Lookup, Page};
use crate::{AppState, compression};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dateline_core::purge::SurrogateKey;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;
use tower_http::request_id::{MakeRequestId, RequestId};

/// No page depends on inline script or style, so none is allowed; images
/// may be data URIs (placeholders); nobody may frame the site.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
    form-action 'self'; frame-ancestors 'none'";

/// Headers every response carries.
pub fn security_headers() -> [(HeaderName, HeaderValue); 5] {
    [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("interest-cohort=(), browsing-topics=()"),
        ),
    ]
}

/// How long caches (browsers, CDNs) may keep a kind of response.
#[derive(Debug, Clone, Copy)]
pub enum CacheKind {
    /// An article: changes rarely once published.
    Article,
    /// Home, section, tag, author and archive pages: change with every story.
    List,
    NotFound,
    /// A permanent redirect to an article's canonical URL.
    Redirect,
    /// A static file whose URL carries its content hash.
    Immutable,
    /// Uploaded media.
    Media,
    /// Never cache (health checks, errors).
    NoStore,
}

impl CacheKind {
    pub fn header_value(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            CacheKind::Article => {
                "public, max-age=60, stale-while-revalidate=600, stale-if-error=86400"
            }
            CacheKind::List => {
                "public, max-age=30, stale-while-revalidate=300, stale-if-error=86400"
            }
            CacheKind::NotFound => "public, max-age=30",
            CacheKind::Redirect => "public, max-age=3600",
            CacheKind::Immutable => "public, max-age=31536000, immutable",
            CacheKind::Media => "public, max-age=86400",
            CacheKind::NoStore => "no-store",
        })
    }
}

/// The cache keys of a response: which site, articles, sections, tags and
/// authors it shows, so the page cache and CDNs can drop exactly the pages
/// an edit changes (`core::purge` says which keys a change touches). Sent
/// as `Surrogate-Key` (Fastly, Varnish xkey style, space separated) and
/// `Cache-Tag` (Cloudflare, comma separated).
#[derive(Debug, Default, Clone)]
pub struct CacheKeys(Vec<SurrogateKey>);

impl CacheKeys {
    /// Keys every page of a site carries.
    pub fn site(site: dateline_core::SiteId) -> CacheKeys {
        CacheKeys(vec![SurrogateKey::Site(site)])
    }
    /// The page shows the site's latest articles (home, archive, "more
    /// articles"): any publication on the site changes it.
    pub fn latest(self, site: dateline_core::SiteId) -> CacheKeys {
        self.with(SurrogateKey::Latest(site))
    }
    pub fn with(mut self, key: SurrogateKey) -> CacheKeys {
        if !self.0.contains(&key) {
            self.0.push(key);
        }
        self
    }

    pub fn keys(&self) -> &[SurrogateKey] {
        &self.0
    }

    pub fn apply(&self, headers: &mut HeaderMap) {
        if self.0.is_empty() {
            return;
        }
        let names: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        if let Ok(value) = HeaderValue::from_str(&names.join(" ")) {
            headers.insert(HeaderName::from_static("surrogate-key"), value);
        }
        if let Ok(value) = HeaderValue::from_str(&names.join(",")) {
            headers.insert(HeaderName::from_static("cache-tag"), value);
        }
    }
}

/// Renders [`PageError`] responses as the site's error page, in the
/// language of the site the request was for; logs server errors once.
pub async fn error_pages(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let edition = req.extensions().get::<Edition>().cloned();
    let response = next.run(req).await;
    let Some(mut error) = response.extensions().get::<PageError>().cloned() else {
        return response;
    };
    if let Some(cause) = &error.cause {
        tracing::error!(status = error.status.as_u16(), %cause, "request failed");
    }
    let Some(edition) = edition else {
        return response;
    };
    if let Some(id) = error.reason_id {
        error.reason = Some(
            app.translations
                .text(edition.site().lang, id, None)
                .into_owned(),
        );
    }
    let mut page = match crate::site::error_page(&app, &edition, &error) {
        Ok(html) => (error.status, axum::response::Html(html)).into_response(),
        Err(render_error) => {
            tracing::error!(%render_error, "cannot render the error page");
            return response;
        }
    };
    let cache = if error.status == StatusCode::NOT_FOUND {
        CacheKind::NotFound
    } else {
        CacheKind::NoStore
    };
    page.headers_mut()
        .insert(header::CACHE_CONTROL, cache.header_value());
    page
}

/// Largest body buffered to be tagged and compressed; pages are far smaller.
const MAX_BUFFERED_BODY: usize = 8 * 1024 * 1024;

/// Finishes textual 200 responses to GET: adds a weak ETag, answers
/// `If-None-Match` / `If-Modified-Since` with 304 Not Modified (RFC 9110
/// §13), and compresses the body for clients that accept it. The tag is
/// weak because the encoding changes the bytes, not the meaning.
///
/// Public pages go through the page cache on the way (`page_cache`): a
/// hit skips the handler, and concurrent misses for one page wait for a
/// single render. Conditional GET and compression come after the cache,
/// so one entry serves every encoding and every validator.
pub async fn finish_pages(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let ask = Conditions::of(req.headers());
    let key = req.extensions_mut().remove::<PageKey>();
    let page = match key {
        None => match finished(next.run(req).await).await {
            Ok(page) => page,
            Err(response) => return response,
        },
        Some(key) => {
            let render = *req.method() == Method::GET;
            match app.page_cache.lookup(&key.0, render).await {
                Lookup::Hit(page) => page,
                Lookup::Pass => match finished(next.run(req).await).await {
                    Ok(page) => page,
                    Err(response) => return response,
                },
                Lookup::Render(render) => match finished(next.run(req).await).await {
                    Ok(page) => {
                        render.finish(page.clone());
                        page
                    }
                    Err(response) => {
                        render.pass();
                        return response;
                    }
                },
            }
        }
    };
    respond(&app, &page, &ask)
}

/// What a request asks of the answer: validators and an encoding.
pub(crate) struct Conditions {
    if_none_match: Option<HeaderValue>,
    if_modified_since: Option<SystemTime>,
    encoding: Option<compression::Encoding>,
}

impl Conditions {
    pub(crate) fn of(headers: &HeaderMap) -> Conditions {
        Conditions {
            if_none_match: headers.get(header::IF_NONE_MATCH).cloned(),
            if_modified_since: headers
                .get(header::IF_MODIFIED_SINCE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| httpdate::parse_http_date(v).ok()),
            encoding: compression::negotiate(headers.get(header::ACCEPT_ENCODING)),
        }
    }
}

/// Buffers a textual 200 answer into a [`Page`] (with its ETag); any
/// other answer comes back as it is.
async fn finished(response: Response) -> Result<Arc<Page>, Response> {
    if response.status() != StatusCode::OK
        || !is_textual(response.headers())
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return Err(response);
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BUFFERED_BODY).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "cannot buffer response body");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    // Appended: a handler may vary on more (the API on Authorization).
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    // Here rather than only in the outer layer: cache hits skip it.
    for (name, value) in security_headers() {
        if !parts.headers.contains_key(&name) {
            parts.headers.insert(name, value);
        }
    }
    let mut page = Page::new(std::mem::take(&mut parts.headers), bytes);
    if !page.headers.contains_key(header::ETAG) {
        let tag = format!("W/\"{:016x}\"", page.hash);
        if let Ok(value) = HeaderValue::from_str(&tag) {
            page.headers.insert(header::ETAG, value);
        }
    }
    Ok(Arc::new(page))
}

/// The answer to one request from a finished page: 304, or the body in
/// the encoding the client prefers.
pub(crate) fn respond(app: &AppState, page: &Page, ask: &Conditions) -> Response {
    let not_modified = match (&ask.if_none_match, page.headers.get(header::ETAG)) {
        (Some(wanted), Some(etag)) => etag_matches(wanted, etag),
        (Some(_), None) => false,
        (None, _) => match (ask.if_modified_since, last_modified(&page.headers)) {
            (Some(since), Some(modified)) => modified <= since,
            _ => false,
        },
    };
    if not_modified {
        let mut headers = HeaderMap::new();
        let kept = [
            header::ETAG,
            header::CACHE_CONTROL,
            header::LAST_MODIFIED,
            header::VARY,
            header::EXPIRES,
        ];
        let security = security_headers().map(|(name, _)| name);
        for name in kept.iter().chain(&security) {
            for value in page.headers.get_all(name) {
                headers.append(name.clone(), value.clone());
            }
        }
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let mut response = Response::new(Body::empty());
    *response.headers_mut() = page.headers.clone();
    if let Some(encoding) = ask
        .encoding
        .filter(|_| page.body.len() >= compression::MIN_COMPRESSED_SIZE)
        && let Some(compressed) = page.compressed(
            encoding,
            app.config.compression_level,
            &app.compression_memo,
        )
    {
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_ENCODING, encoding.header_value());
        headers.remove(header::CONTENT_LENGTH);
        *response.body_mut() = Body::from(compressed);
        return response;
    }
    *response.body_mut() = Body::from(page.body.clone());
    response
}

fn is_textual(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.starts_with("text/") || ct.starts_with("application/json") || ct.contains("xml")
        })
}

fn last_modified(headers: &HeaderMap) -> Option<SystemTime> {
    headers
        .get(header::LAST_MODIFIED)?
        .to_str()
        .ok()
        .and_then(|v| httpdate::parse_http_date(v).ok())
}

/// Weak comparison of an `If-None-Match` list against an entity tag.
fn etag_matches(wanted: &HeaderValue, etag: &HeaderValue) -> bool {
    let Ok(wanted) = wanted.to_str() else {
        return false;
    };
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    let etag = bare(etag);
    wanted
        .split(',')
        .any(|candidate| candidate.trim() == "*" || bare(candidate) == etag)
}

/// `Last-Modified` value for a time.
pub fn http_date(time: time::OffsetDateTime) -> HeaderValue {
    let system = SystemTime::UNIX_EPOCH
        + std::time::Duration::from_secs(time.unix_timestamp().max(0) as u64);
    HeaderValue::from_str(&httpdate::fmt_http_date(system))
        .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"))
}

/// A `Location` header for a site path. Header values must be ASCII
/// (RFC 9110 §5.5), so Arabic slugs are percent-encoded as UTF-8.
pub fn location(path: &str) -> HeaderValue {
    let mut encoded = String::with_capacity(path.len() * 2);
    for byte in path.bytes() {
        if byte.is_ascii_graphic() {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    HeaderValue::from_str(&encoded).unwrap_or(HeaderValue::from_static("/"))
}

/// Request ids: a per-process random start and a counter, enough to find
/// one request's log lines.
#[derive(Clone)]
pub struct RequestIds {
    next: std::sync::Arc<AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        let seed = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        RequestIds {
            next: std::sync::Arc::new(AtomicU64::new(seed << 20)),
        }
    }
}

impl RequestIds {
    /// The next id, as sixteen hex digits.
    pub fn next_id(&self) -> HeaderValue {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let mut digits = [0u8; 16];
        for (i, digit) in digits.iter_mut().enumerate() {
            *digit = HEX[((id >> (60 - 4 * i)) & 0xf) as usize];
        }
        HeaderValue::from_bytes(&digits).unwrap_or(HeaderValue::from_static("0"))
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        Some(RequestId::new(self.next_id()))
    }
}

/// True when a request that changes state comes from this site's pages.
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        host,
    ) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest == host),
        // Neither header: not a browser (curl, scripts); SameSite cookies
        // already keep other sites' forms from carrying the session.
        (None, _) => true,
        (Some(_), None) => false,
    }
}

/// The reader's address, for rate limits, throttling and bans: the
/// connection's peer, or the configured header a trusted reverse proxy
/// sets (`client_ip_header`), when it holds an address.
pub struct ClientIp(pub std::net::IpAddr);

impl axum::extract::FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = app.config.client_ip_header.trim();
        if !header.is_empty()
            && let Some(ip) = parts
                .headers
                .get(header)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse().ok())
        {
            return Ok(ClientIp(ip));
        }
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        Ok(ClientIp(peer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_ascii_with_arabic_percent_encoded() {
        assert_eq!(location("/ar/x/1-سلام"), "/ar/x/1-%D8%B3%D9%84%D8%A7%D9%85");
        assert_eq!(location("/en/x/1-peace"), "/en/x/1-peace");
    }

    #[test]
    fn request_ids_are_sixteen_hex_digits_and_never_repeat() {
        let ids = RequestIds::default();
        let (a, b) = (ids.next_id(), ids.next_id());
        assert_ne!(a, b);
        for id in [a, b] {
            let text = id.to_str().unwrap();
            assert_eq!(text.len(), 16);
            assert!(text.bytes().all(|c| c.is_ascii_hexdigit()));
        }
    }

    #[test]
    fn etags_compare_weakly_and_in_lists() {
        let tag = HeaderValue::from_static("W/\"abc\"");
        assert!(etag_matches(&HeaderValue::from_static("\"abc\""), &tag));
        assert!(etag_matches(
            &HeaderValue::from_static("\"x\", W/\"abc\""),
            &tag
        ));
        assert!(etag_matches(&HeaderValue::from_static("*"), &tag));
        assert!(!etag_matches(&HeaderValue::from_static("\"abd\""), &tag));
    }
}
