//! The index on the shared bilingual corpus (`fixtures/search/`), with the
//! real and the naive analysis, and on disk: updates, rebuilds, damage.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use dateline_core::search::html_to_text;
use dateline_core::{AuthorId, SectionId, TagId};
use serde_json::Value;
use std::collections::BTreeMap;

const SITE_EN: SiteId = SiteId(1);
const SITE_AR: SiteId = SiteId(2);

fn corpus() -> Value {
    let text = include_str!("../../../fixtures/search/corpus.json");
    serde_json::from_str(text).unwrap()
}

fn lang_of(edition: &str) -> (SiteId, Lang) {
    match edition {
        "ar" => (SITE_AR, Lang::Ar),
        _ => (SITE_EN, Lang::En),
    }
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc().replace_nanosecond(0).unwrap()
}

/// The corpus as documents, ids from 1 in file order, a day apart
/// (the first is the oldest).
fn documents() -> Vec<(String, SearchDocument)> {
    let corpus = corpus();
    let articles = corpus["articles"].as_array().unwrap();
    let count = articles.len() as i64;
    articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (site, lang) = lang_of(a["edition"].as_str().unwrap());
            let strings = |key: &str| -> Vec<String> {
                a[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().to_owned())
                    .collect()
            };
            let n = i as i64 + 1;
            let doc = SearchDocument {
                id: ArticleId(n),
                site,
                lang,
                section: SectionId(if a["section"] == "politics" { 1 } else { 2 }),
                headline: a["headline"].as_str().unwrap().into(),
                standfirst: a["standfirst"].as_str().unwrap().into(),
                body_text: html_to_text(a["body"].as_str().unwrap()),
                source_credit: a["credit"].as_str().unwrap().into(),
                tags: strings("tags")
                    .into_iter()
                    .enumerate()
                    .map(|(t, name)| (TagId(t as i64 + 10), name))
                    .collect(),
                authors: strings("authors")
                    .into_iter()
                    .map(|slug| (AuthorId(if slug == "rana-haddad" { 1 } else { 2 }), slug))
                    .collect(),
                published_at: now() - time::Duration::days(count - n),
            };
            (a["key"].as_str().unwrap().to_owned(), doc)
        })
        .collect()
}

fn filled(analysis: Analysis) -> (Arc<SearchIndex>, HashMap<ArticleId, String>) {
    let index = Arc::new(SearchIndex::in_memory(analysis).unwrap());
    let docs = documents();
    let mut rebuild = index.start_rebuild().unwrap();
    rebuild
        .add(&docs.iter().map(|(_, d)| d.clone()).collect::<Vec<_>>())
        .unwrap();
    assert_eq!(rebuild.finish(0).unwrap(), docs.len() as u64);
    let keys = docs.into_iter().map(|(k, d)| (d.id, k)).collect();
    (index, keys)
}

fn request<'a>(site: SiteId, lang: Lang, query: &'a SearchQuery) -> SearchRequest<'a> {
    SearchRequest {
        site,
        lang,
        query,
        filters: SearchFilters::default(),
        sort: SearchSort::Relevance,
        now: now(),
        offset: 0,
        limit: 50,
    }
}

/// Keys of the articles a query finds in an edition.
fn find(
    index: &SearchIndex,
    keys: &HashMap<ArticleId, String>,
    edition: &str,
    q: &str,
) -> Vec<String> {
    let (site, lang) = lang_of(edition);
    let query = SearchQuery::parse(q).unwrap();
    match index.search(&request(site, lang, &query)) {
        Ok(results) => results.hits.iter().map(|h| keys[&h.id].clone()).collect(),
        Err(SearchError::NoWords) => Vec::new(),
        Err(e) => panic!("{q}: {e}"),
    }
}

/// How the queries of one kind did: recall over the articles they must
/// find, and must-not matches (precision).
#[derive(Default)]
struct KindReport {
    queries: usize,
    passed: usize,
    expected: usize,
    found: usize,
    must_not: usize,
    must_not_matched: usize,
    naive_found: usize,
}

