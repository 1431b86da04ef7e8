//! An article's history: its revisions compared and restored, and the
//! public corrections appended to it once published.

use super::load;
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::auth::StaffForm;
use crate::newsroom::auth::{Staff, refusal};
use crate::newsroom::chrome::{NewsroomChrome, local_time, newsroom_page};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::ArticleId;
use dateline_core::editing::{self};
use dateline_core::workflow::{self};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub(crate) struct CompareQuery {
    from: Option<i64>,
    to: Option<i64>,
}

#[derive(Serialize)]
struct RevisionsPage {
    chrome: NewsroomChrome,
    headline: String,
    editor_url: String,
    revisions: Vec<RevisionView>,
    from: Option<i64>,
    to: Option<i64>,
    diff: Vec<editing::FieldDiff>,
    can_restore: bool,
    version: i64,
}

#[derive(Serialize)]
struct RevisionView {
    number: i64,
    state: &'static str,
    author: String,
    saved: String,
    headline: String,
    restore_url: String,
}

/// `GET /newsroom/articles/{id}/revisions?from=N&to=M`: the history and
/// the difference between two revisions (by default the last two).
pub(crate) async fn revisions(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Path(id): Path<i64>,
    Query(query): Query<CompareQuery>,
) -> Result<Response, AppError> {
    if !workflow::may_read(staff.role) {
        return Err(refusal(&app, &edition, "newsroom-no-access"));
    }
    let article = load(&app, &edition, id).await?;
    let lines = app.db.revisions(article.id).await?;
    let to = query.to.or(lines.first().map(|r| r.number));
    let from = query.from.or(lines.get(1).map(|r| r.number));
    let diff = match (from, to) {
        (Some(from), Some(to)) => {
            let old = app.db.revision(article.id, from).await?;
            let new = app.db.revision(article.id, to).await?;
            match (old, new) {
                (Some(old), Some(new)) => editing::diff(&old.content, &new.content),
                _ => return Err(AppError::NotFound),
            }
        }
        _ => Vec::new(),
    };
    let own = article.created_by == Some(staff.user.id);
    let view = RevisionsPage {
        chrome: NewsroomChrome::new(
            &app,
            &edition,
            "revisions-title",
            Some(staff.user.name.clone()),
        )
        .with_role(staff.role),
        headline: article.content.headline.clone(),
        editor_url: edition.url(&format!("/newsroom/articles/{}", article.id)),
        revisions: lines
            .iter()
            .map(|r| RevisionView {
                number: r.number,
                state: r.state.as_str(),
                author: r.author_name.clone(),
                saved: local_time(&edition, r.saved_at),
                headline: r.headline.clone(),
                restore_url: edition.url(&format!(
                    "/newsroom/articles/{}/revisions/{}/restore",
                    article.id, r.number
                )),
            })
            .collect(),
        from,
        to,
        diff,
        can_restore: workflow::may_edit(staff.role, own, article.status.state),
        version: article.version,
    };
    newsroom_page(
        &app,
        &edition,
        "newsroom/revisions.html",
        &view,
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub(crate) struct RestoreForm {
    #[serde(default)]
    version: i64,
}

/// `POST /newsroom/articles/{id}/revisions/{n}/restore`: saves an old
/// revision's content as the newest one (the state does not change).
pub(crate) async fn restore(
    State(app): State<AppState>,
    Path((id, number)): Path<(i64, i64)>,
    StaffForm {
        staff,
        edition,
        form: Form(form),
    }: StaffForm<Form<RestoreForm>>,
) -> Result<Response, AppError> {
    app.desk
        .restore_revision(staff.on(&edition), ArticleId(id), number, form.version)
        .await?;
    Ok(see_other(
        &edition.url(&format!("/newsroom/articles/{id}?done=save")),
    ))
}

#[derive(Deserialize)]
pub(crate) struct CorrectionForm {
    #[serde(default)]
    note: String,
}

/// `POST /newsroom/articles/{id}/corrections`: appends a public correction
/// to a published article (editors and admins).
pub(crate) async fn add_correction(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm {
        staff,
        edition,
        form: Form(form),
    }: StaffForm<Form<CorrectionForm>>,
) -> Result<Response, AppError> {
    app.desk
        .add_correction(staff.on(&edition), ArticleId(id), &form.note)
        .await?;
    Ok(see_other(
        &edition.url(&format!("/newsroom/articles/{id}?done=correct")),
    ))
}
