//! `robots.txt`, the sitemap index, article sitemaps (sitemaps.org 0.9,
//! with image entries and hreflang alternates) and the Google News sitemap
//! (articles of the last 48 hours, at most 1,000).

use crate::AppState;
use crate::error::AppError;
use crate::http::{CacheKeys, CacheKind};
use crate::network::Edition;
use crate::render::stamps::iso;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use dateline_core::article_path;
use dateline_core::paging::PageNumber;
use dateline_store::ArticleFilter;
use serde::Serialize;
use time::{Duration, OffsetDateTime};

/// URLs per sitemap file, the protocol's limit.
const URLS_PER_SITEMAP: u32 = 50_000;
/// The Google News sitemap's window and size limit.
const NEWS_WINDOW: Duration = Duration::hours(48);
const NEWS_MAX: u32 = 1_000;

fn respond(body: String, content_type: &'static str, keys: &CacheKeys) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, CacheKind::List.header_value());
    keys.apply(headers);
    response
}

/// `/robots.txt`: names the sitemaps of every site reachable on this host.
pub(super) async fn robots(State(app): State<AppState>, edition: Edition) -> Response {
    let network = app.network();
    let mut text = String::from("User-agent: *\nDisallow: /newsroom\n");
    for entry in &network.sites {
        let reachable_here = entry.site.id == edition.site().id
            || (!edition.by_host && !entry.site.path_prefix.is_empty());
        if reachable_here {
            if !entry.site.path_prefix.is_empty() {
                text.push_str(&format!("Disallow: /{}/newsroom\n", entry.site.path_prefix));
            }
            let base = edition.base_of(&entry.site);
            text.push_str(&format!(
                "Sitemap: {base}/sitemap.xml\nSitemap: {base}/sitemap-news.xml\n"
            ));
        }
    }
    respond(
        text,
        "text/plain; charset=utf-8",
        &CacheKeys::site(edition.site().id),
    )
}

#[derive(Serialize)]
struct IndexView {
    sitemaps: Vec<String>,
}

/// `/sitemap.xml`: the index of the article sitemaps.
pub(super) async fn index(
    State(app): State<AppState>,
    edition: Edition,
) -> Result<Response, AppError> {
    let site = edition.site();
    let total = app
        .db
        .count_published(site.id, ArticleFilter::All, OffsetDateTime::now_utc())
        .await?;
    let files = (total.max(1) as u64).div_ceil(u64::from(URLS_PER_SITEMAP));
    let sitemaps = (1..=files)
        .map(|n| {
            if n == 1 {
                edition.canonical("/sitemap-articles.xml")
            } else {
                edition.canonical(&format!("/sitemap-articles.xml?page={n}"))
            }
        })
        .collect();
    let xml = app
        .views
        .render("sitemap_index.xml", site.lang, &IndexView { sitemaps })?;
    Ok(respond(
        xml,
        "application/xml; charset=utf-8",
        &CacheKeys::site(site.id).latest(site.id),
    ))
}

#[derive(Serialize)]
struct UrlSetView {
    urls: Vec<UrlView>,
}

#[derive(Serialize)]
struct UrlView {
    loc: String,
    lastmod: String,
    image: Option<String>,
    alternates: Vec<(&'static str, String)>,
}

/// `/sitemap-articles.xml?page=N`: up to 50,000 articles each.
pub(super) async fn articles(
    State(app): State<AppState>,
    edition: Edition,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let raw = query
        .as_deref()
        .and_then(|q| q.split('&').find_map(|p| p.strip_prefix("page=")));
    let page = PageNumber::parse(raw).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let site = edition.site();
    let network = app.network();
    let entries = app
        .db
        .sitemap_entries(
            site.id,
            OffsetDateTime::now_utc(),
            URLS_PER_SITEMAP,
            page.offset(URLS_PER_SITEMAP),
        )
        .await?;
    if entries.is_empty() && page.get() > 1 {
        return Err(AppError::NotFound);
    }
    let urls = entries
        .iter()
        .map(|e| {
            let loc = edition.canonical(&article_path(&e.section_slug, e.id, &e.slug));
            let mut alternates = Vec::new();
            for t in &e.translations {
                if let Some(other) = network.sites.iter().find(|s| s.site.id == t.site) {
                    alternates.push((
                        other.site.lang.code(),
                        format!(
                            "{}{}",
                            edition.base_of(&other.site),
                            article_path(&t.section_slug, t.id, &t.slug)
                        ),
                    ));
                }
            }
            if !alternates.is_empty() {
                alternates.push((site.lang.code(), loc.clone()));
            }
            UrlView {
                lastmod: iso(e.updated_at),
                image: e
                    .image_path
                    .as_ref()
                    .map(|p| edition.canonical(&format!("/media/{p}"))),
                alternates,
                loc,
            }
        })
        .collect();
    let xml = app
        .views
        .render("sitemap.xml", site.lang, &UrlSetView { urls })?;
    Ok(respond(
        xml,
        "application/xml; charset=utf-8",
        &CacheKeys::site(site.id).latest(site.id),
    ))
}

#[derive(Serialize)]
struct NewsView {
    publication: String,
    language: &'static str,
    items: Vec<NewsItem>,
}

#[derive(Serialize)]
struct NewsItem {
    loc: String,
    published: String,
    title: String,
}

/// `/sitemap-news.xml`: Google News sitemap of the last 48 hours.
pub(super) async fn news(
    State(app): State<AppState>,
    edition: Edition,
) -> Result<Response, AppError> {
    let site = edition.site();
    let now = OffsetDateTime::now_utc();
    let recent = app
        .db
        .published_articles(
            site.id,
            ArticleFilter::Between(now - NEWS_WINDOW, now),
            now,
            NEWS_MAX,
            0,
        )
        .await?;
    let items = recent
        .iter()
        .map(|a| NewsItem {
            loc: edition.canonical(&article_path(&a.section_slug, a.id, &a.slug)),
            published: iso(a.published_at),
            title: a.headline.clone(),
        })
        .collect();
    let view = NewsView {
        publication: site.name.clone(),
        language: site.lang.code(),
        items,
    };
    let xml = app.views.render("sitemap_news.xml", site.lang, &view)?;
    Ok(respond(
        xml,
        "application/xml; charset=utf-8",
        &CacheKeys::site(site.id).latest(site.id),
    ))
}
