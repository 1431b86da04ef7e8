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
//! Verification and content distribution run in the application's
//! background tasks (`dateline_newsdesk::tasks::websub`); this module
//! takes requests and renders the feeds those tasks send.

use crate::AppState;
use crate::http::CacheKind;
use crate::network::{Edition, Network, Resolve};
use crate::render::feeds::HUB_PATH;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use dateline_core::websub::{Mode, Request, RequestError};
use dateline_newsdesk::tasks::websub::{
    CallbackRefused, Feed, FeedSource, Pending, Verifier, has_room, verify,
};
use std::future::Future;
use std::pin::Pin;
use time::OffsetDateTime;

/// Largest feed the hub distributes.
const MAX_FEED_BYTES: usize = 16 * 1024 * 1024;

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
    #[error("{0}")]
    Callback(#[from] CallbackRefused),
    #[error("the hub has no room for more subscriptions to this topic")]
    Full,
    #[error("the hub is verifying many subscriptions; retry in a minute")]
    Busy,
}

impl IntoResponse for HubRefusal {
    fn into_response(self) -> Response {
        let status = match self {
            HubRefusal::Off => StatusCode::NOT_FOUND,
            HubRefusal::NotAForm => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            HubRefusal::Full | HubRefusal::Busy => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::BAD_REQUEST,
        };
        let busy = matches!(self, HubRefusal::Busy);
        let mut response = (status, format!("{self}\n")).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
        if busy {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
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
    // Both modes name a feed of the site that exists now.
    match crate::render::feeds::for_path(&app, &topic_edition, &feed_path).await {
        Ok(response) if response.status() == StatusCode::OK => {}
        _ => return Err(HubRefusal::NotAFeed),
    }
    app.subscribers.check(&request.callback)?;
    if request.mode == Mode::Subscribe {
        let room = app
            .db
            .subscription_room(&request.topic, &request.callback, OffsetDateTime::now_utc())
            .await
            .map_err(|_| HubRefusal::Busy)?;
        if !has_room(room) {
            return Err(HubRefusal::Full);
        }
    }
    let permit = app
        .verifications
        .clone()
        .try_acquire_owned()
        .map_err(|_| HubRefusal::Busy)?;
    let verifier = Verifier {
        db: app.db.clone(),
        subscribers: app.subscribers.clone(),
    };
    let pending = Pending {
        site: topic_edition.site().id,
        feed_path,
        request,
    };
    tokio::spawn(async move {
        verify(verifier, pending).await;
        drop(permit);
    });
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

/// The network's feeds as the hub distributes them: rendered as readers
/// get them, with their surrogate keys.
pub(crate) struct SiteFeeds(pub AppState);

impl FeedSource for SiteFeeds {
    fn feed<'a>(
        &'a self,
        topic: &'a str,
    ) -> Pin<Box<dyn Future<Output = Option<Feed>> + Send + 'a>> {
        Box::pin(async move {
            let app = &self.0;
            let (edition, path) = topic_edition(&app.network(), topic)?;
            let response = crate::render::feeds::for_path(app, &edition, &path)
                .await
                .ok()?;
            if response.status() != StatusCode::OK {
                return None;
            }
            let headers = response.headers();
            let keys = headers
                .get("surrogate-key")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .split_whitespace()
                .map(str::to_owned)
                .collect();
            let content_type = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("application/xml")
                .to_owned();
            let body = axum::body::to_bytes(response.into_body(), MAX_FEED_BYTES)
                .await
                .ok()?;
            Some(Feed {
                body: body.to_vec(),
                content_type,
                keys,
                hub_url: edition.canonical(HUB_PATH),
            })
        })
    }
}
