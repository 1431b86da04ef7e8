//! The desk's article lists: every article of the site by state, newest
//! edit first, and the trash.

use crate::AppState;
use crate::error::AppError;
use crate::network::Edition;
use crate::newsroom::auth::{Staff, refusal};
use crate::newsroom::chrome::{NewsroomChrome, local_time, newsroom_page, text};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dateline_core::workflow::{self};
use dateline_core::{ArticleId, ArticleState};
use dateline_store::DeskItem;
use serde::{Deserialize, Serialize};

/// Articles per page of the desk's lists.
const DESK_PAGE: u32 = 50;

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    state: Option<String>,
    page: Option<String>,
}

#[derive(Serialize)]
struct ListPage {
    chrome: NewsroomChrome,
    state: Option<&'static str>,
    filters: Vec<Filter>,
    items: Vec<DeskLine>,
    next_url: Option<String>,
    prev_url: Option<String>,
    can_create: bool,
}

#[derive(Serialize)]
struct Filter {
    state: Option<&'static str>,
    url: String,
    current: bool,
}

#[derive(Serialize)]
pub(crate) struct DeskLine {
    id: ArticleId,
    headline: String,
    state: &'static str,
    section: String,
    writer: String,
    edited: String,
    url: String,
}

pub(crate) fn desk_line(edition: &Edition, item: &DeskItem) -> DeskLine {
    DeskLine {
        id: item.id,
        headline: item.headline.clone(),
        state: item.state.as_str(),
        section: item.section_name.clone(),
        writer: item.writer.clone().unwrap_or_default(),
        edited: local_time(
            edition,
            item.published_at
                .filter(|_| item.state == ArticleState::Scheduled)
                .unwrap_or(item.edited_at),
        ),
        url: edition.url(&format!("/newsroom/articles/{}", item.id)),
    }
}

/// `GET /newsroom/articles`: every article of the site, newest edit first.
pub(crate) async fn list(
    State(app): State<AppState>,
    edition: Edition,
    staff: Staff,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    if !workflow::may_read(staff.role) {
        return Err(refusal(&app, &edition, "newsroom-no-access"));
    }
    // `deleted`: the trash, not a workflow state.
    let trash = query.state.as_deref() == Some("deleted");
    let state = match query.state.as_deref().filter(|s| !s.is_empty() && !trash) {
        None => None,
        Some(name) => Some(
            ArticleState::parse(name)
                .ok_or_else(|| AppError::BadRequest(text(&app, &edition, "desk-unknown-state")))?,
        ),
    };
    let page = dateline_core::paging::PageNumber::parse(query.page.as_deref())
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let offset = page.offset(DESK_PAGE);
    let items = if trash {
        app.db.desk_trash(edition.site().id).await?
    } else {
        app.db
            .desk_articles(edition.site().id, state, DESK_PAGE + 1, offset)
            .await?
    };
    let more = items.len() > DESK_PAGE as usize;
    let base = |state: Option<ArticleState>, page: u32| {
        let mut url = edition.url("/newsroom/articles");
        let mut params = Vec::new();
        if let Some(s) = state {
            params.push(format!("state={}", s.as_str()));
        }
        if page > 1 {
            params.push(format!("page={page}"));
        }
        if !params.is_empty() {
            url.push('?');
            url.push_str(&params.join("&"));
        }
        url
    };
    let mut filters = vec![Filter {
        state: None,
        url: base(None, 1),
        current: state.is_none() && !trash,
    }];
    for s in [
        ArticleState::Draft,
        ArticleState::InReview,
        ArticleState::Scheduled,
        ArticleState::Published,
        ArticleState::Unpublished,
    ] {
        filters.push(Filter {
            state: Some(s.as_str()),
            url: base(Some(s), 1),
            current: state == Some(s),
        });
    }
    filters.push(Filter {
        state: Some("deleted"),
        url: edition.url("/newsroom/articles?state=deleted"),
        current: trash,
    });
    let view = ListPage {
        chrome: NewsroomChrome::new(&app, &edition, "desk-title", Some(staff.user.name.clone()))
            .with_role(staff.role),
        state: if trash {
            Some("deleted")
        } else {
            state.map(ArticleState::as_str)
        },
        filters,
        items: items
            .iter()
            .take(DESK_PAGE as usize)
            .map(|i| desk_line(&edition, i))
            .collect(),
        next_url: more.then(|| base(state, page.get() + 1)),
        prev_url: (page.get() > 1).then(|| base(state, page.get() - 1)),
        can_create: workflow::may_create(staff.role),
    };
    newsroom_page(
        &app,
        &edition,
        "newsroom/articles.html",
        &view,
        StatusCode::OK,
    )
}
