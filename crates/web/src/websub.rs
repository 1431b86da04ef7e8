//! The built-in WebSub hub (W3C Recommendation, 23 January 2018) of each
//! site, at `/websub` (`/ar/websub` for the Arabic edition).
//!
//! Subscribers POST `hub.mode`, `hub.topic` (one of the site's feeds, as
//! its `rel="self"` names it), `hub.callback`, and optionally
//! `hub.lease_seconds` and `hub.secret` (§5.1). A valid request gets 202
//! Accepted at once; the hub then verifies intent in the background with
//! a GET carrying `hub.challenge` to the callback, which must echo it
//! (§5.3), and only then stores or removes the subscription. Bad requests
//! get 400 with the reason, never a 5xx.
//!
//! When a purge touches a feed's keys (a publication, an edit, a
//! correction), the hub fetches the feed as readers would and POSTs it to
//! every live subscriber of that topic (§7), with `Link` headers naming
//! the hub and the topic and, when the subscriber gave a secret,
//! `X-Hub-Signature: sha256=<HMAC of the body>` (§8), in the background
//! with retries.

use crate::AppState;
use crate::error::AppError;
use crate::middleware::CacheKind;
use crate::network::{Edition, Network, Resolve};
use crate::purge::Purge;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use dateline_core::signature::signature_header;
use dateline_core::websub::{Mode, Request, RequestError};
use dateline_store::{NewSubscription, Subscription};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::mpsc;

/// Where each site's hub lives.
pub const HUB_PATH: &str = "/websub";

/// Waits before the second, third and fourth delivery attempts.
const RETRY_DELAYS: [Duration; 3] = [
    Duration::from_secs(1),
    Duration::from_secs(5),
    Duration::from_secs(25),
];

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route(HUB_PATH, post(request))
}

/// Why the hub refuses a request: each a 4xx with a reason a subscriber's
/// developer can act on.
#[derive(Debug, thiserror::Error)]
pub enum HubRefusal {
    #[error("{0}")]
    Request(#[from] RequestError),
    #[error(
        "hub.topic must be the URL of one of this site's feeds, as its rel=\"self\" link names it"
    )]
    NotAFeed,
    #[error("the request body must be application/x-www-form-urlencoded")]
    NotAForm,
    #[error("this site has no WebSub hub")]
    Off,
}

impl IntoResponse for HubRefusal {
    fn into_response(self) -> Response {
        let status = match self {
            HubRefusal::Off => StatusCode::NOT_FOUND,
            HubRefusal::NotAForm => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            _ => StatusCode::BAD_REQUEST,
        };
        let mut response = (status, format!("{self}\n")).into_response();
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
        response
    }
}