/// The per-kind table printed by the corpus test, one line a kind.
fn report_table(kinds: &BTreeMap<String, KindReport>) -> String {
    let mut table = format!(
        "{:<18} {:>7} {:>6} {:>7} {:>12} {:>12}\n",
        "kind", "queries", "passed", "recall", "must-not hit", "naive recall"
    );
    let percent = |part: usize, whole: usize| {
        if whole == 0 {
            "-".to_owned()
        } else {
            format!("{:.0}%", 100.0 * part as f64 / whole as f64)
        }
    };
    for (kind, r) in kinds {
        table.push_str(&format!(
            "{:<18} {:>7} {:>6} {:>7} {:>12} {:>12}\n",
            kind,
            r.queries,
            r.passed,
            percent(r.found, r.expected),
            format!("{}/{}", r.must_not_matched, r.must_not),
            percent(r.naive_found, r.expected),
        ));
    }
    table
}

#[test]
fn every_corpus_query_finds_its_articles_and_the_naive_analysis_finds_fewer() {
    let (full, keys) = filled(Analysis::Full);
    let (naive, naive_keys) = filled(Analysis::Naive);
    let corpus = corpus();
    let mut kinds: BTreeMap<String, KindReport> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut naive_missed = Vec::new();
    for case in corpus["queries"].as_array().unwrap() {
        let edition = case["edition"].as_str().unwrap();
        let q = case["q"].as_str().unwrap();
        let kind = case["kind"].as_str().unwrap_or("unclassified");
        let strings = |key: &str| -> Vec<&str> {
            case[key]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| v.as_str().unwrap())
                .collect()
        };
        let (expect, exclude) = (strings("expect"), strings("exclude"));
        let got = find(&full, &keys, edition, q);
        let naive_got = find(&naive, &naive_keys, edition, q);
        let found = |got: &[String], key: &str| got.iter().any(|g| g == key);
        let missed: Vec<&str> = expect.iter().copied().filter(|k| !found(&got, k)).collect();
        let wrong: Vec<&str> = exclude.iter().copied().filter(|k| found(&got, k)).collect();
        let naive_hits = expect.iter().filter(|k| found(&naive_got, k)).count();
        let report = kinds.entry(kind.to_owned()).or_default();
        report.queries += 1;
        report.expected += expect.len();
        report.found += expect.len() - missed.len();
        report.must_not += exclude.len();
        report.must_not_matched += wrong.len();
        report.naive_found += naive_hits;
        if missed.is_empty() && wrong.is_empty() {
            report.passed += 1;
        } else {
            failures.push(format!(
                "{kind}: {q:?} ({}) missed {missed:?}, wrongly found {wrong:?}; found {got:?}",
                case["why"]
            ));
        }
        if naive_hits < expect.len() {
            naive_missed.push(q);
        }
    }
    let table = report_table(&kinds);
    println!("search corpus, per kind:\n{table}");
    assert!(
        failures.is_empty(),
        "{} corpus queries failed:\n{}\n\n{table}",
        failures.len(),
        failures.join("\n")
    );
    let total = |f: fn(&KindReport) -> usize| kinds.values().map(f).sum::<usize>();
    assert!(
        total(|r| r.queries) >= 100,
        "the corpus has {} queries",
        total(|r| r.queries)
    );
    assert!(
        total(|r| r.naive_found) < total(|r| r.found),
        "the naive analysis finds as much:\n{table}"
    );
    // Most Arabic queries fail without the analysis.
    assert!(
        naive_missed.len() >= 60,
        "naive missed only {naive_missed:?}"
    );
}

