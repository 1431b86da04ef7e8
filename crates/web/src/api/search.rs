//! `GET /api/v1/search`: full-text search of the edition's published
//! articles, the same search as the site's `/search` page, as JSON.

use super::resources::{self, Summary};
use super::{ApiError, json};
use crate::AppState;
use crate::http::CacheKind;
use crate::network::Edition;
use crate::render::search::{ParamError, SearchParams, Unsearchable};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use dateline_core::search::MAX_QUERY_CHARS;
use serde::Serialize;

#[derive(Serialize)]
struct SearchList {
    query: String,
    sort: &'static str,
    results: Vec<SearchResult>,
    page: u32,
    per_page: u32,
    total: usize,
}

#[derive(Serialize)]
struct SearchResult {
    #[serde(flatten)]
    article: Summary,
    score: f32,
    headline_html: String,
    snippet_html: String,
}

impl From<ParamError> for ApiError {
    fn from(error: ParamError) -> ApiError {
        match error {
            ParamError::Bad(reason) => ApiError::BadParameter(reason),
            ParamError::Unknown(reason) => ApiError::NotFound(reason),
        }
    }
}

pub(super) async fn search(
    State(app): State<AppState>,
    edition: Edition,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let params = SearchParams::parse(raw.as_deref());
    let (page, per_page) = crate::render::search::paging(
        &params,
        super::public::PER_PAGE,
        super::public::MAX_PER_PAGE,
    )?;
    let criteria = crate::render::search::criteria(&app, &edition, &params).await?;
    let found =
        crate::render::search::search(&app, &edition, params.q(), &criteria, page, per_page.get())
            .await
            .map_err(|e| match e {
                Unsearchable::Query(id) => ApiError::BadParameter(match id {
                    "search-too-long" => {
                        format!("q: a search may have at most {MAX_QUERY_CHARS} characters")
                    }
                    "search-no-words" => {
                        "q: the query has only stop words or signs; nothing to search for".into()
                    }
                    _ => "q: give the words to search for".into(),
                }),
                Unsearchable::Failed(cause) => {
                    ApiError::Internal(crate::error::cause_chain(&cause))
                }
            })?;
    let body = SearchList {
        query: params.q().to_owned(),
        sort: criteria.sort.as_str(),
        results: found
            .results
            .into_iter()
            .map(|(hit, a)| SearchResult {
                article: resources::summary(&edition, &a),
                score: hit.score,
                headline_html: hit.headline_html,
                snippet_html: hit.snippet_html,
            })
            .collect(),
        page: page.get(),
        per_page: per_page.get(),
        total: found.total,
    };
    Ok(json(&body, CacheKind::List, &criteria.keys, None))
}
