//! Cross-cutting HTTP behaviour: security headers, caching headers and
//! conditional GET, error pages, request ids.

use crate::AppState;
use crate::edge::conditional::{Conditions, finished, respond};
use crate::edge::page_cache::Lookup;
use crate::edge::page_cache::PageKey;
use crate::error::{AppError, PageError};
use crate::http::CacheKind;
use crate::network::Edition;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;
use tower_http::request_id::{MakeRequestId, RequestId};

/// Renders [`PageError`] responses as the site's error page, in the
/// language of the site the request was for; logs server errors once.
///
/// A reader's address that found nothing may be an old one kept as a
/// redirect (a link from before a move): it answers `301` to where it
/// leads now instead.
///
/// WordPress's own addresses of the home page (`/?p=123`, `/?page_id=7`)
/// find the home page: they are looked up first, and answer `404` when no
/// redirect has them, so a made-up number never costs a home page render
/// or a page cache entry of its own.
pub async fn error_pages(State(app): State<AppState>, req: Request, next: Next) -> Response {
    let edition = req.extensions().get::<Edition>().cloned();
    let asked = matches!(*req.method(), Method::GET | Method::HEAD)
        .then(|| req.uri().path_and_query().map(|p| p.as_str().to_owned()))
        .flatten();
    let old_query = asked.as_deref().is_some_and(is_wordpress_query);
    let response = if old_query && edition.is_some() {
        AppError::NotFound.into_response()
    } else {
        next.run(req).await
    };
    let Some(mut error) = response.extensions().get::<PageError>().cloned() else {
        return response;
    };
    if let Some(cause) = &error.cause {
        tracing::error!(status = error.status.as_u16(), %cause, "request failed");
    }
    let Some(edition) = edition else {
        return response;
    };
    if let Some(asked) = asked.filter(|_| error.status == StatusCode::NOT_FOUND) {
        match app.desk.redirect_for(edition.site().id, &asked).await {
            Ok(Some((site, path))) => {
                let network = app.network();
                let location = match network.entry(site) {
                    Some(entry) if site != edition.site().id => edition.link_to(&entry.site, &path),
                    _ => edition.url(&path),
                };
                return crate::http::moved_permanently(&location);
            }
            Ok(None) => {}
            Err(failure) => {
                tracing::warn!(error = %crate::error::cause_chain(&failure), "cannot look up an old address")
            }
        }
    }
    if let Some(id) = error.reason_id {
        error.reason = Some(
            app.translations
                .text(edition.site().lang, id, None)
                .into_owned(),
        );
    }
    let mut page = match crate::render::page::error_page(&app, &edition, &error) {
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

/// WordPress's query addresses of the home page: a post, a page, a
/// category or an attachment by number.
fn is_wordpress_query(path_and_query: &str) -> bool {
    let Some(("/", query)) = path_and_query.split_once('?') else {
        return false;
    };
    form_urlencoded::parse(query.as_bytes()).any(|(name, value)| {
        matches!(&*name, "p" | "page_id" | "cat" | "attachment_id")
            && !value.is_empty()
            && value.bytes().all(|b| b.is_ascii_digit())
    })
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
