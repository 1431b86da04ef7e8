//! Announcing changes: the one place every use case and task tells what
//! readers see has changed.
//!
//! A change becomes a [`Purge`]: the site, the exact surrogate keys it
//! touched (`core::purge` decides them) and the main paths they stand for.
//! The process's own caches ([`LocalCaches`], the page cache) drop those
//! keys at once, before the writer's answer goes out; background
//! listeners (purge webhooks, the WebSub hub) get the same event through a
//! bounded queue, so nothing slow or fallible runs on the writer's path
//! and no failure of theirs fails the user's action.

use crate::sites::Sites;
use dateline_core::purge::{self, ArticleFacts, SurrogateKey};
use dateline_core::{Article, ArticleId, ArticleState, SiteId, article_path};
use dateline_store::feed::{Change, ChangeKind, NewChange};
use dateline_store::{Db, StoreError};
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

/// The caches of this process that must forget at once, on the writer's
/// path (the web layer's page cache and rendered layouts).
pub trait LocalCaches: Send + Sync {
    /// Drops every entry carrying one of these surrogate keys.
    fn purge(&self, keys: &[String]);
    /// Sites or sections changed: whatever was derived from them goes.
    fn sites_reloaded(&self);
}

/// Nothing to drop: for the CLI and tests, which run without caches.
pub struct NoCaches;

impl LocalCaches for NoCaches {
    fn purge(&self, _: &[String]) {}
    fn sites_reloaded(&self) {}
}

/// Changes that may wait for the change feed's writer before new ones are
/// dropped (and logged): other instances' page caches then fall back on
/// their lifetime.
const FEED_QUEUE: usize = 4096;

/// Drops changed keys from the local caches and tells the listeners.
pub struct Purger {
    caches: Arc<dyn LocalCaches>,
    listeners: Vec<(&'static str, mpsc::Sender<Arc<Purge>>)>,
    /// Where changes go for the other instances on the same database
    /// (`tasks::feed`), when there may be any.
    feed: Option<mpsc::Sender<NewChange>>,
}

impl Purger {
    pub fn new(caches: Arc<dyn LocalCaches>) -> Purger {
        Purger {
            caches,
            listeners: Vec::new(),
            feed: None,
        }
    }

    /// A queue of every change from now on, for the task that writes them
    /// to the change feed (`tasks::feed::publish`).
    pub fn publish_to_feed(&mut self) -> mpsc::Receiver<NewChange> {
        let (sender, receiver) = mpsc::channel(FEED_QUEUE);
        self.feed = Some(sender);
        receiver
    }

    fn to_feed(&self, change: NewChange) {
        if let Some(feed) = &self.feed
            && let Err(error) = feed.try_send(change)
        {
            tracing::warn!(%error, "a change was not queued for the other instances");
        }
    }

    /// A queue of every purge from now on, for a background task.
    pub fn listen(&mut self, name: &'static str) -> mpsc::Receiver<Arc<Purge>> {
        let (sender, receiver) = mpsc::channel(LISTENER_QUEUE);
        self.listeners.push((name, sender));
        receiver
    }

    /// Publishes a purge: the local caches first, synchronously, then the
    /// listeners' queues. Never blocks and never fails.
    pub fn purge(&self, purge: Purge) {
        if purge.keys.is_empty() {
            return;
        }
        tracing::debug!(site = %purge.site_key, keys = ?purge.key_names(), "purge");
        let keys = purge.key_names();
        self.caches.purge(&keys);
        self.to_feed(NewChange {
            site: Some(purge.site),
            kind: ChangeKind::Purge {
                keys,
                paths: purge.paths.clone(),
            },
        });
        self.tell_listeners(purge);
    }

    /// A purge another process made (read from the change feed): the
    /// local caches forget `keys`, and the listeners (webhooks, WebSub)
    /// deliver it when this process delivers its own purges (SQLite; on
    /// PostgreSQL the feed's deliverer does, and nobody listens here).
    fn relay(&self, keys: &[String], purge: Purge) {
        self.caches.purge(keys);
        if !purge.keys.is_empty() {
            self.tell_listeners(purge);
        }
    }

    fn tell_listeners(&self, purge: Purge) {
        let purge = Arc::new(purge);
        for (name, sender) in &self.listeners {
            if let Err(error) = sender.try_send(purge.clone()) {
                tracing::warn!(listener = name, %error, "a purge was not queued");
            }
        }
    }

