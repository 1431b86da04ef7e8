//! Pages that list articles: home, sections, tags, authors, the archive,
//! and the site feed.

use crate::AppState;
use crate::error::AppError;
use crate::http::{CacheKeys, CacheKind};
use crate::network::Edition;
use crate::render::chrome::{Card, Chrome};
use crate::render::stamps::Stamps;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;
use dateline_core::Lang;
use dateline_core::paging::{PageNumber, Pagination};
use dateline_store::ArticleFilter;
use fluent_bundle::FluentValue;
use serde::Serialize;
use time::OffsetDateTime;

const PER_PAGE: u32 = 12;
const HOME_LATEST: u32 = 10;
const HOME_PER_SECTION: u32 = 4;

#[derive(Serialize)]
struct HomePage {
    chrome: Chrome,
    latest_url: String,
    lead: Option<Card>,
    latest: Vec<Card>,
    blocks: Vec<SectionBlock>,
}

#[derive(Serialize)]
struct SectionBlock {
    name: String,
    url: String,
    cards: Vec<Card>,
}

#[derive(Serialize)]
struct ListPage {
    chrome: Chrome,
    heading: String,
    /// Author bio and photo, on author pages.
    intro: Intro,
    count_label: String,
    cards: Vec<Card>,
    pager: Pager,
}

/// Words (and a picture) above a list: an author's bio and photo.
#[derive(Serialize, Default)]
struct Intro {
    text: String,
    image_url: Option<String>,
}

#[derive(Serialize)]
struct Pager {
    page: u32,
    pages: u32,
    prev_url: Option<String>,
    next_url: Option<String>,
}

pub(super) async fn home(
    State(app): State<AppState>,
    edition: Edition,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    // The home page takes no parameters, but a bad one must not break it.
    let _ = page_number(query.as_deref())?;
    let site = edition.site();
    let now = OffsetDateTime::now_utc();
    let stamps = Stamps::new(&app, site);
    let latest = app
        .db
        .published_articles(site.id, ArticleFilter::All, now, HOME_LATEST + 1, 0)
        .await?;
    let newest = latest.first().map(|a| a.updated_at);
    let mut blocks = Vec::new();
    for section in &edition.entry.sections {
        let items = app
            .db
            .published_articles(
                site.id,
                ArticleFilter::Section(section.id),
                now,
                HOME_PER_SECTION,
                0,
            )
            .await?;
        if !items.is_empty() {
            blocks.push(SectionBlock {
                name: section.name.clone(),
                url: edition.url(&format!("/{}", section.slug)),
                cards: items
                    .iter()
                    .map(|a| Card::new(&edition, &stamps, a))
                    .collect(),
            });
        }
    }
    let mut cards = latest.iter().map(|a| Card::new(&edition, &stamps, a));
    let view = HomePage {
        chrome: {
            let mut chrome = Chrome::new(&app, &edition, site.name.clone(), Some("/"), "/")?;
            chrome.json_ld = Some(crate::render::metadata::home_json_ld(&app, &edition));
            chrome
        },
        latest_url: edition.url("/latest"),
        lead: cards.next(),
        latest: cards.collect(),
        blocks,
    };
    let keys = CacheKeys::site(site.id).latest(site.id);
    crate::render::page::page(
        &app,
        &edition,
        "home.html",
        &view,
        CacheKind::List,
        &keys,
        newest,
    )
}

/// `/latest`: every article of the site, newest first.
pub(super) async fn latest(
    State(app): State<AppState>,
    edition: Edition,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let page = page_number(query.as_deref())?;
    let heading = app
        .translations
        .text(edition.site().lang, "home-latest", None)
        .into_owned();
    list(
        &app,
        &edition,
        ArticleFilter::All,
        page,
        heading,
        Intro::default(),
        "/latest",
    )
    .await
}

pub(super) async fn section(
    State(app): State<AppState>,
    edition: Edition,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let page = page_number(query.as_deref())?;
    let section = edition.section(&slug).ok_or(AppError::NotFound)?;
    let heading = section.name.clone();
    let path = format!("/{}", section.slug);
    list(
        &app,
        &edition,
        ArticleFilter::Section(section.id),
        page,
        heading,
        Intro::default(),
        &path,
    )
    .await
}

