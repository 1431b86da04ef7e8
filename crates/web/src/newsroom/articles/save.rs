//! Saving from the editor: a new article, a save with the step its button
//! asked for (refused with the other person's name when someone saved
//! meanwhile), and autosave of the typing. The rules are the
//! application's (`dateline_newsdesk::articles`); a refused form comes
//! back with every typed value and a message at the field.

use super::editor::{EditorContext, editor_page, parse_editor_form};
use super::load_for;
use crate::AppState;
use crate::error::AppError;
use crate::error::workflow_status;
use crate::http::see_other;
use crate::newsroom::auth::StaffForm;
use crate::newsroom::auth::refusal;
use crate::newsroom::chrome::{local_time, text};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use dateline_core::ArticleId;
use dateline_core::editing::{self};
use dateline_core::workflow::{self, Action};
use dateline_newsdesk::{ArticleCommand, ArticleError, Origin, Schedule};
use serde::Serialize;
use time::OffsetDateTime;

/// `POST /newsroom/articles`: stores a new article, taking the step its
/// button asked for (save as draft, submit, publish, schedule).
pub(crate) async fn create(
    State(app): State<AppState>,
    StaffForm {
        staff,
        edition,
        form: body,
    }: StaffForm<Bytes>,
) -> Result<Response, AppError> {
    if !workflow::may_create(staff.role) {
        return Err(refusal(&app, &edition, "workflow-not-allowed"));
    }
    let form = parse_editor_form(&body);
    let action = form
        .action
        .as_deref()
        .and_then(Action::parse)
        .unwrap_or(Action::Save);
    let command = ArticleCommand {
        input: &form.input,
        action,
        schedule: Schedule::AsTyped,
        origin: Origin::Newsroom,
    };
    let mut cx = EditorContext::clean(None);
    match app.desk.create_article(staff.on(&edition), command).await {
        Ok(id) => Ok(see_other(
            &edition.url(&format!("/newsroom/articles/{id}?done={}", action.as_str())),
        )),
        Err(ArticleError::Invalid(errors)) => {
            cx.errors = errors;
            cx.status = StatusCode::UNPROCESSABLE_ENTITY;
            editor_page(&app, &edition, &staff, form.input, cx).await
        }
        Err(ArticleError::Workflow(e)) => {
            cx.form_error = Some(text(&app, &edition, e.message_id()));
            cx.status = workflow_status(e);
            editor_page(&app, &edition, &staff, form.input, cx).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /newsroom/articles/{id}`: saves and takes the step asked for,
/// unless someone else saved since the form was opened.
pub(crate) async fn save(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm {
        staff,
        edition,
        form: body,
    }: StaffForm<Bytes>,
) -> Result<Response, AppError> {
    let (article, _) = load_for(&app, &edition, &staff, id, workflow::may_edit).await?;
    let form = parse_editor_form(&body);
    let mut cx = EditorContext::clean(Some(&article));
    cx.version = form.version;
    let Some(action) = form
        .action
        .as_deref()
        .map_or(Some(Action::Save), Action::parse)
    else {
        return Err(AppError::BadRequest(text(
            &app,
            &edition,
            "workflow-unknown-action",
        )));
    };
    let command = ArticleCommand {
        input: &form.input,
        action,
        schedule: Schedule::AsTyped,
        origin: Origin::Newsroom,
    };
    let saved = app
        .desk
        .save_article(staff.on(&edition), article.id, form.version, command)
        .await;
    match saved {
        Ok(()) => {
            return Ok(see_other(&edition.url(&format!(
                "/newsroom/articles/{}?done={}",
                article.id,
                action.as_str()
            ))));
        }
        Err(ArticleError::Invalid(errors)) => {
            cx.errors = errors;
            cx.status = StatusCode::UNPROCESSABLE_ENTITY;
        }
        Err(ArticleError::Workflow(e)) => {
            cx.form_error = Some(text(&app, &edition, e.message_id()));
            cx.status = workflow_status(e);
        }
        Err(ArticleError::Conflict(conflict)) => {
            let args = crate::render::i18n::args_from([
                (
                    "name".to_owned(),
                    fluent_bundle::FluentValue::from(conflict.saved_by.unwrap_or_default()),
                ),
                (
                    "time".to_owned(),
                    fluent_bundle::FluentValue::from(
                        conflict
                            .saved_at
                            .map(|t| local_time(&edition, t))
                            .unwrap_or_default(),
                    ),
                ),
            ]);
            cx.form_error = Some(
                app.translations
                    .text(edition.site().lang, "editor-conflict", Some(&args))
                    .into_owned(),
            );
            cx.status = StatusCode::CONFLICT;
            // Saving again after reading the message overwrites on purpose.
            cx.version = conflict.current_version;
        }
        Err(other) => return Err(other.into()),
    }
    editor_page(&app, &edition, &staff, form.input, cx).await
}

#[derive(Serialize)]
struct AutosaveReply {
    #[serde(with = "time::serde::rfc3339")]
    saved_at: OffsetDateTime,
}

#[derive(Serialize)]
struct AutosaveRefusal {
    error: String,
}

/// `POST /newsroom/articles/{id}/autosave` (and `/new/autosave`): keeps
/// the form as typed, unchecked, so a closed tab loses seconds at most.
pub(crate) async fn autosave(
    State(app): State<AppState>,
    Path(id): Path<String>,
    _headers: HeaderMap,
    StaffForm {
        staff,
        edition,
        form: body,
    }: StaffForm<Bytes>,
) -> Result<Response, AppError> {
    let refuse = |status: StatusCode, id: &str| {
        Ok((
            status,
            Json(AutosaveRefusal {
                error: text(&app, &edition, id),
            }),
        )
            .into_response())
    };
    let article = match id.as_str() {
        "new" => None,
        other => match other.parse::<i64>() {
            Ok(id) => Some(ArticleId(id)),
            Err(_) => return Err(AppError::NotFound),
        },
    };
    if body.len() > editing::MAX_BODY_BYTES * 2 {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, "editor-too-large");
    }
    let form = parse_editor_form(&body);
    let kept = app
        .desk
        .keep_typing(staff.on(&edition), article, &form.input, form.version)
        .await;
    let saved_at = match kept {
        Ok(at) => at,
        // Refusals answer in JSON here, for the editor's script.
        Err(ArticleError::NotAllowed) => {
            return refuse(StatusCode::FORBIDDEN, "workflow-not-allowed");
        }
        Err(other) => return Err(other.into()),
    };
    let mut response = Json(AutosaveReply { saved_at }).into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        crate::http::CacheKind::NoStore.header_value(),
    );
    Ok(response)
}
