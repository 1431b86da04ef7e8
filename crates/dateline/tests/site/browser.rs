//! Pages in a real browser: headless Chromium over WebDriver.

use crate::app;
use dateline_testkit::{Browser, Locator, PASSWORD, Person, TestApp};
use serde_json::json;

#[tokio::test]
async fn english_and_arabic_articles_render_in_their_direction_without_console_errors() {
    let app = app();
    let english = app.url(&app.first_article_on("/", "").await);
    let arabic = app.url(&app.first_article_on("/ar/", "/ar").await);
    let browser = Browser::start().await;

    browser.goto(&english).await;
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

    browser.goto(&arabic).await;
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

#[tokio::test]
async fn an_editor_logs_in_through_the_browser_in_arabic_and_out_again() {
    let app = app();
    crate::newsroom::editor(&app);
    let browser = Browser::start().await;

    browser.goto(&app.url("/ar/newsroom")).await;
    // Sent to the login page, right to left.
    assert!(
        browser
            .wait_for("return location.pathname.endsWith('/ar/newsroom/login')")
            .await
    );
    assert_eq!(
        browser
            .eval("return getComputedStyle(document.body).direction")
            .await,
        json!("rtl")
    );
    browser.type_into("#email", "rana@example.com").await;
    browser.type_into("#password", "wrong password!").await;
    browser.click("form button[type=submit]").await;
    // The form comes back with the message and the address kept.
    assert!(
        browser
            .wait_for("return document.querySelector('.nr-alert') !== null")
            .await
    );
    let alert = browser.text(".nr-alert").await;
    assert!(alert.contains("غير صحيحة"), "{alert}");
    assert_eq!(
        browser
            .eval("return document.querySelector('#email').value")
            .await,
        json!("rana@example.com")
    );

    browser.type_into("#password", PASSWORD).await;
    browser.click("form button[type=submit]").await;
    assert!(
        browser
            .wait_for("return location.pathname.endsWith('/ar/newsroom')")
            .await
    );
    let heading = browser.text("h1").await;
    assert!(heading.contains("Rana Haddad"), "{heading}");
    // The session cookie is not readable by scripts.
    assert_eq!(browser.eval("return document.cookie").await, json!(""));

    browser.click(".nr-logout button").await;
    assert!(
        browser
            .wait_for("return location.pathname.endsWith('/ar/newsroom/login')")
            .await
    );
    browser.goto(&app.url("/ar/newsroom")).await;
    assert!(
        browser
            .wait_for("return location.pathname.endsWith('/ar/newsroom/login')")
            .await,
        "logged out for good"
    );

    // Only the expected failed login (401) may appear in the console.
    let errors: Vec<String> = browser
        .console_errors()
        .await
        .into_iter()
        .filter(|e| !e.contains("401"))
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}

#[tokio::test]
async fn an_editor_writes_in_the_rich_editor_loses_the_tab_and_publishes_the_autosaved_text() {
    let app = app();
    crate::newsroom::editor(&app);
    let browser = Browser::start().await;
    browser
        .log_in(&app.url("/newsroom/login"), "rana@example.com", PASSWORD)
        .await;

    browser.goto(&app.url("/newsroom/articles/new")).await;
    // The script turned the body's textarea into a rich surface with a toolbar.
    assert_eq!(
        browser
            .eval("return document.querySelector('.rte-toolbar').hidden")
            .await,
        json!(false)
    );
    browser
        .type_into("#headline", "Snow closes the mountain road")
        .await;
    browser.choose("#section", 1).await;
    browser.click(".rte-surface").await;
    browser
        .type_into(".rte-surface", "Drivers waited for hours")
        .await;
    browser.click(r#".rte-toolbar [data-command="h2"]"#).await;
    assert!(
        browser.wait_for("return document.querySelector('#body_html').value.includes('<h2>Drivers waited for hours</h2>')"
        )
        .await,
        "the toolbar made a subheading and the textarea follows the surface"
    );
    // Let the last change's autosave start (1.5 s pause), then wait for
    // the server to acknowledge it: leaving earlier would (rightly) raise
    // the unsaved-changes warning.
    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    assert!(
        browser
            .wait_for("return document.querySelector('#autosave-status').dataset.state === 'saved'")
            .await,
        "autosave acknowledged"
    );

    // The tab is lost; opening a new article again restores the typing.
    browser.goto(&app.url("/")).await;
    browser.eval("localStorage.clear(); return true").await;
    browser.goto(&app.url("/newsroom/articles/new")).await;
    assert_eq!(
        browser
            .eval("return document.querySelector('#headline').value")
            .await,
        json!("Snow closes the mountain road")
    );
    let notice = browser.text(".nr-notice").await;
    assert!(notice.contains("Restored"), "{notice}");

    browser.click(r#"button[value="publish"]"#).await;
    assert!(
        browser
            .wait_for("return document.querySelector('.nr-state-published') !== null")
            .await,
        "published"
    );
    let live = browser
        .eval("return [...document.querySelectorAll('.nr-page-head a')].map(a => a.href).find(h => !h.includes('/newsroom/'))")
        .await;
    browser.goto(live.as_str().unwrap()).await;
    let subheading = browser.text(".article-body h2").await;
    assert_eq!(subheading, "Drivers waited for hours");
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}

#[tokio::test]
async fn a_reader_comments_in_the_browser_with_the_proof_of_work_the_site_chose() {
    let app = app();
    let path = app.first_article_on("/politics", "").await;
    let browser = Browser::start().await;
    browser.goto(&app.url(&path)).await;
    // Reading costs no challenge: the work starts when the reader writes.
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert_eq!(
        browser
            .eval("return document.querySelector('input[name=proof]').value")
            .await,
        json!("")
    );
    // The counter follows the typing.
    browser.type_into("#comment-body", "Twelve chars").await;
    assert!(
        browser.wait_for("return document.querySelector('#comment-chars-left').textContent.startsWith('988 ')"
        )
        .await,
        "the counter shows the characters left"
    );
    for (field, value) in [
        ("#comment-name", "Layla"),
        ("#comment-email", "layla@example.com"),
        ("#comment-title", "From the browser"),
    ] {
        browser.type_into(field, value).await;
    }
    // Sent without agreeing to the terms: back with the message, text kept.
    browser.click(".comment-form button[type=submit]").await;
    assert!(
        browser
            .wait_for("return document.querySelector('#comment-agree-error') !== null")
            .await,
        "the refusal names the missing consent"
    );
    assert_eq!(
        browser
            .eval("return [document.querySelector('#comment-title').value, document.querySelector('#comment-body').value]")
            .await,
        json!(["From the browser", "Twelve chars"])
    );
    browser.click("input[name=agree]").await;
    // The demo's sites chose the proof of work: the browser solves it by
    // itself, and the image and its field make way.
    assert!(
        browser
            .wait_for("return document.querySelector('input[name=proof]').value !== ''")
            .await,
        "the browser solved the challenge"
    );
    assert_eq!(
        browser
            .eval("return document.querySelector('#comment-code').hidden")
            .await,
        json!(true)
    );
    let status = browser
        .eval("return document.querySelector('.code-status').textContent")
        .await;
    assert_eq!(status, json!("Checked: no code to type."));
    browser.click(".comment-form button[type=submit]").await;
    let sent = browser
        .wait_for("return location.search === '?comment=pending'")
        .await;
    if !sent {
        let state = browser
            .eval("return [location.href, document.querySelector('.comment-form') && document.querySelector('.comment-form').innerText]")
            .await;
        panic!("not sent: {state}");
    }
    let notice = browser.text("#comment-status").await;
    assert!(notice.contains("awaits moderation"), "{notice}");
    // The refused submission (422) is the only error the console may show.
    let errors: Vec<String> = browser
        .console_errors()
        .await
        .into_iter()
        .filter(|e| !e.contains("422"))
        .collect();
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}

/// Logs into the English newsroom in the browser and waits for it.
async fn log_in_as(browser: &Browser, app: &TestApp, email: &str) {
    browser
        .log_in(&app.url("/newsroom/login"), email, PASSWORD)
        .await;
    assert!(
        browser
            .wait_for("return location.pathname === '/newsroom'")
            .await
    );
}

#[tokio::test]
async fn a_reporter_files_a_story_with_a_photo_an_editor_publishes_it_and_schedules_another() {
    let app = app();
    // Both on the English site only.
    for person in [Person::REPORTER, Person::EDITOR] {
        app.add(Person {
            site: Some("courier-en"),
            ..person
        });
    }
    let browser = Browser::start().await;

    // The reporter writes, picks a lead image and submits for review.
    log_in_as(&browser, &app, "rami@example.com").await;
    browser.goto(&app.url("/newsroom/articles/new")).await;
    browser
        .type_into("#headline", "Harbour cranes return to work")
        .await;
    browser.choose("#section", 1).await;
    browser.choose("#lead_media", 1).await;
    browser.type_into("#lead_alt", "Cranes over the quay").await;
    browser.click(".rte-surface").await;
    browser
        .type_into(".rte-surface", "Work resumed at dawn.")
        .await;
    assert!(
        browser
            .client
            .find(Locator::Css(r#"button[value="publish"]"#))
            .await
            .is_err(),
        "reporters get no publish button"
    );
    browser.click(r#"button[value="submit"]"#).await;
    assert!(
        browser
            .wait_for("return document.querySelector('.nr-state-in_review') !== null")
            .await
    );
    browser.click(".nr-logout button").await;
    assert!(
        browser
            .wait_for("return location.pathname === '/newsroom/login'")
            .await
    );

    // The editor finds it waiting, publishes it, and readers see it with its photo.
    log_in_as(&browser, &app, "eda@example.com").await;
    browser.click_link("Harbour cranes return to work").await;
    assert!(
        browser
            .wait_for("return document.querySelector('button[value=publish]') !== null")
            .await
    );
    browser.click(r#"button[value="publish"]"#).await;
    assert!(
        browser
            .wait_for("return document.querySelector('.nr-state-published') !== null")
            .await
    );
    let live = browser
        .eval("return [...document.querySelectorAll('.nr-page-head a')].map(a => a.href).find(h => !h.includes('/newsroom/'))")
        .await;
    browser.goto(live.as_str().unwrap()).await;
    assert!(
        browser.wait_for("const i = document.querySelector('.lead-image img'); return !!i && i.complete && i.naturalWidth > 0 && i.alt === 'Cranes over the quay'"
        )
        .await,
        "the lead image loads on the public page"
    );

    // A story scheduled a few seconds ahead appears on its own.
    browser.goto(&app.url("/newsroom/articles/new")).await;
    browser
        .type_into("#headline", "Ferry timetable changes at noon")
        .await;
    browser.choose("#section", 1).await;
    // The English demo site keeps GMT: its local time is UTC.
    browser
        .eval(
            "const t = new Date(Date.now() + 4000); \
             const p = n => String(n).padStart(2, '0'); \
             document.querySelector('#publish_at').value = `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}T${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`; \
             return true",
        )
        .await;
    browser.click(r#"button[value="schedule"]"#).await;
    assert!(
        browser
            .wait_for("return document.querySelector('.nr-state-scheduled') !== null")
            .await
    );
    let section_url = browser
        .eval("return document.querySelector('#section option:checked').textContent.toLowerCase()")
        .await;
    let section = section_url.as_str().unwrap().to_owned();
    let mut appeared = false;
    for attempt in 0..30 {
        // List pages may be cached for 30 s: ask past the browser's cache.
        browser
            .goto(&app.url(&format!("/{section}?t={attempt}")))
            .await;
        if browser
            .eval("return document.body.textContent.includes('Ferry timetable changes at noon')")
            .await
            == json!(true)
        {
            appeared = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(appeared, "the scheduled story went live at its time");
    browser.close().await;
}
