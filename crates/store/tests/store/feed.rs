//! What instances on one database share: the change feed, leases and the
//! positions of the feed's readers.

use crate::{T0, fresh_store, minutes};
use dateline_core::SiteId;
use dateline_store::feed::{ChangeKind, NewChange};

#[tokio::test]
async fn changes_are_read_in_order_after_a_position_and_pruned_by_age() {
    let store = fresh_store().await;
    assert_eq!(store.change_feed_head().await.unwrap(), 0);
    let purge = NewChange {
        site: Some(SiteId(1)),
        kind: ChangeKind::Purge {
            keys: vec!["article-7".into(), "latest-1".into()],
            paths: vec!["/politics/7-talks".into()],
        },
    };
    let sites = NewChange {
        site: None,
        kind: ChangeKind::Sites,
    };
    store
        .record_changes("instance-a", &[purge.clone(), sites.clone()], T0)
        .await
        .unwrap();
    store
        .record_changes("instance-b", std::slice::from_ref(&purge), T0 + minutes(90))
        .await
        .unwrap();

    let all = store.changes_after(0, 100).await.unwrap();
    let seen: Vec<_> = all
        .iter()
        .map(|c| (c.origin.as_str(), c.site, c.kind.clone()))
        .collect();
    assert_eq!(
        seen,
        [
            ("instance-a", purge.site, purge.kind.clone()),
            ("instance-a", None, ChangeKind::Sites),
            ("instance-b", purge.site, purge.kind.clone()),
        ]
    );
    assert_eq!(store.change_feed_head().await.unwrap(), all[2].id);
    let after_first = store.changes_after(all[0].id, 1).await.unwrap();
    assert_eq!(after_first.len(), 1);
    assert_eq!(after_first[0].id, all[1].id);

    assert_eq!(store.prune_change_feed(T0 + minutes(60)).await.unwrap(), 2);
    let left = store.changes_after(0, 100).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].origin, "instance-b");
    // Ids are never reused: the head stays where it was.
    assert_eq!(store.change_feed_head().await.unwrap(), all[2].id);
}

#[tokio::test]
async fn a_lease_has_one_holder_until_it_lapses_or_is_given_up() {
    let store = fresh_store().await;
    let lease = |holder: &'static str, at| {
        let store = &store;
        async move {
            store
                .take_lease("duties", holder, at, at + minutes(1))
                .await
                .unwrap()
        }
    };
    assert!(lease("a", T0).await);
    assert!(!lease("b", T0).await, "held by a");
    assert!(
        lease("a", T0 + minutes(1)).await,
        "a renews before it lapses"
    );
    assert!(!lease("b", T0 + minutes(1)).await);
    // a stops renewing (it died): once lapsed, b takes it.
    assert!(lease("b", T0 + minutes(2)).await);
    assert!(!lease("a", T0 + minutes(2)).await, "a lost it");
    // A clean stop gives it up at once.
    store.release_lease("duties", "b").await.unwrap();
    assert!(lease("a", T0 + minutes(2)).await);
    // Another lease is independent.
    assert!(
        store
            .take_lease("other", "b", T0, T0 + minutes(1))
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_feed_readers_position_is_kept_by_name() {
    let store = fresh_store().await;
    assert_eq!(store.feed_cursor("deliveries").await.unwrap(), None);
    store.set_feed_cursor("deliveries", 7).await.unwrap();
    store.set_feed_cursor("deliveries", 9).await.unwrap();
    store.set_feed_cursor("other", 1).await.unwrap();
    assert_eq!(store.feed_cursor("deliveries").await.unwrap(), Some(9));
}
