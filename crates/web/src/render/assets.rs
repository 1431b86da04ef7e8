//! Static files of the theme (CSS, icons), built in and overridable by the
//! theme folder. URLs carry a content hash so browsers and CDNs can keep
//! them for a year.

use include_dir::{Dir, include_dir};
use std::collections::HashMap;
use std::path::Path;

static DEFAULT_STATIC: Dir<'static> =
    include_dir!("$CARGO_MANIFEST_DIR/../../themes/default/static");

/// One static file ready to serve.
pub struct Asset {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// Short content hash, used as the `v` query parameter of its URL.
    pub version: String,
}

/// All static files by name.
pub struct Assets {
    files: HashMap<String, Asset>,
}

impl Assets {
    /// Built-in files, each replaced by the theme's file of the same name.
    pub fn load(theme_dir: Option<&Path>) -> std::io::Result<Assets> {
        let mut files = HashMap::new();
        for file in DEFAULT_STATIC.files() {
            let name = file.path().display().to_string();
            files.insert(name.clone(), asset(&name, file.contents().to_vec()));
        }
        if let Some(dir) = theme_dir {
            let folder = dir.join("static");
            if let Ok(entries) = std::fs::read_dir(&folder) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.is_file() {
                        let name = entry.file_name().to_string_lossy().into_owned();
                        files.insert(name.clone(), asset(&name, std::fs::read(&path)?));
                    }
                }
            }
        }
        Ok(Assets { files })
    }

    pub fn get(&self, name: &str) -> Option<&Asset> {
        self.files.get(name)
    }

    /// The cache-busting URL of a file, e.g. `/static/site.css?v=1a2b3c4d`.
    pub fn url(&self, name: &str) -> String {
        match self.files.get(name) {
            Some(asset) => format!("/static/{name}?v={}", asset.version),
            None => format!("/static/{name}"),
        }
    }
}

fn asset(name: &str, bytes: Vec<u8>) -> Asset {
    let version = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))[..10].to_owned();
    let content_type = match name.rsplit('.').next().unwrap_or("") {
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    Asset {
        bytes,
        content_type,
        version,
    }
}