#[test]
fn headlines_count_more_and_snippets_mark_matches_in_escaped_text() {
    let (index, keys) = filled(Analysis::Full);
    let query = SearchQuery::parse("bank").unwrap();
    let results = index.search(&request(SITE_EN, Lang::En, &query)).unwrap();
    assert_eq!(results.total, 2);
    // Both have "bank" in the text; the one with it in the headline wins.
    assert_eq!(keys[&results.hits[0].id], "en-bank-central");
    let first = &results.hits[0];
    assert!(
        first.headline_html.contains("<mark>bank</mark>"),
        "{first:?}"
    );
    let second = &results.hits[1];
    assert!(
        second.snippet_html.contains("<mark>bank</mark>"),
        "{second:?}"
    );
    // The apostrophe of "bank's" is escaped, not raw.
    assert!(!second.snippet_html.contains("'s"), "{second:?}");

    let query = SearchQuery::parse("الوزيرة").unwrap();
    let results = index.search(&request(SITE_AR, Lang::Ar, &query)).unwrap();
    let minister = results
        .hits
        .iter()
        .find(|h| keys[&h.id] == "ar-minister")
        .unwrap();
    assert!(
        minister.snippet_html.contains("<mark>وزيرةُ</mark>"),
        "{minister:?}"
    );
}

#[test]
fn filters_sorting_and_pages() {
    let (index, keys) = filled(Analysis::Full);
    let query = SearchQuery::parse("بيروت").unwrap();
    let mut req = request(SITE_AR, Lang::Ar, &query);
    req.filters.section = Some(SectionId(2));
    let results = index.search(&req).unwrap();
    let found: Vec<&str> = results.hits.iter().map(|h| keys[&h.id].as_str()).collect();
    assert_eq!(found, ["ar-engineers"]);

    let query = SearchQuery::parse("the central bank Lebanon").unwrap();
    let mut req = request(SITE_EN, Lang::En, &query);
    req.filters.tag = Some(TagId(10));
    assert_eq!(index.search(&req).unwrap().total, 0);

    let query = SearchQuery::parse("Beirut").unwrap();
    let mut req = request(SITE_EN, Lang::En, &query);
    req.filters.author = Some(AuthorId(1));
    assert_eq!(index.search(&req).unwrap().total, 0);

    // Newest first, one a page: the corpus is a day an article, in file
    // order.
    let query = SearchQuery::parse("وزير").unwrap();
    let mut req = request(SITE_AR, Lang::Ar, &query);
    req.sort = SearchSort::Date;
    let all = index.search(&req).unwrap();
    let newest_first: Vec<ArticleId> = all.hits.iter().map(|h| h.id).collect();
    assert!(newest_first.len() >= 3, "{newest_first:?}");
    assert!(
        newest_first.windows(2).all(|w| w[0] > w[1]),
        "{newest_first:?}"
    );
    req.limit = 1;
    let first = index.search(&req).unwrap();
    assert_eq!(first.total, all.total);
    assert_eq!(first.hits[0].id, newest_first[0]);
    req.offset = 1;
    let second = index.search(&req).unwrap();
    assert_eq!(second.hits[0].id, newest_first[1]);

    // A date range, split between ar-minister (the oldest) and
    // ar-foreign-minister.
    let docs = documents();
    let day_of = |key: &str| {
        let n = docs.iter().position(|(k, _)| k == key).unwrap() as i64 + 1;
        docs.len() as i64 - n
    };
    let between = (day_of("ar-minister") + day_of("ar-foreign-minister")) / 2;
    let mut req = request(SITE_AR, Lang::Ar, &query);
    req.filters.until = Some(now() - time::Duration::days(between));
    let old = index.search(&req).unwrap();
    assert_eq!(old.hits.len(), 1);
    assert_eq!(keys[&old.hits[0].id], "ar-minister");
    req.filters.until = None;
    req.filters.from = Some(now() - time::Duration::days(between));
    let recent = index.search(&req).unwrap();
    assert_eq!(recent.total, all.total - 1);
    assert!(recent.hits.iter().all(|h| keys[&h.id] != "ar-minister"));
}

