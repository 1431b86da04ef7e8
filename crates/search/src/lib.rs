//! Dateline's full-text index of published articles, in
//! `<data_dir>/search/`: English and Arabic analysis, ranked search with
//! filters, phrases and highlighted snippets, and related articles by
//! content similarity. All index IO happens in this crate; it knows
//! nothing of storage, so the index is filled by whoever reads the
//! articles (`dateline_web::search_sync`) and can always be rebuilt from
//! them. See `docs/search.md`.

pub mod analysis;
mod query;
mod schema;

pub use analysis::{Analysis, DatelineTokenizer};
pub use schema::SCHEMA_VERSION;

use dateline_core::search::{SearchDocument, SearchFilters, SearchQuery, SearchSort};
use dateline_core::{ArticleId, Lang, SiteId};
use schema::Fields;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use tantivy::collector::{Count, TopDocs};
use tantivy::merge_policy::LogMergePolicy;
use tantivy::query::{BooleanQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, SegmentReader,
    TantivyDocument, TantivyError, Term,
};
use time::OffsetDateTime;

/// Memory of the writer that applies a batch of changes.
const UPDATE_MEMORY: usize = 32_000_000;
/// Segments above this size are not merged by updates.
const UPDATE_MERGE_MAX_DOCS: usize = 20_000;
/// Memory of each indexing thread of a full rebuild.
const REBUILD_MEMORY_PER_THREAD: usize = 128_000_000;
/// Related articles kept per article; pages take what they need.
const RELATED_KEPT: usize = 12;
/// A related article scores at least this share of the most similar one.
const RELATED_MIN_SHARE: f32 = 0.4;
/// Articles whose related list is remembered, at most.
const RELATED_CACHE_ENTRIES: usize = 20_000;
/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;
/// The recency boost: a result published today scores up to this much
/// more (1.0 = double) than an old one…
const RECENCY_WEIGHT: f32 = 0.5;
/// …and the extra halves every this many days.
const RECENCY_HALF_LIFE_DAYS: f32 = 180.0;

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index error")]
    Index(#[from] TantivyError),
    #[error(
        "another process is writing the search index (a `dateline search reindex`?); \
         try again when it has finished"
    )]
    Busy,
    #[error("cannot use the search folder {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// Every word of the query was a stop word or punctuation.
    #[error("the query has no words to search for")]
    NoWords,
}

/// A search of one edition.
#[derive(Debug, Clone)]
pub struct SearchRequest<'a> {
    pub site: SiteId,
    /// The edition's language: which fields and analysis to use.
    pub lang: Lang,
    pub query: &'a SearchQuery,
    pub filters: SearchFilters,
    pub sort: SearchSort,
    pub now: OffsetDateTime,
    pub offset: usize,
    pub limit: usize,
}

/// One page of results and how many there are in all.
#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// One matching article.
#[derive(Debug, Clone)]
pub struct Hit {
    pub id: ArticleId,
    /// BM25 with field boosts and the recency boost (0 when sorted by date).
    pub score: f32,
    /// The headline as HTML: escaped, matched words in `<mark>`.
    pub headline_html: String,
    /// A passage of the body (or standfirst) as HTML: escaped, matched
    /// words in `<mark>`.
    pub snippet_html: String,
}

/// The index was opened as it was, or made anew (and must be filled).
pub struct Opened {
    pub index: SearchIndex,
    /// Why the index was made anew: it was missing, damaged, or written
    /// by another version. `None` when it opened as it was.
    pub rebuild_reason: Option<String>,
}

/// The full-text index. Searches run concurrently; changes take the
/// index's writer lock for their duration (one writer at a time, across
/// processes too).
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    analysis: Analysis,
    related: Mutex<RelatedCache>,
}

/// Related articles by article, with the searcher generation they were
/// computed on.
type RelatedCache = HashMap<ArticleId, (u64, Arc<Vec<ArticleId>>)>;