    pub(crate) fn sites_reloaded(&self) {
        self.caches.sites_reloaded();
        self.to_feed(NewChange {
            site: None,
            kind: ChangeKind::Sites,
        });
    }
}

/// What readers could see of an article before a write; hand it to
/// [`Changes::article_changed`] after the write.
pub struct ArticleBefore {
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
    pub fn unseen(site: SiteId, id: ArticleId) -> ArticleBefore {
        ArticleBefore {
            site,
            id,
            seen: Seen::Nothing,
        }
    }
}

/// Works out what a write changed for readers and announces it. Cheap to
/// clone; what the background tasks that change content are given.
#[derive(Clone)]
pub struct Changes {
    db: Db,
    sites: Sites,
    purger: Arc<Purger>,
}

impl Changes {
    pub fn new(db: Db, sites: Sites, purger: Arc<Purger>) -> Changes {
        Changes { db, sites, purger }
    }

    /// Notes what readers see of an article now, before changing it.
    pub async fn article_before(&self, site: SiteId, id: ArticleId) -> ArticleBefore {
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
    pub async fn article_changed(&self, before: ArticleBefore) {
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
        self.send(before.site, keys, paths);
    }

    /// After comments were approved, or approved ones rejected or
    /// deleted: the pages showing them or counting them.
    pub async fn comments_changed(&self, site: SiteId, articles: &[ArticleId]) {
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
        self.send(site, purge::dedup(keys), paths);
    }

    /// After the site's settings or sections changed: every page shows
    /// them (the header, the menu, the footer).
    pub fn site_changed(&self, site: SiteId) {
        self.send(site, vec![SurrogateKey::Site(site)], vec!["/".to_owned()]);
    }

    /// After a tag or author was renamed, described or deleted: its pages
    /// and every article page naming it carry its key.
    pub fn keys_changed(&self, site: SiteId, key: SurrogateKey, path: Option<String>) {
        self.send(site, vec![key], path.into_iter().collect());
    }

    /// The search index changed. Search results and the related stories
    /// of "more articles" come from it, so the pages showing them (all
    /// carry `latest-N`) leave the local caches: a page cached between a
    /// publication and its indexing would otherwise show the old results.
    pub fn index_changed(&self) {
        let keys: Vec<String> = self
            .sites
            .current()
            .sites
            .iter()
            .map(|e| SurrogateKey::Latest(e.site.id).to_string())
            .collect();
        self.purger.caches.purge(&keys);
    }

    /// Sites or sections were reloaded: derived caches go.
    pub(crate) fn sites_reloaded(&self) {
        self.purger.sites_reloaded();
    }

    /// A change another process made (read from the change feed): this
    /// process's caches forget what it changed, its delivery listeners
    /// hear of purges, and nothing goes back to the feed.
    pub async fn apply_remote(&self, change: &Change) {
        match &change.kind {
            ChangeKind::Purge { keys, paths } => match change.site {
                Some(site) => self.purger.relay(
                    keys,
                    Purge {
                        site,
                        site_key: self.sites.current().site_key(site),
                        keys: keys.iter().filter_map(|k| SurrogateKey::parse(k)).collect(),
                        paths: paths.clone(),
                    },
                ),
                None => self.purger.caches.purge(keys),
            },
            ChangeKind::Sites => {
                if let Err(error) = self.sites.reload(&self.db).await {
                    tracing::warn!(%error, "cannot reload the sites another instance changed");
                }
                self.purger.caches.sites_reloaded();
            }
        }
    }

    fn send(&self, site: SiteId, keys: Vec<SurrogateKey>, paths: Vec<String>) {
        let site_key = self.sites.current().site_key(site);
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
    ) -> Result<Option<(ArticleFacts, Vec<String>)>, StoreError> {
        let Some(article) = self.db.article_in_any_state(site, id).await? else {
            return Ok(None);
        };
        let translations = match &article.translation_group {
            Some(group) => self.db.translation_ids(group, id).await?,
            None => Vec::new(),
        };
        let now = OffsetDateTime::now_utc();
        let facts = ArticleFacts {
            id,
            site,
            site_key: self.sites.current().site_key(site),
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