#[test]
fn editions_do_not_see_each_other_and_future_articles_stay_hidden() {
    let (index, _) = filled(Analysis::Full);
    let query = SearchQuery::parse("Reuters").unwrap();
    assert_eq!(
        index
            .search(&request(SITE_EN, Lang::En, &query))
            .unwrap()
            .total,
        1
    );
    assert_eq!(
        index
            .search(&request(SITE_AR, Lang::Ar, &query))
            .unwrap()
            .total,
        1
    );
    let mut late = documents()[0].1.clone();
    late.id = ArticleId(100);
    late.published_at = now() + time::Duration::hours(1);
    index.apply(&[late], &[], 1).unwrap();
    let query = SearchQuery::parse("الوزيرة").unwrap();
    let found = index.search(&request(SITE_AR, Lang::Ar, &query)).unwrap();
    assert!(found.hits.iter().all(|h| h.id != ArticleId(100)));
}

#[test]
fn awkward_queries_give_results_or_no_words_never_an_error() {
    let (index, _) = filled(Analysis::Full);
    for q in [
        "\"unbalanced quote",
        "a:b OR (c AND d) NOT -e +f ~g ^h [i TO j] {k} \\ / * ?",
        "the of and",
        "في من على",
        "وزير Minister الخارجية Cairo",
        "\"\"",
        "!!!",
    ] {
        let Ok(query) = SearchQuery::parse(q) else {
            continue;
        };
        for (site, lang) in [(SITE_EN, Lang::En), (SITE_AR, Lang::Ar)] {
            match index.search(&request(site, lang, &query)) {
                Ok(_) | Err(SearchError::NoWords) => {}
                Err(e) => panic!("{q:?}: {e}"),
            }
        }
    }
    let query = SearchQuery::parse("the of").unwrap();
    assert!(matches!(
        index.search(&request(SITE_EN, Lang::En, &query)),
        Err(SearchError::NoWords)
    ));
}

#[test]
fn related_articles_are_similar_ones_of_the_same_edition() {
    let (index, keys) = filled(Analysis::Full);
    let docs = documents();
    let id_of = |key: &str| docs.iter().find(|(k, _)| k == key).unwrap().1.id;
    let related = index.related(SITE_AR, id_of("ar-minister"), now()).unwrap();
    assert!(!related.contains(&id_of("ar-minister")));
    assert!(
        related.contains(&id_of("ar-foreign-minister")),
        "{related:?}"
    );
    assert!(related.iter().all(|id| keys[id].starts_with("ar-")));
    // Remembered until the index changes; a removed article leaves.
    let again = index.related(SITE_AR, id_of("ar-minister"), now()).unwrap();
    assert!(Arc::ptr_eq(&related, &again));
    index
        .apply(&[], &[id_of("ar-foreign-minister")], 2)
        .unwrap();
    let after = index.related(SITE_AR, id_of("ar-minister"), now()).unwrap();
    assert!(!after.contains(&id_of("ar-foreign-minister")));
    assert!(
        index
            .related(SITE_AR, ArticleId(999), now())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn changes_replace_earlier_versions_and_removals_take_articles_out() {
    let (index, _) = filled(Analysis::Full);
    let mut doc = documents()[0].1.clone();
    doc.headline = "زيارة مفاجئة".into();
    doc.body_text = "زيارة".into();
    doc.standfirst = String::new();
    index.apply(std::slice::from_ref(&doc), &[], 3).unwrap();
    let count = documents().len() as u64;
    assert_eq!(index.len(), count);
    let query = SearchQuery::parse("مفاجئة").unwrap();
    assert_eq!(
        index
            .search(&request(SITE_AR, Lang::Ar, &query))
            .unwrap()
            .total,
        1
    );
    let query = SearchQuery::parse("القاهرة").unwrap();
    assert_eq!(
        index
            .search(&request(SITE_AR, Lang::Ar, &query))
            .unwrap()
            .total,
        0
    );
    index.apply(&[], &[doc.id], 4).unwrap();
    assert_eq!(index.len(), count - 1);
}

#[test]
fn an_index_on_disk_survives_a_reopen_and_is_remade_when_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let opened = SearchIndex::open(dir.path()).unwrap();
    assert!(opened.rebuild_reason.is_some(), "a new folder has no index");
    let index = Arc::new(opened.index);
    let mut rebuild = index.start_rebuild().unwrap();
    rebuild
        .add(&documents().into_iter().map(|(_, d)| d).collect::<Vec<_>>())
        .unwrap();
    assert_eq!(index.position(), 0, "a new index has applied nothing");
    rebuild.finish(41).unwrap();
    assert_eq!(index.position(), 41);
    let mut late = documents()[0].1.clone();
    late.headline = "Later".into();
    index.apply(&[late], &[], 57).unwrap();
    drop(index);

    // The backlog position is kept with the documents it stands for.
    let opened = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(opened.rebuild_reason, None);
    assert_eq!(opened.index.len(), documents().len() as u64);
    assert_eq!(opened.index.position(), 57);
    drop(opened);

    // Damage every segment file: the index is made anew, empty. Each
    // file is replaced, not truncated in place: the dropped reader's
    // reload thread may still map a segment for a moment, and a mapped
    // file that shrinks kills the whole test process with SIGBUS.
    for entry in std::fs::read_dir(dir.path().join("index")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".idx") || name.ends_with(".store") {
            let garbage = path.with_extension("garbage");
            std::fs::write(&garbage, b"garbage").unwrap();
            std::fs::rename(&garbage, &path).unwrap();
        }
    }
    let opened = SearchIndex::open(dir.path()).unwrap();
    assert!(opened.rebuild_reason.is_some());
    assert_eq!(opened.index.len(), 0);
    drop(opened);

    std::fs::write(dir.path().join("index/meta.json"), b"{").unwrap();
    let opened = SearchIndex::open(dir.path()).unwrap();
    assert!(opened.rebuild_reason.is_some());

    // Another version's index is remade too.
    drop(opened);
    std::fs::write(dir.path().join("version"), b"dateline-search-0").unwrap();
    let opened = SearchIndex::open(dir.path()).unwrap();
    assert!(opened.rebuild_reason.unwrap().contains("another version"));
}

