//! Pages in a real browser: headless Chromium over WebDriver.

use crate::{article_links, get, server};
use dateline_testkit::Browser;
use serde_json::json;

#[tokio::test]
async fn english_and_arabic_articles_render_in_their_direction_without_console_errors() {
    let server = server();
    let (_, _, english_home) = get(&server, "/").await;
    let (_, _, arabic_home) = get(&server, "/ar/").await;
    let english = server.url(&article_links(&english_home, "")[0]);
    let arabic = server.url(&article_links(&arabic_home, "/ar")[0]);
    let browser = Browser::start().await;

    browser.client.goto(&english).await.unwrap();
    assert_eq!(
        browser.eval("return document.documentElement.dir").await,
        json!("ltr")
    );
    assert_eq!(
        browser
            .eval("return getComputedStyle(document.body).direction")
            .await,
        json!("ltr")
    );
    // The Arabic postal address reads right to left inside the English page.
    assert_eq!(
        browser
            .eval("return getComputedStyle(document.querySelector('address')).direction")
            .await,
        json!("rtl")
    );
    // The stylesheet applied (no CSP block) and the lead image loaded.
    assert_eq!(
        browser
            .eval(
                "return getComputedStyle(document.querySelector('.site-header')).borderBottomStyle"
            )
            .await,
        json!("solid")
    );
    assert_eq!(browser.eval("const i = document.querySelector('.lead-image img'); return i.complete && i.naturalWidth > 0").await, json!(true));
    // The site name sits at the start (left) of the masthead.
    assert_eq!(browser.eval("return document.querySelector('.site-name').getBoundingClientRect().left < innerWidth / 2").await, json!(true));
    let errors = browser.console_errors().await;
    assert!(
        errors.is_empty(),
        "console errors on the English article: {errors:?}"
    );

    browser.client.goto(&arabic).await.unwrap();
    assert_eq!(
        browser.eval("return document.documentElement.dir").await,
        json!("rtl")
    );
    assert_eq!(
        browser.eval("return document.documentElement.lang").await,
        json!("ar")
    );
    assert_eq!(
        browser
            .eval("return getComputedStyle(document.querySelector('.article-body')).direction")
            .await,
        json!("rtl")
    );
    // Mirrored layout: the site name sits at the right of the masthead.
    assert_eq!(browser.eval("return document.querySelector('.site-name').getBoundingClientRect().left > innerWidth / 2").await, json!(true));
    assert_eq!(browser.eval("const i = document.querySelector('.lead-image img'); return i.complete && i.naturalWidth > 0").await, json!(true));
    let errors = browser.console_errors().await;
    assert!(
        errors.is_empty(),
        "console errors on the Arabic article: {errors:?}"
    );

    // Readable with JavaScript off: the article text is in the HTML itself.
    let text = browser
        .eval("return document.querySelector('.article-body').textContent.length")
        .await;
    assert!(text.as_u64().unwrap() > 200);
    browser.close().await;
}
