//! HTTP vocabulary every layer shares: how a response may be cached and
//! which surrogate keys it carries, header values, the same-origin check
//! and the reader's address.

use crate::AppState;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dateline_core::purge::SurrogateKey;
use dateline_store::ArticleFilter;
use std::time::SystemTime;

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
    /// A live story's "entries after N": the same for every reader who
    /// has entry N; purged when the next one is posted.
    Live,
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
            CacheKind::Live => "public, max-age=5, stale-while-revalidate=30, stale-if-error=86400",
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
                // The rightmost value is the one the trusted proxy added;
                // anything left of it the client wrote itself.
                .and_then(|v| v.rsplit(',').next())
                .and_then(|v| v.trim().parse::<std::net::IpAddr>().ok())
        {
            return Ok(ClientIp(ip.to_canonical()));
        }
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            // IPv4 readers of a dual-stack listener come as `::ffff:a.b.c.d`.
            .map(|c| c.0.ip().to_canonical())
            .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        Ok(ClientIp(peer))
    }
}

/// Cache keys of a list: what publishing into it changes.
pub(crate) fn list_keys(site: dateline_core::SiteId, filter: ArticleFilter) -> CacheKeys {
    let keys = CacheKeys::site(site);
    match filter {
        ArticleFilter::All | ArticleFilter::Between(..) => keys.latest(site),
        ArticleFilter::Section(id) => keys.with(SurrogateKey::Section(id)),
        ArticleFilter::Tag(id) => keys.with(SurrogateKey::Tag(id)),
        ArticleFilter::Author(id) => keys.with(SurrogateKey::Author(id)),
    }
}

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

/// 303 See Other to a path of this site: where a form sends the browser
/// once it did what was asked (Post/Redirect/Get).
/// A permanent redirect (301 rather than 308: every crawler and feed
/// reader knows it), cacheable for an hour.
pub fn moved_permanently(target: &str) -> Response {
    let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, location(target));
    headers.insert(header::CACHE_CONTROL, CacheKind::Redirect.header_value());
    response
}

pub fn see_other(path: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    response
        .headers_mut()
        .insert(header::LOCATION, location(path));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_ascii_with_arabic_percent_encoded() {
        assert_eq!(location("/ar/x/1-سلام"), "/ar/x/1-%D8%B3%D9%84%D8%A7%D9%85");
        assert_eq!(location("/en/x/1-peace"), "/en/x/1-peace");
    }
}
