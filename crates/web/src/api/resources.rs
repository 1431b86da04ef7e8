//! What the API sends: articles, sections, tags and authors as JSON, with
//! absolute canonical URLs built as the feeds and JSON-LD build them, and
//! times in RFC 3339 UTC. `openapi.json` describes each shape; the
//! end-to-end tests check the two agree.

use crate::AppState;
use crate::network::Edition;
use dateline_core::{
    Article, ArticleId, ArticleState, ArticleSummary, Author, LeadImage, Section, article_path,
};
use dateline_store::{EditableArticle, TagUse};
use serde::Serialize;
use time::OffsetDateTime;

/// A section as an article names it.
#[derive(Serialize)]
pub(super) struct SectionRef {
    pub slug: String,
    pub name: String,
}

#[derive(Serialize)]
pub(super) struct Image {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub caption: String,
    pub credit: String,
    pub alt: String,
}

/// A line of the article list.
#[derive(Serialize)]
pub(super) struct Summary {
    pub id: ArticleId,
    pub url: String,
    pub headline: String,
    pub standfirst: String,
    pub section: SectionRef,
    pub published_at: String,
    pub updated_at: String,
    pub lead_image: Option<Image>,
}

#[derive(Serialize)]
pub(super) struct TagRef {
    pub slug: String,
    pub name: String,
}

#[derive(Serialize)]
pub(super) struct AuthorRef {
    pub slug: String,
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub(super) struct CorrectionNote {
    pub note: String,
    pub at: String,
}

#[derive(Serialize)]
pub(super) struct Translation {
    pub lang: &'static str,
    pub url: String,
}

/// One article with everything its page shows. `published_at` is null only
/// in the newsroom's view of an article not published yet.
#[derive(Serialize)]
pub(super) struct ArticleBody {
    pub id: ArticleId,
    pub url: String,
    pub headline: String,
    pub standfirst: String,
    pub section: SectionRef,
    pub published_at: Option<String>,
    pub updated_at: String,
    pub lead_image: Option<Image>,
    pub body_html: String,
    pub seo_title: String,
    pub slug: String,
    pub dateline_place: String,
    pub source_credit: String,
    pub tags: Vec<TagRef>,
    pub authors: Vec<AuthorRef>,
    pub corrections: Vec<CorrectionNote>,
    pub translations: Vec<Translation>,
}

/// An article as a token holder sees it: any state, with what a write needs.
#[derive(Serialize)]
pub(super) struct NewsroomArticle {
    #[serde(flatten)]
    pub article: ArticleBody,
    pub state: ArticleState,
    /// Send it back with the next update.
    pub version: i64,
    pub lead_media: Option<i64>,
}

#[derive(Serialize)]
pub(super) struct SectionItem {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub(super) struct TagItem {
    pub slug: String,
    pub name: String,
    pub url: String,
    pub article_count: i64,
}

#[derive(Serialize)]
pub(super) struct AuthorItem {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub url: String,
}

fn image(edition: &Edition, image: &LeadImage) -> Image {
    Image {
        url: edition.canonical(&format!("/media/{}", image.path)),
        width: image.width,
        height: image.height,
        caption: image.caption.clone(),
        credit: image.credit.clone(),
        alt: image.alt.clone(),
    }
}

pub(super) fn summary(edition: &Edition, a: &ArticleSummary) -> Summary {
    Summary {
        id: a.id,
        url: edition.canonical(&article_path(&a.section_slug, a.id, &a.slug)),
        headline: a.headline.clone(),
        standfirst: a.standfirst.clone(),
        section: SectionRef {
            slug: a.section_slug.to_string(),
            name: a.section_name.clone(),
        },
        published_at: crate::render::stamps::iso(a.published_at),
        updated_at: crate::render::stamps::iso(a.updated_at),
        lead_image: a.lead_image.as_ref().map(|i| image(edition, i)),
    }
}

/// The full article, with its published translations in sister editions.
pub(super) async fn article(
    app: &AppState,
    edition: &Edition,
    a: &Article,
    now: OffsetDateTime,
) -> Result<ArticleBody, super::ApiError> {
    let mut translations = Vec::new();
    if let Some(group) = &a.translation_group {
        let network = app.network();
        for link in app.db.translations(group, a.id, now).await?.iter() {
            if let Some(other) = network.sites.iter().find(|e| e.site.id == link.site) {
                let path = article_path(&link.section_slug, link.id, &link.slug);
                translations.push(Translation {
                    lang: other.site.lang.code(),
                    url: format!("{}{path}", edition.base_of(&other.site)),
                });
            }
        }
    }
    Ok(ArticleBody {
        id: a.id,
        url: edition.canonical(&article_path(&a.section.slug, a.id, &a.slug)),
        headline: a.headline.clone(),
        standfirst: a.standfirst.clone(),
        section: SectionRef {
            slug: a.section.slug.to_string(),
            name: a.section.name.clone(),
        },
        published_at: a.published_at.map(crate::render::stamps::iso),
        updated_at: crate::render::stamps::iso(a.updated_at),
        lead_image: a.lead_image.as_ref().map(|i| image(edition, i)),
        body_html: a.body_html.clone(),
        seo_title: a.seo_title.clone(),
        slug: a.slug.to_string(),
        dateline_place: a.dateline_place.clone(),
        source_credit: a.source_credit.clone(),
        tags: a
            .tags
            .iter()
            .map(|t| TagRef {
                slug: t.slug.to_string(),
                name: t.name.clone(),
            })
            .collect(),
        authors: a
            .authors
            .iter()
            .map(|w| AuthorRef {
                slug: w.slug.to_string(),
                name: w.name.clone(),
                url: edition.canonical(&format!("/author/{}", w.slug)),
            })
            .collect(),
        corrections: a
            .corrections
            .iter()
            .map(|c| CorrectionNote {
                note: c.note.clone(),
                at: crate::render::stamps::iso(c.at),
            })
            .collect(),
        translations,
    })
}

pub(super) async fn newsroom_article(
    app: &AppState,
    edition: &Edition,
    a: &Article,
    editable: &EditableArticle,
) -> Result<NewsroomArticle, super::ApiError> {
    Ok(NewsroomArticle {
        article: article(app, edition, a, OffsetDateTime::now_utc()).await?,
        state: editable.status.state,
        version: editable.version,
        lead_media: editable.content.lead_media.map(|m| m.0),
    })
}

pub(super) fn section(edition: &Edition, s: &Section) -> SectionItem {
    SectionItem {
        id: s.id.0,
        slug: s.slug.to_string(),
        name: s.name.clone(),
        url: edition.canonical(&format!("/{}", s.slug)),
    }
}

pub(super) fn tag(edition: &Edition, t: &TagUse) -> TagItem {
    TagItem {
        slug: t.tag.slug.to_string(),
        name: t.tag.name.clone(),
        url: edition.canonical(&format!("/tag/{}", t.tag.slug)),
        article_count: t.articles,
    }
}

pub(super) fn author(edition: &Edition, a: &Author) -> AuthorItem {
    AuthorItem {
        id: a.id.0,
        slug: a.slug.to_string(),
        name: a.name.clone(),
        bio: a.bio.clone(),
        url: edition.canonical(&format!("/author/{}", a.slug)),
    }
}
