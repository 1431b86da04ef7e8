//! The public half of the API: what readers may see, as JSON. Anyone may
//! read it, from any origin; caching headers and cache keys follow the
//! HTML pages showing the same articles.

use super::resources::{self, AuthorItem, SectionItem, Summary, TagItem};
use super::{ApiError, Query, json};
use crate::AppState;
use crate::http::{CacheKeys, CacheKind};
use crate::network::Edition;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use dateline_core::ArticleId;
use dateline_core::dates::{RangeEnd, range_bound};
use dateline_core::paging::{PageNumber, PerPage};
use dateline_core::purge::SurrogateKey;
use dateline_store::ArticleQuery;
use serde::Serialize;
use std::sync::LazyLock;
use time::OffsetDateTime;

/// Rows a list page holds unless `per_page` says otherwise, and at most.
pub(super) const PER_PAGE: u32 = 20;
pub(super) const MAX_PER_PAGE: u32 = 100;

#[derive(Serialize)]
struct ArticleList {
    articles: Vec<Summary>,
    page: u32,
    per_page: u32,
    total: i64,
}

#[derive(Serialize)]
struct SectionList {
    sections: Vec<SectionItem>,
}

#[derive(Serialize)]
struct TagList {
    tags: Vec<TagItem>,
    page: u32,
    per_page: u32,
    total: i64,
}

#[derive(Serialize)]
struct AuthorList {
    authors: Vec<AuthorItem>,
}

/// `page` and `per_page` of a list. A page past the end is an empty list
/// (with the real `total`), not an error: clients stop at an empty page.
fn paging(query: &Query) -> Result<(PageNumber, PerPage), ApiError> {
    let page =
        PageNumber::parse(query.get("page")).map_err(|e| ApiError::BadParameter(e.to_string()))?;
    let per_page = PerPage::parse(query.get("per_page"), PER_PAGE, MAX_PER_PAGE)
        .map_err(|e| ApiError::BadParameter(e.to_string()))?;
    Ok((page, per_page))
}

/// A `from` or `until` parameter.
fn time_bound(
    query: &Query,
    name: &str,
    end: RangeEnd,
) -> Result<Option<OffsetDateTime>, ApiError> {
    let Some(text) = query.get(name) else {
        return Ok(None);
    };
    // A `+` of an offset that was not percent-encoded arrives as a space.
    let text = text.replace(' ', "+");
    range_bound(&text, end).map(Some).ok_or_else(|| {
        ApiError::BadParameter(format!(
            "{name} must be an RFC 3339 date (2016-03-08) or date-time (2016-03-08T09:40:00Z), not {:?}",
            text.chars().take(40).collect::<String>()
        ))
    })
}

/// `GET /api/v1/articles`: published articles, newest first, filtered by
/// section, tag, author (slugs) and publication time.
pub(super) async fn articles(
    State(app): State<AppState>,
    edition: Edition,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let query = Query::parse(raw.as_deref());
    let (page, per_page) = paging(&query)?;
    let site = edition.site();
    let mut filter = ArticleQuery::default();
    let mut keys = CacheKeys::site(site.id);
    if let Some(slug) = query.get("section") {
        let section = edition
            .section(slug)
            .ok_or_else(|| ApiError::NotFound(format!("no section {slug:?} on this site")))?;
        filter.section = Some(section.id);
        keys = keys.with(SurrogateKey::Section(section.id));
    }
    if let Some(slug) = query.get("tag") {
        let tag = app
            .db
            .tag_by_slug(site.id, slug)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no tag {slug:?} on this site")))?;
        filter.tag = Some(tag.id);
        keys = keys.with(SurrogateKey::Tag(tag.id));
    }
    if let Some(slug) = query.get("author") {
        let author = app
            .db
            .author_by_slug(site.id, slug)
            .await?
            .ok_or_else(|| ApiError::NotFound(format!("no author {slug:?} on this site")))?;
        filter.author = Some(author.id);
        keys = keys.with(SurrogateKey::Author(author.id));
    }
    filter.from = time_bound(&query, "from", RangeEnd::From)?;
    filter.until = time_bound(&query, "until", RangeEnd::Until)?;
    if filter.section.is_none() && filter.tag.is_none() && filter.author.is_none() {
        // Any publication on the site changes this list.
        keys = keys.latest(site.id);
    }
    let now = OffsetDateTime::now_utc();
    let total = app
        .db
        .count_published_matching(site.id, filter, now)
        .await?;
    let items = app
        .db
        .published_matching(
            site.id,
            filter,
            now,
            per_page.get(),
            page.offset(per_page.get()),
        )
        .await?;
    let body = ArticleList {
        articles: items
            .iter()
            .map(|a| resources::summary(&edition, a))
            .collect(),
        page: page.get(),
        per_page: per_page.get(),
        total,
    };
    let newest = items.iter().map(|a| a.updated_at).max();
    Ok(json(&body, CacheKind::List, &keys, newest))
}

