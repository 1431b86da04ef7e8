//! The moderation queue (moderators, editors, admins): comments by
//! status and article, with the reasons screening held them; approve,
//! reject with a reason, delete, one by one or in bulk; bans by e-mail
//! address or client address range.

use super::auth::Staff;
use crate::AppState;
use crate::error::AppError;
use crate::http::see_other;
use crate::network::Edition;
use crate::newsroom::auth::{NoFields, StaffForm};
use crate::newsroom::chrome::{NewsroomChrome, newsroom_page};
use axum::Form;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::comments::{Ban, BanKind, CommentStatus};
use dateline_newsdesk::comments::ModerationError;
use dateline_newsdesk::comments::may_moderate;
use dateline_store::QueuedComment;
use serde::{Deserialize, Serialize};

const QUEUE_PAGE: u32 = 50;

#[derive(Deserialize)]
pub(super) struct QueueQuery {
    status: Option<String>,
    article: Option<String>,
    /// Only comments the classifier scored at least this (percent).
    score: Option<String>,
    page: Option<String>,
    done: Option<String>,
}

#[derive(Serialize)]
struct QueuePage {
    chrome: NewsroomChrome,
    status: &'static str,
    article: i64,
    min_score: u32,
    tabs: Vec<Tab>,
    items: Vec<QueueLine>,
    decide_url: String,
    ban_url: String,
    bans: Vec<BanLine>,
    notice: Option<String>,
    next_url: Option<String>,
    prev_url: Option<String>,
}

#[derive(Serialize)]
struct Tab {
    status: &'static str,
    count: i64,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct QueueLine {
    #[serde(flatten)]
    comment: QueuedComment,
    created: String,
    /// The comment's paragraphs.
    lines: Vec<String>,
    article_url: String,
    /// The client address as a /24 (IPv4) or /48 (IPv6) range, to ban.
    ip_range: String,
}

#[derive(Serialize)]
struct BanLine {
    #[serde(flatten)]
    ban: Ban,
    remove_url: String,
}

/// `GET /newsroom/comments`
pub(super) async fn queue(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Query(query): Query<QueueQuery>,
) -> Result<Response, AppError> {
    staff.require(may_moderate)?;
    let site = edition.site().id;
    // `reported`: comments readers flagged, whatever their status.
    let reported = query.status.as_deref() == Some("reported");
    let status = if reported {
        CommentStatus::Approved
    } else {
        query
            .status
            .as_deref()
            .map_or(Some(CommentStatus::Pending), CommentStatus::parse)
            .ok_or_else(|| {
                AppError::BadRequest(super::chrome::text(&app, &edition, "queue-unknown-status"))
            })?
    };
    let article = match query
        .article
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        None => 0,
        Some(text) => text.trim_start_matches('#').parse::<i64>().map_err(|_| {
            AppError::BadRequest(super::chrome::text(&app, &edition, "queue-bad-article"))
        })?,
    };
    let min_score = match query
        .score
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => 0,
        Some(text) => text
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 100)
            .ok_or_else(|| {
                AppError::BadRequest(super::chrome::text(&app, &edition, "queue-bad-score"))
            })?,
    };
    let page = dateline_core::paging::PageNumber::parse(query.page.as_deref())
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let counts = app.db.comment_counts(site).await?;
    let url = |status: &str, page: u32| {
        let mut url = format!("/newsroom/comments?status={status}");
        if article > 0 {
            url.push_str(&format!("&article={article}"));
        }
        if min_score > 0 {
            url.push_str(&format!("&score={min_score}"));
        }
        if page > 1 {
            url.push_str(&format!("&page={page}"));
        }
        edition.url(&url)
    };
    let mut tabs: Vec<Tab> = CommentStatus::ALL
        .into_iter()
        .map(|s| Tab {
            status: s.as_str(),
            count: counts.iter().find(|(c, _)| *c == s).map_or(0, |(_, n)| *n),
            url: url(s.as_str(), 1),
            current: s == status && !reported,
        })
        .collect();
    tabs.insert(
        1,
        Tab {
            status: "reported",
            count: app.db.open_report_count(site).await?,
            url: url("reported", 1),
            current: reported,
        },
    );
    let shown = if reported {
        "reported"
    } else {
        status.as_str()
    };
    let rows = if reported {
        app.db
            .reported_comments(site, QUEUE_PAGE + 1, page.offset(QUEUE_PAGE))
            .await?
    } else {
        app.db
            .comment_queue(
                site,
                status,
                article,
                f64::from(min_score) / 100.0,
                QUEUE_PAGE + 1,
                page.offset(QUEUE_PAGE),
            )
            .await?
    };
    let more = rows.len() > QUEUE_PAGE as usize;
    let items = rows
        .into_iter()
        .take(QUEUE_PAGE as usize)
        .map(|c| QueueLine {
            created: edition
                .site()
                .time_zone
                .local_input(c.created_at)
                .replace('T', " "),
            article_url: edition.url(&format!("/newsroom/articles/{}", c.article_id)),
            ip_range: dateline_core::comments::ban_range_of(&c.client_ip),
            lines: c.body.split('\n').map(str::to_owned).collect(),
            comment: c,
        })
        .collect();
    let bans = app
        .db
        .comment_bans(site)
        .await?
        .iter()
        .map(|ban| BanLine {
            remove_url: edition.url(&format!("/newsroom/comments/bans/{}/delete", ban.id)),
            ban: ban.clone(),
        })
        .collect();
    let notice = query
        .done
        .filter(|d| {
            matches!(
                d.as_str(),
                "approved" | "rejected" | "deleted" | "pending" | "banned" | "unbanned"
            )
        })
        .map(|d| super::chrome::text(&app, &edition, &format!("queue-done-{d}")));
    let view = QueuePage {
        chrome: NewsroomChrome::new(&app, &edition, "queue-title", Some(staff.user.name.clone()))
            .with_role(staff.role),
        status: shown,
        article,
        min_score,
        tabs,
        items,
        decide_url: edition.url("/newsroom/comments/decide"),
        ban_url: edition.url("/newsroom/comments/ban"),
        bans,
        notice,
        next_url: more.then(|| url(shown, page.get() + 1)),
        prev_url: (page.get() > 1).then(|| url(shown, page.get() - 1)),
    };
    newsroom_page(
        &app,
        &edition,
        "newsroom/comments.html",
        &view,
        StatusCode::OK,
    )
}

