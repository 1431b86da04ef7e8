//! Abuse a news site meets on the open internet, answered without harm
//! (issue 12): bursts of logins, a WebSub hub turned against the server's
//! own network or memory.

use crate::app;
use crate::newsroom::editor;
use crate::receiver::Receiver;
use dateline_testkit::{TestApp, form, raw_client};
use reqwest::StatusCode;
use std::time::Duration;

/// Asks the hub of the English site to (un)subscribe `callback` to its
/// main feed; the status and the reason.
async fn hub_request(
    app: &TestApp,
    mode: &str,
    topic: &str,
    callback: &str,
) -> (StatusCode, String) {
    let response = raw_client()
        .post(app.url("/websub"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&[
            ("hub.mode", mode),
            ("hub.topic", topic),
            ("hub.callback", callback),
        ]))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn the_hub_refuses_callbacks_on_the_server_or_its_private_network() {
    let app = app();
    let topic = app.url("/feed.xml");
    // Loopback only, so that nothing leaves this machine even if the check
    // broke; private, link-local and other ranges are covered by
    // `core::websub`'s unit tests.
    for callback in [
        "http://127.0.0.1:9/inbox",
        "http://127.8.9.10/inbox",
        "http://[::1]/inbox",
        "http://[::ffff:127.0.0.1]/inbox",
    ] {
        let (status, reason) = hub_request(&app, "subscribe", &topic, callback).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{callback}: {reason}");
        assert!(reason.contains("public address"), "{callback}: {reason}");
    }
    // Unsubscribing checks the topic as subscribing does.
    let (status, reason) = hub_request(
        &app,
        "unsubscribe",
        &app.url("/politics"),
        "https://subscriber.example.com/inbox",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{reason}");
    assert!(reason.contains("one of this site's feeds"), "{reason}");
}

#[tokio::test]
async fn a_callback_name_that_leads_to_the_server_is_refused_where_the_hub_connects() {
    let subscriber = Receiver::start(|r| (200, r.param("hub.challenge").unwrap_or_default())).await;
    // `localhost` resolves to this machine everywhere, yet passes any
    // check made on a name alone.
    let name = "localhost";
    let app = app();
    let port = subscriber.base.rsplit(':').next().unwrap().to_owned();
    let callback = format!("http://{name}:{port}/inbox");
    let (status, reason) = hub_request(&app, "subscribe", &app.url("/feed.xml"), &callback).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{reason}");
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    assert!(
        subscriber.received().is_empty(),
        "the hub called a private address through a name"
    );
}

#[tokio::test]
async fn the_hub_reads_no_more_than_a_few_kilobytes_of_a_verification_answer() {
    // The challenge, then a megabyte of padding a careless hub would read
    // whole before trimming it away.
    let subscriber = Receiver::start(|r| match r.param("hub.challenge") {
        Some(challenge) => (200, format!("{challenge}{}", " ".repeat(1 << 20))),
        None => (204, String::new()),
    })
    .await;
    let app = crate::caching::websub_app();
    let callback = subscriber.url("/inbox");
    let (status, reason) = hub_request(&app, "subscribe", &app.url("/feed.xml"), &callback).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{reason}");
    subscriber.wait_for(|r| r.method == "GET").await;
    // Not verified, so a publication sends it nothing.
    let editor = app.editor().await;
    editor
        .publish_article("Harbour reopens after the storm")
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(3_000)).await;
    assert!(
        subscriber.received().iter().all(|r| r.method == "GET"),
        "an oversized answer counted as a verification"
    );
}

/// Reads until the server closes the connection (10 s at most); what it
/// sent on the way.
async fn read_until_closed(stream: &mut tokio::net::TcpStream) -> Result<Vec<u8>, &'static str> {
    use tokio::io::AsyncReadExt;
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Ok(seen),
            Ok(Ok(n)) => seen.extend_from_slice(&buffer[..n]),
            Err(_) => return Err("the server kept the connection open"),
        }
    }
}

