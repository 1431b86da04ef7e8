//! Moving in from WordPress and Disqus: an export taken in whole through
//! the newsroom's rules, once however many times it runs, with old
//! addresses kept. Files are our fixtures (`fixtures/import/`), written in
//! the shape of real exports.

use crate::{Newsroom, arabic_edition, newsroom};
use dateline_core::comments::CommentStatus;
use dateline_core::{ArticleId, ArticleState, SiteId};
use dateline_newsdesk::import::{ImportFailure, ImportOptions, ImportReport};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(format!(
        "{}/../../fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
}

fn options(site: SiteId) -> ImportOptions<'static> {
    ImportOptions {
        site,
        media_dir: None,
        dry_run: false,
    }
}

async fn wordpress(n: &Newsroom, name: &str, options: ImportOptions<'_>) -> ImportReport {
    n.desk
        .import_wordpress(&fixture(name), name, options, &mut |_| {})
        .await
        .unwrap()
}

async fn disqus(n: &Newsroom, name: &str, options: ImportOptions<'_>) -> ImportReport {
    n.desk
        .import_disqus(&fixture(name), name, options, &mut |_| {})
        .await
        .unwrap()
}

/// The article a post became in an edition.
async fn post(n: &Newsroom, site: SiteId, post_id: &str) -> ArticleId {
    n.db.source_link(site, "wordpress:courier.example.org", post_id)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("post {post_id} was not imported"))
        .article
}

async fn state(n: &Newsroom, site: SiteId, id: ArticleId) -> ArticleState {
    n.db.editable_article(site, id)
        .await
        .unwrap()
        .unwrap()
        .status
        .state
}

