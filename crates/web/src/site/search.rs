//! The search page of each edition, `/search?q=…`: a plain GET form that
//! works without JavaScript, then the results (headline and a passage,
//! matched words marked), or a message of its own for no query, a query
//! that cannot run, a bad filter and no results, never the error page.

use crate::AppState;
use crate::error::AppError;
use crate::http::{CacheKeys, CacheKind};
use crate::network::Edition;
use crate::render::chrome::Chrome;
use crate::render::search::{ParamError, SearchParams, Unsearchable};
use crate::render::stamps::{Stamps, iso};
use axum::extract::{RawQuery, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use dateline_core::article_path;
use dateline_core::paging::Pagination;
use dateline_core::search::MAX_QUERY_CHARS;
use fluent_bundle::FluentValue;
use serde::Serialize;

/// Results a page shows.
const PER_PAGE: u32 = 10;

#[derive(Serialize)]
struct SearchPage {
    chrome: Chrome,
    form_url: String,
    query: String,
    sections: Vec<SectionChoice>,
    from: String,
    until: String,
    sort: &'static str,
    tag: String,
    author: String,
    message: Option<String>,
    /// Set when the message links back to the first page.
    first_page_url: Option<String>,
    count_label: Option<String>,
    results: Vec<ResultView>,
    pager: Pager,
}

#[derive(Serialize)]
struct SectionChoice {
    slug: String,
    name: String,
    selected: bool,
}

#[derive(Serialize)]
struct ResultView {
    url: String,
    /// Escaped by the index, matched words in `<mark>`.
    headline_html: String,
    snippet_html: String,
    section_name: String,
    section_url: String,
    datetime: String,
    stamp: String,
}

#[derive(Serialize, Default)]
struct Pager {
    page: u32,
    pages: u32,
    prev_url: Option<String>,
    next_url: Option<String>,
}

/// `GET /search`.
pub(super) async fn page(
    State(app): State<AppState>,
    edition: Edition,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let params = SearchParams::parse(raw.as_deref());
    let site = edition.site();
    let text = |id: &str, args: &[(&str, FluentValue<'static>)]| {
        let args =
            crate::render::i18n::args_from(args.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
        app.translations
            .text(site.lang, id, Some(&args))
            .into_owned()
    };
    // A very long query is refused, not echoed back whole.
    let query: String = params.q().chars().take(MAX_QUERY_CHARS).collect();
    let mut status = StatusCode::OK;
    let mut message = None;
    let mut first_page_url = None;
    let mut count_label = None;
    let mut results = Vec::new();
    let mut pager = Pager::default();
    let mut keys = CacheKeys::site(site.id).latest(site.id);
    let mut sort = "relevance";
    let criteria = crate::render::search::criteria(&app, &edition, &params).await;
    let paging = crate::render::search::paging(&params, PER_PAGE, PER_PAGE);
    match (criteria, paging) {
        (Err(ParamError::Bad(reason) | ParamError::Unknown(reason)), _)
        | (_, Err(ParamError::Bad(reason) | ParamError::Unknown(reason))) => {
            status = StatusCode::BAD_REQUEST;
            message = Some(text("search-bad-filter", &[("reason", reason.into())]));
        }
        (Ok(criteria), Ok((page, _))) => {
            keys = criteria.keys.clone();
            sort = criteria.sort.as_str();
            if params.q().is_empty() {
                message = Some(text("search-empty", &[]));
            } else {
                match crate::render::search::search(
                    &app,
                    &edition,
                    params.q(),
                    &criteria,
                    page,
                    PER_PAGE,
                )
                .await
                {
                    Ok(found) => {
                        let total = i64::try_from(found.total).unwrap_or(i64::MAX);
                        let pagination = Pagination::new(page, PER_PAGE, total);
                        if total == 0 {
                            message = Some(text(
                                "search-no-results",
                                &[("query", query.clone().into())],
                            ));
                        } else {
                            count_label = Some(text("search-count", &[("count", total.into())]));
                        }
                        if total > 0 && found.results.is_empty() {
                            message = Some(text("search-past-the-end", &[]));
                            first_page_url = Some(page_url(&edition, &params, 1));
                        }
                        let stamps = Stamps::new(&app, site);
                        results = found
                            .results
                            .into_iter()
                            .map(|(hit, a)| ResultView {
                                url: edition.url(&article_path(&a.section_slug, a.id, &a.slug)),
                                headline_html: hit.headline_html,
                                snippet_html: hit.snippet_html,
                                section_url: edition.url(&format!("/{}", a.section_slug)),
                                section_name: a.section_name,
                                datetime: iso(a.published_at),
                                stamp: stamps.list(a.published_at),
                            })
                            .collect();
                        pager = Pager {
                            page: pagination.page,
                            pages: pagination.pages,
                            prev_url: pagination.prev.map(|n| page_url(&edition, &params, n)),
                            next_url: pagination.next.map(|n| page_url(&edition, &params, n)),
                        };
                    }
                    Err(Unsearchable::Query(id)) => {
                        if id == "search-too-long" {
                            status = StatusCode::BAD_REQUEST;
                        }
                        message = Some(text(id, &[("limit", (MAX_QUERY_CHARS as i64).into())]));
                    }
                    Err(Unsearchable::Failed(cause)) => return Err(AppError::Search(cause)),
                }
            }
        }
    }
    let title = if query.is_empty() {
        text("search-title", &[])
    } else {
        text("search-results-for", &[("query", query.clone().into())])
    };
    let chosen_section = params.get("section").unwrap_or_default();
    let view = SearchPage {
        chrome: Chrome::new(&app, &edition, title, None, "/search")?,
        form_url: edition.url("/search"),
        sections: edition
            .entry
            .sections
            .iter()
            .map(|s| SectionChoice {
                slug: s.slug.to_string(),
                name: s.name.clone(),
                selected: s.slug.as_str() == chosen_section,
            })
            .collect(),
        from: params.get("from").unwrap_or_default().to_owned(),
        until: params.get("until").unwrap_or_default().to_owned(),
        tag: params.get("tag").unwrap_or_default().to_owned(),
        author: params.get("author").unwrap_or_default().to_owned(),
        sort,
        query,
        message,
        first_page_url,
        count_label,
        results,
        pager,
    };
    let mut response = crate::render::page::page(
        &app,
        &edition,
        "search.html",
        &view,
        CacheKind::List,
        &keys,
        None,
    )?;
    *response.status_mut() = status;
    // Result pages are for readers, not for search engines' indexes.
    response
        .headers_mut()
        .insert("x-robots-tag", HeaderValue::from_static("noindex, follow"));
    Ok(response)
}

/// The URL of another page of the same search.
fn page_url(edition: &Edition, params: &SearchParams, page: u32) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for name in ["q", "section", "tag", "author", "from", "until", "sort"] {
        if let Some(value) = params.get(name) {
            query.append_pair(name, value);
        }
    }
    if page > 1 {
        query.append_pair("page", &page.to_string());
    }
    edition.url(&format!("/search?{}", query.finish()))
}
