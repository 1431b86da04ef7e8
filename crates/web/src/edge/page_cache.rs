//! The in-process page cache: finished public responses (pages, feeds,
//! sitemaps, public API reads) kept in memory by request, dropped by
//! surrogate key when content changes, and rendered once however many
//! readers ask for a missing page at the same moment.
//!
//! It sits inside `finish_pages`, after the handler and before conditional
//! GET and compression: an entry is the uncompressed body with its headers
//! and entity tag, and keeps its brotli and gzip forms once made, so one
//! entry serves every `Accept-Encoding` and every `If-None-Match`. See
//! `docs/caching.md`.
//!
//! Only what a shared cache may store is kept (RFC 9111 §3): answers to
//! GET without `Authorization`, status 200, `Cache-Control: public`, no
//! `Set-Cookie`, no `Vary` on anything but `Accept-Encoding` (and
//! `Authorization`, which such requests never carry).

pub use crate::edge::page::Page;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// How the cache is sized and how long entries live.
#[derive(Debug, Clone)]
pub struct PageCacheConfig {
    pub enabled: bool,
    /// Most pages kept.
    pub max_entries: usize,
    /// Most negative entries kept: addresses recently found not shareable
    /// (404s, errors, private answers), held apart from the pages so a
    /// flood of unique bad URLs can neither grow memory nor push pages
    /// out.
    pub max_negative: usize,
    /// Most bytes of bodies and headers kept (compressed copies add
    /// roughly a third on top).
    pub max_bytes: usize,
    /// How long an entry is served without a purge dropping it: bounds
    /// what writes of other processes can leave stale.
    pub ttl: Duration,
}

impl Default for PageCacheConfig {
    fn default() -> Self {
        PageCacheConfig {
            enabled: true,
            max_entries: 5_000,
            max_negative: 10_000,
            max_bytes: 256 * 1024 * 1024,
            ttl: dateline_store::READ_CACHE_TTL,
        }
    }
}

/// What became of a render others waited for.
#[derive(Clone)]
enum Outcome {
    /// The page, for everyone who waited.
    Page(Arc<Page>),
    /// Not for sharing (an error, a private answer): each waiter asks the
    /// handler itself.
    Pass,
}

enum Slot {
    Ready(Arc<Page>),
    /// Purged: kept only to answer readers while the next request renders
    /// it again.
    Stale(Arc<Page>),
    /// Being rendered. Without an older copy, readers wait for the outcome;
    /// with one (the page was purged or expired), they get that copy at
    /// once, and only the request that renders waits.
    Rendering {
        outcome: watch::Receiver<Option<Outcome>>,
        stale: Option<Arc<Page>>,
    },
}

impl Slot {
    /// The page this slot holds (and counts in the cache's size), if any.
    fn held(&self) -> Option<&Arc<Page>> {
        match self {
            Slot::Ready(page) | Slot::Stale(page) => Some(page),
            Slot::Rendering { stale, .. } => stale.as_ref(),
        }
    }

    fn is_rendered_by(&self, sender: &watch::Sender<Option<Outcome>>) -> bool {
        matches!(self, Slot::Rendering { outcome, .. } if outcome.same_channel(&sender.subscribe()))
    }
}

/// Keys longer than this are never remembered as negative entries: each
/// would cost its length, and an attacker chooses the length.
const MAX_NEGATIVE_KEY: usize = 512;

/// Requests with longer keys are never cached: a page's key is held with
/// it, and a search query is the only long part a cached page reads.
const MAX_PAGE_KEY: usize = 2048;

#[derive(Default)]
struct Inner {
    slots: HashMap<String, Slot>,
    /// Pages among `slots` (renders in progress are bounded by the
    /// connections, not by the cache).
    pages: usize,
    /// Negative entries: requests for these go straight to the handler
    /// until the instant, without waiting for each other.
    passes: HashMap<String, Instant>,
    bytes: usize,
    /// Bumped by every purge: a render that began before a purge is not
    /// stored after it.
    epoch: u64,
}

impl Inner {
    /// Puts an older copy back, for the next request to render again.
    fn keep_stale(&mut self, key: &str, stale: Option<Arc<Page>>) {
        if let Some(page) = stale {
            self.slots.insert(key.to_owned(), Slot::Stale(page));
        }
    }

