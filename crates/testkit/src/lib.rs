//! Test helpers: the real `dateline` binary started on a random port against
//! a temporary data directory, ready actors on it (`TestApp`: a reader,
//! a reporter, an editor, a moderator, an admin of each site), a headless
//! Chromium driven over WebDriver and a real SMTP server. Tests talk to
//! them exactly as users and browsers do.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // test support: failing loudly is the point

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod app;
mod browser;
mod page;
mod proxy;
pub use app::{
    Answer, COMMENT, PASSWORD, Person, Reader, Staff, TestApp, first_option, get, log_in, post,
    public_path, session_cookie,
};
pub use browser::Browser;
pub use fantoccini::Locator;
pub use page::{
    article_id, article_links, between, form, links, percent_decode, row_id, saved_article_id,
};
pub use proxy::{Nginx, free_port};

/// A running Dateline server; killed (with its data directory removed)
/// when dropped.
pub struct TestServer {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    data_dir: tempfile::TempDir,
    /// The PostgreSQL database the server runs on, when the tests run on
    /// that backend ([`test_database_url`]); else the data directory's
    /// SQLite file.
    database_url: Option<String>,
    binary: PathBuf,
    extra_args: Vec<String>,
    envs: Vec<(String, String)>,
    /// Everything the server printed on standard output.
    output: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

/// How to start a server.
pub struct ServerOptions {
    /// Install the demo network into the empty data directory.
    pub demo: bool,
    /// More arguments to `dateline serve`.
    pub args: Vec<String>,
    /// Environment variables (`DATELINE_…` settings) for the server.
    pub envs: Vec<(String, String)>,
    /// The database the server runs on.
    pub database: TestDatabase,
}

/// Which database a test server runs on.
#[derive(Debug, Clone, Default)]
pub enum TestDatabase {
    /// The suite's backend ([`test_database_url`]).
    #[default]
    OfTheSuite,
    /// The data directory's SQLite file, whatever the suite's backend.
    Sqlite,
    /// This PostgreSQL database.
    Postgres(String),
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            demo: true,
            args: Vec::new(),
            envs: Vec::new(),
            database: TestDatabase::default(),
        }
    }
}

impl TestServer {
    /// Starts `binary serve` with the demo network on a free port.
    pub fn start(binary: &str) -> TestServer {
        TestServer::start_with(binary, ServerOptions::default())
    }

    /// Starts `binary serve` as `options` say, on a free port.
    pub fn start_with(binary: &str, options: ServerOptions) -> TestServer {
        TestServer::start_on(binary, temporary_dir("dateline-test-"), options)
    }

    /// Starts `binary serve` as `options` say on `data_dir`, a data
    /// directory prepared beforehand (a restored backup); removed when
    /// the server is dropped.
    pub fn start_on(
        binary: &str,
        data_dir: tempfile::TempDir,
        options: ServerOptions,
    ) -> TestServer {
        let mut args = options.args;
        if !options.demo {
            args.push("--no-demo".into());
        }
        let mut server = TestServer {
            child: None,
            base: String::new(),
            data_dir,
            database_url: match options.database {
                TestDatabase::OfTheSuite => test_database_url(),
                TestDatabase::Sqlite => None,
                TestDatabase::Postgres(url) => Some(url),
            },
            binary: PathBuf::from(binary),
            extra_args: args,
            envs: options.envs,
            output: Default::default(),
        };
        server.launch();
        server
    }

