//! The trash: articles moved there and brought back.

use crate::AppState;
use crate::error::AppError;
use crate::network::Edition;
use crate::newsroom::auth::{Staff, require_same_origin};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use dateline_core::ArticleId;

/// `POST /newsroom/articles/{id}/delete`: to the trash (not published
/// articles; reporters only their own drafts).
pub(crate) async fn delete(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    require_same_origin(&app, &edition, &headers)?;
    app.desk
        .trash_article(staff.on(&edition), ArticleId(id))
        .await?;
    Err(AppError::SeeOther(
        edition.url("/newsroom/articles?state=deleted"),
    ))
}

/// `POST /newsroom/articles/{id}/restore`: out of the trash (editors, admins).
pub(crate) async fn restore_from_trash(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    require_same_origin(&app, &edition, &headers)?;
    app.desk
        .untrash_article(staff.on(&edition), ArticleId(id))
        .await?;
    Err(AppError::SeeOther(
        edition.url(&format!("/newsroom/articles/{id}")),
    ))
}
