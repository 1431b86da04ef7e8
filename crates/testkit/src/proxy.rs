//! A real nginx in front of test servers, as operators run it.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// nginx (Debian's, `scripts/test` installs it) on a free loopback port,
/// running a site configuration with its upstream servers and listen
/// address replaced; stopped when dropped.
pub struct Nginx {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    _dir: tempfile::TempDir,
}

impl Nginx {
    /// Runs `site_conf` (an `upstream` and a `server` block, as
    /// `deploy/nginx-dateline.conf`) with each of `replacements`
    /// `(from, to)` applied and its `listen 80;` moved to a free port.
    pub fn start(site_conf: &str, replacements: &[(&str, &str)]) -> Nginx {
        let dir = tempfile::Builder::new()
            .prefix("dateline-nginx-")
            .tempdir()
            .expect("a temporary directory");
        let port = free_port();
        let mut site = site_conf.replace("listen 80;", &format!("listen 127.0.0.1:{port};"));
        for (from, to) in replacements {
            assert!(site.contains(from), "the configuration has no {from:?}");
            site = site.replace(from, to);
        }
        let path = dir.path();
        let conf = format!(
            "daemon off; worker_processes 1; pid {p}/nginx.pid; error_log {p}/error.log warn;\n\
             events {{ worker_connections 1024; }}\n\
             http {{ access_log off; client_body_temp_path {p}/body; proxy_temp_path {p}/proxy;\n\
             fastcgi_temp_path {p}/fastcgi; uwsgi_temp_path {p}/uwsgi; scgi_temp_path {p}/scgi;\n\
             {site}\n}}\n",
            p = path.display()
        );
        std::fs::write(path.join("nginx.conf"), conf).expect("write nginx.conf");
        let child = Command::new("nginx")
            .arg("-p")
            .arg(path)
            .arg("-e")
            .arg(path.join("error.log"))
            .arg("-c")
            .arg(path.join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start nginx (scripts/test installs it)");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "nginx did not listen: {}",
                std::fs::read_to_string(path.join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Nginx {
            child,
            base: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }

    /// The absolute URL of `path` through nginx.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-s", "QUIT", "--"])
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nothing listens on (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
