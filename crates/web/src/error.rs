//! The one error type of the HTTP edge. Handlers return it; the
//! `error_pages` middleware turns it into the site's page in the reader's
//! language, and server errors are logged once, there, with their whole
//! cause chain.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dateline_core::workflow::WorkflowError;
use dateline_newsdesk::Failure;
use dateline_newsdesk::accounts::AccessError;
use dateline_newsdesk::articles::ArticleError;
use dateline_newsdesk::comments::ModerationError;
use dateline_newsdesk::settings::SiteError;
use dateline_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// A request the reader can fix; the reason is shown to them.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The newsroom needs a session: the browser goes to the login page
    /// (303 See Other to this address).
    #[error("log in first: {0}")]
    LogInFirst(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The request lost a race or does not fit the current state.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("too many requests: {0}")]
    TooManyRequests(String),
    /// A refusal whose reason is a message id, translated into the
    /// site's language where the error page is made.
    #[error("refused ({0}): {1}")]
    Refused(StatusCode, &'static str),
    /// A route that needs a site ran without one (the site resolver is
    /// missing from the stack).
    #[error("no site was resolved for this request")]
    NoSite,
    #[error("a blocking task stopped")]
    Blocking(#[source] tokio::task::JoinError),
    #[error("search failed")]
    Search(#[source] SearchFailure),
    #[error("cannot draw a security code")]
    Drawing(#[source] dateline_media::ImageError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Failure(Failure),
    #[error("cannot store an upload")]
    Upload(#[source] dateline_media::MediaError),
    #[error("template error: {0:#}")]
    Render(#[from] minijinja::Error),
}

/// Why a search failed on the server's side.
#[derive(Debug, thiserror::Error)]
pub enum SearchFailure {
    #[error("the search task stopped")]
    Task(#[from] tokio::task::JoinError),
    #[error("the search index failed")]
    Index(#[from] dateline_search::SearchError),
    #[error("cannot read the search results")]
    Store(#[from] dateline_store::StoreError),
}

/// What the `error_pages` middleware needs to render an error page.
#[derive(Debug, Clone)]
pub struct PageError {
    pub status: StatusCode,
    /// Reason shown to the reader (bad requests only).
    pub reason: Option<String>,
    /// A reason still to translate (a message id).
    pub reason_id: Option<&'static str>,
    /// Cause logged for server errors.
    pub cause: Option<String>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::LogInFirst(_) => StatusCode::SEE_OTHER,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Refused(status, _) => *status,
            AppError::NoSite
            | AppError::Blocking(_)
            | AppError::Drawing(_)
            | AppError::Search(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Store(StoreError::Database(sqlx_error))
            | AppError::Failure(Failure::Store(StoreError::Database(sqlx_error)))
                if is_busy(sqlx_error) =>
            {
                StatusCode::SERVICE_UNAVAILABLE
            }
            AppError::Failure(Failure::ShuttingDown) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Store(_)
            | AppError::Failure(_)
            | AppError::Upload(_)
            | AppError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

fn is_busy(error: &dateline_store::DatabaseError) -> bool {
    matches!(error, dateline_store::DatabaseError::PoolTimedOut)
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::LogInFirst(login) = &self {
            return crate::http::see_other(login);
        }
        let status = self.status();
        let reason = match &self {
            AppError::BadRequest(reason)
            | AppError::Forbidden(reason)
            | AppError::Conflict(reason)
            | AppError::TooManyRequests(reason) => Some(reason.clone()),
            _ => None,
        };
        let reason_id = match &self {
            AppError::Refused(_, id) => Some(*id),
            _ => None,
        };
        let cause = status.is_server_error().then(|| cause_chain(&self));
        let mut response =
            (status, reason.clone().unwrap_or_else(|| status.to_string())).into_response();
        response.extensions_mut().insert(PageError {
            status,
            reason,
            reason_id,
            cause,
        });
        response
    }
}

pub use dateline_newsdesk::cause_chain;

impl From<Failure> for AppError {
    fn from(failure: Failure) -> Self {
        AppError::Failure(failure)
    }
}

/// The status a refused workflow step answers with.
pub fn workflow_status(error: WorkflowError) -> StatusCode {
    match error {
        WorkflowError::NotAllowed => StatusCode::FORBIDDEN,
        WorkflowError::WrongState => StatusCode::CONFLICT,
        WorkflowError::ScheduleInPast | WorkflowError::ScheduleMissing => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }
}

impl From<ArticleError> for AppError {
    fn from(error: ArticleError) -> Self {
        match error {
            ArticleError::NotFound => AppError::NotFound,
            ArticleError::NotAllowed => {
                AppError::Refused(StatusCode::FORBIDDEN, "workflow-not-allowed")
            }
            ArticleError::Invalid(_) => {
                AppError::Refused(StatusCode::UNPROCESSABLE_ENTITY, "editor-invalid")
            }
            ArticleError::Workflow(e) => AppError::Refused(workflow_status(e), e.message_id()),
            ArticleError::Conflict(_) => {
                AppError::Refused(StatusCode::CONFLICT, "revisions-conflict")
            }
            ArticleError::NotPublished => {
                AppError::Refused(StatusCode::CONFLICT, "correction-not-published")
            }
            ArticleError::InvalidCorrection => {
                AppError::Refused(StatusCode::BAD_REQUEST, "correction-invalid")
            }
            ArticleError::Failed(failure) => AppError::Failure(failure),
        }
    }
}

impl From<ModerationError> for AppError {
    fn from(error: ModerationError) -> Self {
        match error {
            ModerationError::NotFound => AppError::NotFound,
            ModerationError::NotAllowed => {
                AppError::Refused(StatusCode::FORBIDDEN, "workflow-not-allowed")
            }
            ModerationError::NoneChosen => {
                AppError::Refused(StatusCode::BAD_REQUEST, "queue-none-chosen")
            }
            ModerationError::BadBan => AppError::Refused(StatusCode::BAD_REQUEST, "queue-bad-ban"),
            ModerationError::TooMany => {
                AppError::Refused(StatusCode::TOO_MANY_REQUESTS, "report-too-many")
            }
            ModerationError::Failed(failure) => AppError::Failure(failure),
        }
    }
}

impl From<AccessError> for AppError {
    fn from(error: AccessError) -> Self {
        let refused = |status, id| AppError::Refused(status, id);
        match error {
            AccessError::NotFound => AppError::NotFound,
            AccessError::NotAllowed => refused(StatusCode::FORBIDDEN, "workflow-not-allowed"),
            AccessError::NotYourself => refused(StatusCode::CONFLICT, "users-not-yourself"),
            AccessError::NameRequired => {
                refused(StatusCode::UNPROCESSABLE_ENTITY, "field-required")
            }
            AccessError::WrongPassword => {
                refused(StatusCode::UNPROCESSABLE_ENTITY, "account-wrong-current")
            }
            AccessError::AlreadySetUp => AppError::NotFound,
            AccessError::TokenNameTaken => AppError::Conflict(error.to_string()),
            AccessError::Failed(failure) => AppError::Failure(failure),
        }
    }
}

impl From<SiteError> for AppError {
    fn from(error: SiteError) -> Self {
        match error {
            SiteError::NotFound => AppError::NotFound,
            SiteError::NotAllowed => {
                AppError::Refused(StatusCode::FORBIDDEN, "workflow-not-allowed")
            }
            SiteError::Invalid(_) => {
                AppError::Refused(StatusCode::UNPROCESSABLE_ENTITY, "editor-invalid")
            }
            SiteError::InUse => AppError::Refused(StatusCode::CONFLICT, "field-in-use"),
            SiteError::Failed(failure) => AppError::Failure(failure),
        }
    }
}
