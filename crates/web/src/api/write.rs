//! The authenticated half of the API: reading an article in any state,
//! creating and updating articles. The rules are the newsroom's own: input
//! is checked by `ArticleInput::check` (through the desk's `check_input`),
//! permissions and state changes by `core::workflow`, and saves are
//! optimistic on the article's `version`, exactly as in the editor.

use super::errors::field_messages;
use super::resources::{self, NewsroomArticle};
use super::tokens::ApiUser;
use super::{ApiError, json_private};
use crate::AppState;
use crate::network::Edition;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use dateline_core::ArticleId;
use dateline_core::AuthorId;
use dateline_core::editing::ArticleInput;
use dateline_core::workflow::{self, Action};
use dateline_newsdesk::{Actor, ArticleCommand, ArticleError, OnSite, Origin, Schedule};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// A section or an author, named by slug or by id.
#[derive(Deserialize)]
#[serde(untagged)]
enum Choice {
    Id(i64),
    Slug(String),
}

/// The body of a create or update: every field optional here; a create
/// starts from empty fields, an update from the article as stored.
#[derive(Default)]
struct ArticleRequest {
    headline: Option<String>,
    seo_title: Option<String>,
    slug: Option<String>,
    standfirst: Option<String>,
    body_html: Option<String>,
    section: Option<Choice>,
    tags: Option<Vec<String>>,
    authors: Option<Vec<Choice>>,
    dateline_place: Option<String>,
    source_credit: Option<String>,
    lead_media: Option<Option<i64>>,
    lead_caption: Option<String>,
    lead_credit: Option<String>,
    lead_alt: Option<String>,
    translation_of: Option<i64>,
    publish_at: Option<OffsetDateTime>,
    minor: Option<bool>,
    action: Option<Action>,
    version: Option<i64>,
}

/// Takes fields out of a JSON object one by one, so each problem is
/// reported at its field; what is left over is unknown.
struct Fields {
    object: Map<String, Value>,
    errors: BTreeMap<String, String>,
}

impl Fields {
    fn take<T: DeserializeOwned>(&mut self, name: &str, expected: &str) -> Option<T> {
        let value = self.object.remove(name)?;
        match serde_json::from_value(value) {
            Ok(v) => Some(v),
            Err(_) => {
                self.errors
                    .insert(name.to_owned(), format!("must be {expected}"));
                None
            }
        }
    }
}

const STRING: &str = "a string";

impl ArticleRequest {
    /// Reads the body; an update must name the `version` it started from.
    /// Problems come back by field, with what could be read, so they can
    /// be reported together with those the content check finds.
    fn read(
        object: Map<String, Value>,
        update: bool,
    ) -> (ArticleRequest, BTreeMap<String, String>) {
        let mut f = Fields {
            object,
            errors: BTreeMap::new(),
        };
        let mut r = ArticleRequest {
            headline: f.take("headline", STRING),
            seo_title: f.take("seo_title", STRING),
            slug: f.take("slug", STRING),
            standfirst: f.take("standfirst", STRING),
            body_html: f.take("body_html", STRING),
            section: f.take("section", "a section slug or id"),
            tags: f.take("tags", "an array of tag names"),
            authors: f.take("authors", "an array of author slugs or ids"),
            dateline_place: f.take("dateline_place", STRING),
            source_credit: f.take("source_credit", STRING),
            lead_media: f.take("lead_media", "a media id or null"),
            lead_caption: f.take("lead_caption", STRING),
            lead_credit: f.take("lead_credit", STRING),
            lead_alt: f.take("lead_alt", STRING),
            translation_of: f.take("translation_of", "an article id"),
            minor: f.take("minor", "true or false"),
            version: f.take("version", "an integer"),
            ..ArticleRequest::default()
        };
        const TIME: &str = "an RFC 3339 date-time such as 2026-12-01T09:30:00Z";
        if let Some(text) = f.take::<String>("publish_at", TIME) {
            match OffsetDateTime::parse(&text, &time::format_description::well_known::Rfc3339) {
                Ok(at) => r.publish_at = Some(at),
                Err(_) => {
                    f.errors
                        .insert("publish_at".into(), format!("must be {TIME}"));
                }
            }
        }
        const ACTIONS: &str = "one of save, submit, return_to_draft, publish, schedule, unpublish";
        if let Some(text) = f.take::<String>("action", ACTIONS) {
            match Action::parse(&text) {
                Some(action) => r.action = Some(action),
                None => {
                    f.errors
                        .insert("action".into(), format!("must be {ACTIONS}"));
                }
            }
        }
        if update && r.version.is_none() && !f.errors.contains_key("version") {
            f.errors.insert(
                "version".into(),
                "required: the version of the article you started from".into(),
            );
        }
        for unknown in f.object.keys() {
            f.errors.insert(unknown.clone(), "unknown field".into());
        }
        (r, f.errors)
    }

