//! Dateline's application layer: every use case, written once, for
//! whoever asks (the newsroom and the API over HTTP, the CLI, and later
//! wire ingest and importers). It knows nothing of HTTP servers or SQL:
//! it takes domain input (`core`), applies the rules (`core`), writes
//! through the store, and announces what changed (`changes`). The
//! background tasks that keep the process going live in `tasks`, each
//! given only the handles it needs.
//!
//! ```text
//! web (HTTP) ─┐
//! CLI ────────┼─> Newsdesk use cases ─> core rules, store writes, changes
//! ingest ─────┘
//! ```

pub mod accounts;
pub mod articles;
pub mod backup;
pub mod changes;
pub mod comments;
pub mod data_dir;
pub mod import;
pub mod live;
pub mod media;
pub mod redirects;
pub mod settings;
pub mod sites;
pub mod sourced;
pub mod tasks;
pub mod wire;

use changes::{Changes, Purger};
use dateline_core::SiteId;
use dateline_core::accounts::{Role, UserId};
use dateline_store::{Db, StoreError};
use sites::{Network, Sites};
use std::sync::Arc;
use tokio::sync::Notify;

pub use articles::{ArticleCommand, ArticleError, Origin, Schedule};

/// An error and every cause under it, `outer: inner: innermost`, for the
/// log and the health lines (`{:#}` does not walk a `thiserror` chain).
pub fn cause_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        // Transparent wrappers repeat their inner message.
        if !text.ends_with(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}

/// Who is acting: a user and their role on the site acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub role: Role,
}

/// Where the use cases of one site act, and by whom.
#[derive(Debug, Clone, Copy)]
pub struct OnSite {
    pub site: SiteId,
    pub actor: Actor,
}

/// How the application is set up.
#[derive(Debug, Clone, Default)]
pub struct NewsdeskConfig {
    /// Benchmarks only: comments need no security code.
    pub insecure_skip_security_code: bool,
    /// Where uploaded images and their copies are kept.
    pub media_dir: std::path::PathBuf,
    /// Password checks (Argon2id, about 19 MiB each) that may run at once;
    /// 0: two per core.
    pub password_checks: usize,
    /// Images decoded and resized at once (each can take hundreds of
    /// megabytes); 0: one per core. Twice as many uploads may wait.
    pub image_jobs: usize,
}

/// Background tasks waiting for work; use cases wake them.
#[derive(Default)]
pub struct Wakers {
    /// An article was scheduled.
    pub scheduler: Notify,
    /// Mail was queued.
    pub outbox: Notify,
}

/// The application: cheap to clone, shared by every caller.
#[derive(Clone)]
pub struct Newsdesk(Arc<Inner>);

struct Inner {
    db: Db,
    sites: Sites,
    changes: Changes,
    wakers: Arc<Wakers>,
    classifiers: Arc<tasks::classify::Classifiers>,
    /// Bounds the password checks running at once (`accounts`).
    password_checks: tokio::sync::Semaphore,
    /// Bounds the image work running at once, and the uploads admitted
    /// to wait for it (`media`).
    image_work: Arc<tokio::sync::Semaphore>,
    image_uploads: Arc<tokio::sync::Semaphore>,
    /// The wire desk's account, once looked up (`wire`).
    wire_account: tokio::sync::OnceCell<UserId>,
    /// Reader comments on their way into the store (`comments`).
    comment_intake: comments::Intake,
    config: NewsdeskConfig,
}

/// `From<StoreError>` for a use case's error type with a
/// `Failed(Failure)` variant: storage failing is never the caller's fault.
macro_rules! store_failure {
    ($($error:ty),*) => {$(
        impl From<dateline_store::StoreError> for $error {
            fn from(error: dateline_store::StoreError) -> Self {
                <$error>::Failed($crate::Failure::Store(error))
            }
        }
    )*};
}
pub(crate) use store_failure;

