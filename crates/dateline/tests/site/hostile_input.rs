//! Hostile input through every field people fill: the corpus in
//! `fixtures/hostile/payloads.txt` goes into articles (the newsroom's form
//! and the API), lead image captions, sections, tags, authors, the site's
//! settings, footer and terms, reader comments and search queries; then
//! every page that shows them is opened in headless Chromium with the
//! Content-Security-Policy switched off, so escaping alone must hold, and
//! `alert`, `confirm`, `prompt` and `print` recorded. Nothing may run, no
//! element may carry a handler or a script URL, JSON-LD must still parse,
//! and no template may have evaluated a marker.

use crate::caching::app_with;
use crate::media::{picture, upload};
use dateline_testkit::{Browser, PASSWORD, Person, Staff, TestApp, raw_client};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The corpus, `XSS` replaced by each payload's number.
fn payloads() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../fixtures/hostile/payloads.txt"
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .enumerate()
        .map(|(n, line)| line.replace("XSS", &(n + 1).to_string()))
        .collect()
}

/// The payloads packed into pieces of at most `limit` characters (a
/// payload longer than that is a piece of its own, cut).
fn packed(payloads: &[String], limit: usize) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    for payload in payloads {
        match pieces.last_mut() {
            Some(last) if last.chars().count() + 1 + payload.chars().count() <= limit => {
                last.push(' ');
                last.push_str(payload);
            }
            _ => pieces.push(payload.chars().take(limit).collect()),
        }
    }
    pieces
}

/// Records every call of a dialog or `print`, in this frame or any frame
/// inside it, before the page's own scripts run.
const RECORDER: &str = r#"(() => {
  let sink;
  try { sink = top.__ran = top.__ran || []; } catch (e) { sink = window.__ran = []; }
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = function () { sink.push(name + "(" + Array.from(arguments).join(",") + ")"); };
  }
})();"#;

/// What is wrong with the page in the browser now: code that ran,
/// elements with handlers or script URLs, broken JSON-LD, an evaluated
/// template marker.
const INSPECT: &str = r#"
const wrong = (window.__ran || []).map(call => "ran " + call);
const urls = ["href", "src", "action", "formaction", "data", "srcdoc", "background", "poster", "xlink:href"];
for (const el of document.querySelectorAll("*")) {
  for (const attribute of el.attributes) {
    const name = attribute.name.toLowerCase();
    const value = attribute.value.toLowerCase().replace(/[\s\u0000-\u001f]/g, "");
    if (name.startsWith("on")) wrong.push(el.tagName + " has " + name);
    if (urls.includes(name) && (value.startsWith("javascript:") || value.startsWith("data:text/html")))
      wrong.push(el.tagName + " " + name + "=" + value.slice(0, 60));
  }
  if (el.tagName === "IFRAME" || el.tagName === "OBJECT" || el.tagName === "EMBED" || el.tagName === "BASE")
    wrong.push("a " + el.tagName + " element");
}
for (const script of document.querySelectorAll("script")) {
  if (script.type === "application/ld+json") {
    try { JSON.parse(script.textContent); } catch (e) { wrong.push("JSON-LD does not parse"); }
  } else if (!script.src) {
    wrong.push("an inline script: " + script.textContent.slice(0, 60));
  } else if (new URL(script.src).origin !== location.origin) {
    wrong.push("a script from " + script.src);
  }
}
if (document.documentElement.outerHTML.includes("50337")) wrong.push("a template evaluated 7*7191");
return wrong;
"#;

