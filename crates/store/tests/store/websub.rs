//! WebSub hub subscriptions: renewals, leases, removal and delivery records.

use crate::{T0, add_site, minutes, newsroom};
use dateline_core::Lang;
use dateline_store::NewSubscription;

fn subscription<'a>(
    site: dateline_core::SiteId,
    callback: &'a str,
    secret: Option<&'a str>,
    lease_seconds: u32,
) -> NewSubscription<'a> {
    NewSubscription {
        site,
        topic: "https://courier.example.com/politics/atom.xml",
        feed_path: "/politics/atom.xml",
        callback,
        secret,
        lease_seconds,
    }
}

#[tokio::test]
async fn a_confirmed_subscription_is_live_for_its_site_until_its_lease_runs_out() {
    let desk = newsroom().await;
    let other = add_site(&desk, "other", Lang::En, "other", "other").await;
    desk.put_subscription(
        &subscription(
            desk.site,
            "https://reader.example.net/cb",
            Some("s3cret"),
            600,
        ),
        T0,
    )
    .await
    .unwrap();

    let live = desk
        .live_subscriptions(desk.site, T0 + minutes(9))
        .await
        .unwrap();
    assert_eq!(live.len(), 1);
    assert_eq!(
        live[0].topic,
        "https://courier.example.com/politics/atom.xml"
    );
    assert_eq!(live[0].feed_path, "/politics/atom.xml");
    assert_eq!(live[0].callback, "https://reader.example.net/cb");
    assert_eq!(live[0].secret.as_deref(), Some("s3cret"));
    assert!(desk.live_subscriptions(other, T0).await.unwrap().is_empty());
    assert!(
        desk.live_subscriptions(desk.site, T0 + minutes(10))
            .await
            .unwrap()
            .is_empty(),
        "the lease ends after 600 seconds"
    );
}

#[tokio::test]
async fn a_renewal_for_the_same_topic_and_callback_replaces_the_subscription() {
    let desk = newsroom().await;
    let callback = "https://reader.example.net/cb";
    desk.put_subscription(&subscription(desk.site, callback, Some("old"), 60), T0)
        .await
        .unwrap();
    desk.put_subscription(
        &subscription(desk.site, callback, None, 3600),
        T0 + minutes(1),
    )
    .await
    .unwrap();

    let live = desk
        .live_subscriptions(desk.site, T0 + minutes(30))
        .await
        .unwrap();
    assert_eq!(live.len(), 1, "{live:?}");
    assert_eq!(live[0].secret, None);
}

#[tokio::test]
async fn removing_a_subscription_says_whether_there_was_one() {
    let desk = newsroom().await;
    let callback = "https://reader.example.net/cb";
    desk.put_subscription(&subscription(desk.site, callback, None, 600), T0)
        .await
        .unwrap();
    let topic = "https://courier.example.com/politics/atom.xml";
    assert!(desk.remove_subscription(topic, callback).await.unwrap());
    assert!(!desk.remove_subscription(topic, callback).await.unwrap());
    assert!(
        desk.live_subscriptions(desk.site, T0)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn recording_a_delivery_removes_subscriptions_whose_lease_ran_out() {
    let desk = newsroom().await;
    desk.put_subscription(
        &subscription(desk.site, "https://short.example.net/cb", None, 60),
        T0,
    )
    .await
    .unwrap();
    desk.put_subscription(
        &subscription(desk.site, "https://long.example.net/cb", None, 3600),
        T0,
    )
    .await
    .unwrap();
    let long = desk.live_subscriptions(desk.site, T0).await.unwrap();
    let long = long
        .iter()
        .find(|s| s.callback.starts_with("https://long"))
        .unwrap();

    desk.record_delivery(long.id, "HTTP 500", T0 + minutes(2))
        .await
        .unwrap();

    // Asked about a time when both were live, only the long lease is left.
    let left: Vec<String> = desk
        .live_subscriptions(desk.site, T0)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.callback)
        .collect();
    assert_eq!(left, ["https://long.example.net/cb"]);
}
