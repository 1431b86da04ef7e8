//! What search engines and social networks read from a page: Open Graph
//! and Twitter card tags, and schema.org JSON-LD (`NewsArticle`,
//! `BreadcrumbList`, `NewsMediaOrganization`).

use super::chrome::iso;
use crate::AppState;
use crate::network::Edition;
use dateline_core::{Article, Site};
use serde::Serialize;
use serde_json::{Value, json};

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

/// The absolute URL of a path of this site (canonical host).
fn absolute(edition: &Edition, path: &str) -> String {
    edition.canonical(path)
}

/// Open Graph and Twitter tags of an article (ogp.me, article namespace).
pub(crate) fn article_tags(
    app: &AppState,
    edition: &Edition,
    article: &Article,
    path: &str,
) -> Vec<MetaTag> {
    let site = edition.site();
    let mut tags = vec![
        property("og:type", "article"),
        property("og:site_name", site.name.clone()),
        property("og:title", article.headline.clone()),
        property("og:url", absolute(edition, path)),
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
            absolute(edition, &format!("/media/{}", image.path)),
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

/// The publisher, as schema.org `NewsMediaOrganization`.
pub(crate) fn organization(app: &AppState, edition: &Edition) -> Value {
    let site = edition.site();
    let same_as: Vec<&str> = [
        &site.social.facebook,
        &site.social.twitter,
        &site.social.youtube,
    ]
    .into_iter()
    .filter(|u| !u.is_empty())
    .map(String::as_str)
    .collect();
    json!({
        "@type": "NewsMediaOrganization",
        "name": site.name,
        "url": absolute(edition, "/"),
        "logo": { "@type": "ImageObject", "url": match &site.logo_path {
            Some(path) => absolute(edition, &format!("/media/{path}")),
            None => absolute(edition, &app.assets.url("favicon.svg")),
        } },
        "sameAs": same_as,
    })
}

/// JSON-LD of an article page: the `NewsArticle` and its breadcrumb.
pub(crate) fn article_json_ld(
    app: &AppState,
    edition: &Edition,
    article: &Article,
    path: &str,
) -> String {
    let site = edition.site();
    let url = absolute(edition, path);
    let authors: Vec<Value> = if article.authors.is_empty() {
        // Wire copy: credited to the agency, published by the site.
        let credit = if article.source_credit.is_empty() {
            site.name.clone()
        } else {
            article.source_credit.clone()
        };
        vec![json!({ "@type": "Organization", "name": credit })]
    } else {
        article
            .authors
            .iter()
            .map(|a| json!({ "@type": "Person", "name": a.name, "url": absolute(edition, &format!("/author/{}", a.slug)) }))
            .collect()
    };
    let mut news = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": format!("{url}#article"),
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.headline,
        "description": article.standfirst,
        "inLanguage": site.lang.code(),
        "articleSection": article.section.name,
        "keywords": article.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        "dateModified": iso(article.updated_at),
        "author": authors,
        "publisher": organization(app, edition),
    });
    if let Some(published) = article.published_at {
        news["datePublished"] = json!(iso(published));
    }
    if !article.corrections.is_empty() {
        // schema.org: a public note of what was corrected, and when.
        news["correction"] = json!(article
            .corrections
            .iter()
            .map(|c| json!({ "@type": "CorrectionComment", "text": c.note, "datePublished": iso(c.at) }))
            .collect::<Vec<_>>());
    }
    if let Some(image) = &article.lead_image {
        // The picture as published, then its crops in the ratios search
        // engines ask for (16x9, 4x3, 1x1).
        let mut images = vec![json!({
            "@type": "ImageObject",
            "url": absolute(edition, &format!("/media/{}", image.path)),
            "width": image.width,
            "height": image.height,
            "caption": image.caption,
        })];
        for crop in &image.crops {
            images.push(json!({
                "@type": "ImageObject",
                "url": absolute(edition, &format!("/media/{}", crop.path)),
                "width": crop.width,
                "height": crop.height,
            }));
        }
        news["image"] = json!(images);
    }
    let breadcrumb = json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            { "@type": "ListItem", "position": 1, "name": site.name, "item": absolute(edition, "/") },
            { "@type": "ListItem", "position": 2, "name": article.section.name,
              "item": absolute(edition, &format!("/{}", article.section.slug)) },
            { "@type": "ListItem", "position": 3, "name": article.headline, "item": url },
        ],
    });
    script_safe(&json!([news, breadcrumb]))
}

/// JSON-LD of the home page: the publisher.
pub(crate) fn home_json_ld(app: &AppState, edition: &Edition) -> String {
    let mut organization = organization(app, edition);
    organization["@context"] = json!("https://schema.org");
    // How the newsroom corrects itself: corrections are dated notes under
    // each article, marked up there as `CorrectionComment`.
    let policy = app
        .translations
        .text(edition.site().lang, "corrections-policy", None)
        .into_owned();
    organization["correctionsPolicy"] = json!({
        "@type": "CreativeWork",
        "name": app.translations.text(edition.site().lang, "corrections-policy-name", None),
        "text": policy,
        "inLanguage": edition.site().lang.code(),
    });
    script_safe(&organization)
}

/// JSON for a `<script type="application/ld+json">` block: `<`, `>` and
/// `&` are escaped so no text can close the element early.
fn script_safe(value: &Value) -> String {
    let json = value.to_string();
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
