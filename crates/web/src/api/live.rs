//! Live coverage through the API: `POST /api/v1/articles/{id}/live/entries`
//! posts an entry to a live story, as the newsroom's fast form does
//! (`dateline_newsdesk::live`), for newsroom tools and scripts.

use super::errors::{ApiError, field_messages};
use super::tokens::ApiUser;
use super::write::{article_id, on, read_body};
use crate::AppState;
use crate::network::Edition;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use dateline_core::live::EntryInput;
use dateline_newsdesk::live::LiveError;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// `POST /api/v1/articles/{id}/live/entries`: `{"body_html": …,
/// "headline": …, "key_event": …}`. 201 with the entry's number and
/// address.
pub(super) async fn post_entry(
    State(app): State<AppState>,
    edition: Edition,
    who: ApiUser,
    path: Result<Path<String>, axum::extract::rejection::PathRejection>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = article_id(path)?;
    let fields = read_body(&headers, body)?;
    let mut input = EntryInput::default();
    let mut wrong = BTreeMap::new();
    for (name, value) in fields {
        match (name.as_str(), value) {
            ("headline", Value::String(text)) => input.headline = text,
            ("body_html", Value::String(text)) => input.body_html = text,
            ("key_event", Value::Bool(flag)) => input.key_event = flag,
            ("media", Value::Number(id)) => input.media = id.to_string(),
            ("headline" | "body_html", _) => {
                wrong.insert(name, "must be a string".to_owned());
            }
            ("key_event", _) => {
                wrong.insert(name, "must be true or false".to_owned());
            }
            ("media", _) => {
                wrong.insert(
                    name,
                    "must be the number of a picture of the media library".to_owned(),
                );
            }
            _ => {
                wrong.insert(name, "not a field of an entry".to_owned());
            }
        }
    }
    if !wrong.is_empty() {
        return Err(ApiError::Invalid(wrong));
    }
    let seq = app
        .desk
        .post_entry(on(&edition, &who), id, &input)
        .await
        .map_err(|error| match error {
            LiveError::NotFound => ApiError::no_article(),
            LiveError::NotAllowed => {
                ApiError::Forbidden("your role may not post to live coverage".into())
            }
            LiveError::NotLive => {
                ApiError::WrongState("the story is not live: an editor starts its coverage".into())
            }
            LiveError::Invalid(errors) => ApiError::Invalid(field_messages(&errors)),
            LiveError::Failed(failure) => failure.into(),
        })?;
    let article = app
        .db
        .article_in_any_state(edition.site().id, id)
        .await?
        .ok_or_else(ApiError::no_article)?;
    let page = crate::render::live::poll_path(&article);
    let url = edition.canonical(page.trim_end_matches("/live"));
    Ok((
        StatusCode::CREATED,
        Json(json!({"seq": seq, "url": format!("{url}#entry-{seq}")})),
    )
        .into_response())
}
