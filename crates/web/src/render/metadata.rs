//! What search engines and social networks read from a page: Open Graph
//! and Twitter card tags, and schema.org JSON-LD (`NewsArticle`,
//! `BreadcrumbList`, `NewsMediaOrganization`).

use crate::AppState;
use crate::network::Edition;
use crate::render::stamps::iso;
use dateline_core::{Article, Site};
use serde::Serialize;

/// One `<meta>` tag: `property` for Open Graph, `name` for the rest.
#[derive(Serialize, Clone)]
pub(crate) struct MetaTag {
    pub attribute: &'static str,
    pub key: &'static str,
    pub content: String,
}

fn property(key: &'static str, content: impl Into<String>) -> MetaTag {
    MetaTag {
        attribute: "property",
        key,
        content: content.into(),
    }
}

fn name(key: &'static str, content: impl Into<String>) -> MetaTag {
    MetaTag {
        attribute: "name",
        key,
        content: content.into(),
    }
}

/// `og:locale` values for a language.
fn og_locale(site: &Site) -> &'static str {
    match site.lang {
        dateline_core::Lang::En => "en_GB",
        dateline_core::Lang::Ar => "ar_AR",
    }
}

/// Absolute URLs of a site's paths (canonical host), from its base worked
/// out once: a page's metadata names a dozen of them.
struct Absolute(String);

impl Absolute {
    fn of(edition: &Edition) -> Absolute {
        Absolute(edition.base_of(edition.site()))
    }

    /// The URL of a path made of `parts`, written straight after the base.
    fn url(&self, parts: &[&str]) -> String {
        let mut url =
            String::with_capacity(self.0.len() + parts.iter().map(|p| p.len()).sum::<usize>());
        url.push_str(&self.0);
        for part in parts {
            url.push_str(part);
        }
        url
    }
}

/// Open Graph and Twitter tags of an article (ogp.me, article namespace).
pub(crate) fn article_tags(
    app: &AppState,
    edition: &Edition,
    article: &Article,
    path: &str,
) -> Vec<MetaTag> {
    let site = edition.site();
    let absolute = Absolute::of(edition);
    let mut tags = vec![
        property("og:type", "article"),
        property("og:site_name", site.name.clone()),
        property("og:title", article.headline.clone()),
        property("og:url", absolute.url(&[path])),
        property("og:locale", og_locale(site)),
    ];
    for other in app.network().siblings(site) {
        tags.push(property("og:locale:alternate", og_locale(&other.site)));
    }
    if !article.standfirst.is_empty() {
        tags.push(property("og:description", article.standfirst.clone()));
    }
    if let Some(image) = &article.lead_image {
        tags.push(property(
            "og:image",
            absolute.url(&["/media/", &image.path]),
        ));
        tags.push(property("og:image:width", image.width.to_string()));
        tags.push(property("og:image:height", image.height.to_string()));
        if !image.alt.is_empty() {
            tags.push(property("og:image:alt", image.alt.clone()));
        }
    }
    if let Some(published) = article.published_at {
        tags.push(property("article:published_time", iso(published)));
    }
    tags.push(property("article:modified_time", iso(article.updated_at)));
    tags.push(property("article:section", article.section.name.clone()));
    for tag in &article.tags {
        tags.push(property("article:tag", tag.name.clone()));
    }
    tags.push(name(
        "twitter:card",
        if article.lead_image.is_some() {
            "summary_large_image"
        } else {
            "summary"
        },
    ));
    tags.push(name("twitter:title", article.headline.clone()));
    if !article.standfirst.is_empty() {
        tags.push(name("twitter:description", article.standfirst.clone()));
    }
    if let Some(handle) = twitter_handle(&site.social.twitter) {
        tags.push(name("twitter:site", handle));
    }
    tags
}

/// `@name` from a profile URL such as `https://x.com/name`.
fn twitter_handle(url: &str) -> Option<String> {
    let name = url.trim_end_matches('/').rsplit('/').next()?;
    (!name.is_empty() && !name.contains(['.', ':'])).then(|| format!("@{name}"))
}

/// schema.org types, serialised in the order written here. Typed rather
/// than built as `serde_json::Value` maps: this runs for every article
/// page rendered, and the maps cost more than the rest of the metadata.
mod schema {
    use serde::Serialize;

