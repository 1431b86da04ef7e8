//! The `dateline` command: parses the command line and configuration, then
//! wires storage and the web layer together. No logic of its own lives here.

mod backup;
mod config;
mod import;
mod ingest;
mod migrate_store;

/// mimalloc: a page render is dozens of small allocations, and glibc's
/// allocator showed up as a quarter of the profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::Context;
use clap::{Parser, Subcommand};
use config::Settings;
use dateline_newsdesk::Newsdesk;
use dateline_newsdesk::accounts::AccessError;
use dateline_newsdesk::data_dir::{DataDir, LockError};
use dateline_search::SearchIndex;
use dateline_store::Db;
use dateline_web::error::cause_chain;
use dateline_web::{AppState, WebConfig};
use std::path::PathBuf;
use std::sync::Arc;
use time::OffsetDateTime;
use tracing_subscriber::EnvFilter;

/// Dateline: a self-hosted news-publishing platform for networks of sites
/// and language editions.
#[derive(Parser)]
#[command(name = "dateline", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Runs the web server. A new, empty data directory is filled with a
    /// demo network (an English site and its Arabic edition) unless
    /// --no-demo is given.
    Serve(ServeArgs),
    /// Manages newsroom accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manages personal tokens for the content API (/api/v1).
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Manages the full-text search index (<data-dir>/search).
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
    /// Copies the data directory's database and media into DEST, a new or
    /// empty directory. The server may be running: the copy holds every
    /// change committed before it began.
    Backup(backup::BackupArgs),
    /// Restores a backup made by `dateline backup` into the data directory.
    ///
    /// Refused while a server runs on the data directory, and into a data
    /// directory that is not empty unless --force. The search index is
    /// rebuilt when the server starts.
    Restore(backup::RestoreArgs),
    /// Copies the data directory's SQLite database into PostgreSQL, then
    /// checks every table's row count on both sides.
    ///
    /// Stop the server first. Safe to run again after an interruption:
    /// what was copied stays, the rest follows. Media stays in the data
    /// directory.
    MigrateStore(migrate_store::MigrateStoreArgs),
    /// Takes wire files (NewsML-G2, ninjs, RSS, Atom) in once, exactly as
    /// a source's drop folder would, printing one line per item: accepted,
    /// updated, skipped, held, killed or refused, with the reason.
    ///
    /// Exits 0 when every file was read, even if items were refused.
    Ingest(ingest::IngestArgs),
    /// Moves a site in from WordPress and Disqus: posts, pages, media,
    /// comments and old addresses, resumable and safe to run again.
    Import {
        #[command(subcommand)]
        command: import::ImportCommand,
    },
}

#[derive(Subcommand)]
enum SearchCommand {
    /// Rebuilds the search index from the database, showing progress.
    ///
    /// The server may be running: searches use the old index until the new
    /// one is complete, and the server's own updates wait meanwhile. A
    /// missing or damaged index is also rebuilt by `serve` at start.
    Reindex(DataArgs),
}

/// Where Dateline keeps its data; every command takes these.
#[derive(clap::Args, Clone)]
struct DataArgs {
    /// Folder holding the database, media files and indexes
    /// [default: ./dateline-data]
    #[arg(long, env = "DATELINE_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// PostgreSQL instead of the data directory's SQLite file:
    /// postgres://user:password@host:port/database
    #[arg(long, env = "DATELINE_DATABASE_URL", value_name = "URL")]
    database_url: Option<String>,
    /// TOML configuration file; settings in it can also be given as
    /// DATELINE_<NAME> environment variables (see docs/configuration.md)
    #[arg(long, env = "DATELINE_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
}

impl DataArgs {
    /// The configuration with these flags applied over it.
    fn settings(&self) -> anyhow::Result<Settings> {
        let mut settings = Settings::load(self.config.as_deref())?;
        if let Some(dir) = &self.data_dir {
            settings.data_dir = dir.clone();
        }
        if let Some(url) = &self.database_url {
            settings.database_url = url.clone();
        }
        Ok(settings)
    }
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Creates a token for an account and prints it once.
    ///
    /// The token acts as its user, with the user's role on the site each
    /// request is for. Only its hash is stored: keep the printed token.
    Add(TokenArgs),
    /// Revokes an account's token by name; requests with it are refused.
    Revoke(TokenArgs),
}