impl SearchIndex {
    /// Opens the index in `dir` (`<data_dir>/search`), making an empty one
    /// when it is missing, cannot be opened, fails its checksums or was
    /// written under another schema version. Nothing is lost by that: the
    /// index holds only what storage holds, and the caller refills it.
    pub fn open(dir: &Path) -> Result<Opened, SearchError> {
        let io = |source| SearchError::Io {
            path: dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let index_dir = dir.join("index");
        let version_file = dir.join("version");
        let (schema, fields) = schema::build();
        // A damaged file can make tantivy panic rather than fail; either
        // way the index is made anew.
        let existing = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            open_existing(&index_dir, &version_file, &schema)
        }))
        .unwrap_or_else(|_| Err("the index is damaged (reading it failed)".into()));
        match existing {
            Ok(index) => {
                clear_unfinished_commit(&index);
                Ok(Opened {
                    index: SearchIndex::wrap(index, fields, Analysis::Full)?,
                    rebuild_reason: None,
                })
            }
            Err(reason) => {
                if index_dir.exists() {
                    std::fs::remove_dir_all(&index_dir).map_err(io)?;
                }
                std::fs::create_dir_all(&index_dir).map_err(io)?;
                let index = Index::create_in_dir(&index_dir, schema)?;
                std::fs::write(&version_file, SCHEMA_VERSION).map_err(io)?;
                Ok(Opened {
                    index: SearchIndex::wrap(index, fields, Analysis::Full)?,
                    rebuild_reason: Some(reason),
                })
            }
        }
    }

    /// An empty index in memory (tests, benchmarks).
    pub fn in_memory(analysis: Analysis) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = schema::build();
        SearchIndex::wrap(Index::create_in_ram(schema), fields, analysis)
    }

    fn wrap(index: Index, fields: Fields, analysis: Analysis) -> Result<SearchIndex, SearchError> {
        register_tokenizers(&index, analysis);
        let reader = index
            .reader_builder()
            // Follows commits of other processes (`dateline search
            // reindex`); our own commits reload at once.
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            analysis,
            related: Mutex::new(HashMap::new()),
        })
    }

    /// How many articles the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn writer(&self, threads: usize, memory: usize) -> Result<IndexWriter, SearchError> {
        self.index
            .writer_with_num_threads(threads, memory)
            .map_err(|e| match e {
                TantivyError::LockFailure(..) => SearchError::Busy,
                e => SearchError::Index(e),
            })
    }

    /// Puts `upserts` in the index (replacing their earlier versions) and
    /// takes `removed` out, in one commit that also records `position`,
    /// how far the index has applied storage's search backlog
    /// ([`SearchIndex::position`]); searches see the change when this
    /// returns. [`SearchError::Busy`] while another process rebuilds.
    pub fn apply(
        &self,
        upserts: &[SearchDocument],
        removed: &[ArticleId],
        position: i64,
    ) -> Result<(), SearchError> {
        if upserts.is_empty() && removed.is_empty() && position == self.position() {
            return Ok(());
        }
        let mut writer = self.writer(1, UPDATE_MEMORY)?;
        // Small updates merge only small segments, which takes
        // milliseconds; the large segments of a rebuild are left alone
        // (their deleted documents go at the next rebuild).
        let mut policy = LogMergePolicy::default();
        policy.set_max_docs_before_merge(UPDATE_MERGE_MAX_DOCS);
        writer.set_merge_policy(Box::new(policy));
        for id in removed.iter().chain(upserts.iter().map(|d| &d.id)) {
            writer.delete_term(self.id_term(*id));
        }
        for doc in upserts {
            writer.add_document(self.document(doc))?;
        }
        commit_at(&mut writer, position)?;
        // Searchers see the change now; the merge wait only delays the
        // next batch.
        self.reader.reload()?;
        writer.wait_merging_threads()?;
        Ok(())
    }

    /// How far the index has applied storage's search backlog, as its
    /// last commit recorded it (0 for an index that never recorded one:
    /// it applies the backlog from its start).
    pub fn position(&self) -> i64 {
        self.index
            .load_metas()
            .ok()
            .and_then(|meta| meta.payload)
            .and_then(|payload| payload.strip_prefix(POSITION_PREFIX)?.parse().ok())
            .unwrap_or(0)
    }

    /// Starts replacing the whole index; readers see the old one until
    /// [`Rebuild::finish`].
    pub fn start_rebuild(self: &Arc<Self>) -> Result<Rebuild, SearchError> {
        let threads = std::thread::available_parallelism()
            .map_or(2, std::num::NonZero::get)
            .clamp(1, 4);
        let writer = self.writer(threads, threads * REBUILD_MEMORY_PER_THREAD)?;
        writer.delete_all_documents()?;
        Ok(Rebuild {
            index: self.clone(),
            writer,
            added: 0,
        })
    }

    fn id_term(&self, id: ArticleId) -> Term {
        Term::from_field_u64(self.fields.id, u64::try_from(id.0).unwrap_or(0))
    }

    fn document(&self, doc: &SearchDocument) -> TantivyDocument {
        let f = &self.fields;
        let id = |n: i64| u64::try_from(n).unwrap_or(0);
        let mut d = TantivyDocument::new();
        d.add_u64(f.id, id(doc.id.0));
        d.add_u64(f.site, id(doc.site.0));
        d.add_u64(f.section, id(doc.section.0));
        for (tag, _) in &doc.tags {
            d.add_u64(f.tag, id(tag.0));
        }
        for (author, _) in &doc.authors {
            d.add_u64(f.author, id(author.0));
        }
        d.add_i64(f.published, doc.published_at.unix_timestamp());
        let text = f.text(doc.lang);
        d.add_text(text.headline, &doc.headline);
        d.add_text(text.standfirst, &doc.standfirst);
        d.add_text(text.body, &doc.body_text);
        for (_, name) in &doc.tags {
            d.add_text(text.tags, name);
        }
        for (_, name) in &doc.authors {
            d.add_text(text.authors, name);
        }
        if !doc.source_credit.is_empty() {
            d.add_text(text.credit, &doc.source_credit);
        }
        d
    }

    /// One page of the articles matching a query, with the total count.
    /// [`SearchError::NoWords`] when nothing of the query is searchable.
    pub fn search(&self, request: &SearchRequest<'_>) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let text = *self.fields.text(request.lang);
        let tokenizer = DatelineTokenizer::new(request.lang, self.analysis);
        let matching =
            query::matching(&tokenizer, &text, request.query).ok_or(SearchError::NoWords)?;
        let full = BooleanQuery::new(vec![
            (Occur::Must, matching.box_clone()),
            (
                Occur::Must,
                query::filters(&self.fields, request.site, &request.filters, request.now),
            ),
        ]);
        let page = TopDocs::with_limit(request.limit.max(1)).and_offset(request.offset);
        let (found, total): (Vec<(f32, DocAddress)>, usize) = match request.sort {
            SearchSort::Relevance => {
                let now = request.now.unix_timestamp();
                let ranked = page.tweak_score(move |segment: &SegmentReader| {
                    let published = segment
                        .fast_fields()
                        .i64(schema::PUBLISHED)
                        .ok()
                        .map(|column| column.first_or_default_col(now));
                    move |doc, score: f32| {
                        let at = published.as_ref().map_or(now, |c| c.get_val(doc));
                        score * recency(now - at)
                    }
                });
                searcher.search(&full, &(ranked, Count))?
            }
            SearchSort::Date => {
                let newest = page.order_by_fast_field::<i64>(schema::PUBLISHED, Order::Desc);
                let (found, total) = searcher.search(&full, &(newest, Count))?;
                (found.into_iter().map(|(_, a)| (0.0, a)).collect(), total)
            }
        };
        let mut headlines = SnippetGenerator::create(&searcher, &*matching, text.headline)?;
        headlines.set_max_num_chars(1_000);
        let mut bodies = SnippetGenerator::create(&searcher, &*matching, text.body)?;
        bodies.set_max_num_chars(SNIPPET_CHARS);
        let mut standfirsts = SnippetGenerator::create(&searcher, &*matching, text.standfirst)?;
        standfirsts.set_max_num_chars(SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(found.len());
        for (score, address) in found {
            let doc: TantivyDocument = searcher.doc(address)?;
            let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_u64()) else {
                continue;
            };
            let stored = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            };
            let headline = stored(text.headline);
            let body = stored(text.body);
            let standfirst = stored(text.standfirst);
            let snippet_html = highlighted(&bodies, &body)
                .or_else(|| highlighted(&standfirsts, &standfirst))
                .unwrap_or_else(|| {
                    let lead = if standfirst.is_empty() {
                        &body
                    } else {
                        &standfirst
                    };
                    escape_html(&cut(lead, SNIPPET_CHARS))
                });
            hits.push(Hit {
                id: ArticleId(i64::try_from(id).unwrap_or(0)),
                score,
                headline_html: highlighted(&headlines, &headline)
                    .unwrap_or_else(|| escape_html(&headline)),
                snippet_html,
            });
        }
        Ok(SearchResults { total, hits })
    }

    /// Published articles of the same site most like an article, by the
    /// words of its headline, standfirst and body (a more-like-this
    /// query), most similar first; empty when the article is not in the
    /// index. Remembered until the index changes.
    /// The related articles already worked out for this index generation,
    /// without searching: cheap enough for an async thread.
    pub fn related_if_known(&self, id: ArticleId) -> Option<Arc<Vec<ArticleId>>> {
        let generation = self.reader.searcher().generation().generation_id();
        let cache = self.related.lock().ok()?;
        let (at, found) = cache.get(&id)?;
        (*at == generation).then(|| found.clone())
    }

    pub fn related(
        &self,
        site: SiteId,
        id: ArticleId,
        now: OffsetDateTime,
    ) -> Result<Arc<Vec<ArticleId>>, SearchError> {
        let searcher = self.reader.searcher();
        let generation = searcher.generation().generation_id();
        if let Ok(cache) = self.related.lock()
            && let Some((at, found)) = cache.get(&id)
            && *at == generation
        {
            return Ok(found.clone());
        }
        let this = TermQuery::new(self.id_term(id), IndexRecordOption::Basic);
        let address = searcher
            .search(&this, &TopDocs::with_limit(1).order_by_score())?
            .first()
            .map(|(_, a)| *a);
        let found = match address {
            None => Arc::new(Vec::new()),
            Some(address) => {
                let doc: TantivyDocument = searcher.doc(address)?;
                let lang = if doc.get_first(self.fields.ar.headline).is_some() {
                    Lang::Ar
                } else {
                    Lang::En
                };
                let text = self.fields.text(lang);
                let mut words = Vec::new();
                for field in [text.headline, text.standfirst, text.body] {
                    let values: Vec<OwnedValue> = doc
                        .get_all(field)
                        .filter_map(|v| v.as_str().map(OwnedValue::from))
                        .collect();
                    words.push((field, values));
                }
                let like = MoreLikeThisQuery::builder()
                    .with_min_doc_frequency(1)
                    .with_min_term_frequency(1)
                    .with_max_query_terms(25)
                    .with_min_word_length(2)
                    .with_document_fields(words);
                let query = BooleanQuery::new(vec![
                    (Occur::Must, Box::new(like) as Box<dyn Query>),
                    (
                        Occur::Must,
                        query::filters(&self.fields, site, &SearchFilters::default(), now),
                    ),
                    (Occur::MustNot, query::not_article(&self.fields, id)),
                ]);
                let top =
                    searcher.search(&query, &TopDocs::with_limit(RELATED_KEPT).order_by_score())?;
                // Stories that share only a few common words are not
                // related; the block fills up with the section's latest.
                let best = top.first().map_or(0.0, |(score, _)| *score);
                let mut ids = Vec::with_capacity(top.len());
                for (score, address) in top {
                    if score < best * RELATED_MIN_SHARE {
                        break;
                    }
                    let doc: TantivyDocument = searcher.doc(address)?;
                    if let Some(other) = doc.get_first(self.fields.id).and_then(|v| v.as_u64()) {
                        ids.push(ArticleId(i64::try_from(other).unwrap_or(0)));
                    }
                }
                Arc::new(ids)
            }
        };
        if let Ok(mut cache) = self.related.lock() {
            if cache.len() >= RELATED_CACHE_ENTRIES
                || cache
                    .values()
                    .next()
                    .is_some_and(|(at, _)| *at != generation)
            {
                cache.clear();
            }
            cache.insert(id, (generation, found.clone()));
        }
        Ok(found)
    }
}

