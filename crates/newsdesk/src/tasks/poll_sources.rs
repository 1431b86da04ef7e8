//! Sources with an address (`url`) are fetched every `poll_seconds` and
//! what comes back is taken in as a dropped file would be
//! (`Newsdesk::ingest_file`). Each request carries the validators of the
//! last answer (`If-None-Match`, `If-Modified-Since`), so a feed that has
//! not changed costs a `304` and nothing else. Answers larger than the
//! ingest limit are cut off and refused, failures go to the source's
//! health line, and one source failing never holds up another.
//!
//! Instances sharing a database poll each source once: the poller holds a
//! lease per source, renewed at each poll; when it stops, the lease lapses
//! and another instance goes on.

use super::Stop;
use crate::wire::{IngestOptions, PictureFiles, WireSource};
use crate::{Newsdesk, cause_chain};
use dateline_store::wire::SourceFetch;
use reqwest::header;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// How often the sources' settings are read again.
const LOOK_EVERY: Duration = Duration::from_secs(1);
/// Longest wait for a source's answer.
const TIMEOUT: Duration = Duration::from_secs(30);
/// How long a poller's lease outlives its next poll, before another
/// instance may take the source over.
const LEASE_SLACK: time::Duration = time::Duration::seconds(30);

/// Runs until `stop`; `me` names this instance in the leases.
pub async fn run(desk: Newsdesk, me: Arc<str>, mut stop: Stop) {
    let client = match reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!(
            "Dateline/",
            env!("CARGO_PKG_VERSION"),
            " (wire ingest)"
        ))
        .build()
    {
        Ok(client) => client,
        Err(error) => {
            tracing::error!(%error, "cannot make the HTTP client: wire sources are not polled");
            return;
        }
    };
    // When each source is next due, by id; a new source is due at once.
    let mut due: HashMap<i64, tokio::time::Instant> = HashMap::new();
    while !stop.is_requested() {
        let sources = match desk.wire_sources().await {
            Ok(sources) => sources,
            Err(error) => {
                tracing::warn!(%error, "cannot read the wire sources");
                Vec::new()
            }
        };
        let now = tokio::time::Instant::now();
        for source in sources.iter().filter(|s| !s.url.is_empty()) {
            if due.get(&source.id).is_some_and(|at| *at > now) {
                continue;
            }
            let every = Duration::from_secs(u64::try_from(source.poll_seconds).unwrap_or(300));
            due.insert(source.id, now + every);
            if !holds(&desk, &me, source, every).await {
                continue;
            }
            if let Err(error) = poll(&desk, &client, source).await {
                tracing::warn!(source = %source.name, %error, "cannot take a polled wire file in; trying at the next poll");
            }
            if stop.is_requested() {
                break;
            }
        }
        due.retain(|id, _| sources.iter().any(|s| s.id == *id && !s.url.is_empty()));
        if stop.pause(LOOK_EVERY).await {
            break;
        }
    }
    for source in desk.wire_sources().await.unwrap_or_default() {
        if let Err(error) = desk.db().release_lease(&lease_name(&source), &me).await {
            tracing::debug!(%error, "cannot give a wire source's lease up");
        }
    }
}

fn lease_name(source: &WireSource) -> String {
    format!("wire-poll:{}", source.name)
}

/// Takes or renews the source's lease; false while another instance
/// polls it.
async fn holds(desk: &Newsdesk, me: &str, source: &WireSource, every: Duration) -> bool {
    let now = OffsetDateTime::now_utc();
    let until = now + every + LEASE_SLACK;
    match desk
        .db()
        .take_lease(&lease_name(source), me, now, until)
        .await
    {
        Ok(held) => held,
        Err(error) => {
            tracing::warn!(source = %source.name, %error, "cannot take a wire source's lease");
            false
        }
    }
}

/// One poll: a conditional GET, then the answer taken in as a file.
/// `Err` is for storage failing; what the source answers goes to its
/// health line.
async fn poll(
    desk: &Newsdesk,
    client: &reqwest::Client,
    source: &WireSource,
) -> Result<(), crate::Failure> {
    let options = IngestOptions {
        pictures: PictureFiles::Web {
            base: &source.url,
            client,
        },
        ..IngestOptions::default()
    };
    let mut request = client.get(&source.url);
    if !source.http_etag.is_empty() {
        request = request.header(header::IF_NONE_MATCH, &source.http_etag);
    }
    if !source.http_last_modified.is_empty() {
        request = request.header(header::IF_MODIFIED_SINCE, &source.http_last_modified);
    }
    let failed = |reason: String| async move {
        let fetch = SourceFetch {
            error: Some(&reason),
            refused: 0,
            taken: 0,
        };
        desk.db()
            .record_wire_fetch(source.id, &fetch, OffsetDateTime::now_utc())
            .await
    };
    let response = match request.send().await {
        Ok(response) => response,
        Err(error) => {
            failed(format!("GET {}: {}", source.url, cause_chain(&error))).await?;
            return Ok(());
        }
    };
    let status = response.status();
    if status == reqwest::StatusCode::NOT_MODIFIED {
        let unchanged = SourceFetch::default();
        desk.db()
            .record_wire_fetch(source.id, &unchanged, OffsetDateTime::now_utc())
            .await?;
        return Ok(());
    }
    if !status.is_success() {
        failed(format!("GET {}: answered {status}", source.url)).await?;
        return Ok(());
    }
    let validator = |name: header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (etag, last_modified) = (validator(header::ETAG), validator(header::LAST_MODIFIED));
    let body = match read_limited(response, options.limits.max_bytes).await {
        Ok(body) => body,
        Err(reason) => {
            failed(format!("GET {}: {reason}", source.url)).await?;
            return Ok(());
        }
    };
    let report = desk
        .ingest_file(source, &source.url, &body, options)
        .await?;
    for item in &report.items {
        tracing::info!(source = %source.name, guid = %item.guid, outcome = item.outcome.word(), detail = %item.outcome.describe(), "polled wire item");
    }
    desk.db()
        .set_wire_validators(source.id, &etag, &last_modified)
        .await?;
    Ok(())
}

/// The answer's body, refused past `limit` bytes (counted as they come, so
/// a huge or endless answer is cut off, compressed or not).
async fn read_limited(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(format!(
                        "the answer is larger than the limit of {limit} bytes"
                    ));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(error) => return Err(format!("the answer broke off: {}", cause_chain(&error))),
        }
    }
}