    /// Lets an older copy go.
    fn forget(&mut self, stale: Option<Arc<Page>>) {
        if let Some(page) = stale {
            self.bytes = self.bytes.saturating_sub(page.size());
            self.pages -= 1;
        }
    }
}

/// Counters, for `/metrics`.
#[derive(Default)]
pub struct Stats {
    pub hits: AtomicU64,
    /// Requests that waited for another request's render.
    pub coalesced: AtomicU64,
    /// Requests answered with a purged or expired copy while another
    /// request rendered the page again.
    pub stale: AtomicU64,
    /// Handler runs on behalf of the cache (misses).
    pub renders: AtomicU64,
    /// Requests that went to the handler because their answer may not be
    /// shared.
    pub passes: AtomicU64,
    pub purged_entries: AtomicU64,
    pub purges: AtomicU64,
    pub evictions: AtomicU64,
}

/// See the module documentation.
pub struct PageCache {
    config: PageCacheConfig,
    inner: Mutex<Inner>,
    started: Instant,
    pub stats: Stats,
}

/// What a request should do after looking in the cache.
pub enum Lookup {
    /// Serve this page.
    Hit(Arc<Page>),
    /// Render the page and hand it to [`Render::finish`]; others wait.
    Render(Render),
    /// Ask the handler and do not store the answer.
    Pass,
}

/// The duty of rendering a missing page. Dropped unfinished (the reader
/// went away), it lets one of the waiters take over.
pub struct Render {
    cache: Arc<PageCache>,
    key: String,
    epoch: u64,
    sender: Option<watch::Sender<Option<Outcome>>>,
}

