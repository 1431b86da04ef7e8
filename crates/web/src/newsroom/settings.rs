//! Site settings (admins): name, logo, date styles, social links, footer
//! lines and the terms of use. Saving reloads the network, so every page
//! shows the change at once.

use super::auth::{Staff, refusal, require_same_origin};
use crate::AppState;
use crate::error::AppError;
use crate::network::Edition;
use crate::newsroom::chrome::{NewsroomChrome, newsroom_page};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use dateline_core::accounts::Role;
use dateline_core::editing::FieldError;
use dateline_core::settings::SettingsInput;
use dateline_newsdesk::settings::SiteError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Serialize)]
struct SettingsPage {
    chrome: NewsroomChrome,
    action: String,
    input: SettingsInput,
    errors: HashMap<&'static str, String>,
    notice: Option<String>,
    media: Vec<super::chrome::Choice>,
}

#[derive(Deserialize)]
pub(super) struct SettingsQuery {
    saved: Option<String>,
}

async fn page(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    input: SettingsInput,
    errors: &[FieldError],
    notice: Option<String>,
) -> Result<Response, AppError> {
    let media = app
        .db
        .media_choices(edition.site().id)
        .await?
        .into_iter()
        .map(|m| super::chrome::Choice::media(&m, &input.logo_media))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let view = SettingsPage {
        chrome: NewsroomChrome::new(
            app,
            edition,
            "settings-title",
            Some(staff.user.name.clone()),
        )
        .with_role(staff.role),
        action: edition.url("/newsroom/settings"),
        errors: super::chrome::field_messages(app, edition, errors),
        notice,
        media,
        input,
    };
    newsroom_page(app, edition, "newsroom/settings.html", &view, status)
}

fn admin_only(app: &AppState, edition: &Edition, staff: &Staff) -> Result<(), AppError> {
    if staff.role == Role::Admin {
        Ok(())
    } else {
        Err(refusal(app, edition, "workflow-not-allowed"))
    }
}

/// `GET /newsroom/settings`
pub(super) async fn form(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Query(query): Query<SettingsQuery>,
) -> Result<Response, AppError> {
    admin_only(&app, &edition, &staff)?;
    let notice = query
        .saved
        .map(|_| super::chrome::text(&app, &edition, "settings-saved"));
    let input = SettingsInput::from_site(edition.site());
    page(&app, &edition, &staff, input, &[], notice).await
}

/// `POST /newsroom/settings`
pub(super) async fn save(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    headers: HeaderMap,
    Form(input): Form<SettingsInput>,
) -> Result<Response, AppError> {
    require_same_origin(&app, &edition, &headers)?;
    admin_only(&app, &edition, &staff)?;
    match app.desk.update_settings(staff.on(&edition), &input).await {
        Ok(()) => {}
        Err(SiteError::Invalid(errors)) => {
            return page(&app, &edition, &staff, input, &errors, None).await;
        }
        Err(other) => return Err(other.into()),
    }
    Err(AppError::SeeOther(
        edition.url("/newsroom/settings?saved=1"),
    ))
}