/// A rebuild in progress: documents go in with [`Rebuild::add`], and
/// replace the whole index at [`Rebuild::finish`]. Dropped unfinished,
/// the old index stays.
pub struct Rebuild {
    index: Arc<SearchIndex>,
    writer: IndexWriter,
    added: u64,
}

impl Rebuild {
    pub fn add(&mut self, docs: &[SearchDocument]) -> Result<(), SearchError> {
        for doc in docs {
            self.writer.add_document(self.index.document(doc))?;
            self.added += 1;
        }
        Ok(())
    }

    /// Commits the new index, which holds storage as it was at `position`
    /// of the search backlog; returns how many articles it holds.
    pub fn finish(mut self, position: i64) -> Result<u64, SearchError> {
        commit_at(&mut self.writer, position)?;
        self.writer.wait_merging_threads()?;
        self.index.reader.reload()?;
        Ok(self.added)
    }
}

/// How a commit names its backlog position (the commit's payload).
const POSITION_PREFIX: &str = "search-backlog-position ";

/// Commits with the backlog position as the commit's payload, so the
/// position and the documents it stands for are durable together.
fn commit_at(writer: &mut IndexWriter, position: i64) -> Result<(), SearchError> {
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&format!("{POSITION_PREFIX}{position}"));
    commit.commit()?;
    Ok(())
}

