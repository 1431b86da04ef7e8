//! Search as the domain sees it: what of an article is searchable, what a
//! reader's query means (words and quoted phrases), the filters and sort
//! orders a search takes, and the limits that keep a query cheap. The
//! index itself, and the analysis of words, live in the `search` crate.

use crate::lang::Lang;
use crate::{ArticleId, AuthorId, SectionId, SiteId, TagId};
use time::OffsetDateTime;

/// A query longer than this is refused with a message, not cut silently.
pub const MAX_QUERY_CHARS: usize = 300;
/// At most this many words and phrases count; the rest are ignored.
pub const MAX_QUERY_PARTS: usize = 24;

/// A published article as the index stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDocument {
    pub id: ArticleId,
    pub site: SiteId,
    /// The language of the edition: which analysis its text gets.
    pub lang: Lang,
    pub section: SectionId,
    pub headline: String,
    pub standfirst: String,
    /// The body as plain text ([`html_to_text`]).
    pub body_text: String,
    pub source_credit: String,
    pub tags: Vec<(TagId, String)>,
    pub authors: Vec<(AuthorId, String)>,
    pub published_at: OffsetDateTime,
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SearchSort {
    /// BM25 with the headline boosted, nudged towards recent articles.
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

impl SearchSort {
    /// `relevance` or `date` (the URL parameter); `None` for anything else.
    pub fn parse(text: &str) -> Option<SearchSort> {
        match text {
            "relevance" => Some(SearchSort::Relevance),
            "date" => Some(SearchSort::Date),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SearchSort::Relevance => "relevance",
            SearchSort::Date => "date",
        }
    }
}

/// Which articles of a site a search considers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SearchFilters {
    pub section: Option<SectionId>,
    pub tag: Option<TagId>,
    pub author: Option<AuthorId>,
    /// Published at or after.
    pub from: Option<OffsetDateTime>,
    /// Published before.
    pub until: Option<OffsetDateTime>,
}

/// One part of a query: loose words, or words that must appear together
/// in this order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryPart {
    Word(String),
    Phrase(String),
}

/// A reader's query, split into words and quoted phrases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    pub parts: Vec<QueryPart>,
}

/// Why a query cannot run, each with a message for the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QueryProblem {
    #[error("type something to search for")]
    Empty,
    #[error("a search may have at most {MAX_QUERY_CHARS} characters")]
    TooLong,
}

impl QueryProblem {
    /// The id of the message shown to readers.
    pub fn message_id(self) -> &'static str {
        match self {
            QueryProblem::Empty => "search-empty",
            QueryProblem::TooLong => "search-too-long",
        }
    }
}

impl SearchQuery {
    /// Reads a query as readers type it. Text in double quotes (straight,
    /// curly or guillemets) is a phrase; a quote left open runs to the
    /// end. Every other character is text: there is no operator syntax
    /// to get wrong, so `C++ (2016)` or `a:b` simply search for their
    /// words.
    pub fn parse(raw: &str) -> Result<SearchQuery, QueryProblem> {
        let raw = raw.trim();
        if raw.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryProblem::TooLong);
        }
        let mut parts = Vec::new();
        let mut current = String::new();
        let mut in_phrase = false;
        let flush = |text: &mut String, phrase: bool, parts: &mut Vec<QueryPart>| {
            let trimmed = text.trim();
            if !trimmed.is_empty() {
                if phrase {
                    parts.push(QueryPart::Phrase(trimmed.to_owned()));
                } else {
                    parts.extend(
                        trimmed
                            .split_whitespace()
                            .map(|w| QueryPart::Word(w.to_owned())),
                    );
                }
            }
            text.clear();
        };
        for c in raw.chars() {
            if matches!(c, '"' | '“' | '”' | '«' | '»' | '„') {
                flush(&mut current, in_phrase, &mut parts);
                in_phrase = !in_phrase;
            } else {
                current.push(c);
            }
        }
        flush(&mut current, in_phrase, &mut parts);
        parts.truncate(MAX_QUERY_PARTS);
        if parts.is_empty() {
            return Err(QueryProblem::Empty);
        }
        Ok(SearchQuery { parts })
    }
}

