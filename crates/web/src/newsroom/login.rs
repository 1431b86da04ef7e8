//! Logging in and out.

use super::auth::{self, SESSION_LIFETIME};
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::chrome::{NewsroomChrome, newsroom_page};
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use dateline_core::accounts::Email;
use dateline_newsdesk::accounts::LoginError;
use serde::{Deserialize, Serialize};
use time::Duration;

#[derive(Serialize)]
struct LoginPage {
    chrome: NewsroomChrome,
    action: String,
    email: String,
    /// Message shown at the e-mail field.
    email_error: Option<String>,
    /// Message shown above the form (wrong password, throttled).
    form_error: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// Why the login form comes back; each has its message and status.
#[derive(Clone, Copy)]
enum LoginProblem {
    /// Shown at the e-mail field.
    InvalidEmail,
    /// Shown above the form.
    WrongCredentials,
    /// Backing off after failures: try again in this many seconds.
    Throttled(i64),
    /// Too many logins at once: try again in a moment.
    Busy,
}

impl LoginProblem {
    fn message_id(self) -> &'static str {
        match self {
            LoginProblem::InvalidEmail => "newsroom-email-invalid",
            LoginProblem::WrongCredentials => "newsroom-login-failed",
            LoginProblem::Throttled(_) => "newsroom-throttled",
            LoginProblem::Busy => "newsroom-busy",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            LoginProblem::InvalidEmail => StatusCode::UNPROCESSABLE_ENTITY,
            LoginProblem::WrongCredentials => StatusCode::UNAUTHORIZED,
            LoginProblem::Throttled(_) | LoginProblem::Busy => StatusCode::TOO_MANY_REQUESTS,
        }
    }
}

/// The login form, empty or with a problem and the address as typed.
fn login_page(
    app: &AppState,
    edition: &Edition,
    email: String,
    problem: Option<LoginProblem>,
) -> Result<Response, AppError> {
    let message = problem.map(|p| {
        let args = match p {
            LoginProblem::Throttled(seconds) => Some(crate::render::i18n::args_from([(
                "seconds".to_owned(),
                fluent_bundle::FluentValue::from(seconds),
            )])),
            _ => None,
        };
        app.translations
            .text(edition.site().lang, p.message_id(), args.as_ref())
            .into_owned()
    });
    let (email_error, form_error) = match problem {
        Some(LoginProblem::InvalidEmail) => (message, None),
        _ => (None, message),
    };
    let view = LoginPage {
        chrome: NewsroomChrome::new(app, edition, "newsroom-login-title", None),
        action: edition.url("/newsroom/login"),
        email,
        email_error,
        form_error,
    };
    let status = problem.map_or(StatusCode::OK, LoginProblem::status);
    newsroom_page(app, edition, "newsroom/login.html", &view, status)
}

pub(super) async fn login_form(
    State(app): State<AppState>,
    edition: Edition,
) -> Result<Response, AppError> {
    login_page(&app, &edition, String::new(), None)
}

/// Checks the credentials; on success starts a session and goes to the
/// dashboard, otherwise shows the form again with the address kept.
pub(super) async fn login(
    State(app): State<AppState>,
    edition: Edition,
    crate::http::ClientIp(peer): crate::http::ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    auth::require_same_origin(&app, &edition, &headers)?;
    let email = match Email::parse(&form.email) {
        Ok(email) => email,
        Err(_) => return login_page(&app, &edition, form.email, Some(LoginProblem::InvalidEmail)),
    };
    let known_browsers = auth::known_browser_tokens(&headers);
    let known: Vec<&str> = known_browsers.iter().map(String::as_str).collect();
    let session = match app
        .desk
        .log_in(&email, form.password, &peer.to_string(), &known)
        .await
    {
        Ok(session) => session,
        Err(LoginError::WrongCredentials) => {
            return login_page(
                &app,
                &edition,
                form.email,
                Some(LoginProblem::WrongCredentials),
            );
        }
        Err(LoginError::Throttled { wait }) => {
            let seconds = wait.whole_seconds().max(1);
            let problem = LoginProblem::Throttled(seconds);
            let mut page = login_page(&app, &edition, form.email, Some(problem))?;
            page.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            return Ok(page);
        }
        Err(LoginError::Busy) => {
            let mut page = login_page(&app, &edition, form.email, Some(LoginProblem::Busy))?;
            page.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return Ok(page);
        }
        Err(LoginError::Failed(failure)) => return Err(failure.into()),
    };
    let secure = edition.is_https();
    let mut response = see_other(&edition.url("/newsroom"));
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::session_cookie(&session.token, secure, SESSION_LIFETIME),
    );
    if let Some(token) = &session.known_browser {
        response.headers_mut().append(
            header::SET_COOKIE,
            auth::known_browser_cookie(&known_browsers, token, secure),
        );
    }
    Ok(response)
}

/// Ends the session and clears the cookie.
pub(super) async fn logout(
    State(app): State<AppState>,
    edition: Edition,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    auth::require_same_origin(&app, &edition, &headers)?;
    if let Some(token) = auth::session_token(&headers) {
        app.desk.log_out(&token).await?;
    }
    let secure = edition.is_https();
    let mut response = see_other(&edition.url("/newsroom/login"));
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::session_cookie("", secure, Duration::ZERO),
    );
    Ok(response)
}
