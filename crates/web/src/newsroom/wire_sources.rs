//! Wire sources (`/newsroom/wire/sources`, admins): the sources feeding
//! this site with their health line, a form to set one up or change it,
//! and each source's table of subject codes to this edition's sections.

use super::auth::{Staff, StaffForm};
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::chrome::{Choice, NewsroomChrome, field_messages, local_time, newsroom_page};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::SectionId;
use dateline_core::editing::FieldError;
use dateline_core::wire::SourceInput;
use dateline_newsdesk::settings::may_change_settings;
use dateline_newsdesk::wire::WireSource;
use dateline_newsdesk::wire::desk::SourceError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Serialize)]
struct SourcesPage {
    chrome: NewsroomChrome,
    action: String,
    desk_url: String,
    sources: Vec<SourceView>,
    /// The form to set up a source, as typed.
    input: SourceInput,
    errors: HashMap<&'static str, String>,
    sections: Vec<Choice>,
}

#[derive(Serialize)]
struct SourceView {
    name: String,
    label: String,
    mode: &'static str,
    updates: &'static str,
    folder: String,
    url: String,
    poll_seconds: i64,
    edit_url: String,
    last_fetch: Option<String>,
    last_success: Option<String>,
    last_error: String,
    items_taken: i64,
    items_refused: i64,
    subjects: Vec<(String, String)>,
    subjects_url: String,
}

async fn page(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    input: SourceInput,
    errors: &[FieldError],
) -> Result<Response, AppError> {
    let site = edition.site().id;
    let sections = &edition.entry.sections;
    let section_name = |id: SectionId| {
        sections
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let mut sources = Vec::new();
    for source in app.desk.wire_sources().await? {
        if source.site != site {
            continue;
        }
        let subjects = app
            .db
            .subject_sections(source.id, site)
            .await?
            .into_iter()
            .map(|(subject, section)| (subject, section_name(section)))
            .collect();
        sources.push(view(edition, source, subjects));
    }
    let view = SourcesPage {
        chrome: NewsroomChrome::new(
            app,
            edition,
            "wire-sources-title",
            Some(staff.user.name.clone()),
        )
        .with_role(staff.role),
        action: edition.url("/newsroom/wire/sources"),
        desk_url: edition.url("/newsroom/wire"),
        sources,
        errors: field_messages(app, edition, errors),
        sections: sections
            .iter()
            .map(|s| Choice {
                value: s.id.to_string(),
                label: s.name.clone(),
                selected: false,
            })
            .collect(),
        input,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    newsroom_page(app, edition, "newsroom/wire_sources.html", &view, status)
}

fn view(edition: &Edition, source: WireSource, subjects: Vec<(String, String)>) -> SourceView {
    let health = source.health;
    SourceView {
        folder: format!("ingest/{}/", source.name),
        edit_url: edition.url(&format!(
            "/newsroom/wire/sources?edit={}#setup",
            source.name
        )),
        url: source.url,
        poll_seconds: source.poll_seconds,
        subjects_url: edition.url(&format!("/newsroom/wire/sources/{}/subjects", source.name)),
        mode: source.mode.as_str(),
        updates: source.updates.as_str(),
        last_fetch: health.last_fetch_at.map(|at| local_time(edition, at)),
        last_success: health.last_success_at.map(|at| local_time(edition, at)),
        last_error: health.last_error,
        items_taken: health.items_taken,
        items_refused: health.items_refused,
        name: source.name,
        label: source.label,
        subjects,
    }
}

#[derive(Deserialize)]
pub(super) struct SourcesQuery {
    /// A source of this site whose settings fill the form.
    edit: Option<String>,
}

/// The form for a new source.
fn blank() -> SourceInput {
    SourceInput {
        mode: "queue".into(),
        updates: "desk".into(),
        ..SourceInput::default()
    }
}

/// `GET /newsroom/wire/sources`
pub(super) async fn sources(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Query(query): Query<SourcesQuery>,
) -> Result<Response, AppError> {
    staff.require(may_change_settings)?;
    let editing = match &query.edit {
        Some(name) => app.desk.wire_source(name).await?,
        None => None,
    };
    let input = match editing.filter(|s| s.site == edition.site().id) {
        Some(source) => SourceInput {
            mode: source.mode.as_str().into(),
            updates: source.updates.as_str().into(),
            poll_seconds: source.poll_seconds.to_string(),
            name: source.name,
            label: source.label,
            url: source.url,
        },
        None => blank(),
    };
    page(&app, &edition, &staff, input, &[]).await
}

/// `POST /newsroom/wire/sources`: sets a source up, or changes it.
pub(super) async fn save(
    State(app): State<AppState>,
    StaffForm {
        staff,
        edition,
        form: Form(input),
    }: StaffForm<Form<SourceInput>>,
) -> Result<Response, AppError> {
    match app
        .desk
        .configure_wire_source(staff.on(&edition), &input)
        .await
    {
        Ok(()) => Ok(see_other(&edition.url("/newsroom/wire/sources"))),
        Err(SourceError::Invalid(errors)) => page(&app, &edition, &staff, input, &errors).await,
        Err(other) => Err(refused(other)),
    }
}

#[derive(Deserialize)]
pub(super) struct SubjectForm {
    #[serde(default)]
    subject: String,
    /// A section id; empty sends the subject back to the first section.
    #[serde(default)]
    section: String,
}

/// `POST /newsroom/wire/sources/{name}/subjects`
pub(super) async fn map_subject(
    State(app): State<AppState>,
    Path(name): Path<String>,
    StaffForm {
        staff,
        edition,
        form: Form(form),
    }: StaffForm<Form<SubjectForm>>,
) -> Result<Response, AppError> {
    let section = match form.section.trim() {
        "" => None,
        id => Some(SectionId(id.parse().map_err(|_| {
            AppError::BadRequest(format!("section {id:?} is not a section number"))
        })?)),
    };
    let mapped = app
        .desk
        .map_wire_subject(staff.on(&edition), &name, &form.subject, section)
        .await;
    match mapped {
        Ok(()) => Ok(see_other(&edition.url("/newsroom/wire/sources"))),
        Err(SourceError::Invalid(errors)) => page(&app, &edition, &staff, blank(), &errors).await,
        Err(other) => Err(refused(other)),
    }
}

fn refused(error: SourceError) -> AppError {
    match error {
        SourceError::NotAllowed => AppError::Refused(StatusCode::FORBIDDEN, "workflow-not-allowed"),
        SourceError::Failed(failure) => AppError::Failure(failure),
        SourceError::Invalid(_) => {
            AppError::Refused(StatusCode::UNPROCESSABLE_ENTITY, "editor-invalid")
        }
    }
}
