//! Feeds as readers and the WebSub hub get them: RSS 2.0, Atom 1.0
//! (RFC 4287) and JSON Feed 1.1, for the site and each section, tag and
//! author.

use crate::AppState;
use crate::error::AppError;
use crate::http::CacheKind;
use crate::network::Edition;
use crate::render::stamps::iso;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use dateline_core::purge::SurrogateKey;
use dateline_core::{Article, ArticleId, FeedContent, article_path};
use dateline_store::ArticleFilter;
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;
use time::OffsetDateTime;

/// Items per feed.
/// Where each site's hub lives.
pub const HUB_PATH: &str = "/websub";
const FEED_ITEMS: u32 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    pub fn file(self) -> &'static str {
        match self {
            Format::Rss => "feed.xml",
            Format::Atom => "atom.xml",
            Format::Json => "feed.json",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Format::Rss => "application/rss+xml",
            Format::Atom => "application/atom+xml",
            Format::Json => "application/feed+json",
        }
    }
}

/// The feeds a list page advertises with `<link rel="alternate">`.
#[derive(Serialize, Clone)]
pub(crate) struct FeedLink {
    pub media_type: &'static str,
    pub href: String,
    pub title: String,
}

/// Links to the three feeds of a list at `path` (`""` for the site).
pub(crate) fn links(edition: &Edition, path: &str, title: &str) -> Vec<FeedLink> {
    [Format::Rss, Format::Atom, Format::Json]
        .into_iter()
        .map(|f| FeedLink {
            media_type: f.media_type(),
            href: edition.url(&format!("{path}/{}", f.file())),
            title: title.to_owned(),
        })
        .collect()
}

#[derive(Serialize)]
struct FeedView {
    title: String,
    /// The page the feed mirrors.
    link: String,
    self_url: String,
    /// The WebSub hub, when the hub is on.
    hub_url: Option<String>,
    id: String,
    description: String,
    language: &'static str,
    updated_rfc3339: String,
    updated_rfc2822: String,
    items: Vec<ItemView>,
}

#[derive(Serialize)]
struct ItemView {
    id: String,
    title: String,
    link: String,
    summary: String,
    content_html: String,
    section: String,
    tags: Vec<String>,
    authors: Vec<String>,
    published_rfc3339: String,
    published_rfc2822: String,
    updated_rfc3339: String,
    image: Option<ImageEnclosure>,
}

#[derive(Serialize)]
struct ImageEnclosure {
    url: String,
    media_type: String,
    alt: String,
}

/// Entries of a live story carried in a feed item, newest first.
const FEED_LIVE_ENTRIES: u32 = 10;

/// A live story's newest entries as the top of its feed item: a heading,
/// then each entry under its time (and headline), linked to its anchor.
fn live_feed_html(
    app: &AppState,
    edition: &Edition,
    article: &Article,
    entries: &[dateline_newsdesk::live::LiveEntry],
) -> String {
    let site = edition.site();
    let stamps = crate::render::stamps::Stamps::new(app, site);
    let page = edition.canonical(&article_path(
        &article.section.slug,
        article.id,
        &article.slug,
    ));
    let mut html = format!(
        "<h2>{}</h2>",
        escape(&app.translations.text(site.lang, "live-updates", None))
    );
    for entry in entries {
        let mut title = stamps.list(entry.created_at);
        if !entry.headline.is_empty() {
            title = format!("{title}: {}", entry.headline);
        }
        html.push_str(&format!(
            "<h3><a href=\"{page}#entry-{}\">{}</a></h3>{}",
            entry.seq,
            escape(&title),
            entry.body_html
        ));
    }
    html
}

/// Text for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rfc2822(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc2822)
        .unwrap_or_default()
}

/// A stable id for an article in feeds (RSS guid, Atom id, JSON Feed id).
fn item_id(site_key: &str, article: &Article) -> String {
    format!("urn:dateline:{site_key}:article:{}", article.id)
}

