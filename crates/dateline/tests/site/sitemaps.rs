//! robots.txt and sitemaps, parsed with a real XML parser (Python's
//! ElementTree) and checked against the protocols' required structure.

use crate::{get, server};
use dateline_core::{ArticleState, SectionId, SiteId, Slug};
use dateline_store::NewArticle;
use serde_json::Value;

/// Parses the XML at `url` and returns its elements as
/// `[{tag, text, attrs, children: [...]}]` JSON.
fn xml(url: &str) -> Value {
    let script = r#"
import json, sys, urllib.request
import xml.etree.ElementTree as ET
def walk(e):
    return {"tag": e.tag, "text": (e.text or "").strip(), "attrs": e.attrib, "children": [walk(c) for c in e]}
print(json.dumps(walk(ET.fromstring(urllib.request.urlopen(sys.argv[1]).read()))))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script, url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{url} is not well-formed XML: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const SITEMAP: &str = "{http://www.sitemaps.org/schemas/sitemap/0.9}";
const NEWS: &str = "{http://www.google.com/schemas/sitemap-news/0.9}";

fn child<'a>(node: &'a Value, tag: &str) -> Option<&'a Value> {
    node["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["tag"] == tag)
}

#[tokio::test]
async fn robots_txt_names_the_sitemaps_of_both_editions() {
    let server = server();
    let (status, headers, body) = get(&server, "/robots.txt").await;
    assert_eq!(status, 200);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    for line in [
        format!("Sitemap: {}/sitemap.xml", server.base),
        format!("Sitemap: {}/sitemap-news.xml", server.base),
        format!("Sitemap: {}/ar/sitemap.xml", server.base),
        "Disallow: /newsroom".to_owned(),
    ] {
        assert!(body.lines().any(|l| l == line), "{line:?} not in {body}");
    }
}

#[tokio::test]
async fn the_sitemap_index_leads_to_every_article_with_images_and_hreflang() {
    let server = server();
    let index = xml(&server.url("/sitemap.xml"));
    assert_eq!(index["tag"], format!("{SITEMAP}sitemapindex"));
    let sitemaps = index["children"].as_array().unwrap();
    assert_eq!(sitemaps.len(), 1);
    let loc = child(&sitemaps[0], &format!("{SITEMAP}loc")).unwrap()["text"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(loc, server.url("/sitemap-articles.xml"));

    let urlset = xml(&loc);
    assert_eq!(urlset["tag"], format!("{SITEMAP}urlset"));
    let urls = urlset["children"].as_array().unwrap();
    assert_eq!(urls.len(), 47);
    let mut with_alternates = 0;
    for url in urls {
        let loc = child(url, &format!("{SITEMAP}loc")).unwrap()["text"]
            .as_str()
            .unwrap();
        assert!(loc.starts_with(&server.base));
        let lastmod = child(url, &format!("{SITEMAP}lastmod")).unwrap()["text"]
            .as_str()
            .unwrap();
        assert!(lastmod.ends_with('Z') && lastmod.len() == 20, "{lastmod}");
        assert!(
            child(
                url,
                "{http://www.google.com/schemas/sitemap-image/1.1}image"
            )
            .is_some()
        );
        let links: Vec<&Value> = url["children"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["tag"] == "{http://www.w3.org/1999/xhtml}link")
            .collect();
        if !links.is_empty() {
            with_alternates += 1;
            assert!(
                links
                    .iter()
                    .any(|l| l["attrs"]["hreflang"] == "en" && l["attrs"]["href"] == loc),
                "reciprocal link to itself"
            );
            assert!(links.iter().any(|l| l["attrs"]["hreflang"] == "ar"));
        }
    }
    assert_eq!(with_alternates, 13, "the demo's 13 translated articles");
    let (status, _, _) = get(&server, "/sitemap-articles.xml?page=2").await;
    assert_eq!(status, 404);
    let (status, _, _) = get(&server, "/sitemap-articles.xml?page=abc").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_news_sitemap_lists_only_the_last_two_days() {
    let server = server();
    // The demo is dated from its install: its news of the last day is
    // listed, its archive (back to 2013) is not.
    let demo = xml(&server.url("/sitemap-news.xml"));
    assert_eq!(demo["tag"], format!("{SITEMAP}urlset"));
    let listed = demo["children"].as_array().unwrap().len();
    assert!(
        (5..=10).contains(&listed),
        "{listed} stories of the last two days"
    );

    let db = crate::store_of(&server).await;
    let now = time::OffsetDateTime::now_utc();
    let mut tx = db.begin().await.unwrap();
    tx.insert_article(
        &NewArticle {
            site: SiteId(1),
            section: SectionId(1),
            state: ArticleState::Published,
            headline: "Breaking: parliament sits through the night".into(),
            seo_title: String::new(),
            slug: Slug::from_headline("Breaking: parliament sits through the night").unwrap(),
            standfirst: String::new(),
            body_html: "<p>Members debated until dawn.</p>".into(),
            dateline_place: "Beirut".into(),
            source_credit: "LPA".into(),
            lead_image: None,
            published_at: Some(now - time::Duration::minutes(1)),
            updated_at: now,
            translation_group: None,
            tags: vec![],
            authors: vec![],
        },
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    db.close().await;
    // The server's read cache keeps results for at most two seconds.
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;

    let news = xml(&server.url("/sitemap-news.xml"));
    let urls = news["children"].as_array().unwrap();
    assert_eq!(urls.len(), listed + 1, "the newest first");
    let entry = child(&urls[0], &format!("{NEWS}news")).unwrap();
    let publication = child(entry, &format!("{NEWS}publication")).unwrap();
    assert_eq!(
        child(publication, &format!("{NEWS}name")).unwrap()["text"],
        "The Levant Courier"
    );
    assert_eq!(
        child(publication, &format!("{NEWS}language")).unwrap()["text"],
        "en"
    );
    assert_eq!(
        child(entry, &format!("{NEWS}title")).unwrap()["text"],
        "Breaking: parliament sits through the night"
    );
    assert!(
        child(entry, &format!("{NEWS}publication_date")).unwrap()["text"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
}