impl PageCache {
    pub fn new(config: PageCacheConfig) -> PageCache {
        PageCache {
            config,
            inner: Mutex::new(Inner::default()),
            started: Instant::now(),
            stats: Stats::default(),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.config.enabled && self.config.max_entries > 0
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn now_millis(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    /// The page stored under `key` if it is fresh, or its older copy
    /// while it is being rendered again; never waits.
    pub fn get(&self, key: &str) -> Option<Arc<Page>> {
        self.hit(&self.lock(), key)
    }

    /// The fresh page under `key`, counted as a hit, or the older copy of
    /// a page being rendered again.
    fn hit(&self, inner: &Inner, key: &str) -> Option<Arc<Page>> {
        match inner.slots.get(key) {
            Some(Slot::Ready(page)) if page.stored.elapsed() <= self.config.ttl => {
                page.last_used.store(self.now_millis(), Ordering::Relaxed);
                self.stats.hits.fetch_add(1, Ordering::Relaxed);
                Some(page.clone())
            }
            Some(Slot::Rendering {
                stale: Some(page), ..
            }) => {
                self.stats.stale.fetch_add(1, Ordering::Relaxed);
                Some(page.clone())
            }
            _ => None,
        }
    }

    /// Looks a request up, waiting for a render in progress. `render` is
    /// false for HEAD requests, which may be answered from the cache but
    /// never fill it (their bodies are stripped before we see them).
    pub async fn lookup(self: &Arc<Self>, key: &str, render: bool) -> Lookup {
        if key.len() > MAX_PAGE_KEY {
            self.stats.passes.fetch_add(1, Ordering::Relaxed);
            return Lookup::Pass;
        }
        loop {
            let waiting = {
                let mut inner = self.lock();
                if let Some(page) = self.hit(&inner, key) {
                    return Lookup::Hit(page);
                }
                if inner
                    .passes
                    .get(key)
                    .is_some_and(|until| Instant::now() < *until)
                {
                    self.stats.passes.fetch_add(1, Ordering::Relaxed);
                    return Lookup::Pass;
                }
                match inner.slots.get(key) {
                    Some(Slot::Rendering { outcome, .. }) => outcome.clone(),
                    _ if !render => {
                        self.stats.passes.fetch_add(1, Ordering::Relaxed);
                        return Lookup::Pass;
                    }
                    _ => {
                        // This request renders and waits for the new page
                        // (whoever asks after a change sees it); the old
                        // copy, if any, answers the others meanwhile.
                        let (sender, receiver) = watch::channel(None);
                        let stale = inner.slots.remove(key).and_then(|old| old.held().cloned());
                        inner.slots.insert(
                            key.to_owned(),
                            Slot::Rendering {
                                outcome: receiver,
                                stale,
                            },
                        );
                        self.stats.renders.fetch_add(1, Ordering::Relaxed);
                        return Lookup::Render(Render {
                            cache: self.clone(),
                            key: key.to_owned(),
                            epoch: inner.epoch,
                            sender: Some(sender),
                        });
                    }
                }
            };
            let mut waiting = waiting;
            match waiting.wait_for(Option::is_some).await {
                Ok(outcome) => {
                    let outcome = outcome.clone();
                    match outcome {
                        Some(Outcome::Page(page)) => {
                            self.stats.coalesced.fetch_add(1, Ordering::Relaxed);
                            return Lookup::Hit(page);
                        }
                        Some(Outcome::Pass) | None => {
                            self.stats.passes.fetch_add(1, Ordering::Relaxed);
                            return Lookup::Pass;
                        }
                    }
                }
                // The renderer went away: look again (one of us renders).
                Err(_) => continue,
            }
        }
    }

    /// Marks every page carrying one of `keys` stale (the next request
    /// renders it again; until that render is done, other readers get the
    /// old copy), and ends every render in progress (those who asked after
    /// the change must not get a page rendered before it).
    pub fn purge(&self, keys: &[String]) {
        if keys.is_empty() {
            return;
        }
        let mut inner = self.lock();
        inner.epoch += 1;
        let mut dropped = 0;
        inner.slots.retain(|_, slot| {
            if let Slot::Ready(page) = slot
                && page.keys.iter().any(|k| keys.contains(k))
            {
                let page = page.clone();
                *slot = Slot::Stale(page);
                dropped += 1;
            }
            if let Slot::Rendering { stale, .. } = slot {
                // Its waiters asked before the change and get what it
                // renders; it is not kept.
                match stale.take() {
                    Some(page) => *slot = Slot::Stale(page),
                    None => return false,
                }
            }
            true
        });
        inner.passes.clear();
        self.stats.purges.fetch_add(1, Ordering::Relaxed);
        self.stats
            .purged_entries
            .fetch_add(dropped, Ordering::Relaxed);
    }

    /// Drops everything (the sites themselves changed).
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.epoch += 1;
        let dropped = inner.pages as u64;
        inner.slots.clear();
        inner.passes.clear();
        inner.pages = 0;
        inner.bytes = 0;
        self.stats.purges.fetch_add(1, Ordering::Relaxed);
        self.stats
            .purged_entries
            .fetch_add(dropped, Ordering::Relaxed);
    }

    /// Pages and bytes held now.
    pub fn size(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.pages, inner.bytes)
    }

    /// Negative entries held now.
    pub fn negative_entries(&self) -> usize {
        self.lock().passes.len()
    }

    /// Remembers that `key` is not shareable for a while. When the
    /// negative entries are full, the expired go, then the older half:
    /// a flood of bad URLs only ever displaces other bad URLs.
    fn remember_pass(&self, inner: &mut Inner, key: &str) {
        if key.len() > MAX_NEGATIVE_KEY || self.config.max_negative == 0 {
            return;
        }
        let now = Instant::now();
        if inner.passes.len() >= self.config.max_negative && !inner.passes.contains_key(key) {
            inner.passes.retain(|_, until| *until > now);
            if inner.passes.len() >= self.config.max_negative {
                let mut ends: Vec<Instant> = inner.passes.values().copied().collect();
                let middle = ends.len() / 2;
                let (_, cut, _) = ends.select_nth_unstable(middle);
                let cut = *cut;
                inner.passes.retain(|_, until| *until > cut);
                self.stats
                    .evictions
                    .fetch_add((ends.len() - inner.passes.len()) as u64, Ordering::Relaxed);
            }
        }
        inner.passes.insert(key.to_owned(), now + self.config.ttl);
    }

    /// Takes the slot of a render out of the cache if it is still that
    /// render's: `Some` with the older copy it held, if any.
    fn take_slot(
        &self,
        inner: &mut Inner,
        key: &str,
        sender: &watch::Sender<Option<Outcome>>,
    ) -> Option<Option<Arc<Page>>> {
        if !inner.slots.get(key)?.is_rendered_by(sender) {
            return None;
        }
        match inner.slots.remove(key) {
            Some(Slot::Rendering { stale, .. }) => Some(stale),
            _ => None,
        }
    }

    /// Makes room for `incoming` bytes: expired entries go first, then the
    /// least recently used, down to nine tenths of the limits.
    fn make_room(&self, inner: &mut Inner, incoming: usize) {
        let over = |inner: &Inner, entries: usize, bytes: usize| {
            inner.pages + 1 > entries || inner.bytes + incoming > bytes
        };
        if !over(inner, self.config.max_entries, self.config.max_bytes) {
            return;
        }
        let ttl = self.config.ttl;
        let mut freed = 0;
        let mut dropped = 0;
        inner.slots.retain(|_, slot| match slot {
            Slot::Ready(page) if page.stored.elapsed() > ttl => {
                freed += page.size();
                dropped += 1;
                false
            }
            Slot::Stale(page) => {
                freed += page.size();
                dropped += 1;
                false
            }
            _ => true,
        });
        inner.bytes = inner.bytes.saturating_sub(freed);
        inner.pages -= dropped;
        let target_entries = self.config.max_entries * 9 / 10;
        let target_bytes = self.config.max_bytes / 10 * 9;
        if !over(inner, target_entries, target_bytes) {
            return;
        }
        let mut ready: Vec<(u64, String, usize)> = inner
            .slots
            .iter()
            .filter_map(|(key, slot)| match slot {
                Slot::Ready(page) => Some((
                    page.last_used.load(Ordering::Relaxed),
                    key.clone(),
                    page.size(),
                )),
                _ => None,
            })
            .collect();
        ready.sort_unstable_by_key(|(used, _, _)| *used);
        for (_, key, size) in ready {
            if !over(inner, target_entries, target_bytes) {
                break;
            }
            inner.slots.remove(&key);
            inner.bytes = inner.bytes.saturating_sub(size);
            inner.pages -= 1;
            self.stats.evictions.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl Render {
    /// Hands the rendered page to the waiters, and keeps it when it may be
    /// shared and no purge happened while it was rendered. Returns whether
    /// it was shared.
    pub fn finish(mut self, page: Arc<Page>) -> bool {
        let shareable = page.is_shareable() && page.size() <= self.cache.config.max_bytes / 4;
        let Some(sender) = self.sender.take() else {
            return false;
        };
        {
            let mut inner = self.cache.lock();
            if let Some(stale) = self.cache.take_slot(&mut inner, &self.key, &sender) {
                if shareable && inner.epoch == self.epoch {
                    let size = page.size();
                    inner.forget(stale);
                    self.cache.make_room(&mut inner, size);
                    page.last_used
                        .store(self.cache.now_millis(), Ordering::Relaxed);
                    inner.bytes += size;
                    inner.pages += 1;
                    inner
                        .slots
                        .insert(self.key.clone(), Slot::Ready(page.clone()));
                } else if shareable {
                    // A purge came first: the next request renders anew.
                    inner.keep_stale(&self.key, stale);
                } else {
                    inner.forget(stale);
                    self.cache.remember_pass(&mut inner, &self.key);
                }
            }
        }
        let outcome = if shareable {
            Outcome::Page(page)
        } else {
            Outcome::Pass
        };
        sender.send_replace(Some(outcome));
        shareable
    }

    /// The answer could not be made into a page (not a 200, not text):
    /// waiters ask the handler themselves, and so do later requests for a
    /// while.
    pub fn pass(mut self) {
        let Some(sender) = self.sender.take() else {
            return;
        };
        {
            let mut inner = self.cache.lock();
            if let Some(stale) = self.cache.take_slot(&mut inner, &self.key, &sender) {
                inner.forget(stale);
                self.cache.remember_pass(&mut inner, &self.key);
            }
        }
        sender.send_replace(Some(Outcome::Pass));
    }
}

impl Drop for Render {
    fn drop(&mut self) {
        // Unfinished: free the slot so a waiter can render instead.
        if let Some(sender) = self.sender.take() {
            let mut inner = self.cache.lock();
            if let Some(stale) = self.cache.take_slot(&mut inner, &self.key, &sender) {
                inner.keep_stale(&self.key, stale);
            }
        }
    }
}

/// The page-cache key of a request: everything a public page depends on
/// as the reader sent it (scheme, host with port, path and query), since
/// the site, its prefix and every absolute link follow from those.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageKey(pub String);

#[cfg(test)]
#[path = "page_cache_tests.rs"]
mod tests;