/// Builds and renders a feed of the articles `filter` selects.
async fn render(
    app: &AppState,
    edition: &Edition,
    filter: ArticleFilter,
    list_path: &str,
    title: String,
    format: Format,
) -> Result<Response, AppError> {
    let site = edition.site();
    let now = OffsetDateTime::now_utc();
    let summaries = app
        .db
        .published_articles(site.id, filter, now, FEED_ITEMS, 0)
        .await?;
    let mut articles: Vec<Arc<Article>> = Vec::with_capacity(summaries.len());
    for summary in summaries.iter() {
        if let Some(article) = app.db.published_article(site.id, summary.id, now).await? {
            articles.push(article);
        }
    }
    // A live story's newest entries lead its full text: each one posted
    // changes the feed, which the WebSub hub then pushes.
    let mut live_html: HashMap<ArticleId, String> = HashMap::new();
    if site.feed_content == FeedContent::Full {
        for article in articles.iter().filter(|a| a.live.is_some()) {
            let entries = app
                .desk
                .live_entries(article.id, 0, FEED_LIVE_ENTRIES)
                .await?;
            live_html.insert(article.id, live_feed_html(app, edition, article, &entries));
        }
    }
    let updated = articles.iter().map(|a| a.updated_at).max().unwrap_or(now);
    let feed_path = format!("{list_path}/{}", format.file());
    let items = articles
        .iter()
        .map(|a| {
            let published = a.published_at.unwrap_or(a.updated_at);
            ItemView {
                id: item_id(&site.key, a),
                title: a.headline.clone(),
                link: edition.canonical(&article_path(&a.section.slug, a.id, &a.slug)),
                summary: a.standfirst.clone(),
                content_html: match (site.feed_content, live_html.get(&a.id)) {
                    (FeedContent::Full, Some(live)) => format!("{live}{}", a.body_html),
                    (FeedContent::Full, None) => a.body_html.clone(),
                    (FeedContent::Summary, _) => String::new(),
                },
                section: a.section.name.clone(),
                tags: a.tags.iter().map(|t| t.name.clone()).collect(),
                authors: if a.authors.is_empty() {
                    vec![if a.source_credit.is_empty() {
                        site.name.clone()
                    } else {
                        a.source_credit.clone()
                    }]
                } else {
                    a.authors.iter().map(|w| w.name.clone()).collect()
                },
                published_rfc3339: iso(published),
                published_rfc2822: rfc2822(published),
                updated_rfc3339: iso(a.updated_at),
                image: a.lead_image.as_ref().map(|i| ImageEnclosure {
                    url: edition.canonical(&format!("/media/{}", i.path)),
                    media_type: media_type_of(&i.path).to_owned(),
                    alt: i.alt.clone(),
                }),
            }
        })
        .collect();
    let view = FeedView {
        title,
        link: edition.canonical(if list_path.is_empty() { "/" } else { list_path }),
        self_url: edition.canonical(&feed_path),
        hub_url: app.config.websub.then(|| edition.canonical(HUB_PATH)),
        id: format!(
            "urn:dateline:{}:feed:{}",
            site.key,
            if list_path.is_empty() { "/" } else { list_path }
        ),
        description: site.description.clone(),
        language: site.lang.code(),
        updated_rfc3339: iso(updated),
        updated_rfc2822: rfc2822(updated),
        items,
    };
    let body = match format {
        Format::Rss => app.views.render("feed.xml", site.lang, &view)?,
        Format::Atom => app.views.render("atom.xml", site.lang, &view)?,
        Format::Json => json_feed(&view),
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    let content_type = format!("{}; charset=utf-8", format.media_type());
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, CacheKind::List.header_value());
    crate::http::list_keys(site.id, filter)
        .with(SurrogateKey::Feed(site.key.clone()))
        .apply(headers);
    headers.insert(header::LAST_MODIFIED, crate::http::http_date(updated));
    if let Some(hub) = &view.hub_url
        && let Ok(link) = HeaderValue::from_str(&format!(
            "<{hub}>; rel=\"hub\", <{}>; rel=\"self\"",
            view.self_url
        ))
    {
        headers.insert(header::LINK, link);
    }
    Ok(response)
}

