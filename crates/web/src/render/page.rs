//! Whole pages: a template rendered with its caching headers, and the
//! error page of a site in its language.

use crate::AppState;
use crate::error::{AppError, PageError};
use crate::http::CacheKind;
use crate::network::Edition;
use crate::render::chrome::Chrome;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

/// Renders a page template and sets its caching headers.
pub(crate) fn page<P: Serialize>(
    app: &AppState,
    edition: &Edition,
    template: &str,
    view: &P,
    cache: CacheKind,
    keys: &crate::http::CacheKeys,
    last_modified: Option<time::OffsetDateTime>,
) -> Result<Response, AppError> {
    let html = app.views.render(template, edition.site().lang, view)?;
    let mut response = Html(html).into_response();
    let headers = response.headers_mut();
    keys.apply(headers);
    headers.insert(header::CACHE_CONTROL, cache.header_value());
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(edition.site().lang.code()),
    );
    if let Some(time) = last_modified {
        headers.insert(header::LAST_MODIFIED, crate::http::http_date(time));
    }
    Ok(response)
}

#[derive(Serialize)]
struct ErrorView {
    chrome: Chrome,
    status: u16,
    reason: Option<String>,
}

/// The error page of a site in its language.
pub(crate) fn error_page(
    app: &AppState,
    edition: &Edition,
    error: &PageError,
) -> Result<String, minijinja::Error> {
    let title_id = match error.status.as_u16() {
        404 => "error-not-found-title",
        403 => "error-forbidden-title",
        429 => "error-too-many-title",
        400..=499 => "error-bad-request-title",
        _ => "error-server-title",
    };
    let title = app
        .translations
        .text(edition.site().lang, title_id, None)
        .into_owned();
    let view = ErrorView {
        chrome: Chrome::new(app, edition, title, None, "/")?,
        status: error.status.as_u16(),
        reason: error.reason.clone(),
    };
    app.views.render("error.html", edition.site().lang, &view)
}
