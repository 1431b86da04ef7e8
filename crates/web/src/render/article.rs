//! The article page, as readers see it and as the newsroom previews it:
//! one renderer for both.

use crate::AppState;
use crate::error::AppError;
use crate::http::{CacheKeys, CacheKind};
use crate::network::Edition;
use crate::render::chrome::{Alternate, Chrome, ImageView};
use crate::render::comments::CommentsView;
use crate::render::metadata;
use crate::render::stamps::{Stamps, iso};
use axum::response::Response;
use dateline_core::purge::SurrogateKey;
use dateline_core::{Article, ArticleId, article_path};
use dateline_store::ArticleFilter;
use serde::Serialize;
use time::OffsetDateTime;

/// Items in the "more articles" block, as on the seed page.
const MORE_ARTICLES: usize = 13;
/// Of those, how many are related by content, at most (the first ones)…
const MORE_RELATED: usize = 6;
/// …and how many come from the article's own section, newest first; the
/// site's latest fill the rest.
const MORE_FROM_SECTION: u32 = 5;

#[derive(Serialize)]
struct ArticlePage {
    chrome: Chrome,
    headline: String,
    standfirst: String,
    /// Sanitised when saved: a safe string.
    body_html: minijinja::Value,
    /// `Beirut - The Levant Courier`
    dateline: String,
    published_datetime: String,
    published_stamp: String,
    updated_datetime: String,
    updated_stamp: String,
    image: Option<ImageView>,
    source_credit: String,
    authors: Vec<Link>,
    tags: Vec<Link>,
    keywords: String,
    section: Link,
    corrections: Vec<CorrectionView>,
    /// Shown in the newsroom's preview only.
    preview: bool,
    comments: CommentsView,
    /// The comment form's helper (counter, proof of work).
    script_url: String,
    /// A live story's entries, key events and new-entry polling.
    live: Option<crate::render::live::LiveView>,
    live_script_url: String,
    more: Vec<MoreItem>,
    translations: Vec<TranslationView>,
}

#[derive(Serialize)]
struct CorrectionView {
    datetime: String,
    stamp: String,
    note: String,
}

/// A line of the "more articles" block: a stamp and a headline.
#[derive(Serialize)]
struct MoreItem {
    headline: String,
    url: String,
    datetime: String,
    stamp: String,
}

#[derive(Serialize)]
struct Link {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct TranslationView {
    lang: &'static str,
    dir: &'static str,
    url: String,
}

/// Published articles of the site like this one, most similar first: a
/// more-like-this query on the search index (remembered per article until
/// the index changes), then one read of the stored articles.
async fn related(
    app: &AppState,
    site: dateline_core::SiteId,
    id: ArticleId,
    now: OffsetDateTime,
) -> Result<std::sync::Arc<Vec<dateline_core::ArticleSummary>>, AppError> {
    // Known for this index generation: no blocking thread needed.
    let ids = match app.search.related_if_known(id) {
        Some(ids) => Ok(ids),
        None => {
            let index = app.search.clone();
            tokio::task::spawn_blocking(move || index.related(site, id, now))
                .await
                .map_err(AppError::Blocking)?
        }
    };
    let ids = match ids {
        Ok(ids) => ids,
        Err(error) => {
            // The page is still worth showing with the latest stories.
            tracing::warn!(error = %error, article = %id, "cannot find related articles");
            return Ok(std::sync::Arc::default());
        }
    };
    Ok(app.db.published_by_ids(site, &ids, now).await?)
}

/// Who a rendered article is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Audience {
    Readers,
    /// The newsroom's preview: the same page, never cached or indexed.
    Preview,
}

