//! The desk: article lists, the editor with its workflow buttons,
//! autosave, preview, revisions, corrections and the audit log.
//!
//! Handlers parse the form, ask `core::editing` and `core::workflow` what
//! the input and the step mean, and store the result; a refused form comes
//! back with every typed value and a message at the field.

use super::auth::{Staff, refusal, require_same_origin};
use super::pages::{NewsroomChrome, newsroom_page};
use crate::AppState;
use crate::error::AppError;
use crate::error::workflow_status;
use crate::network::Edition;
use crate::render::article::{Audience, render as render_article};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use dateline_core::accounts::Role;
use dateline_core::editing::{self, ArticleInput, FieldError};
use dateline_core::workflow::{self, Action};
use dateline_core::{ArticleId, ArticleState, article_path};
use dateline_newsdesk::{ArticleCommand, ArticleError, Origin, Schedule};
use dateline_store::{DeskItem, EditableArticle};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;

/// Articles per page of the desk's lists.
const DESK_PAGE: u32 = 50;

/// The editor form: the article fields plus the workflow controls.
struct EditorForm {
    input: ArticleInput,
    action: Option<String>,
    version: i64,
}

/// Reads the form by hand: a multiple `<select>` sends one pair per
/// choice, which the usual form extractor cannot collect.
fn parse_editor_form(body: &[u8]) -> EditorForm {
    let mut input = ArticleInput::default();
    let mut action = None;
    let mut version = 0;
    for (key, value) in form_urlencoded::parse(body) {
        let value = value.into_owned();
        match key.as_ref() {
            "headline" => input.headline = value,
            "seo_title" => input.seo_title = value,
            "slug" => input.slug = value,
            "standfirst" => input.standfirst = value,
            "body_html" => input.body_html = value,
            "section" => input.section = value,
            "tags" => input.tags = value,
            "authors" => input.authors.push(value),
            "dateline_place" => input.dateline_place = value,
            "source_credit" => input.source_credit = value,
            "lead_media" => input.lead_media = value,
            "lead_caption" => input.lead_caption = value,
            "lead_credit" => input.lead_credit = value,
            "lead_alt" => input.lead_alt = value,
            "translation_of" => input.translation_of = value,
            "publish_at" => input.publish_at = value,
            "minor" => input.minor = !value.is_empty(),
            "comment_mode" => input.comment_mode = value,
            "action" => action = Some(value),
            "version" => version = value.trim().parse().unwrap_or(0),
            _ => {}
        }
    }
    EditorForm {
        input,
        action,
        version,
    }
}

/// An option of a `<select>`.
#[derive(Serialize)]
pub(super) struct Choice {
    value: String,
    label: String,
    selected: bool,
}

impl Choice {
    /// An image of the media library, labelled by file name and size.
    pub(super) fn media(m: &dateline_store::MediaChoice, selected: &str) -> Choice {
        Choice {
            selected: selected == m.id.0.to_string(),
            value: m.id.0.to_string(),
            label: format!(
                "{} ({}×{})",
                m.path.rsplit('/').next().unwrap_or(&m.path),
                m.width,
                m.height
            ),
        }
    }
}

/// Translated messages of field errors, by field name.
pub(super) fn field_messages(
    app: &AppState,
    edition: &Edition,
    errors: &[FieldError],
) -> HashMap<&'static str, String> {
    errors
        .iter()
        .map(|e| (e.field, field_message(app, edition, e)))
        .collect()
}

#[derive(Serialize)]
struct ActionButton {
    action: &'static str,
    /// The main button of the form (publish for editors, submit for reporters).
    primary: bool,
}

#[derive(Serialize)]
struct EditorPage {
    chrome: NewsroomChrome,
    form_action: String,
    autosave_url: String,
    storage_key: String,
    server_saved_at: String,
    id: Option<ArticleId>,
    state: &'static str,
    version: i64,
    input: ArticleInput,
    errors: HashMap<&'static str, String>,
    form_error: Option<String>,
    notice: Option<String>,
    sections: Vec<Choice>,
    authors: Vec<Choice>,
    media: Vec<Choice>,
    actions: Vec<ActionButton>,
    time_zone: String,
    published_at: Option<String>,
    preview_url: Option<String>,
    revisions_url: Option<String>,
    public_url: Option<String>,
    corrections_url: Option<String>,
    /// Shown when this user may move the article to the trash.
    delete_url: Option<String>,
    corrections: Vec<CorrectionLine>,
    translations: Vec<String>,
}

