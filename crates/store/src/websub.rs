//! Subscriptions of the built-in WebSub hub: written once a subscriber
//! has confirmed its intent, read when a feed changes.

use crate::db::{on_read, on_write};
use crate::{Db, Result, stored_time};
use dateline_core::SiteId;
use time::{Duration, OffsetDateTime};

/// A confirmed subscription to one feed of a site.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Subscription {
    pub id: i64,
    /// The feed URL as subscribed (`rel="self"` of the feed).
    pub topic: String,
    /// The feed's path inside its site (`/politics/atom.xml`).
    pub feed_path: String,
    pub callback: String,
    pub secret: Option<String>,
}

/// A subscription to write.
#[derive(Debug, Clone)]
pub struct NewSubscription<'a> {
    pub site: SiteId,
    pub topic: &'a str,
    pub feed_path: &'a str,
    pub callback: &'a str,
    pub secret: Option<&'a str>,
    pub lease_seconds: u32,
}

/// See [`Db::subscription_room`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SubscriptionRoom {
    pub renewal: bool,
    pub on_topic: i64,
    pub total: i64,
}

impl Db {
    /// Records a confirmed subscription; a new one for the same topic and
    /// callback replaces the old one (a renewal, W3C WebSub §5.1).
    pub async fn put_subscription(
        &self,
        s: &NewSubscription<'_>,
        now: OffsetDateTime,
    ) -> Result<()> {
        let expires = now + Duration::seconds(i64::from(s.lease_seconds));
        on_write!(self, cx => sqlx::query(
            "INSERT INTO websub_subscriptions (site_id, topic, feed_path, callback, secret, \
             lease_seconds, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (topic, callback) DO UPDATE SET site_id = excluded.site_id, \
             feed_path = excluded.feed_path, secret = excluded.secret, \
             lease_seconds = excluded.lease_seconds, expires_at = excluded.expires_at, \
             last_error = ''",
        )
        .bind(s.site.0)
        .bind(s.topic)
        .bind(s.feed_path)
        .bind(s.callback)
        .bind(s.secret)
        .bind(i64::from(s.lease_seconds))
        .bind(stored_time(expires))
        .bind(stored_time(now))
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Ends a subscription; false when there was none.
    pub async fn remove_subscription(&self, topic: &str, callback: &str) -> Result<bool> {
        let done = on_write!(self, cx => sqlx::query("DELETE FROM websub_subscriptions WHERE topic = $1 AND callback = $2")
                .bind(topic)
                .bind(callback)
                .execute(cx)
                .await.map(|done| done.rows_affected()))?;
        Ok(done > 0)
    }

    /// The site's subscriptions whose lease has not run out.
    pub async fn live_subscriptions(
        &self,
        site: SiteId,
        now: OffsetDateTime,
    ) -> Result<Vec<Subscription>> {
        Ok(on_read!(self, cx => sqlx::query_as(
            "SELECT id, topic, feed_path, callback, secret FROM websub_subscriptions \
             WHERE site_id = $1 AND expires_at > $2 ORDER BY id",
        )
        .bind(site.0)
        .bind(stored_time(now))
        .fetch_all(cx)
        .await)?)
    }

    /// Room for a subscription: whether this topic and callback are
    /// subscribed already (a renewal), and how many live subscriptions the
    /// topic and the whole network have.
    pub async fn subscription_room(
        &self,
        topic: &str,
        callback: &str,
        now: OffsetDateTime,
    ) -> Result<SubscriptionRoom> {
        let now = stored_time(now);
        let renewal: i64 = on_write!(self, cx => sqlx::query_scalar(
            "SELECT COUNT(*) FROM websub_subscriptions WHERE topic = $1 AND callback = $2 \
             AND expires_at > $3",
        )
        .bind(topic)
        .bind(callback)
        .bind(now)
        .fetch_one(cx)
        .await)?;
        let on_topic: i64 = on_write!(self, cx => sqlx::query_scalar(
            "SELECT COUNT(*) FROM websub_subscriptions WHERE topic = $1 AND expires_at > $2",
        )
        .bind(topic)
        .bind(now)
        .fetch_one(cx)
        .await)?;
        let total: i64 = on_write!(self, cx => sqlx::query_scalar("SELECT COUNT(*) FROM websub_subscriptions WHERE expires_at > $1")
                .bind(now)
                .fetch_one(cx)
                .await)?;
        Ok(SubscriptionRoom {
            renewal: renewal > 0,
            on_topic,
            total,
        })
    }

    /// Notes how the last delivery to a subscriber went (`error` empty
    /// when it was accepted); expired subscriptions are removed on the way.
    pub async fn record_delivery(&self, id: i64, error: &str, now: OffsetDateTime) -> Result<()> {
        on_write!(self, cx => sqlx::query(
            "UPDATE websub_subscriptions SET last_delivery_at = $1, last_error = $2 WHERE id = $3",
        )
        .bind(stored_time(now))
        .bind(error)
        .bind(id)
        .execute(cx)
        .await.map(|done| done.rows_affected()))?;
        on_write!(self, cx => sqlx::query("DELETE FROM websub_subscriptions WHERE expires_at <= $1")
            .bind(stored_time(now))
            .execute(cx)
            .await.map(|done| done.rows_affected()))?;
        Ok(())
    }
}
