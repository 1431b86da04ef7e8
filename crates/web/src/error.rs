//! The one error type of the HTTP edge. Handlers return it; the
//! `error_pages` middleware turns it into the site's page in the reader's
//! language, and server errors are logged once, there, with their cause.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dateline_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// A request the reader can fix; the reason is shown to them.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Send the browser elsewhere (303 See Other), e.g. after a form.
    #[error("see other: {0}")]
    SeeOther(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The request lost a race or does not fit the current state.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests: {0}")]
    TooManyRequests(String),
    #[error("{0}")]
    Internal(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("template error: {0:#}")]
    Render(#[from] minijinja::Error),
}

/// What the `error_pages` middleware needs to render an error page.
#[derive(Debug, Clone)]
pub struct PageError {
    pub status: StatusCode,
    /// Reason shown to the reader (bad requests only).
    pub reason: Option<String>,
    /// Cause logged for server errors.
    pub cause: Option<String>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::SeeOther(_) => StatusCode::SEE_OTHER,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Store(StoreError::Database(sqlx_error)) if is_busy(sqlx_error) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Store(_) | AppError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

fn is_busy(error: &dateline_store::DatabaseError) -> bool {
    matches!(error, dateline_store::DatabaseError::PoolTimedOut)
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::SeeOther(location) = &self {
            let mut response = StatusCode::SEE_OTHER.into_response();
            response.headers_mut().insert(
                axum::http::header::LOCATION,
                crate::middleware::location(location),
            );
            return response;
        }
        let status = self.status();
        let reason = match &self {
            AppError::BadRequest(reason)
            | AppError::Forbidden(reason)
            | AppError::Conflict(reason)
            | AppError::TooManyRequests(reason) => Some(reason.clone()),
            _ => None,
        };
        let cause = status.is_server_error().then(|| self.to_string());
        let mut response =
            (status, reason.clone().unwrap_or_else(|| status.to_string())).into_response();
        response.extensions_mut().insert(PageError {
            status,
            reason,
            cause,
        });
        response
    }
}
