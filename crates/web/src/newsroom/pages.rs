//! Login, logout and the dashboard.

use super::auth::{self, CurrentUser, SESSION_LIFETIME};
use crate::AppState;
use crate::error::AppError;
use crate::http::CacheKind;
use crate::network::Edition;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use dateline_core::accounts::{Email, Role};
use dateline_newsdesk::accounts::LoginError;
use serde::{Deserialize, Serialize};
use time::Duration;

/// What every newsroom page needs.
#[derive(Serialize)]
pub(super) struct NewsroomChrome {
    lang: &'static str,
    dir: &'static str,
    pub title: String,
    site_name: String,
    site_url: String,
    css_url: String,
    js_url: String,
    icon_url: String,
    logout_url: String,
    /// Links of the newsroom's menu.
    dashboard_url: String,
    articles_url: String,
    new_article_url: String,
    media_url: String,
    comments_url: String,
    sections_url: String,
    tags_url: String,
    authors_url: String,
    users_url: String,
    settings_url: String,
    account_url: String,
    audit_url: String,
    user: Option<String>,
    /// The user's role on this site: which menu links to show.
    role: Option<&'static str>,
}

impl NewsroomChrome {
    fn with_role_opt(self, role: Option<Role>) -> NewsroomChrome {
        match role {
            Some(role) => self.with_role(role),
            None => self,
        }
    }

    /// Shows the menu links this role may follow.
    pub(super) fn with_role(mut self, role: Role) -> NewsroomChrome {
        self.role = Some(role.as_str());
        self
    }

    pub(super) fn new(
        app: &AppState,
        edition: &Edition,
        title_id: &str,
        user: Option<String>,
    ) -> NewsroomChrome {
        let site = edition.site();
        NewsroomChrome {
            lang: site.lang.code(),
            dir: site.lang.direction().as_str(),
            title: app
                .translations
                .text(site.lang, title_id, None)
                .into_owned(),
            site_name: site.name.clone(),
            site_url: edition.url("/"),
            css_url: app.assets.url("newsroom.css"),
            js_url: app.assets.url("newsroom.js"),
            icon_url: app.assets.url("favicon.svg"),
            logout_url: edition.url("/newsroom/logout"),
            dashboard_url: edition.url("/newsroom"),
            articles_url: edition.url("/newsroom/articles"),
            new_article_url: edition.url("/newsroom/articles/new"),
            media_url: edition.url("/newsroom/media"),
            comments_url: edition.url("/newsroom/comments"),
            sections_url: edition.url("/newsroom/sections"),
            tags_url: edition.url("/newsroom/tags"),
            authors_url: edition.url("/newsroom/authors"),
            users_url: edition.url("/newsroom/users"),
            settings_url: edition.url("/newsroom/settings"),
            account_url: edition.url("/newsroom/account"),
            audit_url: edition.url("/newsroom/audit"),
            user,
            role: None,
        }
    }
}

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

pub(super) fn newsroom_page<P: Serialize>(
    app: &AppState,
    edition: &Edition,
    template: &str,
    view: &P,
    status: StatusCode,
) -> Result<Response, AppError> {
    let html = app.views.render(template, edition.site().lang, view)?;
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    // Newsroom pages are personal: never stored by browsers or CDNs.
    headers.insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
    Ok(response)
}

/// Why the login form comes back; each has its message and status.
#[derive(Clone, Copy)]
enum LoginProblem {
    /// Shown at the e-mail field.
    InvalidEmail,
    /// Shown above the form.
    WrongCredentials,
    Throttled,
}

impl LoginProblem {
    fn message_id(self) -> &'static str {
        match self {
            LoginProblem::InvalidEmail => "newsroom-email-invalid",
            LoginProblem::WrongCredentials => "newsroom-login-failed",
            LoginProblem::Throttled => "newsroom-throttled",
        }
    }

    fn status(self) -> StatusCode {
        match self {
            LoginProblem::InvalidEmail => StatusCode::UNPROCESSABLE_ENTITY,
            LoginProblem::WrongCredentials => StatusCode::UNAUTHORIZED,
            LoginProblem::Throttled => StatusCode::TOO_MANY_REQUESTS,
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
        app.translations
            .text(edition.site().lang, p.message_id(), None)
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
    let session = match app
        .desk
        .log_in(&email, form.password, &peer.to_string())
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
        Err(LoginError::Throttled) => {
            return login_page(&app, &edition, form.email, Some(LoginProblem::Throttled));
        }
        Err(LoginError::Failed(failure)) => return Err(failure.into()),
    };
    let secure = edition.is_https();
    let mut response = AppError::SeeOther(edition.url("/newsroom")).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::session_cookie(&session.token, secure, SESSION_LIFETIME),
    );
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
    let mut response = AppError::SeeOther(edition.url("/newsroom/login")).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        auth::session_cookie("", secure, Duration::ZERO),
    );
    Ok(response)
}

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
}

/// The dashboard's queues for the site the newsroom was opened on.
#[derive(Serialize)]
struct DeskQueues {
    counts: dateline_store::DeskCounts,
    in_review: Vec<super::desk::DeskLine>,
    scheduled: Vec<super::desk::DeskLine>,
    recent: Vec<super::desk::DeskLine>,
    drafts: Vec<super::desk::DeskLine>,
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
                    .map(|i| super::desk::desk_line(&edition, i))
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
    };
    newsroom_page(
        &app,
        &edition,
        "newsroom/dashboard.html",
        &view,
        StatusCode::OK,
    )
}
