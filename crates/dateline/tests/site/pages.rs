//! What readers see: the pages of both editions.

use crate::{article_links, between, get, get_with, links, server};
use dateline_core::{ArticleId, Slug};
use reqwest::StatusCode;

#[tokio::test]
async fn english_home_page_shows_lead_story_latest_and_a_block_per_section() {
    let server = server();
    let (status, headers, body) = get(&server, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-language"], "en");
    assert!(body.contains(r#"<html lang="en" dir="ltr">"#));
    assert!(body.contains("The Levant Courier"));
    assert!(body.contains("Latest news"));
    for section in [
        "Politics",
        "Business",
        "Health",
        "Environment",
        "Culture",
        "Lifestyle",
        "Cars",
        "Travel",
        "Cartoons",
    ] {
        assert!(
            body.contains(&format!(">{section}</a></h2>")),
            "no block for {section}"
        );
    }
    assert!(
        article_links(&body, "").len() >= 30,
        "home page links too few articles"
    );
}

#[tokio::test]
async fn arabic_edition_is_served_under_its_prefix_right_to_left() {
    let server = server();
    for path in ["/ar/", "/ar"] {
        let (status, headers, body) = get(&server, path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers["content-language"], "ar");
        assert!(body.contains(r#"<html lang="ar" dir="rtl">"#));
        assert!(body.contains("ساعي المشرق"));
        assert!(body.contains("آخر الأخبار"));
        assert!(body.contains(">سياسة</a>"));
        let articles = article_links(&body, "/ar");
        assert!(
            articles.len() >= 30,
            "Arabic home links {} articles",
            articles.len()
        );
    }
}

#[tokio::test]
async fn article_page_shows_every_part_of_the_seed_page_in_order() {
    let server = server();
    let (_, _, home) = get(&server, "/").await;
    let first = &article_links(&home, "")[0];
    let (status, headers, body) = get(&server, first).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age=60")
    );
    let parts = [
        r#"<header class="site-header">"#,
        r#"<nav class="sections""#,
        r#"<h1 class="headline">"#,
        "Last Updated : <time datetime=",
        r#"<figure class="lead-image">"#,
        "<figcaption>",
        r#"<div class="article-body">"#,
        r#"<p class="dateline">"#,
        r#"<nav class="tags""#,
        r#"id="comments""#,
        r#"<aside class="more-articles""#,
        "social-facebook",
        "social-twitter",
        "social-youtube",
        "social-rss",
        r#"<p class="publisher">Maintained and developed by Cedar Media Group SAL.</p>"#,
        r#"<p class="copyright">All rights reserved to Cedar Media Group 2026 ©</p>"#,
        r#"<address class="postal-address" dir="auto">بناية الأرز"#,
    ];
    let mut last = 0;
    for part in parts {
        let at = body[last..]
            .find(part)
            .unwrap_or_else(|| panic!("{part:?} missing or out of order on {first}"));
        last += at;
    }
    // The lead image has alt text and the dateline names place and outlet.
    let figure = between(&body, r#"<figure class="lead-image">"#, "</figure>");
    let alt = between(figure, r#"alt=""#, "\"");
    assert!(!alt.trim().is_empty());
    assert!(between(&body, r#"<p class="dateline">"#, "</p>").ends_with(" - The Levant Courier"));
    // Thirteen "more articles", stamped in the seed's style.
    let more = between(&body, r#"<aside class="more-articles""#, "</aside>");
    assert_eq!(more.matches("<li>").count(), 13);
    let stamp = between(more, "<li><time datetime=", "</time>")
        .split("\">")
        .nth(1)
        .unwrap();
    let words: Vec<&str> = stamp.split(' ').collect();
    assert_eq!(words.len(), 6, "stamp {stamp:?}");
    assert_eq!(words[0], "GMT");
    assert!(
        words[3].ends_with("day") && words[4].starts_with(','),
        "stamp {stamp:?}"
    );
    // Updated stamp: `GMT hh:mm:ss`
    let updated = between(&body, "Last Updated : <time", "</time>");
    let clock = updated.rsplit('>').next().unwrap();
    assert!(
        clock.starts_with("GMT ") && clock.len() == "GMT 05:17:37".len(),
        "{clock:?}"
    );
}

#[tokio::test]
async fn wire_copy_is_credited_to_its_agency_and_staff_copy_to_its_author() {
    let server = server();
    let (_, _, latest) = get(&server, "/latest").await;
    let mut articles = article_links(&latest, "");
    for page in 2..=4 {
        let (_, _, more) = get(&server, &format!("/latest?page={page}")).await;
        articles.extend(article_links(&more, ""));
    }
    let (mut wire, mut staff) = (false, false);
    for url in &articles {
        let (_, _, body) = get(&server, url).await;
        wire |= body.contains(r#"<p class="source">Source: <bdi>"#);
        staff |= body.contains(r#"<p class="byline">By <a rel="author" href="/author/"#);
        if wire && staff {
            return;
        }
    }
    panic!(
        "found wire credit: {wire}, staff byline: {staff} over {} articles",
        articles.len()
    );
}

#[tokio::test]
async fn arabic_article_uses_arabic_names_and_an_arabic_slug() {
    let server = server();
    let (_, _, home) = get(&server, "/ar/").await;
    let url = &article_links(&home, "/ar")[0];
    let slug = url.rsplit('/').next().unwrap();
    assert!(
        slug.chars().any(|c| ('\u{0621}'..='\u{064A}').contains(&c)),
        "slug of {url} is not Arabic"
    );
    let (status, _, body) = get(&server, url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(body.contains("آخر تحديث :"));
    let days = [
        "الاثنين",
        "الثلاثاء",
        "الأربعاء",
        "الخميس",
        "الجمعة",
        "السبت",
        "الأحد",
    ];
    let more = between(&body, r#"<aside class="more-articles""#, "</aside>");
    assert!(
        days.iter().any(|d| more.contains(d)),
        "no Arabic day name in {more}"
    );
    assert!(body.contains("تعليقات القرّاء"));
    assert!(body.contains(r#"<p class="dateline">"#) && body.contains(" - ساعي المشرق</p>"));
}

#[tokio::test]
async fn translated_articles_link_to_each_other_with_hreflang() {
    let server = server();
    let (_, _, latest) = get(&server, "/latest").await;
    for url in article_links(&latest, "") {
        let (_, _, body) = get(&server, &url).await;
        if let Some(link) = links(&body, "/ar/")
            .into_iter()
            .find(|l| body.contains(&format!("<a href=\"{l}\" hreflang=\"ar\"")))
        {
            assert!(body.contains(r#"<link rel="alternate" hreflang="ar""#));
            let (status, _, arabic) = get(&server, &link).await;
            assert_eq!(status, StatusCode::OK);
            assert!(arabic.contains(r#"hreflang="en""#));
            assert!(
                arabic.contains(&format!("{}\"", url)),
                "Arabic page does not link back to {url}"
            );
            return;
        }
    }
    panic!("no article on the first page of /latest has a translation");
}

#[tokio::test]
async fn section_tag_author_and_latest_pages_list_articles() {
    let server = server();
    let (status, _, politics) = get(&server, "/politics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(politics.contains("<h1>Politics</h1>"));
    assert!(politics.contains(r#"aria-current="page">Politics<"#));
    let first = &article_links(&politics, "")[0];
    assert!(first.starts_with("/politics/"));
    let (_, _, article) = get(&server, first).await;
    let tag = &links(&article, "/tag/")[0];
    let (status, _, tag_page) = get(&server, tag).await;
    assert_eq!(status, StatusCode::OK);
    assert!(tag_page.contains("<h1>Tag: "));
    assert!(article_links(&tag_page, "").contains(first));

    let (status, _, author) = get(&server, "/author/rana-haddad").await;
    assert_eq!(status, StatusCode::OK);
    assert!(author.contains("<h1>Articles by Rana Haddad</h1>"));
    assert!(author.contains("covers regional politics"));

    let (_, _, page1) = get(&server, "/latest").await;
    assert!(page1.contains("Page 1 of 4"), "47 articles at 12 a page");
    assert!(page1.contains(r#"<a rel="next" href="/latest?page=2">"#));
    let (_, _, page2) = get(&server, "/latest?page=2").await;
    assert!(page2.contains(r#"<a rel="prev" href="/latest">"#));
    let overlap = article_links(&page2, "")
        .iter()
        .filter(|l| article_links(&page1, "").contains(l))
        .count();
    assert_eq!(overlap, 0, "pages must not repeat articles");

    let (status, _, arabic) = get(&server, "/ar/tag/%D9%85%D9%8A%D8%A7%D9%87").await;
    assert!(status == StatusCode::OK || status == StatusCode::NOT_FOUND);
    if status == StatusCode::OK {
        assert!(arabic.contains("<h1>وسم: "));
    }
}

#[tokio::test]
async fn archive_lists_months_and_a_month_page_lists_its_articles() {
    let server = server();
    let (status, _, archive) = get(&server, "/archive").await;
    assert_eq!(status, StatusCode::OK);
    assert!(archive.contains(r#"<h2 id="year-2016">2016</h2>"#));
    assert!(archive.contains(r#"<a href="/archive/2016/03/">March</a>"#));
    let (status, _, month) = get(&server, "/archive/2016/03/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(month.contains("<h1>Archive: March 2016</h1>"));
    let stamps: Vec<&str> = month
        .split("<time datetime=\"")
        .skip(1)
        .map(|s| &s[..7])
        .collect();
    assert!(!stamps.is_empty());
    assert!(stamps.iter().all(|s| *s == "2016-03"), "{stamps:?}");
    let (status, _, arabic) = get(&server, "/ar/archive/2016/03/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(arabic.contains("أرشيف آذار 2016"));
}

#[tokio::test]
async fn unknown_paths_get_the_sites_404_page_in_its_language() {
    let server = server();
    for path in [
        "/no-such-page",
        "/politics/999999-gone",
        "/politics/not-an-id",
        "/tag/nothing-here",
        "/author/nobody",
        "/archive/2016/13/",
        "/archive/abc/01/",
        "/media/demo/none.svg",
        "/static/none.css",
    ] {
        let (status, headers, body) = get(&server, path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(body.contains("Page not found"), "{path}: {body}");
        assert!(body.contains(r#"<html lang="en" dir="ltr">"#));
        assert!(
            headers["cache-control"]
                .to_str()
                .unwrap()
                .contains("max-age")
        );
    }
    let (status, _, body) = get(&server, "/ar/no-such-page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("الصفحة غير موجودة"));
    assert!(body.contains(r#"<html lang="ar" dir="rtl">"#));
}

#[tokio::test]
async fn malformed_query_parameters_get_a_400_or_a_clamped_page() {
    let server = server();
    let (status, _, body) = get(&server, "/latest?page=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("page must be a whole number"), "{body}");
    let (status, _, body) = get(&server, "/ar/politics?page=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("طلب غير صالح"));
    for clamped in [
        "/latest?page=-1",
        "/latest?page=0",
        "/politics?page=",
        "/?page=-5",
    ] {
        let (status, _, _) = get(&server, clamped).await;
        assert_eq!(status, StatusCode::OK, "{clamped}");
    }
    for refused in [
        "/latest?page=99999999999999999999",
        "/latest?page=1e5",
        "/latest?page=%FF",
    ] {
        let (status, _, _) = get(&server, refused).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    }
    let (status, _, _) = get(&server, "/latest?page=999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let long = format!("/latest?q={}", "x".repeat(10 * 1024));
    let (status, _, _) = get(&server, &long).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_changed_slug_redirects_permanently_from_the_old_url() {
    let server = server();
    let (_, _, home) = get(&server, "/politics").await;
    let old = article_links(&home, "")[0].clone();
    let id: i64 = old
        .trim_start_matches("/politics/")
        .split('-')
        .next()
        .unwrap()
        .parse()
        .unwrap();

    let db = crate::store_of(&server).await;
    let slug = Slug::from_headline("A completely new headline").unwrap();
    assert!(
        db.set_article_slug(ArticleId(id), &slug, time::OffsetDateTime::now_utc())
            .await
            .unwrap()
    );
    db.close().await;

    let new = format!("/politics/{id}-a-completely-new-headline");
    for stale in [
        old.as_str(),
        &format!("/politics/{id}"),
        &format!("/business/{id}-a-completely-new-headline"),
    ] {
        let (status, headers, _) = get(&server, stale).await;
        assert_eq!(status, StatusCode::MOVED_PERMANENTLY, "{stale}");
        assert_eq!(headers["location"], new.as_str());
    }
    let (status, _, _) = get(&server, &new).await;
    assert_eq!(status, StatusCode::OK);
    // Arabic edition: the redirect keeps the /ar prefix.
    let (_, _, arabic) = get(&server, "/ar/politics").await;
    let arabic_url = article_links(&arabic, "/ar")[0].clone();
    let arabic_id = arabic_url
        .trim_start_matches("/ar/politics/")
        .split('-')
        .next()
        .unwrap();
    let (status, headers, _) = get(&server, &format!("/ar/politics/{arabic_id}-old")).await;
    assert_eq!(status, StatusCode::MOVED_PERMANENTLY);
    let location = headers["location"]
        .to_str()
        .expect("an ASCII Location header");
    assert_eq!(crate::percent_decode(location), arabic_url);
}

#[tokio::test]
async fn sites_are_also_chosen_by_host_name() {
    let server = server();
    let (_, _, body) = get_with(&server, "/", &[("host", "ar.courier.localhost:8080")]).await;
    assert!(body.contains(r#"<link rel="canonical" href="http://ar.courier.localhost:8080/">"#));
    // The other edition is linked on its own host name.
    assert!(body.contains(r#"<a class="edition-switch" href="http://courier.localhost:8080/""#));
    assert!(body.contains(r#"<html lang="ar" dir="rtl">"#));
    // Chosen by host, links carry no /ar prefix.
    assert!(!article_links(&body, "").is_empty());
    let (_, _, body) = get_with(&server, "/", &[("host", "courier.localhost:8080")]).await;
    assert!(body.contains(r#"<html lang="en" dir="ltr">"#));
}

#[tokio::test]
async fn the_rss_feed_lists_the_latest_articles() {
    let server = server();
    let (status, headers, body) = get(&server, "/feed.xml").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/rss+xml")
    );
    assert_eq!(body.matches("<item>").count(), 30);
    let (_, _, arabic) = get(&server, "/ar/feed.xml").await;
    assert!(arabic.contains("<language>ar</language>"));
}
