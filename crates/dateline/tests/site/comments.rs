//! Reader comments through HTTP: the seed's form, the self-hosted security
//! code, screening and moderation.

use crate::{between, get};
use dateline_testkit::{Reader, Staff, TestApp, public_path, raw_client, row_id};
use reqwest::StatusCode;

/// The address a reader writes from, on servers told to trust the
/// `X-Client-Address` header (`client_ip_header`), as behind a proxy.
const CLIENT_HEADER: &str = "x-client-address";

/// A server that takes the reader's address from [`CLIENT_HEADER`] and
/// mails through `smtp`, if given.
fn app_behind_proxy(smtp: Option<&dateline_testkit::SmtpSink>) -> TestApp {
    let mut envs = vec![(
        "DATELINE_CLIENT_IP_HEADER".to_owned(),
        CLIENT_HEADER.to_owned(),
    )];
    if let Some(smtp) = smtp {
        envs.push(("DATELINE_SMTP_URL".to_owned(), smtp.url()));
        envs.push((
            "DATELINE_MAIL_FROM".to_owned(),
            "The Levant Courier <comments@courier.example>".to_owned(),
        ));
    }
    TestApp::start_with(
        crate::BINARY,
        dateline_testkit::ServerOptions {
            envs,
            ..Default::default()
        },
    )
}

/// Comments on an article from the client address `address`.
async fn send_from(
    reader: &Reader<'_>,
    address: &str,
    article: i64,
    fields: &[(&str, &str)],
) -> dateline_testkit::Answer {
    reader
        .comment_with(article, fields, &[(CLIENT_HEADER, address)])
        .await
}

/// An admin sets the English site's comment `mode` and banned terms
/// (the other settings as the tests expect them).
async fn set_comment_settings(admin: &Staff<'_>, mode: &str, banned: &str) {
    set_comment_settings_with(admin, mode, "pow", banned).await;
}

