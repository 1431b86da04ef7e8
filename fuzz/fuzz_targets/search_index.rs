//! The full-text index (`dateline_search`): a reader's query, parsed as
//! the site parses it, run against a small in-memory index of both
//! editions, plus the analysis that turns text into terms.
//!
//! Checks: a search never fails but for "no words"; a page holds at most
//! `limit` hits, never more than the total, only articles of the
//! searched site; highlighted headlines and snippets are escaped HTML
//! whose only markup is `<mark>`. The tokenizer gives non-empty terms at
//! rising positions whose offsets cut the text at character boundaries.

#![no_main]

use dateline_core::search::{SearchDocument, SearchFilters, SearchQuery, SearchSort};
use dateline_core::{ArticleId, AuthorId, Lang, SectionId, SiteId, TagId};
use dateline_search::analysis::{Analysis, DatelineTokenizer};
use dateline_search::{SearchError, SearchIndex, SearchRequest};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use time::OffsetDateTime;

const EN: SiteId = SiteId(1);
const AR: SiteId = SiteId(2);

fn now() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_773_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn doc(id: i64, site: SiteId, lang: Lang, headline: &str, body: &str) -> SearchDocument {
    SearchDocument {
        id: ArticleId(id),
        site,
        lang,
        section: SectionId(1),
        headline: headline.into(),
        standfirst: format!("{headline} & more <b>"),
        body_text: body.into(),
        source_credit: "AFP".into(),
        tags: vec![(TagId(1), "Politics & <Power>".into())],
        authors: vec![(AuthorId(1), "O'Brien \"Jr\"".into())],
        published_at: now() - time::Duration::days(id),
    }
}

static INDEX: LazyLock<SearchIndex> = LazyLock::new(|| {
    let index = SearchIndex::in_memory(Analysis::Full).unwrap_or_else(|e| panic!("{e}"));
    let docs = [
        doc(
            1,
            EN,
            Lang::En,
            "Central bank <raises> rates & \"warns\"",
            "The central bank of Lebanon said on Monday that rates would rise. <script>alert(1)</script> a < b > c",
        ),
        doc(
            2,
            EN,
            Lang::En,
            "Talks resume in Geneva",
            "Ministers met in Geneva's old town; C++ (2016) and a:b were on the agenda, 100% & more.",
        ),
        doc(
            3,
            AR,
            Lang::Ar,
            "الوزيرة تلتقي الوزراء في القاهرة",
            "قالت الوزيرة إن المحادثات & <النتائج> ستعلن في بيروت عام ٢٠١٦ NATO وReuters",
        ),
        doc(
            4,
            AR,
            Lang::Ar,
            "مصرف لبنان المركزي يرفع الفوائد",
            "أعلن مصرف لبنان المركزي \"رفع\" الفوائد، وقال الحاكم إن القرار مؤقت.",
        ),
    ];
    index.apply(&docs, &[], 1).unwrap_or_else(|e| panic!("{e}"));
    index
});

#[derive(Debug, Arbitrary)]
struct Input {
    query: String,
    arabic: bool,
    by_date: bool,
    offset: u8,
    limit: u8,
    text: String,
}

fn only_mark_markup(html: &str) {
    let bare = html.replace("<mark>", "").replace("</mark>", "");
    assert!(!bare.contains(['<', '>']), "unescaped markup in {html:?}");
}

fuzz_target!(|input: Input| {
    let (site, lang) = if input.arabic {
        (AR, Lang::Ar)
    } else {
        (EN, Lang::En)
    };

    for analysis in [Analysis::Full, Analysis::Naive] {
        let tokens = DatelineTokenizer::new(lang, analysis).terms(&input.text);
        let mut last = None;
        for token in &tokens {
            assert!(!token.text.is_empty());
            assert!(token.offset_from < token.offset_to);
            assert!(input.text.get(token.offset_from..token.offset_to).is_some());
            assert!(last.is_none_or(|p| p < token.position));
            last = Some(token.position);
        }
    }

    let Ok(query) = SearchQuery::parse(&input.query) else {
        return;
    };
    let limit = usize::from(input.limit % 50);
    let request = SearchRequest {
        site,
        lang,
        query: &query,
        filters: SearchFilters::default(),
        sort: if input.by_date {
            SearchSort::Date
        } else {
            SearchSort::Relevance
        },
        now: now(),
        offset: usize::from(input.offset % 8),
        limit,
    };
    match INDEX.search(&request) {
        Err(SearchError::NoWords) => {}
        Err(e) => panic!("search failed: {e:?}"),
        Ok(found) => {
            assert!(found.hits.len() <= limit.max(1));
            assert!(found.hits.len() <= found.total);
            let ours: &[i64] = if input.arabic { &[3, 4] } else { &[1, 2] };
            for hit in &found.hits {
                assert!(ours.contains(&hit.id.0), "hit {} of another site", hit.id);
                only_mark_markup(&hit.headline_html);
                only_mark_markup(&hit.snippet_html);
            }
        }
    }
});
