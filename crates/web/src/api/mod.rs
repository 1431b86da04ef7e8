//! The content API, under `/api/v1` of every site like its pages (so
//! `/ar/api/v1/…` is the Arabic edition): published articles, sections,
//! tags and authors as JSON for anyone, full-text search, and with a personal API token,
//! articles in any state, created and updated through the newsroom's own
//! workflow. `openapi.json` beside this file describes all of it and is
//! served at `/api/v1/openapi.json`; `docs/api.md` explains the choices.

mod errors;
mod live;
mod public;
mod resources;
mod search;
mod tokens;
mod write;

pub(crate) use errors::ApiError;

use crate::AppState;
use crate::http::{CacheKeys, CacheKind};
use crate::network::Edition;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use serde::Serialize;
use time::OffsetDateTime;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/articles",
            get(public::articles).post(write::create),
        )
        .route("/api/v1/articles/{id}", get(article).put(write::update))
        .route(
            "/api/v1/articles/{id}/live/entries",
            axum::routing::post(live::post_entry),
        )
        .route("/api/v1/sections", get(public::sections))
        .route("/api/v1/tags", get(public::tags))
        .route("/api/v1/authors", get(public::authors))
        .route("/api/v1/search", get(search::search))
        .route("/api/v1/openapi.json", get(public::openapi))
        // Anything else under /api is a JSON 404, not the site's HTML page.
        .route("/api", any(unknown))
        .route("/api/", any(unknown))
        .route("/api/{*rest}", any(unknown))
        .layer(axum::middleware::from_fn(finish))
}

/// `GET /api/v1/articles/{id}`: with a token, the newsroom's view of the
/// article in any state; without one, the published article. The answer
/// depends on `Authorization`, so caches must keep the two apart.
async fn article(
    State(app): State<AppState>,
    edition: Edition,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Response {
    let answer = async {
        let id = write::article_id(path)?;
        if tokens::has_credentials(&headers) {
            let who = tokens::authenticate(&app, &headers, &edition).await?;
            write::show(&app, &edition, &who, id).await
        } else {
            public::article(&app, &edition, id).await
        }
    };
    let mut response = answer.await.into_response();
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static("authorization"));
    response
}

async fn unknown() -> ApiError {
    ApiError::NotFound(
        "no such API endpoint; the endpoints are listed in /api/v1/openapi.json".into(),
    )
}

/// Headers of every API response. Reads without credentials are public:
/// any origin may read them (`Access-Control-Allow-Origin: *`) and caches
/// keep them as the handler says. Anything with a token, and every write,
/// is `no-store` and not shared across origins. Axum's bare 405 becomes a
/// JSON error like the rest.
async fn finish(req: Request, next: Next) -> Response {
    let public = matches!(*req.method(), Method::GET | Method::HEAD)
        && !tokens::has_credentials(req.headers());
    let mut response = next.run(req).await;
    if response.status() == StatusCode::METHOD_NOT_ALLOWED
        && !response.headers().contains_key(header::CONTENT_TYPE)
    {
        let allow = response.headers().get(header::ALLOW).cloned();
        response = ApiError::MethodNotAllowed.into_response();
        if let Some(allow) = allow {
            response.headers_mut().insert(header::ALLOW, allow);
        }
    }
    let status = response.status();
    let headers = response.headers_mut();
    if public {
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        if !headers.contains_key(header::CACHE_CONTROL) {
            let kind = if status == StatusCode::NOT_FOUND {
                CacheKind::NotFound
            } else {
                CacheKind::NoStore
            };
            headers.insert(header::CACHE_CONTROL, kind.header_value());
        }
    } else {
        headers.insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
    }
    response
}

/// A public JSON answer with its caching headers and cache keys.
fn json<T: Serialize>(
    body: &T,
    cache: CacheKind,
    keys: &CacheKeys,
    last_modified: Option<OffsetDateTime>,
) -> Response {
    let mut response = Json(body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, cache.header_value());
    keys.apply(headers);
    if let Some(time) = last_modified {
        headers.insert(header::LAST_MODIFIED, crate::http::http_date(time));
    }
    response
}

/// A JSON answer for a token holder (`finish` marks it `no-store`).
fn json_private<T: Serialize>(status: StatusCode, body: &T) -> Response {
    (status, Json(body)).into_response()
}

/// Query parameters; the last non-empty value of a name counts, and
/// parameters the endpoint does not know are ignored.
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(raw: Option<&str>) -> Query {
        Query(
            form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }
}
