//! Conditional GET and the finished form of a page: a weak ETag and
//! `Last-Modified` on textual 200 responses, 304 Not Modified for
//! `If-None-Match` / `If-Modified-Since` (RFC 9110 §13), and the body
//! compressed for clients that accept it, from one cached entry.

use crate::AppState;
use crate::edge::compression;
use crate::edge::page_cache::Page;
use crate::http::security_headers;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::SystemTime;

/// Largest body buffered to be tagged and compressed; pages are far smaller.
const MAX_BUFFERED_BODY: usize = 8 * 1024 * 1024;

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
pub(crate) async fn finished(response: Response) -> Result<Arc<Page>, Response> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
