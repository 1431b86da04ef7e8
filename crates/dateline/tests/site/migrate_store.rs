//! Moving an installation from its SQLite file to PostgreSQL:
//! `dateline migrate-store`, interrupted and run again, then the same
//! data directory served from PostgreSQL.

use crate::{BINARY, article_links, get};
use dateline_testkit::{ServerOptions, TestDatabase, TestServer, scratch_postgres_database};
use std::io::Read;
use std::process::Stdio;

#[tokio::test]
async fn a_network_moves_to_postgres_whole_even_when_the_copy_is_interrupted() {
    let Some(url) = scratch_postgres_database() else {
        eprintln!("skipped: needs TEST_POSTGRES_URL (scripts/test sets it)");
        return;
    };
    let mut server = TestServer::start_with(
        BINARY,
        ServerOptions {
            database: TestDatabase::Sqlite,
            ..ServerOptions::default()
        },
    );
    let before = what_readers_see(&server).await;
    assert!(before.0.len() >= 10, "{:?}", before.0);

    // Not while a server writes the file.
    let out = server
        .command()
        .args(["migrate-store", "--to", &url])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("stop it first"), "{stderr}");
    assert!(server.terminate());

    // Killed at its first progress line, wherever the copy was.
    let mut child = server
        .command()
        .args(["migrate-store", "--to", &url])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let mut first = [0_u8; 64];
    let n = stderr.read(&mut first).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        String::from_utf8_lossy(&first[..n]).contains("Copying"),
        "{}",
        String::from_utf8_lossy(&first[..n])
    );

    // Run again: it finishes and checks every table; a third run finds
    // everything there and changes nothing.
    for _ in 0..2 {
        let out = server
            .command()
            .args(["migrate-store", "--to", &url])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("every table verified"), "{stdout}");
        assert!(stdout.contains("media files from"), "{stdout}");
    }

    // The same data directory, served from PostgreSQL: the same network.
    server.restart_on(Some(url.clone()));
    assert_eq!(what_readers_see(&server).await, before);
    // A new instance with an empty data directory serves the images too:
    // the media folder went into the database.
    let fresh = TestServer::start_with(
        BINARY,
        ServerOptions {
            database: TestDatabase::Postgres(url.clone()),
            demo: false,
            ..ServerOptions::default()
        },
    );
    let (_, _, story) = get(&fresh, &before.0[0]).await;
    let figure = crate::between(&story, r#"<figure class="lead-image">"#, "</figure>");
    let image = crate::between(figure, r#"src=""#, "\"");
    let (status, _, _) = get(&fresh, image).await;
    assert_eq!(status, 200, "{image}");
    drop(fresh);

    // A database holding another network is refused.
    assert!(server.terminate());
    let other = scratch_postgres_database().unwrap();
    let elsewhere = TestServer::start_with(
        BINARY,
        ServerOptions {
            database: TestDatabase::Postgres(other.clone()),
            ..ServerOptions::default()
        },
    );
    drop(elsewhere);
    let out = server
        .command()
        .args(["migrate-store", "--to", &other])
        .env_remove("DATELINE_DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("empty database"), "{stderr}");
}

/// The home pages' article links of both editions and the first article's
/// headline.
async fn what_readers_see(server: &TestServer) -> (Vec<String>, Vec<String>, String) {
    let (_, _, home) = get(server, "/").await;
    let (_, _, arabic) = get(server, "/ar/").await;
    let links = article_links(&home, "");
    let (status, _, article) = get(server, &links[0]).await;
    assert_eq!(status, 200);
    let headline = article
        .split("<h1")
        .nth(1)
        .and_then(|h| h.split("</h1>").next())
        .unwrap_or_default()
        .to_owned();
    (links, article_links(&arabic, "/ar"), headline)
}
