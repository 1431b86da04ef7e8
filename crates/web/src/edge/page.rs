//! A finished page as the page cache keeps it: its headers and body, and
//! the compressed forms made once per entry.

use crate::edge::compression::{self, Encoding};
use axum::body::Bytes;
use axum::http::{HeaderMap, header};
use std::sync::OnceLock;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

/// A finished response: headers, the uncompressed body, its hash, and its
/// compressed forms once someone asked for them.
pub struct Page {
    pub headers: HeaderMap,
    pub body: Bytes,
    /// xxh3 of the body: the entity tag and the compression memo's key.
    pub hash: u64,
    pub(crate) keys: Vec<String>,
    pub(crate) stored: Instant,
    pub(crate) last_used: AtomicU64,
    pub(crate) brotli: OnceLock<Option<Bytes>>,
    pub(crate) gzip: OnceLock<Option<Bytes>>,
}

impl Page {
    /// A page from a handler's headers and body; the surrogate keys are
    /// read from `Surrogate-Key`.
    pub fn new(headers: HeaderMap, body: Bytes) -> Page {
        let hash = xxhash_rust::xxh3::xxh3_64(&body);
        let keys = headers
            .get("surrogate-key")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        Page {
            headers,
            body,
            hash,
            keys,
            stored: Instant::now(),
            last_used: AtomicU64::new(0),
            brotli: OnceLock::new(),
            gzip: OnceLock::new(),
        }
    }

    /// The body compressed with `encoding`, made once per entry.
    pub fn compressed(
        &self,
        encoding: Encoding,
        level: u32,
        memo: &compression::CompressionMemo,
    ) -> Option<Bytes> {
        let slot = match encoding {
            Encoding::Brotli => &self.brotli,
            Encoding::Gzip => &self.gzip,
        };
        slot.get_or_init(|| memo.compress(encoding, level, self.hash, &self.body))
            .clone()
    }

    pub(crate) fn size(&self) -> usize {
        self.body.len()
            + self
                .headers
                .iter()
                .map(|(k, v)| k.as_str().len() + v.len())
                .sum::<usize>()
    }

    /// True when a shared cache may keep this response for other readers.
    pub(crate) fn is_shareable(&self) -> bool {
        let cache_control = self
            .headers
            .get_all(header::CACHE_CONTROL)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|d| d.trim().to_ascii_lowercase())
            .collect::<Vec<_>>();
        let public = cache_control.iter().any(|d| d == "public");
        let refused = cache_control
            .iter()
            .any(|d| d == "no-store" || d == "private" || d == "no-cache");
        let varies_only_on_known = self
            .headers
            .get_all(header::VARY)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .all(|name| {
                let name = name.trim();
                name.eq_ignore_ascii_case("accept-encoding")
                    || name.eq_ignore_ascii_case("authorization")
            });
        public && !refused && varies_only_on_known && !self.headers.contains_key(header::SET_COOKIE)
    }
}
