//! Dateline's HTTP surface: the public sites of the network, the newsroom
//! and the content API, with the middleware every response passes
//! through. Handlers are thin: they parse input into domain types, read
//! from the store or ask the application (`dateline_newsdesk`) to act,
//! and choose a response. They never write to the store themselves.

pub mod api;
pub mod edge;
pub mod error;
pub mod http;
pub mod network;
mod newsroom;
pub mod render;
mod site;

use crate::render::assets::Assets;
use crate::render::i18n::Translations;
use crate::render::views::Views;
use axum::Router;
use axum::http::StatusCode;
use dateline_newsdesk::Newsdesk;
use dateline_newsdesk::changes::{LocalCaches, Purger};
use dateline_newsdesk::sites::Network;
use dateline_newsdesk::tasks::Tasks;
use dateline_search::SearchIndex;
use dateline_store::Db;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::CompressionLevel;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

/// What the web layer needs to know from the configuration.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// A folder overriding the built-in theme (`templates/`, `static/`,
    /// `locales/`).
    pub theme_dir: Option<PathBuf>,
    /// Where uploaded and generated media files live.
    pub media_dir: PathBuf,
    /// Compression level for gzip and brotli responses (1 fastest .. 9).
    pub compression_level: u32,
    /// How many recently compressed pages to remember (0: compress every
    /// response anew).
    pub compression_memo: usize,
    /// SMTP server for Dateline's mail (empty: mail waits in the outbox).
    pub smtp_url: String,
    /// Sender of Dateline's mail (`Name <address>`).
    pub mail_from: String,
    /// Header carrying the reader's address from a trusted proxy (empty:
    /// the connection's address).
    pub client_ip_header: String,
    /// Benchmarks only: comments need no security code.
    pub insecure_skip_security_code: bool,
    /// Password checks that may run at once (0: two per core).
    pub password_checks: usize,
    /// Images processed at once (0: one per core).
    pub image_jobs: usize,
    /// The in-process page cache.
    pub page_cache: edge::page_cache::PageCacheConfig,
    /// Where purges are sent.
    pub webhooks: dateline_newsdesk::tasks::webhooks::WebhookConfig,
    /// Serve a WebSub hub and name it in feeds.
    pub websub: bool,
    /// Hosts the WebSub hub may call although they are private (an
    /// in-house aggregator; tests on loopback).
    pub websub_allowed_hosts: Vec<String>,
    /// Serve `/metrics`.
    pub metrics: bool,
    /// Connections served at once, and how long a client may take to send
    /// a request's headers or leave a connection idle.
    pub connections: edge::connections::ConnectionLimits,
    /// Longest time to read a request's body and answer it.
    pub request_timeout: Duration,
    /// The wire sources' drop folders (`<data-dir>/ingest`); `None`: no
    /// drop folders are watched.
    pub ingest_dir: Option<PathBuf>,
}

impl WebConfig {
    /// True when a reverse proxy is declared in front (`client_ip_header`):
    /// only then are its forwarding headers believed.
    pub fn behind_proxy(&self) -> bool {
        !self.client_ip_header.trim().is_empty()
    }
}