/// `POST /newsroom/comments/decide`: `ids` (one or more), `decision`
/// (approve, reject, delete, pending), `reason`, and the list to go back to.
pub(super) async fn decide(
    State(app): State<AppState>,
    StaffForm {
        staff,
        edition,
        form: body,
    }: StaffForm<Bytes>,
) -> Result<Response, AppError> {
    staff.require(may_moderate)?;
    let mut ids = Vec::new();
    let (mut decision, mut reason, mut back) = (String::new(), String::new(), String::new());
    for (key, value) in form_urlencoded::parse(&body) {
        match key.as_ref() {
            "ids" => {
                if let Ok(id) = value.parse::<i64>() {
                    ids.push(id);
                }
            }
            "decision" => decision = value.into_owned(),
            "reason" => reason = value.into_owned(),
            "back" => back = value.into_owned(),
            _ => {}
        }
    }
    let status = match decision.as_str() {
        "approve" => CommentStatus::Approved,
        "reject" => CommentStatus::Rejected,
        "delete" => CommentStatus::Deleted,
        "pending" => CommentStatus::Pending,
        _ => {
            return Err(AppError::BadRequest(super::chrome::text(
                &app,
                &edition,
                "queue-unknown-decision",
            )));
        }
    };
    if ids.is_empty() {
        return Err(AppError::BadRequest(super::chrome::text(
            &app,
            &edition,
            "queue-none-chosen",
        )));
    }
    app.desk
        .decide_comments(staff.on(&edition), &ids, status, &reason)
        .await?;
    Ok(see_other(&back_to(&edition, &back, status.as_str())))
}

/// The queue page to return to (only newsroom paths of this site).
fn back_to(edition: &Edition, back: &str, done: &str) -> String {
    let wanted = back
        .split("status=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .unwrap_or("pending");
    let status = if wanted == "reported" {
        "reported"
    } else {
        CommentStatus::parse(wanted).map_or("pending", CommentStatus::as_str)
    };
    edition.url(&format!("/newsroom/comments?status={status}&done={done}"))
}

#[derive(Deserialize)]
pub(super) struct BanForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    back: String,
}

/// `POST /newsroom/comments/ban`
pub(super) async fn ban(
    State(app): State<AppState>,
    StaffForm {
        staff,
        edition,
        form: Form(form),
    }: StaffForm<Form<BanForm>>,
) -> Result<Response, AppError> {
    staff.require(may_moderate)?;
    let banned = match BanKind::parse(&form.kind) {
        Some(kind) => {
            app.desk
                .ban_commenter(staff.on(&edition), kind, &form.value, &form.reason)
                .await
        }
        None => Err(ModerationError::BadBan),
    };
    match banned {
        Ok(()) => {}
        Err(ModerationError::BadBan) => {
            return Err(AppError::BadRequest(super::chrome::text(
                &app,
                &edition,
                "queue-bad-ban",
            )));
        }
        Err(other) => return Err(other.into()),
    }
    Ok(see_other(&back_to(&edition, &form.back, "banned")))
}

/// `POST /newsroom/comments/bans/{id}/delete`
pub(super) async fn unban(
    State(app): State<AppState>,
    Path(id): Path<i64>,
    StaffForm { staff, edition, .. }: StaffForm<NoFields>,
) -> Result<Response, AppError> {
    staff.require(may_moderate)?;
    app.desk.lift_ban(staff.on(&edition), id).await?;
    Ok(see_other(&back_to(&edition, "", "unbanned")))
}
