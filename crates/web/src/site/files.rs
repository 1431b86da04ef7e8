//! Static theme files, media files and the health check.

use crate::AppState;
use crate::error::AppError;
use crate::http::CacheKind;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// `/static/{name}?v={hash}`: cached for a year when the hash is current.
pub(super) async fn static_file(
    State(app): State<AppState>,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let asset = app.assets.get(&name).ok_or(AppError::NotFound)?;
    let current = query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == format!("v={}", asset.version)));
    let mut response = asset.bytes.clone().into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(asset.content_type),
    );
    headers.insert(
        header::CACHE_CONTROL,
        if current {
            CacheKind::Immutable
        } else {
            CacheKind::List
        }
        .header_value(),
    );
    if let Ok(etag) = HeaderValue::from_str(&format!("W/\"{}\"", asset.version)) {
        headers.insert(header::ETAG, etag);
    }
    Ok(response)
}

/// `/media/{path}`: files under the data directory's media folder (on
/// PostgreSQL, fetched from the database when another instance stored
/// them). They are sandboxed so that an SVG opened on its own can never
/// run script.
pub(super) async fn media(
    State(app): State<AppState>,
    Path(path): Path<String>,
    req: Request,
) -> Result<Response, AppError> {
    if path.split('/').any(|part| part == ".." || part.is_empty()) {
        return Err(AppError::NotFound);
    }
    let uri: axum::http::Uri = format!("/{path}").parse().map_err(|_| AppError::NotFound)?;
    let (parts, _) = req.into_parts();
    let serve = || {
        let mut inner = Request::new(axum::body::Body::empty());
        *inner.uri_mut() = uri.clone();
        *inner.headers_mut() = parts.headers.clone();
        *inner.method_mut() = parts.method.clone();
        ServeDir::new(&app.config.media_dir).oneshot(inner)
    };
    let mut served = match serve().await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    // Uploaded through another instance: fetched into this one's folder.
    if served.status() == StatusCode::NOT_FOUND && app.desk.fetch_shared_media(&path).await? {
        served = match serve().await {
            Ok(response) => response,
            Err(never) => match never {},
        };
    }
    if served.status() == StatusCode::NOT_FOUND {
        return Err(AppError::NotFound);
    }
    let mut response = served.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, CacheKind::Media.header_value());
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
    );
    Ok(response)
}

/// `/healthz`: 200 when the database answers, for load balancers.
pub(super) async fn healthz(State(app): State<AppState>) -> Response {
    let (status, body) = match app.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    };
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
    response
}
