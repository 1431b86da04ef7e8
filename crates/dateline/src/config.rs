//! Configuration: built-in defaults, then a TOML file, then `DATELINE_*`
//! environment variables, then command-line flags. No file is needed.

use anyhow::Context;
use dateline_core::wire::{CheckedSource, SourceInput};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on.
    pub listen: String,
    /// The data directory; every other path derives from it.
    pub data_dir: PathBuf,
    /// `postgres://…` to keep the database in PostgreSQL; empty: SQLite
    /// in the data directory (`docs/storage.md`).
    pub database_url: String,
    /// Public base URL for canonical links; empty means `http://<listen>`.
    pub public_url: String,
    /// A theme folder overriding built-in templates, static files and
    /// translations.
    pub theme_dir: Option<PathBuf>,
    /// gzip/brotli level for responses, 1 (fastest) to 9.
    pub compression_level: u32,
    /// Recently compressed pages remembered by content (0: compress every
    /// response anew).
    pub compression_memo: usize,
    /// Install the demo network into an empty data directory.
    pub demo: bool,
    /// Log filter when RUST_LOG is not set (`info`, `warn`, `dateline_web=debug`).
    pub log: String,
    /// Where mail goes: `smtp://host:25` (plain), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host:465`. Empty: mail waits in the outbox.
    pub smtp_url: String,
    /// The sender of Dateline's mail.
    pub mail_from: String,
    /// A header a reverse proxy in front sets to the reader's address
    /// (`X-Real-IP`, `CF-Connecting-IP`). Empty: the connection's address.
    /// Set it only behind a proxy that overwrites the header.
    pub client_ip_header: String,
    /// For benchmarks only: accept comments without a security code.
    /// Never in production; the server warns at start when it is on.
    pub insecure_skip_security_code: bool,
    /// Password checks (Argon2id, about 19 MiB each) that may run at once;
    /// 0: two per core. Logins past them are told to retry.
    pub password_checks: usize,
    /// Uploaded images decoded and resized at once (each can take hundreds
    /// of megabytes); 0: one per core. Twice as many may wait; more are
    /// told to retry.
    pub image_jobs: usize,
    /// Keep rendered public pages in memory (`docs/caching.md`).
    pub page_cache: bool,
    /// Most pages the page cache holds.
    pub page_cache_entries: usize,
    /// Most addresses the page cache remembers as not cacheable (404s,
    /// errors), kept apart from the pages.
    pub page_cache_negative_entries: usize,
    /// Most megabytes of pages the page cache holds.
    pub page_cache_megabytes: usize,
    /// Seconds a cached page lives without a purge: bounds what writes of
    /// other processes leave stale.
    pub page_cache_seconds: u64,
    /// URLs that receive every purge as a JSON POST.
    pub purge_webhooks: Vec<String>,
    /// Signs purge webhook bodies (`X-Dateline-Signature`) when not empty.
    pub purge_webhook_secret: String,
    /// Serve a WebSub hub at `/websub` of each site and name it in feeds.
    pub websub: bool,
    /// Hosts the WebSub hub may call although they are private (loopback,
    /// private networks): an in-house aggregator. Others are refused.
    pub websub_allowed_hosts: Vec<String>,
    /// Connections served at once; past it new ones wait in the listen
    /// queue.
    pub max_connections: usize,
    /// Seconds a client may take to send a request's headers, counted from
    /// when its connection is ready for a request (so also how long a
    /// kept-alive connection may stay idle).
    pub header_timeout_seconds: u64,
    /// Seconds to read a request's body and answer it.
    pub request_timeout_seconds: u64,
    /// Serve `/metrics` (page cache and delivery counters).
    pub metrics: bool,
    /// Wire sources (`[[wire_sources]]` tables): made, or set as written
    /// here, by `serve` at start and by `ingest` (`docs/ingest.md`).
    pub wire_sources: Vec<WireSourceSetting>,
}

/// A wire source as the configuration file declares it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireSourceSetting {
    /// Its drop folder is `<data-dir>/ingest/<name>/`.
    pub name: String,
    /// Key of the site it feeds; items in another edition's language go
    /// to that edition.
    pub site: String,
    /// Shown to editors, and the credit when an item names none; empty:
    /// the name in capitals.
    #[serde(default)]
    pub label: String,
    /// `queue` (for the wire desk) or `publish` (at once).
    #[serde(default = "WireSourceSetting::queue")]
    pub mode: String,
    /// `desk` (an editor chooses) or `wire` (applied) for updates to a
    /// story the desk edited.
    #[serde(default = "WireSourceSetting::desk")]
    pub updates: String,
    /// An `http(s)://` address polled for files (NewsML-G2, ninjs, RSS,
    /// Atom) with `ETag`/`If-Modified-Since`; empty: the drop folder only.
    #[serde(default)]
    pub url: String,
    /// Seconds between polls of `url`, 1 to 86400.
    #[serde(default = "WireSourceSetting::poll_seconds")]
    pub poll_seconds: u64,
}

