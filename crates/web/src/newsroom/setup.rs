//! The first run: with no account yet, the server prints a one-time link
//! (`/newsroom/setup?token=…`) that creates the first administrator, with
//! a role on every site, and logs them in. Only whoever reads the server's
//! output has the link, so a fresh public install cannot be claimed by a
//! stranger (WordPress and Ghost leave that window open).

use super::auth::{self, SESSION_LIFETIME, require_same_origin};
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::chrome::{NewsroomChrome, newsroom_page};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use dateline_core::accounts::{Email, NewPassword};
use dateline_newsdesk::accounts::AccessError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Deserialize)]
pub(super) struct SetupQuery {
    #[serde(default)]
    token: String,
}

#[derive(Deserialize, Serialize, Default)]
pub(super) struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default, skip_serializing)]
    password: String,
}

#[derive(Serialize)]
struct SetupPage {
    chrome: NewsroomChrome,
    action: String,
    form: SetupForm,
    errors: HashMap<&'static str, String>,
}

/// The token is right and no account exists yet.
async fn open(app: &AppState, token: &str) -> Result<bool, AppError> {
    Ok(app.setup_token_matches(token) && app.db.user_count().await? == 0)
}

fn page(
    app: &AppState,
    edition: &Edition,
    form: SetupForm,
    errors: &[(&'static str, &'static str)],
) -> Result<Response, AppError> {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let view = SetupPage {
        chrome: NewsroomChrome::new(app, edition, "setup-title", None),
        action: edition.url("/newsroom/setup"),
        form,
        errors: errors
            .iter()
            .map(|(f, id)| (*f, super::chrome::text(app, edition, id)))
            .collect(),
    };
    newsroom_page(app, edition, "newsroom/setup.html", &view, status)
}

/// `GET /newsroom/setup?token=…`
pub(super) async fn form(
    State(app): State<AppState>,
    edition: Edition,
    Query(query): Query<SetupQuery>,
) -> Result<Response, AppError> {
    if !open(&app, &query.token).await? {
        return Err(AppError::NotFound);
    }
    let form = SetupForm {
        token: query.token,
        ..SetupForm::default()
    };
    page(&app, &edition, form, &[])
}

/// `POST /newsroom/setup`: creates the first administrator and logs in.
pub(super) async fn create(
    State(app): State<AppState>,
    edition: Edition,
    headers: HeaderMap,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    require_same_origin(&app, &edition, &headers)?;
    if !open(&app, &form.token).await? {
        return Err(AppError::NotFound);
    }
    let mut errors = Vec::new();
    let email = Email::parse(&form.email)
        .map_err(|_| errors.push(("email", "newsroom-email-invalid")))
        .ok();
    if form.name.trim().is_empty() {
        errors.push(("name", "field-required"));
    }
    let password = NewPassword::parse(&form.password)
        .map_err(|_| errors.push(("password", "account-too-short")))
        .ok();
    let (Some(email), Some(password)) = (email, password) else {
        return page(&app, &edition, form, &errors);
    };
    if !errors.is_empty() {
        return page(&app, &edition, form, &errors);
    }
    let session = match app
        .desk
        .set_up_first_admin(&email, &form.name, password)
        .await
    {
        Ok(session) => session,
        Err(AccessError::AlreadySetUp) => return Err(AppError::NotFound),
        Err(AccessError::NameRequired) => {
            return page(&app, &edition, form, &[("name", "field-required")]);
        }
        Err(other) => return Err(other.into()),
    };
    app.forget_setup_token();
    let mut response = see_other(&edition.url("/newsroom"));
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::session_cookie(&session.token, edition.is_https(), SESSION_LIFETIME),
    );
    Ok(response)
}
