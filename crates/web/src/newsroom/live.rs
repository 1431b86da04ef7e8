//! Live coverage in the newsroom (`/newsroom/articles/{id}/live`): the
//! fast form reporters post entries with, several at once, the entries
//! posted so far, and the editor's buttons to start and end the coverage
//! and to correct an entry. Every rule is the application's
//! (`dateline_newsdesk::live`).

use super::auth::{Staff, StaffForm};
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::chrome::{NewsroomChrome, field_messages, local_time, newsroom_page};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::editing::FieldError;
use dateline_core::live::EntryInput;
use dateline_core::{ArticleId, article_path};
use dateline_newsdesk::live::{LiveError, PAGE_ENTRIES};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct LivePage {
    chrome: NewsroomChrome,
    headline: String,
    /// `live`, `ended`, or empty before the coverage starts.
    coverage: &'static str,
    public_url: String,
    post_action: String,
    start_action: String,
    end_action: String,
    correct_action: String,
    remove_action: String,
    may_direct: bool,
    /// The library's newest pictures, for an entry's picture.
    media: Vec<MediaOption>,
    input: EntryInput,
    errors: HashMap<&'static str, String>,
    entries: Vec<EntryLine>,
}

#[derive(Serialize)]
struct MediaOption {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct EntryLine {
    seq: i64,
    headline: String,
    body_html: minijinja::Value,
    body_text: String,
    key_event: bool,
    author: String,
    posted: String,
    correction: String,
}

impl From<LiveError> for AppError {
    fn from(error: LiveError) -> Self {
        match error {
            LiveError::NotFound => AppError::NotFound,
            LiveError::NotAllowed => {
                AppError::Refused(StatusCode::FORBIDDEN, "workflow-not-allowed")
            }
            LiveError::NotLive => AppError::Refused(StatusCode::CONFLICT, "live-not-live"),
            LiveError::Invalid(_) => {
                AppError::Refused(StatusCode::UNPROCESSABLE_ENTITY, "editor-invalid")
            }
            LiveError::Failed(failure) => AppError::Failure(failure),
        }
    }
}

async fn page(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    id: i64,
    input: EntryInput,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let article = super::articles::load(app, edition, id).await?;
    let coverage = app
        .db
        .article_in_any_state(edition.site().id, ArticleId(id))
        .await?
        .and_then(|a| a.live.map(|l| l.coverage.as_str()))
        .unwrap_or("");
    let entries = app
        .desk
        .live_entries(ArticleId(id), 0, PAGE_ENTRIES)
        .await?
        .into_iter()
        .map(|e| EntryLine {
            seq: e.seq,
            headline: e.headline,
            body_text: dateline_core::live::entry_text(&e.body_html),
            body_html: minijinja::Value::from_safe_string(e.body_html),
            key_event: e.key_event,
            author: e.author.unwrap_or_default(),
            posted: local_time(edition, e.created_at),
            correction: e.correction,
        })
        .collect();
    let media = app
        .db
        .media_choices(edition.site().id)
        .await?
        .into_iter()
        .map(|m| MediaOption {
            value: m.id.0.to_string(),
            label: m.path.rsplit('/').next().unwrap_or(&m.path).to_owned(),
        })
        .collect();
    let base = format!("/newsroom/articles/{id}/live");
    let view = LivePage {
        chrome: NewsroomChrome::new(app, edition, "live-title", Some(staff.user.name.clone()))
            .with_role(staff.role),
        public_url: edition.url(&article_path(
            &section_slug(edition, &article),
            ArticleId(id),
            &article.content.slug,
        )),
        headline: article.content.headline,
        coverage,
        post_action: edition.url(&base),
        start_action: edition.url(&format!("{base}/start")),
        end_action: edition.url(&format!("{base}/end")),
        correct_action: edition.url(&format!("{base}/correct")),
        remove_action: edition.url(&format!("{base}/remove")),
        may_direct: dateline_core::workflow::may_kill(staff.role),
        media,
        errors: field_messages(app, edition, errors),
        input,
        entries,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    newsroom_page(app, edition, "newsroom/live.html", &view, status)
}

/// The slug of the section an article is filed in (its own slug when the
/// section is gone).
fn section_slug(
    edition: &Edition,
    article: &dateline_store::EditableArticle,
) -> dateline_core::Slug {
    edition
        .entry
        .sections
        .iter()
        .find(|s| s.id == article.content.section)
        .map(|s| s.slug.clone())
        .unwrap_or_else(|| article.content.slug.clone())
}

/// `GET /newsroom/articles/{id}/live`
pub(super) async fn form(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    page(&app, &edition, &staff, id, EntryInput::default(), &[]).await
}

/// The entry form as typed: a checkbox is on when sent at all.
fn typed(pairs: Vec<(String, String)>) -> (Option<i64>, EntryInput) {
    let mut input = EntryInput::default();
    let mut seq = None;
    for (name, value) in pairs {
        match name.as_str() {
            "headline" => input.headline = value,
            "body_html" => input.body_html = value,
            "key_event" => input.key_event = !value.is_empty(),
            "correction" => input.correction = value,
            "media" => input.media = value,
            "seq" => seq = value.trim().parse().ok(),
            _ => {}
        }
    }
    (seq, input)
}

fn back(edition: &Edition, id: i64) -> Response {
    see_other(&edition.url(&format!("/newsroom/articles/{id}/live")))
}

/// `POST /newsroom/articles/{id}/live`: a new entry.
pub(super) async fn post(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm {
        staff,
        edition,
        form: Form(pairs),
    }: StaffForm<Form<Vec<(String, String)>>>,
) -> Result<Response, AppError> {
    let (_, input) = typed(pairs);
    let posted = app
        .desk
        .post_entry(staff.on(&edition), ArticleId(id), &input)
        .await
        .map(|_| ());
    answer(&app, &edition, &staff, id, input, posted).await
}

/// Back to the live page, or the form again with its field errors and
/// what was typed.
async fn answer(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    id: i64,
    input: EntryInput,
    done: Result<(), LiveError>,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => Ok(back(edition, id)),
        Err(LiveError::Invalid(errors)) => page(app, edition, staff, id, input, &errors).await,
        Err(other) => Err(other.into()),
    }
}

/// `POST /newsroom/articles/{id}/live/start`
pub(super) async fn start(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm { staff, edition, .. }: StaffForm<Form<Vec<(String, String)>>>,
) -> Result<Response, AppError> {
    app.desk
        .start_live(staff.on(&edition), ArticleId(id))
        .await?;
    Ok(back(&edition, id))
}

/// `POST /newsroom/articles/{id}/live/end`
pub(super) async fn end(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm { staff, edition, .. }: StaffForm<Form<Vec<(String, String)>>>,
) -> Result<Response, AppError> {
    app.desk.end_live(staff.on(&edition), ArticleId(id)).await?;
    Ok(back(&edition, id))
}

/// `POST /newsroom/articles/{id}/live/correct`: an entry corrected, with
/// its note readers see.
pub(super) async fn correct(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm {
        staff,
        edition,
        form: Form(pairs),
    }: StaffForm<Form<Vec<(String, String)>>>,
) -> Result<Response, AppError> {
    let (seq, input) = typed(pairs);
    let Some(seq) = seq else {
        return Err(AppError::NotFound);
    };
    let corrected = app
        .desk
        .correct_entry(staff.on(&edition), ArticleId(id), seq, &input)
        .await;
    answer(&app, &edition, &staff, id, input, corrected).await
}

/// `POST /newsroom/articles/{id}/live/remove`: an entry taken down, with
/// why.
pub(super) async fn remove(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm {
        staff,
        edition,
        form: Form(pairs),
    }: StaffForm<Form<Vec<(String, String)>>>,
) -> Result<Response, AppError> {
    let (seq, input) = typed(pairs);
    let seq = seq.ok_or(AppError::NotFound)?;
    app.desk
        .remove_entry(staff.on(&edition), ArticleId(id), seq, &input.correction)
        .await?;
    Ok(back(&edition, id))
}
