//! Each user's own account: the password, and personal API tokens, made
//! and revoked here, listed without their secret, optionally with an end
//! (`docs/api.md`).

use super::auth::{self, Staff};
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::auth::StaffForm;
use crate::newsroom::chrome::{NewsroomChrome, newsroom_page};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use dateline_core::accounts::{AccountError, NewPassword, TokenName};
use dateline_newsdesk::accounts::AccessError;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// The ends a new token may be given, in days; 0 is none.
const TOKEN_LIFETIMES: [u16; 4] = [30, 90, 365, 0];

/// A token as listed: never the token itself.
#[derive(Serialize)]
struct TokenView {
    name: String,
    created: String,
    last_used: Option<String>,
    expires: Option<String>,
    expired: bool,
}

/// What the token form brings back: the new token (shown once), or the
/// problem with the name.
#[derive(Default)]
struct TokenOutcome {
    created: Option<String>,
    name: String,
    /// The lifetime chosen, in days (0: none).
    days: u16,
    error: Option<String>,
    /// The lifetime is not one offered.
    days_error: Option<String>,
}

#[derive(Serialize)]
struct AccountPage {
    chrome: NewsroomChrome,
    action: String,
    email: String,
    errors: std::collections::HashMap<&'static str, String>,
    notice: Option<String>,
    tokens: Vec<TokenView>,
    token_action: String,
    revoke_action: String,
    lifetimes: [u16; 4],
    /// A token just made, shown this once.
    new_token: Option<String>,
    token_name: String,
    token_days: u16,
    token_error: Option<String>,
    days_error: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

async fn account_page(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    errors: &[(&'static str, &'static str)],
    notice: Option<String>,
) -> Result<Response, AppError> {
    page_with_tokens(app, edition, staff, errors, notice, TokenOutcome::default()).await
}

async fn page_with_tokens(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    errors: &[(&'static str, &'static str)],
    notice: Option<String>,
    outcome: TokenOutcome,
) -> Result<Response, AppError> {
    let status = if !errors.is_empty() || outcome.error.is_some() || outcome.days_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let now = OffsetDateTime::now_utc();
    let date = |t: OffsetDateTime| {
        t.format(&time::format_description::well_known::Rfc3339)
            .map(|s| s[..10].to_owned())
            .unwrap_or_default()
    };
    let tokens = app
        .desk
        .api_tokens(staff.user.id)
        .await?
        .into_iter()
        .map(|t| TokenView {
            name: t.name,
            created: date(t.created_at),
            last_used: t.last_used_at.map(date),
            expires: t.expires_at.map(date),
            expired: t.expires_at.is_some_and(|end| end <= now),
        })
        .collect();
    let view = AccountPage {
        chrome: NewsroomChrome::new(app, edition, "account-title", Some(staff.user.name.clone()))
            .with_role(staff.role),
        action: edition.url("/newsroom/account"),
        email: staff.user.email.to_string(),
        errors: errors
            .iter()
            .map(|(field, id)| (*field, super::chrome::text(app, edition, id)))
            .collect(),
        notice,
        tokens,
        token_action: edition.url("/newsroom/account/tokens"),
        revoke_action: edition.url("/newsroom/account/tokens/revoke"),
        lifetimes: TOKEN_LIFETIMES,
        token_error: outcome.error,
        token_name: outcome.name,
        token_days: outcome.days,
        days_error: outcome.days_error,
        new_token: outcome.created,
    };
    let mut response = newsroom_page(app, edition, "newsroom/account.html", &view, status)?;
    // A page showing a new token is never kept anywhere.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Deserialize)]
pub(super) struct AccountQuery {
    changed: Option<String>,
    revoked: Option<String>,
}

/// `GET /newsroom/account`
pub(super) async fn account(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Query(query): Query<AccountQuery>,
) -> Result<Response, AppError> {
    let notice = match (query.changed, query.revoked) {
        (Some(_), _) => Some(super::chrome::text(
            &app,
            &edition,
            "account-password-changed",
        )),
        (_, Some(_)) => Some(super::chrome::text(&app, &edition, "account-token-revoked")),
        _ => None,
    };
    account_page(&app, &edition, &staff, &[], notice).await
}

/// `POST /newsroom/account`: changes the password after checking the
/// current one; other sessions end.
pub(super) async fn change_password(
    State(app): State<AppState>,
    headers: HeaderMap,
    StaffForm {
        staff,
        edition,
        form: Form(form),
    }: StaffForm<Form<PasswordForm>>,
) -> Result<Response, AppError> {
    let new = match NewPassword::parse(&form.new) {
        Ok(_) if form.new != form.repeat => {
            return account_page(
                &app,
                &edition,
                &staff,
                &[("repeat", "account-mismatch")],
                None,
            )
            .await;
        }
        Ok(new) => new,
        Err(AccountError::PasswordTooLong) => {
            return account_page(&app, &edition, &staff, &[("new", "account-too-long")], None)
                .await;
        }
        Err(_) => {
            return account_page(
                &app,
                &edition,
                &staff,
                &[("new", "account-too-short")],
                None,
            )
            .await;
        }
    };
    let browsers = auth::known_browser_tokens(&headers);
    let keep = auth::session_token(&headers);
    let changed = app
        .desk
        .change_password(
            staff.on(&edition),
            form.current,
            new,
            keep.as_deref(),
            &browsers.iter().map(String::as_str).collect::<Vec<_>>(),
        )
        .await;
    match changed {
        Ok(()) => {}
        Err(AccessError::WrongPassword) => {
            return account_page(
                &app,
                &edition,
                &staff,
                &[("current", "account-wrong-current")],
                None,
            )
            .await;
        }
        Err(other) => return Err(other.into()),
    }
    Ok(see_other(&edition.url("/newsroom/account?changed=1")))
}

#[derive(Deserialize)]
pub(super) struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    days: String,
}

/// `POST /newsroom/account/tokens`: makes a personal API token and shows
/// it once.
pub(super) async fn create_token(
    State(app): State<AppState>,
    StaffForm {
        staff,
        edition,
        form: Form(form),
    }: StaffForm<Form<TokenForm>>,
) -> Result<Response, AppError> {
    let days = form.days.trim().parse::<u16>().ok();
    let fail = |id: &str| TokenOutcome {
        created: None,
        name: form.name.clone(),
        days: days.unwrap_or(TOKEN_LIFETIMES[0]),
        error: Some(super::chrome::text(&app, &edition, id)),
        days_error: None,
    };
    let Some(days) = days.filter(|d| TOKEN_LIFETIMES.contains(d)) else {
        let outcome = TokenOutcome {
            error: None,
            days_error: Some(super::chrome::text(
                &app,
                &edition,
                "account-token-days-unknown",
            )),
            ..fail("account-token-days-unknown")
        };
        return page_with_tokens(&app, &edition, &staff, &[], None, outcome).await;
    };
    let name = match TokenName::parse(&form.name) {
        Ok(name) => name,
        Err(AccountError::TokenNameTooLong) => {
            let outcome = fail("account-token-name-long");
            return page_with_tokens(&app, &edition, &staff, &[], None, outcome).await;
        }
        Err(_) => {
            let outcome = fail("account-token-name-required");
            return page_with_tokens(&app, &edition, &staff, &[], None, outcome).await;
        }
    };
    let lifetime = (days > 0).then(|| time::Duration::days(days.into()));
    let outcome = match app
        .desk
        .issue_api_token(staff.user.id, &name, lifetime)
        .await
    {
        Ok(token) => TokenOutcome {
            created: Some(token.token),
            ..TokenOutcome::default()
        },
        Err(AccessError::TokenNameTaken) => fail("account-token-name-taken"),
        Err(other) => return Err(other.into()),
    };
    page_with_tokens(&app, &edition, &staff, &[], None, outcome).await
}

/// `POST /newsroom/account/tokens/revoke`: ends one of one's own tokens.
pub(super) async fn revoke_token(
    State(app): State<AppState>,
    StaffForm {
        staff,
        edition,
        form: Form(form),
    }: StaffForm<Form<TokenForm>>,
) -> Result<Response, AppError> {
    if let Ok(name) = TokenName::parse(&form.name) {
        app.desk.revoke_api_token(staff.user.id, &name).await?;
    }
    Ok(see_other(&edition.url("/newsroom/account?revoked=1")))
}
