//! The public site of each edition: home, sections, articles, tags,
//! authors, the dated archive, search, feeds, static files and media.

mod articles;
mod comments;
mod feeds;
mod files;
mod lists;
pub(crate) mod metrics;
mod search;
mod sitemaps;
pub(crate) mod websub;

use crate::AppState;
use crate::error::AppError;
use axum::Router;
use axum::routing::{get, post};

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
        .route("/{section}/{id_slug}/live", get(articles::live_entries))
        // Reader comments
        .route("/comments/code.png", get(comments::code_image))
        .route("/comments/challenge", get(comments::challenge))
        .route(
            "/comments/{article}",
            post(comments::submit).layer(axum::extract::DefaultBodyLimit::max(
                comments::MAX_FORM_BYTES,
            )),
        )
        .route(
            "/comments/verify",
            get(comments::verify).post(comments::confirm),
        )
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