/// Every comment of a site as (author, status), sorted.
async fn comments(n: &Newsroom, site: SiteId) -> Vec<(String, CommentStatus)> {
    let mut all = Vec::new();
    for status in CommentStatus::ALL {
        for c in
            n.db.comment_queue(site, status, 0, 0.0, 1_000, 0)
                .await
                .unwrap()
        {
            all.push((c.name, c.status));
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// Where an old address leads now.
async fn leads_to(n: &Newsroom, site: SiteId, old: &str) -> Option<(SiteId, String)> {
    n.desk.redirect_for(site, old).await.unwrap()
}

#[tokio::test]
async fn a_wordpress_export_comes_in_whole() {
    let n = newsroom().await;
    let arabic = arabic_edition(&n).await;
    let report = wordpress(&n, "wxr-1.2-courier.xml", options(n.site)).await;
    assert_eq!(report.stopped, None, "{report}");
    assert_eq!(report.counted("post", "created"), 8, "{report}");
    assert_eq!(report.counted("page", "created"), 1, "{report}");
    assert!(
        report.skipped.iter().any(|s| s.contains("nav_menu_item")),
        "{report}"
    );
    assert!(
        report
            .missing_media
            .iter()
            .any(|m| m.contains("post 101") && m.contains("no --media-dir")),
        "{report}"
    );

    // Statuses map to the workflow; times are the export's.
    let port = post(&n, n.site, "101").await;
    let article = n.db.editable_article(n.site, port).await.unwrap().unwrap();
    assert_eq!(article.status.state, ArticleState::Published);
    assert_eq!(article.content.headline, "Port reopens to cargo ships");
    assert_eq!(article.content.slug.as_str(), "port-reopens");
    assert!(article.status.published_at.unwrap().year() == 2026);
    assert!(!article.content.body_html.contains("wp:paragraph"));
    assert_eq!(
        state(&n, n.site, post(&n, n.site, "102").await).await,
        ArticleState::Draft
    );
    assert_eq!(
        state(&n, n.site, post(&n, n.site, "103").await).await,
        ArticleState::InReview
    );
    assert_eq!(
        state(&n, n.site, post(&n, n.site, "104").await).await,
        ArticleState::Scheduled
    );
    assert_eq!(
        state(&n, n.site, post(&n, n.site, "105").await).await,
        ArticleState::Unpublished
    );
    let trashed = post(&n, n.site, "106").await;
    let trash = n.db.desk_trash(n.site).await.unwrap();
    assert!(
        trash.iter().any(|a| a.id == trashed),
        "post 106 is in the trash"
    );
    let harbour = post(&n, n.site, "110").await;
    let harbour =
        n.db.editable_article(n.site, harbour)
            .await
            .unwrap()
            .unwrap();
    assert_eq!(
        harbour.content.headline,
        "Harbour fees: what\u{2019}s changing & why <explained>"
    );

    // The Arabic post is in the Arabic edition, linked to its English twin.
    let arabic_port = post(&n, arabic, "109").await;
    let arabic_article =
        n.db.editable_article(arabic, arabic_port)
            .await
            .unwrap()
            .unwrap();
    assert!(arabic_article.translation_group.is_some());
    let english_group = n.db.editable_article(n.site, port).await.unwrap().unwrap();
    assert_eq!(
        arabic_article.translation_group,
        english_group.translation_group
    );

    // Comments keep their status.
    let english = comments(&n, n.site).await;
    assert!(english.iter().any(|(_, s)| *s == CommentStatus::Pending));
    assert!(english.iter().any(|(_, s)| *s == CommentStatus::Rejected));
    assert!(english.iter().any(|(_, s)| *s == CommentStatus::Deleted));
    let replies = n.db.approved_comments(port, false, 100, 0).await.unwrap();
    assert!(
        replies.iter().any(|c| c.reply_to.is_some()),
        "a reply knows what it answers: {replies:?}"
    );
    let arabic_comments = comments(&n, arabic).await;
    assert_eq!(arabic_comments.len(), 3, "{arabic_comments:?}");

    // Old addresses lead to the new ones, in the right edition.
    let (site, path) = leads_to(&n, n.site, "/2026/12/port-reopens/")
        .await
        .unwrap();
    assert_eq!(site, n.site);
    assert!(path.ends_with(&format!("/{port}-port-reopens")), "{path}");
    assert_eq!(
        leads_to(&n, n.site, "/?p=101").await.map(|(_, p)| p),
        Some(path.clone())
    );
    let (site, _) = leads_to(&n, arabic, "/2026/12/%d8%a7%d9%84%d9%85%d9%8a%d9%86%d8%a7%d8%a1-%d9%8a%d8%b9%d9%8a%d8%af-%d9%81%d8%aa%d8%ad-%d8%a3%d8%a8%d9%88%d8%a7%d8%a8%d9%87/")
        .await
        .unwrap();
    assert_eq!(site, arabic);
    // Its former slugs too, and its category's archive and feed.
    let harbour_path = leads_to(&n, n.site, "/2026/12/harbour-fees-explained/")
        .await
        .unwrap()
        .1;
    assert!(
        harbour_path.contains(&format!("/{}-", harbour.id)),
        "{harbour_path}"
    );
    for old_slug in ["/2026/12/harbour-fees/", "/2026/12/new-harbour-fees-2026"] {
        assert_eq!(
            leads_to(&n, n.site, old_slug).await.map(|(_, p)| p),
            Some(harbour_path.clone()),
            "{old_slug}"
        );
    }
    // A child category's address names its parent, as WordPress writes it.
    let section = leads_to(&n, n.site, "/category/news/port/")
        .await
        .unwrap()
        .1;
    assert!(
        harbour_path.starts_with(&format!("{section}/")),
        "{section} {harbour_path}"
    );
    assert_eq!(
        leads_to(&n, n.site, "/category/news/port/feed/")
            .await
            .map(|(_, p)| p),
        Some(format!("{section}/feed.xml"))
    );
    assert_eq!(
        leads_to(&n, n.site, "/feed/").await,
        Some((n.site, "/feed.xml".into()))
    );
    assert!(leads_to(&n, n.site, "/?p=999").await.is_none());
}

#[tokio::test]
async fn a_second_run_changes_nothing() {
    let n = newsroom().await;
    arabic_edition(&n).await;
    let first = wordpress(&n, "wxr-1.2-courier.xml", options(n.site)).await;
    let before = comments(&n, n.site).await;
    let second = wordpress(&n, "wxr-1.2-courier.xml", options(n.site)).await;
    assert_eq!(second.counted("post", "created"), 0, "{second}");
    assert_eq!(
        second.counted("post", "unchanged"),
        first.counted("post", "created"),
        "{second}"
    );
    assert_eq!(second.counted("comment", "created"), 0, "{second}");
    assert_eq!(comments(&n, n.site).await, before);
}

#[tokio::test]
async fn a_file_cut_short_imports_what_is_whole_and_the_whole_file_then_the_rest() {
    let whole = newsroom().await;
    arabic_edition(&whole).await;
    wordpress(&whole, "wxr-1.2-courier.xml", options(whole.site)).await;

    let n = newsroom().await;
    arabic_edition(&n).await;
    let cut = wordpress(&n, "wxr-1.2-truncated.xml", options(n.site)).await;
    let stopped = cut
        .stopped
        .clone()
        .expect("the cut file says where it stops");
    assert!(stopped.contains("wxr-1.2-truncated.xml"), "{stopped}");
    assert!(cut.counted("post", "created") > 0, "{cut}");
    let rest = wordpress(&n, "wxr-1.2-courier.xml", options(n.site)).await;
    assert_eq!(
        cut.counted("post", "created") + rest.counted("post", "created"),
        8,
        "{cut}\n{rest}"
    );
    assert_eq!(
        comments(&n, n.site).await,
        comments(&whole, whole.site).await
    );
}

#[tokio::test]
async fn a_dry_run_writes_nothing() {
    let n = newsroom().await;
    arabic_edition(&n).await;
    let report = wordpress(
        &n,
        "wxr-1.2-courier.xml",
        ImportOptions {
            dry_run: true,
            ..options(n.site)
        },
    )
    .await;
    assert_eq!(report.counted("post", "created"), 8, "{report}");
    assert_eq!(report.counted("comment", "created"), 8, "{report}");
    assert!(report.to_string().contains("dry run"));
    assert!(
        n.db.source_link(n.site, "wordpress:courier.example.org", "101")
            .await
            .unwrap()
            .is_none()
    );
    assert!(comments(&n, n.site).await.is_empty());
}

#[tokio::test]
async fn files_that_are_no_export_are_refused_with_nothing_written() {
    let n = newsroom().await;
    for (name, expected) in [
        ("wxr-billion-laughs.xml", "DOCTYPE"),
        ("rss-plain-feed.xml", "export"),
        ("disqus-courier.xml", "<disqus>"),
    ] {
        let refused = n
            .desk
            .import_wordpress(&fixture(name), name, options(n.site), &mut |_| {})
            .await
            .unwrap_err();
        assert!(
            matches!(refused, ImportFailure::File(_)),
            "{name}: {refused}"
        );
        let message = refused.to_string();
        assert!(message.contains(name), "{message}");
        assert!(message.contains(expected), "{name}: {message}");
    }
    assert!(n.db.redirects(n.site, 10).await.unwrap().is_empty());
    let missing = std::path::Path::new("/nonexistent/uploads");
    let refused = n
        .desk
        .import_wordpress(
            &fixture("wxr-1.2-courier.xml"),
            "courier",
            ImportOptions {
                media_dir: Some(missing),
                ..options(n.site)
            },
            &mut |_| {},
        )
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("/nonexistent/uploads"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_malformed_export_is_refused_at_its_line_with_nothing_written() {
    let n = newsroom().await;
    let export = std::fs::read_to_string(fixture("wxr-1.2-courier.xml")).unwrap();
    // After the first posts, an end tag that closes nothing.
    let at = export
        .find("<title><![CDATA[Election results live]]>")
        .unwrap();
    let broken = format!("{}</wrong>{}", &export[..at], &export[at..]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.xml");
    std::fs::write(&path, broken).unwrap();
    let refused = n
        .desk
        .import_wordpress(&path, "broken.xml", options(n.site), &mut |_| {})
        .await
        .unwrap_err();
    let message = refused.to_string();
    assert!(
        message.contains("broken.xml") && message.contains("line 301"),
        "{message}"
    );
    assert!(n.db.redirects(n.site, 10).await.unwrap().is_empty());
    assert!(
        n.db.source_link(n.site, "wordpress:courier.example.org", "101")
            .await
            .unwrap()
            .is_none(),
        "not even the posts before the fault"
    );
}

#[tokio::test]
async fn disqus_threads_find_their_articles() {
    let n = newsroom().await;
    let arabic = arabic_edition(&n).await;
    wordpress(&n, "wxr-1.2-courier.xml", options(n.site)).await;
    let before = comments(&n, n.site).await.len();
    let report = disqus(&n, "disqus-courier.xml", options(n.site)).await;
    assert_eq!(report.stopped, None, "{report}");
    // By identifier, by an address variant (http, www., a query), and the
    // Arabic thread in the Arabic edition.
    assert!(report.counted("comment", "created") >= 6, "{report}");
    assert!(
        report
            .unmatched_threads
            .iter()
            .any(|t| t.contains("7301005") && t.contains("removed-story")),
        "{report}"
    );
    assert!(
        report
            .unmatched_threads
            .iter()
            .any(|t| t.contains("7309999")),
        "an orphan post's thread is not in the export: {report}"
    );
    let english = comments(&n, n.site).await;
    assert!(english.len() > before);
    assert!(english.iter().any(|(_, s)| *s == CommentStatus::Rejected));
    assert!(english.iter().any(|(_, s)| *s == CommentStatus::Deleted));
    assert!(!comments(&n, arabic).await.is_empty());
    let port = post(&n, n.site, "101").await;
    let thread = n.db.approved_comments(port, false, 100, 0).await.unwrap();
    assert!(
        thread.iter().filter(|c| c.reply_to.is_some()).count() >= 2,
        "{thread:?}"
    );

    let again = disqus(&n, "disqus-courier.xml", options(n.site)).await;
    assert_eq!(again.counted("comment", "created"), 0, "{again}");
    assert_eq!(comments(&n, n.site).await, english);
}

#[tokio::test]
async fn a_password_protected_post_stays_out_of_sight() {
    let n = newsroom().await;
    arabic_edition(&n).await;
    let export = std::fs::read_to_string(fixture("wxr-1.2-courier.xml")).unwrap();
    // Post 101 is the first post: its password is the first one written.
    let protected = export.replacen(
        "<wp:post_password><![CDATA[]]></wp:post_password>",
        "<wp:post_password><![CDATA[s3cret]]></wp:post_password>",
        1,
    );
    assert_ne!(protected, export);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("protected.xml");
    std::fs::write(&path, protected).unwrap();
    let report = n
        .desk
        .import_wordpress(&path, "protected.xml", options(n.site), &mut |_| {})
        .await
        .unwrap();
    assert!(
        report.to_string().contains("password-protected"),
        "{report}"
    );
    let port = post(&n, n.site, "101").await;
    assert_eq!(state(&n, n.site, port).await, ArticleState::Unpublished);
    assert!(
        leads_to(&n, n.site, "/?p=101").await.is_none(),
        "no address leads to it"
    );
}
