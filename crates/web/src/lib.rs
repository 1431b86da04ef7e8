//! Dateline's HTTP surface: the public sites of the network, the newsroom
//! and the content API, with the middleware every response passes
//! through. Handlers are thin: they parse input into domain types, ask the
//! store, and choose a response. `search_sync` keeps the search index in
//! step with storage.

pub mod api;
pub mod assets;
pub mod compression;
pub mod error;
pub mod i18n;
pub mod middleware;
pub mod network;
mod newsroom;
pub mod scheduler;
pub mod search_sync;
mod searching;
mod site;
pub mod views;

use crate::assets::Assets;
use crate::i18n::Translations;
use crate::network::{Network, SiteEntry};
use crate::views::Views;
use axum::Router;
use axum::http::{HeaderName, StatusCode};
use dateline_search::SearchIndex;
use dateline_store::Db;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::CompressionLevel;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};

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
}

/// Why the web layer could not start; each names what to fix.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] dateline_store::StoreError),
    #[error(transparent)]
    Translations(#[from] i18n::I18nError),
    #[error("theme template error: {0:#}")]
    Template(#[from] minijinja::Error),
    #[error("cannot read theme static files: {0}")]
    Assets(#[from] std::io::Error),
}

/// Everything a handler may need. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

pub struct Services {
    pub db: Db,
    /// The full-text index, kept in step with `db` by `search_sync`.
    pub search: Arc<SearchIndex>,
    pub views: Views,
    pub translations: Arc<Translations>,
    pub assets: Assets,
    pub compression_memo: compression::CompressionMemo,
    pub(crate) layouts: site::Layouts,
    pub config: WebConfig,
    /// Wakes the scheduler when an article is scheduled.
    pub scheduler: tokio::sync::Notify,
    network: RwLock<Arc<Network>>,
}

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
        let state = AppState(Arc::new(Services {
            db,
            search,
            views,
            translations,
            assets,
            compression_memo: compression::CompressionMemo::new(config.compression_memo),
            layouts: site::Layouts::default(),
            config,
            scheduler: tokio::sync::Notify::new(),
            network: RwLock::new(Arc::new(Network::default())),
        }));
        state.reload_network().await?;
        Ok(state)
    }

    /// The sites as last loaded.
    pub fn network(&self) -> Arc<Network> {
        match self.network.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Re-reads sites and sections from storage (after settings change).
    pub async fn reload_network(&self) -> Result<(), StartError> {
        let mut sites = Vec::new();
        for site in self.db.sites().await? {
            let sections = self.db.sections(site.id).await?;
            sites.push(Arc::new(SiteEntry { site, sections }));
        }
        let network = Arc::new(Network { sites });
        match self.network.write() {
            Ok(mut guard) => *guard = network,
            Err(poisoned) => *poisoned.into_inner() = network,
        }
        self.layouts.clear();
        Ok(())
    }
}

/// The whole HTTP surface as one service. Site resolution wraps the router
/// because it rewrites the path (`/ar/politics` is `/politics` of the
/// Arabic edition) before routes are matched.
pub fn app(state: AppState) -> Router {
    let router = Router::new()
        .merge(api::routes())
        .merge(newsroom::routes())
        .merge(site::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::finish_pages,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::error_pages,
        ))
        .with_state(state.clone());
    let site_aware = ServiceBuilder::new()
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            network::resolve_site,
        ))
        .service(router);
    let request_id = HeaderName::from_static("x-request-id");
    let mut router = Router::new()
        .fallback_service(site_aware)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(
            state.config.compression_level as i32,
        )));
    for (name, value) in middleware::security_headers() {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    // Listed innermost first: the request id is set before anything logs.
    router
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(SetRequestIdLayer::new(
            request_id,
            middleware::RequestIds::default(),
        ))
}

/// Serves until `shutdown` completes, then lets open requests finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = app(state.clone()).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let indexer = tokio::spawn(search_sync::run(state.clone(), state.db.article_changes()));
    let scheduler = tokio::spawn(scheduler::run(state.clone()));
    let served = axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await;
    scheduler.abort();
    indexer.abort();
    served?;
    state.db.close().await;
    Ok(())
}