#[test]
fn a_commit_cut_short_by_a_kill_does_not_block_the_next_process() {
    let dir = tempfile::tempdir().unwrap();
    let docs: Vec<_> = documents().into_iter().map(|(_, d)| d).collect();
    let index = Arc::new(SearchIndex::open(dir.path()).unwrap().index);
    index.apply(&docs[..3], &[], 101).unwrap();
    let meta = dir.path().join("index/meta.json");
    let before = std::fs::read(&meta).unwrap();
    let mut edited = docs[0].clone();
    edited.headline = "Kingfishers".into();
    index
        .apply(std::slice::from_ref(&edited), &[], 102)
        .unwrap();
    drop(index);
    // As if killed before the commit's last step: its files (the new
    // segment, the old one's delete file) are there, meta.json is not.
    std::fs::write(&meta, before).unwrap();

    // The next process makes the same commit (the same number of
    // operations since the last one): tantivy must not find its files.
    let opened = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(opened.rebuild_reason, None);
    let index = opened.index;
    assert_eq!(index.len(), 3);
    index
        .apply(std::slice::from_ref(&edited), &[], 103)
        .unwrap();
    assert_eq!(index.len(), 3);
    let query = SearchQuery::parse("kingfishers").unwrap();
    let found = index
        .search(&request(edited.site, edited.lang, &query))
        .unwrap();
    assert_eq!(
        found.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        [edited.id]
    );
}

#[test]
fn a_second_writer_is_told_the_index_is_busy() {
    let dir = tempfile::tempdir().unwrap();
    let first = Arc::new(SearchIndex::open(dir.path()).unwrap().index);
    let second = SearchIndex::open(dir.path()).unwrap().index;
    let rebuild = first.start_rebuild().unwrap();
    let doc = documents()[0].1.clone();
    assert!(matches!(
        second.apply(std::slice::from_ref(&doc), &[], 104),
        Err(SearchError::Busy)
    ));
    rebuild.finish(0).unwrap();
    second.apply(&[doc], &[], 105).unwrap();
    assert_eq!(second.len(), 1);
}