/// JSON Feed 1.1 (jsonfeed.org/version/1.1).
fn json_feed(view: &FeedView) -> String {
    let items: Vec<_> = view
        .items
        .iter()
        .map(|i| {
            let mut item = json!({
                "id": i.id,
                "url": i.link,
                "title": i.title,
                "summary": i.summary,
                "date_published": i.published_rfc3339,
                "date_modified": i.updated_rfc3339,
                "authors": i.authors.iter().map(|name| json!({ "name": name })).collect::<Vec<_>>(),
                "tags": i.tags,
            });
            // An item needs content_html or content_text (JSON Feed 1.1).
            if i.content_html.is_empty() {
                item["content_text"] = json!(if i.summary.is_empty() {
                    &i.title
                } else {
                    &i.summary
                });
            } else {
                item["content_html"] = json!(i.content_html);
            }
            if let Some(image) = &i.image {
                item["image"] = json!(image.url);
                item["attachments"] = json!([{ "url": image.url, "mime_type": image.media_type, "title": image.alt }]);
            }
            item
        })
        .collect();
    let mut feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": view.title,
        "home_page_url": view.link,
        "feed_url": view.self_url,
        "description": view.description,
        "language": view.language,
        "items": items,
    });
    if let Some(hub) = &view.hub_url {
        feed["hubs"] = json!([{ "type": "WebSub", "url": hub }]);
    }
    feed.to_string()
}

fn media_type_of(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "webp" => "image/webp",
        _ => "image/jpeg",
    }
}

pub(crate) async fn site(
    app: &AppState,
    edition: &Edition,
    format: Format,
) -> Result<Response, AppError> {
    let title = edition.site().name.clone();
    render(app, edition, ArticleFilter::All, "", title, format).await
}

pub(crate) async fn section(
    app: &AppState,
    edition: &Edition,
    slug: &str,
    format: Format,
) -> Result<Response, AppError> {
    let section = edition.section(slug).ok_or(AppError::NotFound)?;
    let title = format!("{} - {}", section.name, edition.site().name);
    render(
        app,
        edition,
        ArticleFilter::Section(section.id),
        &format!("/{}", section.slug),
        title,
        format,
    )
    .await
}

pub(crate) async fn tag(
    app: &AppState,
    edition: &Edition,
    slug: &str,
    format: Format,
) -> Result<Response, AppError> {
    let tag = app
        .db
        .tag_by_slug(edition.site().id, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let title = format!("{} - {}", tag.name, edition.site().name);
    render(
        app,
        edition,
        ArticleFilter::Tag(tag.id),
        &format!("/tag/{}", tag.slug),
        title,
        format,
    )
    .await
}

pub(crate) async fn author(
    app: &AppState,
    edition: &Edition,
    slug: &str,
    format: Format,
) -> Result<Response, AppError> {
    let author = app
        .db
        .author_by_slug(edition.site().id, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let title = format!("{} - {}", author.name, edition.site().name);
    render(
        app,
        edition,
        ArticleFilter::Author(author.id),
        &format!("/author/{}", author.slug),
        title,
        format,
    )
    .await
}

/// The feed at a site path (`/feed.xml`, `/politics/atom.xml`,
/// `/tag/x/feed.json`, `/author/y/atom.xml`), as its route serves it; for
/// the WebSub hub, which checks topics and distributes content. A path
/// that is no feed is [`AppError::NotFound`].
pub(crate) async fn for_path(
    app: &AppState,
    edition: &Edition,
    path: &str,
) -> Result<Response, AppError> {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let format = |file: &str| {
        [Format::Rss, Format::Atom, Format::Json]
            .into_iter()
            .find(|f| f.file() == file)
            .ok_or(AppError::NotFound)
    };
    match parts.as_slice() {
        [file] => site(app, edition, format(file)?).await,
        [slug, file] => section(app, edition, slug, format(file)?).await,
        ["tag", slug, file] => tag(app, edition, slug, format(file)?).await,
        ["author", slug, file] => author(app, edition, slug, format(file)?).await,
        _ => Err(AppError::NotFound),
    }
}