/// Saves and publishes an article with `piece` in every text field
/// and `tags` as its tags.
async fn hostile_article(editor: &Staff<'_>, piece: &str, tags: &str, media: &str) -> i64 {
    let section = editor.first_section().await;
    let seo: String = piece.chars().take(200).collect();
    let (status, headers, page) = editor
        .post(
            "/newsroom/articles",
            &[
                ("headline", piece),
                ("seo_title", &seo),
                ("standfirst", piece),
                ("body_html", &format!("<p>{piece}</p>{piece}")),
                ("section", &section),
                ("tags", tags),
                ("dateline_place", piece),
                ("source_credit", piece),
                ("lead_media", media),
                ("lead_caption", piece),
                ("lead_credit", piece),
                ("lead_alt", piece),
                ("action", "publish"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    dateline_testkit::saved_article_id(headers["location"].to_str().unwrap())
}

/// Sets the English site's settings with the corpus in every free-text
/// field; comments appear at once.
async fn hostile_settings(admin: &Staff<'_>, payloads: &[String]) {
    let short = packed(payloads, 290);
    let terms = payloads.join("\n");
    let banned: String = payloads
        .iter()
        .take(5)
        .map(|p| p.chars().take(60).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n");
    let (status, _, page) = admin
        .post(
            "/newsroom/settings",
            &[
                ("name", &short[0].chars().take(120).collect::<String>()),
                ("description", &short[1]),
                ("time_zone", "GMT"),
                ("date_format_list", "{zone} {HH}:{mm} {yyyy}"),
                ("date_format_published", "{zone} {HH}:{mm}"),
                ("date_format_updated", "{zone} {HH}:{mm}:{ss}"),
                // Quotes and brackets are refused in links; what passes
                // must still stay inside its attribute.
                (
                    "social_facebook",
                    "https://www.facebook.com/courier?a=%22%3E%3Cscript%3Ealert(1)'",
                ),
                ("social_twitter", ""),
                ("social_youtube", ""),
                ("footer_publisher", &short[2]),
                ("footer_copyright", &short[3]),
                ("footer_address", &short[4]),
                ("terms_of_use", &terms),
                ("comment_mode", "post"),
                ("comment_max_chars", "2000"),
                ("comment_close_days", "0"),
                ("security_mode", "pow"),
                ("banned_terms", &banned),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
}

/// Opens `path` with the recorder in place and returns what is wrong.
async fn inspect(browser: &Browser, app: &TestApp, path: &str) -> Vec<String> {
    browser.goto(&app.url(path)).await;
    let Value::Array(wrong) = browser.eval(INSPECT).await else {
        panic!("the inspection ran on {path}");
    };
    wrong
        .into_iter()
        .map(|w| format!("{path}: {}", w.as_str().unwrap_or_default()))
        .collect()
}

#[tokio::test]
async fn hostile_input_in_every_field_runs_nowhere_it_is_shown() {
    let app = app_with(&[("DATELINE_CLIENT_IP_HEADER", "x-forwarded-for")]);
    let payloads = payloads();
    assert!(payloads.len() >= 50, "{} payloads", payloads.len());
    let admin = app.admin_a().await;
    let editor = app.editor().await;
    hostile_settings(&admin, &payloads).await;

    // Sections, tags and authors named and described with the corpus.
    let names = packed(&payloads, 80);
    for (kind, name) in [
        ("sections", &names[0]),
        ("authors", &names[1]),
        ("authors", &names[2]),
    ] {
        let (status, _, page) = editor
            .post(
                &format!("/newsroom/{kind}"),
                &[
                    ("name", name),
                    ("slug", ""),
                    ("bio", &payloads.join(" ")[..1900]),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{kind}: {page}");
    }

    // Articles from the newsroom's form, each with a piece of the corpus in
    // every field and a lead image whose caption, credit and alt text
    // carry it too; tags made of payloads.
    let (status, headers, page) = upload(
        &editor,
        "photo.png",
        "image/png",
        &picture(64, 48, image::ImageFormat::Png),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let media = headers["location"]
        .to_str()
        .unwrap()
        .rsplit('=')
        .next()
        .unwrap()
        .to_owned();
    let pieces = packed(&payloads, 290);
    let mut articles = Vec::new();
    for (n, piece) in pieces.iter().enumerate() {
        let tags: Vec<String> = payloads
            .iter()
            .skip(n * 8)
            .take(8)
            .map(|p| p.replace(',', " ").chars().take(80).collect())
            .collect();
        articles.push(hostile_article(&editor, piece, &tags.join(","), &media).await);
    }
    // And one from an API client.
    let token = app.api_token("wire@example.com", "editor");
    let response = raw_client()
        .post(app.url("/api/v1/articles"))
        .bearer_auth(&token)
        .json(&json!({
            "headline": pieces[0],
            "standfirst": pieces[1],
            "body_html": payloads.join("\n"),
            "section": "politics",
            "tags": [payloads[0], payloads[1]],
            "dateline_place": pieces[2],
            "source_credit": pieces[3],
            "action": "publish",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let created: Value = response.json().await.unwrap();
    articles.push(created["id"].as_i64().unwrap());

    // Readers' comments: names, titles and bodies.
    let reader = app.reader();
    for (n, piece) in packed(&payloads, 150).iter().enumerate() {
        let name: String = piece.chars().take(100).collect();
        let email = format!("reader{n}@example.com");
        let address = format!("198.51.100.{}", n + 1);
        let (status, _, page) = reader
            .comment_with(
                articles[n % articles.len()],
                &[
                    ("name", &name),
                    ("title", piece),
                    ("body", piece),
                    ("email", &email),
                ],
                &[("x-forwarded-for", &address)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    }

    // Every page that shows them, as readers and as the newsroom see it.
    let browser = Browser::start().await;
    browser
        .devtools("Page.setBypassCSP", json!({ "enabled": true }))
        .await;
    browser
        .devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": RECORDER }),
        )
        .await;
    let mut paths = vec![
        "/".to_owned(),
        "/latest".to_owned(),
        "/politics".to_owned(),
        "/archive".to_owned(),
    ];
    for id in &articles {
        paths.push(
            dateline_testkit::public_path(&app, *id, "politics")
                .await
                .unwrap(),
        );
    }
    let (_, _, article_page) = crate::get(&app, &paths[4]).await;
    for link in crate::links(&article_page, "/") {
        if (link.starts_with("/tag/") || link.starts_with("/author/")) && !paths.contains(&link) {
            paths.push(link);
        }
    }
    let (_, _, home) = crate::get(&app, "/").await;
    // The hostile section, from the navigation (its slug is made of the
    // payload's letters).
    let sections: Vec<String> = crate::links(&home, "/")
        .into_iter()
        .filter(|l| l.contains("script") || l.contains("img"))
        .collect();
    assert!(
        !sections.is_empty(),
        "the hostile section is in the navigation"
    );
    paths.extend(sections.into_iter().take(1));
    for payload in &payloads {
        paths.push(format!(
            "/search?{}",
            dateline_testkit::form(&[("q", payload)])
        ));
    }
    let mut wrong = Vec::new();
    for path in &paths {
        wrong.extend(inspect(&browser, &app, path).await);
    }
    browser
        .log_in(&app.url("/newsroom/login"), Person::ADMIN_A.email, PASSWORD)
        .await;
    let mut newsroom: Vec<String> = [
        "/newsroom",
        "/newsroom/articles",
        "/newsroom/comments",
        "/newsroom/comments?tab=reported",
        "/newsroom/settings",
        "/newsroom/sections",
        "/newsroom/tags",
        "/newsroom/authors",
        "/newsroom/media",
        "/newsroom/users",
        "/newsroom/audit",
    ]
    .map(str::to_owned)
    .to_vec();
    for id in &articles {
        newsroom.push(format!("/newsroom/articles/{id}"));
        newsroom.push(format!("/newsroom/articles/{id}/preview"));
        newsroom.push(format!("/newsroom/articles/{id}/revisions"));
    }
    for path in &newsroom {
        wrong.extend(inspect(&browser, &app, path).await);
    }
    browser.close().await;
    assert!(
        wrong.is_empty(),
        "{} problems on {} pages:\n{}",
        wrong.len(),
        paths.len() + newsroom.len(),
        wrong.join("\n")
    );
}
