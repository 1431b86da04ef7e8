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

#[tokio::test]
async fn an_editor_logs_in_through_the_browser_in_arabic_and_out_again() {
    use dateline_testkit::Locator;
    let server = crate::app();
    crate::newsroom::editor(&server);
    let browser = Browser::start().await;
    let c = &browser.client;

    c.goto(&server.url("/ar/newsroom")).await.unwrap();
    // Sent to the login page, right to left.
    assert!(
        wait_for(
            &browser,
            "return location.pathname.endsWith('/ar/newsroom/login')"
        )
        .await
    );
    assert_eq!(
        browser
            .eval("return getComputedStyle(document.body).direction")
            .await,
        json!("rtl")
    );
    c.find(Locator::Css("#email"))
        .await
        .unwrap()
        .send_keys("rana@example.com")
        .await
        .unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys("wrong password!")
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The form comes back with the message and the address kept.
    assert!(
        wait_for(
            &browser,
            "return document.querySelector('.nr-alert') !== null"
        )
        .await
    );
    let alert = c
        .find(Locator::Css(".nr-alert"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(alert.contains("غير صحيحة"), "{alert}");
    assert_eq!(
        browser
            .eval("return document.querySelector('#email').value")
            .await,
        json!("rana@example.com")
    );

    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(dateline_testkit::PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        wait_for(
            &browser,
            "return location.pathname.endsWith('/ar/newsroom')"
        )
        .await
    );
    let heading = c
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(heading.contains("Rana Haddad"), "{heading}");
    // The session cookie is not readable by scripts.
    assert_eq!(browser.eval("return document.cookie").await, json!(""));

    c.find(Locator::Css(".nr-logout button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        wait_for(
            &browser,
            "return location.pathname.endsWith('/ar/newsroom/login')"
        )
        .await
    );
    c.goto(&server.url("/ar/newsroom")).await.unwrap();
    assert!(
        wait_for(
            &browser,
            "return location.pathname.endsWith('/ar/newsroom/login')"
        )
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

/// Polls a script in the page until it returns `true` (ten seconds at most).
async fn wait_for(browser: &Browser, script: &str) -> bool {
    for _ in 0..100 {
        if browser.eval(script).await == json!(true) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test]
async fn an_editor_writes_in_the_rich_editor_loses_the_tab_and_publishes_the_autosaved_text() {
    use dateline_testkit::Locator;
    let server = crate::app();
    crate::newsroom::editor(&server);
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&server.url("/newsroom/login")).await.unwrap();
    c.find(Locator::Css("#email"))
        .await
        .unwrap()
        .send_keys("rana@example.com")
        .await
        .unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(dateline_testkit::PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    c.goto(&server.url("/newsroom/articles/new")).await.unwrap();
    // The script turned the body's textarea into a rich surface with a toolbar.
    assert_eq!(
        browser
            .eval("return document.querySelector('.rte-toolbar').hidden")
            .await,
        json!(false)
    );
    c.find(Locator::Css("#headline"))
        .await
        .unwrap()
        .send_keys("Snow closes the mountain road")
        .await
        .unwrap();
    c.find(Locator::Css("#section"))
        .await
        .unwrap()
        .select_by_index(1)
        .await
        .unwrap();
    let surface = c.find(Locator::Css(".rte-surface")).await.unwrap();
    surface.click().await.unwrap();
    surface.send_keys("Drivers waited for hours").await.unwrap();
    c.find(Locator::Css(r#".rte-toolbar [data-command="h2"]"#))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        wait_for(
            &browser,
            "return document.querySelector('#body_html').value.includes('<h2>Drivers waited for hours</h2>')"
        )
        .await,
        "the toolbar made a subheading and the textarea follows the surface"
    );
    // Let the last change's autosave start (1.5 s pause), then wait for
    // the server to acknowledge it: leaving earlier would (rightly) raise
    // the unsaved-changes warning.
    tokio::time::sleep(std::time::Duration::from_millis(2000)).await;
    assert!(
        wait_for(
            &browser,
            "return document.querySelector('#autosave-status').dataset.state === 'saved'"
        )
        .await,
        "autosave acknowledged"
    );

    // The tab is lost; opening a new article again restores the typing.
    c.goto(&server.url("/")).await.unwrap();
    browser.eval("localStorage.clear(); return true").await;
    c.goto(&server.url("/newsroom/articles/new")).await.unwrap();
    assert_eq!(
        browser
            .eval("return document.querySelector('#headline').value")
            .await,
        json!("Snow closes the mountain road")
    );
    let notice = c
        .find(Locator::Css(".nr-notice"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(notice.contains("Restored"), "{notice}");

    c.find(Locator::Css(r#"button[value="publish"]"#))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        wait_for(
            &browser,
            "return document.querySelector('.nr-state-published') !== null"
        )
        .await,
        "published"
    );
    let live = browser
        .eval("return [...document.querySelectorAll('.nr-page-head a')].map(a => a.href).find(h => !h.includes('/newsroom/'))")
        .await;
    c.goto(live.as_str().unwrap()).await.unwrap();
    let subheading = c
        .find(Locator::Css(".article-body h2"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(subheading, "Drivers waited for hours");
    let errors = browser.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    browser.close().await;
}

#[tokio::test]
async fn a_reader_comments_in_the_browser_with_the_proof_of_work_instead_of_the_image() {
    use dateline_testkit::Locator;
    let server = server();
    let (_, _, page) = crate::get(&server, "/politics").await;
    let path = crate::article_links(&page, "").into_iter().next().unwrap();
    let browser = Browser::start().await;
    let c = &browser.client;
    c.goto(&server.url(&path)).await.unwrap();
    // The counter follows the typing.
    c.find(Locator::Css("#comment-body"))
        .await
        .unwrap()
        .send_keys("Twelve chars")
        .await
        .unwrap();
    assert!(
        wait_for(
            &browser,
            "return document.querySelector('#comment-chars-left').textContent.startsWith('988 ')"
        )
        .await,
        "the counter shows the characters left"
    );
    for (field, value) in [
        ("#comment-name", "Layla"),
        ("#comment-email", "layla@example.com"),
        ("#comment-title", "From the browser"),
    ] {
        c.find(Locator::Css(field))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    // Sent without agreeing to the terms: back with the message, text kept.
    c.find(Locator::Css(".comment-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        wait_for(
            &browser,
            "return document.querySelector('#comment-agree-error') !== null"
        )
        .await,
        "the refusal names the missing consent"
    );
    assert_eq!(
        browser
            .eval("return [document.querySelector('#comment-title').value, document.querySelector('#comment-body').value]")
            .await,
        json!(["From the browser", "Twelve chars"])
    );
    c.find(Locator::Css("input[name=agree]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css(".code-alternative"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        wait_for(
            &browser,
            "return document.querySelector('input[name=proof]').value !== ''"
        )
        .await,
        "the browser solved the challenge"
    );
    let status = browser
        .eval("return document.querySelector('.code-status').textContent")
        .await;
    assert_eq!(status, json!("Checked: no code to type."));
    c.find(Locator::Css(".comment-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        wait_for(&browser, "return location.search === '?comment=pending'").await,
        "sent and waiting for moderation"
    );
    let notice = c
        .find(Locator::Css("#comment-status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
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

/// Logs into the English newsroom in the browser.
async fn log_in_as(browser: &Browser, server: &dateline_testkit::TestServer, email: &str) {
    use dateline_testkit::Locator;
    let c = &browser.client;
    c.goto(&server.url("/newsroom/login")).await.unwrap();
    c.find(Locator::Css("#email"))
        .await
        .unwrap()
        .send_keys(email)
        .await
        .unwrap();
    c.find(Locator::Css("#password"))
        .await
        .unwrap()
        .send_keys(dateline_testkit::PASSWORD)
        .await
        .unwrap();
    c.find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(wait_for(browser, "return location.pathname === '/newsroom'").await);
}

#[tokio::test]
async fn a_reporter_files_a_story_with_a_photo_an_editor_publishes_it_and_schedules_another() {
    use dateline_testkit::Locator;
    let server = crate::app();
    for (email, role) in [
        ("rami@example.com", "reporter"),
        ("eda@example.com", "editor"),
    ] {
        let out = server.add_user(
            &[
                "--email",
                email,
                "--role",
                role,
                "--site",
                "courier-en",
                "--password-stdin",
            ],
            Some(&format!("{}\n", dateline_testkit::PASSWORD)),
        );
        assert!(out.status.success());
    }
    let browser = Browser::start().await;
    let c = &browser.client;

    // The reporter writes, picks a lead image and submits for review.
    log_in_as(&browser, &server, "rami@example.com").await;
    c.goto(&server.url("/newsroom/articles/new")).await.unwrap();
    c.find(Locator::Css("#headline"))
        .await
        .unwrap()
        .send_keys("Harbour cranes return to work")
        .await
        .unwrap();
    c.find(Locator::Css("#section"))
        .await
        .unwrap()
        .select_by_index(1)
        .await
        .unwrap();
    c.find(Locator::Css("#lead_media"))
        .await
        .unwrap()
        .select_by_index(1)
        .await
        .unwrap();
    c.find(Locator::Css("#lead_alt"))
        .await
        .unwrap()
        .send_keys("Cranes over the quay")
        .await
        .unwrap();
    let surface = c.find(Locator::Css(".rte-surface")).await.unwrap();
    surface.click().await.unwrap();
    surface.send_keys("Work resumed at dawn.").await.unwrap();
    assert!(
        c.find(Locator::Css(r#"button[value="publish"]"#))
            .await
            .is_err(),
        "reporters get no publish button"
    );
    c.find(Locator::Css(r#"button[value="submit"]"#))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        wait_for(
            &browser,
            "return document.querySelector('.nr-state-in_review') !== null"
        )
        .await
    );
    c.find(Locator::Css(".nr-logout button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(wait_for(&browser, "return location.pathname === '/newsroom/login'").await);

    // The editor finds it waiting, publishes it, and readers see it with its photo.
    log_in_as(&browser, &server, "eda@example.com").await;
    c.find(Locator::LinkText("Harbour cranes return to work"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        wait_for(
            &browser,
            "return document.querySelector('button[value=publish]') !== null"
        )
        .await
    );
    c.find(Locator::Css(r#"button[value="publish"]"#))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        wait_for(
            &browser,
            "return document.querySelector('.nr-state-published') !== null"
        )
        .await
    );
    let live = browser
        .eval("return [...document.querySelectorAll('.nr-page-head a')].map(a => a.href).find(h => !h.includes('/newsroom/'))")
        .await;
    c.goto(live.as_str().unwrap()).await.unwrap();
    assert!(
        wait_for(
            &browser,
            "const i = document.querySelector('.lead-image img'); return !!i && i.complete && i.naturalWidth > 0 && i.alt === 'Cranes over the quay'"
        )
        .await,
        "the lead image loads on the public page"
    );

    // A story scheduled a few seconds ahead appears on its own.
    c.goto(&server.url("/newsroom/articles/new")).await.unwrap();
    c.find(Locator::Css("#headline"))
        .await
        .unwrap()
        .send_keys("Ferry timetable changes at noon")
        .await
        .unwrap();
    c.find(Locator::Css("#section"))
        .await
        .unwrap()
        .select_by_index(1)
        .await
        .unwrap();
    // The English demo site keeps GMT: its local time is UTC.
    browser
        .eval(
            "const t = new Date(Date.now() + 4000); \
             const p = n => String(n).padStart(2, '0'); \
             document.querySelector('#publish_at').value = `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}T${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`; \
             return true",
        )
        .await;
    c.find(Locator::Css(r#"button[value="schedule"]"#))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        wait_for(
            &browser,
            "return document.querySelector('.nr-state-scheduled') !== null"
        )
        .await
    );
    let section_url = browser
        .eval("return document.querySelector('#section option:checked').textContent.toLowerCase()")
        .await;
    let section = section_url.as_str().unwrap().to_owned();
    let mut appeared = false;
    for attempt in 0..30 {
        // List pages may be cached for 30 s: ask past the browser's cache.
        c.goto(&server.url(&format!("/{section}?t={attempt}")))
            .await
            .unwrap();
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
