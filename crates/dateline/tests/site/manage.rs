//! Running a site from the newsroom: settings, sections, tags, authors,
//! people and passwords, each tried by the role allowed and a role not.

use crate::{between, get};
use dateline_testkit::{PASSWORD, first_option, log_in, row_id, session_cookie};
use reqwest::StatusCode;

#[tokio::test]
async fn an_admin_changes_the_site_settings_and_every_page_shows_them() {
    let app = crate::app();
    let admin = app.admin_a().await;
    let (status, _, page) = admin.get("/newsroom/settings").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(r#"value="The Levant Courier""#));
    let mut fields: Vec<(String, String)> = [
        ("name", "The Levant Courier"),
        ("description", "News from the Levant."),
        ("time_zone", "GMT"),
        (
            "date_format_list",
            "{zone} {HH}:{mm} {yyyy} {weekday} ,{dd} {month}",
        ),
        (
            "date_format_published",
            "{zone} {HH}:{mm} {yyyy} {weekday} ,{dd} {month}",
        ),
        ("date_format_updated", "{zone} {HH}:{mm}:{ss}"),
        ("social_facebook", "https://www.facebook.com/levantcourier"),
        ("social_twitter", "https://x.com/levantcourier"),
        ("social_youtube", ""),
        ("footer_publisher", ""),
        ("footer_copyright", "All rights reserved"),
        ("footer_address", "بيروت - لبنان"),
        ("comment_mode", "pre"),
        ("comment_max_chars", "1000"),
        ("comment_close_days", "0"),
        ("security_mode", "image"),
        ("banned_terms", "idiot"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let set = |fields: &mut Vec<(String, String)>, name: &str, value: &str| {
        fields.iter_mut().find(|(n, _)| n == name).unwrap().1 = value.to_owned();
    };
    set(&mut fields, "name", "The Levant Courier Daily");
    set(
        &mut fields,
        "footer_publisher",
        "Published by Cedar Media Group SAL.",
    );
    fields.push(("terms_of_use".into(), "Be civil.".into()));

    // A bad time zone comes back at its field with everything kept.
    let mut bad = fields.clone();
    set(&mut bad, "time_zone", "Mars/Olympus");
    let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let (status, _, page) = admin.post("/newsroom/settings", &pairs).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"<p id="time_zone-error" class="nr-error">Unknown time zone"#));
    assert!(page.contains(r#"value="The Levant Courier Daily""#));

    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, _, _) = admin.post("/newsroom/settings", &pairs).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, home) = get(&app, "/").await;
    assert!(home.contains("The Levant Courier Daily"));
    assert!(home.contains("Published by Cedar Media Group SAL."));
    let (_, _, page) = admin.get("/newsroom/settings").await;
    assert!(page.contains("Be civil."));

    let editor = app.editor().await;
    let (status, _, _) = editor.get("/newsroom/settings").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = editor.post("/newsroom/settings", &pairs).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn editors_add_rename_and_delete_sections_and_the_menu_follows() {
    let app = crate::app();
    let editor = app.editor().await;
    let (status, _, _) = editor
        .post(
            "/newsroom/sections",
            &[("name", "Interior Design"), ("position", "20")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, home) = get(&app, "/").await;
    assert!(home.contains(r#"<a href="/interior-design">Interior Design</a>"#));
    let (status, _, _) = get(&app, "/interior-design").await;
    assert_eq!(status, StatusCode::OK);

    // A section may not take a path the site uses itself.
    let (status, _, page) = editor
        .post("/newsroom/sections", &[("name", "Archive")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains(r#"<p id="new-slug-error" class="nr-error">This address is already used"#)
    );
    assert!(page.contains(r#"value="Archive""#));
    // Nor the slug of another section.
    let (status, _, _) = editor
        .post("/newsroom/sections", &[("name", "Politics")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, _, page) = editor.get("/newsroom/sections").await;
    let interior = row_id(&page, "/newsroom/sections/", "Interior Design");
    let (status, _, _) = editor
        .post(
            &format!("/newsroom/sections/{interior}"),
            &[("name", "Homes"), ("slug", "homes"), ("position", "20")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, home) = get(&app, "/").await;
    assert!(home.contains(r#"<a href="/homes">Homes</a>"#));
    assert!(!home.contains("Interior Design"));

    // Politics has articles: it stays.
    let politics = row_id(&page, "/newsroom/sections/", "Politics");
    let (status, _, page) = editor
        .post(&format!("/newsroom/sections/{politics}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Articles still use this"));
    let (status, _, _) = editor
        .post(&format!("/newsroom/sections/{interior}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = get(&app, "/homes").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let reporter = app.reporter().await;
    let (status, _, _) = reporter.get("/newsroom/sections").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) = reporter
        .post("/newsroom/sections", &[("name", "Mine")])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_author_gets_a_bio_and_a_photo_on_their_page_and_tags_are_renamed() {
    let app = crate::app();
    let editor = app.editor().await;
    let (_, _, page) = editor.get("/newsroom/authors").await;
    let photo = first_option(&page, r#"name="photo">"#);
    let (status, _, _) = editor
        .post(
            "/newsroom/authors",
            &[
                ("name", "Layla Mansour"),
                ("bio", "Layla covers energy and the Gulf economies."),
                ("photo", &photo),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, page) = get(&app, "/author/layla-mansour").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Layla covers energy and the Gulf economies."));
    assert!(page.contains(r#"class="intro-photo""#));

    let (status, _, _) = editor
        .post("/newsroom/tags", &[("name", "Olive oil")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = editor.get("/newsroom/tags").await;
    let id = row_id(&page, "/newsroom/tags/", "Olive oil");
    let (status, _, _) = editor
        .post(
            &format!("/newsroom/tags/{id}"),
            &[("name", "Olive harvest"), ("slug", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = editor.get("/newsroom/tags").await;
    assert!(page.contains(r#"value="olive-harvest""#));
    let (status, _, _) = editor
        .post(&format!("/newsroom/tags/{id}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = editor.get("/newsroom/tags").await;
    assert!(!page.contains("Olive harvest"));
}

#[tokio::test]
async fn an_admin_invites_a_person_who_makes_their_own_password() {
    let smtp = dateline_testkit::SmtpSink::start();
    let smtp_url = smtp.url();
    let app = crate::caching::app_with(&[
        ("DATELINE_SMTP_URL", &smtp_url),
        (
            "DATELINE_MAIL_FROM",
            "The Levant Courier <newsroom@courier.example>",
        ),
    ]);
    let admin = app.admin_a().await;
    let (status, headers, page) = admin
        .post(
            "/newsroom/users",
            &[
                ("email", "Nour@Example.com"),
                ("name", "Nour Reporter"),
                ("role", "reporter"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    assert!(
        headers["location"]
            .to_str()
            .unwrap()
            .ends_with("?done=invited")
    );
    let (_, _, page) = admin.get("/newsroom/users?done=invited").await;
    assert!(page.contains("Invitation mailed"));
    assert!(between(&page, "Invited, not yet joined", "</section>").contains("nour@example.com"));
    assert!(!page.contains("<code"), "no password is shown to the admin");

    // The link goes to the address alone.
    let mail = smtp
        .wait_for("nour@example.com")
        .await
        .expect("an invitation");
    assert!(mail.contains("Ada Admin invites you to"), "{mail}");
    let body = dateline_testkit::mail_body(&mail);
    let link = body
        .split_whitespace()
        .find(|w| w.contains("/newsroom/invitation?token="))
        .expect("a link in the mail")
        .to_owned();
    let path = &link[link.find("/newsroom/").unwrap()..];
    let token = path.rsplit('=').next().unwrap().to_owned();
    let (status, _, page) = get(&app, path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("as Reporter") && page.contains("nour@example.com"));
    assert!(page.contains(r#"value="Nour Reporter""#));
    // Bad input comes back at its field, the name kept.
    let (status, _, page) = app
        .post_form(
            "/newsroom/invitation",
            &[
                ("token", &token),
                ("name", "Nour R."),
                ("password", "long enough password"),
                ("repeat", "another long password"),
            ],
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains(r#"<p id="repeat-error" class="nr-error">The two new passwords differ.</p>"#)
    );
    assert!(page.contains(r#"value="Nour R.""#));
    let (status, headers, _) = app
        .post_form(
            "/newsroom/invitation",
            &[
                ("token", &token),
                ("name", "Nour R."),
                ("password", "long enough password"),
                ("repeat", "long enough password"),
            ],
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let nour_cookie = session_cookie(&headers);
    let (status, _, _) =
        crate::get_with(&app, "/newsroom/articles", &[("cookie", &nour_cookie)]).await;
    assert_eq!(status, StatusCode::OK, "a reporter now");
    let (status, _, _) = get(&app, path).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "a link works once");
    let (status, _, _) = log_in(&app, "nour@example.com", "long enough password").await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Bad input comes back at its field.
    let (status, _, page) = admin
        .post(
            "/newsroom/users",
            &[("email", "not-an-address"), ("role", "editor")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"<p id="email-error" class="nr-error">"#));
    assert!(page.contains(r#"value="not-an-address""#));

    // Promote, then remove.
    let (_, _, page) = admin.get("/newsroom/users").await;
    let id = page
        .split("action=\"/newsroom/users/")
        .filter_map(|rest| rest.split('/').next())
        .find(|id| id.bytes().all(|b| b.is_ascii_digit()))
        .unwrap()
        .to_owned();
    let (status, _, _) = admin
        .post(&format!("/newsroom/users/{id}/role"), &[("role", "editor")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, page) = admin.get("/newsroom/users").await;
    assert!(between(&page, "nour@example.com", "</tr>").contains(r#"value="editor" selected"#));
    let (status, _, _) = admin
        .post(&format!("/newsroom/users/{id}/remove"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) =
        crate::get_with(&app, "/newsroom/articles", &[("cookie", &nour_cookie)]).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no role, no newsroom");

    // Admins cannot lock themselves out; others cannot manage people.
    let (_, _, page) = admin.get("/newsroom/users").await;
    assert_eq!(
        page.matches("/remove\"").count(),
        0,
        "no remove button for oneself"
    );
    let editor = app.editor().await;
    let (status, _, _) = editor.get("/newsroom/users").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_password_change_checks_the_old_one_and_ends_other_sessions() {
    let app = crate::app();
    let editor = app.editor().await;
    let (_, headers, _) = log_in(&app, "eda@example.com", PASSWORD).await;
    let other = session_cookie(&headers);
    let new = "a much longer passphrase";
    let (status, _, page) = editor
        .post(
            "/newsroom/account",
            &[("current", "wrong one!!"), ("new", new), ("repeat", new)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains(
            r#"<p id="current-error" class="nr-error">The current password is wrong.</p>"#
        )
    );
    let (status, _, page) = editor
        .post(
            "/newsroom/account",
            &[
                ("current", PASSWORD),
                ("new", new),
                ("repeat", "different!!"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("The two new passwords differ."));
    let (status, _, _) = editor
        .post(
            "/newsroom/account",
            &[("current", PASSWORD), ("new", "short"), ("repeat", "short")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, _) = editor
        .post(
            "/newsroom/account",
            &[("current", PASSWORD), ("new", new), ("repeat", new)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = editor.get("/newsroom").await;
    assert_eq!(status, StatusCode::OK, "this session goes on");
    let (status, headers, _) = crate::get_with(&app, "/newsroom", &[("cookie", &other)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the other session ended");
    assert_eq!(headers["location"], "/newsroom/login");
    let (status, _, _) = log_in(&app, "eda@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = log_in(&app, "eda@example.com", new).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_first_administrator_is_made_through_the_link_the_server_prints() {
    let app = crate::app();
    let mut printed = None;
    for _ in 0..50 {
        printed = app
            .printed()
            .into_iter()
            .find(|l| l.starts_with("No newsroom account yet"));
        if printed.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let line = printed.expect("the first-run link is printed");
    let path = line
        .split_whitespace()
        .find(|w| w.contains("/newsroom/setup?token="))
        .map(|url| url[url.find("/newsroom/").unwrap()..].to_owned())
        .unwrap();
    let (status, _, _) = get(&app, "/newsroom/setup?token=guess").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a wrong token shows nothing");
    let (status, _, page) = get(&app, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Create the first administrator"));
    let token = path.split("token=").nth(1).unwrap().to_owned();
    let (status, _, page) = app
        .post_form(
            "/newsroom/setup",
            &[
                ("token", &token),
                ("email", "Chief@Example.com"),
                ("name", ""),
                ("password", "long enough password"),
            ],
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(r#"<p id="name-error" class="nr-error">This field is required.</p>"#));
    assert!(page.contains(r#"value="Chief@Example.com""#));
    let (status, headers, _) = app
        .post_form(
            "/newsroom/setup",
            &[
                ("token", &token),
                ("email", "Chief@Example.com"),
                ("name", "Hala Chief"),
                ("password", "long enough password"),
            ],
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = session_cookie(&headers);
    let (status, _, page) =
        crate::get_with(&app, "/ar/newsroom/settings", &[("cookie", &cookie)]).await;
    assert_eq!(status, StatusCode::OK, "an administrator of every site");
    assert!(page.contains(r#"dir="rtl""#));
    let (status, _, _) = get(&app, &path).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the link works once");
    let (status, _, _) = log_in(&app, "chief@example.com", "long enough password").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn deleted_articles_go_to_a_trash_editors_can_empty_back() {
    let app = crate::app();
    let reporter = app.reporter().await;
    let id = reporter.write_draft("A draft nobody needs").await;
    let (_, _, page) = reporter.get(&format!("/newsroom/articles/{id}")).await;
    assert!(page.contains(&format!(r#"action="/newsroom/articles/{id}/delete""#)));
    let (status, _, _) = reporter
        .post(&format!("/newsroom/articles/{id}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = reporter.get(&format!("/newsroom/articles/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, list) = reporter.get("/newsroom/articles").await;
    assert!(!list.contains("A draft nobody needs"));

    let editor = app.editor().await;
    let (_, _, trash) = editor.get("/newsroom/articles?state=deleted").await;
    assert!(trash.contains("A draft nobody needs"));
    let (status, _, _) = reporter
        .post(&format!("/newsroom/articles/{id}/restore"), &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "reporters cannot restore");
    let (status, _, _) = editor
        .post(&format!("/newsroom/articles/{id}/restore"), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = editor.get(&format!("/newsroom/articles/{id}")).await;
    assert_eq!(status, StatusCode::OK);

    // Published articles are unpublished first; the audit log records it all.
    let live = editor.publish_article("Live story").await;
    let (status, _, _) = editor
        .post(&format!("/newsroom/articles/{live}/delete"), &[])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.admin_a().await;
    let (_, _, log) = admin.get("/newsroom/audit").await;
    assert!(log.contains("undelete") && log.contains("Rami Reporter"));
}