/// The text of an HTML fragment (a sanitised article body): tags
/// removed, block ends turned into spaces, the common entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            match rest.find('>') {
                Some(end) => {
                    out.push(' ');
                    rest = &rest[end + 1..];
                }
                None => {
                    rest = "";
                }
            }
        } else {
            // An entity ends within 12 bytes. Searched as bytes: 12 bytes
            // may end inside a character, and `;` is ASCII.
            let end = rest.as_bytes()[..rest.len().min(12)]
                .iter()
                .position(|&b| b == b';');
            let decoded = end.and_then(|end| decode_entity(&rest[1..end]).map(|c| (c, end)));
            match decoded {
                Some((c, end)) => {
                    out.push(c);
                    rest = &rest[end + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    let mut text = String::with_capacity(out.len());
    for word in out.split_whitespace() {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(word);
    }
    text
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(parts: &[&str]) -> Vec<QueryPart> {
        parts.iter().map(|w| QueryPart::Word((*w).into())).collect()
    }

    #[test]
    fn words_and_quoted_phrases_are_told_apart() {
        let q = SearchQuery::parse(r#"oil "central bank" Beirut"#).unwrap();
        assert_eq!(
            q.parts,
            vec![
                QueryPart::Word("oil".into()),
                QueryPart::Phrase("central bank".into()),
                QueryPart::Word("Beirut".into()),
            ]
        );
        let q = SearchQuery::parse("«وزير الخارجية»").unwrap();
        assert_eq!(q.parts, vec![QueryPart::Phrase("وزير الخارجية".into())]);
    }

    #[test]
    fn an_unbalanced_quote_runs_to_the_end() {
        let q = SearchQuery::parse(r#"budget "central bank"#).unwrap();
        assert_eq!(
            q.parts,
            vec![
                QueryPart::Word("budget".into()),
                QueryPart::Phrase("central bank".into())
            ]
        );
        assert_eq!(SearchQuery::parse(r#"""#).unwrap_err(), QueryProblem::Empty);
    }

    #[test]
    fn syntax_characters_are_plain_text() {
        let q = SearchQuery::parse("a:b (c) +d -e").unwrap();
        assert_eq!(q.parts, words(&["a:b", "(c)", "+d", "-e"]));
    }

    #[test]
    fn empty_and_overlong_queries_are_refused() {
        assert_eq!(SearchQuery::parse("   ").unwrap_err(), QueryProblem::Empty);
        let long = "word ".repeat(2_000);
        assert_eq!(
            SearchQuery::parse(&long).unwrap_err(),
            QueryProblem::TooLong
        );
        let many = "w ".repeat(100);
        assert_eq!(
            SearchQuery::parse(&many).unwrap().parts.len(),
            MAX_QUERY_PARTS
        );
    }

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            html_to_text(
                "<p>Oil &amp; gas</p><p>in&nbsp;<b>Beirut</b>&#33; &#x41; &bogus; a < b</p>"
            ),
            "Oil & gas in Beirut ! A &bogus; a"
        );
        assert_eq!(html_to_text("<p>الوزيرة</p>"), "الوزيرة");
    }

    #[test]
    fn an_entity_before_arabic_text_is_decoded_whatever_the_byte_count() {
        // Found by fuzzing: looking for the `;` in the first 12 bytes cut
        // the `ز` (bytes 11 and 12) in two, and panicked.
        assert_eq!(html_to_text("&amp;الوزير"), "&الوزير");
        assert_eq!(html_to_text("&nbsp; الوزير"), "الوزير");
        assert_eq!(html_to_text("&aaaaaaaaaé"), "&aaaaaaaaaé");
    }
}