    /// Writes the fields given over `input`, turning slugs into the ids
    /// the check expects. An unknown slug becomes an empty choice, which
    /// the check refuses at its field.
    fn apply(self, input: &mut ArticleInput, edition: &Edition, authors: &[(AuthorId, String)]) {
        let set = |target: &mut String, value: Option<String>| {
            if let Some(value) = value {
                *target = value;
            }
        };
        set(&mut input.headline, self.headline);
        set(&mut input.seo_title, self.seo_title);
        set(&mut input.slug, self.slug);
        set(&mut input.standfirst, self.standfirst);
        set(&mut input.body_html, self.body_html);
        set(&mut input.dateline_place, self.dateline_place);
        set(&mut input.source_credit, self.source_credit);
        set(&mut input.lead_caption, self.lead_caption);
        set(&mut input.lead_credit, self.lead_credit);
        set(&mut input.lead_alt, self.lead_alt);
        if let Some(section) = self.section {
            input.section = match section {
                Choice::Id(id) => id.to_string(),
                Choice::Slug(slug) => edition
                    .section(&slug)
                    .map(|s| s.id.to_string())
                    .unwrap_or_default(),
            };
        }
        if let Some(tags) = self.tags {
            input.tags = tags.join(", ");
        }
        if let Some(chosen) = self.authors {
            input.authors = chosen
                .into_iter()
                .map(|choice| match choice {
                    Choice::Id(id) => id.to_string(),
                    Choice::Slug(slug) => authors
                        .iter()
                        .find(|(_, s)| *s == slug)
                        .map(|(id, _)| id.to_string())
                        .unwrap_or_default(),
                })
                .collect();
        }
        if let Some(media) = self.lead_media {
            input.lead_media = media.map(|m| m.to_string()).unwrap_or_default();
        }
        if let Some(other) = self.translation_of {
            input.translation_of = other.to_string();
        }
        input.minor = self.minor.unwrap_or(false);
    }
}

/// The JSON object of a request body: 415 unless it is sent as JSON, 413
/// when too large, 400 when it is not a JSON object.
pub(super) fn read_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Map<String, Value>, ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/json" || v.ends_with("+json"));
    if !is_json {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge
        } else {
            ApiError::BadJson(rejection.body_text())
        }
    })?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(ApiError::BadJson("the body must be a JSON object".into())),
        Err(e) => Err(ApiError::BadJson(format!(
            "the body is not valid JSON: {e}"
        ))),
    }
}

