//! Search benchmark (not a test): fills a fresh data directory with the
//! demo network plus N generated articles (half English, half Arabic,
//! words drawn with a Zipf-like skew from the demo's own vocabulary),
//! times a full `search reindex` from the database, then the latency of a
//! fixed query mix, of related-article lookups and of single-article
//! updates on the full index. Run through `bench/search.sh`.
//!
//!     cargo run --release --locked -p dateline --example search_bench -- [ARTICLES]

#![allow(clippy::unwrap_used, clippy::expect_used)]

use dateline_core::search::{SearchFilters, SearchQuery, SearchSort};
use dateline_core::{ArticleState, Lang, Slug};
use dateline_search::{SearchIndex, SearchRequest};
use dateline_store::{Db, NewArticle};
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// A small deterministic generator (xorshift64*), so runs compare.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// An index skewed towards 0, like word frequencies.
    fn zipf(&mut self, n: usize) -> usize {
        ((n as f64) * self.unit().powi(3)) as usize % n
    }
}

/// Words of the demo articles of one language, most frequent first.
fn vocabulary(toml: &str) -> Vec<String> {
    let mut counts = std::collections::HashMap::<String, usize>::new();
    for word in toml
        .split(|c: char| !c.is_alphanumeric() && !('\u{064B}'..='\u{0652}').contains(&c))
        .filter(|w| w.chars().count() > 1 && !w.chars().all(|c| c.is_ascii_digit()))
    {
        *counts.entry(word.to_owned()).or_default() += 1;
    }
    let mut words: Vec<(String, usize)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    words.into_iter().map(|(w, _)| w).collect()
}

