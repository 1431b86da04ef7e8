//! The page cache under hostile traffic: cache-busting query strings and
//! floods of unique bad URLs, seen through `/metrics`.

use crate::caching::{app_with, metric};
use crate::get;
use reqwest::StatusCode;

#[tokio::test]
async fn query_strings_the_pages_do_not_read_reach_the_cached_page() {
    let app = app_with(&[
        ("DATELINE_METRICS", "true"),
        ("DATELINE_PAGE_CACHE_SECONDS", "120"),
    ]);
    let path = app.first_article_on("/", "").await;
    let (_, _, page) = get(&app, &path).await;
    let renders = metric(&app, "dateline_page_cache_renders_total").await;
    for n in 0..50 {
        let (status, _, busted) = get(&app, &format!("{path}?utm_source=x{n}&cb={n}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(busted, page, "the same page, from the same entry");
    }
    assert_eq!(
        metric(&app, "dateline_page_cache_renders_total").await,
        renders,
        "no render for parameters the page does not read"
    );
    assert_eq!(metric(&app, "dateline_page_cache_entries").await, 2);

    // The parameters a page does read still choose what it shows, in any
    // order and encoding, from one entry.
    let (status, _, second) = get(&app, "/latest?page=2&utm_medium=x").await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(second, get(&app, "/latest").await.2);
    let renders = metric(&app, "dateline_page_cache_renders_total").await;
    let (_, _, again) = get(&app, "/latest?fbclid=1&page=1&page=2").await;
    assert_eq!(again, second);
    let (_, _, found) = get(&app, "/search?q=gaza+talks&sort=date").await;
    let (_, _, reordered) = get(&app, "/search?sort=date&q=gaza%20talks").await;
    assert_eq!(found, reordered);
    assert_eq!(
        metric(&app, "dateline_page_cache_renders_total").await,
        renders + 1
    );
}

#[tokio::test]
async fn a_flood_of_unique_missing_pages_neither_grows_without_bound_nor_evicts_pages() {
    let app = app_with(&[
        ("DATELINE_METRICS", "true"),
        ("DATELINE_PAGE_CACHE_SECONDS", "120"),
        ("DATELINE_PAGE_CACHE_NEGATIVE_ENTRIES", "50"),
    ]);
    let path = app.first_article_on("/", "").await;
    get(&app, &path).await;
    let pages = metric(&app, "dateline_page_cache_entries").await;
    for n in 0..400 {
        let (status, _, _) = get(&app, &format!("/no-such-section-{n}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
    assert!(metric(&app, "dateline_page_cache_negative_entries").await <= 50);
    assert_eq!(metric(&app, "dateline_page_cache_entries").await, pages);
    let hits = metric(&app, "dateline_page_cache_hits_total").await;
    get(&app, &path).await;
    assert_eq!(
        metric(&app, "dateline_page_cache_hits_total").await,
        hits + 1,
        "the article is still served from the cache"
    );
}
