//! The things a news network publishes: sites (editions), sections, tags,
//! authors and articles, as the rest of Dateline sees them.
//!
//! Every row belongs to one site; an article may share a translation group
//! with its counterparts in the other editions.

use crate::dates::{DatePattern, SiteTimeZone};
use crate::lang::Lang;
use crate::slug::Slug;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A site (one edition of a brand) of the network.
    SiteId,
    /// An article, unique across the whole network.
    ArticleId,
    SectionId,
    TagId,
    AuthorId,
);

/// One edition of a news brand: its language, address and house style.
#[derive(Debug, Clone)]
pub struct Site {
    pub id: SiteId,
    /// Stable short name, e.g. `courier-en`; used in configuration and logs.
    pub key: String,
    pub name: String,
    pub lang: Lang,
    pub description: String,
    /// Host names that select this site (`www.example.com`).
    pub hostnames: Vec<String>,
    /// Path prefix that selects this site on any host (`ar` for `/ar/`);
    /// empty for the network's default site.
    pub path_prefix: String,
    /// Absolute base URL used in canonical links, e.g. `https://example.com/ar`.
    pub base_url: String,
    /// Editions of one brand share a group; used for the language switcher.
    pub edition_group: String,
    pub time_zone: SiteTimeZone,
    pub formats: DateFormats,
    pub social: SocialLinks,
    pub footer: FooterLines,
    /// The publishing terms readers accept when they comment.
    pub terms_of_use: String,
    /// The site's logo, an image of its media library.
    pub logo: Option<crate::editing::MediaId>,
    /// Path of the logo under the media root.
    pub logo_path: Option<String>,
    pub comments: CommentSettings,
    /// What the site's feeds carry of each article.
    pub feed_content: FeedContent,
}

/// What feeds (RSS, Atom, JSON Feed) carry of each article: the whole
/// text, or the standfirst only, sending readers to the site for the rest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedContent {
    #[default]
    Full,
    Summary,
}

impl FeedContent {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedContent::Full => "full",
            FeedContent::Summary => "summary",
        }
    }

    pub fn parse(text: &str) -> Option<FeedContent> {
        match text {
            "full" => Some(FeedContent::Full),
            "summary" => Some(FeedContent::Summary),
            _ => None,
        }
    }
}

/// How a site takes reader comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentSettings {
    pub policy: crate::comments::CommentPolicy,
    pub security: crate::comments::SecurityMode,
    /// Terms that hold a comment for review, one per entry.
    pub banned_terms: Vec<String>,
    pub reputation: crate::comments::ReputationPolicy,
    /// The classifier holds comments it scores at or above this (percent).
    pub classifier_hold_percent: u32,
}

/// A site's date patterns, see [`crate::dates`].
#[derive(Debug, Clone)]
pub struct DateFormats {
    /// Stamps on article lists (`GMT 10:18 2016 Wednesday ,23 March`).
    pub list: DatePattern,
    /// The article's published line.
    pub published: DatePattern,
    /// The "Last Updated" stamp (`GMT 05:17:37`).
    pub updated: DatePattern,
}

/// Profiles of the site on social networks; empty strings are not shown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SocialLinks {
    pub facebook: String,
    pub twitter: String,
    pub youtube: String,
}

/// The lines at the foot of every page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FooterLines {
    /// `Maintained and developed by … SAL.`
    pub publisher: String,
    /// `All rights reserved to … 2025 ©`
    pub copyright: String,
    /// Postal address, in whatever script the publisher writes it.
    pub address: String,
}

/// A section of a site (Politics, Business…), in menu order.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: SectionId,
    pub site_id: SiteId,
    pub slug: Slug,
    pub name: String,
    pub position: i64,
    /// Overrides the site's comment mode for the section's articles.
    pub comment_mode: Option<crate::comments::CommentMode>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    pub id: TagId,
    pub slug: Slug,
    pub name: String,
}