/// `GET /api/v1/articles/{id}` without a token: a published article.
pub(super) async fn article(
    app: &AppState,
    edition: &Edition,
    id: ArticleId,
) -> Result<Response, ApiError> {
    let site = edition.site();
    let now = OffsetDateTime::now_utc();
    let article = app
        .db
        .published_article(site.id, id, now)
        .await?
        .ok_or_else(ApiError::no_article)?;
    let body = resources::article(app, edition, &article, now).await?;
    let mut keys = CacheKeys::site(site.id)
        .with(SurrogateKey::Article(article.id))
        .with(SurrogateKey::Section(article.section.id));
    for tag in &article.tags {
        keys = keys.with(SurrogateKey::Tag(tag.id));
    }
    for author in &article.authors {
        keys = keys.with(SurrogateKey::Author(author.id));
    }
    Ok(json(
        &body,
        CacheKind::Article,
        &keys,
        Some(article.updated_at),
    ))
}

/// `GET /api/v1/sections`: the site's sections in menu order.
pub(super) async fn sections(edition: Edition) -> Result<Response, ApiError> {
    let body = SectionList {
        sections: edition
            .entry
            .sections
            .iter()
            .map(|s| resources::section(&edition, s))
            .collect(),
    };
    let keys = CacheKeys::site(edition.site().id);
    Ok(json(&body, CacheKind::List, &keys, None))
}

/// `GET /api/v1/tags`: tags that published articles carry, by name.
pub(super) async fn tags(
    State(app): State<AppState>,
    edition: Edition,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let query = Query::parse(raw.as_deref());
    let (page, per_page) = paging(&query)?;
    let site = edition.site();
    let now = OffsetDateTime::now_utc();
    let total = app.db.count_tags_in_use(site.id, now).await?;
    let tags = app
        .db
        .tags_in_use(site.id, now, per_page.get(), page.offset(per_page.get()))
        .await?;
    let body = TagList {
        tags: tags.iter().map(|t| resources::tag(&edition, t)).collect(),
        page: page.get(),
        per_page: per_page.get(),
        total,
    };
    // Renaming a tag purges its key: the list names it.
    let keys = tags
        .iter()
        .fold(CacheKeys::site(site.id).latest(site.id), |keys, t| {
            keys.with(SurrogateKey::Tag(t.tag.id))
        });
    Ok(json(&body, CacheKind::List, &keys, None))
}

/// `GET /api/v1/authors`: the site's authors by name.
pub(super) async fn authors(
    State(app): State<AppState>,
    edition: Edition,
) -> Result<Response, ApiError> {
    let site = edition.site();
    let authors = app.db.authors(site.id).await?;
    let body = AuthorList {
        authors: authors
            .iter()
            .map(|a| resources::author(&edition, a))
            .collect(),
    };
    // Changing an author purges its key: the list shows it.
    let keys = authors.iter().fold(CacheKeys::site(site.id), |keys, a| {
        keys.with(SurrogateKey::Author(a.id))
    });
    Ok(json(&body, CacheKind::List, &keys, None))
}

/// The OpenAPI 3.1 document, written by hand next to this file.
const OPENAPI: &str = include_str!("openapi.json");

static OPENAPI_DOCUMENT: LazyLock<Result<serde_json::Value, String>> =
    LazyLock::new(|| serde_json::from_str(OPENAPI).map_err(|e| e.to_string()));

/// `GET /api/v1/openapi.json`: the document, with its server set to this
/// edition's API (`/ar/api/v1` on the Arabic edition reached by prefix).
pub(super) async fn openapi(edition: Edition) -> Result<Response, ApiError> {
    let mut document = OPENAPI_DOCUMENT
        .as_ref()
        .map_err(|e| ApiError::Internal(format!("the built-in openapi.json is invalid: {e}")))?
        .clone();
    document["servers"] = serde_json::json!([{
        "url": edition.url("/api/v1"),
        "description": edition.site().name,
    }]);
    let keys = CacheKeys::site(edition.site().id);
    Ok(json(&document, CacheKind::List, &keys, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_openapi_document_parses() {
        assert!(
            OPENAPI_DOCUMENT.is_ok(),
            "{:?}",
            OPENAPI_DOCUMENT.as_ref().err()
        );
    }
}
