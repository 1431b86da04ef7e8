//! Articles from outside sources: the link to the item written with the
//! article, versions, kills, and one item per site.

use crate::{T0, add_section, add_site, content, minutes, newsroom, status};
use dateline_core::{ArticleState, Lang};
use dateline_store::{ArticleSave, LinkChange, SourceStamp};

const ITEM: &str = "urn:newsml:afp.com:20261204:abc";

#[tokio::test]
async fn an_article_from_a_source_is_linked_to_its_item_in_the_same_write() {
    let desk = newsroom().await;
    assert_eq!(
        desk.source_link(desk.site, "afp", ITEM).await.unwrap(),
        None
    );
    let stamp = SourceStamp {
        source: "afp",
        guid: ITEM,
        version: 7,
        first_created: None,
    };
    let id = desk
        .create_article_from_source(
            desk.site,
            &content(desk.section, "From the wire"),
            status(ArticleState::Published, Some(T0)),
            "publish",
            desk.editor,
            &stamp,
            T0,
        )
        .await
        .unwrap();
    let link = desk
        .source_link(desk.site, "afp", ITEM)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (link.article, link.version, link.killed.clone()),
        (id, 7, None)
    );
    assert_eq!(desk.link_of(id).await.unwrap(), Some(link));
    // The same item again is refused by storage: one article per item.
    let twice = desk
        .create_article_from_source(
            desk.site,
            &content(desk.section, "From the wire again"),
            status(ArticleState::Draft, None),
            "save",
            desk.editor,
            &stamp,
            T0,
        )
        .await;
    assert!(twice.is_err());
    assert_eq!(
        desk.desk_articles(desk.site, None, 10, 0)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn a_newer_version_and_a_kill_are_saved_with_the_article() {
    let desk = newsroom().await;
    let stamp = SourceStamp {
        source: "afp",
        guid: ITEM,
        version: 1,
        first_created: None,
    };
    let id = desk
        .create_article_from_source(
            desk.site,
            &content(desk.section, "First take"),
            status(ArticleState::Published, Some(T0)),
            "publish",
            desk.editor,
            &stamp,
            T0,
        )
        .await
        .unwrap();
    let second = content(desk.section, "Second take");
    let save = ArticleSave {
        id,
        site: desk.site,
        expected_version: 1,
        content: &second,
        status: status(ArticleState::Published, Some(T0)),
        user: desk.editor,
        audit_action: "save",
    };
    let version = desk
        .save_article_linked(&save, LinkChange::Version(2), T0 + minutes(5))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(version, 2);
    assert_eq!(desk.link_of(id).await.unwrap().unwrap().version, 2);
    // A save from an old version changes neither the article nor the link.
    let stale = ArticleSave {
        expected_version: 1,
        ..save.clone()
    };
    let refused = desk
        .save_article_linked(&stale, LinkChange::Version(3), T0 + minutes(6))
        .await
        .unwrap();
    assert!(refused.is_err());
    assert_eq!(desk.link_of(id).await.unwrap().unwrap().version, 2);
    let kill = ArticleSave {
        expected_version: 2,
        status: status(ArticleState::Unpublished, Some(T0)),
        audit_action: "unpublish",
        ..save.clone()
    };
    desk.save_article_linked(&kill, LinkChange::Kill("Withdrawn"), T0 + minutes(10))
        .await
        .unwrap()
        .unwrap();
    let link = desk.link_of(id).await.unwrap().unwrap();
    let (at, reason) = link.killed.unwrap();
    assert_eq!((at, reason.as_str()), (T0 + minutes(10), "Withdrawn"));
    let log = desk.audit_log(desk.site, 10).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "kill" && e.detail == "Withdrawn")
    );
}

#[tokio::test]
async fn the_same_item_may_be_an_article_on_each_site() {
    let desk = newsroom().await;
    let arabic = add_site(&desk, "courier-ar", Lang::Ar, "ar", "courier").await;
    let siyasa = add_section(&desk, arabic, "siyasa", "سياسة", 0).await;
    let stamp = SourceStamp {
        source: "afp",
        guid: ITEM,
        version: 1,
        first_created: None,
    };
    for (site, section) in [(desk.site, desk.section), (arabic, siyasa)] {
        desk.create_article_from_source(
            site,
            &content(section, "Shared item"),
            status(ArticleState::Draft, None),
            "save",
            desk.editor,
            &stamp,
            T0,
        )
        .await
        .unwrap();
    }
    let english = desk
        .source_link(desk.site, "afp", ITEM)
        .await
        .unwrap()
        .unwrap();
    let arabic = desk
        .source_link(arabic, "afp", ITEM)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(english.article, arabic.article);
}
