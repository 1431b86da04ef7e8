//! The wire desk (`/newsroom/wire`): what agencies and partner feeds sent
//! for this edition, newest first, marked by what became of it; an item's
//! page shows its copy and its notes for editors, and takes it into a
//! draft or publishes it (in this edition or another one, as a
//! translation too), or applies or dismisses a held newer version.

use super::auth::{NoFields, Staff, StaffForm};
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::chrome::{Choice, NewsroomChrome, local_time, newsroom_page};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::ArticleId;
use dateline_newsdesk::wire::WireItemRow;
use dateline_newsdesk::wire::desk::{Take, WireDeskError, may_decide};
use serde::{Deserialize, Serialize};

/// Items listed at most.
const DESK_LINES: i64 = 200;

#[derive(Serialize)]
struct DeskPage {
    chrome: NewsroomChrome,
    items: Vec<DeskLine>,
    /// Every source, then each one alone.
    filters: Vec<Filter>,
    sources_url: Option<String>,
}

#[derive(Serialize)]
struct Filter {
    /// `None`: every source.
    label: Option<String>,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct DeskLine {
    url: String,
    received: String,
    source: String,
    headline: String,
    guid: String,
    version: i64,
    /// The outcome, as stored (queued, published, held, killed …): the
    /// mark the page shows.
    outcome: String,
    /// An older version came before: an update.
    update: bool,
    embargo: Option<String>,
    article_url: Option<String>,
}

#[derive(Serialize)]
struct ItemPage {
    chrome: NewsroomChrome,
    item: ItemView,
    editions: Vec<Choice>,
    take_url: String,
    apply_url: Option<String>,
    dismiss_url: Option<String>,
    may_take: bool,
}

#[derive(Serialize)]
struct ItemView {
    source: String,
    guid: String,
    version: i64,
    status: String,
    outcome: String,
    detail: String,
    received: String,
    embargo: Option<String>,
    headline: String,
    standfirst: String,
    /// Sanitised as the newsroom's bodies are.
    body_html: String,
    byline: String,
    credit: String,
    dateline_place: String,
    keywords: Vec<String>,
    subjects: Vec<String>,
    editor_notes: Vec<String>,
    article_url: Option<String>,
    language: String,
}

impl From<WireDeskError> for AppError {
    fn from(error: WireDeskError) -> Self {
        match error {
            WireDeskError::NotFound => AppError::NotFound,
            WireDeskError::NotAllowed => {
                AppError::Refused(StatusCode::FORBIDDEN, "workflow-not-allowed")
            }
            WireDeskError::Killed => AppError::Refused(StatusCode::CONFLICT, "wire-killed"),
            WireDeskError::NothingHeld => {
                AppError::Refused(StatusCode::CONFLICT, "wire-nothing-held")
            }
            WireDeskError::Article(error) => error.into(),
            WireDeskError::Failed(failure) => AppError::Failure(failure),
        }
    }
}

#[derive(Deserialize)]
pub(super) struct DeskQuery {
    /// A source's name: only its items.
    source: Option<String>,
}

/// `GET /newsroom/wire`, or `?source=NAME` for one source's items.
pub(super) async fn desk(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Query(query): Query<DeskQuery>,
) -> Result<Response, AppError> {
    let sources = app.desk.wire_sources().await?;
    let chosen = query.source.as_deref().filter(|name| !name.is_empty());
    let only = match chosen {
        Some(name) => Some(
            sources
                .iter()
                .find(|s| s.name == name)
                .map(|s| s.id)
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let rows = app
        .desk
        .wire_desk(staff.on(&edition), only, DESK_LINES)
        .await?;
    let labels: Vec<(i64, String)> = sources.iter().map(|s| (s.id, s.label.clone())).collect();
    let filters = std::iter::once(Filter {
        label: None,
        url: edition.url("/newsroom/wire"),
        current: chosen.is_none(),
    })
    .chain(sources.iter().map(|s| Filter {
        label: Some(s.label.clone()),
        url: edition.url(&format!("/newsroom/wire?source={}", s.name)),
        current: chosen == Some(s.name.as_str()),
    }))
    .collect();
    let items = rows
        .into_iter()
        .map(|row| DeskLine {
            url: edition.url(&format!("/newsroom/wire/{}", row.id)),
            received: local_time(&edition, row.received_at),
            source: label_of(&labels, row.source_id),
            update: row.earlier && row.outcome != "killed",
            guid: row.guid.clone(),
            embargo: row.embargoed_until.map(|at| local_time(&edition, at)),
            article_url: article_url(&edition, &row),
            headline: row.headline,
            version: row.version,
            outcome: row.outcome,
        })
        .collect();
    let view = DeskPage {
        chrome: NewsroomChrome::new(&app, &edition, "wire-title", Some(staff.user.name.clone()))
            .with_role(staff.role),
        items,
        filters,
        sources_url: dateline_newsdesk::settings::may_change_settings(staff.role)
            .then(|| edition.url("/newsroom/wire/sources")),
    };
    newsroom_page(&app, &edition, "newsroom/wire.html", &view, StatusCode::OK)
}

/// `GET /newsroom/wire/{id}`
pub(super) async fn item(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let row = app.desk.wire_item(staff.on(&edition), id).await?;
    let labels = source_labels(&app).await?;
    let network = app.network();
    let editions = std::iter::once(edition.site())
        .chain(network.siblings(edition.site()).map(|e| &e.site))
        .map(|site| Choice {
            value: site.key.clone(),
            label: site.name.clone(),
            selected: site.id == edition.site().id,
        })
        .collect();
    let held = row.outcome == "held" && row.article_id.is_some() && may_decide(staff.role);
    let url = |action: &str| edition.url(&format!("/newsroom/wire/{id}/{action}"));
    let view = ItemPage {
        chrome: NewsroomChrome::new(
            &app,
            &edition,
            "wire-item-title",
            Some(staff.user.name.clone()),
        )
        .with_role(staff.role),
        take_url: url("take"),
        apply_url: held.then(|| url("apply")),
        dismiss_url: (may_decide(staff.role) && row.outcome != "dismissed").then(|| url("dismiss")),
        may_take: row.status == "usable" && row.outcome != "killed" && row.article_id.is_none(),
        editions,
        item: ItemView {
            source: label_of(&labels, row.source_id),
            received: local_time(&edition, row.received_at),
            embargo: row.embargoed_until.map(|at| local_time(&edition, at)),
            body_html: dateline_core::editing::sanitize_body(&row.body_html),
            keywords: row.keywords(),
            subjects: row.subjects(),
            editor_notes: row.editor_notes(),
            article_url: article_url(&edition, &row),
            guid: row.guid,
            version: row.version,
            status: row.status,
            outcome: row.outcome,
            detail: row.detail,
            headline: row.headline,
            standfirst: row.standfirst,
            byline: row.byline,
            credit: row.credit,
            dateline_place: row.dateline_place,
            language: row.language,
        },
    };
    newsroom_page(
        &app,
        &edition,
        "newsroom/wire_item.html",
        &view,
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub(super) struct TakeForm {
    /// The edition's site key.
    #[serde(default)]
    edition: String,
    #[serde(default)]
    translation_of: String,
    /// `draft` or `publish`.
    #[serde(default)]
    take: String,
}

/// `POST /newsroom/wire/{id}/take`: into a draft, or published; then to
/// the story's editor.
pub(super) async fn take(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm {
        staff,
        edition,
        form: Form(form),
    }: StaffForm<Form<TakeForm>>,
) -> Result<Response, AppError> {
    let network = app.network();
    let into = match form.edition.trim() {
        "" => edition.site().id,
        key => network
            .sites
            .iter()
            .find(|e| e.site.key == key)
            .map(|e| e.site.id)
            .ok_or_else(|| AppError::BadRequest(format!("no edition {key:?}")))?,
    };
    let translation_of = match form.translation_of.trim() {
        "" => None,
        text => Some(ArticleId(text.parse().map_err(|_| {
            AppError::BadRequest(format!("translation_of {text:?} is not an article number"))
        })?)),
    };
    let take = match form.take.as_str() {
        "publish" => Take::Publish,
        _ => Take::Draft,
    };
    let article = app
        .desk
        .take_wire_item(staff.on(&edition), id, into, translation_of, take)
        .await?;
    let editor = format!("/newsroom/articles/{article}");
    Ok(see_other(&match network.entry(into) {
        Some(other) if into != edition.site().id => edition.link_to(&other.site, &editor),
        _ => edition.url(&editor),
    }))
}

/// `POST /newsroom/wire/{id}/apply`: the held version replaces the desk's
/// copy of the story (which stays in its revisions).
pub(super) async fn apply(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm { staff, edition, .. }: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    let article = app.desk.apply_wire_version(staff.on(&edition), id).await?;
    Ok(see_other(
        &edition.url(&format!("/newsroom/articles/{article}")),
    ))
}

/// `POST /newsroom/wire/{id}/dismiss`
pub(super) async fn dismiss(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm { staff, edition, .. }: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    app.desk.dismiss_wire_item(staff.on(&edition), id).await?;
    Ok(see_other(&edition.url("/newsroom/wire")))
}

fn article_url(edition: &Edition, row: &WireItemRow) -> Option<String> {
    row.article_id
        .filter(|_| row.site_id == edition.site().id.0)
        .map(|id| edition.url(&format!("/newsroom/articles/{id}")))
}

async fn source_labels(app: &AppState) -> Result<Vec<(i64, String)>, AppError> {
    Ok(app
        .desk
        .wire_sources()
        .await?
        .into_iter()
        .map(|s| (s.id, s.label))
        .collect())
}

fn label_of(labels: &[(i64, String)], id: i64) -> String {
    labels
        .iter()
        .find(|(source, _)| *source == id)
        .map(|(_, label)| label.clone())
        .unwrap_or_default()
}
