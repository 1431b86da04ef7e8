//! The parts every page shows: header, sections menu, edition switch,
//! social links and footer; and the date stamps of the site.

use crate::AppState;
use crate::network::Edition;
use crate::render::stamps::{Stamps, iso, media_url};
use crate::render::views::push_escaped;
use dateline_core::{ArticleSummary, LeadImage, SiteId, article_path};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What the layout of every page needs: the page's own head fields, and
/// the site header and footer, rendered once per site and menu state
/// (see [`Layouts`]).
///
/// Templates see the machine-readable part of the head (canonical link,
/// hreflang alternates, feed links, Open Graph tags, JSON-LD) as one
/// rendered field, `chrome.head`: it is data for crawlers and feed readers,
/// not design, and rendering it here costs a fraction of a template loop
/// over each tag, on every page.
pub(crate) struct Chrome {
    pub site_name: String,
    pub lang: &'static str,
    pub dir: &'static str,
    pub description: String,
    pub title: String,
    pub canonical: Option<String>,
    pub home_url: String,
    /// Feeds advertised with `<link rel="alternate">`: the site's, and the
    /// list's own on section, tag and author pages.
    pub feeds: Vec<crate::render::feeds::FeedLink>,
    pub css_url: String,
    pub icon_url: String,
    /// Alternate language versions of this page (hreflang).
    pub alternates: Vec<Alternate>,
    /// Open Graph and Twitter card tags.
    pub meta: Vec<crate::render::metadata::MetaTag>,
    /// schema.org JSON-LD, already escaped for a script element.
    pub json_ld: Option<String>,
    /// `_header.html` and `_footer.html`, already rendered: safe strings
    /// shared with [`Layouts`], not copied per page.
    pub header: minijinja::Value,
    pub footer: minijinja::Value,
}

impl Serialize for Chrome {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Chrome", 11)?;
        out.serialize_field("site_name", &self.site_name)?;
        out.serialize_field("lang", self.lang)?;
        out.serialize_field("dir", self.dir)?;
        out.serialize_field("description", &self.description)?;
        out.serialize_field("title", &self.title)?;
        out.serialize_field("home_url", &self.home_url)?;
        out.serialize_field("css_url", &self.css_url)?;
        out.serialize_field("icon_url", &self.icon_url)?;
        out.serialize_field(
            "head",
            &minijinja::Value::from_safe_string(self.head_html()),
        )?;
        out.serialize_field("header", &self.header)?;
        out.serialize_field("footer", &self.footer)?;
        out.end()
    }
}

impl Chrome {
    /// The machine-readable tags of `<head>`, one per line.
    fn head_html(&self) -> String {
        let mut html = String::with_capacity(
            self.json_ld.as_ref().map_or(0, String::len) + 160 * (self.meta.len() + 8),
        );
        for m in &self.meta {
            html.push_str("<meta ");
            html.push_str(m.attribute);
            html.push_str("=\"");
            push_escaped(&mut html, m.key);
            html.push_str("\" content=\"");
            push_escaped(&mut html, &m.content);
            html.push_str("\">\n");
        }
        if let Some(json_ld) = &self.json_ld {
            // Already escaped for a script element.
            html.push_str("<script type=\"application/ld+json\">");
            html.push_str(json_ld);
            html.push_str("</script>\n");
        }
        if let Some(canonical) = &self.canonical {
            html.push_str("<link rel=\"canonical\" href=\"");
            push_escaped(&mut html, canonical);
            html.push_str("\">\n");
        }
        for alt in &self.alternates {
            html.push_str("<link rel=\"alternate\" hreflang=\"");
            push_escaped(&mut html, alt.hreflang);
            html.push_str("\" href=\"");
            push_escaped(&mut html, &alt.href);
            html.push_str("\">\n");
        }
        for feed in &self.feeds {
            html.push_str("<link rel=\"alternate\" type=\"");
            push_escaped(&mut html, feed.media_type);
            html.push_str("\" title=\"");
            push_escaped(&mut html, &feed.title);
            html.push_str("\" href=\"");
            push_escaped(&mut html, &feed.href);
            html.push_str("\">\n");
        }
        html
    }
}

/// The context of `_header.html` and `_footer.html`.
#[derive(Serialize)]
struct LayoutParts {
    lang: &'static str,
    site_name: String,
    /// The logo from the site's settings, if one was chosen.
    logo_url: Option<String>,
    home_url: String,
    archive_url: String,
    search_url: String,
    sections: Vec<NavItem>,
    editions: Vec<EditionLink>,
    social: Vec<SocialLink>,
    footer: dateline_core::FooterLines,
}

/// Rendered header and footer of a site, by how its URLs are written and
/// which section is current. They change only with the site's settings, so
/// they are kept until the network is reloaded.
#[derive(Default)]
pub(crate) struct Layouts {
    rendered: Mutex<HashMap<LayoutKey, HeaderAndFooter>>,
    /// The empty comment form by site and URL prefix, with a placeholder
    /// for the article: the same for every article and reader.
    comment_forms: Mutex<HashMap<(SiteId, String), Arc<str>>>,
}

/// Headers and footers kept at most: every site, scheme, host name and
/// section many times over.
const MAX_LAYOUTS: usize = 1_024;

/// The rendered `_header.html` and `_footer.html`, as safe strings.
type HeaderAndFooter = (minijinja::Value, minijinja::Value);

#[derive(Hash, PartialEq, Eq)]
struct LayoutKey {
    site: SiteId,
    /// Scheme, host and port: links to the other editions are absolute
    /// when sites are told apart by host name.
    origin: String,
    base_path: String,
    by_host: bool,
    current_section: Option<usize>,
}

