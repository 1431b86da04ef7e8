//! The command line: help, configuration, start-up and shutdown.

use crate::{BINARY, get};
use dateline_testkit::{ServerOptions, TestServer};
use reqwest::StatusCode;
use std::process::Command;

#[test]
fn help_explains_the_commands_and_their_flags() {
    let top = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(top.status.success());
    let text = String::from_utf8_lossy(&top.stdout);
    assert!(text.contains("serve"), "{text}");
    let serve = Command::new(BINARY)
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&serve.stdout);
    for expected in [
        "--listen",
        "--data-dir",
        "--config",
        "--no-demo",
        "--database-url",
        "DATELINE_DATABASE_URL",
        "DATELINE_LISTEN",
        "DATELINE_DATA_DIR",
        "DATELINE_CONFIG",
        "127.0.0.1:8080",
        "./dateline-data",
    ] {
        assert!(
            text.contains(expected),
            "serve --help lacks {expected}: {text}"
        );
    }
}

/// Every command takes `--database-url`; one that cannot be used is
/// refused with the reason, naming the server it could not reach.
#[test]
fn a_database_url_that_cannot_be_used_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str], url: &str| {
        let out = Command::new(BINARY)
            .args(args)
            .arg("--data-dir")
            .arg(dir.path())
            .args(["--database-url", url])
            .env_remove("DATELINE_DATABASE_URL")
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?} with {url} succeeded");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let serve = ["serve", "--no-demo", "--listen", "127.0.0.1:0"];
    let stderr = run(&serve, "mysql://localhost/news");
    assert!(stderr.contains("postgres://"), "{stderr}");
    let stderr = run(&serve, "postgres://dateline@127.0.0.1:port/news");
    assert!(stderr.contains("database URL"), "{stderr}");

    // Nothing listens on a port that was just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = format!("postgres://dateline@127.0.0.1:{port}/news");
    let place = format!("127.0.0.1:{port}");
    for args in [
        &["user", "add", "--email", "a@example.com", "--role", "admin"][..],
        &["token", "revoke", "--email", "a@example.com", "--name", "x"][..],
        &["search", "reindex"][..],
    ] {
        let stderr = run(args, &unreachable);
        assert!(stderr.contains(&place), "{args:?}: {stderr}");
    }
    // Backups of PostgreSQL are pg_dump's.
    let stderr = run(&["backup", "/tmp/nowhere-dateline"], &unreachable);
    assert!(stderr.contains("pg_dump"), "{stderr}");
}

#[test]
fn a_bad_configuration_is_refused_naming_the_file_and_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dateline.toml");
    std::fs::write(&file, "compression_level = 42\n").unwrap();
    let out = Command::new(BINARY)
        .args(["serve", "--no-demo", "--listen", "127.0.0.1:0", "--config"])
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path().join("data"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("compression_level"), "{stderr}");

    std::fs::write(&file, "listen = 8080\n").unwrap();
    let out = Command::new(BINARY)
        .args(["serve", "--config"])
        .arg(&file)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("listen") && stderr.contains("dateline.toml"),
        "{stderr}"
    );

    let out = Command::new(BINARY)
        .args(["serve", "--config", "/no/such/file.toml"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/file.toml"));

    let out = Command::new(BINARY)
        .args(["serve", "--no-demo", "--listen", "127.0.0.1:0"])
        .arg("--data-dir")
        .arg(dir.path().join("data2"))
        .env("DATELINE_THEME_DIR", "/no/such/theme")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/theme"));
}

#[tokio::test]
async fn the_demo_can_be_turned_off_by_environment_variable() {
    for value in ["1", "yes", "true"] {
        let server = TestServer::start_with(
            BINARY,
            ServerOptions {
                demo: true,
                envs: vec![("DATELINE_NO_DEMO".into(), value.into())],
                ..Default::default()
            },
        );
        let (status, _, _) = get(&server, "/").await;
        assert_eq!(
            status,
            StatusCode::SERVICE_UNAVAILABLE,
            "DATELINE_NO_DEMO={value}"
        );
    }
}

#[tokio::test]
async fn without_the_demo_a_new_network_starts_empty() {
    let server = TestServer::start_with(
        BINARY,
        ServerOptions {
            demo: false,
            ..Default::default()
        },
    );
    let (status, _, body) = get(&server, "/").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(body.contains("no site yet"));
    let (status, _, _) = get(&server, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn sigterm_stops_the_server_cleanly_and_the_data_survives_a_restart() {
    let mut server = crate::server();
    let (_, _, before) = get(&server, "/latest").await;
    assert!(
        server.terminate(),
        "dateline did not exit cleanly on SIGTERM"
    );
    server.restart();
    let (status, _, after) = get(&server, "/latest").await;
    assert_eq!(status, StatusCode::OK);
    // Same articles, not a second demo install.
    assert!(after.contains("Page 1 of 4"));
    assert_eq!(
        crate::article_links(&before, ""),
        crate::article_links(&after, "")
    );
    // The new port shows in absolute links: they follow the request.
    let canonical = format!(r#"<link rel="canonical" href="{}/latest">"#, server.base);
    assert!(after.contains(&canonical), "{canonical}");
}

#[tokio::test]
async fn a_theme_folder_overrides_templates_strings_and_static_files() {
    let theme = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(theme.path().join("locales/en")).unwrap();
    std::fs::create_dir_all(theme.path().join("static")).unwrap();
    std::fs::create_dir_all(theme.path().join("templates")).unwrap();
    std::fs::write(
        theme.path().join("locales/en/mine.ftl"),
        "nav-home = Front page\n",
    )
    .unwrap();
    std::fs::write(
        theme.path().join("static/site.css"),
        "body { color: rebeccapurple; }\n",
    )
    .unwrap();
    std::fs::write(
        theme.path().join("templates/error.html"),
        "{% extends \"base.html\" %}{% block main %}<p class=\"themed\">Lost? {{ status }}</p>{% endblock %}",
    )
    .unwrap();
    let server = TestServer::start_with(
        BINARY,
        ServerOptions {
            envs: vec![(
                "DATELINE_THEME_DIR".into(),
                theme.path().display().to_string(),
            )],
            ..Default::default()
        },
    );
    let (_, _, home) = get(&server, "/").await;
    assert!(home.contains(">Front page</a>"));
    let css = crate::links(&home, "/static/site.css")[0].clone();
    let (_, _, body) = get(&server, &css).await;
    assert!(body.contains("rebeccapurple"));
    let (status, _, missing) = get(&server, "/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains(r#"<p class="themed">Lost? 404</p>"#));
    // Arabic strings are untouched by an English override.
    let (_, _, arabic) = get(&server, "/ar/").await;
    assert!(arabic.contains(">الرئيسية</a>"));
}