/// `POST /websub`: a subscription or unsubscription request (§5.1).
async fn request(
    State(app): State<AppState>,
    edition: Edition,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, HubRefusal> {
    if !app.config.websub {
        return Err(HubRefusal::Off);
    }
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(HubRefusal::NotAForm);
    }
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let request = Request::parse(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    let network = app.network();
    let (topic_edition, feed_path) =
        topic_edition(&network, &request.topic).ok_or(HubRefusal::NotAFeed)?;
    if topic_edition.site().id != edition.site().id {
        return Err(HubRefusal::NotAFeed);
    }
    // Unsubscribing from a feed that is gone must still work.
    if request.mode == Mode::Subscribe {
        match crate::site::feed_for_path(&app, &topic_edition, &feed_path).await {
            Ok(response) if response.status() == StatusCode::OK => {}
            _ => return Err(HubRefusal::NotAFeed),
        }
    }
    tokio::spawn(verify(app.clone(), topic_edition, feed_path, request));
    let mut response = (
        StatusCode::ACCEPTED,
        "Accepted: the hub will now verify the request with the callback.\n",
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
    Ok(response)
}

/// The site a topic URL belongs to, reached as the topic names it, and
/// the feed's path inside the site.
fn topic_edition(network: &Network, topic: &str) -> Option<(Edition, String)> {
    let (scheme, rest) = if let Some(rest) = topic.strip_prefix("https://") {
        ("https", rest)
    } else {
        ("http", topic.strip_prefix("http://")?)
    };
    let split = rest.find(['/', '?']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(split);
    let path = path.split('?').next().unwrap_or("");
    let path = if path.is_empty() { "/" } else { path };
    let (mut edition, inner) = network.resolve(Some(host), path)?;
    let inner = inner.to_owned();
    edition.scheme = scheme;
    edition.host = host.to_owned();
    Some((edition, inner))
}

/// Verification of intent (§5.3): GET the callback with a challenge; the
/// subscription changes only when the subscriber echoes it.
async fn verify(app: AppState, edition: Edition, feed_path: String, request: Request) {
    let challenge = match crate::newsroom::random_token() {
        Ok(token) => token,
        Err(error) => {
            tracing::error!(?error, "no randomness for a WebSub challenge");
            return;
        }
    };
    let url = verification_url(&request, &challenge);
    let confirmed = match app.outbound.get(&url).send().await {
        Ok(response) if response.status().is_success() => response
            .text()
            .await
            .is_ok_and(|body| body.trim() == challenge),
        Ok(response) => {
            tracing::info!(callback = %request.callback, status = %response.status(), "WebSub verification refused");
            false
        }
        Err(error) => {
            tracing::info!(callback = %request.callback, %error, "WebSub verification failed");
            false
        }
    };
    if !confirmed {
        return;
    }
    let now = OffsetDateTime::now_utc();
    let stored = match request.mode {
        Mode::Subscribe => app
            .db
            .put_subscription(
                &NewSubscription {
                    site: edition.site().id,
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
            app.db
                .remove_subscription(&request.topic, &request.callback)
                .await
        }
    };
    match stored {
        Ok(_) => {
            tracing::info!(topic = %request.topic, callback = %request.callback, mode = request.mode.as_str(), "WebSub subscription verified")
        }
        Err(error) => tracing::error!(%error, "cannot store a WebSub subscription"),
    }
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

/// Content distribution: runs until the queue closes.
pub async fn run(app: AppState, mut queue: mpsc::Receiver<Arc<Purge>>) {
    while let Some(purge) = queue.recv().await {
        if !app.config.websub {
            continue;
        }
        if let Err(error) = distribute(&app, &purge).await {
            tracing::warn!(%error, site = %purge.site_key, "WebSub distribution failed");
        }
    }
}

/// Sends each changed topic's new content to its subscribers.
async fn distribute(app: &AppState, purge: &Purge) -> Result<(), AppError> {
    let subscriptions = app
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
    let network = app.network();
    for (topic, subscribers) in by_topic {
        let Some((edition, path)) = topic_edition(&network, topic) else {
            continue;
        };
        let response = match crate::site::feed_for_path(app, &edition, &path).await {
            Ok(response) if response.status() == StatusCode::OK => response,
            _ => continue,
        };
        // Every feed carries `feed-<site>`; what tells whether this one
        // changed is its list's key (latest, section, tag, author) or the
        // site's.
        let changed = response
            .headers()
            .get("surrogate-key")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|keys| {
                keys.split_whitespace()
                    .any(|k| !k.starts_with("feed-") && purged.iter().any(|p| p == k))
            });
        if !changed {
            continue;
        }
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .cloned()
            .unwrap_or(HeaderValue::from_static("application/xml"));
        let body = axum::body::to_bytes(response.into_body(), 16 * 1024 * 1024)
            .await
            .map_err(|e| AppError::Internal(format!("cannot read a feed: {e}")))?;
        let link = format!(
            "<{}>; rel=\"hub\", <{topic}>; rel=\"self\"",
            edition.canonical(HUB_PATH)
        );
        for subscriber in subscribers {
            tokio::spawn(deliver(
                app.clone(),
                subscriber.clone(),
                body.clone(),
                content_type.clone(),
                link.clone(),
            ));
        }
    }
    Ok(())
}

/// One delivery, retried; the outcome is noted on the subscription.
async fn deliver(
    app: AppState,
    subscriber: Subscription,
    body: Bytes,
    content_type: HeaderValue,
    link: String,
) {
    let signature = subscriber
        .secret
        .as_deref()
        .map(|secret| signature_header(secret.as_bytes(), &body));
    let mut attempt = 0;
    let outcome = loop {
        let mut request = app
            .outbound
            .post(&subscriber.callback)
            .header(header::CONTENT_TYPE, content_type.clone())
            .header(header::LINK, &link)
            .body(body.clone());
        if let Some(signature) = &signature {
            request = request.header("x-hub-signature", signature);
        }
        let outcome = match request.send().await {
            Ok(response) if response.status().is_success() => Ok(()),
            Ok(response) => Err(format!("answered {}", response.status())),
            Err(error) => Err(error.to_string()),
        };
        match (outcome, RETRY_DELAYS.get(attempt)) {
            (Ok(()), _) => break Ok(()),
            (Err(error), Some(delay)) => {
                tracing::info!(callback = %subscriber.callback, %error, "WebSub delivery failed; retrying");
                tokio::time::sleep(*delay).await;
                attempt += 1;
            }
            (Err(error), None) => break Err(error),
        }
    };
    let error = match &outcome {
        Ok(()) => {
            app.counters.websub_sent.fetch_add(1, Ordering::Relaxed);
            String::new()
        }
        Err(error) => {
            app.counters.websub_failed.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(callback = %subscriber.callback, %error, "WebSub delivery failed; giving up");
            error.clone()
        }
    };
    if let Err(error) = app
        .db
        .record_delivery(subscriber.id, &error, OffsetDateTime::now_utc())
        .await
    {
        tracing::warn!(%error, "cannot note a WebSub delivery");
    }
}
