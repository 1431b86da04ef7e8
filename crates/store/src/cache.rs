//! Results of reader queries, kept in memory until the next write through
//! this process or for [`READ_CACHE_TTL`], whichever comes first.
//!
//! A news site is read thousands of times for every write, and the same few
//! rows (the latest list, today's articles) are on every page. This is a
//! data cache, not a page cache: pages are still rendered per request. The
//! short lifetime bounds staleness from writers outside this process (a
//! second instance, a scheduled article reaching its time).

use std::any::Any;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::articles::{ArticleFilter, ArticleQuery};
use dateline_core::{ArticleId, SiteId};

/// How long a cached result may be served without a write invalidating it.
pub const READ_CACHE_TTL: Duration = Duration::from_secs(2);

/// Entries kept at most; past this the cache starts over (cheap, and a full
/// cache means a crawler walked the archive, not readers).
const MAX_ENTRIES: usize = 20_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum CacheKey {
    Article(SiteId, ArticleId),
    List {
        site: SiteId,
        filter: ArticleFilter,
        limit: u32,
        offset: i64,
    },
    Count(SiteId, ArticleFilter),
    /// Published articles by id, in the order asked (related stories).
    ByIds(SiteId, Vec<ArticleId>),
    Query {
        site: SiteId,
        query: ArticleQuery,
        limit: u32,
        offset: i64,
    },
    QueryCount(SiteId, ArticleQuery),
    Translations(String, ArticleId),
    /// A site's comment bans, read for every comment sent.
    Bans(SiteId),
}

type Entry = (Instant, u64, Arc<dyn Any + Send + Sync>);

#[derive(Default)]
pub(crate) struct ReadCache {
    generation: AtomicU64,
    entries: Mutex<HashMap<CacheKey, Entry>>,
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache")
            .field("generation", &self.generation())
            .finish_non_exhaustive()
    }
}

impl ReadCache {
    /// The generation a query result belongs to: read it before the query,
    /// so a write that lands during the query makes the result stale.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn get<T: Send + Sync + 'static>(&self, key: &CacheKey) -> Option<Arc<T>> {
        let entries = self.entries.lock().ok()?;
        let (stored, generation, value) = entries.get(key)?;
        if *generation != self.generation() || stored.elapsed() > READ_CACHE_TTL {
            return None;
        }
        value.clone().downcast::<T>().ok()
    }

    pub fn put<T: Send + Sync + 'static>(&self, key: CacheKey, generation: u64, value: Arc<T>) {
        if generation != self.generation() {
            return;
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (Instant::now(), generation, value));
        }
    }

    /// Called after every committed write.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_makes_earlier_results_stale() {
        let cache = ReadCache::default();
        let key = CacheKey::Count(SiteId(1), ArticleFilter::All);
        let generation = cache.generation();
        cache.put(key.clone(), generation, Arc::new(5_i64));
        assert_eq!(cache.get::<i64>(&key).as_deref(), Some(&5));
        cache.invalidate();
        assert_eq!(cache.get::<i64>(&key), None);
        // A result computed before the write is not stored after it.
        cache.put(key.clone(), generation, Arc::new(6_i64));
        assert_eq!(cache.get::<i64>(&key), None);
    }
}