pub(super) async fn tag(
    State(app): State<AppState>,
    edition: Edition,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let page = page_number(query.as_deref())?;
    let tag = app
        .db
        .tag_by_slug(edition.site().id, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let heading = text(
        &app,
        edition.site().lang,
        "list-tag",
        &[("tag", tag.name.clone().into())],
    );
    let path = format!("/tag/{}", tag.slug);
    list(
        &app,
        &edition,
        ArticleFilter::Tag(tag.id),
        page,
        heading,
        Intro::default(),
        &path,
    )
    .await
}

pub(super) async fn author(
    State(app): State<AppState>,
    edition: Edition,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let page = page_number(query.as_deref())?;
    let author = app
        .db
        .author_by_slug(edition.site().id, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let heading = text(
        &app,
        edition.site().lang,
        "list-author",
        &[("author", author.name.clone().into())],
    );
    let path = format!("/author/{}", author.slug);
    list(
        &app,
        &edition,
        ArticleFilter::Author(author.id),
        page,
        heading,
        Intro {
            text: author.bio,
            image_url: author
                .photo_path
                .map(|p| crate::render::stamps::media_url(&edition, &p)),
        },
        &path,
    )
    .await
}

pub(super) async fn archive_month(
    State(app): State<AppState>,
    edition: Edition,
    Path((year, month)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    let page = page_number(query.as_deref())?;
    let year: i32 = year.parse().map_err(|_| AppError::NotFound)?;
    let month: u8 = month.parse().map_err(|_| AppError::NotFound)?;
    if !(1..=12).contains(&month) || !(1900..=9999).contains(&year) {
        return Err(AppError::NotFound);
    }
    let site = edition.site();
    let (from, until) = site
        .time_zone
        .month_range(year, month)
        .ok_or(AppError::NotFound)?;
    let month_name = app.translations.calendar(site.lang).months[usize::from(month - 1)].clone();
    let heading = text(
        &app,
        site.lang,
        "list-archive-month",
        &[
            ("month", month_name.into()),
            ("year", year.to_string().into()),
        ],
    );
    let path = format!("/archive/{year:04}/{month:02}/");
    list(
        &app,
        &edition,
        ArticleFilter::Between(from, until),
        page,
        heading,
        Intro::default(),
        &path,
    )
    .await
}

#[derive(Serialize)]
struct ArchiveIndex {
    chrome: Chrome,
    years: Vec<ArchiveYear>,
}

#[derive(Serialize)]
struct ArchiveYear {
    year: i32,
    months: Vec<ArchiveMonthLink>,
}

#[derive(Serialize)]
struct ArchiveMonthLink {
    name: String,
    url: String,
    count: i64,
}

pub(super) async fn archive_index(
    State(app): State<AppState>,
    edition: Edition,
) -> Result<Response, AppError> {
    let site = edition.site();
    let now = OffsetDateTime::now_utc();
    let times = app.db.published_times(site.id, now).await?;
    let names = &app.translations.calendar(site.lang).months;
    let mut years: Vec<ArchiveYear> = Vec::new();
    let mut last: Option<(i32, u8)> = None;
    for at in &times {
        let local = site.time_zone.local(*at);
        if last == Some((local.year, local.month)) {
            if let Some(m) = years.last_mut().and_then(|y| y.months.last_mut()) {
                m.count += 1;
            }
            continue;
        }
        last = Some((local.year, local.month));
        if years.last().is_none_or(|y| y.year != local.year) {
            years.push(ArchiveYear {
                year: local.year,
                months: Vec::new(),
            });
        }
        if let Some(y) = years.last_mut() {
            y.months.push(ArchiveMonthLink {
                name: names[usize::from(local.month.clamp(1, 12) - 1)].clone(),
                url: edition.url(&format!("/archive/{:04}/{:02}/", local.year, local.month)),
                count: 1,
            });
        }
    }
    let title = app
        .translations
        .text(site.lang, "list-archive", None)
        .into_owned();
    let view = ArchiveIndex {
        chrome: Chrome::new(&app, &edition, title, Some("/archive"), "/archive")?,
        years,
    };
    let keys = CacheKeys::site(site.id).latest(site.id);
    crate::render::page::page(
        &app,
        &edition,
        "archive.html",
        &view,
        CacheKind::List,
        &keys,
        None,
    )
}

/// A paginated list page; a page past the end is a 404.
async fn list(
    app: &AppState,
    edition: &Edition,
    filter: ArticleFilter,
    page: PageNumber,
    heading: String,
    intro: Intro,
    path: &str,
) -> Result<Response, AppError> {
    let site = edition.site();
    let now = OffsetDateTime::now_utc();
    let total = app.db.count_published(site.id, filter, now).await?;
    let pagination = Pagination::new(page, PER_PAGE, total);
    if pagination.is_past_the_end() {
        return Err(AppError::NotFound);
    }
    let items = app
        .db
        .published_articles(site.id, filter, now, PER_PAGE, page.offset(PER_PAGE))
        .await?;
    let stamps = Stamps::new(app, site);
    let page_url = |n: u32| {
        if n == 1 {
            edition.url(path)
        } else {
            edition.url(&format!("{path}?page={n}"))
        }
    };
    let canonical = if page.get() == 1 {
        path.to_owned()
    } else {
        format!("{path}?page={}", page.get())
    };
    let newest = items.iter().map(|a| a.updated_at).max();
    let mut chrome = Chrome::new(app, edition, heading.clone(), Some(&canonical), path)?;
    if path.starts_with("/tag/")
        || path.starts_with("/author/")
        || edition
            .entry
            .sections
            .iter()
            .any(|s| path == format!("/{}", s.slug))
    {
        let title = format!("{heading} - {}", edition.site().name);
        chrome
            .feeds
            .extend(crate::render::feeds::links(edition, path, &title));
    }
    let view = ListPage {
        chrome,
        count_label: text(
            app,
            site.lang,
            "list-articles-count",
            &[("count", FluentValue::from(total))],
        ),
        heading,
        intro,
        cards: items
            .iter()
            .map(|a| Card::new(edition, &stamps, a))
            .collect(),
        pager: Pager {
            page: pagination.page,
            pages: pagination.pages,
            prev_url: pagination.prev.map(page_url),
            next_url: pagination.next.map(page_url),
        },
    };
    let keys = crate::http::list_keys(site.id, filter);
    crate::render::page::page(
        app,
        edition,
        "list.html",
        &view,
        CacheKind::List,
        &keys,
        newest,
    )
}

/// The `page` parameter of a list; other parameters are ignored.
fn page_number(query: Option<&str>) -> Result<PageNumber, AppError> {
    let raw = query.and_then(|q| {
        q.split('&')
            .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
            .filter(|(k, _)| *k == "page")
            .map(|(_, v)| v)
            .next_back()
    });
    PageNumber::parse(raw).map_err(|e| AppError::BadRequest(e.to_string()))
}

fn text(app: &AppState, lang: Lang, id: &str, args: &[(&str, FluentValue<'static>)]) -> String {
    let args =
        crate::render::i18n::args_from(args.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    app.translations.text(lang, id, Some(&args)).into_owned()
}
