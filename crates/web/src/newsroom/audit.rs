//! The audit log: who did what on this site (admins).

use super::auth::{Staff, refusal};
use crate::AppState;
use crate::error::AppError;
use crate::network::Edition;
use crate::newsroom::chrome::{NewsroomChrome, local_time, newsroom_page};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::accounts::Role;
use serde::Serialize;

#[derive(Serialize)]
struct AuditPage {
    chrome: NewsroomChrome,
    entries: Vec<AuditLine>,
}

#[derive(Serialize)]
struct AuditLine {
    at: String,
    user: String,
    action: String,
    subject: String,
    subject_url: Option<String>,
    detail: String,
}

/// `GET /newsroom/audit`: who did what on this site (admins).
pub(super) async fn audit(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
) -> Result<Response, AppError> {
    if staff.role != Role::Admin {
        return Err(refusal(&app, &edition, "workflow-not-allowed"));
    }
    let entries = app
        .db
        .audit_log(edition.site().id, 200)
        .await?
        .into_iter()
        .map(|e| AuditLine {
            at: local_time(&edition, e.at),
            user: e.user_name.unwrap_or_default(),
            subject_url: e
                .subject
                .strip_prefix("article:")
                .map(|id| edition.url(&format!("/newsroom/articles/{id}"))),
            action: e.action,
            subject: e.subject,
            detail: e.detail,
        })
        .collect();
    let view = AuditPage {
        chrome: NewsroomChrome::new(&app, &edition, "audit-title", Some(staff.user.name.clone()))
            .with_role(staff.role),
        entries,
    };
    newsroom_page(&app, &edition, "newsroom/audit.html", &view, StatusCode::OK)
}
