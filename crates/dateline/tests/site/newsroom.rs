//! The newsroom's accounts: created on the command line, used in the browser.

use crate::{app, get_with};
use dateline_testkit::{PASSWORD, TestApp, form, log_in, post};
use reqwest::StatusCode;

/// Rana Haddad, editor of the English site, made on the command line.
pub(crate) fn editor(app: &TestApp) {
    let out = app.add_user(
        &[
            "--email",
            "Rana@Example.com",
            "--name",
            "Rana Haddad",
            "--role",
            "editor",
            "--site",
            "courier-en",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("Created rana@example.com (editor) on courier-en.")
    );
}

#[tokio::test]
async fn an_account_made_on_the_command_line_logs_in_and_out() {
    let app = app();
    editor(&app);
    let (status, headers, _) = log_in(&app, "rana@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/newsroom");
    let cookie = headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_owned();

    let (status, headers, body) = get_with(&app, "/newsroom", &[("cookie", &session)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "no-store");
    assert!(body.contains("Welcome, Rana Haddad"));
    assert!(body.contains("The Levant Courier") && body.contains("Editor"));

    let origin = app.base.clone();
    let (status, headers, _) = post(
        &app,
        "/newsroom/logout",
        String::new(),
        &[("cookie", &session), ("origin", &origin)],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let (status, headers, _) = get_with(&app, "/newsroom", &[("cookie", &session)]).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the session must end at logout"
    );
    assert_eq!(headers["location"], "/newsroom/login");
}

#[tokio::test]
async fn a_failed_login_shows_the_form_again_with_the_message_and_the_address() {
    let app = app();
    editor(&app);
    let (status, _, body) = log_in(&app, "rana@example.com", "not the password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("The e-mail address or the password is wrong."));
    assert!(body.contains(r#"value="rana@example.com""#));
    assert!(
        !body.contains("not the password"),
        "a password is never sent back"
    );

    let (status, _, body) = log_in(&app, "rana-at-example", PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#"aria-invalid="true""#));
    assert!(body.contains(r#"<p id="email-error" class="nr-error">Enter an e-mail address"#));
    assert!(body.contains(r#"value="rana-at-example""#));

    let (status, _, body) = log_in(&app, "nobody@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("The e-mail address or the password is wrong."));
}

#[tokio::test]
async fn repeated_failures_are_throttled_even_with_the_right_password() {
    let app = app();
    editor(&app);
    for _ in 0..5 {
        let (status, _, _) = log_in(&app, "rana@example.com", "guess guess guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _, body) = log_in(&app, "rana@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("Too many failed attempts"));
}

#[tokio::test]
async fn logins_posted_from_another_site_are_refused() {
    let app = app();
    editor(&app);
    let body = form(&[("email", "rana@example.com"), ("password", PASSWORD)]);
    let (status, headers, page) = post(
        &app,
        "/newsroom/login",
        body.clone(),
        &[("origin", "http://evil.example")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!headers.contains_key("set-cookie"));
    assert!(page.contains("must be sent from the newsroom"));
    let (status, _, _) = post(
        &app,
        "/newsroom/login",
        body,
        &[("sec-fetch-site", "cross-site")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_newsroom_asks_for_a_login_and_speaks_the_editions_language() {
    let app = app();
    let (status, headers, _) = get_with(&app, "/newsroom", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/newsroom/login");
    let (status, headers, _) = get_with(&app, "/ar/newsroom", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/ar/newsroom/login");
    let (status, _, body) = get_with(&app, "/ar/newsroom/login", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(body.contains("تسجيل الدخول إلى غرفة الأخبار"));
    let (_, _, body) = get_with(&app, "/newsroom/login", &[]).await;
    assert!(body.contains("Log in to the newsroom"));
    assert!(body.contains(r#"autocomplete="current-password""#));
}

#[tokio::test]
async fn the_command_line_refuses_bad_accounts_with_a_reason() {
    let app = app();
    let bad_email = app.add_user(&["--email", "nope", "--role", "editor"], None);
    assert!(!bad_email.status.success());
    assert!(String::from_utf8_lossy(&bad_email.stderr).contains("--email"));
    let bad_role = app.add_user(&["--email", "a@example.com", "--role", "chief"], None);
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("unknown role"));
    let bad_site = app.add_user(
        &[
            "--email",
            "a@example.com",
            "--role",
            "editor",
            "--site",
            "nowhere",
        ],
        None,
    );
    let stderr = String::from_utf8_lossy(&bad_site.stderr);
    assert!(
        stderr.contains("nowhere") && stderr.contains("courier-en"),
        "{stderr}"
    );
    let short = app.add_user(
        &[
            "--email",
            "a@example.com",
            "--role",
            "editor",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));

    let made = app.add_user(&["--email", "admin@example.com", "--role", "admin"], None);
    assert!(made.status.success());
    let stdout = String::from_utf8_lossy(&made.stdout);
    assert!(stdout.contains("on courier-en, courier-ar"), "{stdout}");
    let password = stdout
        .split("Password: ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(password.len(), 20);
    let again = app.add_user(&["--email", "ADMIN@example.com", "--role", "editor"], None);
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has an account"));
    let (status, _, _) = log_in(&app, "admin@example.com", &password).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}
