//! The editor: every field the public page shows, the workflow buttons
//! this user may press, the unsaved typing restored, and the preview of
//! the page exactly as readers will see it.

use super::load_for;
use crate::AppState;
use crate::error::AppError;
use crate::network::Edition;
use crate::newsroom::auth::{Staff, refusal};
use crate::newsroom::chrome::{
    Choice, NewsroomChrome, field_messages, local_time, newsroom_page, text,
};
use crate::render::article::{Audience, render as render_article};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::accounts::Role;
use dateline_core::editing::{ArticleInput, FieldError};
use dateline_core::workflow::{self, Action};
use dateline_core::{ArticleId, ArticleState, article_path};
use dateline_store::EditableArticle;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;

/// The editor form: the article fields plus the workflow controls.
pub(crate) struct EditorForm {
    pub(crate) input: ArticleInput,
    pub(crate) action: Option<String>,
    pub(crate) version: i64,
}

/// Reads the form by hand: a multiple `<select>` sends one pair per
/// choice, which the usual form extractor cannot collect.
pub(crate) fn parse_editor_form(body: &[u8]) -> EditorForm {
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
    /// Live coverage: its entries and the fast form.
    live_url: Option<String>,
    public_url: Option<String>,
    corrections_url: Option<String>,
    /// Shown when this user may move the article to the trash.
    delete_url: Option<String>,
    corrections: Vec<CorrectionLine>,
    translations: Vec<String>,
    /// Notes from the agency the story came from, for editors only.
    wire_notes: Vec<String>,
}

#[derive(Serialize)]
struct CorrectionLine {
    at: String,
    note: String,
}

/// What the editor page shows besides the form values.
pub(crate) struct EditorContext<'a> {
    pub(crate) article: Option<&'a EditableArticle>,
    pub(crate) status: StatusCode,
    pub(crate) errors: Vec<FieldError>,
    pub(crate) form_error: Option<String>,
    pub(crate) notice: Option<String>,
    /// The version the next save starts from.
    pub(crate) version: i64,
}

impl EditorContext<'_> {
    pub(crate) fn clean(article: Option<&EditableArticle>) -> EditorContext<'_> {
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

pub(crate) async fn editor_page(
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
    let wire_notes = match cx.article {
        Some(article) => app.db.wire_notes_of(article.id).await?,
        None => Vec::new(),
    };
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
        live_url: article_url("/live"),
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
        wire_notes,
        input,
    };
    newsroom_page(app, edition, "newsroom/editor.html", &view, cx.status)
}

/// `GET /newsroom/articles/new`: an empty editor, or the unsaved new
/// article this user was typing.
pub(crate) async fn new_form(
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

#[derive(Deserialize)]
pub(crate) struct EditQuery {
    done: Option<String>,
}

/// `GET /newsroom/articles/{id}`: the editor, with this user's unsaved
/// typing restored when there is some.
pub(crate) async fn edit_form(
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

/// `GET /newsroom/articles/{id}/preview`: the article page as readers
/// will see it, whatever its state.
pub(crate) async fn preview(
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
