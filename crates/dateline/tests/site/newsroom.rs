//! The newsroom's accounts: created on the command line, used in the browser.

use crate::{BINARY, get_with, server};
use dateline_testkit::{TestServer, raw_client};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::io::Write;
use std::process::{Command, Stdio};

pub(crate) const PASSWORD: &str = "correct horse battery";

/// Runs `dateline user add` against the server's data directory.
pub(crate) fn add_user(
    server: &TestServer,
    args: &[&str],
    stdin: Option<&str>,
) -> std::process::Output {
    let mut child = Command::new(BINARY)
        .args(["user", "add"])
        .args(args)
        .arg("--data-dir")
        .arg(server.data_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

pub(crate) fn form(pairs: &[(&str, &str)]) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub(crate) async fn post(
    server: &TestServer,
    path: &str,
    body: String,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let mut request = raw_client()
        .post(server.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

pub(crate) async fn log_in(
    server: &TestServer,
    email: &str,
    password: &str,
) -> (StatusCode, HeaderMap, String) {
    let origin = server.base.clone();
    post(
        server,
        "/newsroom/login",
        form(&[("email", email), ("password", password)]),
        &[("origin", &origin)],
    )
    .await
}

pub(crate) fn editor(server: &TestServer) {
    let out = add_user(
        server,
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
    let server = server();
    editor(&server);
    let (status, headers, _) = log_in(&server, "rana@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/newsroom");
    let cookie = headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    let session = cookie.split(';').next().unwrap().to_owned();

    let (status, headers, body) = get_with(&server, "/newsroom", &[("cookie", &session)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["cache-control"], "no-store");
    assert!(body.contains("Welcome, Rana Haddad"));
    assert!(body.contains("The Levant Courier") && body.contains("Editor"));

    let origin = server.base.clone();
    let (status, headers, _) = post(
        &server,
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
    let (status, headers, _) = get_with(&server, "/newsroom", &[("cookie", &session)]).await;
    assert_eq!(
        status,
        StatusCode::SEE_OTHER,
        "the session must end at logout"
    );
    assert_eq!(headers["location"], "/newsroom/login");
}

#[tokio::test]
async fn a_failed_login_shows_the_form_again_with_the_message_and_the_address() {
    let server = server();
    editor(&server);
    let (status, _, body) = log_in(&server, "rana@example.com", "not the password").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("The e-mail address or the password is wrong."));
    assert!(body.contains(r#"value="rana@example.com""#));
    assert!(
        !body.contains("not the password"),
        "a password is never sent back"
    );

    let (status, _, body) = log_in(&server, "rana-at-example", PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains(r#"aria-invalid="true""#));
    assert!(body.contains(r#"<p id="email-error" class="nr-error">Enter an e-mail address"#));
    assert!(body.contains(r#"value="rana-at-example""#));

    let (status, _, body) = log_in(&server, "nobody@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("The e-mail address or the password is wrong."));
}

#[tokio::test]
async fn repeated_failures_are_throttled_even_with_the_right_password() {
    let server = server();
    editor(&server);
    for _ in 0..5 {
        let (status, _, _) = log_in(&server, "rana@example.com", "guess guess guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _, body) = log_in(&server, "rana@example.com", PASSWORD).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(body.contains("Too many failed attempts"));
}

#[tokio::test]
async fn logins_posted_from_another_site_are_refused() {
    let server = server();
    editor(&server);
    let body = form(&[("email", "rana@example.com"), ("password", PASSWORD)]);
    let (status, headers, page) = post(
        &server,
        "/newsroom/login",
        body.clone(),
        &[("origin", "http://evil.example")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!headers.contains_key("set-cookie"));
    assert!(page.contains("must be sent from the newsroom"));
    let (status, _, _) = post(
        &server,
        "/newsroom/login",
        body,
        &[("sec-fetch-site", "cross-site")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_newsroom_asks_for_a_login_and_speaks_the_editions_language() {
    let server = server();
    let (status, headers, _) = get_with(&server, "/newsroom", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/newsroom/login");
    let (status, headers, _) = get_with(&server, "/ar/newsroom", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/ar/newsroom/login");
    let (status, _, body) = get_with(&server, "/ar/newsroom/login", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(r#"<html lang="ar" dir="rtl">"#));
    assert!(body.contains("تسجيل الدخول إلى غرفة الأخبار"));
    let (_, _, body) = get_with(&server, "/newsroom/login", &[]).await;
    assert!(body.contains("Log in to the newsroom"));
    assert!(body.contains(r#"autocomplete="current-password""#));
}

#[tokio::test]
async fn the_command_line_refuses_bad_accounts_with_a_reason() {
    let server = server();
    let bad_email = add_user(&server, &["--email", "nope", "--role", "editor"], None);
    assert!(!bad_email.status.success());
    assert!(String::from_utf8_lossy(&bad_email.stderr).contains("--email"));
    let bad_role = add_user(
        &server,
        &["--email", "a@example.com", "--role", "chief"],
        None,
    );
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("unknown role"));
    let bad_site = add_user(
        &server,
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
    let short = add_user(
        &server,
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

    let made = add_user(
        &server,
        &["--email", "admin@example.com", "--role", "admin"],
        None,
    );
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
    let again = add_user(
        &server,
        &["--email", "ADMIN@example.com", "--role", "editor"],
        None,
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("already has an account"));
    let (status, _, _) = log_in(&server, "admin@example.com", &password).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}