/// The article page exactly as readers see it; the newsroom's preview
/// renders unpublished copy through the same code.
pub(crate) async fn render(
    app: &AppState,
    edition: &Edition,
    article: &Article,
    now: OffsetDateTime,
    audience: Audience,
    comments: CommentsView,
) -> Result<Response, AppError> {
    let site = edition.site();
    let path = article_path(&article.section.slug, article.id, &article.slug);
    let stamps = Stamps::new(app, site);
    let published = article.published_at.unwrap_or(article.updated_at);

    let related = related(app, site.id, article.id, now).await?;
    let from_section = app
        .db
        .published_articles(
            site.id,
            ArticleFilter::Section(article.section.id),
            now,
            MORE_FROM_SECTION + 1,
            0,
        )
        .await?;
    let latest = app
        .db
        .published_articles(
            site.id,
            ArticleFilter::All,
            now,
            MORE_ARTICLES as u32 + 6,
            0,
        )
        .await?;
    let mut seen = vec![article.id];
    let mut more = Vec::with_capacity(MORE_ARTICLES);
    for summary in related
        .iter()
        .take(MORE_RELATED)
        .chain(from_section.iter().take(MORE_FROM_SECTION as usize + 1))
        .chain(latest.iter())
    {
        if more.len() == MORE_ARTICLES {
            break;
        }
        if !seen.contains(&summary.id) {
            seen.push(summary.id);
            more.push(MoreItem {
                url: edition.url(&article_path(
                    &summary.section_slug,
                    summary.id,
                    &summary.slug,
                )),
                datetime: iso(summary.published_at),
                stamp: stamps.list(summary.published_at),
                headline: summary.headline.clone(),
            });
        }
    }

    let network = app.network();
    let mut translations = Vec::new();
    let mut alternates = Vec::new();
    if let Some(group) = &article.translation_group {
        for link in app.db.translations(group, article.id, now).await?.iter() {
            let Some(other) = network.sites.iter().find(|e| e.site.id == link.site) else {
                continue;
            };
            let other_path = article_path(&link.section_slug, link.id, &link.slug);
            translations.push(TranslationView {
                lang: other.site.lang.code(),
                dir: other.site.lang.direction().as_str(),
                url: edition.link_to(&other.site, &other_path),
            });
            alternates.push(Alternate {
                hreflang: other.site.lang.code(),
                href: format!("{}{other_path}", edition.base_of(&other.site)),
            });
        }
        if !alternates.is_empty() {
            alternates.push(Alternate {
                hreflang: site.lang.code(),
                href: edition.canonical(&path),
            });
            // x-default: the version on the network's default site.
            let default = network.sites.iter().find(|e| e.site.path_prefix.is_empty());
            let default_lang = default.map(|e| e.site.lang.code());
            if let Some(fallback) = alternates
                .iter()
                .find(|a| Some(a.hreflang) == default_lang)
                .cloned()
            {
                alternates.push(Alternate {
                    hreflang: "x-default",
                    href: fallback.href,
                });
            }
        }
    }

    let mut chrome = Chrome::new(
        app,
        edition,
        article.title_for_browser().to_owned(),
        Some(&path),
        &format!("/{}/", article.section.slug),
    )?;
    chrome.alternates = alternates;
    chrome.meta = metadata::article_tags(app, edition, article, &path);
    let live = crate::render::live::view(app, edition, article).await?;
    let entries = live.as_ref().map(|(_, entries)| entries.as_slice());
    chrome.json_ld = Some(metadata::article_json_ld(
        app, edition, article, &path, entries,
    ));
    if !article.standfirst.is_empty() {
        chrome.description = article.standfirst.clone();
    }
    let view = ArticlePage {
        chrome,
        dateline: if article.dateline_place.is_empty() {
            String::new()
        } else {
            format!("{} - {}", article.dateline_place, site.name)
        },
        published_datetime: iso(published),
        published_stamp: stamps.published(published),
        updated_datetime: iso(article.updated_at),
        updated_stamp: stamps.updated(article.updated_at),
        image: article
            .lead_image
            .as_ref()
            .map(|i| ImageView::new(edition, i)),
        authors: article
            .authors
            .iter()
            .map(|a| Link {
                name: a.name.clone(),
                url: edition.url(&format!("/author/{}", a.slug)),
            })
            .collect(),
        keywords: article
            .tags
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        tags: article
            .tags
            .iter()
            .map(|t| Link {
                name: t.name.clone(),
                url: edition.url(&format!("/tag/{}", t.slug)),
            })
            .collect(),
        section: Link {
            name: article.section.name.clone(),
            url: edition.url(&format!("/{}", article.section.slug)),
        },
        headline: article.headline.clone(),
        standfirst: article.standfirst.clone(),
        body_html: minijinja::Value::from_safe_string(article.body_html.clone()),
        source_credit: article.source_credit.clone(),
        corrections: article
            .corrections
            .iter()
            .map(|c| CorrectionView {
                datetime: iso(c.at),
                stamp: stamps.list(c.at),
                note: c.note.clone(),
            })
            .collect(),
        preview: audience == Audience::Preview,
        comments,
        script_url: app.assets.url("comments.js"),
        live: live.map(|(view, _)| view),
        live_script_url: app.assets.url("live.js"),
        more,
        translations,
    };
    if audience == Audience::Preview {
        let mut response = crate::render::page::page(
            app,
            edition,
            "article.html",
            &view,
            CacheKind::NoStore,
            &CacheKeys::default(),
            None,
        )?;
        response.headers_mut().insert(
            "x-robots-tag",
            axum::http::HeaderValue::from_static("noindex, nofollow"),
        );
        return Ok(response);
    }
    let mut keys = CacheKeys::site(site.id)
        .latest(site.id)
        .with(SurrogateKey::Article(article.id))
        .with(SurrogateKey::Section(article.section.id));
    for tag in &article.tags {
        keys = keys.with(SurrogateKey::Tag(tag.id));
    }
    for author in &article.authors {
        keys = keys.with(SurrogateKey::Author(author.id));
    }
    crate::render::page::page(
        app,
        edition,
        "article.html",
        &view,
        CacheKind::Article,
        &keys,
        Some(article.updated_at),
    )
}