#[derive(clap::Args)]
struct TokenArgs {
    /// E-mail address of the account the token belongs to
    #[arg(long)]
    email: String,
    /// A name for the token, such as the program that uses it
    #[arg(long)]
    name: String,
    /// With `add`: days until the token stops working [default: until
    /// revoked]
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u16).range(1..))]
    expires_days: Option<u16>,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Creates an account with a role on one site or on every site.
    ///
    /// Without --password-stdin a random password is made and printed once.
    Add(UserAddArgs),
}

#[derive(clap::Args)]
struct UserAddArgs {
    /// The person's e-mail address, used to log in
    #[arg(long)]
    email: String,
    /// The name shown in the newsroom and on bylines [default: the e-mail's local part]
    #[arg(long)]
    name: Option<String>,
    /// admin, editor, reporter or moderator
    #[arg(long)]
    role: String,
    /// Key of the site the role is for (repeatable) [default: every site]
    #[arg(long = "site", value_name = "KEY")]
    sites: Vec<String>,
    /// Read the password from the first line of standard input
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Address and port to listen on [default: 127.0.0.1:8080]
    #[arg(long, env = "DATELINE_LISTEN", value_name = "ADDR")]
    listen: Option<String>,
    #[command(flatten)]
    data: DataArgs,
    /// Do not install the demo network into an empty data directory
    #[arg(long, env = "DATELINE_NO_DEMO", value_parser = clap::builder::BoolishValueParser::new())]
    no_demo: bool,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // Ready connections are taken from the kernel a few at a time, and
        // the queue is worked through before asking for more, as an event
        // loop like nginx's does. With tokio's defaults (1,024 events a
        // turn, a look for more every 61 tasks) thousands of ready readers
        // overflow the workers' queues into the shared one, served less
        // often: at 4,000 connections the p99 was 2 to 3 times nginx's; with
        // these it is nginx's (`BENCHMARKS.md`, "Breaking news").
        .max_io_events_per_tick(MAX_IO_EVENTS_PER_TICK)
        .event_interval(TASKS_BETWEEN_IO_POLLS)
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve(args).await,
            Command::User {
                command: UserCommand::Add(args),
            } => add_user(args).await,
            Command::Token {
                command: TokenCommand::Add(args),
            } => add_token(args).await,
            Command::Token {
                command: TokenCommand::Revoke(args),
            } => revoke_token(args).await,
            Command::Search {
                command: SearchCommand::Reindex(args),
            } => reindex(args).await,
            Command::Backup(args) => backup::backup(args).await,
            Command::Restore(args) => backup::restore(args).await,
            Command::MigrateStore(args) => migrate_store::migrate_store(args).await,
            Command::Ingest(args) => ingest::ingest(args).await,
            Command::Import { command } => import::import(command).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let mut settings = args.data.settings()?;
    if let Some(listen) = args.listen {
        settings.listen = listen;
    }
    if args.no_demo {
        settings.demo = false;
    }
    settings.validate()?;
    init_logging(&settings.log);

    let data_dir = &settings.data_dir;
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
    let data = DataDir::new(data_dir);
    // Held while serving, so that `dateline restore` refuses to run.
    let _serving = match data.hold_for_serving() {
        Ok(lock) => Some(lock),
        Err(error @ LockError::Io { .. }) => {
            tracing::warn!(
                error = %cause_chain(&error),
                "serving without the data directory lock: `dateline restore` cannot tell that this server runs"
            );
            None
        }
        Err(error) => return Err(error.into()),
    };
    let media_dir = data.media();
    std::fs::create_dir_all(&media_dir)
        .with_context(|| format!("cannot create media directory {}", media_dir.display()))?;
    let db = open_database(&settings, &data).await?;

