//! Copying a SQLite installation into PostgreSQL (`dateline migrate-store`).

use crate::StoreOneComment;
use crate::{T0, fresh_store, on_postgres, sqlite_store};
use dateline_core::comments::{CommentStatus, NewComment};
use dateline_core::settings::SettingsInput;
use dateline_store::copy::{NOT_COPIED, TABLES};
use dateline_store::{ArticleFilter, Db, NewMedia, demo};
use std::collections::BTreeSet;
use time::macros::datetime;

#[tokio::test]
async fn every_table_is_copied_or_said_not_to_be() {
    let store = fresh_store().await;
    let listed: BTreeSet<String> = TABLES
        .iter()
        .chain(NOT_COPIED)
        .map(|t| (*t).to_owned())
        .collect();
    let schema: BTreeSet<String> = store.table_names().await.unwrap().into_iter().collect();
    assert_eq!(listed, schema);
}

/// Needs both databases: runs in the PostgreSQL pass of `scripts/test`.
#[tokio::test]
async fn a_copy_into_postgres_holds_every_row_and_resumes_where_it_stopped() {
    if !on_postgres() {
        eprintln!("skipped: needs PostgreSQL (TEST_DATABASE=postgres)");
        return;
    }
    let source = sqlite_store().await;
    demo::install(&source, &source.media_dir(), "", T0)
        .await
        .unwrap();
    let site = source.sites().await.unwrap()[0].id;
    let later = datetime!(2027-01-01 0:00 UTC);
    let first = source
        .published_articles(site, ArticleFilter::All, later, 1, 0)
        .await
        .unwrap()[0]
        .id;
    source
        .insert_comment(
            &NewComment {
                site,
                article: first,
                name: "Karim",
                email: "karim@example.com",
                title: "Well said",
                body: "A comment that must come along.",
                status: CommentStatus::Approved,
                hold_reasons: "",
                client_ip: "203.0.113.7",
                user_agent: "Firefox",
                terms_version: "2026-01",
                score: Some(0.25),
            },
            T0,
        )
        .await
        .unwrap();

    // The site's logo is a media row of the site: a forward reference.
    let logo = source
        .insert_media(
            &NewMedia {
                site,
                path: "uploads/logo.png",
                mime_type: "image/png",
                width: 200,
                height: 50,
                original_name: "logo.png",
                variants: &[],
                crops: &[],
                uploaded_by: None,
            },
            T0,
        )
        .await
        .unwrap();
    let mut settings = SettingsInput::from_site(&source.sites().await.unwrap()[0]);
    settings.logo_media = logo.0.to_string();
    let settings = settings.check(&[logo]).unwrap();
    source
        .update_site_settings(site, &settings, None, T0)
        .await
        .unwrap();

    let target = fresh_store().await;
    let mut seen = Vec::new();
    let report = source
        .copy_into(&target, "source-a", T0, &mut |table, done, total| {
            seen.push((table.to_owned(), done, total));
        })
        .await
        .unwrap();
    assert!(report.mismatches().is_empty(), "{report:?}");
    let articles = report
        .tables
        .iter()
        .find(|t| t.table == "articles")
        .unwrap();
    assert_eq!(articles.target_rows, 94);
    assert!(
        seen.iter()
            .any(|(t, done, total)| t == "articles" && done == total)
    );

    // What readers see is the same on both.
    let read = |db: &Db| {
        let db = db.clone();
        async move {
            let sites = db.sites().await.unwrap();
            let site = sites[0].id;
            let list = db
                .published_articles(site, ArticleFilter::All, later, 100, 0)
                .await
                .unwrap();
            let one = db.published_article(site, first, later).await.unwrap();
            let comments = db.approved_comments(first, true, 100, 0).await.unwrap();
            (
                list.iter()
                    .map(|a| (a.id, a.headline.clone(), a.published_at))
                    .collect::<Vec<_>>(),
                one.map(|a| (a.body_html.clone(), a.updated_at)),
                comments.len(),
                sites[0].logo,
            )
        }
    };
    assert_eq!(read(&source).await, read(&target).await);

    // Cut short: rows of some tables never made it. Run again: the rest
    // comes, nothing twice.
    target.forget_rows(&["comments", "article_tags"]).await;
    let report = source
        .copy_into(&target, "source-a", T0, &mut |_, _, _| {})
        .await
        .unwrap();
    assert!(report.mismatches().is_empty(), "{report:?}");

    // New rows in the copy get new ids.
    assert_eq!(target.sites().await.unwrap().len(), 2);
    crate::add_user(&target, "new@example.com", "New").await;

    // A database with other sites is not copied into.
    let refused = sqlite_store().await;
    let error = refused
        .copy_into(&target, "source-b", T0, &mut |_, _, _| {})
        .await
        .unwrap_err();
    assert!(error.to_string().contains("empty database"), "{error}");
}
