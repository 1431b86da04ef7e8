//! The parts every page shows: header, sections menu, edition switch,
//! social links and footer; and the date stamps of the site.

use crate::AppState;
use crate::network::Edition;
use dateline_core::{ArticleSummary, Site, article_path};
use serde::Serialize;
use std::fmt::Write;
use time::OffsetDateTime;

#[derive(Serialize)]
pub(crate) struct Chrome {
    pub site_name: String,
    pub lang: &'static str,
    pub dir: &'static str,
    pub description: String,
    pub title: String,
    pub canonical: Option<String>,
    pub home_url: String,
    pub archive_url: String,
    pub feed_url: String,
    pub css_url: String,
    pub icon_url: String,
    pub sections: Vec<NavItem>,
    pub editions: Vec<EditionLink>,
    pub social: Vec<SocialLink>,
    pub footer: dateline_core::FooterLines,
    /// Alternate language versions of this page (hreflang).
    pub alternates: Vec<Alternate>,
}

#[derive(Serialize)]
pub(crate) struct NavItem {
    pub name: String,
    pub url: String,
    pub current: bool,
}

#[derive(Serialize)]
pub(crate) struct EditionLink {
    pub lang: &'static str,
    pub dir: &'static str,
    pub url: String,
}

#[derive(Serialize)]
pub(crate) struct SocialLink {
    /// `facebook`, `twitter`, `youtube` or `rss`; names the icon and label.
    pub kind: &'static str,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub(crate) struct Alternate {
    pub hreflang: &'static str,
    pub href: String,
}

/// One line of an article list.
#[derive(Serialize)]
pub(crate) struct Card {
    pub headline: String,
    pub url: String,
    pub standfirst: String,
    pub section_name: String,
    pub section_url: String,
    pub datetime: String,
    pub stamp: String,
    pub image: Option<ImageView>,
}

#[derive(Serialize)]
pub(crate) struct ImageView {
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

impl Chrome {
    /// `current_path` is the site path of this page, for the canonical link
    /// and the active menu item.
    pub fn new(
        app: &AppState,
        edition: &Edition,
        title: String,
        canonical_path: Option<&str>,
        current_path: &str,
    ) -> Chrome {
        let site = edition.site();
        let network = app.network();
        let sections = edition
            .entry
            .sections
            .iter()
            .map(|s| {
                let path = format!("/{}", s.slug);
                NavItem {
                    current: current_path
                        .strip_prefix(path.as_str())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
                    url: edition.url(&path),
                    name: s.name.clone(),
                }
            })
            .collect();
        let editions = network
            .siblings(site)
            .map(|other| EditionLink {
                lang: other.site.lang.code(),
                dir: other.site.lang.direction().as_str(),
                url: edition.link_to(&other.site, "/"),
            })
            .collect();
        let mut social: Vec<SocialLink> = [
            ("facebook", &site.social.facebook),
            ("twitter", &site.social.twitter),
            ("youtube", &site.social.youtube),
        ]
        .into_iter()
        .filter(|(_, url)| !url.is_empty())
        .map(|(kind, url)| SocialLink {
            kind,
            url: url.clone(),
        })
        .collect();
        social.push(SocialLink {
            kind: "rss",
            url: edition.url("/feed.xml"),
        });
        Chrome {
            site_name: site.name.clone(),
            lang: site.lang.code(),
            dir: site.lang.direction().as_str(),
            description: site.description.clone(),
            title,
            canonical: canonical_path.map(|p| edition.canonical(p)),
            home_url: edition.url("/"),
            archive_url: edition.url("/archive"),
            feed_url: edition.url("/feed.xml"),
            css_url: app.assets.url("site.css"),
            icon_url: app.assets.url("favicon.svg"),
            sections,
            editions,
            social,
            footer: site.footer.clone(),
            alternates: Vec::new(),
        }
    }
}

/// Formats the stamps of a site.
pub(crate) struct Stamps<'a> {
    app: &'a AppState,
    site: &'a Site,
}

impl<'a> Stamps<'a> {
    pub fn new(app: &'a AppState, site: &'a Site) -> Stamps<'a> {
        Stamps { app, site }
    }

    fn format(&self, pattern: &dateline_core::dates::DatePattern, at: OffsetDateTime) -> String {
        self.site
            .time_zone
            .local(at)
            .format(pattern, self.app.translations.calendar(self.site.lang))
    }

    pub fn list(&self, at: OffsetDateTime) -> String {
        self.format(&self.site.formats.list, at)
    }
    pub fn published(&self, at: OffsetDateTime) -> String {
        self.format(&self.site.formats.published, at)
    }
    pub fn updated(&self, at: OffsetDateTime) -> String {
        self.format(&self.site.formats.updated, at)
    }
}

/// RFC 3339 for `datetime` attributes.
/// RFC 3339 in UTC (`2016-03-23T10:18:00Z`), written directly: it is on
/// every card of every page.
pub(crate) fn iso(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let mut out = String::with_capacity(20);
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    out
}

pub(crate) fn media_url(edition: &Edition, path: &str) -> String {
    edition.url(&format!("/media/{path}"))
}

impl Card {
    pub fn new(edition: &Edition, stamps: &Stamps<'_>, a: &ArticleSummary) -> Card {
        Card {
            url: edition.url(&article_path(&a.section_slug, a.id, &a.slug)),
            section_url: edition.url(&format!("/{}", a.section_slug)),
            section_name: a.section_name.clone(),
            datetime: iso(a.published_at),
            stamp: stamps.list(a.published_at),
            image: a.lead_image.as_ref().map(|i| ImageView {
                url: media_url(edition, &i.path),
                width: i.width,
                height: i.height,
                alt: i.alt.clone(),
                caption: i.caption.clone(),
                credit: i.credit.clone(),
            }),
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
        }
    }
}
