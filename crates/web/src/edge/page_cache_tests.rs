//! Unit tests of the page cache.

use super::*;
use axum::body::Bytes;
use axum::http::HeaderValue;
use axum::http::{HeaderMap, header};

fn page(keys: &str, cache_control: &'static str) -> Arc<Page> {
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    headers.insert("surrogate-key", HeaderValue::from_str(keys).unwrap());
    Arc::new(Page::new(headers, Bytes::from_static(b"<p>page</p>")))
}

fn cache() -> Arc<PageCache> {
    Arc::new(PageCache::new(PageCacheConfig::default()))
}

async fn render_with(cache: &Arc<PageCache>, key: &str, page: Arc<Page>) {
    match cache.lookup(key, true).await {
        Lookup::Render(render) => {
            render.finish(page);
        }
        _ => panic!("expected to render {key}"),
    }
}

#[tokio::test]
async fn a_purge_renews_the_pages_carrying_its_keys_only() {
    let cache = cache();
    render_with(&cache, "a", page("site-1 article-7", "public")).await;
    render_with(&cache, "b", page("site-1 article-8", "public")).await;
    assert!(matches!(cache.lookup("a", true).await, Lookup::Hit(_)));
    cache.purge(&["article-7".to_owned()]);
    assert!(matches!(cache.lookup("a", true).await, Lookup::Render(_)));
    assert!(matches!(cache.lookup("b", true).await, Lookup::Hit(_)));
}

#[tokio::test]
async fn private_answers_are_not_kept() {
    let cache = cache();
    render_with(&cache, "a", page("site-1", "no-store")).await;
    assert!(matches!(cache.lookup("a", true).await, Lookup::Pass));
}

