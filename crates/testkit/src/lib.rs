//! Test helpers: the real `dateline` binary started on a random port against
//! a temporary data directory, and a headless Chromium driven over
//! WebDriver. Tests talk to both exactly as users and browsers do.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // test support: failing loudly is the point

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod browser;
pub use browser::Browser;
pub use fantoccini::Locator;

/// A running Dateline server; killed (with its data directory removed)
/// when dropped.
pub struct TestServer {
    child: Option<Child>,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    data_dir: tempfile::TempDir,
    binary: PathBuf,
    extra_args: Vec<String>,
    envs: Vec<(String, String)>,
}

/// How to start a server.
pub struct ServerOptions {
    pub demo: bool,
    pub args: Vec<String>,
    pub envs: Vec<(String, String)>,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            demo: true,
            args: Vec::new(),
            envs: Vec::new(),
        }
    }
}

impl TestServer {
    /// Starts `binary serve` with the demo network on a free port.
    pub fn start(binary: &str) -> TestServer {
        TestServer::start_with(binary, ServerOptions::default())
    }

    pub fn start_with(binary: &str, options: ServerOptions) -> TestServer {
        let data_dir = tempfile::Builder::new()
            .prefix("dateline-test-")
            .tempdir()
            .expect("temporary data directory");
        let mut args = options.args;
        if !options.demo {
            args.push("--no-demo".into());
        }
        let mut server = TestServer {
            child: None,
            base: String::new(),
            data_dir,
            binary: PathBuf::from(binary),
            extra_args: args,
            envs: options.envs,
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
        for (key, value) in &self.envs {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("start the dateline binary");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("Dateline is listening on ") {
                    let _ = tx.send(url.trim().to_owned());
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

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
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
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An HTTP client that neither follows redirects nor decompresses, so tests
/// see exactly what the server sent.
pub fn raw_client() -> reqwest::Client {
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