    fn launch(&mut self) {
        let mut command = Command::new(&self.binary);
        command
            .arg("serve")
            .arg("--listen")
            .arg("127.0.0.1:0")
            .arg("--data-dir")
            .arg(self.data_dir.path())
            .args(&self.extra_args)
            .env_remove("DATELINE_LISTEN")
            .env_remove("DATELINE_DATA_DIR")
            .env_remove("DATELINE_DATABASE_URL")
            .env(
                "RUST_LOG",
                std::env::var("TEST_LOG").unwrap_or_else(|_| "warn".into()),
            )
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("TEST_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            });
        if let Some(url) = &self.database_url {
            command.env("DATELINE_DATABASE_URL", url);
        }
        for (key, value) in &self.envs {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start the dateline binary");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        let output = self.output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Dateline is listening on ") {
                    let _ = tx.send(url.trim().to_owned());
                }
                if let Ok(mut lines) = output.lock() {
                    lines.push(line);
                }
            }
        });
        let base = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| {
            let status = child.try_wait().ok().flatten();
            let _ = child.kill();
            panic!("dateline did not report its address within 60 s (exit status: {status:?}); run with TEST_LOG=info to see its log")
        });
        self.base = base;
        self.child = Some(child);
    }

    /// The lines the server printed on standard output so far.
    pub fn printed(&self) -> Vec<String> {
        self.output.lock().map(|l| l.clone()).unwrap_or_default()
    }

    /// The absolute URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server's data directory (for the command line's `--data-dir`).
    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// The `dateline` binary the server runs (for its other commands).
    pub fn binary(&self) -> &Path {
        &self.binary
    }

    /// `dateline` on the server's data (its data directory and, on
    /// PostgreSQL, its database), for commands other than `serve`.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.binary);
        command.env("DATELINE_DATA_DIR", self.data_dir.path());
        match &self.database_url {
            Some(url) => command.env("DATELINE_DATABASE_URL", url),
            None => command.env_remove("DATELINE_DATABASE_URL"),
        };
        command
    }

    /// The PostgreSQL database the server runs on, if it does.
    pub fn database_url(&self) -> Option<&str> {
        self.database_url.as_deref()
    }

    /// The most memory the server's process has held so far (its peak
    /// resident set, Linux's `VmHWM`), if it runs and that can be read.
    pub fn peak_memory_bytes(&self) -> Option<u64> {
        let pid = self.child.as_ref()?.id();
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib * 1024)
    }

    /// Sends SIGTERM and waits for the process to exit; returns whether it
    /// exited successfully.
    pub fn terminate(&mut self) -> bool {
        let Some(mut child) = self.child.take() else {
            return false;
        };
        let _ = Command::new("kill")
            .args(["-s", "TERM", "--"])
            .arg(child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                return false;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the process without warning (`kill -9`).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same data directory (new port).
    pub fn restart(&mut self) {
        self.kill();
        self.launch();
    }

    /// Starts the server again on the same data directory with another
    /// database: `Some(url)` for PostgreSQL, `None` for the SQLite file.
    pub fn restart_on(&mut self, database_url: Option<String>) {
        self.kill();
        self.database_url = database_url;
        self.launch();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A new database on the test PostgreSQL server when the tests run on that
/// backend (`TEST_DATABASE=postgres`, with the server's URL in
/// `TEST_POSTGRES_URL`, as `scripts/test` sets them); `None`: the
/// data directory's SQLite file.
pub fn test_database_url() -> Option<String> {
    match std::env::var("TEST_DATABASE").as_deref() {
        Ok("postgres") => {}
        Ok("sqlite") | Err(_) => return None,
        Ok(other) => panic!("TEST_DATABASE={other:?}: use sqlite or postgres"),
    }
    Some(scratch_postgres_database().expect(
        "TEST_POSTGRES_URL names the test PostgreSQL server (scripts/postgres start prints it)",
    ))
}

/// A new, empty database on the test PostgreSQL server, if
/// `TEST_POSTGRES_URL` names one (`scripts/test` sets it for every pass).
pub fn scratch_postgres_database() -> Option<String> {
    let server = std::env::var("TEST_POSTGRES_URL").ok()?;
    // Unique across runs too: a developer's server may keep old ones.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let name = format!("{}_{nanos}", unique_name("dateline_e2e").replace('-', "_"));
    let out = Command::new("psql")
        .arg(&server)
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-c"])
        .arg(format!("CREATE DATABASE {name}"))
        .output()
        .expect("run psql to create a test database");
    assert!(
        out.status.success(),
        "psql could not create {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (base, query) = server.split_once('?').unwrap_or((&server, ""));
    let (host, _) = base.rsplit_once('/').expect("a database in the server URL");
    Some(match query {
        "" => format!("{host}/{name}"),
        query => format!("{host}/{name}?{query}"),
    })
}

/// A new empty directory, removed when dropped.
pub fn temporary_dir(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .expect("a temporary directory")
}

/// reqwest is built with rustls but no crypto provider chosen (the
/// server installs ring at start); test clients need one too.
fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// An HTTP client that follows redirects and decompresses, as browsers do.
pub fn client() -> reqwest::Client {
    install_tls_provider();
    reqwest::Client::new()
}

/// An HTTP client that neither follows redirects nor decompresses, so tests
/// see exactly what the server sent.
pub fn raw_client() -> reqwest::Client {
    install_tls_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_gzip()
        .no_brotli()
        .build()
        .expect("http client")
}

/// A unique scratch directory name for this process (browser profiles).
pub fn unique_name(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A real SMTP server for tests: Python's aiosmtpd writing each message
/// to a Maildir (`scripts/test` installs it). Stopped when dropped.
pub struct SmtpSink {
    child: std::process::Child,
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
    dir: tempfile::TempDir,
}

impl SmtpSink {
    /// Starts aiosmtpd on a free port with an empty Maildir.
    pub fn start() -> SmtpSink {
        let dir = tempfile::Builder::new()
            .prefix("dateline-mail-")
            .tempdir()
            .expect("mail directory");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let mut child = std::process::Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            // A folder that does not exist yet: Maildir makes it whole.
            .arg(dir.path().join("maildir"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("python3 runs aiosmtpd");
        for _ in 0..100 {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("aiosmtpd stopped ({status}); is it installed? pip install aiosmtpd");
            }
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return SmtpSink { child, port, dir };
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("aiosmtpd did not listen on port {port}");
    }

    /// `smtp://` URL of the server, for `DATELINE_SMTP_URL`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, raw (headers and body, LF lines).
    pub fn messages(&self) -> Vec<String> {
        let folder = self.dir.path().join("maildir").join("new");
        let mut files: Vec<_> = std::fs::read_dir(&folder)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        files
            .iter()
            .filter_map(|f| std::fs::read_to_string(f).ok())
            .map(|m| m.replace("\r\n", "\n"))
            .collect()
    }

    /// Waits (ten seconds at most) for a message to `recipient`.
    pub async fn wait_for(&self, recipient: &str) -> Option<String> {
        for _ in 0..100 {
            if let Some(message) = self.messages().into_iter().find(|m| {
                m.lines()
                    .any(|l| l.starts_with("To:") && l.contains(recipient))
            }) {
                return Some(message);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        None
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body of a mail with quoted-printable soft breaks and escapes undone.
pub fn mail_body(message: &str) -> String {
    let body = message.split_once("\n\n").map_or("", |(_, b)| b);
    let quoted = message
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: quoted-printable");
    if !quoted {
        return body.to_owned();
    }
    page::decode_escapes(&body.replace("=\n", ""), b'=')
}