impl WireSourceSetting {
    /// The settings checked by the newsroom form's rules.
    pub fn check(&self) -> anyhow::Result<CheckedSource> {
        let input = SourceInput {
            name: self.name.clone(),
            label: self.label.clone(),
            mode: self.mode.clone(),
            updates: self.updates.clone(),
            url: self.url.clone(),
            poll_seconds: self.poll_seconds.to_string(),
        };
        input.check().map_err(|errors| {
            let problems: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.english()))
                .collect();
            anyhow::anyhow!("wire_sources: {:?}: {}", self.name, problems.join("; "))
        })
    }

    fn poll_seconds() -> u64 {
        300
    }

    fn queue() -> String {
        "queue".into()
    }

    fn desk() -> String {
        "desk".into()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./dateline-data"),
            database_url: String::new(),
            public_url: String::new(),
            theme_dir: None,
            compression_level: 4,
            compression_memo: 256,
            demo: true,
            log: "info".into(),
            smtp_url: String::new(),
            mail_from: "Dateline <no-reply@localhost>".into(),
            client_ip_header: String::new(),
            insecure_skip_security_code: false,
            password_checks: 0,
            image_jobs: 0,
            page_cache: true,
            page_cache_entries: 5_000,
            page_cache_negative_entries: 10_000,
            page_cache_megabytes: 256,
            page_cache_seconds: 2,
            purge_webhooks: Vec::new(),
            purge_webhook_secret: String::new(),
            websub: true,
            websub_allowed_hosts: Vec::new(),
            max_connections: 8_192,
            header_timeout_seconds: 10,
            request_timeout_seconds: 30,
            metrics: false,
            wire_sources: Vec::new(),
        }
    }
}

/// Environment variables read by the command line itself, not settings.
const CLI_ONLY_VARIABLES: [&str; 2] = ["CONFIG", "NO_DEMO"];

impl Settings {
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(file) = file {
            if !file.is_file() {
                anyhow::bail!("configuration file {} does not exist", file.display());
            }
            figment = figment.merge(Toml::file_exact(file));
        }
        figment = figment.merge(Env::prefixed("DATELINE_").filter(|key| {
            !CLI_ONLY_VARIABLES
                .iter()
                .any(|k| key.as_str().eq_ignore_ascii_case(k))
        }));
        figment
            .extract()
            .map_err(|error| anyhow::anyhow!(describe(error)))
            .context("invalid configuration")
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        if !(1..=9).contains(&self.compression_level) {
            anyhow::bail!(
                "compression_level must be from 1 to 9, not {}",
                self.compression_level
            );
        }
        if !(1..=3600).contains(&self.page_cache_seconds) {
            anyhow::bail!(
                "page_cache_seconds must be from 1 to 3600, not {}",
                self.page_cache_seconds
            );
        }
        if self.max_connections == 0 {
            anyhow::bail!("max_connections must be at least 1");
        }
        for (name, seconds) in [
            ("header_timeout_seconds", self.header_timeout_seconds),
            ("request_timeout_seconds", self.request_timeout_seconds),
        ] {
            if !(1..=3600).contains(&seconds) {
                anyhow::bail!("{name} must be from 1 to 3600, not {seconds}");
            }
        }
        for url in &self.purge_webhooks {
            let rest = url
                .strip_prefix("https://")
                .or_else(|| url.strip_prefix("http://"));
            if rest.is_none_or(str::is_empty) {
                anyhow::bail!("purge_webhooks: {url:?} is not an http:// or https:// URL");
            }
        }
        for source in &self.wire_sources {
            source.check()?;
        }
        if let Some(theme) = &self.theme_dir
            && !theme.is_dir()
        {
            anyhow::bail!("theme_dir {} is not a folder", theme.display());
        }
        Ok(())
    }
}

/// Figment errors name the key and where its value came from (file and
/// key, or environment variable); keep every message.
fn describe(error: figment::Error) -> String {
    error
        .into_iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_no_file() {
        let settings = Settings::load(None).unwrap();
        assert_eq!(settings.listen, "127.0.0.1:8080");
        assert!(settings.demo);
    }

    #[test]
    fn purge_webhooks_come_from_a_file_as_a_list() {
        let dir =
            std::env::temp_dir().join(format!("dateline-config-hooks-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("hooks.toml");
        std::fs::write(
            &file,
            "purge_webhooks = [\"http://127.0.0.1:9000/purge\"]\npage_cache = false\n",
        )
        .unwrap();
        let settings = Settings::load(Some(&file)).unwrap();
        assert_eq!(settings.purge_webhooks, ["http://127.0.0.1:9000/purge"]);
        assert!(!settings.page_cache);
        settings.validate().unwrap();
        let bad = Settings {
            purge_webhooks: vec!["ftp://x".into()],
            ..Settings::default()
        };
        assert!(
            bad.validate()
                .unwrap_err()
                .to_string()
                .contains("purge_webhooks")
        );
    }

    #[test]
    fn a_bad_value_in_a_file_is_reported_with_its_key_and_file() {
        let dir = std::env::temp_dir().join(format!("dateline-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.toml");
        std::fs::write(&file, "compression_level = \"high\"\n").unwrap();
        let error = format!("{:#}", Settings::load(Some(&file)).unwrap_err());
        assert!(error.contains("compression_level"), "{error}");
        assert!(error.contains("bad.toml"), "{error}");
        std::fs::write(&file, "colour = 3\n").unwrap();
        let error = format!("{:#}", Settings::load(Some(&file)).unwrap_err());
        assert!(error.contains("colour"), "{error}");
    }
}
