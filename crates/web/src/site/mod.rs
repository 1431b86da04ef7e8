//! The public site of each edition: home, sections, articles, tags,
//! authors, the dated archive, search, feeds, static files and media.

mod articles;
mod chrome;
mod comments;
mod feeds;
mod files;
mod lists;
mod metadata;
mod search;
mod sitemaps;

use crate::AppState;
use crate::error::{AppError, PageError};
use crate::middleware::CacheKind;
use crate::network::Edition;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;

pub(crate) use articles::{Audience, render as render_article};
pub(crate) use chrome::{Chrome, Layouts, iso as iso_time};
pub(crate) use comments::{CommentsQuery, view as comments_view};
pub(crate) use feeds::for_path as feed_for_path;

/// Routes of every site; paths are relative to the site's root, whichever
/// host name or prefix selected it.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .merge(feeds::routes())
        // Reader pages
        .route("/", get(lists::home))
        .route("/latest", get(lists::latest))
        .route("/archive", get(lists::archive_index))
        .route("/archive/", get(lists::archive_index))
        .route("/archive/{year}/{month}", get(lists::archive_month))
        .route("/archive/{year}/{month}/", get(lists::archive_month))
        .route("/search", get(search::page))
        .route("/tag/{slug}", get(lists::tag))
        .route("/author/{slug}", get(lists::author))
        .route("/{section}", get(lists::section))
        .route("/{section}/", get(lists::section))
        .route("/{section}/{id_slug}", get(articles::show))
        // Reader comments
        .route("/comments/code.png", get(comments::code_image))
        .route("/comments/challenge", get(comments::challenge))
        .route(
            "/comments/{article}",
            post(comments::submit).layer(axum::extract::DefaultBodyLimit::max(
                comments::MAX_FORM_BYTES,
            )),
        )
        .route("/comments/verify", get(comments::verify))
        .route("/comments/report/{comment}", post(comments::report))
        // Files and machines
        .route("/robots.txt", get(sitemaps::robots))
        .route("/sitemap.xml", get(sitemaps::index))
        .route("/sitemap-articles.xml", get(sitemaps::articles))
        .route("/sitemap-news.xml", get(sitemaps::news))
        .route("/static/{name}", get(files::static_file))
        .route("/media/{*path}", get(files::media))
        .route("/healthz", get(files::healthz))
        .fallback(|| async { AppError::NotFound })
}

/// Renders a page template and sets its caching headers.
pub(crate) fn page<P: Serialize>(
    app: &AppState,
    edition: &Edition,
    template: &str,
    view: &P,
    cache: CacheKind,
    keys: &crate::middleware::CacheKeys,
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
        headers.insert(header::LAST_MODIFIED, crate::middleware::http_date(time));
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
