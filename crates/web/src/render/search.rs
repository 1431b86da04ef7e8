//! What the search page and the search endpoint share: reading the
//! parameters (query, filters by slug and date, sort, page), running the
//! search off the async threads, and pairing each hit with the stored
//! article it names (so a result always links to what readers may see).

use crate::AppState;
use crate::error::SearchFailure;
use crate::http::CacheKeys;
use crate::network::Edition;
use dateline_core::ArticleSummary;
use dateline_core::dates::{RangeEnd, range_bound};
use dateline_core::paging::{PageNumber, PerPage};
use dateline_core::search::{QueryProblem, SearchFilters, SearchQuery, SearchSort};
use dateline_search::{Hit, SearchError, SearchRequest};
use time::OffsetDateTime;

/// The parameters of a search as sent: the last non-empty value of a
/// name counts; unknown names are ignored.
pub(crate) struct SearchParams(Vec<(String, String)>);

impl SearchParams {
    pub fn parse(raw: Option<&str>) -> SearchParams {
        SearchParams(
            form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim())
    }

    /// The query text, as typed.
    pub fn q(&self) -> &str {
        self.get("q").unwrap_or_default()
    }
}

/// A parameter that cannot be used, with what to tell the client.
#[derive(Debug)]
pub(crate) enum ParamError {
    Bad(String),
    /// A section, tag or author slug the site does not have.
    Unknown(String),
}

/// The filters and sort of a search, with the cache keys of what they
/// show.
pub(crate) struct Criteria {
    pub filters: SearchFilters,
    pub sort: SearchSort,
    pub keys: CacheKeys,
}

/// Reads `section`, `tag`, `author` (slugs), `from`, `until` (RFC 3339
/// dates or date-times) and `sort` (`relevance` or `date`).
pub(crate) async fn criteria(
    app: &AppState,
    edition: &Edition,
    params: &SearchParams,
) -> Result<Criteria, ParamError> {
    let site = edition.site();
    let mut filters = SearchFilters::default();
    let mut keys = CacheKeys::site(site.id).latest(site.id);
    if let Some(slug) = params.get("section") {
        let section = edition
            .section(slug)
            .ok_or_else(|| ParamError::Unknown(format!("no section {slug:?} on this site")))?;
        filters.section = Some(section.id);
        keys = keys.with(dateline_core::purge::SurrogateKey::Section(section.id));
    }
    if let Some(slug) = params.get("tag") {
        let tag = app
            .db
            .tag_by_slug(site.id, slug)
            .await
            .ok()
            .flatten()
            .ok_or_else(|| ParamError::Unknown(format!("no tag {slug:?} on this site")))?;
        filters.tag = Some(tag.id);
        keys = keys.with(dateline_core::purge::SurrogateKey::Tag(tag.id));
    }
    if let Some(slug) = params.get("author") {
        let author = app
            .db
            .author_by_slug(site.id, slug)
            .await
            .ok()
            .flatten()
            .ok_or_else(|| ParamError::Unknown(format!("no author {slug:?} on this site")))?;
        filters.author = Some(author.id);
        keys = keys.with(dateline_core::purge::SurrogateKey::Author(author.id));
    }
    filters.from = date(params, "from", RangeEnd::From)?;
    filters.until = date(params, "until", RangeEnd::Until)?;
    let sort = match params.get("sort") {
        None => SearchSort::Relevance,
        Some(text) => SearchSort::parse(text).ok_or_else(|| {
            ParamError::Bad(format!(
                "sort must be relevance or date, not {:?}",
                text.chars().take(20).collect::<String>()
            ))
        })?,
    };
    Ok(Criteria {
        filters,
        sort,
        keys,
    })
}

fn date(
    params: &SearchParams,
    name: &str,
    end: RangeEnd,
) -> Result<Option<OffsetDateTime>, ParamError> {
    let Some(text) = params.get(name) else {
        return Ok(None);
    };
    // A `+` of an offset that was not percent-encoded arrives as a space.
    let text = text.replace(' ', "+");
    range_bound(&text, end).map(Some).ok_or_else(|| {
        ParamError::Bad(format!(
            "{name} must be an RFC 3339 date (2016-03-08) or date-time (2016-03-08T09:40:00Z), not {:?}",
            text.chars().take(40).collect::<String>()
        ))
    })
}

/// `page` and `per_page`.
pub(crate) fn paging(
    params: &SearchParams,
    default: u32,
    max: u32,
) -> Result<(PageNumber, PerPage), ParamError> {
    let page = PageNumber::parse(params.get("page")).map_err(|e| ParamError::Bad(e.to_string()))?;
    let per_page = PerPage::parse(params.get("per_page"), default, max)
        .map_err(|e| ParamError::Bad(e.to_string()))?;
    Ok((page, per_page))
}

/// Why a search gave no list.
#[derive(Debug)]
pub(crate) enum Unsearchable {
    /// The query cannot run (empty, too long, only stop words); the id of
    /// the message for readers.
    Query(&'static str),
    /// The index or storage failed; the cause, for the log.
    Failed(SearchFailure),
}

impl From<QueryProblem> for Unsearchable {
    fn from(problem: QueryProblem) -> Self {
        Unsearchable::Query(problem.message_id())
    }
}

/// One page of results: the hits with their stored articles, and the
/// total count.
pub(crate) struct Found {
    pub total: usize,
    pub results: Vec<(Hit, ArticleSummary)>,
}

/// Runs a search of the edition and pairs the hits with their articles.
pub(crate) async fn search(
    app: &AppState,
    edition: &Edition,
    text: &str,
    criteria: &Criteria,
    page: PageNumber,
    per_page: u32,
) -> Result<Found, Unsearchable> {
    let query = SearchQuery::parse(text)?;
    let site = edition.site();
    let now = OffsetDateTime::now_utc();
    let index = app.search.clone();
    let (lang, site_id, filters, sort) = (site.lang, site.id, criteria.filters, criteria.sort);
    let offset = usize::try_from(page.offset(per_page)).unwrap_or(usize::MAX);
    let found = tokio::task::spawn_blocking(move || {
        index.search(&SearchRequest {
            site: site_id,
            lang,
            query: &query,
            filters,
            sort,
            now,
            offset,
            limit: per_page as usize,
        })
    })
    .await
    .map_err(|e| Unsearchable::Failed(e.into()))?;
    let found = match found {
        Ok(found) => found,
        Err(SearchError::NoWords) => return Err(Unsearchable::Query("search-no-words")),
        Err(e) => return Err(Unsearchable::Failed(e.into())),
    };
    let ids: Vec<_> = found.hits.iter().map(|h| h.id).collect();
    let summaries = app
        .db
        .published_by_ids(site_id, &ids, now)
        .await
        .map_err(|e| Unsearchable::Failed(e.into()))?;
    let mut results = Vec::with_capacity(found.hits.len());
    for hit in found.hits {
        if let Some(summary) = summaries.iter().find(|s| s.id == hit.id) {
            results.push((hit, summary.clone()));
        }
    }
    Ok(Found {
        total: found.total,
        results,
    })
}
