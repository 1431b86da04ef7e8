//! Live coverage: an editor starts it, several reporters post entries,
//! readers' pages show them (a reload without JavaScript, on their own
//! with it), structured data names it a `LiveBlogPosting`, and an editor
//! corrects an entry and ends the coverage.

use crate::{app, get};
use dateline_testkit::Browser;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The page's JSON-LD objects.
fn json_ld(page: &str) -> Vec<Value> {
    page.split("<script type=\"application/ld+json\">")
        .skip(1)
        .filter_map(|rest| rest.split("</script>").next())
        .filter_map(|text| serde_json::from_str::<Value>(text).ok())
        .flat_map(|value| match value {
            Value::Array(items) => items,
            other => vec![other],
        })
        .collect()
}

#[tokio::test]
async fn a_live_story_takes_entries_from_several_reporters_and_readers_see_them() {
    let app = app();
    let (id, path) = app.an_article("").await;
    let live = format!("/newsroom/articles/{id}/live");
    let editor = app.editor().await;
    let reporter = app.reporter().await;

    // Not live yet: no entry, and only editors start it.
    let (status, _, _) = reporter.post(&live, &[("body_html", "Too early")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _, _) = reporter.post(&format!("{live}/start"), &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = editor.post(&format!("{live}/start"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = get(&app, &path).await;
    assert!(
        page.contains("class=\"live-badge\""),
        "the page says it is live"
    );
    assert!(
        page.contains("/static/live.js?v="),
        "and asks for new entries"
    );

    // The fast form offers the library's pictures.
    let (_, _, form_page) = editor.get(&live).await;
    let picture = dateline_testkit::first_option(&form_page, "name=\"media\"");
    assert!(
        picture.parse::<i64>().is_ok(),
        "a picture to choose: {picture}"
    );
    // Two reporters' entries; a key event with a headline.
    let (status, _, _) = reporter
        .post(
            &live,
            &[(
                "body_html",
                "Rescue teams reached the port at 10:40.\n\nMore are on the way.",
            )],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = editor
        .post(
            &live,
            &[
                ("headline", "Ceasefire announced"),
                ("body_html", "<p>Both sides <a href=\"https://example.org/s\">agreed</a>.</p><script>x()</script>"),
                ("key_event", "1"),
                ("media", &picture),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // Through the API, with a reporter's token.
    let token = app.api_token("desk-tool@example.com", "reporter");
    let client = reqwest::Client::new();
    let sent = |body: Value| {
        client
            .post(app.url(&format!("/api/v1/articles/{id}/live/entries")))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let posted = sent(json!({"body_html": "Power is back in the old town."}))
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::CREATED);
    let posted: Value = posted.json().await.unwrap();
    assert_eq!(posted["seq"], 3);
    assert!(
        posted["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{path}#entry-3"))
    );
    let refused = sent(json!({"body_html": 7, "colour": "red"}))
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused: Value = refused.json().await.unwrap();
    assert!(
        refused["error"]["fields"]["colour"].is_string(),
        "{refused}"
    );
    // An empty entry is refused at its field, with what was typed kept.
    let (status, _, form) = reporter
        .post(&live, &[("headline", "Kept headline"), ("body_html", "  ")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form.contains("value=\"Kept headline\"") && form.contains("aria-invalid=\"true\""));

    // Readers: newest first, key events at the top, nothing unsafe.
    let (_, _, page) = get(&app, &path).await;
    let second = page.find("id=\"entry-2\"").expect("entry 2 on the page");
    let first = page.find("id=\"entry-1\"").expect("entry 1 on the page");
    assert!(second < first, "newest first");
    assert!(page.contains("class=\"live-key-events\"") && page.contains("Ceasefire announced"));
    assert!(
        page.contains("class=\"live-picture\"><img src=\"/media/"),
        "the entry's picture"
    );
    assert!(page.contains("Rescue teams reached the port at 10:40.</p><p>More are on the way."));
    assert!(!page.contains("x()"));
    let data = json_ld(&page);
    let story = data
        .iter()
        .find(|d| d["@type"] == "LiveBlogPosting")
        .expect("LiveBlogPosting");
    assert!(story["coverageStartTime"].is_string());
    assert!(story.get("coverageEndTime").is_none());
    let updates = story["liveBlogUpdate"].as_array().unwrap();
    assert_eq!(updates.len(), 3);
    assert_eq!(updates[1]["@type"], "BlogPosting");
    assert_eq!(updates[1]["headline"], "Ceasefire announced");
    assert!(
        updates[1]["url"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{path}#entry-2"))
    );
    assert_eq!(
        updates[2]["articleBody"],
        "Rescue teams reached the port at 10:40. More are on the way."
    );

    // What open pages ask for: the entries after the one they have.
    let (status, headers, after_one) = get(&app, &format!("{path}/live?after=1")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age=5")
    );
    assert!(after_one.contains("id=\"entry-2\"") && !after_one.contains("id=\"entry-1\""));
    assert!(after_one.contains("data-latest=\"3\""));
    let (_, _, after_two) = get(&app, &format!("{path}/live?after=3")).await;
    assert!(!after_two.contains("<li"), "nothing newer: {after_two}");
    let (status, _, reason) = get(&app, &format!("{path}/live?after=soon")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(reason.contains("after"));
    let (status, _, _) = get(
        &app,
        &format!("{}/live", path.replace(&format!("/{id}-"), "/999999-")),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no such story");

    // A correction, then the end; the entries stay.
    let (status, _, _) = reporter
        .post(
            &format!("{live}/correct"),
            &[("seq", "1"), ("body_html", "x"), ("correction", "y")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "editors correct entries");
    let (status, _, _) = editor
        .post(
            &format!("{live}/correct"),
            &[
                ("seq", "1"),
                ("body_html", "Rescue teams reached the port at 10:45."),
                ("correction", "The time was 10:45, not 10:40."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    // A fourth entry, posted in error, taken down.
    let (status, _, _) = reporter
        .post(&live, &[("body_html", "Unconfirmed rumour")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = reporter
        .post(
            &format!("{live}/remove"),
            &[("seq", "4"), ("correction", "x")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "editors remove entries");
    let (status, _, _) = editor
        .post(
            &format!("{live}/remove"),
            &[("seq", "4"), ("correction", "Not confirmed")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = get(&app, &path).await;
    assert!(!page.contains("Unconfirmed rumour") && !page.contains("id=\"entry-4\""));
    let (_, _, answer) = get(&app, &format!("{path}/live?after=4")).await;
    assert!(
        answer.contains("data-removed=\"4\""),
        "open pages are told: {answer}"
    );
    let (status, _, _) = editor.post(&format!("{live}/end"), &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = get(&app, &path).await;
    assert!(page.contains("10:45.") && page.contains("The time was 10:45, not 10:40."));
    assert!(
        !page.contains("/static/live.js"),
        "an ended story asks for nothing"
    );
    let story = json_ld(&page)
        .into_iter()
        .find(|d| d["@type"] == "LiveBlogPosting")
        .unwrap();
    assert!(story["coverageEndTime"].is_string());
    let (status, _, _) = reporter.post(&live, &[("body_html", "Too late")]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let late = sent(json!({"body_html": "Too late"})).await.unwrap();
    assert_eq!(late.status(), StatusCode::CONFLICT);
    let (_, _, audit) = app.admin_a().await.get("/newsroom/audit").await;
    assert!(
        audit.contains("live-entry")
            && audit.contains("live-correct")
            && audit.contains("live-end")
    );
}

#[tokio::test]
async fn an_open_page_shows_new_entries_without_a_reload_in_both_editions() {
    let app = app();
    let browser = Browser::start().await;
    let editor = app.editor().await;
    for prefix in ["", "/ar"] {
        let (id, path) = app.an_article(prefix).await;
        let live = format!("{prefix}/newsroom/articles/{id}/live");
        let (status, _, _) = editor.post(&format!("{live}/start"), &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        browser.goto(&app.url(&path)).await;
        assert_eq!(
            browser
                .eval("return document.querySelectorAll('.live-entry').length")
                .await,
            json!(0)
        );
        let text = if prefix.is_empty() {
            "Crowds gather in the main square"
        } else {
            "تجمّع الحشود في الساحة الرئيسية"
        };
        let (status, _, _) = editor.post(&live, &[("body_html", text)]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        // The script asks every 5 s: the entry arrives without a reload.
        let mut shown = json!(false);
        for _ in 0..40 {
            shown = browser
                .eval(&format!(
                    "return document.querySelector('.live-entries').textContent.includes({})",
                    json!(text)
                ))
                .await;
            if shown == json!(true) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        assert_eq!(shown, json!(true), "{prefix}: the entry appeared");
        if prefix.is_empty() {
            // Removed by an editor: it leaves the open page too.
            let (status, _, _) = editor
                .post(
                    &format!("{live}/remove"),
                    &[("seq", "1"), ("correction", "Posted in error")],
                )
                .await;
            assert_eq!(status, StatusCode::SEE_OTHER);
            let mut gone = json!(false);
            for _ in 0..40 {
                gone = browser
                    .eval("return document.getElementById('entry-1') === null")
                    .await;
                if gone == json!(true) {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
            assert_eq!(gone, json!(true), "the removed entry left the open page");
        }
        assert_eq!(
            browser
                .eval("return performance.getEntriesByType('navigation').length")
                .await,
            json!(1),
            "no reload"
        );
        if !prefix.is_empty() {
            assert_eq!(
                browser
                    .eval(
                        "return getComputedStyle(document.querySelector('.live-entry')).direction"
                    )
                    .await,
                json!("rtl")
            );
        }
        let errors = browser.console_errors().await;
        assert!(errors.is_empty(), "{prefix}: console errors: {errors:?}");
    }
    browser.close().await;
}

#[tokio::test]
async fn each_entry_reaches_feed_subscribers_through_the_hub() {
    use crate::receiver::Receiver;
    let subscriber = Receiver::start(|r| match r.param("hub.challenge") {
        Some(challenge) if r.method == "GET" => (200, challenge),
        _ => (204, String::new()),
    })
    .await;
    let app = crate::caching::websub_app();
    let topic = app.url("/feed.xml");
    let callback = subscriber.url("/inbox");
    let body = dateline_testkit::form(&[
        ("hub.mode", "subscribe"),
        ("hub.topic", &topic),
        ("hub.callback", &callback),
    ]);
    let subscribed = reqwest::Client::new()
        .post(app.url("/websub"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(subscribed.status(), StatusCode::ACCEPTED);
    subscriber.wait_for(|r| r.method == "GET").await;
    // The subscription is stored once the answer is read.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let editor = app.editor().await;
    let id = editor.publish_article("Storm reaches the coast").await;
    let (status, _, _) = editor
        .post(&format!("/newsroom/articles/{id}/live/start"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let text = "Winds of 120 km/h recorded at the harbour";
    let (status, _, _) = editor
        .post(
            &format!("/newsroom/articles/{id}/live"),
            &[("body_html", text)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let delivery = subscriber
        .wait_for(|r| r.method == "POST" && String::from_utf8_lossy(&r.body).contains(text))
        .await;
    let feed = String::from_utf8_lossy(&delivery.body);
    assert!(feed.contains("#entry-1"), "the entry links to its anchor");
    let (_, _, json) = get(&app, "/feed.json").await;
    assert!(json.contains(text), "the JSON feed carries it too");
}
