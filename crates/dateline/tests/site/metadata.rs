//! What search engines and social networks read: JSON-LD, Open Graph,
//! Twitter cards, canonical and hreflang links.

use crate::{article_links, between, get, server};
use serde_json::Value;

fn json_ld(body: &str) -> Value {
    let text = between(body, r#"<script type="application/ld+json">"#, "</script>");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}: {text}"))
}

fn meta<'a>(body: &'a str, key: &str) -> Vec<&'a str> {
    body.split(&format!("=\"{key}\" content=\""))
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[tokio::test]
async fn article_pages_describe_themselves_as_news_articles() {
    let server = server();
    let (_, _, home) = get(&server, "/politics").await;
    let url = article_links(&home, "")[0].clone();
    let (_, _, body) = get(&server, &url).await;
    let graph = json_ld(&body);
    let news = &graph[0];
    assert_eq!(news["@context"], "https://schema.org");
    assert_eq!(news["@type"], "NewsArticle");
    assert_eq!(
        news["headline"],
        between(&body, r#"<h1 class="headline">"#, "</h1>")
    );
    assert_eq!(news["inLanguage"], "en");
    assert_eq!(news["articleSection"], "Politics");
    assert!(news["datePublished"].as_str().unwrap().ends_with('Z'));
    assert!(news["dateModified"].as_str().is_some());
    assert!(
        news["image"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with(&server.url("/media/"))
    );
    // The picture and its crops in the three ratios Google asks for.
    let images = news["image"].as_array().unwrap();
    let ratios: Vec<(u64, u64)> = images[1..]
        .iter()
        .map(|i| {
            let (w, h) = (i["width"].as_u64().unwrap(), i["height"].as_u64().unwrap());
            let g = (1..=w.min(h))
                .rev()
                .find(|d| w % d == 0 && h % d == 0)
                .unwrap();
            (w / g, h / g)
        })
        .collect();
    assert_eq!(ratios, vec![(16, 9), (4, 3), (1, 1)], "{images:?}");
    for image in images {
        let url = image["url"].as_str().unwrap();
        let path = &url[url.find("/media/").unwrap()..];
        let (status, headers, _) = crate::get(&server, path).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{path}");
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("image/")
        );
    }
    let author = &news["author"][0];
    assert!(
        author["@type"] == "Person" || author["@type"] == "Organization",
        "{author}"
    );
    if author["@type"] == "Person" {
        assert!(author["url"].as_str().unwrap().contains("/author/"));
    }
    assert_eq!(news["publisher"]["@type"], "NewsMediaOrganization");
    assert_eq!(news["publisher"]["name"], "The Levant Courier");
    assert!(
        news["publisher"]["logo"]["url"]
            .as_str()
            .unwrap()
            .starts_with("http")
    );
    assert_eq!(news["mainEntityOfPage"], server.url(&url));
    let crumbs = &graph[1];
    assert_eq!(crumbs["@type"], "BreadcrumbList");
    assert_eq!(crumbs["itemListElement"].as_array().unwrap().len(), 3);
    assert_eq!(crumbs["itemListElement"][1]["name"], "Politics");

    assert_eq!(meta(&body, "og:type"), ["article"]);
    assert_eq!(meta(&body, "og:url"), [server.url(&url).as_str()]);
    assert_eq!(meta(&body, "og:locale"), ["en_GB"]);
    assert_eq!(meta(&body, "og:locale:alternate"), ["ar_AR"]);
    assert_eq!(meta(&body, "article:section"), ["Politics"]);
    assert!(!meta(&body, "article:tag").is_empty());
    assert_eq!(
        meta(&body, "article:published_time"),
        [news["datePublished"].as_str().unwrap()]
    );
    assert_eq!(meta(&body, "twitter:card"), ["summary_large_image"]);
    assert_eq!(meta(&body, "twitter:site"), ["@levantcourier"]);
    assert!(body.contains(&format!(
        r#"<link rel="canonical" href="{}">"#,
        server.url(&url)
    )));
}

#[tokio::test]
async fn translations_form_a_reciprocal_hreflang_cluster_with_x_default() {
    let server = server();
    let (_, _, politics) = get(&server, "/politics").await;
    for url in article_links(&politics, "") {
        let (_, _, english) = get(&server, &url).await;
        if !english.contains(r#"hreflang="ar" href=""#) {
            continue;
        }
        let arabic_url = between(
            &english,
            r#"<link rel="alternate" hreflang="ar" href=""#,
            "\"",
        )
        .to_owned();
        let english_url = server.url(&url);
        assert!(english.contains(&format!(
            r#"<link rel="alternate" hreflang="en" href="{english_url}">"#
        )));
        assert!(english.contains(&format!(
            r#"<link rel="alternate" hreflang="x-default" href="{english_url}">"#
        )));
        let path = arabic_url.strip_prefix(&server.base).unwrap();
        let (_, _, arabic) = get(&server, path).await;
        assert!(arabic.contains(&format!(
            r#"<link rel="alternate" hreflang="en" href="{english_url}">"#
        )));
        assert!(arabic.contains(&format!(
            r#"<link rel="alternate" hreflang="ar" href="{arabic_url}">"#
        )));
        assert!(arabic.contains(&format!(
            r#"<link rel="alternate" hreflang="x-default" href="{english_url}">"#
        )));
        assert_eq!(json_ld(&arabic)[0]["inLanguage"], "ar");
        return;
    }
    panic!("no politics article has an Arabic translation");
}

#[tokio::test]
async fn the_home_page_names_its_publisher() {
    let server = server();
    let (_, _, body) = get(&server, "/ar/").await;
    let organization = json_ld(&body);
    assert_eq!(organization["@type"], "NewsMediaOrganization");
    assert_eq!(organization["name"], "ساعي المشرق");
    assert_eq!(organization["url"], server.url("/ar/"));
    assert_eq!(organization["sameAs"].as_array().unwrap().len(), 3);
}
