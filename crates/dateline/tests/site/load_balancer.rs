//! Two instances on one PostgreSQL database behind a real nginx running
//! the configuration shipped to operators (`deploy/nginx-dateline.conf`):
//! readers, reporters and commenters are served by whichever instance
//! nginx picks, and one instance dying loses nobody.

use crate::{BINARY, get};
use dateline_testkit::{
    Nginx, ServerOptions, TestApp, TestDatabase, TestServer, scratch_postgres_database,
};
use reqwest::StatusCode;

const SHIPPED: &str = include_str!("../../../../deploy/nginx-dateline.conf");

fn instance(url: &str) -> TestServer {
    TestServer::start_with(
        BINARY,
        ServerOptions {
            database: TestDatabase::Postgres(url.to_owned()),
            // As docs/deploy.md says: the instances believe nginx's headers.
            envs: vec![("DATELINE_CLIENT_IP_HEADER".into(), "X-Real-IP".into())],
            ..ServerOptions::default()
        },
    )
}

fn address(server: &TestServer) -> String {
    server.base.trim_start_matches("http://").to_owned()
}

#[tokio::test]
async fn behind_nginx_any_instance_serves_anyone_and_one_dying_loses_nobody() {
    let Some(url) = scratch_postgres_database() else {
        eprintln!("skipped: needs TEST_POSTGRES_URL (scripts/test sets it)");
        return;
    };
    let mut a = instance(&url);
    let mut b = instance(&url);
    let nginx = Nginx::start(
        SHIPPED,
        &[
            ("127.0.0.1:8081", &address(&a)),
            ("127.0.0.1:8082", &address(&b)),
        ],
    );
    // Everything the actors do over HTTP goes through nginx; their
    // accounts are made on the command line against the shared database.
    a.base = nginx.base.clone();
    let app = TestApp::on(a);

    let editor = app.editor().await;
    for _ in 0..4 {
        let (status, _, _) = editor.get("/newsroom").await;
        assert_eq!(
            status,
            StatusCode::OK,
            "the session holds on every instance"
        );
    }
    let id = editor
        .publish_article("Harbour cranes are back at work")
        .await;
    for _ in 0..4 {
        let (status, _, page) = get(&app, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            page.contains("Harbour cranes are back at work"),
            "every instance shows the story"
        );
    }
    for _ in 0..2 {
        let (status, _, body) = app.reader().comment_on(id, &[]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    }

    // One instance dies: nginx sends everyone to the other.
    b.kill();
    for _ in 0..6 {
        let (status, _, _) = get(&app, "/").await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _, _) = editor.get("/newsroom").await;
    assert_eq!(status, StatusCode::OK);
    let later = editor.publish_article("Ferries sail again at noon").await;
    assert!(later > id);
    let (_, _, page) = get(&app, "/").await;
    assert!(page.contains("Ferries sail again at noon"));
    drop(nginx);
}
