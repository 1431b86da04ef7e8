//! Which site of the network a request is for: by host name first, then by
//! a path prefix (`/ar/…`) on any host, else the network's default site.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use dateline_core::Site;
pub use dateline_newsdesk::sites::{Network, SiteEntry};
use std::sync::Arc;

use crate::AppState;

/// How a request reached its site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    Host,
    Prefix,
    Default,
}

/// The site a request is for, and how its URLs are written in this request.
#[derive(Debug, Clone)]
pub struct Edition {
    pub entry: Arc<SiteEntry>,
    /// Prepended to site paths: `""` when the site was chosen by host name
    /// or is the default, `"/ar"` when chosen by path prefix.
    pub base_path: String,
    /// True when the site was chosen by its host name.
    pub by_host: bool,
    /// `http` or `https`, as the client reached us (`X-Forwarded-Proto`
    /// from a proxy in front).
    pub scheme: &'static str,
    /// The `Host` the client used, with its port.
    pub host: String,
}

/// Finding the site of a request in the network.
pub trait Resolve {
    /// Chooses the site for a host and path; returns the site and the path
    /// inside it (prefix removed).
    fn resolve<'p>(&self, host: Option<&str>, path: &'p str) -> Option<(Edition, &'p str)>;

    /// The path inside its site of a request's path (`/ar/politics` is
    /// `/politics` of the Arabic edition), without building an [`Edition`].
    fn site_path<'p>(&self, host: Option<&str>, path: &'p str) -> &'p str;
}

impl Resolve for Network {
    fn resolve<'p>(&self, host: Option<&str>, path: &'p str) -> Option<(Edition, &'p str)> {
        let (entry, via, rest) = locate(self, host, path)?;
        let edition = Edition {
            entry: entry.clone(),
            base_path: match via {
                Via::Prefix => format!("/{}", entry.site.path_prefix),
                Via::Host | Via::Default => String::new(),
            },
            by_host: via == Via::Host,
            scheme: "http",
            host: String::new(),
        };
        Some((edition, rest))
    }

    fn site_path<'p>(&self, host: Option<&str>, path: &'p str) -> &'p str {
        locate(self, host, path).map_or(path, |(_, _, rest)| rest)
    }
}

/// By host name first, then by path prefix, else the default site.
fn locate<'n, 'p>(
    network: &'n Network,
    host: Option<&str>,
    path: &'p str,
) -> Option<(&'n Arc<SiteEntry>, Via, &'p str)> {
    let host = host.map(|h| {
        h.rsplit_once(':').map_or(h, |(name, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                name
            } else {
                h
            }
        })
    });
    if let Some(host) = host
        && let Some(entry) = network.sites.iter().find(|e| {
            e.site
                .hostnames
                .iter()
                .any(|h| h.eq_ignore_ascii_case(host))
        })
    {
        return Some((entry, Via::Host, path));
    }
    let first = path
        .strip_prefix('/')
        .and_then(|p| p.split('/').next())
        .unwrap_or("");
    if !first.is_empty()
        && let Some(entry) = network.sites.iter().find(|e| e.site.path_prefix == first)
    {
        let rest = &path[1 + first.len()..];
        let rest = if rest.is_empty() { "/" } else { rest };
        return Some((entry, Via::Prefix, rest));
    }
    let default = network
        .sites
        .iter()
        .find(|e| e.site.path_prefix.is_empty())
        .or_else(|| network.sites.first())?;
    Some((default, Via::Default, path))
}

impl Edition {
    pub fn site(&self) -> &Site {
        &self.entry.site
    }

    /// The site's section with this slug.
    pub fn section(&self, slug: &str) -> Option<&dateline_core::Section> {
        self.entry.sections.iter().find(|s| s.slug.as_str() == slug)
    }

    /// A path of this site as written in links of the current request.
    pub fn url(&self, path: &str) -> String {
        let mut url = String::with_capacity(self.base_path.len() + path.len());
        url.push_str(&self.base_path);
        url.push_str(path);
        url
    }

    /// The absolute canonical URL of a site path.
    pub fn canonical(&self, path: &str) -> String {
        format!("{}{path}", self.base_of(self.site()))
    }

    /// The absolute base URL of a site, without a trailing slash: its
    /// configured `base_url`, else derived from how this request reached
    /// us, so a site without one (the demo, a test) links correctly on any
    /// host and port.
    pub fn base_of(&self, site: &Site) -> String {
        if !site.base_url.is_empty() {
            return site.base_url.trim_end_matches('/').to_owned();
        }
        let origin = format!("{}://{}", self.scheme, self.host);
        if site.id == self.site().id {
            return format!("{origin}{}", self.base_path);
        }
        if self.by_host
            && let Some(name) = site.hostnames.first()
        {
            let port = self
                .host
                .rsplit_once(':')
                .map(|(_, port)| format!(":{port}"))
                .unwrap_or_default();
            return format!("{}://{name}{port}", self.scheme);
        }
        if site.path_prefix.is_empty() {
            origin
        } else {
            format!("{origin}/{}", site.path_prefix)
        }
    }

    /// True when readers reach this site over HTTPS.
    pub fn is_https(&self) -> bool {
        self.scheme == "https" || self.site().base_url.starts_with("https://")
    }

    /// How to link from this request to a path of another site.
    pub fn link_to(&self, other: &Site, path: &str) -> String {
        if self.by_host {
            format!("{}{path}", self.base_of(other))
        } else if other.path_prefix.is_empty() {
            path.to_owned()
        } else {
            format!("/{}{path}", other.path_prefix)
        }
    }
}