#[tokio::test]
async fn concurrent_misses_wait_for_one_render() {
    let cache = cache();
    let Lookup::Render(render) = cache.lookup("a", true).await else {
        panic!("first request renders");
    };
    let waiters: Vec<_> = (0..50)
        .map(|_| {
            let cache = cache.clone();
            tokio::spawn(async move { matches!(cache.lookup("a", true).await, Lookup::Hit(_)) })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(20)).await;
    render.finish(page("site-1", "public"));
    for waiter in waiters {
        assert!(waiter.await.unwrap());
    }
    assert_eq!(cache.stats.renders.load(Ordering::Relaxed), 1);
    assert_eq!(cache.stats.coalesced.load(Ordering::Relaxed), 50);
}

#[tokio::test]
async fn a_render_abandoned_is_taken_over_by_a_waiter() {
    let cache = cache();
    let Lookup::Render(render) = cache.lookup("a", true).await else {
        panic!("first request renders");
    };
    let waiter = {
        let cache = cache.clone();
        tokio::spawn(async move { matches!(cache.lookup("a", true).await, Lookup::Render(_)) })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    drop(render);
    assert!(waiter.await.unwrap());
}

#[tokio::test]
async fn a_render_that_began_before_a_purge_is_not_kept() {
    let cache = cache();
    let Lookup::Render(render) = cache.lookup("a", true).await else {
        panic!("first request renders");
    };
    cache.purge(&["site-1".to_owned()]);
    render.finish(page("site-1", "public"));
    assert!(matches!(cache.lookup("a", true).await, Lookup::Render(_)));
}

#[tokio::test]
async fn the_cache_stays_within_its_entry_limit() {
    let cache = Arc::new(PageCache::new(PageCacheConfig {
        max_entries: 10,
        ..PageCacheConfig::default()
    }));
    for n in 0..25 {
        render_with(&cache, &format!("p{n}"), page("site-1", "public")).await;
    }
    assert!(cache.size().0 <= 10, "{:?}", cache.size());
    // The newest is kept.
    assert!(matches!(cache.lookup("p24", true).await, Lookup::Hit(_)));
}

#[tokio::test]
async fn a_flood_of_bad_urls_stays_bounded_and_leaves_the_pages_alone() {
    let cache = Arc::new(PageCache::new(PageCacheConfig {
        max_entries: 10,
        max_negative: 100,
        ..PageCacheConfig::default()
    }));
    for n in 0..10 {
        render_with(&cache, &format!("p{n}"), page("site-1", "public")).await;
    }
    for n in 0..5_000 {
        let Lookup::Render(render) = cache.lookup(&format!("missing-{n}"), true).await else {
            panic!("a new address renders");
        };
        render.pass();
    }
    assert!(
        cache.negative_entries() <= 100,
        "{}",
        cache.negative_entries()
    );
    assert_eq!(cache.size().0, 10);
    for n in 0..10 {
        assert!(matches!(
            cache.lookup(&format!("p{n}"), true).await,
            Lookup::Hit(_)
        ));
    }
    // The newest bad address is still remembered, so its readers do not
    // queue behind each other.
    assert!(matches!(
        cache.lookup("missing-4999", true).await,
        Lookup::Pass
    ));
}

#[tokio::test]
async fn pages_are_evicted_least_recently_used_first() {
    let cache = Arc::new(PageCache::new(PageCacheConfig {
        max_entries: 10,
        ..PageCacheConfig::default()
    }));
    for n in 0..10 {
        render_with(&cache, &format!("p{n}"), page("site-1", "public")).await;
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    // p0 is read again, so p1 is now the least recently used.
    assert!(matches!(cache.lookup("p0", true).await, Lookup::Hit(_)));
    render_with(&cache, "p10", page("site-1", "public")).await;
    assert!(matches!(cache.lookup("p0", true).await, Lookup::Hit(_)));
    assert!(matches!(cache.lookup("p1", true).await, Lookup::Render(_)));
}

fn body_of(lookup: Lookup) -> Bytes {
    match lookup {
        Lookup::Hit(page) => page.body.clone(),
        _ => panic!("expected a page"),
    }
}

fn page_saying(text: &'static str) -> Arc<Page> {
    let mut headers = HeaderMap::new();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public"));
    headers.insert("surrogate-key", HeaderValue::from_static("article-7"));
    Arc::new(Page::new(headers, Bytes::from_static(text.as_bytes())))
}

#[tokio::test]
async fn while_a_purged_page_renders_again_its_asker_waits_and_the_others_get_the_old_copy() {
    let cache = cache();
    render_with(&cache, "a", page_saying("before")).await;
    cache.purge(&["article-7".to_owned()]);
    assert_eq!(cache.size().0, 1, "the old copy is kept");
    // The first to ask after the change renders, and gets the new page.
    let Lookup::Render(render) = cache.lookup("a", true).await else {
        panic!("the first request after a purge renders");
    };
    // Everyone else meanwhile: the old copy at once, even from the front
    // door's quick look.
    assert_eq!(body_of(cache.lookup("a", true).await), "before");
    assert_eq!(cache.get("a").unwrap().body, "before");
    assert_eq!(body_of(cache.lookup("a", false).await), "before");
    assert_eq!(cache.stats.stale.load(Ordering::Relaxed), 3);
    render.finish(page_saying("after"));
    assert_eq!(body_of(cache.lookup("a", true).await), "after");
    assert_eq!(cache.size().0, 1, "the old copy went with the new page");
}

#[tokio::test]
async fn a_render_abandoned_or_overtaken_by_a_purge_leaves_the_old_copy_for_the_next_asker() {
    let cache = cache();
    render_with(&cache, "a", page_saying("first")).await;
    cache.purge(&["article-7".to_owned()]);
    let Lookup::Render(render) = cache.lookup("a", true).await else {
        panic!("renders");
    };
    drop(render);
    // Nobody is rendering: the next request renders (and waits for it).
    let Lookup::Render(render) = cache.lookup("a", true).await else {
        panic!("the next request renders");
    };
    // A second change while it renders: what it made is not kept, and the
    // old copy waits for the next asker.
    cache.purge(&["article-7".to_owned()]);
    assert!(render.finish(page_saying("between")));
    let Lookup::Render(render) = cache.lookup("a", true).await else {
        panic!("rendered again after the second change");
    };
    assert_eq!(body_of(cache.lookup("a", true).await), "first");
    render.finish(page_saying("last"));
    assert_eq!(body_of(cache.lookup("a", true).await), "last");
    assert_eq!(cache.size(), (1, page_saying("last").size()));
}
