//! People: who works on a site and in which role (admins).

use super::auth::Staff;
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::auth::{NoFields, StaffForm};
use crate::newsroom::chrome::{NewsroomChrome, newsroom_page};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::accounts::{Email, Role, UserId};
use dateline_newsdesk::accounts::may_manage_people;
use dateline_newsdesk::accounts::{AccessError, MemberAdded};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct UsersPage {
    chrome: NewsroomChrome,
    add_url: String,
    members: Vec<MemberView>,
    roles: [&'static str; 4],
    new: NewMemberForm,
    errors: std::collections::HashMap<&'static str, String>,
    notice: Option<String>,
    invitations: Vec<InvitationView>,
    /// Mail is not set up: invitations wait in the outbox.
    mail_off: bool,
}

/// An invitation not yet used.
#[derive(Serialize)]
struct InvitationView {
    email: String,
    name: String,
    role: &'static str,
    sent: String,
    withdraw_url: String,
}

#[derive(Serialize)]
struct MemberView {
    name: String,
    email: String,
    role: &'static str,
    is_me: bool,
    role_url: String,
    remove_url: String,
}

#[derive(Deserialize, Serialize, Default)]
pub(super) struct NewMemberForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

#[derive(Deserialize)]
pub(super) struct UsersQuery {
    done: Option<String>,
}

struct UsersView {
    new: NewMemberForm,
    errors: Vec<(&'static str, &'static str)>,
    notice: Option<String>,
    status: StatusCode,
}

async fn users_page(
    app: &AppState,
    edition: &Edition,
    staff: &Staff,
    view: UsersView,
) -> Result<Response, AppError> {
    let members = app
        .db
        .site_members(edition.site().id)
        .await?
        .into_iter()
        .map(|(user, role)| MemberView {
            is_me: user.id == staff.user.id,
            role_url: edition.url(&format!("/newsroom/users/{}/role", user.id.0)),
            remove_url: edition.url(&format!("/newsroom/users/{}/remove", user.id.0)),
            name: user.name,
            email: user.email.to_string(),
            role: role.as_str(),
        })
        .collect();
    let invitations = app
        .desk
        .pending_invitations(staff.on(edition))
        .await?
        .into_iter()
        .map(|i| InvitationView {
            withdraw_url: edition.url(&format!("/newsroom/users/invitations/{}/withdraw", i.id)),
            email: i.email,
            name: i.name,
            role: i.role.as_str(),
            sent: i
                .created_at
                .format(&time::format_description::well_known::Rfc3339)
                .map(|s| s[..10].to_owned())
                .unwrap_or_default(),
        })
        .collect();
    let page = UsersPage {
        chrome: NewsroomChrome::new(app, edition, "users-title", Some(staff.user.name.clone()))
            .with_role(staff.role),
        add_url: edition.url("/newsroom/users"),
        members,
        roles: Role::ALL.map(Role::as_str),
        new: view.new,
        errors: view
            .errors
            .into_iter()
            .map(|(field, id)| (field, super::chrome::text(app, edition, id)))
            .collect(),
        notice: view.notice,
        invitations,
        mail_off: app.config.smtp_url.trim().is_empty(),
    };
    newsroom_page(app, edition, "newsroom/users.html", &page, view.status)
}

/// `GET /newsroom/users`
pub(super) async fn users(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Query(query): Query<UsersQuery>,
) -> Result<Response, AppError> {
    staff.require(may_manage_people)?;
    let notice = query
        .done
        .filter(|d| matches!(d.as_str(), "role" | "removed" | "invited" | "withdrawn"))
        .map(|d| super::chrome::text(&app, &edition, &format!("users-done-{d}")));
    let view = UsersView {
        new: NewMemberForm::default(),
        errors: Vec::new(),
        notice,
        status: StatusCode::OK,
    };
    users_page(&app, &edition, &staff, view).await
}

/// `POST /newsroom/users`: gives a role on this site to an existing
/// account, or mails the address an invitation.
pub(super) async fn add_member(
    State(app): State<AppState>,
    StaffForm {
        staff,
        edition,
        form: Form(form),
    }: StaffForm<Form<NewMemberForm>>,
) -> Result<Response, AppError> {
    staff.require(may_manage_people)?;
    let mut errors = Vec::new();
    let email = Email::parse(&form.email)
        .map_err(|_| errors.push(("email", "newsroom-email-invalid")))
        .ok();
    let role = Role::parse(&form.role)
        .map_err(|_| errors.push(("role", "field-unknown-choice")))
        .ok();
    let (Some(email), Some(role)) = (email, role) else {
        let view = UsersView {
            new: form,
            errors,
            notice: None,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        };
        return users_page(&app, &edition, &staff, view).await;
    };
    let letter = super::invitation::InvitationLetter {
        app: &app,
        edition: &edition,
        inviter: &staff.user.name,
        role,
    };
    let added = app
        .desk
        .add_member(staff.on(&edition), &email, &form.name, role, &letter)
        .await;
    match added {
        Ok(MemberAdded::RoleGiven) => Ok(see_other(&edition.url("/newsroom/users?done=role"))),
        Ok(MemberAdded::Invited) => Ok(see_other(&edition.url("/newsroom/users?done=invited"))),
        Err(AccessError::NameRequired) => {
            let view = UsersView {
                new: form,
                errors: vec![("name", "field-required")],
                notice: None,
                status: StatusCode::UNPROCESSABLE_ENTITY,
            };
            users_page(&app, &edition, &staff, view).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /newsroom/users/invitations/{id}/withdraw`
pub(super) async fn withdraw_invitation(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm { staff, edition, .. }: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    staff.require(may_manage_people)?;
    app.desk.withdraw_invitation(staff.on(&edition), id).await?;
    Ok(see_other(&edition.url("/newsroom/users?done=withdrawn")))
}

#[derive(Deserialize)]
pub(super) struct RoleForm {
    #[serde(default)]
    role: String,
}

/// `POST /newsroom/users/{id}/role`
pub(super) async fn change_role(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm {
        staff,
        edition,
        form: Form(form),
    }: StaffForm<Form<RoleForm>>,
) -> Result<Response, AppError> {
    staff.require(may_manage_people)?;
    let role = Role::parse(&form.role).map_err(|_| {
        AppError::BadRequest(super::chrome::text(&app, &edition, "field-unknown-choice"))
    })?;
    app.desk
        .change_role(staff.on(&edition), UserId(id), role)
        .await?;
    Ok(see_other(&edition.url("/newsroom/users?done=role")))
}

/// `POST /newsroom/users/{id}/remove`: the account stays; its role on this
/// site goes.
pub(super) async fn remove_member(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm { staff, edition, .. }: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    staff.require(may_manage_people)?;
    app.desk
        .remove_member(staff.on(&edition), UserId(id))
        .await?;
    Ok(see_other(&edition.url("/newsroom/users?done=removed")))
}
