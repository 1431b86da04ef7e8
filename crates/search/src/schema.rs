//! The fields of the index. Text fields exist once per edition language,
//! each analysed by that language's tokenizer; ids and times are indexed
//! for filters and kept as fast fields for sorting and the recency boost.

use crate::analysis::DatelineTokenizer;
use dateline_core::Lang;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions,
};

/// Bump when fields or analysis change: an index written under another
/// version is rebuilt at start.
pub const SCHEMA_VERSION: &str = "dateline-search-2";

/// The text fields of one language.
#[derive(Debug, Clone, Copy)]
pub struct TextFields {
    pub headline: Field,
    pub standfirst: Field,
    pub body: Field,
    pub tags: Field,
    pub authors: Field,
    pub credit: Field,
}

/// Every field of the index.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub id: Field,
    pub site: Field,
    pub section: Field,
    pub tag: Field,
    pub author: Field,
    /// Publication time, Unix seconds.
    pub published: Field,
    pub en: TextFields,
    pub ar: TextFields,
}

impl Fields {
    pub fn text(&self, lang: Lang) -> &TextFields {
        match lang {
            Lang::En => &self.en,
            Lang::Ar => &self.ar,
        }
    }
}

/// Field names, also used with fast-field readers.
pub const ID: &str = "id";
pub const PUBLISHED: &str = "published";

/// Builds the schema and says where each field is.
pub fn build() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let id = builder.add_u64_field(ID, INDEXED | FAST | STORED);
    let site = builder.add_u64_field("site", INDEXED | FAST);
    let section = builder.add_u64_field("section", INDEXED);
    let tag = builder.add_u64_field("tag", INDEXED);
    let author = builder.add_u64_field("author", INDEXED);
    let published = builder.add_i64_field(PUBLISHED, INDEXED | FAST);
    let mut text_fields = |lang: Lang| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(DatelineTokenizer::name(lang))
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let searched = TextOptions::default().set_indexing_options(indexing);
        // Stored: snippets and related articles are computed from them.
        let shown = searched.clone().set_stored();
        let code = lang.code();
        TextFields {
            headline: builder.add_text_field(&format!("headline_{code}"), shown.clone()),
            standfirst: builder.add_text_field(&format!("standfirst_{code}"), shown.clone()),
            body: builder.add_text_field(&format!("body_{code}"), shown),
            tags: builder.add_text_field(&format!("tags_{code}"), searched.clone()),
            authors: builder.add_text_field(&format!("authors_{code}"), searched.clone()),
            credit: builder.add_text_field(&format!("credit_{code}"), searched),
        }
    };
    let en = text_fields(Lang::En);
    let ar = text_fields(Lang::Ar);
    let fields = Fields {
        id,
        site,
        section,
        tag,
        author,
        published,
        en,
        ar,
    };
    (builder.build(), fields)
}