    pub const CONTEXT: &str = "https://schema.org";

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct NewsArticle<'a> {
        #[serde(rename = "@context")]
        pub context: &'static str,
        #[serde(rename = "@type")]
        pub kind: &'static str,
        #[serde(rename = "@id")]
        pub id: String,
        pub main_entity_of_page: &'a str,
        pub url: &'a str,
        pub headline: &'a str,
        pub description: &'a str,
        pub in_language: &'static str,
        pub article_section: &'a str,
        pub keywords: Vec<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub date_published: Option<String>,
        pub date_modified: String,
        pub author: Vec<Agent<'a>>,
        pub publisher: Organization<'a>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub correction: Vec<CorrectionComment<'a>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub image: Vec<ImageObject<'a>>,
        /// Live coverage (`LiveBlogPosting`): when it began and ended,
        /// and its entries.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub coverage_start_time: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub coverage_end_time: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub live_blog_update: Vec<BlogPosting>,
    }

    /// An entry of live coverage.
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct BlogPosting {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub headline: String,
        pub url: String,
        pub date_published: String,
        pub date_modified: String,
        pub article_body: String,
    }

    /// An author: a `Person` with a page, or an `Organization` (wire copy).
    #[derive(Serialize)]
    pub struct Agent<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub name: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub url: Option<String>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Organization<'a> {
        #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
        pub context: Option<&'static str>,
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub name: &'a str,
        pub url: String,
        pub logo: ImageObject<'a>,
        pub same_as: Vec<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub corrections_policy: Option<CreativeWork>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct CreativeWork {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub name: String,
        pub text: String,
        pub in_language: &'static str,
    }

    #[derive(Serialize)]
    pub struct ImageObject<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub url: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub width: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub height: Option<u32>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub caption: Option<&'a str>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct CorrectionComment<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub text: &'a str,
        pub date_published: String,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub struct BreadcrumbList<'a> {
        #[serde(rename = "@context")]
        pub context: &'static str,
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub item_list_element: [ListItem<'a>; 3],
    }

    #[derive(Serialize)]
    pub struct ListItem<'a> {
        #[serde(rename = "@type")]
        pub kind: &'static str,
        pub position: u32,
        pub name: &'a str,
        pub item: String,
    }
}

/// The publisher, as schema.org `NewsMediaOrganization`.
fn organization<'a>(
    app: &AppState,
    edition: &'a Edition,
    absolute: &Absolute,
) -> schema::Organization<'a> {
    let site = edition.site();
    let same_as = [
        &site.social.facebook,
        &site.social.twitter,
        &site.social.youtube,
    ]
    .into_iter()
    .filter(|u| !u.is_empty())
    .map(String::as_str)
    .collect();
    let logo = match &site.logo_path {
        Some(path) => absolute.url(&["/media/", path]),
        None => absolute.url(&[&app.assets.url("favicon.svg")]),
    };
    schema::Organization {
        context: None,
        kind: "NewsMediaOrganization",
        name: &site.name,
        url: absolute.url(&["/"]),
        logo: schema::ImageObject {
            kind: "ImageObject",
            url: logo,
            width: None,
            height: None,
            caption: None,
        },
        same_as,
        corrections_policy: None,
    }
}

/// JSON-LD of an article page: the `NewsArticle` and its breadcrumb.
/// Entries listed in a live story's structured data, newest first.
const LIVE_UPDATES_LISTED: usize = 50;

/// A live entry as a `BlogPosting`: its address is the page's with the
/// entry's anchor (no query), its body the text without markup.
fn live_update(url: &str, entry: &dateline_newsdesk::live::LiveEntry) -> schema::BlogPosting {
    let text = dateline_core::live::entry_text(&entry.body_html);
    let headline = if entry.headline.is_empty() {
        match text.char_indices().nth(110) {
            Some((at, _)) => format!("{}\u{2026}", &text[..at]),
            None => text.clone(),
        }
    } else {
        entry.headline.clone()
    };
    schema::BlogPosting {
        kind: "BlogPosting",
        headline,
        url: format!("{url}#entry-{}", entry.seq),
        date_published: iso(entry.created_at),
        date_modified: iso(entry.updated_at),
        article_body: text,
    }
}

