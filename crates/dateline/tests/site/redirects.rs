//! Old addresses kept as redirects: a link from before a move answers a
//! permanent redirect to where the content is now.

use crate::{app, get};
use reqwest::StatusCode;

#[tokio::test]
async fn an_old_address_answers_a_permanent_redirect_to_the_story_or_page_it_became() {
    let app = app();
    let (id, path) = app.an_article("").await;
    let editor = app.editor().await;
    let (status, _, _) = editor
        .post(
            "/newsroom/redirects",
            &[
                ("old", "https://old.example.com/2019/05/old-slug/"),
                ("target", &id.to_string()),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    for spelling in [
        "/2019/05/old-slug/",
        "/2019/05/old-slug",
        "/2019/05/old-slug/?utm_source=feed",
    ] {
        let (status, headers, _) = get(&app, spelling).await;
        assert_eq!(status, StatusCode::MOVED_PERMANENTLY, "{spelling}");
        let location = headers["location"].to_str().unwrap();
        assert!(
            location.ends_with(&path),
            "{spelling} → {location}, not {path}"
        );
    }
    let (status, _, _) = editor
        .post(
            "/newsroom/redirects",
            &[("old", "/category/news/"), ("target", "/politics")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, headers, _) = get(&app, "/category/news").await;
    assert_eq!(status, StatusCode::MOVED_PERMANENTLY);
    assert!(headers["location"].to_str().unwrap().ends_with("/politics"));

    // The list shows them; a wrong one is refused at its field, as typed.
    let (_, _, page) = editor.get("/newsroom/redirects").await;
    assert!(page.contains("/2019/05/old-slug") && page.contains("/category/news"));
    let (status, _, page) = editor
        .post(
            "/newsroom/redirects",
            &[("old", "old-slug"), ("target", "999999")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("value=\"old-slug\"") && page.contains("value=\"999999\""));
    assert_eq!(
        page.matches("aria-invalid=\"true\"").count(),
        2,
        "both fields refused"
    );

    // Removed: the old address finds nothing again.
    let (status, _, _) = editor
        .post("/newsroom/redirects/delete", &[("old", "/category/news/")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = get(&app, "/category/news").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let reporter = app.reporter().await;
    let (status, _, _) = reporter.get("/newsroom/redirects").await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "editors and admins keep redirects"
    );
}
