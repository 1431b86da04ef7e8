//! The article page.

use crate::AppState;
use crate::error::AppError;
use crate::network::Edition;
use crate::render::article::{Audience, render};
use crate::render::comments::CommentsQuery;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use dateline_core::{ArticleId, article_path};
use time::OffsetDateTime;

/// `/{section}/{id}-{slug}`: the id finds the article; any other section or
/// slug (an old one, a typo) redirects permanently to the canonical URL.
pub(super) async fn show(
    State(app): State<AppState>,
    edition: Edition,
    Path((section, id_slug)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let (id, slug) = match id_slug.split_once('-') {
        Some((id, slug)) => (id, slug),
        None => (id_slug.as_str(), ""),
    };
    let id = id
        .parse::<i64>()
        .map(ArticleId)
        .map_err(|_| AppError::NotFound)?;
    let now = OffsetDateTime::now_utc();
    let site = edition.site();
    let article = app
        .db
        .published_article(site.id, id, now)
        .await?
        .ok_or(AppError::NotFound)?;
    if article.section.slug.as_str() != section || article.slug.as_str() != slug {
        let target = edition.url(&article_path(
            &article.section.slug,
            article.id,
            &article.slug,
        ));
        return Ok(crate::http::moved_permanently(&target));
    }
    let query = CommentsQuery::parse(query.as_deref());
    let comments =
        crate::render::comments::view(&app, &edition, &article, &query, None, true, now).await?;
    render(&app, &edition, &article, now, Audience::Readers, comments).await
}

#[derive(serde::Deserialize)]
pub(super) struct After {
    #[serde(default)]
    after: String,
}

/// `/{section}/{id}-{slug}/live?after=N`: a live story's entries after
/// number N, newest first, as the list its page holds (`live.js`). A
/// number that is not one is a 400 with the reason.
pub(super) async fn live_entries(
    State(app): State<AppState>,
    edition: Edition,
    Path((_section, id_slug)): Path<(String, String)>,
    axum::extract::Query(query): axum::extract::Query<After>,
) -> Result<Response, AppError> {
    let id = id_slug
        .split('-')
        .next()
        .and_then(|id| id.parse::<i64>().ok())
        .map(ArticleId)
        .ok_or(AppError::NotFound)?;
    let after = match query.after.trim() {
        "" => 0,
        text => text.parse::<i64>().map_err(|_| {
            AppError::BadRequest("after: the number of an entry, such as 12".into())
        })?,
    };
    let article = app
        .db
        .published_article(edition.site().id, id, OffsetDateTime::now_utc())
        .await?
        .filter(|a| a.live.is_some())
        .ok_or(AppError::NotFound)?;
    crate::render::live::entries_after(&app, &edition, &article, after).await
}