/// A path id; anything that is not one names no article.
pub(super) fn article_id(path: Result<Path<String>, impl Sized>) -> Result<ArticleId, ApiError> {
    path.ok()
        .and_then(|Path(id)| id.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .map(ArticleId)
        .ok_or_else(ApiError::no_article)
}

/// The authors of the site by slug, to read author slugs.
async fn author_slugs(
    app: &AppState,
    edition: &Edition,
) -> Result<Vec<(AuthorId, String)>, ApiError> {
    Ok(app
        .db
        .authors(edition.site().id)
        .await?
        .into_iter()
        .map(|a| (a.id, a.slug.to_string()))
        .collect())
}

/// Problems of the body itself (`unread`) are reported together with
/// what the newsroom's check says of the other fields.
async fn refuse_unread(
    app: &AppState,
    edition: &Edition,
    input: &ArticleInput,
    mut unread: BTreeMap<String, String>,
) -> ApiError {
    match app.desk.check_article(edition.site().id, input).await {
        Ok(Err(errors)) => {
            for (field, message) in field_messages(&errors) {
                unread.entry(field).or_insert(message);
            }
            ApiError::Invalid(unread)
        }
        Ok(Ok(_)) => ApiError::Invalid(unread),
        Err(failure) => failure.into(),
    }
}

/// How the API answers a refused write.
fn write_refusal(error: ArticleError, expected: i64) -> ApiError {
    match error {
        ArticleError::Invalid(errors) => ApiError::Invalid(field_messages(&errors)),
        ArticleError::Workflow(e) => ApiError::workflow(e),
        ArticleError::Conflict(conflict) => ApiError::VersionConflict {
            expected,
            current: conflict.current_version,
        },
        ArticleError::NotFound => ApiError::no_article(),
        ArticleError::NotAllowed => {
            ApiError::Forbidden("your role may not change this article".into())
        }
        other => ApiError::from(other),
    }
}

pub(super) fn on(edition: &Edition, who: &ApiUser) -> OnSite {
    OnSite {
        site: edition.site().id,
        actor: Actor {
            user: who.user.id,
            role: who.role,
        },
    }
}

/// The article as the token's user sees it after a read or a write.
async fn reply(
    app: &AppState,
    edition: &Edition,
    id: ArticleId,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let site = edition.site().id;
    let (Some(article), Some(editable)) = (
        app.db.article_in_any_state(site, id).await?,
        app.db.editable_article(site, id).await?,
    ) else {
        return Err(ApiError::no_article());
    };
    let body: NewsroomArticle =
        resources::newsroom_article(app, edition, &article, &editable).await?;
    Ok(json_private(status, &body))
}

/// `GET /api/v1/articles/{id}` with a token: the article in any state,
/// with its `state` and `version`, for anyone who may write on the site.
pub(super) async fn show(
    app: &AppState,
    edition: &Edition,
    who: &ApiUser,
    id: ArticleId,
) -> Result<Response, ApiError> {
    if !workflow::may_read(who.role) {
        return Err(ApiError::Forbidden(
            "your role may not read the newsroom's articles".into(),
        ));
    }
    reply(app, edition, id, StatusCode::OK).await
}

/// `POST /api/v1/articles`: a new article, taking the step `action` asks
/// for (`save` as a draft by default). 201 with its address.
pub(super) async fn create(
    State(app): State<AppState>,
    edition: Edition,
    who: ApiUser,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    if !workflow::may_create(who.role) {
        return Err(ApiError::Forbidden(
            "your role may not write articles".into(),
        ));
    }
    let (request, unread) = ArticleRequest::read(read_body(&headers, body)?, false);
    let action = request.action.unwrap_or(Action::Save);
    let publish_at = request.publish_at;
    let mut input = ArticleInput::default();
    let authors = author_slugs(&app, &edition).await?;
    request.apply(&mut input, &edition, &authors);
    if !unread.is_empty() {
        return Err(refuse_unread(&app, &edition, &input, unread).await);
    }
    let command = ArticleCommand {
        input: &input,
        action,
        schedule: Schedule::At(publish_at),
        origin: Origin::Api,
    };
    let id = app
        .desk
        .create_article(on(&edition, &who), command)
        .await
        .map_err(|e| write_refusal(e, 0))?;
    let mut response = reply(&app, &edition, id, StatusCode::CREATED).await?;
    response.headers_mut().insert(
        header::LOCATION,
        crate::http::location(&edition.url(&format!("/api/v1/articles/{id}"))),
    );
    Ok(response)
}

/// `PUT /api/v1/articles/{id}`: changes the fields given (the others keep
/// their stored value) and takes the step `action` asks for, if nobody
/// saved since `version`; otherwise 409 naming the current version.
pub(super) async fn update(
    State(app): State<AppState>,
    edition: Edition,
    who: ApiUser,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = article_id(path)?;
    let site = edition.site().id;
    let article = app
        .db
        .editable_article(site, id)
        .await?
        .ok_or_else(ApiError::no_article)?;
    let own = article.created_by == Some(who.user.id);
    if !workflow::may_edit(who.role, own, article.status.state) {
        return Err(ApiError::Forbidden(
            "your role may not change this article".into(),
        ));
    }
    let (request, unread) = ArticleRequest::read(read_body(&headers, body)?, true);
    let expected = request.version.unwrap_or_default();
    let action = request.action.unwrap_or(Action::Save);
    let publish_at = request.publish_at;
    let mut input = article.content.to_input();
    let authors = author_slugs(&app, &edition).await?;
    request.apply(&mut input, &edition, &authors);
    if !unread.is_empty() {
        return Err(refuse_unread(&app, &edition, &input, unread).await);
    }
    let command = ArticleCommand {
        input: &input,
        action,
        // Saving a scheduled article keeps its time unless a new one is given.
        schedule: Schedule::At(publish_at.or(article.status.published_at)),
        origin: Origin::Api,
    };
    app.desk
        .save_article(on(&edition, &who), id, expected, command)
        .await
        .map_err(|e| write_refusal(e, expected))?;
    reply(&app, &edition, id, StatusCode::OK).await
}
