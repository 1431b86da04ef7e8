//! Purging on change: the one place the newsroom, the API and the
//! scheduler tell when something readers see has changed.
//!
//! A change becomes a [`Purge`]: the site, the exact surrogate keys it
//! touched (`core::purge` decides them) and the main paths they stand for.
//! The page cache drops those keys at once, before the editor's answer
//! goes out; background listeners (purge webhooks, the WebSub hub) get the
//! same event through a queue, so nothing slow or fallible runs on the
//! request path and no failure of theirs fails the user's action.

pub mod webhooks;

use crate::AppState;
use crate::page_cache::PageCache;
use dateline_core::purge::{self, ArticleFacts, SurrogateKey};
use dateline_core::{Article, ArticleId, ArticleState, SiteId, article_path};
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::sync::mpsc;

/// Events a listener may fall behind by before new ones are dropped (and
/// logged): the page cache's lifetime then bounds the staleness.
const LISTENER_QUEUE: usize = 1024;

/// What changed on a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purge {
    pub site: SiteId,
    pub site_key: String,
    /// Exact keys, as pages carry them in `Surrogate-Key`.
    pub keys: Vec<SurrogateKey>,
    /// The main site paths behind the keys (the article, its lists and
    /// their feeds), for caches that purge by URL.
    pub paths: Vec<String>,
}

impl Purge {
    pub fn key_names(&self) -> Vec<String> {
        self.keys.iter().map(ToString::to_string).collect()
    }
}

/// Drops changed keys from the page cache and tells the listeners.
pub struct Purger {
    page_cache: Arc<PageCache>,
    listeners: Vec<(&'static str, mpsc::Sender<Arc<Purge>>)>,
}

impl Purger {
    pub fn new(page_cache: Arc<PageCache>) -> Purger {
        Purger {
            page_cache,
            listeners: Vec::new(),
        }
    }

    /// A queue of every purge from now on, for a background task.
    pub fn listen(&mut self, name: &'static str) -> mpsc::Receiver<Arc<Purge>> {
        let (sender, receiver) = mpsc::channel(LISTENER_QUEUE);
        self.listeners.push((name, sender));
        receiver
    }

    /// Publishes a purge: the page cache first, synchronously, then the
    /// listeners' queues. Never blocks and never fails.
    pub fn purge(&self, purge: Purge) {
        if purge.keys.is_empty() {
            return;
        }
        tracing::debug!(site = %purge.site_key, keys = ?purge.key_names(), "purge");
        self.page_cache.purge(&purge.key_names());
        let purge = Arc::new(purge);
        for (name, sender) in &self.listeners {
            if let Err(error) = sender.try_send(purge.clone()) {
                tracing::warn!(listener = name, %error, "a purge was not queued");
            }
        }
    }
}

/// What readers could see of an article before a write; hand it to
/// [`AppState::article_changed`] after the write.
pub(crate) struct ArticleBefore {
    site: SiteId,
    id: ArticleId,
    seen: Seen,
}

enum Seen {
    Facts(ArticleFacts, Vec<String>),
    /// Not there, or not readable: nothing to purge for "before".
    Nothing,
    /// Could not be read: purge the whole site to be safe.
    Unknown,
}

impl ArticleBefore {
    /// For an article that readers could not see before (just created,
    /// or scheduled and now due).
    pub(crate) fn unseen(site: SiteId, id: ArticleId) -> ArticleBefore {
        ArticleBefore {
            site,
            id,
            seen: Seen::Nothing,
        }
    }
}

impl AppState {
    /// Notes what readers see of an article now, before changing it.
    pub(crate) async fn article_before(&self, site: SiteId, id: ArticleId) -> ArticleBefore {
        let seen = match self.article_facts(site, id).await {
            Ok(Some((facts, paths))) => Seen::Facts(facts, paths),
            Ok(None) => Seen::Nothing,
            Err(error) => {
                tracing::warn!(%error, %id, "cannot read an article before a change");
                Seen::Unknown
            }
        };
        ArticleBefore { site, id, seen }
    }

