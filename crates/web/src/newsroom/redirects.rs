//! Redirects (`/newsroom/redirects`, editors and admins): old addresses of
//! the site (links from before a move to Dateline) and where they lead
//! now, an article or a path; a reader following one is answered `301`.

use super::auth::{Staff, StaffForm};
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::chrome::{NewsroomChrome, field_messages, local_time, newsroom_page};
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::editing::FieldError;
use dateline_core::redirect::{RedirectInput, RedirectTarget};
use dateline_newsdesk::redirects::RedirectError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Redirects listed at most.
const LISTED: i64 = 500;

#[derive(Serialize)]
struct RedirectsPage {
    chrome: NewsroomChrome,
    action: String,
    delete_action: String,
    redirects: Vec<RedirectLine>,
    input: RedirectInput,
    errors: HashMap<&'static str, String>,
}

#[derive(Serialize)]
struct RedirectLine {
    old: String,
    /// The old address as a link on this site, to try it.
    old_url: String,
    target: String,
    target_url: String,
    created: String,
}

impl From<RedirectError> for AppError {
    fn from(error: RedirectError) -> Self {
        match error {
            RedirectError::NotAllowed => {
                AppError::Refused(StatusCode::FORBIDDEN, "workflow-not-allowed")
            }
            RedirectError::Invalid(_) => {
                AppError::Refused(StatusCode::UNPROCESSABLE_ENTITY, "editor-invalid")
            }
            RedirectError::Failed(failure) => AppError::Failure(failure),
        }
    }
}

async fn page(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    input: RedirectInput,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let redirects = app
        .desk
        .redirects(staff.on(edition), LISTED)
        .await?
        .into_iter()
        .map(|r| {
            let (target, target_url) = match r.target {
                RedirectTarget::Article(id) => (
                    format!("#{id}"),
                    edition.url(&format!("/newsroom/articles/{id}")),
                ),
                RedirectTarget::Path(path) => (path.clone(), edition.url(&path)),
            };
            RedirectLine {
                old_url: edition.url(&r.old_address),
                old: r.old_address,
                target,
                target_url,
                created: local_time(edition, r.created_at),
            }
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let view = RedirectsPage {
        chrome: NewsroomChrome::new(
            app,
            edition,
            "redirects-title",
            Some(staff.user.name.clone()),
        )
        .with_role(staff.role),
        action: edition.url("/newsroom/redirects"),
        delete_action: edition.url("/newsroom/redirects/delete"),
        redirects,
        errors: field_messages(app, edition, errors),
        input,
    };
    newsroom_page(app, edition, "newsroom/redirects.html", &view, status)
}

/// `GET /newsroom/redirects`
pub(super) async fn list(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
) -> Result<Response, AppError> {
    page(&app, &edition, &staff, RedirectInput::default(), &[]).await
}

/// `POST /newsroom/redirects`: an old address and where it leads.
pub(super) async fn add(
    State(app): State<AppState>,
    StaffForm {
        staff,
        edition,
        form: Form(input),
    }: StaffForm<Form<RedirectInput>>,
) -> Result<Response, AppError> {
    match app.desk.add_redirect(staff.on(&edition), &input).await {
        Ok(()) => Ok(see_other(&edition.url("/newsroom/redirects"))),
        Err(RedirectError::Invalid(errors)) => page(&app, &edition, &staff, input, &errors).await,
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub(super) struct DeleteForm {
    #[serde(default)]
    old: String,
}

/// `POST /newsroom/redirects/delete`
pub(super) async fn delete(
    State(app): State<AppState>,
    StaffForm {
        staff,
        edition,
        form: Form(form),
    }: StaffForm<Form<DeleteForm>>,
) -> Result<Response, AppError> {
    app.desk
        .remove_redirect(staff.on(&edition), &form.old)
        .await?;
    Ok(see_other(&edition.url("/newsroom/redirects")))
}