/// Why the web layer could not start; each names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] dateline_store::StoreError),
    #[error(transparent)]
    Failure(#[from] dateline_newsdesk::Failure),
    #[error(transparent)]
    Translations(#[from] render::i18n::I18nError),
    #[error("theme template error: {0:#}")]
    Template(#[from] minijinja::Error),
    #[error("cannot read theme static files: {0}")]
    Assets(#[from] std::io::Error),
    #[error("cannot prepare the first-run link: {0}")]
    Setup(String),
    #[error("cannot make the HTTP client for webhooks and WebSub: {0}")]
    Client(#[from] reqwest::Error),
}

/// Everything a handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

pub struct Services {
    /// The application: every use case that writes goes through it.
    pub desk: Newsdesk,
    /// Storage, for reading only: writes go through `desk`.
    pub db: Db,
    /// The full-text index, kept in step with `db` by the search sync task.
    pub search: Arc<SearchIndex>,
    pub views: Views,
    pub translations: Arc<Translations>,
    pub assets: Assets,
    pub compression_memo: edge::compression::CompressionMemo,
    pub(crate) layouts: Arc<render::chrome::Layouts>,
    pub config: WebConfig,
    /// The one-time secret of the first-run link, while no account exists.
    setup_token: std::sync::Mutex<Option<String>>,
    pub page_cache: Arc<edge::page_cache::PageCache>,
    /// Client for purge webhooks, to the administrator's own URLs
    /// (timeouts, no redirects).
    pub outbound: reqwest::Client,
    /// The WebSub hub's way to subscribers: public addresses only.
    pub subscribers: dateline_newsdesk::tasks::websub::Subscribers,
    /// Bounds the WebSub verifications running at once.
    pub verifications: Arc<tokio::sync::Semaphore>,
    /// Deliveries to other servers (purge webhooks, WebSub), counted.
    pub counters: Arc<dateline_newsdesk::tasks::Deliveries>,
    /// The purge queues of the background tasks, taken by [`serve`].
    queues: std::sync::Mutex<Option<Queues>>,
}

/// The caches of this process that the application drops on a change:
/// pages, and the site header and footer rendered once per site.
struct WebCaches {
    page_cache: Arc<edge::page_cache::PageCache>,
    layouts: Arc<render::chrome::Layouts>,
}

impl LocalCaches for WebCaches {
    fn purge(&self, keys: &[String]) {
        self.page_cache.purge(keys);
    }

    fn sites_reloaded(&self) {
        self.layouts.clear();
        // Cache keys are the requests as sent: which site a host and path
        // lead to may have changed.
        self.page_cache.clear();
    }
}

struct Queues {
    webhooks: tokio::sync::mpsc::Receiver<Arc<dateline_newsdesk::changes::Purge>>,
    websub: tokio::sync::mpsc::Receiver<Arc<dateline_newsdesk::changes::Purge>>,
    /// On PostgreSQL: this instance's changes for the feed, and where the
    /// feed's purges go when this instance delivers.
    feed: Option<(
        tokio::sync::mpsc::Receiver<dateline_store::feed::NewChange>,
        dateline_newsdesk::tasks::feed::DeliveryQueues,
    )>,
}

/// Purges waiting for the webhook and WebSub tasks.
const DELIVERY_QUEUE: usize = 1024;

/// How long an outgoing call (webhook, verification, delivery) may take.
const OUTBOUND_TIMEOUT: Duration = Duration::from_secs(10);

impl std::ops::Deref for AppState {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}

impl AppState {
    /// Loads sites, translations, templates and static files; fails early
    /// with a clear message if any of them is broken.
    pub async fn load(
        db: Db,
        search: Arc<SearchIndex>,
        config: WebConfig,
    ) -> Result<AppState, StartError> {
        let translations = Arc::new(Translations::load(config.theme_dir.as_deref())?);
        let views = Views::new(config.theme_dir.clone(), translations.clone());
        views.check()?;
        let assets = Assets::load(config.theme_dir.as_deref())?;
        if config.insecure_skip_security_code {
            tracing::warn!(
                "insecure_skip_security_code is on: comments need no security code (benchmarks only)"
            );
        }
        let page_cache = Arc::new(edge::page_cache::PageCache::new(config.page_cache.clone()));
        let layouts = Arc::new(render::chrome::Layouts::default());
        let mut purger = Purger::new(Arc::new(WebCaches {
            page_cache: page_cache.clone(),
            layouts: layouts.clone(),
        }));
        // Other instances may share a PostgreSQL database: they hear of
        // this one's changes through the change feed, and one of them
        // delivers every instance's purges to webhooks and WebSub from
        // it. SQLite has one instance, which delivers its own.
        let queues = if db.backend() == dateline_store::BackendKind::Postgres {
            let (webhooks_in, webhooks) = tokio::sync::mpsc::channel(DELIVERY_QUEUE);
            let (websub_in, websub) = tokio::sync::mpsc::channel(DELIVERY_QUEUE);
            Queues {
                webhooks,
                websub,
                feed: Some((
                    purger.publish_to_feed(),
                    dateline_newsdesk::tasks::feed::DeliveryQueues {
                        webhooks: webhooks_in,
                        websub: websub_in,
                    },
                )),
            }
        } else {
            Queues {
                webhooks: purger.listen("purge webhooks"),
                websub: purger.listen("websub"),
                feed: None,
            }
        };
        // One crypto provider for every TLS client of the process (reqwest
        // for webhooks and WebSub, lettre for mail); a second call is a no-op.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let outbound = reqwest::Client::builder()
            .timeout(OUTBOUND_TIMEOUT)
            .connect_timeout(OUTBOUND_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            // What others answer is never unpacked: a small answer cannot
            // grow into a large one in memory.
            .no_gzip()
            .no_brotli()
            .user_agent(concat!("Dateline/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let subscribers = dateline_newsdesk::tasks::websub::Subscribers::new(
            config.websub_allowed_hosts.clone(),
            OUTBOUND_TIMEOUT,
        )?;
        let desk = Newsdesk::open(
            db.clone(),
            purger,
            dateline_newsdesk::NewsdeskConfig {
                insecure_skip_security_code: config.insecure_skip_security_code,
                media_dir: config.media_dir.clone(),
                password_checks: config.password_checks,
                image_jobs: config.image_jobs,
            },
        )
        .await?;
        let state = AppState(Arc::new(Services {
            desk,
            db,
            search,
            views,
            translations,
            assets,
            compression_memo: edge::compression::CompressionMemo::new(config.compression_memo),
            layouts,
            config,
            setup_token: std::sync::Mutex::new(None),
            page_cache,
            outbound,
            subscribers,
            verifications: Arc::new(tokio::sync::Semaphore::new(
                dateline_newsdesk::tasks::websub::MAX_VERIFICATIONS,
            )),
            counters: Arc::default(),
            queues: std::sync::Mutex::new(Some(queues)),
        }));
        Ok(state)
    }

    /// With no account yet, the path of the one-time link that creates the
    /// first administrator (`/newsroom/setup?token=…`), to print at start.
    pub async fn first_run_link(&self) -> Result<Option<String>, StartError> {
        if self.db.user_count().await? > 0 {
            return Ok(None);
        }
        let token = dateline_core::accounts::random_token()
            .map_err(|e| StartError::Setup(e.to_string()))?;
        let path = format!("/newsroom/setup?token={token}");
        if let Ok(mut slot) = self.setup_token.lock() {
            *slot = Some(token);
        }
        Ok(Some(path))
    }

    pub(crate) fn setup_token_matches(&self, token: &str) -> bool {
        self.setup_token
            .lock()
            .ok()
            .and_then(|slot| slot.clone())
            .is_some_and(|t| !token.is_empty() && t == token)
    }

    pub(crate) fn forget_setup_token(&self) {
        if let Ok(mut slot) = self.setup_token.lock() {
            *slot = None;
        }
    }

    /// The sites as last loaded.
    pub fn network(&self) -> Arc<Network> {
        self.desk.network()
    }
}

/// The whole HTTP surface as one service. The front door answers page
/// cache hits before anything else runs. Behind it, one stack of
/// middleware, composed once (not layer by layer on a router, which would
/// box and clone each layer on every request), ends in site resolution,
/// which rewrites the path (`/ar/politics` is `/politics` of the Arabic
/// edition) before routes are matched.
pub fn app(
    state: AppState,
) -> edge::front_door::FrontDoor<
    impl tower::Service<
        axum::extract::Request,
        Response = axum::response::Response,
        Error = std::convert::Infallible,
        Future: Send,
    > + Clone
    + Send
    + Sync
    + 'static,
> {
    let mut routes = Router::new()
        .merge(api::routes())
        .merge(newsroom::routes())
        .merge(site::websub::routes());
    if state.config.metrics {
        routes = routes.route("/metrics", axum::routing::get(site::metrics::metrics));
    }
    let router = routes.merge(site::routes()).with_state(state.clone());
    let ids = edge::middleware::RequestIds::default();
    let security_headers = http::security_headers();
    // Listed outermost first: the request id is set before anything logs.
    let stack = ServiceBuilder::new()
        .map_response(axum::response::IntoResponse::into_response)
        .layer(SetRequestIdLayer::new(
            edge::front_door::REQUEST_ID,
            ids.clone(),
        ))
        .layer(
            TraceLayer::new_for_http()
                // The path and query as sent, with secret values (one-time
                // links' tokens) kept out of the log.
                // Field values are computed only when the span is logged.
                .make_span_with(|request: &axum::http::Request<_>| {
                    tracing::info_span!(
                        "request",
                        method = %request.method(),
                        uri = %dateline_core::redact::url(
                            request.uri().path_and_query().map_or("/", |p| p.as_str())
                        ),
                        version = ?request.version(),
                    )
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(edge::front_door::REQUEST_ID))
        .layer(CatchPanicLayer::new())
        .map_response(move |mut response: axum::response::Response<_>| {
            let headers = response.headers_mut();
            for (name, value) in &security_headers {
                if !headers.contains_key(name) {
                    headers.insert(name.clone(), value.clone());
                }
            }
            response
        })
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(
            state.config.compression_level as i32,
        )))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            state.config.request_timeout,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            network::resolve_site,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            edge::middleware::error_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            edge::middleware::finish_pages,
        ))
        .service(router);
    edge::front_door::FrontDoor::new(state, ids, stack)
}

/// Serves until `shutdown` completes, then lets open requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let tasks = start_tasks(&state);
    edge::connections::serve(
        listener,
        app(state.clone()),
        state.config.connections,
        shutdown,
    )
    .await;
    tasks.stop().await;
    state.desk.close().await;
    Ok(())
}

/// Starts the background tasks, each with only what it needs.
fn start_tasks(state: &AppState) -> Tasks {
    use dateline_newsdesk::tasks::{
        classify, drop_folder, feed, mail, poll_sources, scheduler, search_sync, webhooks, websub,
    };
    let desk = &state.desk;
    let mut tasks = Tasks::default();
    // Other instances may share a PostgreSQL database: this one's name,
    // for the change feed and the leases (SQLite has one instance).
    let shared: Option<Arc<str>> = (desk.db().backend() == dateline_store::BackendKind::Postgres)
        .then(|| feed::instance_name().into());
    tasks.spawn(
        "search sync",
        search_sync::run(
            desk.db().clone(),
            state.search.clone(),
            desk.db().article_changes(),
            desk.changes().clone(),
            tasks.stop_signal(),
        ),
    );
    tasks.spawn(
        "scheduler",
        scheduler::run(
            desk.db().clone(),
            desk.changes().clone(),
            desk.wakers().clone(),
            tasks.stop_signal(),
        ),
    );
    tasks.spawn(
        "classifier training",
        classify::run(
            desk.db().clone(),
            desk.sites().clone(),
            desk.classifiers().clone(),
            shared.clone(),
            tasks.stop_signal(),
        ),
    );
    if let Some(folder) = &state.config.ingest_dir {
        tasks.spawn(
            "wire drop folders",
            drop_folder::run(desk.clone(), folder.clone(), tasks.stop_signal()),
        );
    }
    tasks.spawn(
        "wire source polling",
        poll_sources::run(
            desk.clone(),
            feed::instance_name().into(),
            tasks.stop_signal(),
        ),
    );
    tasks.spawn(
        "mail",
        mail::run(
            desk.db().clone(),
            mail::Mailer::new(&state.config.smtp_url, &state.config.mail_from),
            desk.wakers().clone(),
            tasks.stop_signal(),
        ),
    );
    let queues = match state.queues.lock() {
        Ok(mut queues) => queues.take(),
        Err(poisoned) => poisoned.into_inner().take(),
    };
    if let Some(queues) = queues {
        if let (Some((feed_queue, deliveries)), Some(origin)) = (queues.feed, shared) {
            tasks.spawn(
                "deliveries from the change feed",
                feed::deliver(
                    desk.db().clone(),
                    origin.clone(),
                    desk.sites().clone(),
                    deliveries,
                    tasks.stop_signal(),
                ),
            );
            tasks.spawn(
                "change feed",
                feed::publish(
                    desk.db().clone(),
                    origin.clone(),
                    feed_queue,
                    tasks.stop_signal(),
                ),
            );
            tasks.spawn(
                "following other instances",
                feed::follow(
                    desk.db().clone(),
                    origin,
                    desk.changes().clone(),
                    tasks.stop_signal(),
                ),
            );
        } else {
            // One server on SQLite, but commands run beside it (`dateline
            // ingest`) announce their changes through the feed.
            tasks.spawn(
                "following other processes",
                feed::follow(
                    desk.db().clone(),
                    feed::instance_name().into(),
                    desk.changes().clone(),
                    tasks.stop_signal(),
                ),
            );
        }
        let hooks = webhooks::Webhooks {
            config: state.config.webhooks.clone(),
            sites: desk.sites().clone(),
            client: state.outbound.clone(),
            counters: state.counters.clone(),
        };
        tasks.spawn(
            "purge webhooks",
            webhooks::run(hooks, queues.webhooks, tasks.stop_signal()),
        );
        if state.config.websub {
            let hub = websub::Distribution::new(
                desk.db().clone(),
                state.subscribers.clone(),
                Arc::new(crate::site::websub::SiteFeeds(state.clone())),
                state.counters.clone(),
            );
            tasks.spawn(
                "websub",
                websub::run(hub, queues.websub, tasks.stop_signal()),
            );
        }
    }
    tasks
}