    /// After a write to an article (saved, published, unpublished,
    /// scheduled, corrected, published by the scheduler): purges exactly
    /// what changed for readers.
    pub(crate) async fn article_changed(&self, before: ArticleBefore) {
        let after = match self.article_facts(before.site, before.id).await {
            Ok(after) => after,
            Err(error) => {
                tracing::warn!(%error, id = %before.id, "cannot read an article after a change");
                return self.site_changed(before.site);
            }
        };
        let before_facts = match before.seen {
            Seen::Facts(facts, paths) => Some((facts, paths)),
            Seen::Nothing => None,
            Seen::Unknown => return self.site_changed(before.site),
        };
        let keys = purge::article_change(
            before_facts.as_ref().map(|(f, _)| f),
            after.as_ref().map(|(f, _)| f),
        );
        let mut paths: Vec<String> = [before_facts, after]
            .into_iter()
            .flatten()
            .filter(|(facts, _)| facts.public)
            .flat_map(|(_, paths)| paths)
            .collect();
        paths.sort();
        paths.dedup();
        self.send_purge(before.site, keys, paths);
    }

    /// After comments were approved, or approved ones rejected or
    /// deleted: the pages showing them or counting them.
    pub(crate) async fn comments_changed(&self, site: SiteId, articles: &[ArticleId]) {
        let mut keys = Vec::new();
        let mut paths = Vec::new();
        for id in articles {
            match self.article_facts(site, *id).await {
                Ok(Some((facts, article_paths))) => {
                    keys.extend(purge::comments_change(&facts));
                    if facts.public {
                        paths.extend(article_paths);
                    }
                }
                Ok(None) => {}
                Err(error) => {
                    tracing::warn!(%error, %id, "cannot read an article after a comment decision");
                    return self.site_changed(site);
                }
            }
        }
        paths.sort();
        paths.dedup();
        self.send_purge(site, purge::dedup(keys), paths);
    }

    /// After the site's settings or sections changed: every page shows
    /// them (the header, the menu, the footer).
    pub(crate) fn site_changed(&self, site: SiteId) {
        self.send_purge(site, vec![SurrogateKey::Site(site)], vec!["/".to_owned()]);
    }

    /// After a tag or author was renamed, described or deleted: its pages
    /// and every article page naming it carry its key.
    pub(crate) fn keys_changed(&self, site: SiteId, key: SurrogateKey, path: Option<String>) {
        self.send_purge(site, vec![key], path.into_iter().collect());
    }

    fn send_purge(&self, site: SiteId, keys: Vec<SurrogateKey>, paths: Vec<String>) {
        let site_key = self
            .network()
            .sites
            .iter()
            .find(|e| e.site.id == site)
            .map(|e| e.site.key.clone())
            .unwrap_or_default();
        self.purger.purge(Purge {
            site,
            site_key,
            keys,
            paths,
        });
    }

    /// What cache keys and paths an article has for readers now.
    async fn article_facts(
        &self,
        site: SiteId,
        id: ArticleId,
    ) -> Result<Option<(ArticleFacts, Vec<String>)>, dateline_store::StoreError> {
        let Some(article) = self.db.article_in_any_state(site, id).await? else {
            return Ok(None);
        };
        let translations = match &article.translation_group {
            Some(group) => self.db.translation_ids(group, id).await?,
            None => Vec::new(),
        };
        let site_key = self
            .network()
            .sites
            .iter()
            .find(|e| e.site.id == site)
            .map(|e| e.site.key.clone())
            .unwrap_or_default();
        let now = OffsetDateTime::now_utc();
        let facts = ArticleFacts {
            id,
            site,
            site_key,
            public: article.state == ArticleState::Published
                && article.published_at.is_some_and(|at| at <= now),
            section: article.section.id,
            tags: article.tags.iter().map(|t| t.id).collect(),
            authors: article.authors.iter().map(|a| a.id).collect(),
            translations,
            path: article_path(&article.section.slug, article.id, &article.slug),
        };
        Ok(Some((facts, paths_of(&article))))
    }
}

/// The main paths showing an article: its page, the lists it is in and
/// their feeds.
fn paths_of(article: &Article) -> Vec<String> {
    let mut lists = vec![String::new()];
    lists.push(format!("/{}", article.section.slug));
    lists.extend(article.tags.iter().map(|t| format!("/tag/{}", t.slug)));
    lists.extend(
        article
            .authors
            .iter()
            .map(|a| format!("/author/{}", a.slug)),
    );
    let mut paths = vec![
        article_path(&article.section.slug, article.id, &article.slug),
        "/".to_owned(),
        "/latest".to_owned(),
    ];
    for list in lists {
        if !list.is_empty() {
            paths.push(list.clone());
        }
        for feed in ["feed.xml", "atom.xml", "feed.json"] {
            paths.push(format!("{list}/{feed}"));
        }
    }
    paths
}