impl Layouts {
    pub fn clear(&self) {
        if let Ok(mut rendered) = self.rendered.lock() {
            rendered.clear();
        }
        if let Ok(mut forms) = self.comment_forms.lock() {
            forms.clear();
        }
    }

    /// The empty comment form of a site as rendered by `render` the first
    /// time, kept until the site's settings change.
    pub fn comment_form(
        &self,
        edition: &Edition,
        render: impl FnOnce() -> Result<String, minijinja::Error>,
    ) -> Result<Arc<str>, minijinja::Error> {
        let key = (edition.site().id, edition.base_path.clone());
        if let Some(found) = self
            .comment_forms
            .lock()
            .ok()
            .and_then(|f| f.get(&key).cloned())
        {
            return Ok(found);
        }
        let html: Arc<str> = Arc::from(render()?);
        if let Ok(mut forms) = self.comment_forms.lock() {
            forms.insert(key, html.clone());
        }
        Ok(html)
    }

    fn get_or_render(
        &self,
        app: &AppState,
        edition: &Edition,
        current_section: Option<usize>,
    ) -> Result<HeaderAndFooter, minijinja::Error> {
        let key = LayoutKey {
            site: edition.site().id,
            origin: format!("{}://{}", edition.scheme, edition.host),
            base_path: edition.base_path.clone(),
            by_host: edition.by_host,
            current_section,
        };
        if let Some(found) = self.rendered.lock().ok().and_then(|r| r.get(&key).cloned()) {
            return Ok(found);
        }
        let parts = LayoutParts::new(app, edition, current_section);
        let lang = edition.site().lang;
        let header =
            minijinja::Value::from_safe_string(app.views.render("_header.html", lang, &parts)?);
        let footer =
            minijinja::Value::from_safe_string(app.views.render("_footer.html", lang, &parts)?);
        if let Ok(mut rendered) = self.rendered.lock() {
            // Bounded: a flood of host and port variants starts it afresh
            // rather than growing it.
            if rendered.len() >= MAX_LAYOUTS {
                rendered.clear();
            }
            rendered.insert(key, (header.clone(), footer.clone()));
        }
        Ok((header, footer))
    }
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
    pub comment_count: i64,
}

#[derive(Serialize)]
pub(crate) struct ImageView {
    pub url: String,
    /// Resized copies and the original, for `srcset`; empty without copies.
    pub srcset: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

impl ImageView {
    pub fn new(edition: &Edition, image: &LeadImage) -> ImageView {
        let srcset = if image.variants.is_empty() {
            String::new()
        } else {
            image
                .variants
                .iter()
                .map(|v| format!("{} {}w", media_url(edition, &v.path), v.width))
                .chain(std::iter::once(format!(
                    "{} {}w",
                    media_url(edition, &image.path),
                    image.width
                )))
                .collect::<Vec<_>>()
                .join(", ")
        };
        ImageView {
            url: media_url(edition, &image.path),
            srcset,
            width: image.width,
            height: image.height,
            alt: image.alt.clone(),
            caption: image.caption.clone(),
            credit: image.credit.clone(),
        }
    }
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
    ) -> Result<Chrome, minijinja::Error> {
        let site = edition.site();
        let current_section = edition.entry.sections.iter().position(|s| {
            current_path
                .strip_prefix('/')
                .and_then(|p| p.strip_prefix(s.slug.as_str()))
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        });
        let (header, footer) = app.layouts.get_or_render(app, edition, current_section)?;
        Ok(Chrome {
            site_name: site.name.clone(),
            lang: site.lang.code(),
            dir: site.lang.direction().as_str(),
            description: site.description.clone(),
            title,
            canonical: canonical_path.map(|p| edition.canonical(p)),
            home_url: edition.url("/"),
            feeds: crate::render::feeds::links(edition, "", &site.name),
            css_url: app.assets.url("site.css"),
            icon_url: app.assets.url("favicon.svg"),
            alternates: Vec::new(),
            meta: Vec::new(),
            json_ld: None,
            header,
            footer,
        })
    }
}

impl LayoutParts {
    fn new(app: &AppState, edition: &Edition, current_section: Option<usize>) -> LayoutParts {
        let site = edition.site();
        let network = app.network();
        let sections = edition
            .entry
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| NavItem {
                current: current_section == Some(i),
                url: edition.url(&format!("/{}", s.slug)),
                name: s.name.clone(),
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
        LayoutParts {
            lang: site.lang.code(),
            site_name: site.name.clone(),
            logo_url: site.logo_path.as_ref().map(|p| media_url(edition, p)),
            home_url: edition.url("/"),
            archive_url: edition.url("/archive"),
            search_url: edition.url("/search"),
            sections,
            editions,
            social,
            footer: site.footer.clone(),
        }
    }
}

impl Card {
    pub fn new(edition: &Edition, stamps: &Stamps<'_>, a: &ArticleSummary) -> Card {
        Card {
            url: edition.url(&article_path(&a.section_slug, a.id, &a.slug)),
            section_url: edition.url(&format!("/{}", a.section_slug)),
            section_name: a.section_name.clone(),
            datetime: iso(a.published_at),
            stamp: stamps.list(a.published_at),
            image: a.lead_image.as_ref().map(|i| ImageView::new(edition, i)),
            headline: a.headline.clone(),
            standfirst: a.standfirst.clone(),
            comment_count: a.comment_count,
        }
    }
}