/// A staff writer as shown on bylines and author pages.
#[derive(Debug, Clone, Serialize)]
pub struct Author {
    pub id: AuthorId,
    pub slug: Slug,
    pub name: String,
    pub bio: String,
    /// Path of the author's photo under the media root.
    pub photo_path: Option<String>,
}

/// Where an article is in the editorial workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleState {
    Draft,
    InReview,
    Scheduled,
    Published,
    Unpublished,
}

impl ArticleState {
    pub fn as_str(self) -> &'static str {
        match self {
            ArticleState::Draft => "draft",
            ArticleState::InReview => "in_review",
            ArticleState::Scheduled => "scheduled",
            ArticleState::Published => "published",
            ArticleState::Unpublished => "unpublished",
        }
    }

    pub fn parse(s: &str) -> Option<ArticleState> {
        Some(match s {
            "draft" => ArticleState::Draft,
            "in_review" => ArticleState::InReview,
            "scheduled" => ArticleState::Scheduled,
            "published" => ArticleState::Published,
            "unpublished" => ArticleState::Unpublished,
            _ => return None,
        })
    }
}

/// The photo at the top of an article.
#[derive(Debug, Clone, Serialize)]
pub struct LeadImage {
    /// Path under the media root, e.g. `demo/1234.svg`.
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub caption: String,
    pub credit: String,
    pub alt: String,
    /// Resized copies for `srcset`, narrowest first.
    pub variants: Vec<ImageVariant>,
    /// Crops in the ratios search engines ask for (16x9, 4x3, 1x1).
    pub crops: Vec<ImageCrop>,
}

/// A crop of an image in one aspect ratio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageCrop {
    /// `16x9`, `4x3` or `1x1`.
    pub ratio: String,
    pub width: u32,
    pub height: u32,
    /// Path under the media root.
    pub path: String,
}

/// The aspect ratios Google asks news articles' images in.
pub const CROP_RATIOS: [(u32, u32); 3] = [(16, 9), (4, 3), (1, 1)];

/// The largest `[x, y, width, height]` of a `width`×`height` picture in the
/// ratio `rw:rh`, centred.
pub fn crop_box(width: u32, height: u32, rw: u32, rh: u32) -> [u32; 4] {
    let (w, h) = (u64::from(width), u64::from(height));
    let (rw, rh) = (u64::from(rw.max(1)), u64::from(rh.max(1)));
    let (cw, ch) = if w * rh > h * rw {
        (h * rw / rh, h)
    } else {
        (w, w * rh / rw)
    };
    let clamp = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    [
        clamp((w - cw) / 2),
        clamp((h - ch) / 2),
        clamp(cw.max(1)),
        clamp(ch.max(1)),
    ]
}

/// Reads crops as stored: one `<ratio> <width> <height> <path>` per line.
pub fn parse_crops(text: &str) -> Vec<ImageCrop> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, ' ');
            Some(ImageCrop {
                ratio: parts.next()?.to_owned(),
                width: parts.next()?.parse().ok()?,
                height: parts.next()?.parse().ok()?,
                path: parts.next()?.to_owned(),
            })
        })
        .collect()
}

