//! Site settings (admins): name, logo, date styles, social links, footer
//! lines and the terms of use. Saving reloads the network, so every page
//! shows the change at once.

use super::auth::Staff;
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::auth::StaffForm;
use crate::newsroom::chrome::{NewsroomChrome, newsroom_page};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::editing::FieldError;
use dateline_core::settings::SettingsInput;
use dateline_newsdesk::settings::SiteError;
use dateline_newsdesk::settings::may_change_settings;
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

/// `GET /newsroom/settings`
pub(super) async fn form(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Query(query): Query<SettingsQuery>,
) -> Result<Response, AppError> {
    staff.require(may_change_settings)?;
    let notice = query
        .saved
        .map(|_| super::chrome::text(&app, &edition, "settings-saved"));
    let input = SettingsInput::from_site(edition.site());
    page(&app, &edition, &staff, input, &[], notice).await
}

/// `POST /newsroom/settings`
pub(super) async fn save(
    State(app): State<AppState>,
    StaffForm {
        staff,
        edition,
        form: Form(input),
    }: StaffForm<Form<SettingsInput>>,
) -> Result<Response, AppError> {
    staff.require(may_change_settings)?;
    match app.desk.update_settings(staff.on(&edition), &input).await {
        Ok(()) => {}
        Err(SiteError::Invalid(errors)) => {
            return page(&app, &edition, &staff, input, &errors, None).await;
        }
        Err(other) => return Err(other.into()),
    }
    Ok(see_other(&edition.url("/newsroom/settings?saved=1")))
}