/// Opens the index of a previous run, or says why it cannot be used.
fn open_existing(
    index_dir: &Path,
    version_file: &Path,
    schema: &tantivy::schema::Schema,
) -> Result<Index, String> {
    if !index_dir.join("meta.json").exists() {
        return Err("there is no index yet".into());
    }
    let version = std::fs::read_to_string(version_file).unwrap_or_default();
    if version.trim() != SCHEMA_VERSION {
        return Err(format!(
            "the index was written by another version ({:?}, this is {SCHEMA_VERSION:?})",
            version.trim()
        ));
    }
    let index =
        Index::open_in_dir(index_dir).map_err(|e| format!("the index cannot be opened: {e}"))?;
    if index.schema() != *schema {
        return Err("the index has other fields".into());
    }
    let damaged = index
        .validate_checksum()
        .map_err(|e| format!("the index cannot be checked: {e}"))?;
    if !damaged.is_empty() {
        return Err(format!("damaged index files: {damaged:?}"));
    }
    // Files can pass their checksums and still not parse.
    register_tokenizers(&index, Analysis::Full);
    let reader = index
        .reader()
        .map_err(|e| format!("the index cannot be read: {e}"))?;
    reader.searcher();
    Ok(index)
}

/// Deletes the files a process killed during a commit left behind (those
/// the last complete commit does not name). tantivy would trip over them:
/// a commit names a segment's delete file by the commit's operation stamp,
/// which the next process's first commit reaches again when it applies the
/// same changes (the search backlog's), and tantivy refuses to overwrite
/// the file ("File already exists: '….del'"). Skipped while another
/// process holds the writer: its next commit clears them.
fn clear_unfinished_commit(index: &Index) {
    let Ok(writer) = index.writer_with_num_threads::<TantivyDocument>(1, UPDATE_MEMORY) else {
        return;
    };
    match writer.garbage_collect_files().wait() {
        Ok(collected) if !collected.deleted_files.is_empty() => tracing::info!(
            files = collected.deleted_files.len(),
            "removed the files of an unfinished index commit"
        ),
        Ok(_) => {}
        Err(error) => {
            tracing::warn!(%error, "cannot remove the files of an unfinished index commit")
        }
    }
}

fn register_tokenizers(index: &Index, analysis: Analysis) {
    for lang in Lang::ALL {
        index.tokenizers().register(
            DatelineTokenizer::name(lang),
            DatelineTokenizer::new(lang, analysis),
        );
    }
}

/// The recency factor of an article published `age` seconds ago.
fn recency(age: i64) -> f32 {
    let days = (age.max(0) as f32) / 86_400.0;
    1.0 + RECENCY_WEIGHT * 0.5_f32.powf(days / RECENCY_HALF_LIFE_DAYS)
}

/// `text` with matched words in `<mark>`; `None` when nothing matched.
fn highlighted(generator: &SnippetGenerator, text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    let mut snippet = generator.snippet(text);
    if snippet.is_empty() {
        return None;
    }
    snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
    Some(snippet.to_html())
}

/// At most `max` characters of `text`, cut at a space, with an ellipsis
/// when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max).collect();
    let head = head.rsplit_once(' ').map_or(head.as_str(), |(h, _)| h);
    format!("{head}…")
}

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
