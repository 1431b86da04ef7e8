//! Turns a reader's query and filters into tantivy queries: every word or
//! phrase must match (in any text field, the headline weighing most), the
//! filters restrict without scoring.

use crate::analysis::DatelineTokenizer;
use crate::schema::{Fields, TextFields};
use dateline_core::search::{QueryPart, SearchFilters, SearchQuery};
use dateline_core::{ArticleId, SiteId};
use std::ops::Bound;
use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use time::OffsetDateTime;

/// How much a match in each field counts.
const HEADLINE_BOOST: f32 = 3.0;
const STANDFIRST_BOOST: f32 = 1.5;
const TAGS_BOOST: f32 = 2.0;
const AUTHORS_BOOST: f32 = 2.0;
const BODY_BOOST: f32 = 1.0;
const CREDIT_BOOST: f32 = 1.0;

fn weighted(text: &TextFields) -> [(Field, f32); 6] {
    [
        (text.headline, HEADLINE_BOOST),
        (text.standfirst, STANDFIRST_BOOST),
        (text.body, BODY_BOOST),
        (text.tags, TAGS_BOOST),
        (text.authors, AUTHORS_BOOST),
        (text.credit, CREDIT_BOOST),
    ]
}

/// The part of the query that matches text; `None` when no word of the
/// query survives analysis (only stop words or punctuation).
pub fn matching(
    tokenizer: &DatelineTokenizer,
    text: &TextFields,
    query: &SearchQuery,
) -> Option<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for part in &query.parts {
        let (QueryPart::Word(words) | QueryPart::Phrase(words)) = part;
        let tokens = tokenizer.terms(words);
        let Some(first) = tokens.first() else {
            continue;
        };
        let base = first.position;
        let terms: Vec<(usize, &str)> = tokens
            .iter()
            .map(|t| (t.position - base, t.text.as_str()))
            .collect();
        let mut fields: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (field, boost) in weighted(text) {
            let one: Box<dyn Query> = if let [(_, term)] = terms.as_slice() {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, term),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new_with_offset(
                    terms
                        .iter()
                        .map(|(offset, term)| (*offset, Term::from_field_text(field, term)))
                        .collect(),
                ))
            };
            fields.push((Occur::Should, Box::new(BoostQuery::new(one, boost))));
        }
        clauses.push((Occur::Must, Box::new(BooleanQuery::new(fields))));
    }
    if clauses.is_empty() {
        None
    } else {
        Some(Box::new(BooleanQuery::new(clauses)))
    }
}

fn id_term(field: Field, id: i64) -> Term {
    Term::from_field_u64(field, u64::try_from(id).unwrap_or(0))
}

/// Articles of the site published by `now` that pass the filters, as a
/// query that adds nothing to scores.
pub fn filters(
    fields: &Fields,
    site: SiteId,
    filters: &SearchFilters,
    now: OffsetDateTime,
) -> Box<dyn Query> {
    // Published by now, and before `until` (exclusive; times are whole
    // seconds).
    let latest = filters
        .until
        .map_or(now, |until| (until - time::Duration::SECOND).min(now));
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Must, term(id_term(fields.site, site.0))),
        (
            Occur::Must,
            Box::new(RangeQuery::new(
                filters.from.map_or(Bound::Unbounded, |from| {
                    Bound::Included(Term::from_field_i64(
                        fields.published,
                        from.unix_timestamp(),
                    ))
                }),
                Bound::Included(Term::from_field_i64(
                    fields.published,
                    latest.unix_timestamp(),
                )),
            )),
        ),
    ];
    if let Some(section) = filters.section {
        clauses.push((Occur::Must, term(id_term(fields.section, section.0))));
    }
    if let Some(tag) = filters.tag {
        clauses.push((Occur::Must, term(id_term(fields.tag, tag.0))));
    }
    if let Some(author) = filters.author {
        clauses.push((Occur::Must, term(id_term(fields.author, author.0))));
    }
    Box::new(ConstScoreQuery::new(
        Box::new(BooleanQuery::new(clauses)),
        0.0,
    ))
}

/// Everything but one article.
pub fn not_article(fields: &Fields, id: ArticleId) -> Box<dyn Query> {
    term(id_term(fields.id, id.0))
}

fn term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}