/// The same, with the security code's mode.
async fn set_comment_settings_with(admin: &Staff<'_>, mode: &str, security: &str, banned: &str) {
    let (status, _, page) = admin
        .post(
            "/newsroom/settings",
            &[
                ("name", "The Levant Courier"),
                ("time_zone", "GMT"),
                (
                    "date_format_list",
                    "{zone} {HH}:{mm} {yyyy} {weekday} ,{dd} {month}",
                ),
                ("date_format_published", "{zone} {HH}:{mm}"),
                ("date_format_updated", "{zone} {HH}:{mm}:{ss}"),
                ("terms_of_use", "Be civil.\nNo insults."),
                ("comment_mode", mode),
                ("comment_max_chars", "500"),
                ("comment_close_days", "0"),
                ("security_mode", security),
                ("banned_terms", banned),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
}

#[tokio::test]
async fn a_reader_comments_on_the_seed_form_and_a_moderator_approves_it() {
    let app = crate::app();
    let (id, path) = app.an_article("").await;
    let (_, _, page) = get(&app, &path).await;
    let form = between(&page, r#"<form class="comment-form""#, "</form>");
    for label in [
        "Name *",
        "E-mail *",
        "Comment Title *",
        "Comment *",
        "1000 : Characters Left",
        "Mandatory *",
        "Terms of use",
        "I agree with the Terms of Use *",
        "Security Code *",
    ] {
        assert!(form.contains(label), "{label} missing from the form");
    }
    assert!(form.contains(r#"<img class="code-image" src="/comments/code.png""#));

    let reader = app.reader();
    let (status, headers, _) = reader.comment_on(id, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers["location"].to_str().unwrap().to_owned();
    assert!(
        location.ends_with("?comment=pending#comment-status"),
        "{location}"
    );
    let (_, _, page) = get(&app, &location).await;
    assert!(page.contains("Your comment awaits moderation"));
    assert!(
        !page.contains("The council should publish the budget"),
        "pre-moderated"
    );

    let moderator = app.moderator().await;
    let (_, _, queue) = moderator.get("/newsroom/comments").await;
    assert!(queue.contains("The council should publish the budget in full."));
    assert!(queue.contains("pre_moderation"));
    let comment = between(&queue, r#"name="ids" value=""#, "\"").to_owned();
    let (status, _, _) = moderator
        .post(
            "/newsroom/comments/decide",
            &[
                ("ids", &comment),
                ("decision", "approve"),
                ("back", "status=pending"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let (_, _, page) = get(&app, &path).await;
    let list = between(&page, r#"<ol class="comment-list">"#, "</ol>");
    assert!(list.contains("A fair point") && list.contains("Samir Haddad"));
    assert!(list.contains("The council should publish the budget in full."));
    assert!(
        !page.contains("samir@example.com"),
        "e-mail addresses never reach readers"
    );
    let (_, _, section) = get(&app, "/politics").await;
    assert!(section.contains("One comment"));

    let reporter = app.reporter().await;
    let (status, _, _) = reporter.get("/newsroom/comments").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_comment_form_with_mistakes_comes_back_with_messages_and_the_text_kept() {
    let app = crate::app();
    let (id, _) = app.an_article("").await;
    let reader = app.reader();
    let (status, headers, page) = reader
        .send_comment(
            id,
            &[
                ("email", "samir-at-example"),
                ("agree", ""),
                (
                    "body",
                    "A long considered comment I do not want to type again.",
                ),
            ],
            "dateline_code=none",
            "12345",
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(headers["cache-control"], "no-store");
    assert!(page.contains(r#"<p id="comment-email-error" class="error">Enter an e-mail address"#));
    assert!(page.contains(r#"<p id="comment-agree-error" class="error">Tick the box"#));
    assert!(
        page.contains(r#"<p id="comment-code-error" class="error">The security code is wrong"#)
    );
    assert!(page.contains("A long considered comment I do not want to type again."));
    assert!(page.contains(r#"value="samir-at-example""#));
    assert!(page.contains(r#"value="A fair point""#));

    // A code answers once.
    let (cookie, proof) = reader.solve_code().await;
    let (status, _, _) = reader.send_comment(id, &[], &cookie, &proof).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, page) = reader
        .send_comment(id, &[("title", "Again")], &cookie, &proof)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("The security code is wrong"));

    // The image code is a fresh PNG with its own cookie every time.
    let response = raw_client()
        .get(app.url("/comments/code.png"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "image/png");
    assert!(
        response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("HttpOnly; SameSite=Strict")
    );
    let png = response.bytes().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let (cookie, _) = reader.solve_code().await;
    let (status, _, _) = reader
        .send_comment(id, &[("code", "WRONG")], &cookie, "")
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn screening_holds_disguised_insults_in_both_languages_even_in_post_moderation() {
    let app = crate::app();
    let admin = app.admin_a().await;
    set_comment_settings(&admin, "post", "idiot\nstupid").await;
    let (id, path) = app.an_article("").await;
    let reader = app.reader();
    let (status, headers, _) = reader.comment_on(id, &[("title", "Well argued")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers["location"]
            .to_str()
            .unwrap()
            .contains("?comment=published#comment-")
    );
    let (_, _, page) = get(&app, &path).await;
    assert!(
        page.contains("Well argued"),
        "post-moderation publishes at once"
    );

    let (status, headers, _) = reader
        .comment_on(
            id,
            &[
                ("title", "Hm"),
                ("body", "What an 1d10t of a minister"),
                ("email", "other@example.com"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers["location"]
            .to_str()
            .unwrap()
            .contains("?comment=pending")
    );

    // The Arabic edition keeps its own list: diacritics and tatweel do not hide a term.
    let arabic_admin = app.admin_b().await;
    let (status, _, _) = arabic_admin
        .post(
            "/ar/newsroom/settings",
            &[
                ("name", "ساعي المشرق"),
                ("time_zone", "Asia/Beirut"),
                ("date_format_list", "{d} {month} {yyyy}"),
                ("date_format_published", "{d} {month} {yyyy}"),
                ("date_format_updated", "{HH}:{mm}"),
                ("comment_mode", "post"),
                ("comment_max_chars", "1000"),
                ("comment_close_days", "0"),
                ("security_mode", "pow"),
                ("banned_terms", "غبي"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (ar_id, _) = app.an_article("/ar").await;
    let arabic = app.reader_of("/ar");
    let (status, headers, _) = arabic
        .comment_on(
            ar_id,
            &[
                ("title", "رأي"),
                ("body", "كاتب غبـــيّ حقًا"),
                ("email", "third@example.com"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers["location"]
            .to_str()
            .unwrap()
            .contains("?comment=pending")
    );

    let (status, headers, _) = arabic
        .comment_on(
            ar_id,
            &[
                ("title", "رأي آخر"),
                ("body", "مقال متوازن"),
                ("email", "fourth@example.com"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers["location"].to_str().unwrap().contains("published"));
    let (_, _, section) = get(&app, "/ar/politics").await;
    assert!(
        section.contains("تعليق واحد"),
        "counts speak the edition's language"
    );

    let (_, _, queue) = admin.get("/newsroom/comments").await;
    assert!(queue.contains("banned_term: idiot"), "{queue}");
    let (_, _, queue) = arabic_admin.get("/ar/newsroom/comments").await;
    assert!(queue.contains("banned_term: غبي"));
}

#[tokio::test]
async fn moderators_reject_with_a_reason_ban_a_sender_and_closed_articles_take_nothing() {
    let app = crate::app();
    let (id, path) = app.an_article("").await;
    let reader = app.reader();
    let (status, _, _) = reader.comment_on(id, &[("title", "Spam offer")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let moderator = app.moderator().await;
    let (_, _, queue) = moderator.get("/newsroom/comments").await;
    let comment = between(&queue, r#"name="ids" value=""#, "\"").to_owned();
    let (status, _, _) = moderator
        .post(
            "/newsroom/comments/decide",
            &[
                ("ids", &comment),
                ("decision", "reject"),
                ("reason", "Spam or advertising"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, rejected) = moderator.get("/newsroom/comments?status=rejected").await;
    assert!(
        rejected.contains("Spam offer"),
        "rejected comments stay in storage"
    );
    assert!(rejected.contains("Decided by Mona Moderator: <bdi>Spam or advertising</bdi>"));

    let (status, _, _) = moderator
        .post(
            "/newsroom/comments/ban",
            &[
                ("kind", "email"),
                ("value", "Samir@Example.com"),
                ("reason", "spam"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, page) = reader.comment_on(id, &[("title", "Another offer")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(page.contains("Comments from you are not accepted"));
    assert!(
        page.contains(r#"value="Another offer""#),
        "the text is kept even then"
    );
    let (status, _, _) = moderator
        .post(
            "/newsroom/comments/ban",
            &[("kind", "ip"), ("value", "not an address")],
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // A bot that fills the hidden field is thanked and forgotten.
    let (status, headers, _) = reader
        .comment_on(
            id,
            &[
                ("email", "bot@example.com"),
                ("website", "http://spam.example"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers["location"].to_str().unwrap().contains("pending"));
    let (_, _, queue) = moderator.get("/newsroom/comments").await;
    assert!(!queue.contains("bot@example.com"));

    let admin = app.admin_a().await;
    set_comment_settings(&admin, "closed", "").await;
    let (_, _, page) = get(&app, &path).await;
    assert!(page.contains("Comments are closed for this article."));
    assert!(!page.contains(r#"<form class="comment-form""#));
    let (status, _, _) = reader.comment_on(id, &[("email", "new@example.com")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn where_the_site_chose_the_image_code_a_proof_of_work_does_not_pass() {
    let app = app_behind_proxy(None);
    let admin = app.admin_a().await;
    set_comment_settings_with(&admin, "post", "image", "").await;
    let (status, _, _) = get(&app, "/comments/challenge").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no challenge to solve");
    let (id, path) = app.an_article("").await;
    let (_, _, page) = get(&app, &path).await;
    assert!(
        !page.contains("code-alternative"),
        "no work offered instead"
    );
    // A bot that fetched a challenge while the site was in the other mode
    // and solved it still does not pass.
    set_comment_settings_with(&admin, "post", "pow", "").await;
    let reader = app.reader();
    let (cookie, proof) = reader.solve_code().await;
    set_comment_settings_with(&admin, "post", "image", "").await;
    let (status, _, page) = reader
        .send_comment(id, &[("title", "Solved")], &cookie, &proof)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("comment-code-error"), "the code is named");
}

#[tokio::test]
async fn a_flood_from_one_sender_is_slowed_down() {
    let app = crate::app();
    let (id, _) = app.an_article("").await;
    let reader = app.reader();
    for n in 0..5 {
        let title = format!("Comment {n}");
        let body = format!("Distinct text number {n}.");
        let (status, _, _) = reader
            .comment_on(id, &[("title", &title), ("body", &body)])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    let (status, _, page) = reader.comment_on(id, &[("title", "One more")]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("Please wait ten minutes"));
}

#[tokio::test]
async fn a_commenter_confirms_their_address_by_mail_and_earns_trust() {
    let smtp = dateline_testkit::SmtpSink::start();
    let app = app_behind_proxy(Some(&smtp));
    let (id, _) = app.an_article("").await;
    let reader = app.reader();
    let (status, _, _) = send_from(&reader, "198.51.100.7", id, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // The confirmation link arrives through a real SMTP server.
    let mail = smtp
        .wait_for("samir@example.com")
        .await
        .expect("a confirmation mail");
    assert!(
        mail.contains("Subject: Confirm your e-mail address for The Levant Courier"),
        "{mail}"
    );
    assert!(mail.contains("comments@courier.example"));
    let body = dateline_testkit::mail_body(&mail);
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/comments/verify?token="))
        .expect("a link in the mail")
        .to_owned();
    let path = &link[link.find("/comments/").unwrap()..];
    // Opening the link (as a mail scanner would) uses nothing up: the page
    // asks the reader to press a button.
    for _ in 0..2 {
        let (status, _, page) = get(&app, path).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Confirm my address"), "{page}");
    }
    let token = path.rsplit('=').next().unwrap();
    let (status, headers, page) = app
        .post_form("/comments/verify", &[("token", token)], &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Address confirmed"));
    // The browser that pressed it gets the key trust goes with, for this
    // site alone.
    let key = dateline_testkit::session_cookie(&headers);
    assert!(key.starts_with("dateline_commenter_1="), "{key}");
    let (status, _, _) = app
        .post_form("/comments/verify", &[("token", token)], &[])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a link works once");
    // One mail a day, not one per comment.
    for n in 0..2 {
        let title = format!("Point {n}");
        let (status, headers, _) = send_from(
            &reader,
            "198.51.100.7",
            id,
            &[("title", &title), ("body", &title)],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(headers["location"].to_str().unwrap().contains("pending"));
    }
    assert_eq!(smtp.messages().len(), 1);

    // Three approved comments make a confirmed commenter trusted: the
    // next one skips pre-moderation, when it comes from the browser that
    // holds the key. Someone who only knows the address is held.
    let moderator = app.moderator().await;
    moderator.decide_all("approve").await;
    let (status, headers, _) = send_from(
        &reader,
        "203.0.113.66",
        id,
        &[("title", "Impostor"), ("body", "Writing as Samir.")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers["location"].to_str().unwrap().contains("pending"));
    let (status, headers, _) = reader
        .comment_with(
            id,
            &[("title", "Trusted now"), ("body", "Straight to the page.")],
            &[(CLIENT_HEADER, "198.51.100.7"), ("cookie", &key)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers["location"]
            .to_str()
            .unwrap()
            .contains("?comment=published")
    );

    // An unconfirmed address with approved comments is still held.
    let (status, headers, _) = send_from(
        &reader,
        "198.51.100.8",
        id,
        &[("email", "nour@example.com"), ("title", "New here")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers["location"].to_str().unwrap().contains("pending"));
}

#[tokio::test]
async fn readers_report_a_comment_and_moderators_see_why() {
    let app = app_behind_proxy(None);
    let (id, path) = app.an_article("").await;
    let reader = app.reader();
    let (status, _, _) = send_from(&reader, "198.51.100.7", id, &[("title", "Provocative")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let moderator = app.moderator().await;
    moderator.decide_all("approve").await;
    let (_, _, page) = get(&app, &path).await;
    let action = between(
        &page,
        r#"<form method="post" action="/comments/report/"#,
        "\"",
    )
    .to_owned();
    let report_path = format!("/comments/report/{action}");
    for (address, reason, note) in [
        ("203.0.113.1", "offensive", "insults the author"),
        ("203.0.113.2", "spam", ""),
    ] {
        let (status, headers, _) = app
            .post_form(
                &report_path,
                &[("reason", reason), ("note", note), ("back", &path)],
                &[(CLIENT_HEADER, address)],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(
            headers["location"]
                .to_str()
                .unwrap()
                .contains("?comment=reported#comment-")
        );
    }
    let (status, _, _) = app
        .post_form(&report_path, &[("reason", "nonsense")], &[])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (_, _, queue) = moderator.get("/newsroom/comments?status=reported").await;
    assert!(
        queue.contains("Reported (1)"),
        "the tab counts reported comments"
    );
    assert!(queue.contains("offensive: insults the author") && queue.contains("<code>spam</code>"));
    // Keeping it answers the reports.
    let comment = between(&queue, r#"name="ids" value=""#, "\"").to_owned();
    let (status, _, _) = moderator
        .post(
            "/newsroom/comments/decide",
            &[
                ("ids", &comment),
                ("decision", "approve"),
                ("back", "status=reported"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, queue) = moderator.get("/newsroom/comments?status=reported").await;
    assert!(queue.contains("Reported (0)"));
    let (_, _, page) = get(&app, &path).await;
    assert!(page.contains("Provocative"), "kept comments stay published");
}

#[tokio::test]
async fn the_classifier_learns_from_decisions_and_holds_what_moderators_reject() {
    let app = app_behind_proxy(None);
    let admin = app.admin_a().await;
    let (id, _) = app.an_article("").await;
    let reader = app.reader();
    // Ten of each kind, decided by the moderators.
    for n in 0..10 {
        let address = format!("198.51.100.{n}");
        let (spam_title, spam_body) = (
            format!("Cheap watches {n}"),
            format!("Buy cheap replica watches now at our online shop, discount {n}"),
        );
        let email = format!("seller{n}@example.com");
        send_from(
            &reader,
            &address,
            id,
            &[
                ("title", &spam_title),
                ("body", &spam_body),
                ("email", &email),
            ],
        )
        .await;
    }
    admin.decide_all("reject").await;
    for n in 0..10 {
        let address = format!("198.51.100.{}", 100 + n);
        let (title, body) = (
            format!("On the budget {n}"),
            format!("The council budget leaves the northern districts without schools, point {n}"),
        );
        let email = format!("reader{n}@example.com");
        send_from(
            &reader,
            &address,
            id,
            &[("title", &title), ("body", &body), ("email", &email)],
        )
        .await;
    }
    admin.decide_all("approve").await;

    set_comment_settings(&admin, "post", "").await;
    let mut held = false;
    for attempt in 0..30 {
        let address = format!("192.0.2.{attempt}");
        let email = format!("new{attempt}@example.com");
        let (status, headers, _) = send_from(
            &reader,
            &address,
            id,
            &[
                ("title", "Discount watches"),
                ("body", "Cheap replica watches at our shop, buy now"),
                ("email", &email),
            ],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        if headers["location"].to_str().unwrap().contains("pending") {
            held = true;
            break;
        }
        // The model retrains in the background after decisions.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(held, "the classifier held the spam");
    let (_, _, queue) = admin.get("/newsroom/comments").await;
    assert!(
        queue.contains("classifier: "),
        "the reason names the classifier"
    );
    let (status, headers, _) = send_from(
        &reader,
        "192.0.2.200",
        id,
        &[
            ("title", "Schools"),
            (
                "body",
                "The northern districts need the schools the budget left out",
            ),
            ("email", "fair@example.com"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers["location"].to_str().unwrap().contains("published"));
}

#[tokio::test]
async fn an_article_or_its_section_can_override_the_sites_comment_mode() {
    let app = crate::app();
    let editor = app.editor().await;
    let id = editor
        .write_article(
            "Sensitive trial coverage",
            "publish",
            &[("comment_mode", "closed")],
        )
        .await;
    let path = public_path(&app, id, "politics").await.unwrap();
    let (_, _, page) = get(&app, &path).await;
    assert!(page.contains("Comments are closed for this article."));
    let reader = app.reader();
    let (status, _, _) = reader.comment_on(id, &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The politics section takes comments without waiting (post-moderation).
    let (_, _, sections) = editor.get("/newsroom/sections").await;
    let politics = row_id(&sections, "/newsroom/sections/", "Politics");
    let (status, _, _) = editor
        .post(
            &format!("/newsroom/sections/{politics}"),
            &[
                ("name", "Politics"),
                ("slug", "politics"),
                ("position", "0"),
                ("comment_mode", "post"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let other = editor.publish_article("Open debate").await;
    let (status, headers, _) = reader.comment_on(other, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers["location"].to_str().unwrap().contains("published"));
}

#[tokio::test]
async fn markup_in_a_comment_is_shown_as_text_and_huge_bodies_are_refused() {
    let app = app_behind_proxy(None);
    let (id, path) = app.an_article("").await;
    let reader = app.reader();
    let (status, _, _) = send_from(
        &reader,
        "198.51.100.9",
        id,
        &[
            ("name", "<b>Bold</b> name"),
            ("title", "<script>alert('title')</script>"),
            (
                "body",
                "<img src=x onerror=alert(1)> and <a href=\"javascript:x\">link</a>",
            ),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let moderator = app.moderator().await;
    moderator.decide_all("approve").await;
    let (_, _, page) = get(&app, &path).await;
    let list = between(&page, r#"<ol class="comment-list">"#, "</ol>");
    assert!(
        list.contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"),
        "{list}"
    );
    assert!(list.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(list.contains("&lt;b&gt;Bold&lt;/b&gt; name"));
    assert!(!list.contains("<script") && !list.contains("<img") && !list.contains("<b>"));

    let huge = "x".repeat(70 * 1024);
    let (status, _, _) = send_from(&reader, "198.51.100.10", id, &[("body", &huge)]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let long = "y".repeat(1001);
    let (status, _, page) = send_from(&reader, "198.51.100.11", id, &[("body", &long)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Too long: at most 1000 characters."));
    assert!(
        page.contains(&long),
        "the over-long text comes back to be shortened"
    );
}

#[tokio::test]
async fn an_acknowledged_comment_survives_a_kill_of_the_server() {
    let mut app = crate::app();
    let (id, _) = app.an_article("").await;
    {
        let reader = app.reader();
        let (status, headers, _) = reader
            .comment_on(id, &[("title", "Before the crash")])
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(headers["location"].to_str().unwrap().contains("pending"));
    }
    // SIGKILL right after the answer: no shutdown, no flush.
    app.kill();
    app.restart();
    let moderator = app.moderator().await;
    let (_, _, queue) = moderator.get("/newsroom/comments").await;
    assert!(queue.contains("Before the crash"));
}

/// Comments are stored in groups (one transaction for those arriving
/// together): a reader is answered only after the commit that holds
/// theirs. Many readers send at once while the server is killed; every
/// comment that got its answer is there after the restart.
#[tokio::test]
async fn comments_acknowledged_in_a_burst_survive_a_kill_in_the_middle_of_it() {
    let mut app = TestApp::start_with(
        crate::BINARY,
        dateline_testkit::ServerOptions {
            envs: vec![
                (
                    "DATELINE_CLIENT_IP_HEADER".to_owned(),
                    CLIENT_HEADER.to_owned(),
                ),
                // Durability is under test, not the code: each sender
                // would otherwise solve a proof of work first.
                (
                    "DATELINE_INSECURE_SKIP_SECURITY_CODE".to_owned(),
                    "true".to_owned(),
                ),
            ],
            ..Default::default()
        },
    );
    let (id, path) = app.an_article("").await;
    set_comment_settings(&app.admin_a().await, "post", "").await;

    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<i64>::new()));
    let mut senders = Vec::new();
    for sender in 0..16u32 {
        let (base, acknowledged) = (app.base.clone(), acknowledged.clone());
        senders.push(tokio::spawn(async move {
            let client = raw_client();
            for n in 0u32.. {
                let address = format!("10.{sender}.{}.{}", n / 250, n % 250 + 1);
                let body = format!("Burst comment {n} from sender {sender}.");
                let email = format!("sender{sender}.{n}@example.com");
                let form = [
                    ("name", "Burst Reader"),
                    ("email", email.as_str()),
                    ("title", "Burst"),
                    ("body", body.as_str()),
                    ("agree", "1"),
                ];
                let sent = client
                    .post(format!("{base}/comments/{id}"))
                    .header("origin", &base)
                    .header(CLIENT_HEADER, &address)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(dateline_testkit::form(&form))
                    .send()
                    .await;
                // The server is gone: this sender is done.
                let Ok(answer) = sent else { return };
                if answer.status() != StatusCode::SEE_OTHER {
                    continue;
                }
                let location = answer.headers()["location"].to_str().unwrap().to_owned();
                let comment = location
                    .rsplit_once("#comment-")
                    .and_then(|(_, id)| id.parse().ok())
                    .unwrap_or_else(|| panic!("a published comment's address: {location}"));
                acknowledged.lock().unwrap().push(comment);
            }
        }));
    }
    // Kill (SIGKILL: no shutdown, no flush) while comments pour in.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 300 {
        assert!(
            std::time::Instant::now() < deadline,
            "the burst is too slow"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    app.kill();
    for sender in senders {
        sender.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    app.restart();
    let mut stored = std::collections::HashSet::new();
    for page in 1.. {
        let (status, _, html) = get(&app, &format!("{path}?cpage={page}")).await;
        assert_eq!(status, StatusCode::OK);
        let before = stored.len();
        for piece in html.split("id=\"comment-").skip(1) {
            if let Ok(comment) = piece.split('"').next().unwrap().parse::<i64>() {
                stored.insert(comment);
            }
        }
        if stored.len() == before {
            break;
        }
    }
    let lost: Vec<i64> = acknowledged
        .iter()
        .filter(|c| !stored.contains(c))
        .copied()
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged comments were lost: {lost:?}",
        lost.len(),
        acknowledged.len()
    );
}
