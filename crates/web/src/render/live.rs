//! A live story's entries on its page, and the "entries after N" answer
//! that readers' open pages ask for (`live.js`). That answer is the same
//! for every reader who has entry N, so the page cache (and a CDN in
//! front) serves a hundred thousand open pages from one render, until
//! the next entry purges it.

use crate::AppState;
use crate::error::AppError;
use crate::http::{CacheKeys, CacheKind};
use crate::network::Edition;
use crate::render::stamps::{Stamps, iso};
use axum::response::Response;
use dateline_core::live::{Coverage, entry_text};
use dateline_core::purge::SurrogateKey;
use dateline_core::{Article, article_path};
use dateline_newsdesk::live::{LiveEntry, PAGE_ENTRIES};
use serde::Serialize;

/// How often an open page asks for new entries.
pub(crate) const POLL_SECONDS: u32 = 5;

/// Longest key-event line, in characters.
const SUMMARY_CHARS: usize = 120;

#[derive(Serialize)]
pub(crate) struct LiveView {
    ended: bool,
    /// The "entries after N" address, without its query.
    poll_url: String,
    poll_seconds: u32,
    /// The newest entry's number (0: none yet).
    latest: i64,
    key_events: Vec<EntryView>,
    entries: Vec<EntryView>,
    /// Numbers of removed entries, space-separated: an open page takes
    /// them away.
    removed: String,
}

#[derive(Serialize)]
struct EntryView {
    seq: i64,
    headline: String,
    /// Sanitised when posted: a safe string.
    body_html: minijinja::Value,
    /// The headline, else the start of the text (key events).
    summary: String,
    key_event: bool,
    author: String,
    datetime: String,
    stamp: String,
    correction: String,
    picture: Option<PictureView>,
}

#[derive(Serialize)]
struct PictureView {
    url: String,
    width: i64,
    height: i64,
}

/// The address open pages ask for new entries at.
pub(crate) fn poll_path(article: &Article) -> String {
    format!(
        "{}/live",
        article_path(&article.section.slug, article.id, &article.slug)
    )
}

fn entry_view(stamps: &Stamps, entry: LiveEntry) -> EntryView {
    let picture = entry.picture.as_ref().map(|p| PictureView {
        url: format!("/media/{}", p.path),
        width: p.width,
        height: p.height,
    });
    let summary = if entry.headline.is_empty() {
        let text = entry_text(&entry.body_html);
        match text.char_indices().nth(SUMMARY_CHARS) {
            Some((at, _)) => format!("{}\u{2026}", &text[..at]),
            None => text,
        }
    } else {
        entry.headline.clone()
    };
    EntryView {
        seq: entry.seq,
        headline: entry.headline,
        body_html: minijinja::Value::from_safe_string(entry.body_html),
        summary,
        key_event: entry.key_event,
        author: entry.author.unwrap_or_default(),
        datetime: iso(entry.created_at),
        stamp: stamps.list(entry.created_at),
        correction: entry.correction,
        picture,
    }
}

/// The live part of a story's page, and its entries for the structured
/// data; `None` for a story that was never live.
pub(crate) async fn view(
    app: &AppState,
    edition: &Edition,
    article: &Article,
) -> Result<Option<(LiveView, Vec<LiveEntry>)>, AppError> {
    let Some(live) = article.live else {
        return Ok(None);
    };
    let stamps = Stamps::new(app, edition.site());
    let entries = app.desk.live_entries(article.id, 0, PAGE_ENTRIES).await?;
    let key_events = app.desk.live_key_events(article.id).await?;
    let view = LiveView {
        ended: live.coverage == Coverage::Ended,
        poll_url: edition.url(&poll_path(article)),
        poll_seconds: POLL_SECONDS,
        latest: entries.first().map_or(0, |e| e.seq),
        key_events: key_events
            .into_iter()
            .map(|e| entry_view(&stamps, e))
            .collect(),
        entries: entries
            .iter()
            .cloned()
            .map(|e| entry_view(&stamps, e))
            .collect(),
        removed: String::new(),
    };
    Ok(Some((view, entries)))
}

fn removed_list(removed: &[i64]) -> String {
    removed
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Serialize)]
struct Fragment {
    live: LiveView,
}

/// The entries after number `after`, newest first, as the list the page
/// holds: an open page adds them at the top.
pub(crate) async fn entries_after(
    app: &AppState,
    edition: &Edition,
    article: &Article,
    after: i64,
) -> Result<Response, AppError> {
    let stamps = Stamps::new(app, edition.site());
    let entries = app
        .desk
        .live_entries(article.id, after.max(0), PAGE_ENTRIES)
        .await?;
    let live = LiveView {
        ended: article.live.is_some_and(|l| l.coverage == Coverage::Ended),
        poll_url: edition.url(&poll_path(article)),
        poll_seconds: POLL_SECONDS,
        latest: entries.first().map_or(after.max(0), |e| e.seq),
        key_events: Vec::new(),
        entries: entries
            .into_iter()
            .map(|e| entry_view(&stamps, e))
            .collect(),
        removed: removed_list(&app.desk.removed_entries(article.id).await?),
    };
    let keys = CacheKeys::site(edition.site().id).with(SurrogateKey::Article(article.id));
    crate::render::page::page(
        app,
        edition,
        "live_entries.html",
        &Fragment { live },
        CacheKind::Live,
        &keys,
        Some(article.updated_at),
    )
}
