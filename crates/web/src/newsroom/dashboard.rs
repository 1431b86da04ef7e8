//! The dashboard: what waits for this user on this site.

use super::auth::CurrentUser;
use crate::AppState;
use crate::error::AppError;
use crate::network::Edition;
use crate::newsroom::chrome::{NewsroomChrome, newsroom_page};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::accounts::Role;
use serde::Serialize;

#[derive(Serialize)]
struct DashboardPage {
    chrome: NewsroomChrome,
    name: String,
    email: String,
    roles: Vec<RoleLine>,
    /// What waits on this site, when the user works on it.
    desk: Option<DeskQueues>,
    /// Comments waiting for moderation, for those who moderate.
    comments_waiting: Option<i64>,
    comments_url: String,
    /// Wire items waiting for an editor, for those who write.
    wire_waiting: Option<i64>,
    wire_url: String,
}

/// The dashboard's queues for the site the newsroom was opened on.
#[derive(Serialize)]
struct DeskQueues {
    counts: dateline_store::DeskCounts,
    in_review: Vec<super::articles::list::DeskLine>,
    scheduled: Vec<super::articles::list::DeskLine>,
    recent: Vec<super::articles::list::DeskLine>,
    drafts: Vec<super::articles::list::DeskLine>,
    can_create: bool,
}

#[derive(Serialize)]
struct RoleLine {
    site: String,
    role: &'static str,
}

/// What waits for the user; for now, who they are and where they work.
pub(super) async fn dashboard(
    State(app): State<AppState>,
    edition: Edition,
    CurrentUser(user): CurrentUser,
) -> Result<Response, AppError> {
    let network = app.network();
    let roles = app
        .db
        .memberships(user.id)
        .await?
        .into_iter()
        .filter_map(|m| {
            let site = network.sites.iter().find(|e| e.site.id == m.site)?;
            Some((
                m,
                RoleLine {
                    site: site.site.name.clone(),
                    role: m.role.as_str(),
                },
            ))
        })
        .collect::<Vec<_>>();
    let site = edition.site().id;
    let here = roles
        .iter()
        .find(|(m, _)| m.site == site)
        .map(|(m, _)| m.role);
    let desk = match here {
        Some(role) if dateline_core::workflow::may_read(role) => {
            let line = |items: Vec<dateline_store::DeskItem>| {
                items
                    .iter()
                    .map(|i| super::articles::list::desk_line(&edition, i))
                    .collect::<Vec<_>>()
            };
            let drafts = app
                .db
                .desk_articles(site, Some(dateline_core::ArticleState::Draft), 200, 0)
                .await?
                .into_iter()
                .filter(|i| i.created_by == Some(user.id))
                .take(10)
                .collect();
            Some(DeskQueues {
                counts: app.db.desk_counts(site).await?,
                in_review: line(
                    app.db
                        .desk_articles(site, Some(dateline_core::ArticleState::InReview), 20, 0)
                        .await?,
                ),
                scheduled: line(app.db.desk_scheduled(site).await?),
                recent: line(
                    app.db
                        .desk_articles(site, Some(dateline_core::ArticleState::Published), 8, 0)
                        .await?,
                ),
                drafts: line(drafts),
                can_create: dateline_core::workflow::may_create(role),
            })
        }
        _ => None,
    };
    let comments_waiting = match here {
        Some(Role::Admin | Role::Editor | Role::Moderator) => Some(
            app.db
                .comment_counts(site)
                .await?
                .into_iter()
                .find(|(s, _)| *s == dateline_core::comments::CommentStatus::Pending)
                .map_or(0, |(_, n)| n),
        ),
        _ => None,
    };
    let wire_waiting = match here {
        Some(role) if dateline_core::workflow::may_create(role) => {
            Some(app.db.wire_waiting(site).await?)
        }
        _ => None,
    };
    let roles = roles.into_iter().map(|(_, line)| line).collect();
    let view = DashboardPage {
        chrome: NewsroomChrome::new(
            &app,
            &edition,
            "newsroom-dashboard-title",
            Some(user.name.clone()),
        )
        .with_role_opt(here),
        name: user.name,
        email: user.email.to_string(),
        roles,
        desk,
        comments_waiting,
        comments_url: edition.url("/newsroom/comments"),
        wire_waiting,
        wire_url: edition.url("/newsroom/wire"),
    };
    newsroom_page(
        &app,
        &edition,
        "newsroom/dashboard.html",
        &view,
        StatusCode::OK,
    )
}