pub(crate) fn article_json_ld(
    app: &AppState,
    edition: &Edition,
    article: &Article,
    path: &str,
    live_entries: Option<&[dateline_newsdesk::live::LiveEntry]>,
) -> String {
    let site = edition.site();
    let absolute = Absolute::of(edition);
    let url = absolute.url(&[path]);
    let author = if article.authors.is_empty() {
        // Wire copy: credited to the agency, published by the site.
        let credit = if article.source_credit.is_empty() {
            &site.name
        } else {
            &article.source_credit
        };
        vec![schema::Agent {
            kind: "Organization",
            name: credit,
            url: None,
        }]
    } else {
        article
            .authors
            .iter()
            .map(|a| schema::Agent {
                kind: "Person",
                name: &a.name,
                url: Some(absolute.url(&["/author/", a.slug.as_str()])),
            })
            .collect()
    };
    let mut image = Vec::new();
    if let Some(lead) = &article.lead_image {
        // The picture as published, then its crops in the ratios search
        // engines ask for (16x9, 4x3, 1x1).
        image.push(schema::ImageObject {
            kind: "ImageObject",
            url: absolute.url(&["/media/", &lead.path]),
            width: Some(lead.width),
            height: Some(lead.height),
            caption: Some(&lead.caption),
        });
        for crop in &lead.crops {
            image.push(schema::ImageObject {
                kind: "ImageObject",
                url: absolute.url(&["/media/", &crop.path]),
                width: Some(crop.width),
                height: Some(crop.height),
                caption: None,
            });
        }
    }
    let live = article.live.zip(live_entries);
    let news = schema::NewsArticle {
        context: schema::CONTEXT,
        kind: if live.is_some() {
            "LiveBlogPosting"
        } else {
            "NewsArticle"
        },
        coverage_start_time: live.and_then(|(l, _)| l.started_at).map(iso),
        coverage_end_time: live.and_then(|(l, _)| l.ended_at).map(iso),
        live_blog_update: live
            .map(|(_, entries)| {
                entries
                    .iter()
                    .take(LIVE_UPDATES_LISTED)
                    .map(|e| live_update(&url, e))
                    .collect()
            })
            .unwrap_or_default(),
        id: format!("{url}#article"),
        main_entity_of_page: &url,
        url: &url,
        headline: &article.headline,
        description: &article.standfirst,
        in_language: site.lang.code(),
        article_section: &article.section.name,
        keywords: article.tags.iter().map(|t| t.name.as_str()).collect(),
        date_published: article.published_at.map(iso),
        date_modified: iso(article.updated_at),
        author,
        publisher: organization(app, edition, &absolute),
        // schema.org: a public note of what was corrected, and when.
        correction: article
            .corrections
            .iter()
            .map(|c| schema::CorrectionComment {
                kind: "CorrectionComment",
                text: &c.note,
                date_published: iso(c.at),
            })
            .collect(),
        image,
    };
    let item = |position, name, item| schema::ListItem {
        kind: "ListItem",
        position,
        name,
        item,
    };
    let breadcrumb = schema::BreadcrumbList {
        context: schema::CONTEXT,
        kind: "BreadcrumbList",
        item_list_element: [
            item(1, &site.name, absolute.url(&["/"])),
            item(
                2,
                &article.section.name,
                absolute.url(&["/", article.section.slug.as_str()]),
            ),
            item(3, &article.headline, url.clone()),
        ],
    };
    script_safe(&(news, breadcrumb))
}

/// JSON-LD of the home page: the publisher.
pub(crate) fn home_json_ld(app: &AppState, edition: &Edition) -> String {
    let lang = edition.site().lang;
    let mut organization = organization(app, edition, &Absolute::of(edition));
    organization.context = Some(schema::CONTEXT);
    // How the newsroom corrects itself: corrections are dated notes under
    // each article, marked up there as `CorrectionComment`.
    organization.corrections_policy = Some(schema::CreativeWork {
        kind: "CreativeWork",
        name: app
            .translations
            .text(lang, "corrections-policy-name", None)
            .into_owned(),
        text: app
            .translations
            .text(lang, "corrections-policy", None)
            .into_owned(),
        in_language: lang.code(),
    });
    script_safe(&organization)
}

/// JSON for a `<script type="application/ld+json">` block: `<`, `>` and
/// `&` are escaped so no text can close the element early.
fn script_safe(value: &impl Serialize) -> String {
    let mut buffer = Vec::with_capacity(4096);
    let json = match serde_json::to_writer(&mut buffer, value) {
        // serde_json writes UTF-8 only.
        Ok(()) => String::from_utf8(buffer).unwrap_or_default(),
        Err(error) => {
            // Only maps with non-string keys fail; these types have none.
            tracing::error!(%error, "cannot serialise JSON-LD");
            return "{}".to_owned();
        }
    };
    if !json.bytes().any(|b| matches!(b, b'<' | b'>' | b'&')) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let text = script_safe(&json!({ "headline": "</script><script>alert(1)</script> & co" }));
        assert!(!text.contains("</script>") && !text.contains('<') && !text.contains('&'));
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["headline"], "</script><script>alert(1)</script> & co");
    }

    #[test]
    fn twitter_handles_come_from_profile_urls() {
        assert_eq!(
            twitter_handle("https://x.com/levantcourier"),
            Some("@levantcourier".into())
        );
        assert_eq!(twitter_handle(""), None);
    }
}