/// Writes crops in their stored form.
pub fn format_crops(crops: &[ImageCrop]) -> String {
    crops
        .iter()
        .map(|c| format!("{} {} {} {}", c.ratio, c.width, c.height, c.path))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A resized copy of an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageVariant {
    pub width: u32,
    /// Path under the media root.
    pub path: String,
}

/// Reads variants as stored: one `<width> <path>` per line.
pub fn parse_variants(text: &str) -> Vec<ImageVariant> {
    text.lines()
        .filter_map(|line| {
            let (width, path) = line.split_once(' ')?;
            Some(ImageVariant {
                width: width.parse().ok()?,
                path: path.to_owned(),
            })
        })
        .collect()
}

/// Writes variants in their stored form.
pub fn format_variants(variants: &[ImageVariant]) -> String {
    variants
        .iter()
        .map(|v| format!("{} {}", v.width, v.path))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An article as readers see it, with the names of what it links to.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: ArticleId,
    pub site_id: SiteId,
    pub section: Section,
    pub state: ArticleState,
    pub headline: String,
    /// Title for search engines and the browser tab; falls back to the headline.
    pub seo_title: String,
    pub slug: Slug,
    pub standfirst: String,
    /// Sanitised HTML: paragraphs, subheadings, quotes, links, lists.
    pub body_html: String,
    /// Place of the dateline (`Beirut`); the outlet comes from the site.
    pub dateline_place: String,
    /// Wire or agency credit (`AFP`); empty when staff wrote it.
    pub source_credit: String,
    pub lead_image: Option<LeadImage>,
    pub published_at: Option<OffsetDateTime>,
    /// The "Last Updated" time shown to readers (not bumped by minor edits).
    pub updated_at: OffsetDateTime,
    pub translation_group: Option<String>,
    pub authors: Vec<Author>,
    pub tags: Vec<Tag>,
    /// Public corrections, oldest first.
    pub corrections: Vec<Correction>,
    /// Overrides the section's and site's comment mode.
    pub comment_mode: Option<crate::comments::CommentMode>,
    /// Approved reader comments.
    pub comment_count: i64,
    /// Its live coverage, when it has one.
    pub live: Option<crate::live::LiveCoverage>,
}

impl Article {
    pub fn title_for_browser(&self) -> &str {
        if self.seo_title.trim().is_empty() {
            &self.headline
        } else {
            &self.seo_title
        }
    }
}

/// A public correction note appended to an article after publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub note: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A line of an article list: enough to link and stamp it.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleSummary {
    pub id: ArticleId,
    pub section_slug: Slug,
    pub section_name: String,
    pub headline: String,
    pub slug: Slug,
    pub standfirst: String,
    pub lead_image: Option<LeadImage>,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// Approved reader comments.
    pub comment_count: i64,
}

/// Months of an edition's archive that have articles, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ArchiveMonth {
    pub year: i32,
    pub month: u8,
    pub count: i64,
}

/// Path of an article relative to its site root. Sections are part of the
/// path for readers; the id alone identifies the article, so a changed slug
/// or section still resolves and redirects here.
pub fn article_path(section_slug: &Slug, id: ArticleId, slug: &Slug) -> String {
    // Written piece by piece: every list and feed makes dozens of these.
    let (section_slug, slug) = (section_slug.as_str(), slug.as_str());
    let mut path = String::with_capacity(section_slug.len() + slug.len() + 24);
    path.push('/');
    path.push_str(section_slug);
    path.push('/');
    push_decimal(&mut path, id.0);
    path.push('-');
    path.push_str(slug);
    path
}

/// Writes `n` in decimal.
fn push_decimal(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    let mut digits = [0u8; 20];
    let mut rest = n.unsigned_abs();
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &digit in &digits[start..] {
        out.push(char::from(digit));
    }
}

/// Top-level path segments that a section may not take, because the site
/// uses them for its own pages.
pub const RESERVED_SECTION_SLUGS: &[&str] = &[
    "tag",
    "author",
    "archive",
    "search",
    "static",
    "media",
    "feed",
    "feeds",
    "rss",
    "sitemap",
    "healthz",
    "admin",
    "api",
    "newsroom",
    "en",
    "ar",
    "robots-txt",
    "comments",
    "login",
    "websub",
    "metrics",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_paths_are_section_id_and_slug() {
        let section = Slug::parse("politics").unwrap();
        let slug = Slug::from_headline("Talks resume in Geneva").unwrap();
        assert_eq!(
            article_path(&section, ArticleId(4072), &slug),
            "/politics/4072-talks-resume-in-geneva"
        );
        assert_eq!(
            article_path(&section, ArticleId(0), &slug),
            "/politics/0-talks-resume-in-geneva"
        );
        assert_eq!(
            article_path(&section, ArticleId(-12), &slug),
            "/politics/-12-talks-resume-in-geneva"
        );
    }
}