fn sentence(rng: &mut Rng, words: &[String], n: usize) -> String {
    (0..n)
        .map(|_| words[rng.zipf(words.len())].as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let articles: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(100_000);
    let dir = tempfile::tempdir()?;
    let media = dir.path().join("media");
    std::fs::create_dir_all(&media)?;
    let db = Db::open_sqlite(&dir.path().join("dateline.db")).await?;
    let now = OffsetDateTime::now_utc();
    dateline_store::demo::install(&db, &media, "", now).await?;
    let sites = db.sites().await?;
    let en_words = vocabulary(include_str!("../../../demo/articles/en.toml"));
    let ar_words = vocabulary(include_str!("../../../demo/articles/ar.toml"));
    eprintln!(
        "vocabulary: {} English, {} Arabic words",
        en_words.len(),
        ar_words.len()
    );

    // Generate the articles, a thousand a transaction.
    let started = Instant::now();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let span = (now - time::macros::datetime!(2013-01-01 0:00 UTC)).whole_seconds();
    let mut written = 0;
    while written < articles {
        let mut tx = db.begin().await?;
        for _ in 0..1_000.min(articles - written) {
            let site = &sites[written % 2];
            let words = if site.lang == Lang::Ar {
                &ar_words
            } else {
                &en_words
            };
            let sections = db.sections(site.id).await?;
            let authors = db.authors(site.id).await?;
            let headline = sentence(&mut rng, words, 8);
            let body: Vec<String> = (0..6)
                .map(|_| format!("<p>{}</p>", sentence(&mut rng, words, 50)))
                .collect();
            let published = now - time::Duration::seconds((rng.unit() * span as f64) as i64);
            tx.insert_article(
                &NewArticle {
                    site: site.id,
                    section: sections[rng.next() as usize % sections.len()].id,
                    state: ArticleState::Published,
                    slug: Slug::from_headline(&headline)
                        .unwrap_or_else(|_| Slug::parse("article").unwrap()),
                    seo_title: String::new(),
                    standfirst: sentence(&mut rng, words, 20),
                    body_html: body.concat(),
                    dateline_place: String::new(),
                    source_credit: String::new(),
                    lead_image: None,
                    published_at: Some(published),
                    updated_at: published,
                    translation_group: None,
                    tags: Vec::new(),
                    authors: vec![authors[rng.next() as usize % authors.len()].id],
                    headline,
                },
                now,
            )
            .await?;
            written += 1;
        }
        tx.commit().await?;
    }
    eprintln!(
        "generated {written} articles in {:.1} s",
        started.elapsed().as_secs_f32()
    );

    // A full reindex from the database, as `dateline search reindex` does.
    let index = Arc::new(SearchIndex::open(&dir.path().join("search"))?.index);
    let started = Instant::now();
    let count = dateline_newsdesk::tasks::search_sync::reindex(&db, &index, |_, _| {}).await?;
    let reindex = started.elapsed();
    let size: u64 = std::fs::read_dir(dir.path().join("search/index"))?
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "reindex: {count} articles in {:.1} s ({:.0} articles/s), index {} MB",
        reindex.as_secs_f32(),
        count as f32 / reindex.as_secs_f32(),
        size / 1_000_000
    );

    // The query mix: words, phrases, filters, both sorts, both editions.
    let en = &sites[0];
    let ar = &sites[1];
    let politics_en = db.sections(en.id).await?[0].id;
    let mix: Vec<(&dateline_core::Site, &str, SearchSort, bool)> = vec![
        (en, "government", SearchSort::Relevance, false),
        (en, "minister", SearchSort::Relevance, false),
        (en, "central bank", SearchSort::Relevance, false),
        (en, "\"the government\"", SearchSort::Relevance, false),
        (en, "water prices", SearchSort::Date, false),
        (en, "election", SearchSort::Relevance, true),
        (en, "new law parliament", SearchSort::Relevance, false),
        (en, "Beirut", SearchSort::Date, false),
        (en, "the", SearchSort::Relevance, false),
        (en, "zzzunknownword", SearchSort::Relevance, false),
        (ar, "الحكومة", SearchSort::Relevance, false),
        (ar, "وزير", SearchSort::Relevance, false),
        (ar, "الوزيرة", SearchSort::Relevance, false),
        (ar, "\"مجلس النواب\"", SearchSort::Relevance, false),
        (ar, "الانتخابات البلدية", SearchSort::Date, false),
        (ar, "الاقتصاد", SearchSort::Relevance, false),
        (ar, "المياه", SearchSort::Relevance, false),
        (ar, "بيروت", SearchSort::Date, false),
        (ar, "الحكومة government", SearchSort::Relevance, false),
        (ar, "قال", SearchSort::Relevance, false),
    ];
    let rounds = 50;
    let mut times = Vec::with_capacity(mix.len() * rounds);
    let mut hits = 0;
    for round in 0..=rounds {
        for (site, q, sort, filtered) in &mix {
            let query = SearchQuery::parse(q)?;
            let mut filters = SearchFilters::default();
            if *filtered && site.id == en.id {
                filters.section = Some(politics_en);
            }
            let request = SearchRequest {
                site: site.id,
                lang: site.lang,
                query: &query,
                filters,
                sort: *sort,
                now,
                offset: 0,
                limit: 10,
            };
            let started = Instant::now();
            let found = index.search(&request);
            let took = started.elapsed();
            if round > 0 {
                times.push(took);
                if let Ok(found) = found {
                    hits += found.total;
                }
            }
        }
    }
    times.sort();
    println!(
        "queries: {} ({} kinds x {rounds}), page of 10 with snippets: p50 {} ms, p99 {} ms, max {} ms; {} hits a query on average",
        times.len(),
        mix.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap()),
        hits / times.len()
    );

    // Related articles, uncached (every id once).
    let mut related = Vec::new();
    for id in (1..=400).map(|n| dateline_core::ArticleId(n * 97)) {
        let site = if id.0 % 2 == 0 { en.id } else { ar.id };
        let started = Instant::now();
        let _ = index.related(site, id, now)?;
        related.push(started.elapsed());
    }
    related.sort();
    println!(
        "related (uncached more-like-this): {} lookups, p50 {} ms, p99 {} ms",
        related.len(),
        ms(percentile(&related, 0.5)),
        ms(percentile(&related, 0.99))
    );

    // Single-article updates on the full index: what publishing costs.
    let mut updates = Vec::new();
    for n in 0..20 {
        let id = dateline_core::ArticleId(1_000 + n * 13);
        let started = Instant::now();
        let at = dateline_store::BacklogMark(index.position());
        dateline_newsdesk::tasks::search_sync::update(&db, &index, &[id], at).await?;
        updates.push(started.elapsed());
    }
    updates.sort();
    println!(
        "single-article updates (read, commit, reload): p50 {} ms, max {} ms",
        ms(percentile(&updates, 0.5)),
        ms(*updates.last().unwrap())
    );
    db.close().await;
    Ok(())
}