#[derive(Serialize)]
struct CorrectionLine {
    at: String,
    note: String,
}

/// What the editor page shows besides the form values.
struct EditorContext<'a> {
    article: Option<&'a EditableArticle>,
    status: StatusCode,
    errors: Vec<FieldError>,
    form_error: Option<String>,
    notice: Option<String>,
    /// The version the next save starts from.
    version: i64,
}

impl EditorContext<'_> {
    fn clean(article: Option<&EditableArticle>) -> EditorContext<'_> {
        EditorContext {
            article,
            status: StatusCode::OK,
            errors: Vec::new(),
            form_error: None,
            notice: None,
            version: article.map_or(0, |a| a.version),
        }
    }
}

fn local_time(edition: &Edition, at: OffsetDateTime) -> String {
    edition.site().time_zone.local_input(at).replace('T', " ")
}

pub(super) fn text(app: &AppState, edition: &Edition, id: &str) -> String {
    app.translations
        .text(edition.site().lang, id, None)
        .into_owned()
}

fn field_message(app: &AppState, edition: &Edition, error: &FieldError) -> String {
    app.translations
        .problem(edition.site().lang, "", error.problem)
}

async fn editor_page(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    input: ArticleInput,
    cx: EditorContext<'_>,
) -> Result<Response, AppError> {
    let site = edition.site();
    let network = app.network();
    let entry = network.sites.iter().find(|e| e.site.id == site.id);
    let sections = entry
        .map(|e| {
            e.sections
                .iter()
                .map(|s| Choice {
                    value: s.id.to_string(),
                    label: s.name.clone(),
                    selected: input.section == s.id.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let authors = app
        .db
        .authors(site.id)
        .await?
        .into_iter()
        .map(|a| Choice {
            selected: input.authors.contains(&a.id.to_string()),
            value: a.id.to_string(),
            label: a.name,
        })
        .collect();
    let media = app
        .db
        .media_choices(site.id)
        .await?
        .into_iter()
        .map(|m| Choice::media(&m, &input.lead_media))
        .collect();
    let state = cx.article.map_or(ArticleState::Draft, |a| a.status.state);
    let own = cx
        .article
        .is_none_or(|a| a.created_by == Some(staff.user.id));
    let available = workflow::available_actions(staff.role, own, state);
    // The main button: publishing for editors, submitting for reporters,
    // saving once those steps are behind.
    let primary = [Action::Publish, Action::Submit, Action::Save]
        .into_iter()
        .find(|a| available.contains(a))
        .unwrap_or(Action::Save);
    let actions = available
        .into_iter()
        .map(|a| ActionButton {
            action: a.as_str(),
            primary: a == primary,
        })
        .collect();
    let errors = field_messages(app, edition, &cx.errors);
    let article_url = |suffix: &str| {
        cx.article
            .map(|a| edition.url(&format!("/newsroom/articles/{}{suffix}", a.id)))
    };
    let key = cx.article.map_or("new".to_owned(), |a| a.id.to_string());
    let public_url = cx.article.and_then(|a| {
        let section = entry?.sections.iter().find(|s| s.id == a.content.section)?;
        (a.status.state == ArticleState::Published)
            .then(|| edition.url(&article_path(&section.slug, a.id, &a.content.slug)))
    });
    let translations = match cx.article.and_then(|a| a.translation_group.clone()) {
        Some(group) => app
            .db
            .translation_ids(&group, cx.article.map_or(ArticleId(0), |a| a.id))
            .await?
            .into_iter()
            .map(|id| format!("#{id}"))
            .collect(),
        None => Vec::new(),
    };
    let title_id = if cx.article.is_some() {
        "editor-title-edit"
    } else {
        "editor-title-new"
    };
    let view = EditorPage {
        chrome: NewsroomChrome::new(app, edition, title_id, Some(staff.user.name.clone()))
            .with_role(staff.role),
        form_action: article_url("").unwrap_or_else(|| edition.url("/newsroom/articles")),
        autosave_url: article_url("/autosave")
            .unwrap_or_else(|| edition.url("/newsroom/articles/new/autosave")),
        storage_key: format!("dateline:autosave:{}:{}:{key}", site.key, staff.user.id.0),
        server_saved_at: cx
            .article
            .and_then(|a| a.edited_at)
            .map(crate::render::stamps::iso)
            .unwrap_or_default(),
        id: cx.article.map(|a| a.id),
        state: state.as_str(),
        version: cx.version,
        errors,
        form_error: cx.form_error,
        notice: cx.notice,
        sections,
        authors,
        media,
        actions,
        time_zone: site.time_zone.name().to_owned(),
        published_at: cx
            .article
            .and_then(|a| a.status.published_at)
            .map(|t| local_time(edition, t)),
        preview_url: article_url("/preview"),
        revisions_url: article_url("/revisions"),
        delete_url: cx
            .article
            .filter(|a| workflow::may_delete(staff.role, own, a.status.state))
            .map(|a| edition.url(&format!("/newsroom/articles/{}/delete", a.id))),
        corrections_url: cx
            .article
            .filter(|a| {
                a.status.state == ArticleState::Published
                    && matches!(staff.role, Role::Admin | Role::Editor)
            })
            .map(|a| edition.url(&format!("/newsroom/articles/{}/corrections", a.id))),
        corrections: cx
            .article
            .map(|a| {
                a.corrections
                    .iter()
                    .map(|c| CorrectionLine {
                        at: local_time(edition, c.at),
                        note: c.note.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        public_url,
        translations,
        input,
    };
    newsroom_page(app, edition, "newsroom/editor.html", &view, cx.status)
}

/// An article of the site that this user's role may act on by `rule`
/// (`workflow::may_edit`, `may_delete`); the flag says it is their own.
async fn load_for(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    id: i64,
    rule: fn(Role, bool, ArticleState) -> bool,
) -> Result<(EditableArticle, bool), AppError> {
    Ok(app
        .desk
        .article_for(staff.on(edition), ArticleId(id), rule)
        .await?)
}

async fn load(app: &AppState, edition: &Edition, id: i64) -> Result<EditableArticle, AppError> {
    app.db
        .editable_article(edition.site().id, ArticleId(id))
        .await?
        .ok_or(AppError::NotFound)
}

#[derive(Deserialize)]
pub(super) struct ListQuery {
    state: Option<String>,
    page: Option<String>,
}

#[derive(Serialize)]
struct ListPage {
    chrome: NewsroomChrome,
    state: Option<&'static str>,
    filters: Vec<Filter>,
    items: Vec<DeskLine>,
    next_url: Option<String>,
    prev_url: Option<String>,
    can_create: bool,
}

#[derive(Serialize)]
struct Filter {
    state: Option<&'static str>,
    url: String,
    current: bool,
}

#[derive(Serialize)]
pub(super) struct DeskLine {
    id: ArticleId,
    headline: String,
    state: &'static str,
    section: String,
    writer: String,
    edited: String,
    url: String,
}

pub(super) fn desk_line(edition: &Edition, item: &DeskItem) -> DeskLine {
    DeskLine {
        id: item.id,
        headline: item.headline.clone(),
        state: item.state.as_str(),
        section: item.section_name.clone(),
        writer: item.writer.clone().unwrap_or_default(),
        edited: local_time(
            edition,
            item.published_at
                .filter(|_| item.state == ArticleState::Scheduled)
                .unwrap_or(item.edited_at),
        ),
        url: edition.url(&format!("/newsroom/articles/{}", item.id)),
    }
}

/// `GET /newsroom/articles`: every article of the site, newest edit first.
pub(super) async fn list(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    if !workflow::may_read(staff.role) {
        return Err(refusal(&app, &edition, "newsroom-no-access"));
    }
    // `deleted`: the trash, not a workflow state.
    let trash = query.state.as_deref() == Some("deleted");
    let state = match query.state.as_deref().filter(|s| !s.is_empty() && !trash) {
        None => None,
        Some(name) => Some(
            ArticleState::parse(name)
                .ok_or_else(|| AppError::BadRequest(text(&app, &edition, "desk-unknown-state")))?,
        ),
    };
    let page = dateline_core::paging::PageNumber::parse(query.page.as_deref())
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let offset = page.offset(DESK_PAGE);
    let items = if trash {
        app.db.desk_trash(edition.site().id).await?
    } else {
        app.db
            .desk_articles(edition.site().id, state, DESK_PAGE + 1, offset)
            .await?
    };
    let more = items.len() > DESK_PAGE as usize;
    let base = |state: Option<ArticleState>, page: u32| {
        let mut url = edition.url("/newsroom/articles");
        let mut params = Vec::new();
        if let Some(s) = state {
            params.push(format!("state={}", s.as_str()));
        }
        if page > 1 {
            params.push(format!("page={page}"));
        }
        if !params.is_empty() {
            url.push('?');
            url.push_str(&params.join("&"));
        }
        url
    };
    let mut filters = vec![Filter {
        state: None,
        url: base(None, 1),
        current: state.is_none() && !trash,
    }];
    for s in [
        ArticleState::Draft,
        ArticleState::InReview,
        ArticleState::Scheduled,
        ArticleState::Published,
        ArticleState::Unpublished,
    ] {
        filters.push(Filter {
            state: Some(s.as_str()),
            url: base(Some(s), 1),
            current: state == Some(s),
        });
    }
    filters.push(Filter {
        state: Some("deleted"),
        url: edition.url("/newsroom/articles?state=deleted"),
        current: trash,
    });
    let view = ListPage {
        chrome: NewsroomChrome::new(&app, &edition, "desk-title", Some(staff.user.name.clone()))
            .with_role(staff.role),
        state: if trash {
            Some("deleted")
        } else {
            state.map(ArticleState::as_str)
        },
        filters,
        items: items
            .iter()
            .take(DESK_PAGE as usize)
            .map(|i| desk_line(&edition, i))
            .collect(),
        next_url: more.then(|| base(state, page.get() + 1)),
        prev_url: (page.get() > 1).then(|| base(state, page.get() - 1)),
        can_create: workflow::may_create(staff.role),
    };
    newsroom_page(
        &app,
        &edition,
        "newsroom/articles.html",
        &view,
        StatusCode::OK,
    )
}

/// `GET /newsroom/articles/new`: an empty editor, or the unsaved new
/// article this user was typing.
pub(super) async fn new_form(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
) -> Result<Response, AppError> {
    if !workflow::may_create(staff.role) {
        return Err(refusal(&app, &edition, "workflow-not-allowed"));
    }
    let site = edition.site();
    let mut cx = EditorContext::clean(None);
    let input = match app.db.autosave(staff.user.id, site.id, None).await? {
        Some(saved) => match serde_json::from_str::<ArticleInput>(&saved.content) {
            Ok(input) => {
                cx.notice = Some(restored_notice(&app, &edition, saved.saved_at));
                input
            }
            Err(_) => ArticleInput::default(),
        },
        None => ArticleInput::default(),
    };
    editor_page(&app, &edition, &staff, input, cx).await
}

fn restored_notice(app: &AppState, edition: &Edition, at: OffsetDateTime) -> String {
    let args = crate::render::i18n::args_from([(
        "time".to_owned(),
        fluent_bundle::FluentValue::from(local_time(edition, at)),
    )]);
    app.translations
        .text(edition.site().lang, "editor-restored", Some(&args))
        .into_owned()
}

/// `POST /newsroom/articles`: stores a new article, taking the step its
/// button asked for (save as draft, submit, publish, schedule).
pub(super) async fn create(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    require_same_origin(&app, &edition, &headers)?;
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
        Ok(id) => Err(AppError::SeeOther(
            edition.url(&format!("/newsroom/articles/{id}?done={}", action.as_str())),
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

#[derive(Deserialize)]
pub(super) struct EditQuery {
    done: Option<String>,
}

/// `GET /newsroom/articles/{id}`: the editor, with this user's unsaved
/// typing restored when there is some.
pub(super) async fn edit_form(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Path(id): Path<i64>,
    Query(query): Query<EditQuery>,
) -> Result<Response, AppError> {
    let (article, _) = load_for(&app, &edition, &staff, id, workflow::may_edit).await?;
    let mut cx = EditorContext::clean(Some(&article));
    cx.notice = query
        .done
        .as_deref()
        .and_then(Action::parse)
        .map(|a| text(&app, &edition, &format!("editor-done-{}", a.as_str())));
    let mut input = article.content.to_input();
    if article.status.state == ArticleState::Scheduled
        && let Some(at) = article.status.published_at
    {
        input.publish_at = edition.site().time_zone.local_input(at);
    }
    let saved = app
        .db
        .autosave(staff.user.id, edition.site().id, Some(article.id))
        .await?;
    if let Some(saved) = saved
        && saved.base_version == article.version
        && let Ok(typed) = serde_json::from_str::<ArticleInput>(&saved.content)
        && typed != input
    {
        cx.notice = Some(restored_notice(&app, &edition, saved.saved_at));
        input = typed;
    }
    editor_page(&app, &edition, &staff, input, cx).await
}

/// `POST /newsroom/articles/{id}`: saves and takes the step asked for,
/// unless someone else saved since the form was opened.
pub(super) async fn save(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    require_same_origin(&app, &edition, &headers)?;
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
            return Err(AppError::SeeOther(edition.url(&format!(
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
pub(super) async fn autosave(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    require_same_origin(&app, &edition, &headers)?;
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

/// `GET /newsroom/articles/{id}/preview`: the article page as readers
/// will see it, whatever its state.
pub(super) async fn preview(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    if !workflow::may_read(staff.role) {
        return Err(refusal(&app, &edition, "newsroom-no-access"));
    }
    let article = app
        .db
        .article_in_any_state(edition.site().id, ArticleId(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let now = OffsetDateTime::now_utc();
    let comments = crate::render::comments::view(
        &app,
        &edition,
        &article,
        &crate::render::comments::CommentsQuery::parse(None),
        None,
        false,
        now,
    )
    .await?;
    render_article(&app, &edition, &article, now, Audience::Preview, comments).await
}

#[derive(Deserialize)]
pub(super) struct CompareQuery {
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
pub(super) async fn revisions(
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
pub(super) struct RestoreForm {
    #[serde(default)]
    version: i64,
}

/// `POST /newsroom/articles/{id}/revisions/{n}/restore`: saves an old
/// revision's content as the newest one (the state does not change).
pub(super) async fn restore(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Path((id, number)): Path<(i64, i64)>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<RestoreForm>,
) -> Result<Response, AppError> {
    require_same_origin(&app, &edition, &headers)?;
    app.desk
        .restore_revision(staff.on(&edition), ArticleId(id), number, form.version)
        .await?;
    Err(AppError::SeeOther(
        edition.url(&format!("/newsroom/articles/{id}?done=save")),
    ))
}

#[derive(Deserialize)]
pub(super) struct CorrectionForm {
    #[serde(default)]
    note: String,
}

/// `POST /newsroom/articles/{id}/corrections`: appends a public correction
/// to a published article (editors and admins).
pub(super) async fn add_correction(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<CorrectionForm>,
) -> Result<Response, AppError> {
    require_same_origin(&app, &edition, &headers)?;
    app.desk
        .add_correction(staff.on(&edition), ArticleId(id), &form.note)
        .await?;
    Err(AppError::SeeOther(
        edition.url(&format!("/newsroom/articles/{id}?done=correct")),
    ))
}

/// `POST /newsroom/articles/{id}/delete`: to the trash (not published
/// articles; reporters only their own drafts).
pub(super) async fn delete(
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
pub(super) async fn restore_from_trash(
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

#[derive(Serialize)]
struct AuditPage {
    chrome: NewsroomChrome,
    entries: Vec<AuditLine>,
}

#[derive(Serialize)]
struct AuditLine {
    at: String,
    user: String,
    action: String,
    subject: String,
    subject_url: Option<String>,
    detail: String,
}

/// `GET /newsroom/audit`: who did what on this site (admins).
pub(super) async fn audit(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
) -> Result<Response, AppError> {
    if staff.role != Role::Admin {
        return Err(refusal(&app, &edition, "workflow-not-allowed"));
    }
    let entries = app
        .db
        .audit_log(edition.site().id, 200)
        .await?
        .into_iter()
        .map(|e| AuditLine {
            at: local_time(&edition, e.at),
            user: e.user_name.unwrap_or_default(),
            subject_url: e
                .subject
                .strip_prefix("article:")
                .map(|id| edition.url(&format!("/newsroom/articles/{id}"))),
            action: e.action,
            subject: e.subject,
            detail: e.detail,
        })
        .collect();
    let view = AuditPage {
        chrome: NewsroomChrome::new(&app, &edition, "audit-title", Some(staff.user.name.clone()))
            .with_role(staff.role),
        entries,
    };
    newsroom_page(&app, &edition, "newsroom/audit.html", &view, StatusCode::OK)
}
