//! The API's one error type. Every failure is JSON,
//! `{"error": {"code": "...", "message": "..."}}`, with a code that is a
//! stable contract for programs and an English message for people; field
//! problems and version conflicts add `fields` and `current_version`.
//! Server errors are logged here, once, with their cause.

use crate::error::{AppError, cause_chain};
use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dateline_core::editing::FieldError;
use dateline_core::workflow::WorkflowError;
use dateline_newsdesk::{ArticleError, Failure};
use dateline_store::StoreError;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the `WWW-Authenticate` challenge names (RFC 6750 §3).
const REALM: &str = "Bearer realm=\"Dateline API\"";

#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    /// A query parameter that cannot be read (`page=abc`).
    #[error("{0}")]
    BadParameter(String),
    /// A body that is not a JSON object.
    #[error("{0}")]
    BadJson(String),
    #[error("this request needs an API token: send Authorization: Bearer <token>")]
    MissingToken,
    #[error("the API token is unknown or revoked")]
    InvalidToken,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("this method is not allowed here")]
    MethodNotAllowed,
    /// Someone saved the article since the version the client started from.
    #[error("the article was saved since version {expected}; it is now at version {current}")]
    VersionConflict { expected: i64, current: i64 },
    #[error("{0}")]
    WrongState(String),
    #[error("the request body is too large")]
    TooLarge,
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    /// Fields that are missing, of the wrong type or not acceptable.
    #[error("some fields are not valid")]
    Invalid(BTreeMap<String, String>),
    #[error("the server is busy; try again in a moment")]
    Unavailable(String),
    #[error("the server failed; the error was logged")]
    Internal(String),
}

#[derive(Serialize)]
struct Envelope<'a> {
    error: Body<'a>,
}

#[derive(Serialize)]
struct Body<'a> {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fields: Option<&'a BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<i64>,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadParameter(_) | ApiError::BadJson(_) => StatusCode::BAD_REQUEST,
            ApiError::MissingToken | ApiError::InvalidToken => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::VersionConflict { .. } | ApiError::WrongState(_) => StatusCode::CONFLICT,
            ApiError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code clients branch on; `docs/api.md` lists them all.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadParameter(_) => "bad_parameter",
            ApiError::BadJson(_) => "bad_json",
            ApiError::MissingToken => "token_required",
            ApiError::InvalidToken => "invalid_token",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::VersionConflict { .. } => "version_conflict",
            ApiError::WrongState(_) => "wrong_state",
            ApiError::TooLarge => "too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::Invalid(_) => "invalid_input",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The article (or other thing) of the request does not exist here.
    pub fn no_article() -> ApiError {
        ApiError::NotFound("no such article on this site".into())
    }

    /// One field's problem.
    pub fn field(name: &str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid(BTreeMap::from([(name.to_owned(), message.into())]))
    }

    /// A workflow step refused by `core::workflow`.
    pub fn workflow(error: WorkflowError) -> ApiError {
        match error {
            WorkflowError::NotAllowed => ApiError::Forbidden(error.to_string()),
            WorkflowError::WrongState => ApiError::WrongState(error.to_string()),
            WorkflowError::ScheduleInPast | WorkflowError::ScheduleMissing => {
                ApiError::field("publish_at", error.to_string())
            }
        }
    }
}

/// Problems `ArticleInput::check` found, one message per field (the first).
pub(crate) fn field_messages(errors: &[FieldError]) -> BTreeMap<String, String> {
    let mut fields = BTreeMap::new();
    for error in errors {
        fields
            .entry(error.field.to_owned())
            .or_insert_with(|| error.english());
    }
    fields
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        ApiError::from(Failure::Store(error))
    }
}

impl From<Failure> for ApiError {
    fn from(failure: Failure) -> ApiError {
        let busy = matches!(
            &failure,
            Failure::ShuttingDown
                | Failure::Store(StoreError::Database(
                    dateline_store::DatabaseError::PoolTimedOut
                ))
        );
        if busy {
            ApiError::Unavailable(cause_chain(&failure))
        } else {
            ApiError::Internal(cause_chain(&failure))
        }
    }
}

/// Refusals of the article use cases, in the API's words.
impl From<ArticleError> for ApiError {
    fn from(error: ArticleError) -> ApiError {
        match error {
            ArticleError::NotFound => ApiError::no_article(),
            ArticleError::NotAllowed => ApiError::Forbidden(error.to_string()),
            ArticleError::Invalid(errors) => ApiError::Invalid(field_messages(&errors)),
            ArticleError::Workflow(e) => ApiError::workflow(e),
            ArticleError::Conflict(ref conflict) => ApiError::VersionConflict {
                expected: 0,
                current: conflict.current_version,
            },
            ArticleError::NotPublished | ArticleError::InvalidCorrection => {
                ApiError::WrongState(error.to_string())
            }
            ArticleError::Failed(failure) => failure.into(),
        }
    }
}

/// Errors of shared code (the newsroom's input check, the store).
impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        match error {
            AppError::NotFound => ApiError::no_article(),
            AppError::BadRequest(reason) => ApiError::BadParameter(reason),
            AppError::Forbidden(reason) => ApiError::Forbidden(reason),
            AppError::Conflict(reason) => ApiError::WrongState(reason),
            AppError::Refused(status, id) if status == StatusCode::FORBIDDEN => {
                ApiError::Forbidden(id.to_owned())
            }
            AppError::Refused(_, id) => ApiError::WrongState(id.to_owned()),
            AppError::Failure(failure) => failure.into(),
            error if error.status() == StatusCode::SERVICE_UNAVAILABLE => {
                ApiError::Unavailable(error.to_string())
            }
            error => ApiError::Internal(cause_chain(&error)),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if let ApiError::Internal(cause) | ApiError::Unavailable(cause) = &self {
            tracing::error!(status = status.as_u16(), %cause, "API request failed");
        }
        let (fields, current_version) = match &self {
            ApiError::Invalid(fields) => (Some(fields), None),
            ApiError::VersionConflict { current, .. } => (None, Some(*current)),
            _ => (None, None),
        };
        let body = Envelope {
            error: Body {
                code: self.code(),
                message: self.to_string(),
                fields,
                current_version,
            },
        };
        let mut response = (status, Json(body)).into_response();
        let challenge = match self {
            ApiError::MissingToken => Some(REALM.to_owned()),
            ApiError::InvalidToken => Some(format!(
                "{REALM}, error=\"invalid_token\", error_description=\"unknown or revoked token\""
            )),
            _ => None,
        };
        if let Some(value) = challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_distinct_code() {
        let all = [
            ApiError::BadParameter(String::new()),
            ApiError::BadJson(String::new()),
            ApiError::MissingToken,
            ApiError::InvalidToken,
            ApiError::Forbidden(String::new()),
            ApiError::NotFound(String::new()),
            ApiError::MethodNotAllowed,
            ApiError::VersionConflict {
                expected: 1,
                current: 2,
            },
            ApiError::WrongState(String::new()),
            ApiError::TooLarge,
            ApiError::UnsupportedMediaType,
            ApiError::Invalid(BTreeMap::new()),
            ApiError::Unavailable(String::new()),
            ApiError::Internal(String::new()),
        ];
        let mut codes: Vec<_> = all.iter().map(ApiError::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        // The OpenAPI document lists the same codes.
        let document: serde_json::Value =
            serde_json::from_str(include_str!("openapi.json")).unwrap();
        let listed = &document["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
            ["code"]["enum"];
        let mut listed: Vec<&str> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        listed.sort_unstable();
        assert_eq!(listed, codes);
    }
}
