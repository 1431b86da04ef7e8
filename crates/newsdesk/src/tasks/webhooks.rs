//! Purge webhooks: every purge is POSTed as JSON to each configured URL,
//! so a CDN (through a small adapter) or another cache can drop the same
//! keys. In the background, with retries and a timeout; failures are
//! logged and counted, never shown to the editor whose action caused them.
//!
//! ```json
//! {"site": "courier-en", "keys": ["article-7", "latest-1"],
//!  "urls": ["https://news.example.com/politics/7-slug"], "at": "2026-01-02T03:04:05Z"}
//! ```
//!
//! With `purge_webhook_secret` set, `X-Dateline-Signature: sha256=<hex>`
//! carries the HMAC-SHA256 of the body under the secret.

use super::{Deliveries, Stop};
use crate::changes::Purge;
use crate::sites::Sites;
use dateline_core::redact;
use dateline_core::signature::signature_header;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::mpsc;

/// Waits before the second, third and fourth attempts.
pub const RETRY_DELAYS: [Duration; 3] = [
    Duration::from_secs(1),
    Duration::from_secs(5),
    Duration::from_secs(25),
];

/// Where purges go and how they are signed.
#[derive(Debug, Clone, Default)]
pub struct WebhookConfig {
    pub urls: Vec<String>,
    pub secret: Option<String>,
}

/// What the webhook task needs.
#[derive(Clone)]
pub struct Webhooks {
    pub config: WebhookConfig,
    pub sites: Sites,
    /// Timeouts set, redirects not followed.
    pub client: reqwest::Client,
    pub counters: Arc<Deliveries>,
}

/// Runs until `stop` or the queue closes: one delivery task per purge
/// and URL.
pub async fn run(hooks: Webhooks, mut queue: mpsc::Receiver<Arc<Purge>>, mut stop: Stop) {
    while let Some(purge) = stop.next(&mut queue).await {
        if hooks.config.urls.is_empty() {
            continue;
        }
        let body = match payload(&hooks.sites, &purge) {
            Ok(body) => body,
            Err(error) => {
                tracing::error!(%error, "cannot write a purge webhook body");
                continue;
            }
        };
        for url in &hooks.config.urls {
            tokio::spawn(deliver(hooks.clone(), url.clone(), body.clone()));
        }
    }
}

/// The JSON body of a purge: keys, and URLs absolute when the site has a
/// base URL (else paths as readers reach the site, `/ar/politics`).
fn payload(sites: &Sites, purge: &Purge) -> Result<String, serde_json::Error> {
    let network = sites.current();
    let base = network
        .sites
        .iter()
        .find(|e| e.site.id == purge.site)
        .map(|e| {
            if !e.site.base_url.is_empty() {
                e.site.base_url.trim_end_matches('/').to_owned()
            } else if e.site.path_prefix.is_empty() {
                String::new()
            } else {
                format!("/{}", e.site.path_prefix)
            }
        })
        .unwrap_or_default();
    let urls: Vec<String> = purge.paths.iter().map(|p| format!("{base}{p}")).collect();
    let at = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    serde_json::to_string(&serde_json::json!({
        "site": purge.site_key,
        "keys": purge.key_names(),
        "urls": urls,
        "at": at,
    }))
}

async fn deliver(hooks: Webhooks, url: String, body: String) {
    let signature = hooks
        .config
        .secret
        .as_deref()
        .map(|secret| signature_header(secret.as_bytes(), body.as_bytes()));
    let mut attempt = 0;
    loop {
        let mut request = hooks
            .client
            .post(&url)
            .header("content-type", "application/json")
            .body(body.clone());
        if let Some(signature) = &signature {
            request = request.header("x-dateline-signature", signature);
        }
        let outcome = match request.send().await {
            Ok(response) if response.status().is_success() => Ok(()),
            Ok(response) => Err(format!("answered {}", response.status())),
            Err(error) => Err(error.without_url().to_string()),
        };
        match outcome {
            Ok(()) => {
                hooks.counters.webhooks_sent.fetch_add(1, Ordering::Relaxed);
                return;
            }
            Err(error) => match RETRY_DELAYS.get(attempt) {
                Some(delay) => {
                    tracing::info!(url = %redact::url(&url), %error, attempt = attempt + 1, "purge webhook failed; retrying");
                    tokio::time::sleep(*delay).await;
                    attempt += 1;
                }
                None => {
                    hooks
                        .counters
                        .webhooks_failed
                        .fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(url = %redact::url(&url), %error, "purge webhook failed; giving up");
                    return;
                }
            },
        }
    }
}
