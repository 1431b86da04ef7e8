//! Agency copy and imported archives: one article per item of a source,
//! updated by newer versions only, and killed for good.

use crate::newsroom;
use dateline_core::ArticleState;
use dateline_core::workflow::Action;
use dateline_newsdesk::Schedule;
use dateline_newsdesk::sourced::{SourceItem, Taken};
use time::OffsetDateTime;

fn item(version: i64) -> SourceItem<'static> {
    SourceItem {
        source: "afp",
        guid: "urn:newsml:afp.com:20261204:palmyra",
        version,
        first_created: None,
    }
}

#[tokio::test]
async fn an_item_taken_twice_is_one_article_and_only_a_newer_version_changes_it() {
    let n = newsroom().await;
    let mut input = n.input("Fighting near Palmyra");
    input.source_credit = "AFP".into();
    let on = n.on(n.editor);
    let Taken::Created(id) = n
        .desk
        .take_from_source(
            on,
            item(1_700_000_001),
            &input,
            Action::Publish,
            Schedule::AsTyped,
        )
        .await
        .unwrap()
    else {
        panic!("the first time makes an article");
    };
    let again = n
        .desk
        .take_from_source(
            on,
            item(1_700_000_001),
            &input,
            Action::Publish,
            Schedule::AsTyped,
        )
        .await
        .unwrap();
    assert_eq!(
        again,
        Taken::Unchanged {
            article: id,
            applied: 1_700_000_001
        }
    );
    let mut newer = input.clone();
    newer.headline = "Fighting near Palmyra: toll rises".into();
    let updated = n
        .desk
        .take_from_source(
            on,
            item(1_700_000_900),
            &newer,
            Action::Publish,
            Schedule::AsTyped,
        )
        .await
        .unwrap();
    assert_eq!(updated, Taken::Updated(id));
    let older = n
        .desk
        .take_from_source(
            on,
            item(1_700_000_500),
            &input,
            Action::Publish,
            Schedule::AsTyped,
        )
        .await
        .unwrap();
    assert!(matches!(
        older,
        Taken::Unchanged {
            applied: 1_700_000_900,
            ..
        }
    ));
    let stored = n.db.editable_article(n.site, id).await.unwrap().unwrap();
    assert_eq!(stored.content.headline, "Fighting near Palmyra: toll rises");
    assert_eq!(stored.status.state, ArticleState::Published);
    assert_eq!(n.db.revisions(id).await.unwrap().len(), 2);
    assert_eq!(
        n.db.desk_articles(n.site, None, 10, 0).await.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn a_killed_story_leaves_every_reader_path_and_later_versions_stay_out() {
    let n = newsroom().await;
    let input = n.input("Unverified claim");
    let on = n.on(n.editor);
    let Taken::Created(id) = n
        .desk
        .take_from_source(on, item(1), &input, Action::Publish, Schedule::AsTyped)
        .await
        .unwrap()
    else {
        panic!("created");
    };
    n.purged();
    let killed = n
        .desk
        .kill_from_source(on, "afp", item(1).guid, "Withdrawn by the agency")
        .await
        .unwrap();
    assert_eq!(killed, Some(id));
    let now = OffsetDateTime::now_utc();
    assert!(
        n.db.published_article(n.site, id, now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(n.purged().contains(&format!("latest-{}", n.site)));
    let log = n.db.audit_log(n.site, 10).await.unwrap();
    assert!(
        log.iter()
            .any(|e| e.action == "kill" && e.detail == "Withdrawn by the agency"),
        "{log:?}"
    );
    let later = n
        .desk
        .take_from_source(on, item(2), &input, Action::Publish, Schedule::AsTyped)
        .await
        .unwrap();
    assert_eq!(later, Taken::Killed(id));
    assert!(
        n.db.published_article(n.site, id, now)
            .await
            .unwrap()
            .is_none()
    );
    let unknown = n
        .desk
        .kill_from_source(on, "afp", "never-sent", "no reason")
        .await
        .unwrap();
    assert_eq!(unknown, None);
}

#[tokio::test]
async fn only_editors_kill_stories() {
    let n = newsroom().await;
    let input = n.input("Story");
    let Taken::Created(id) = n
        .desk
        .take_from_source(
            n.on(n.editor),
            item(1),
            &input,
            Action::Publish,
            Schedule::AsTyped,
        )
        .await
        .unwrap()
    else {
        panic!("created");
    };
    let refused = n.desk.kill_article(n.on(n.reporter), id, "no").await;
    assert!(matches!(
        refused,
        Err(dateline_newsdesk::ArticleError::NotAllowed)
    ));
}
