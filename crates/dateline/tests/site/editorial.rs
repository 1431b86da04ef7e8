//! The editorial workflow through HTTP, as the newsroom's people use it:
//! reporters write and submit, editors publish, schedule and correct,
//! moderators stay out; every forbidden step is tried and refused.

use crate::{between, get};
use dateline_testkit::{Person, first_option, form, post, public_path};
use reqwest::StatusCode;
use std::time::Duration;

#[tokio::test]
async fn a_reporter_writes_and_submits_a_draft_but_can_never_publish_it() {
    let app = crate::app();
    let reporter = app.reporter().await;
    let id = reporter
        .write_draft("Fishermen of Tyre count a thin season")
        .await;
    // The first section of the demo's English site.
    let section = "politics";
    assert_eq!(
        public_path(&app, id, section).await,
        None,
        "drafts are not public"
    );

    // Publishing is refused, with the typed text kept in the form.
    let edited = "Fishermen of Tyre count the thinnest season in years";
    let section_id = reporter.first_section().await;
    let (status, _, body) = reporter
        .edit(id, &[("headline", edited), ("action", "publish")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("Your role does not allow this"), "{body}");
    assert!(body.contains(edited), "the typed headline is kept");
    for forbidden in ["schedule", "unpublish"] {
        let (status, _, _) = reporter
            .edit(
                id,
                &[
                    ("headline", edited),
                    ("action", forbidden),
                    ("publish_at", "2030-01-01T10:00"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{forbidden}");
    }
    assert_eq!(public_path(&app, id, section).await, None);

    // Submitting works; the editors' dashboard lists it.
    let (status, _, _) = reporter
        .edit(id, &[("headline", edited), ("action", "submit")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let editor = app.editor().await;
    let (_, _, dashboard) = editor.get("/newsroom").await;
    let waiting = between(&dashboard, "Waiting for review", "</section>");
    assert!(waiting.contains(edited), "{waiting}");

    // Once an editor publishes it, the reporter can no longer change it.
    let (status, _, _) = editor
        .edit(id, &[("headline", edited), ("action", "publish")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(public_path(&app, id, section).await.is_some());
    let (status, _, _) = reporter.get(&format!("/newsroom/articles/{id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = reporter
        .post(
            &format!("/newsroom/articles/{id}"),
            &[
                ("headline", "Hijacked"),
                ("section", &section_id),
                ("action", "save"),
                ("version", "2"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn reporters_cannot_open_each_others_copy_and_moderators_cannot_write() {
    let app = crate::app();
    let rami = app.reporter().await;
    let id = rami.write_draft("A draft of Rami's").await;
    let nour = app
        .join(Person::new("nour@example.com", "Nour Reporter", "reporter"))
        .await;
    let (status, _, _) = nour.get(&format!("/newsroom/articles/{id}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = nour
        .post(
            &format!("/newsroom/articles/{id}/autosave"),
            &[("headline", "mine now"), ("version", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let moderator = app.moderator().await;
    for path in [
        "/newsroom/articles/new".to_owned(),
        "/newsroom/articles".to_owned(),
        format!("/newsroom/articles/{id}"),
        format!("/newsroom/articles/{id}/preview"),
        "/newsroom/audit".to_owned(),
    ] {
        let (status, _, _) = moderator.get(&path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, _, _) = moderator
        .post(
            "/newsroom/articles",
            &[
                ("headline", "Moderators do not write"),
                ("section", "1"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_editor_publishes_edits_and_unpublishes_and_readers_follow() {
    let app = crate::app();
    let editor = app.editor().await;
    let id = editor
        .write_article(
            "Beirut port reopens its grain silos",
            "publish",
            &[
                (
                    "body_html",
                    r#"<h2 onclick="x()">Trade returns</h2><p>Ships <a href="javascript:alert(1)">docked</a>.</p><script>alert(1)</script>"#,
                ),
                ("tags", "Ports, Grain"),
                ("dateline_place", "Beirut"),
                ("source_credit", "AFP"),
            ],
        )
        .await;
    let path = public_path(&app, id, "politics").await.expect("published");
    let (status, _, page) = get(&app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Beirut port reopens its grain silos"));
    assert!(page.contains("<h2>Trade returns</h2>"));
    assert!(!page.contains("alert(1)"), "scripts never reach readers");
    assert!(page.contains(r#"rel="tag""#) && page.contains(">Grain</a>"));
    assert!(page.contains("Beirut - The Levant Courier"));
    let first_update = between(&page, r#"class="updated""#, "</time>").to_owned();

    // A real edit moves "Last Updated"; a minor one does not.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (status, _, _) = editor
        .edit(
            id,
            &[
                ("headline", "Beirut port reopens its grain silos"),
                ("body_html", "<p>Ships docked again on Monday.</p>"),
                ("action", "save"),
                ("minor", "1"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = get(&app, &path).await;
    assert!(page.contains("Ships docked again on Monday."));
    assert_eq!(
        between(&page, r#"class="updated""#, "</time>"),
        first_update
    );
    let (status, _, _) = editor
        .edit(
            id,
            &[
                ("headline", "Beirut port reopens its grain silos"),
                (
                    "body_html",
                    "<p>Ships docked again on Monday and Tuesday.</p>",
                ),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = get(&app, &path).await;
    assert_ne!(
        between(&page, r#"class="updated""#, "</time>"),
        first_update
    );

    // Unpublished: gone for readers, still in the newsroom.
    let (status, _, _) = editor
        .edit(
            id,
            &[
                ("headline", "Beirut port reopens its grain silos"),
                ("action", "unpublish"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = get(&app, &path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, list) = editor.get("/newsroom/articles?state=unpublished").await;
    assert!(list.contains("Beirut port reopens its grain silos"));
}

#[tokio::test]
async fn a_form_with_mistakes_comes_back_with_messages_at_the_fields_and_nothing_lost() {
    let app = crate::app();
    let editor = app.editor().await;
    let body = "<p>A long body the editor must not lose.</p>";
    let (status, _, page) = editor
        .post(
            "/newsroom/articles",
            &[
                ("headline", "   "),
                ("slug", "Not A Slug"),
                ("section", "99999"),
                ("body_html", body),
                ("standfirst", "A standfirst kept as typed"),
                ("action", "publish"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains(r#"<p id="headline-error" class="nr-error">This field is required.</p>"#)
    );
    assert!(page.contains(r#"<p id="slug-error" class="nr-error">Use lower-case letters"#));
    assert!(page.contains(r#"<p id="section-error" class="nr-error">Choose one of"#));
    assert!(page.contains("A standfirst kept as typed"));
    assert!(
        page.contains("&lt;p&gt;A long body the editor must not lose.&lt;/p&gt;"),
        "the body is kept, escaped in its textarea"
    );
    assert!(page.contains(r#"value="Not A Slug""#));

    // A schedule in the past is refused the same way.
    let section = editor.first_section().await;
    let (status, _, page) = editor
        .post(
            "/newsroom/articles",
            &[
                ("headline", "Too late"),
                ("section", &section),
                ("publish_at", "2001-01-01T10:00"),
                ("action", "schedule"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Choose a publication time in the future."));
    assert!(page.contains(r#"value="Too late""#));
}

#[tokio::test]
async fn the_second_of_two_editors_saving_is_told_instead_of_overwriting() {
    let app = crate::app();
    let eda = app.editor().await;
    let id = eda.write_draft("Council meets on the budget").await;
    let omar = app
        .join(Person::new("omar@example.com", "Omar Editor", "editor"))
        .await;
    let section = eda.first_section().await;
    // Both opened version 1.
    let opened = eda.version(id).await;
    assert_eq!(opened, omar.version(id).await);
    let save = |body: &'static str, version: String| {
        let section = section.clone();
        async move {
            [
                (
                    "headline".to_owned(),
                    "Council meets on the budget".to_owned(),
                ),
                ("section".to_owned(), section),
                ("body_html".to_owned(), body.to_owned()),
                ("action".to_owned(), "save".to_owned()),
                ("version".to_owned(), version),
            ]
        }
    };
    let eda_form = save("<p>Eda's version.</p>", opened.clone()).await;
    let pairs: Vec<(&str, &str)> = eda_form
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _, _) = eda.post(&format!("/newsroom/articles/{id}"), &pairs).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let omar_form = save("<p>Omar's version.</p>", opened).await;
    let pairs: Vec<(&str, &str)> = omar_form
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _, page) = omar.post(&format!("/newsroom/articles/{id}"), &pairs).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("Eda Editor saved this article at"), "{page}");
    assert!(page.contains("Omar&#39;s version."), "Omar's text is kept");
    let newer = between(&page, r#"name="version" value=""#, "\"").to_owned();
    assert_ne!(newer, "1");

    // Saving again after reading the message replaces Eda's text on purpose.
    let omar_form = save("<p>Omar's version.</p>", newer).await;
    let pairs: Vec<(&str, &str)> = omar_form
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _, _) = omar.post(&format!("/newsroom/articles/{id}"), &pairs).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, editor) = eda.get(&format!("/newsroom/articles/{id}")).await;
    assert!(editor.contains("Omar&#39;s version."));
}

#[tokio::test]
async fn a_scheduled_article_goes_live_at_its_time_with_nobody_present() {
    let app = crate::app();
    let editor = app.editor().await;
    // The English demo site keeps GMT, so its local time is UTC.
    let at = time::OffsetDateTime::now_utc() + time::Duration::seconds(3);
    let local = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
    let id = editor
        .write_article("Polls open at dawn", "schedule", &[("publish_at", &local)])
        .await;
    let (_, _, page) = editor.get(&format!("/newsroom/articles/{id}")).await;
    assert!(page.contains("nr-state-scheduled"));
    assert_eq!(
        public_path(&app, id, "politics").await,
        None,
        "not before its time"
    );
    let mut live = None;
    for _ in 0..100 {
        if let Some(path) = public_path(&app, id, "politics").await {
            live = Some(path);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let path = live.expect("the scheduler published the article");
    let (status, _, page) = get(&app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Polls open at dawn"));
    let (_, _, list) = editor.get("/newsroom/articles?state=published").await;
    assert!(list.contains("Polls open at dawn"));
}

#[tokio::test]
async fn every_save_keeps_a_revision_to_compare_and_restore() {
    let app = crate::app();
    let editor = app.editor().await;
    let id = editor.write_draft("Water rationing in the capital").await;
    let (status, _, _) = editor
        .edit(
            id,
            &[
                ("headline", "Water rationing extended in the capital"),
                (
                    "body_html",
                    "<p>First paragraph.</p><p>A second paragraph.</p>",
                ),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, page) = editor
        .get(&format!("/newsroom/articles/{id}/revisions"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Changes from #1 to #2"));
    assert!(page.contains("<del>Water rationing in the capital</del>"));
    assert!(page.contains("<ins>Water rationing extended in the capital</ins>"));
    assert!(page.contains("<ins>&lt;p&gt;A second paragraph.&lt;/p&gt;</ins>"));

    let version = editor.version(id).await;
    let (status, _, _) = editor
        .post(
            &format!("/newsroom/articles/{id}/revisions/1/restore"),
            &[("version", &version)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = editor.get(&format!("/newsroom/articles/{id}")).await;
    assert!(page.contains(r#"value="Water rationing in the capital""#));
    let (_, _, history) = editor
        .get(&format!("/newsroom/articles/{id}/revisions"))
        .await;
    assert!(
        history.contains("#3"),
        "restoring keeps the history and adds to it"
    );
}

#[tokio::test]
async fn preview_shows_unpublished_copy_to_the_newsroom_only() {
    let app = crate::app();
    let reporter = app.reporter().await;
    let id = reporter
        .write_article(
            "Embargoed: the new cabinet line-up",
            "save",
            &[("standfirst", "Names to be announced")],
        )
        .await;
    let (status, headers, page) = reporter
        .get(&format!("/newsroom/articles/{id}/preview"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-robots-tag"], "noindex, nofollow");
    assert!(page.contains(r#"<h1 class="headline">Embargoed: the new cabinet line-up</h1>"#));
    assert!(page.contains("Preview: readers cannot see this version yet."));
    let (status, headers, _) = get(&app, &format!("/newsroom/articles/{id}/preview")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/newsroom/login");
}

#[tokio::test]
async fn a_correction_is_shown_to_readers_and_described_to_search_engines() {
    let app = crate::app();
    let editor = app.editor().await;
    let id = editor
        .publish_article("Minister resigns over port deal")
        .await;
    let note = "An earlier version misnamed the ministry.";
    let (status, _, _) = editor
        .post(
            &format!("/newsroom/articles/{id}/corrections"),
            &[("note", note)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let path = public_path(&app, id, "politics").await.unwrap();
    let (_, _, page) = get(&app, &path).await;
    let corrections = between(&page, r#"<aside class="corrections""#, "</aside>");
    assert!(corrections.contains(note), "{corrections}");
    assert!(page.contains(r#""@type":"CorrectionComment""#));
    let (status, _, _) = editor
        .post(
            &format!("/newsroom/articles/{id}/corrections"),
            &[("note", " ")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn autosave_keeps_typing_that_was_never_saved() {
    let app = crate::app();
    let editor = app.editor().await;
    // A new article: the tab closes before the first save.
    let (status, headers, reply) = editor
        .post(
            "/newsroom/articles/new/autosave",
            &[
                ("headline", "Half-typed headline"),
                ("body_html", "<p>Half a para</p>"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert!(reply.contains("saved_at"));
    let (_, _, page) = editor.get("/newsroom/articles/new").await;
    assert!(page.contains("Restored the changes you had not saved"));
    assert!(page.contains(r#"value="Half-typed headline""#));

    // An existing article: typing after the last save comes back.
    let id = editor.write_draft("Saved headline").await;
    let version = editor.version(id).await;
    let (status, _, _) = editor
        .post(
            &format!("/newsroom/articles/{id}/autosave"),
            &[
                ("headline", "Saved headline, then more typing"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, page) = editor.get(&format!("/newsroom/articles/{id}")).await;
    assert!(page.contains(r#"value="Saved headline, then more typing""#));
    // Creating the article cleared the new-article autosave.
    let (_, _, page) = editor.get("/newsroom/articles/new").await;
    assert!(!page.contains("Half-typed headline"));
}

#[tokio::test]
async fn editor_posts_from_other_sites_are_refused() {
    let app = crate::app();
    let editor = app.editor().await;
    let (status, _, _) = post(
        &app,
        "/newsroom/articles",
        form(&[
            ("headline", "Forged"),
            ("section", "1"),
            ("action", "publish"),
        ]),
        &[
            ("cookie", &editor.cookie),
            ("origin", "http://evil.example"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, _, list) = editor.get("/newsroom/articles").await;
    assert!(!list.contains("Forged"));
}

#[tokio::test]
async fn translations_are_linked_from_the_editor_and_admins_read_the_audit_log() {
    let app = crate::app();
    let admin = app.admin_a().await;
    let english = admin.publish_article("Olive harvest starts early").await;
    // The Arabic edition's newsroom is under /ar. Linking a translation
    // writes to both editions, so the translator has a role on both.
    let translator = app
        .join(dateline_testkit::Person::new(
            "tala@example.com",
            "Tala Translator",
            "admin",
        ))
        .await;
    let (_, _, new_form) = translator.get("/ar/newsroom/articles/new").await;
    assert!(new_form.contains(r#"dir="rtl""#));
    let section = first_option(&new_form, r#"<select id="section""#);
    let english_id = english.to_string();
    let (status, headers, body) = translator
        .post(
            "/ar/newsroom/articles",
            &[
                ("headline", "بدء موسم قطاف الزيتون مبكرًا"),
                ("section", &section),
                ("translation_of", &english_id),
                ("action", "publish"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert!(
        headers["location"]
            .to_str()
            .unwrap()
            .starts_with("/ar/newsroom/articles/")
    );
    let path = public_path(&app, english, "politics").await.unwrap();
    let (_, _, page) = get(&app, &path).await;
    assert!(
        page.contains(r#"hreflang="ar""#),
        "the English page links its translation"
    );

    let (status, _, log) = admin.get("/newsroom/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(log.contains("publish") && log.contains("Olive harvest starts early"));
    assert!(log.contains("Ada Admin"));
}