fn address(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

#[tokio::test]
async fn a_client_that_sends_half_a_request_header_is_let_go() {
    use tokio::io::AsyncWriteExt;
    let app = crate::caching::app_with(&[("DATELINE_HEADER_TIMEOUT_SECONDS", "1")]);
    let mut stream = tokio::net::TcpStream::connect(address(&app)).await.unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        .await
        .unwrap();
    read_until_closed(&mut stream).await.unwrap();
}

#[tokio::test]
async fn a_kept_alive_connection_left_idle_is_closed() {
    use tokio::io::AsyncWriteExt;
    let app = crate::caching::app_with(&[("DATELINE_HEADER_TIMEOUT_SECONDS", "1")]);
    let mut stream = tokio::net::TcpStream::connect(address(&app)).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    let answer = read_until_closed(&mut stream).await.unwrap();
    assert!(
        String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"),
        "the request itself was answered"
    );
}

#[tokio::test]
async fn connections_past_the_limit_wait_until_one_ends() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = crate::caching::app_with(&[
        ("DATELINE_MAX_CONNECTIONS", "2"),
        ("DATELINE_HEADER_TIMEOUT_SECONDS", "60"),
    ]);
    let first = tokio::net::TcpStream::connect(address(&app)).await.unwrap();
    let _second = tokio::net::TcpStream::connect(address(&app)).await.unwrap();
    // Let the server take both.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut third = tokio::net::TcpStream::connect(address(&app)).await.unwrap();
    third
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut buffer = [0u8; 64];
    let early = tokio::time::timeout(Duration::from_millis(1_500), third.read(&mut buffer)).await;
    assert!(
        early.is_err(),
        "a third connection was served past the limit of two"
    );
    drop(first);
    let answer = read_until_closed(&mut third).await.unwrap();
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn a_forged_host_gets_no_page_and_no_link() {
    let app = app();
    let port = app.base.rsplit(':').next().unwrap().to_owned();
    let forged = format!("evil.example:{port}");
    let (status, _, body) = crate::get_with(&app, "/", &[("host", &forged)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!body.contains("evil.example"), "{body}");
    let (status, _, feed) = crate::get_with(&app, "/feed.xml", &[("host", &forged)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(!feed.contains("evil.example"));
    // The site's own names and this machine are served.
    let own = format!("courier.localhost:{port}");
    let (status, _, page) = crate::get_with(&app, "/", &[("host", &own)]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains(&format!("http://{own}/")),
        "links follow the site's own name"
    );
}

#[tokio::test]
async fn behind_a_proxy_only_the_address_the_proxy_added_counts() {
    let app = crate::caching::app_with(&[("DATELINE_CLIENT_IP_HEADER", "x-forwarded-for")]);
    let (id, _) = app.an_article("").await;
    let moderator = app.moderator().await;
    let (status, _, page) = moderator
        .post(
            "/newsroom/comments/ban",
            &[
                ("kind", "ip"),
                ("value", "198.51.100.0/24"),
                ("reason", "spam wave"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    // The banned reader writes another address first; the proxy appends
    // the one it saw.
    let (status, _, _) = app
        .reader()
        .comment_with(
            id,
            &[("title", "Hello")],
            &[("x-forwarded-for", "203.0.113.5, 198.51.100.7")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a banned reader got in by writing another address first"
    );
}

#[tokio::test]
async fn moderators_cannot_ban_a_range_that_holds_everyone() {
    let app = app();
    let moderator = app.moderator().await;
    for too_wide in ["0.0.0.0/0", "::/0", "::ffff:0.0.0.0/96", "10.0.0.0/8"] {
        let (status, _, _) = moderator
            .post(
                "/newsroom/comments/ban",
                &[("kind", "ip"), ("value", too_wide), ("reason", "oops")],
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{too_wide}");
    }
}

#[tokio::test]
async fn a_report_cannot_send_the_reader_to_another_site() {
    let app = app();
    let (id, path) = app.an_article("").await;
    let (status, _, _) = app
        .reader()
        .comment_on(id, &[("title", "A fair point")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    app.moderator().await.decide_all("approve").await;
    let (_, _, page) = crate::get(&app, &path).await;
    let comment = crate::between(&page, r#"id="comment-"#, "\"").to_owned();
    for back in [
        r"/\evil.example/",
        "//evil.example/",
        "https://evil.example/",
    ] {
        let (status, headers, _) = dateline_testkit::post(
            &app,
            &format!("/comments/report/{comment}"),
            form(&[("reason", "spam"), ("back", back)]),
            &[("origin", &app.base)],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{back}");
        let location = headers["location"].to_str().unwrap();
        assert!(
            location.starts_with("/?") || location.starts_with("/comment"),
            "{back} led to {location}"
        );
        assert!(!location.contains("evil"), "{back} led to {location}");
    }
}

#[tokio::test]
async fn a_translation_is_linked_only_by_someone_with_a_role_on_both_editions() {
    let app = app();
    let english = app
        .admin_a()
        .await
        .publish_article("Olive harvest starts early")
        .await;
    // Basma is admin of the Arabic edition only.
    let translator = app.admin_b().await;
    let (_, _, new_form) = translator.get("/ar/newsroom/articles/new").await;
    let section = crate::between(
        crate::between(&new_form, r#"<select id="section""#, "</select>"),
        r#"<option value=""#,
        "\"",
    )
    .to_owned();
    let (status, _, body) = translator
        .post(
            "/ar/newsroom/articles",
            &[
                ("headline", "بدء موسم قطاف الزيتون مبكرًا"),
                ("section", &section),
                ("translation_of", &english.to_string()),
                ("action", "publish"),
                ("version", "0"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let path = dateline_testkit::public_path(&app, english, "politics")
        .await
        .unwrap();
    let (_, _, page) = crate::get(&app, &path).await;
    assert!(
        !page.contains(r#"<p class="translation">"#),
        "nothing was linked"
    );
}

#[tokio::test]
async fn secrets_stay_out_of_the_log() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let mut child = std::process::Command::new(crate::BINARY)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path().join("data"))
        .env("RUST_LOG", "info")
        // A malformed address whose password the warning must not repeat.
        .env("DATELINE_SMTP_URL", "smtp://mail:hunter2-secret@ bad host")
        .stdout(std::process::Stdio::piped())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut line = String::new();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    while !line.contains("listening on") {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the server stopped"
        );
    }
    let base = line.trim().rsplit(' ').next().unwrap().to_owned();
    // A one-time confirmation link, as a commenter follows it.
    let response = raw_client()
        .get(format!("{base}/comments/verify?token=one-time-token-4711"))
        .send()
        .await
        .unwrap();
    // The page asking to confirm (the link itself is used up only by its
    // button).
    assert_eq!(response.status(), StatusCode::OK);
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let written = std::fs::read_to_string(&log).unwrap();
    assert!(
        written.contains("comments/verify"),
        "the request was logged: {written}"
    );
    assert!(
        written.contains("smtp_url"),
        "the SMTP problem was logged: {written}"
    );
    assert!(!written.contains("one-time-token-4711"), "{written}");
    assert!(!written.contains("hunter2-secret"), "{written}");
}

/// Logs the editor in with `X-Forwarded-Proto: https`; the session
/// cookie set.
async fn log_in_saying_https(app: &dateline_testkit::TestApp) -> String {
    let (status, headers, _) = dateline_testkit::post(
        app,
        "/newsroom/login",
        form(&[
            ("email", "rana@example.com"),
            ("password", dateline_testkit::PASSWORD),
        ]),
        &[("origin", &app.base), ("x-forwarded-proto", "https")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    headers["set-cookie"].to_str().unwrap().to_owned()
}

#[tokio::test]
async fn over_https_the_session_cookie_is_a_secure_host_only_cookie() {
    // Behind a declared proxy, which says the reader came over HTTPS.
    let app = crate::caching::app_with(&[("DATELINE_CLIENT_IP_HEADER", "x-forwarded-for")]);
    editor(&app);
    let cookie = log_in_saying_https(&app).await;
    assert!(cookie.starts_with("__Host-dateline_session="), "{cookie}");
    assert!(
        cookie.contains("; Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Domain="), "{cookie}");
    let session = cookie.split(';').next().unwrap();
    let (status, _, page) = crate::get_with(
        &app,
        "/newsroom",
        &[("cookie", session), ("x-forwarded-proto", "https")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the session works: {page}");
}

#[tokio::test]
async fn without_a_declared_proxy_a_clients_forwarded_scheme_is_not_believed() {
    let app = app();
    editor(&app);
    let cookie = log_in_saying_https(&app).await;
    assert!(cookie.starts_with("dateline_session="), "{cookie}");
    let (_, _, page) = crate::get_with(&app, "/", &[("x-forwarded-proto", "https")]).await;
    assert!(!page.contains("https://127.0.0.1"), "no https links");
}

#[tokio::test]
async fn the_cached_site_header_follows_the_scheme_and_host_of_each_request() {
    let app = crate::caching::app_with(&[("DATELINE_CLIENT_IP_HEADER", "x-forwarded-for")]);
    let port = app.base.rsplit(':').next().unwrap().to_owned();
    let host = format!("courier.localhost:{port}");
    let (_, _, plain) = crate::get_with(&app, "/", &[("host", &host)]).await;
    assert!(
        plain.contains(&format!("http://ar.courier.localhost:{port}/")),
        "edition link"
    );
    let (_, _, secure) = crate::get_with(
        &app,
        "/",
        &[("host", &host), ("x-forwarded-proto", "https")],
    )
    .await;
    assert!(
        secure.contains(&format!("https://ar.courier.localhost:{port}/")),
        "the edition link follows the scheme"
    );
    assert!(!secure.contains(&format!("http://ar.courier.localhost:{port}/")));
}
