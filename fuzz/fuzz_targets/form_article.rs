//! The newsroom's article form (`POST /newsroom/articles/…`), decoded as
//! the editor decodes it (`parse_editor_form`: one pair per field, one
//! per chosen author) and checked by `core::editing::ArticleInput::check`.
//!
//! Checks: nothing panics on any body; accepted content reopened in the
//! editor and saved again (`to_input` then `check`) is the same content
//! (so slugs, tags and the sanitised body are fixed points), its body is
//! sanitised, and comparing it with itself finds no change.

#![no_main]

mod common;

use dateline_core::dates::SiteTimeZone;
use dateline_core::editing::{ArticleInput, Choices, MediaId, diff, sanitize_body};
use dateline_core::{AuthorId, SectionId};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

static ZONE: LazyLock<SiteTimeZone> =
    LazyLock::new(|| SiteTimeZone::parse("Asia/Beirut").unwrap_or_else(|e| panic!("{e}")));

/// As `dateline_web::newsroom::articles::editor::parse_editor_form`.
fn parse_editor_form(pairs: &[(String, String)]) -> ArticleInput {
    let mut input = ArticleInput::default();
    for (key, value) in pairs {
        let value = value.clone();
        match key.as_str() {
            "headline" => input.headline = value,
            "seo_title" => input.seo_title = value,
            "slug" => input.slug = value,
            "standfirst" => input.standfirst = value,
            "body_html" => input.body_html = value,
            "section" => input.section = value,
            "tags" => input.tags = value,
            "authors" => input.authors.push(value),
            "dateline_place" => input.dateline_place = value,
            "source_credit" => input.source_credit = value,
            "lead_media" => input.lead_media = value,
            "lead_caption" => input.lead_caption = value,
            "lead_credit" => input.lead_credit = value,
            "lead_alt" => input.lead_alt = value,
            "translation_of" => input.translation_of = value,
            "publish_at" => input.publish_at = value,
            "minor" => input.minor = !value.is_empty(),
            "comment_mode" => input.comment_mode = value,
            _ => {}
        }
    }
    input
}

fuzz_target!(|data: &[u8]| {
    let input = parse_editor_form(&common::pairs(data));
    let choices = Choices {
        sections: &[SectionId(1), SectionId(2)],
        authors: &[AuthorId(1), AuthorId(2)],
        media: &[MediaId(5)],
        time_zone: &ZONE,
    };
    let Ok(checked) = input.check(&choices) else {
        return;
    };
    let content = checked.content;
    assert_eq!(sanitize_body(&content.body_html), content.body_html);
    let again = content
        .to_input()
        .check(&choices)
        .unwrap_or_else(|e| panic!("saved content refused when saved again: {e:?}\n{content:?}"));
    assert_eq!(again.content, content);
    assert!(diff(&content, &again.content).is_empty());
});