/// Middleware around the whole router: resolves the site, strips its path
/// prefix so routes are written once for every site, and records the
/// [`Edition`] in the request.
pub async fn resolve_site(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let network = app.network();
    let host = match request_host(&req).map(canonical_host) {
        Some(None) => {
            return (StatusCode::BAD_REQUEST, "malformed Host header").into_response();
        }
        Some(Some(host)) => Some(host),
        None => None,
    };
    // Absolute links (canonical, feeds, sitemaps, mail) are built from
    // the host when a site has no base URL: a forged one must not get in.
    if let Some(host) = &host
        && !is_known_host(&network, host)
    {
        return (
            StatusCode::BAD_REQUEST,
            "This server does not serve that host name.",
        )
            .into_response();
    }
    let path = req.uri().path().to_owned();
    let scheme = request_scheme(req.headers(), app.config.behind_proxy());
    let Some((mut edition, rest)) = network.resolve(host.as_deref(), &path) else {
        // A network without sites still answers health checks.
        if path == "/healthz" {
            return next.run(req).await;
        }
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "This Dateline network has no site yet.",
        )
            .into_response();
    };
    if rest != path {
        let rewritten = match req.uri().query() {
            Some(q) => format!("{rest}?{q}"),
            None => rest.to_owned(),
        };
        match rewritten.parse::<Uri>() {
            Ok(uri) => *req.uri_mut() = uri,
            Err(_) => return (StatusCode::BAD_REQUEST, "malformed request path").into_response(),
        }
    }
    edition.scheme = scheme;
    edition.host = host.unwrap_or_else(|| "localhost".into());
    req.extensions_mut().insert(edition);
    next.run(req).await
}

/// True when a request's `Host` (with its port) is one the network
/// answers for: a site's host name, the host of a site's base URL, or
/// this machine (`localhost`, `*.localhost`, loopback addresses).
pub fn is_known_host(network: &Network, host: &str) -> bool {
    let name = host_name(host).to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    if let Ok(ip) = name
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        && ip.is_loopback()
    {
        return true;
    }
    network.sites.iter().any(|entry| {
        let site = &entry.site;
        site.hostnames.iter().any(|h| h.eq_ignore_ascii_case(&name))
            || base_url_host(&site.base_url).is_some_and(|h| h.eq_ignore_ascii_case(&name))
    })
}

/// A `Host` value in one spelling: the name in lower case, the port as a
/// number (`News.Example:080` is `news.example:80`); `None` when the port
/// is not one. Caches keyed by host then see one entry per host and port,
/// not one per way of writing them.
pub fn canonical_host(host: &str) -> Option<String> {
    let mut out = String::with_capacity(host.len());
    push_canonical_host(&mut out, host)?;
    Some(out)
}

/// [`canonical_host`] written at the end of `out` (the page cache's key
/// is built this way, without a string of its own per request).
pub fn push_canonical_host(out: &mut String, host: &str) -> Option<()> {
    let name = host_name(host);
    out.extend(name.chars().map(|c| c.to_ascii_lowercase()));
    if name.len() < host.len() {
        let port: u16 = host[name.len() + 1..].parse().ok()?;
        use std::fmt::Write as _;
        let _ = write!(out, ":{port}");
    }
    Some(())
}

/// A `Host` value without its port (`[::1]:8080` is `[::1]`).
fn host_name(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.ends_with(':') => {
            name
        }
        _ => host,
    }
}

/// The host of a base URL (`https://news.example.com/x` is `news.example.com`).
fn base_url_host(base_url: &str) -> Option<&str> {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    Some(host_name(authority)).filter(|h| !h.is_empty())
}

/// The host a request was sent to: its `Host` header, else the authority
/// of its URI (HTTP/2).
pub fn request_host(req: &Request) -> Option<&str> {
    req.headers()
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().host())
}

/// `https` when the proxy in front says the reader used it. Only a
/// declared proxy (`behind_proxy`: `client_ip_header` is set) is
/// believed, and only the value it added (the rightmost): without one, any
/// client could write the header and be served `https` links and cookies
/// for a connection that is not.
pub fn request_scheme(headers: &axum::http::HeaderMap, behind_proxy: bool) -> &'static str {
    if !behind_proxy {
        return "http";
    }
    let added = headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .map(str::trim);
    match added {
        Some(proto) if proto.eq_ignore_ascii_case("https") => "https",
        _ => "http",
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Edition {
    type Rejection = StatusCode;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Edition>()
            .cloned()
            .ok_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_has_one_spelling_and_a_port_must_be_a_port() {
        assert_eq!(
            canonical_host("News.Example:080").as_deref(),
            Some("news.example:80")
        );
        assert_eq!(
            canonical_host("news.example").as_deref(),
            Some("news.example")
        );
        assert_eq!(canonical_host("[::1]:00443").as_deref(), Some("[::1]:443"));
        assert_eq!(canonical_host("news.example:99999"), None);
    }

    #[test]
    fn only_the_networks_own_hosts_and_this_machine_are_served() {
        let network = Network::default();
        for mine in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:8080",
            "[::1]:8080",
            "[::1]",
            "courier.localhost",
        ] {
            assert!(is_known_host(&network, mine), "{mine}");
        }
        for theirs in [
            "evil.example",
            "evil.example:8080",
            "10.0.0.1",
            "localhost.evil.example",
        ] {
            assert!(!is_known_host(&network, theirs), "{theirs}");
        }
        assert_eq!(
            base_url_host("https://news.example.com/ar"),
            Some("news.example.com")
        );
        assert_eq!(
            base_url_host("http://news.example.com:8443"),
            Some("news.example.com")
        );
        assert_eq!(base_url_host(""), None);
    }
}
