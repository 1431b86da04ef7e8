//! The WebSub hub's work behind the endpoint (W3C Recommendation, 23
//! January 2018): verifying a subscriber's intent (§5.3) and distributing
//! changed feeds to subscribers (§7, §8). The endpoint that takes
//! requests, and the feeds themselves, belong to the web layer, which
//! hands this task a [`FeedSource`].
//!
//! When a purge touches a feed's keys (a publication, an edit, a
//! correction), the hub fetches the feed as readers would and POSTs it to
//! every live subscriber of that topic, with `Link` headers naming the
//! hub and the topic and, when the subscriber gave a secret,
//! `X-Hub-Signature: sha256=<HMAC of the body>`, in the background with
//! retries.

use super::{Deliveries, Stop};
use crate::changes::Purge;
use dateline_core::SiteId;
use dateline_core::redact;
use dateline_core::signature::signature_header;
use dateline_core::websub::is_public_callback_address;
use dateline_core::websub::{Mode, Request};
use dateline_store::{Db, NewSubscription, StoreError, Subscription, SubscriptionRoom};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::mpsc;

/// Live subscriptions one topic may have, and the whole network.
pub const MAX_SUBSCRIPTIONS_PER_TOPIC: i64 = 1_000;
pub const MAX_SUBSCRIPTIONS: i64 = 100_000;
/// Verifications of intent running at once; requests past them are told
/// to retry.
pub const MAX_VERIFICATIONS: usize = 16;
/// Deliveries sending at once, and waiting at most: past that a purge's
/// deliveries are dropped (and counted as failed), never queued without
/// bound.
const MAX_DELIVERIES_SENDING: usize = 32;
const MAX_DELIVERIES_WAITING: usize = 10_000;
/// How much of a subscriber's answer to a verification is read: the
/// challenge is 43 characters.
const MAX_VERIFICATION_ANSWER: usize = 4 * 1024;

/// Why a callback may not be called.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallbackRefused {
    #[error("hub.callback must be an http or https URL")]
    NotHttp,
    #[error(
        "hub.callback must be on a public address, not the server's own or its private network"
    )]
    Private,
}

/// The hub's way to subscribers: a client that never decompresses, uses
/// no proxy, follows no redirect, and connects only to public addresses
/// (unless an administrator allowed the host), checked on the address it
/// actually connects to, so a name that resolves to a private address
/// (or changes to one after the check) is refused too.
#[derive(Clone)]
pub struct Subscribers {
    client: reqwest::Client,
    allowed: Arc<[String]>,
}

impl Subscribers {
    /// `allowed_hosts`: host names or addresses that may be private (an
    /// in-house aggregator; tests).
    pub fn new(allowed_hosts: Vec<String>, timeout: Duration) -> reqwest::Result<Subscribers> {
        let allowed: Arc<[String]> = allowed_hosts.into();
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .no_gzip()
            .no_brotli()
            .dns_resolver(Arc::new(PublicOnly {
                allowed: allowed.clone(),
            }))
            .user_agent(concat!(
                "Dateline/",
                env!("CARGO_PKG_VERSION"),
                " (WebSub hub)"
            ))
            .build()?;
        Ok(Subscribers { client, allowed })
    }

    /// Checks a callback URL before it is called: http or https, and a
    /// host written as an address must be public. Names are checked where
    /// it counts, on the addresses they resolve to when the hub connects.
    pub fn check(&self, callback: &str) -> Result<(), CallbackRefused> {
        let url = reqwest::Url::parse(callback).map_err(|_| CallbackRefused::NotHttp)?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(CallbackRefused::NotHttp);
        }
        let host = url.host_str().unwrap_or("");
        if self.allowed.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return Ok(());
        }
        match url.host() {
            Some(url::Host::Ipv4(ip)) if !is_public_callback_address(ip.into()) => {
                Err(CallbackRefused::Private)
            }
            Some(url::Host::Ipv6(ip)) if !is_public_callback_address(ip.into()) => {
                Err(CallbackRefused::Private)
            }
            Some(_) => Ok(()),
            None => Err(CallbackRefused::NotHttp),
        }
    }
}