    let listener = listen(&settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let address = listener.local_addr()?;

    if settings.demo && db.is_empty().await? {
        install_demo(&db, &media_dir, &settings.public_url).await?;
    }
    let search = open_search(&data)?;
    let state = AppState::load(
        db,
        search,
        WebConfig {
            theme_dir: settings.theme_dir.clone(),
            media_dir,
            compression_level: settings.compression_level,
            compression_memo: settings.compression_memo,
            smtp_url: settings.smtp_url.clone(),
            mail_from: settings.mail_from.clone(),
            client_ip_header: settings.client_ip_header.clone(),
            insecure_skip_security_code: settings.insecure_skip_security_code,
            password_checks: settings.password_checks,
            image_jobs: settings.image_jobs,
            page_cache: dateline_web::edge::page_cache::PageCacheConfig {
                enabled: settings.page_cache,
                max_entries: settings.page_cache_entries,
                max_negative: settings.page_cache_negative_entries,
                max_bytes: settings.page_cache_megabytes.saturating_mul(1024 * 1024),
                ttl: std::time::Duration::from_secs(settings.page_cache_seconds),
            },
            webhooks: dateline_newsdesk::tasks::webhooks::WebhookConfig {
                urls: settings.purge_webhooks.clone(),
                secret: Some(settings.purge_webhook_secret.clone()).filter(|s| !s.is_empty()),
            },
            websub: settings.websub,
            websub_allowed_hosts: settings.websub_allowed_hosts.clone(),
            connections: dateline_web::edge::connections::ConnectionLimits {
                max_connections: settings.max_connections,
                header_timeout: std::time::Duration::from_secs(settings.header_timeout_seconds),
            },
            request_timeout: std::time::Duration::from_secs(settings.request_timeout_seconds),
            metrics: settings.metrics,
            ingest_dir: Some(data.ingest()),
        },
    )
    .await?;
    ingest::declare_sources(&state.desk, &settings.wire_sources).await?;
    tracing::info!(data_dir = %data_dir.display(), "Dateline is ready");
    dateline_newsdesk::tasks::search_sync::prepare(state.desk.db(), &state.search).await;
    let first_run = state.first_run_link().await?;
    // Scripts and tests read this line to learn the port.
    println!("Dateline is listening on http://{address}");
    if let Some(path) = first_run {
        println!(
            "No newsroom account yet: create the first administrator at http://{address}{path} \
             (or run `dateline user add`)"
        );
    }
    dateline_web::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("Dateline stopped");
    Ok(())
}

/// Installs the demo network into an empty database. Instances starting
/// together on one new PostgreSQL database take turns (a lease), and only
/// the first finds it empty.
async fn install_demo(
    db: &Db,
    media_dir: &std::path::Path,
    public_url: &str,
) -> anyhow::Result<()> {
    let me = dateline_newsdesk::tasks::feed::instance_name();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let now = OffsetDateTime::now_utc();
        if db
            .take_lease("install-demo", &me, now, now + time::Duration::minutes(2))
            .await?
        {
            break;
        }
        if std::time::Instant::now() > deadline {
            anyhow::bail!("another instance has been installing the demo for two minutes");
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let installed = if db.is_empty().await? {
        install_demo_files(db, media_dir, public_url)
            .await
            .map(Some)
    } else {
        Ok(None)
    };
    db.release_lease("install-demo", &me).await?;
    if let Some(count) = installed? {
        tracing::info!(articles = count, "installed the demo network");
    }
    Ok(())
}

/// The demo's rows, and on PostgreSQL its images for the other instances.
async fn install_demo_files(
    db: &Db,
    media_dir: &std::path::Path,
    public_url: &str,
) -> anyhow::Result<usize> {
    let count =
        dateline_store::demo::install(db, media_dir, public_url, OffsetDateTime::now_utc()).await?;
    if db.shares_media() {
        dateline_newsdesk::media::share_folder(db, media_dir, "demo", |_| {}).await?;
    }
    Ok(count)
}

/// Opens the search index of the data directory; a missing or damaged one
/// is made anew and refilled from storage by the server in the background.
fn open_search(data: &DataDir) -> anyhow::Result<Arc<SearchIndex>> {
    let opened = SearchIndex::open(&data.search())?;
    if let Some(reason) = &opened.rebuild_reason {
        tracing::warn!(reason = %reason, "the search index will be rebuilt from the database");
    }
    Ok(Arc::new(opened.index))
}

/// `dateline search reindex`: a progress line on standard error, then a
/// summary.
async fn reindex(args: DataArgs) -> anyhow::Result<()> {
    use std::io::Write;
    let settings = args.settings()?;
    let db = open_existing(&settings).await?;
    let opened = SearchIndex::open(&settings.data_dir.join("search"))?;
    if let Some(reason) = &opened.rebuild_reason {
        eprintln!("The old index cannot be used ({reason}); making a new one.");
    }
    let index = Arc::new(opened.index);
    let started = std::time::Instant::now();
    let mut stderr = std::io::stderr();
    let last_shown = std::time::Instant::now() - std::time::Duration::from_secs(1);
    // The server may be writing (its own rebuild at start): wait for it.
    let mut waited = false;
    let count = loop {
        let mut last_shown = last_shown;
        let result = dateline_newsdesk::tasks::search_sync::reindex(&db, &index, |done, total| {
            let now = std::time::Instant::now();
            if done < total && now.duration_since(last_shown).as_millis() < 200 {
                return;
            }
            last_shown = now;
            let percent = (done * 100).checked_div(total).unwrap_or(100);
            let width = 30;
            let filled = (percent as usize * width) / 100;
            let _ = write!(
                stderr,
                "\rIndexing [{}{}] {done}/{total} articles ({percent}%) {:.1} s",
                "#".repeat(filled),
                "-".repeat(width - filled),
                started.elapsed().as_secs_f32()
            );
            let _ = stderr.flush();
        })
        .await;
        match result {
            Err(dateline_newsdesk::tasks::search_sync::SyncError::Search(
                dateline_search::SearchError::Busy,
            )) if started.elapsed() < std::time::Duration::from_secs(600) => {
                if !waited {
                    eprintln!("Another process is writing the index; waiting for it…");
                    waited = true;
                }
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
            result => break result,
        }
    };
    eprintln!();
    db.close().await;
    let count = count.map_err(|e| anyhow::anyhow!("{e:#}"))?;
    let seconds = started.elapsed().as_secs_f32();
    println!(
        "Indexed {count} published articles in {seconds:.1} s ({:.0} articles/s).",
        count as f32 / seconds.max(0.001)
    );
    Ok(())
}

/// `dateline user add`: checks every input before writing anything.
async fn add_user(args: UserAddArgs) -> anyhow::Result<()> {
    use dateline_core::accounts::{Email, NewPassword, Role};
    let settings = args.data.settings()?;
    let email =
        Email::parse(&args.email).map_err(|e| anyhow::anyhow!("--email {:?}: {e}", args.email))?;
    let role = Role::parse(&args.role).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
    let name = args.name.unwrap_or_else(|| {
        email
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_owned()
    });
    if name.trim().is_empty() {
        anyhow::bail!("--name: a name is required");
    }
    let (password, generated) = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        (line.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (
            dateline_core::accounts::random_password()
                .map_err(|e| anyhow::anyhow!("no randomness for a password: {e}"))?,
            true,
        )
    };
    let shown = generated.then(|| password.clone());
    let password = NewPassword::parse(&password).map_err(|e| anyhow::anyhow!("password: {e}"))?;

    let db = open_existing(&settings).await?;
    let sites = db.sites().await?;
    let chosen: Vec<_> = if args.sites.is_empty() {
        sites.iter().collect()
    } else {
        args.sites
            .iter()
            .map(|key| {
                sites.iter().find(|s| &s.key == key).ok_or_else(|| {
                    let known: Vec<&str> = sites.iter().map(|s| s.key.as_str()).collect();
                    anyhow::anyhow!(
                        "--site {key:?}: no such site; sites are {}",
                        known.join(", ")
                    )
                })
            })
            .collect::<anyhow::Result<_>>()?
    };
    if chosen.is_empty() {
        anyhow::bail!(
            "the network has no site yet: start `dateline serve` once (with the demo) first"
        );
    }
    let site_ids: Vec<_> = chosen.iter().map(|s| s.id).collect();
    let desk = Newsdesk::detached(db.clone()).await?;
    let created = desk
        .create_account(&email, &name, password, role, &site_ids)
        .await;
    db.close().await;
    created.map_err(|e| anyhow::anyhow!("{}", cause_chain(&e)))?;
    let keys: Vec<&str> = chosen.iter().map(|s| s.key.as_str()).collect();
    println!(
        "Created {email} ({}) on {}.",
        role.as_str(),
        keys.join(", ")
    );
    if let Some(password) = shown {
        println!("Password: {password} (shown once; log in at /newsroom/login)");
    }
    Ok(())
}

/// The database `serve` runs on: PostgreSQL when a URL is configured,
/// else the data directory's SQLite file (created when missing).
async fn open_database(settings: &Settings, data: &DataDir) -> anyhow::Result<Db> {
    Ok(match settings.database_url.as_str() {
        "" => Db::open_sqlite(&data.database()).await?,
        url => Db::open_url(url).await?,
    })
}

/// The database of an existing installation, for commands other than
/// `serve`: a data directory without a database file is refused rather
/// than filled with an empty one.
/// The application's settings for a command run beside servers: images
/// go where the server keeps them.
pub(crate) fn cli_config(settings: &Settings) -> dateline_newsdesk::NewsdeskConfig {
    dateline_newsdesk::NewsdeskConfig {
        media_dir: DataDir::new(&settings.data_dir).media(),
        image_jobs: settings.image_jobs,
        ..dateline_newsdesk::NewsdeskConfig::default()
    }
}

pub(crate) async fn open_existing(settings: &Settings) -> anyhow::Result<Db> {
    let data = DataDir::new(&settings.data_dir);
    if settings.database_url.is_empty() && !data.database().exists() {
        anyhow::bail!(
            "no database at {}: run `dateline serve` once to create it",
            data.database().display()
        );
    }
    open_database(settings, &data).await
}

/// The account and token name a `token` command names, checked.
async fn token_owner(
    db: &Db,
    args: &TokenArgs,
) -> anyhow::Result<(
    dateline_core::accounts::User,
    dateline_core::accounts::TokenName,
)> {
    use dateline_core::accounts::{Email, TokenName};
    let email =
        Email::parse(&args.email).map_err(|e| anyhow::anyhow!("--email {:?}: {e}", args.email))?;
    let name = TokenName::parse(&args.name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let (user, _) = db.user_by_email(&email).await?.ok_or_else(|| {
        anyhow::anyhow!("--email: no account for {email}; create one with `dateline user add`")
    })?;
    Ok((user, name))
}

/// `dateline token add`: prints a new token once; only its hash is kept.
async fn add_token(args: TokenArgs) -> anyhow::Result<()> {
    let db = open_existing(&args.data.settings()?).await?;
    let (user, name) = token_owner(&db, &args).await?;
    let desk = Newsdesk::detached(db.clone()).await?;
    let lifetime = args
        .expires_days
        .map(|days| time::Duration::days(i64::from(days)));
    let created = desk.issue_api_token(user.id, &name, lifetime).await;
    db.close().await;
    let token = match created {
        Ok(token) => token,
        Err(AccessError::TokenNameTaken) => anyhow::bail!(
            "--name: there is already a token named {:?} for {}",
            name.as_str(),
            user.email
        ),
        Err(other) => anyhow::bail!("{}", cause_chain(&other)),
    };
    println!("Created the token {:?} for {}.", name.as_str(), user.email);
    println!(
        "Token: {} (shown once; send it as `Authorization: Bearer <token>`)",
        token.token
    );
    Ok(())
}

/// `dateline token revoke`: the token stops working at once.
async fn revoke_token(args: TokenArgs) -> anyhow::Result<()> {
    let db = open_existing(&args.data.settings()?).await?;
    let (user, name) = token_owner(&db, &args).await?;
    let desk = Newsdesk::detached(db.clone()).await?;
    let revoked = desk.revoke_api_token(user.id, &name).await;
    db.close().await;
    if !revoked? {
        anyhow::bail!(
            "--name: {} has no token named {:?}",
            user.email,
            name.as_str()
        );
    }
    println!("Revoked the token {:?} of {}.", name.as_str(), user.email);
    Ok(())
}

fn init_logging(default_level: &str) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    // Colours only for a person at a terminal, not in journald or files.
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colours)
        .init();
}

/// Completes on SIGTERM (service managers, containers) or Ctrl-C.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing open requests");
}

/// Readiness events taken from the kernel at a time (tokio: 1,024).
const MAX_IO_EVENTS_PER_TICK: usize = 64;
/// Tasks a worker runs before it asks the kernel for more events even if
/// its queue is not empty (tokio: 61); with an empty queue it asks at once.
const TASKS_BETWEEN_IO_POLLS: u32 = 1000;

/// Connections the kernel may hold for the server before it accepts them
/// (capped by `net.core.somaxconn`). When a story breaks, thousands of
/// readers connect in the same second; with the usual 128 the kernel
/// drops the rest of the handshakes, and those readers wait 1, 3 or 7
/// seconds for their retries (seen in `bench/spike.sh`).
const LISTEN_BACKLOG: u32 = 4096;

/// Listens on `address` (`host:port`) with [`LISTEN_BACKLOG`].
async fn listen(address: &str) -> std::io::Result<tokio::net::TcpListener> {
    let mut last_error = None;
    for candidate in tokio::net::lookup_host(address).await? {
        let socket = if candidate.is_ipv4() {
            tokio::net::TcpSocket::new_v4()?
        } else {
            tokio::net::TcpSocket::new_v6()?
        };
        // As std and tokio do: a restarted server may take its port back
        // while old connections linger in TIME_WAIT.
        socket.set_reuseaddr(true)?;
        match socket.bind(candidate) {
            Ok(()) => return socket.listen(LISTEN_BACKLOG),
            Err(error) => last_error = Some(error),
        }
    }
    Err(last_error.unwrap_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::NotFound, "the address names no host")
    }))
}
