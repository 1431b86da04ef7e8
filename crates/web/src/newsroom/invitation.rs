//! Invitations: an administrator adds an address that has no account, and
//! the address is mailed a link (`/newsroom/invitation?token=…`) that lets
//! whoever reads the mail make the account with their own name and
//! password. Nobody else ever knows the password (issue 12: an
//! administrator who set it would keep a way in once other sites add the
//! account).

use super::auth::{self, SESSION_LIFETIME, require_same_origin};
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::chrome::{NewsroomChrome, newsroom_page};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use dateline_core::accounts::{AccountError, NewPassword, Role};
use dateline_newsdesk::accounts::AccessError;
use dateline_newsdesk::comments::{ConfirmationLetter, Letter};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The invitation mail, in the site's language, with an absolute link.
pub(super) struct InvitationLetter<'a> {
    pub app: &'a AppState,
    pub edition: &'a Edition,
    pub inviter: &'a str,
    pub role: Role,
}

impl ConfirmationLetter for InvitationLetter<'_> {
    fn write(&self, token: &str) -> Letter {
        let site = self.edition.site();
        let role = super::chrome::text(
            self.app,
            self.edition,
            &format!("newsroom-role-{}", self.role.as_str()),
        );
        let link = self
            .edition
            .canonical(&format!("/newsroom/invitation?token={token}"));
        self.app.translations.letter(
            site.lang,
            "invite",
            &[
                ("site", site.name.clone()),
                ("inviter", self.inviter.to_owned()),
                ("role", role),
                ("link", link),
            ],
        )
    }
}

#[derive(Deserialize)]
pub(super) struct InvitationQuery {
    #[serde(default)]
    token: String,
}

#[derive(Deserialize, Serialize, Default)]
pub(super) struct AcceptForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    name: String,
    #[serde(default, skip_serializing)]
    password: String,
    #[serde(default, skip_serializing)]
    repeat: String,
}

#[derive(Serialize)]
struct InvitationPage {
    chrome: NewsroomChrome,
    action: String,
    email: String,
    role: String,
    form: AcceptForm,
    errors: HashMap<&'static str, String>,
}

/// The form of a usable invitation; a link that is unknown, used or
/// expired gets 400 and says so.
async fn page(
    app: &AppState,
    edition: &Edition,
    form: AcceptForm,
    errors: &[(&'static str, &'static str)],
) -> Result<Response, AppError> {
    let Some(invitation) = app.desk.invitation(&form.token).await? else {
        return Err(AppError::Refused(StatusCode::BAD_REQUEST, "invite-unknown"));
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let form = AcceptForm {
        name: if form.name.is_empty() {
            invitation.name.clone()
        } else {
            form.name
        },
        ..form
    };
    let view = InvitationPage {
        chrome: NewsroomChrome::new(app, edition, "invite-title", None),
        action: edition.url("/newsroom/invitation"),
        email: invitation.email,
        role: super::chrome::text(
            app,
            edition,
            &format!("newsroom-role-{}", invitation.role.as_str()),
        ),
        form,
        errors: errors
            .iter()
            .map(|(f, id)| (*f, super::chrome::text(app, edition, id)))
            .collect(),
    };
    let mut response = newsroom_page(app, edition, "newsroom/invitation.html", &view, status)?;
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// `GET /newsroom/invitation?token=…`
pub(super) async fn form(
    State(app): State<AppState>,
    edition: Edition,
    Query(query): Query<InvitationQuery>,
) -> Result<Response, AppError> {
    let form = AcceptForm {
        token: query.token,
        ..AcceptForm::default()
    };
    page(&app, &edition, form, &[]).await
}

/// `POST /newsroom/invitation`: makes the account, gives the role and
/// logs in; an address that got an account meanwhile only gets the role,
/// and its owner logs in as always.
pub(super) async fn accept(
    State(app): State<AppState>,
    edition: Edition,
    headers: HeaderMap,
    Form(form): Form<AcceptForm>,
) -> Result<Response, AppError> {
    require_same_origin(&app, &edition, &headers)?;
    let mut errors = Vec::new();
    if form.name.trim().is_empty() {
        errors.push(("name", "field-required"));
    }
    let password = match NewPassword::parse(&form.password) {
        Ok(_) if form.password != form.repeat => {
            errors.push(("repeat", "account-mismatch"));
            None
        }
        Ok(password) => Some(password),
        Err(AccountError::PasswordTooLong) => {
            errors.push(("password", "account-too-long"));
            None
        }
        Err(_) => {
            errors.push(("password", "account-too-short"));
            None
        }
    };
    let Some(password) = password.filter(|_| errors.is_empty()) else {
        return page(&app, &edition, form, &errors).await;
    };
    match app
        .desk
        .accept_invitation(&form.token, form.name.trim(), password)
        .await
    {
        Ok(Some(session)) => {
            let mut response = see_other(&edition.url("/newsroom"));
            response.headers_mut().insert(
                header::SET_COOKIE,
                auth::session_cookie(&session.token, edition.is_https(), SESSION_LIFETIME),
            );
            Ok(response)
        }
        Ok(None) => Ok(see_other(&edition.url("/newsroom/login"))),
        Err(AccessError::NotFound) => {
            Err(AppError::Refused(StatusCode::BAD_REQUEST, "invite-unknown"))
        }
        Err(AccessError::NameRequired) => {
            page(&app, &edition, form, &[("name", "field-required")]).await
        }
        Err(other) => Err(other.into()),
    }
}
