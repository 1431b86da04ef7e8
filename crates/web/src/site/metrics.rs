//! `/metrics`: counters of the page cache and of outgoing purges and
//! WebSub deliveries, in the Prometheus text format (version 0.0.4).
//! Served only when the `metrics` setting is on; keep it behind the
//! firewall like any metrics endpoint.

use crate::AppState;
use crate::http::CacheKind;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};

/// `GET /metrics`
pub async fn metrics(State(app): State<AppState>) -> Response {
    let stats = &app.page_cache.stats;
    let (entries, bytes) = app.page_cache.size();
    let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
    let mut out = String::new();
    let mut counter = |name: &str, help: &str, value: u64| {
        let _ = writeln!(
            out,
            "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
        );
    };
    counter(
        "dateline_page_cache_hits_total",
        "Requests answered from the page cache.",
        load(&stats.hits),
    );
    counter(
        "dateline_page_cache_coalesced_total",
        "Requests that waited for another request's render of the same page.",
        load(&stats.coalesced),
    );
    counter(
        "dateline_page_cache_stale_total",
        "Requests answered with the older copy of a page while another request rendered it again.",
        load(&stats.stale),
    );
    counter(
        "dateline_page_cache_renders_total",
        "Pages rendered to fill the page cache (misses).",
        load(&stats.renders),
    );
    counter(
        "dateline_page_cache_passes_total",
        "Requests whose answers may not be cached.",
        load(&stats.passes),
    );
    counter(
        "dateline_page_cache_purges_total",
        "Purges received.",
        load(&stats.purges),
    );
    counter(
        "dateline_page_cache_purged_entries_total",
        "Entries dropped by purges.",
        load(&stats.purged_entries),
    );
    counter(
        "dateline_page_cache_evictions_total",
        "Entries dropped to stay within the size limits.",
        load(&stats.evictions),
    );
    let counters = &app.counters;
    counter(
        "dateline_purge_webhooks_sent_total",
        "Purge webhook calls accepted.",
        load(&counters.webhooks_sent),
    );
    counter(
        "dateline_purge_webhooks_failed_total",
        "Purge webhook calls given up after retries.",
        load(&counters.webhooks_failed),
    );
    counter(
        "dateline_websub_deliveries_sent_total",
        "WebSub content deliveries accepted.",
        load(&counters.websub_sent),
    );
    counter(
        "dateline_websub_deliveries_failed_total",
        "WebSub content deliveries given up after retries.",
        load(&counters.websub_failed),
    );
    let _ = writeln!(
        out,
        "# HELP dateline_page_cache_entries Pages held.\n# TYPE dateline_page_cache_entries gauge\ndateline_page_cache_entries {entries}"
    );
    let _ = writeln!(
        out,
        "# HELP dateline_page_cache_bytes Bytes of pages held.\n# TYPE dateline_page_cache_bytes gauge\ndateline_page_cache_bytes {bytes}"
    );
    let _ = writeln!(
        out,
        "# HELP dateline_page_cache_negative_entries Addresses remembered as not cacheable.\n# TYPE dateline_page_cache_negative_entries gauge\ndateline_page_cache_negative_entries {}",
        app.page_cache.negative_entries()
    );
    let mut response = out.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, CacheKind::NoStore.header_value());
    response
}