/// Resolves names as the system does and keeps only public addresses
/// (all of them for an allowed host).
struct PublicOnly {
    allowed: Arc<[String]>,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        let allowed = self.allowed.iter().any(|h| h.eq_ignore_ascii_case(&host));
        Box::pin(async move {
            let found = tokio::net::lookup_host((host.as_str(), 0)).await?;
            let usable: Vec<std::net::SocketAddr> = found
                .filter(|a| allowed || is_public_callback_address(a.ip()))
                .collect();
            if usable.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            Ok(Box::new(usable.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Waits before the second, third and fourth delivery attempts.
const RETRY_DELAYS: [Duration; 3] = [
    Duration::from_secs(1),
    Duration::from_secs(5),
    Duration::from_secs(25),
];

/// A feed as readers get it now.
pub struct Feed {
    pub body: Vec<u8>,
    pub content_type: String,
    /// The surrogate keys the feed carries (what it shows).
    pub keys: Vec<String>,
    /// The hub's own URL for the topic's site, for the `Link` header.
    pub hub_url: String,
}

/// Where the hub gets feeds from: the web layer renders them.
pub trait FeedSource: Send + Sync + 'static {
    /// The feed a topic URL names, if it is one of the network's feeds.
    fn feed<'a>(
        &'a self,
        topic: &'a str,
    ) -> Pin<Box<dyn Future<Output = Option<Feed>> + Send + 'a>>;
}

/// What verification needs: storage and the way to subscribers.
#[derive(Clone)]
pub struct Verifier {
    pub db: Db,
    pub subscribers: Subscribers,
}

/// A subscription request the endpoint accepted, to verify.
pub struct Pending {
    pub site: SiteId,
    /// The topic's path inside its site.
    pub feed_path: String,
    pub request: Request,
}

/// Verification of intent (§5.3): GET the callback with a challenge; the
/// subscription changes only when the subscriber echoes it.
pub async fn verify(verifier: Verifier, pending: Pending) {
    let Pending {
        site,
        feed_path,
        request,
    } = pending;
    let challenge = match dateline_core::accounts::random_token() {
        Ok(token) => token,
        Err(error) => {
            tracing::error!(?error, "no randomness for a WebSub challenge");
            return;
        }
    };
    if let Err(refused) = verifier.subscribers.check(&request.callback) {
        tracing::info!(callback = %redact::url(&request.callback), %refused, "WebSub callback refused");
        return;
    }
    let url = verification_url(&request, &challenge);
    let confirmed = match verifier.subscribers.client.get(&url).send().await {
        Ok(response) if response.status().is_success() => {
            read_at_most(response, MAX_VERIFICATION_ANSWER)
                .await
                .is_some_and(|body| body.trim_ascii() == challenge.as_bytes())
        }
        Ok(response) => {
            tracing::info!(callback = %redact::url(&request.callback), status = %response.status(), "WebSub verification refused");
            false
        }
        Err(error) => {
            tracing::info!(callback = %redact::url(&request.callback), error = %error.without_url(), "WebSub verification failed");
            false
        }
    };
    if !confirmed {
        return;
    }
    let now = OffsetDateTime::now_utc();
    if request.mode == Mode::Subscribe {
        match verifier
            .db
            .subscription_room(&request.topic, &request.callback, now)
            .await
        {
            Ok(room) if has_room(room) => {}
            Ok(_) => {
                tracing::warn!(topic = %redact::url(&request.topic), "WebSub subscription refused: no room");
                return;
            }
            Err(error) => {
                tracing::error!(%error, "cannot count WebSub subscriptions");
                return;
            }
        }
    }
    let stored: Result<bool, StoreError> = match request.mode {
        Mode::Subscribe => verifier
            .db
            .put_subscription(
                &NewSubscription {
                    site,
                    topic: &request.topic,
                    feed_path: &feed_path,
                    callback: &request.callback,
                    secret: request.secret.as_deref(),
                    lease_seconds: request.lease_seconds,
                },
                now,
            )
            .await
            .map(|()| true),
        Mode::Unsubscribe => {
            verifier
                .db
                .remove_subscription(&request.topic, &request.callback)
                .await
        }
    };
    match stored {
        Ok(_) => {
            tracing::info!(topic = %redact::url(&request.topic), callback = %redact::url(&request.callback), mode = request.mode.as_str(), "WebSub subscription verified")
        }
        Err(error) => tracing::error!(%error, "cannot store a WebSub subscription"),
    }
}

/// True when a subscription fits under the caps (a renewal always does).
pub fn has_room(room: SubscriptionRoom) -> bool {
    room.renewal || (room.on_topic < MAX_SUBSCRIPTIONS_PER_TOPIC && room.total < MAX_SUBSCRIPTIONS)
}

/// The first `limit` bytes of an answer, or `None` when there are more
/// (or it cannot be read): nothing a subscriber sends can grow the hub's
/// memory.
async fn read_at_most(mut response: reqwest::Response, limit: usize) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.ok()? {
        if body.len() + chunk.len() > limit {
            return None;
        }
        body.extend_from_slice(&chunk);
    }
    Some(body)
}

/// The callback with the verification parameters added to its query.
fn verification_url(request: &Request, challenge: &str) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query
        .append_pair("hub.mode", request.mode.as_str())
        .append_pair("hub.topic", &request.topic)
        .append_pair("hub.challenge", challenge);
    if request.mode == Mode::Subscribe {
        query.append_pair("hub.lease_seconds", &request.lease_seconds.to_string());
    }
    let separator = if request.callback.contains('?') {
        '&'
    } else {
        '?'
    };
    format!("{}{separator}{}", request.callback, query.finish())
}

/// What content distribution needs.
#[derive(Clone)]
pub struct Distribution {
    pub db: Db,
    pub subscribers: Subscribers,
    pub feeds: Arc<dyn FeedSource>,
    pub counters: Arc<Deliveries>,
    /// Bounds the deliveries sending at once and waiting.
    sending: Arc<tokio::sync::Semaphore>,
    waiting: Arc<AtomicUsize>,
}

impl Distribution {
    pub fn new(
        db: Db,
        subscribers: Subscribers,
        feeds: Arc<dyn FeedSource>,
        counters: Arc<Deliveries>,
    ) -> Distribution {
        Distribution {
            db,
            subscribers,
            feeds,
            counters,
            sending: Arc::new(tokio::sync::Semaphore::new(MAX_DELIVERIES_SENDING)),
            waiting: Arc::default(),
        }
    }
}

/// Content distribution: runs until `stop` or the queue closes.
pub async fn run(hub: Distribution, mut queue: mpsc::Receiver<Arc<Purge>>, mut stop: Stop) {
    while let Some(purge) = stop.next(&mut queue).await {
        if let Err(error) = distribute(&hub, &purge).await {
            tracing::warn!(%error, site = %purge.site_key, "WebSub distribution failed");
        }
    }
}

/// Sends each changed topic's new content to its subscribers.
async fn distribute(hub: &Distribution, purge: &Purge) -> Result<(), StoreError> {
    let subscriptions = hub
        .db
        .live_subscriptions(purge.site, OffsetDateTime::now_utc())
        .await?;
    let mut by_topic: BTreeMap<&str, Vec<&Subscription>> = BTreeMap::new();
    for subscription in &subscriptions {
        by_topic
            .entry(subscription.topic.as_str())
            .or_default()
            .push(subscription);
    }
    let purged = purge.key_names();
    for (topic, subscribers) in by_topic {
        let Some(feed) = hub.feeds.feed(topic).await else {
            continue;
        };
        // Every feed carries `feed-<site>`; what tells whether this one
        // changed is its list's key (latest, section, tag, author) or the
        // site's.
        let changed = feed
            .keys
            .iter()
            .any(|k| !k.starts_with("feed-") && purged.iter().any(|p| p == k));
        if !changed {
            continue;
        }
        let link = format!("<{}>; rel=\"hub\", <{topic}>; rel=\"self\"", feed.hub_url);
        let feed = Arc::new(feed);
        for subscriber in subscribers {
            if hub.waiting.fetch_add(1, Ordering::AcqRel) >= MAX_DELIVERIES_WAITING {
                hub.waiting.fetch_sub(1, Ordering::AcqRel);
                hub.counters.websub_failed.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(callback = %redact::url(&subscriber.callback), "WebSub delivery dropped: too many waiting");
                continue;
            }
            tokio::spawn(deliver(
                hub.clone(),
                subscriber.clone(),
                feed.clone(),
                link.clone(),
            ));
        }
    }
    Ok(())
}

/// One delivery, retried; the outcome is noted on the subscription.
async fn deliver(hub: Distribution, subscriber: Subscription, feed: Arc<Feed>, link: String) {
    let permit = hub.sending.clone().acquire_owned().await;
    hub.waiting.fetch_sub(1, Ordering::AcqRel);
    let Ok(_permit) = permit else {
        return;
    };
    if let Err(refused) = hub.subscribers.check(&subscriber.callback) {
        tracing::info!(callback = %redact::url(&subscriber.callback), %refused, "WebSub delivery refused");
        return;
    }
    let signature = subscriber
        .secret
        .as_deref()
        .map(|secret| signature_header(secret.as_bytes(), &feed.body));
    let mut attempt = 0;
    let outcome = loop {
        let mut request = hub
            .subscribers
            .client
            .post(&subscriber.callback)
            .header("content-type", &feed.content_type)
            .header("link", &link)
            .body(feed.body.clone());
        if let Some(signature) = &signature {
            request = request.header("x-hub-signature", signature);
        }
        let outcome = match request.send().await {
            Ok(response) if response.status().is_success() => Ok(()),
            Ok(response) => Err(format!("answered {}", response.status())),
            Err(error) => Err(error.without_url().to_string()),
        };
        match (outcome, RETRY_DELAYS.get(attempt)) {
            (Ok(()), _) => break Ok(()),
            (Err(error), Some(delay)) => {
                tracing::info!(callback = %redact::url(&subscriber.callback), %error, "WebSub delivery failed; retrying");
                tokio::time::sleep(*delay).await;
                attempt += 1;
            }
            (Err(error), None) => break Err(error),
        }
    };
    let error = match &outcome {
        Ok(()) => {
            hub.counters.websub_sent.fetch_add(1, Ordering::Relaxed);
            String::new()
        }
        Err(error) => {
            hub.counters.websub_failed.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(callback = %redact::url(&subscriber.callback), %error, "WebSub delivery failed; giving up");
            error.clone()
        }
    };
    if let Err(error) = hub
        .db
        .record_delivery(subscriber.id, &error, OffsetDateTime::now_utc())
        .await
    {
        tracing::warn!(%error, "cannot note a WebSub delivery");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verification_keeps_the_callbacks_own_query() {
        let request = Request {
            mode: Mode::Subscribe,
            topic: "http://a.test/feed.xml?x=1&y=2".into(),
            callback: "http://sub.test/cb?id=7".into(),
            lease_seconds: 3600,
            secret: None,
        };
        let url = verification_url(&request, "abc");
        assert_eq!(
            url,
            "http://sub.test/cb?id=7&hub.mode=subscribe&hub.topic=http%3A%2F%2Fa.test%2Ffeed.xml%3Fx%3D1%26y%3D2&hub.challenge=abc&hub.lease_seconds=3600"
        );
    }
}