/// Failures that are not the caller's fault: logged with their cause,
/// shown as a server error.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("storage failed")]
    Store(#[from] StoreError),
    #[error("no randomness available for {what}")]
    Randomness {
        what: &'static str,
        #[source]
        source: dateline_core::RandomError,
    },
    #[error("a blocking task stopped")]
    Blocking(#[from] tokio::task::JoinError),
    /// A site id that the loaded network does not have (a caller bug, or
    /// a site removed from storage by hand).
    #[error("site {0} is not loaded")]
    UnknownSite(SiteId),
    #[error("cannot read or write {what}")]
    Io {
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot encode {what}")]
    Encode {
        what: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// The process is stopping: the work was not taken.
    #[error("the server is shutting down")]
    ShuttingDown,
}

impl From<comments::IntakeError> for Failure {
    fn from(error: comments::IntakeError) -> Failure {
        match error {
            comments::IntakeError::Store(error) => Failure::Store(error),
            comments::IntakeError::Stopped => Failure::ShuttingDown,
        }
    }
}

impl Newsdesk {
    /// The application over `db`; `caches` are the process's own caches
    /// that must forget changed content at once; the purger's listeners
    /// must already be registered.
    pub async fn open(
        db: Db,
        purger: Purger,
        config: NewsdeskConfig,
    ) -> Result<Newsdesk, StoreError> {
        let sites = Sites::default();
        sites.reload(&db).await?;
        let image_jobs = match config.image_jobs {
            0 => cores(),
            n => n,
        };
        let changes = Changes::new(db.clone(), sites.clone(), Arc::new(purger));
        let wakers = Arc::<Wakers>::default();
        let comment_intake = comments::Intake::start(db.clone(), changes.clone(), wakers.clone());
        Ok(Newsdesk(Arc::new(Inner {
            db,
            sites,
            changes,
            wakers,
            classifiers: Arc::default(),
            password_checks: tokio::sync::Semaphore::new(match config.password_checks {
                0 => cores() * 2,
                n => n,
            }),
            image_work: Arc::new(tokio::sync::Semaphore::new(image_jobs)),
            image_uploads: Arc::new(tokio::sync::Semaphore::new(image_jobs * 3)),
            wire_account: tokio::sync::OnceCell::new(),
            comment_intake,
            config,
        })))
    }

    /// Without local caches or listeners: for the CLI and tests.
    pub async fn detached(db: Db) -> Result<Newsdesk, StoreError> {
        Newsdesk::open(
            db,
            Purger::new(Arc::new(changes::NoCaches)),
            NewsdeskConfig::default(),
        )
        .await
    }

    /// For commands that write beside running servers (`dateline
    /// ingest`): their changes go to the change feed, which the servers
    /// on the same database follow. Stop the tasks to write what is left.
    pub async fn beside_servers(
        db: Db,
        config: NewsdeskConfig,
    ) -> Result<(Newsdesk, tasks::Tasks), StoreError> {
        let mut purger = Purger::new(Arc::new(changes::NoCaches));
        let queue = purger.publish_to_feed();
        let desk = Newsdesk::open(db.clone(), purger, config).await?;
        let mut running = tasks::Tasks::default();
        let publish = tasks::feed::publish(
            db,
            tasks::feed::instance_name().into(),
            queue,
            running.stop_signal(),
        );
        running.spawn("change feed", publish);
        Ok((desk, running))
    }

    pub fn db(&self) -> &Db {
        &self.0.db
    }

    /// The account the wire desk acts as, made on first use and then
    /// remembered (it never changes).
    pub(crate) async fn wire_desk_account(&self) -> Result<UserId, StoreError> {
        self.0
            .wire_account
            .get_or_try_init(|| self.0.db.wire_account(time::OffsetDateTime::now_utc()))
            .await
            .copied()
    }

    /// The sites as last loaded.
    pub fn network(&self) -> Arc<Network> {
        self.0.sites.current()
    }

    /// The registry itself, for tasks that follow it.
    pub fn sites(&self) -> &Sites {
        &self.0.sites
    }

    /// Announces changes (for tasks and the few web paths that change
    /// nothing stored but must drop caches).
    pub fn changes(&self) -> &Changes {
        &self.0.changes
    }

    pub fn config(&self) -> &NewsdeskConfig {
        &self.0.config
    }

    pub(crate) fn image_work(
        &self,
    ) -> (&Arc<tokio::sync::Semaphore>, &Arc<tokio::sync::Semaphore>) {
        (&self.0.image_uploads, &self.0.image_work)
    }

    pub(crate) fn password_checks(&self) -> &tokio::sync::Semaphore {
        &self.0.password_checks
    }

    pub fn wakers(&self) -> &Arc<Wakers> {
        &self.0.wakers
    }

    pub(crate) fn intake(&self) -> &comments::Intake {
        &self.0.comment_intake
    }

    pub fn classifiers(&self) -> &Arc<tasks::classify::Classifiers> {
        &self.0.classifiers
    }

    /// Closes storage once the server stopped and its tasks finished.
    pub async fn close(&self) {
        self.0.db.close().await;
    }

    /// Re-reads sites and sections (after settings change) and drops what
    /// the local caches derived from them.
    pub async fn reload_sites(&self) -> Result<(), StoreError> {
        self.0.sites.reload(&self.0.db).await?;
        self.0.changes.sites_reloaded();
        Ok(())
    }
}

/// The cores this process may use (2 when that cannot be told).
fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}
