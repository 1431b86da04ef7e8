//! The trash: articles moved there and brought back.

use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::newsroom::auth::{NoFields, StaffForm};
use axum::extract::{Path, State};
use axum::response::Response;
use dateline_core::ArticleId;

/// `POST /newsroom/articles/{id}/delete`: to the trash (not published
/// articles; reporters only their own drafts).
pub(crate) async fn delete(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm { staff, edition, .. }: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    app.desk
        .trash_article(staff.on(&edition), ArticleId(id))
        .await?;
    Ok(see_other(&edition.url("/newsroom/articles?state=deleted")))
}

/// `POST /newsroom/articles/{id}/restore`: out of the trash (editors, admins).
pub(crate) async fn restore_from_trash(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm { staff, edition, .. }: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    app.desk
        .untrash_article(staff.on(&edition), ArticleId(id))
        .await?;
    Ok(see_other(&edition.url(&format!("/newsroom/articles/{id}"))))
}
