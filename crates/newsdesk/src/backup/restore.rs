//! `dateline restore`: a backup made by [`super::back_up`] checked whole,
//! then copied into a data directory that no server is using.

use super::files::{FileError, copy_tree, file_error, missing_files, sync_dir, sync_file};
use super::{FORMAT, MANIFEST, Manifest};
use crate::data_dir::{DATABASE, DataDir, LOCK, LockError, MEDIA};
use dateline_store::StoreError;
use dateline_store::backup::DatabaseSummary;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// Why a backup was not restored.
#[derive(Debug, thiserror::Error)]
pub enum RestoreError {
    #[error("{} is not a Dateline backup: {reason}", path.display())]
    NotABackup { path: PathBuf, reason: &'static str },
    #[error("cannot read the manifest {}", path.display())]
    Manifest {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error(
        "{} was made by a newer Dateline ({version}, backup format {found}; this one reads format {FORMAT})",
        path.display()
    )]
    NewerFormat {
        path: PathBuf,
        version: String,
        found: u32,
    },
    #[error(
        "the database in {} is at schema {found}, newer than this Dateline's {known}: \
         restore it with Dateline {version} or later",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        version: String,
        found: i64,
        known: i64,
    },
    #[error(
        "the database {} does not match its manifest (manifest: {manifest:?}; database: {found:?}): \
         the backup is damaged or mixed up",
        path.display()
    )]
    Mismatch {
        path: PathBuf,
        manifest: DatabaseSummary,
        found: DatabaseSummary,
    },
    #[error(transparent)]
    Database(StoreError),
    #[error(
        "{count} media files the backup's database names are missing from {}, first {first}",
        media.display()
    )]
    Incomplete {
        media: PathBuf,
        count: usize,
        first: String,
    },
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The caller may allow moving what is there aside (to `aside`).
    #[error(
        "the data directory {} is not empty: restore into a new or empty directory",
        data_dir.display()
    )]
    NotEmpty { data_dir: PathBuf, aside: PathBuf },
    #[error(transparent)]
    File(#[from] FileError),
    #[error("a blocking task stopped")]
    Blocking(#[from] tokio::task::JoinError),
}

/// A finished restore.
#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub manifest: Manifest,
    /// Where what the data directory held before was moved.
    pub moved_aside: Option<PathBuf>,
}

/// Restores the backup in `source` into `data`.
///
/// Checked first, before the data directory is touched: the manifest, a
/// schema this binary knows, the database's integrity and agreement with
/// the manifest, every media file it names. Then the data directory is
/// taken alone (refused while a server uses it); if it holds anything,
/// that is refused unless `move_aside`, which moves it to a sibling
/// `<name>.before-restore-<time>` (never deleted). The copy is made in a
/// hidden folder inside the data directory and moved into place, the
/// database last. The search index is not restored: the server rebuilds
/// it at start.
pub async fn restore(
    source: &Path,
    data: &DataDir,
    move_aside: bool,
) -> Result<RestoreReport, RestoreError> {
    let manifest = read_manifest(source)?;
    let database = source.join(DATABASE);
    let inspection = dateline_store::backup::inspect(&database)
        .await
        .map_err(RestoreError::Database)?;
    if inspection.summary != manifest.database {
        return Err(RestoreError::Mismatch {
            path: database,
            manifest: manifest.database,
            found: inspection.summary,
        });
    }
    let media = source.join(MEDIA);
    let missing: Vec<String> = missing_files(&media, &inspection.media_files)
        .into_iter()
        .filter(|path| !manifest.missing_media.contains(path))
        .collect();
    if let Some(first) = missing.first() {
        return Err(RestoreError::Incomplete {
            media,
            count: missing.len(),
            first: first.clone(),
        });
    }
    let data = data.clone();
    let source = source.to_owned();
    tokio::task::spawn_blocking(move || {
        let moved_aside = copy_in(&source, &data, move_aside)?;
        Ok(RestoreReport {
            manifest,
            moved_aside,
        })
    })
    .await?
}

/// The manifest of the backup in `source`, if this Dateline can restore it.
fn read_manifest(source: &Path) -> Result<Manifest, RestoreError> {
    if !source.is_dir() {
        return Err(RestoreError::NotABackup {
            path: source.to_owned(),
            reason: "it is not a directory",
        });
    }
    let path = source.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|_| RestoreError::NotABackup {
        path: source.to_owned(),
        reason: "it has no readable manifest.json",
    })?;
    // The format and the schema are read on their own first, so a manifest
    // of a newer Dateline is named as such even if its other fields changed.
    let version = |value: &serde_json::Value| {
        value["dateline_version"]
            .as_str()
            .unwrap_or("unknown")
            .to_owned()
    };
    let raw: serde_json::Value =
        serde_json::from_str(&text).map_err(|source| RestoreError::Manifest {
            path: path.clone(),
            source,
        })?;
    let found = raw["format"].as_u64().unwrap_or(0);
    if found > u64::from(FORMAT) {
        return Err(RestoreError::NewerFormat {
            path: source.to_owned(),
            version: version(&raw),
            found: u32::try_from(found).unwrap_or(u32::MAX),
        });
    }
    let schema = raw["database"]["schema"].as_i64().unwrap_or(0);
    let known = dateline_store::backup::schema_level();
    if schema > known {
        return Err(RestoreError::NewerSchema {
            path: source.to_owned(),
            version: version(&raw),
            found: schema,
            known,
        });
    }
    serde_json::from_value(raw).map_err(|source| RestoreError::Manifest { path, source })
}

/// Copies the checked backup into the data directory (blocking IO).
fn copy_in(
    source: &Path,
    data: &DataDir,
    move_aside: bool,
) -> Result<Option<PathBuf>, RestoreError> {
    let root = data.root();
    std::fs::create_dir_all(root)
        .map_err(|e| file_error(format!("create {}", root.display()), e))?;
    let _alone = data.take_alone()?;
    let held = entries(root)?;
    let moved_aside = if held.is_empty() {
        None
    } else {
        let aside = aside_name(root)?;
        if !move_aside {
            return Err(RestoreError::NotEmpty {
                data_dir: root.to_owned(),
                aside,
            });
        }
        std::fs::create_dir(&aside)
            .map_err(|e| file_error(format!("create {}", aside.display()), e))?;
        for name in held {
            let (from, to) = (root.join(&name), aside.join(&name));
            std::fs::rename(&from, &to).map_err(|e| {
                file_error(format!("move {} to {}", from.display(), to.display()), e)
            })?;
        }
        sync_dir(&aside);
        Some(aside)
    };
    let staging = root.join(".restore-incomplete");
    std::fs::create_dir(&staging)
        .map_err(|e| file_error(format!("create {}", staging.display()), e))?;
    copy_tree(&source.join(MEDIA), &staging.join(MEDIA))?;
    let database = staging.join(DATABASE);
    std::fs::copy(source.join(DATABASE), &database).map_err(|e| {
        file_error(
            format!(
                "copy {} to {}",
                source.join(DATABASE).display(),
                database.display()
            ),
            e,
        )
    })?;
    sync_file(&database)?;
    for name in [MEDIA, DATABASE] {
        let (from, to) = (staging.join(name), root.join(name));
        std::fs::rename(&from, &to)
            .map_err(|e| file_error(format!("move {} to {}", from.display(), to.display()), e))?;
    }
    std::fs::remove_dir(&staging)
        .map_err(|e| file_error(format!("remove {}", staging.display()), e))?;
    sync_dir(root);
    Ok(moved_aside)
}

/// What the data directory holds, but for the lock file.
fn entries(root: &Path) -> Result<Vec<std::ffi::OsString>, FileError> {
    let listing =
        std::fs::read_dir(root).map_err(|e| file_error(format!("read {}", root.display()), e))?;
    let mut names = Vec::new();
    for entry in listing {
        let entry = entry.map_err(|e| file_error(format!("read {}", root.display()), e))?;
        if entry.file_name() != LOCK {
            names.push(entry.file_name());
        }
    }
    names.sort();
    Ok(names)
}

/// `<data dir>.before-restore-<UTC time>`, beside the data directory.
fn aside_name(root: &Path) -> Result<PathBuf, FileError> {
    let absolute = root
        .canonicalize()
        .map_err(|e| file_error(format!("resolve {}", root.display()), e))?;
    let name = absolute
        .file_name()
        .map_or_else(|| "data".into(), |n| n.to_string_lossy().into_owned());
    let now = OffsetDateTime::now_utc();
    let stamp = format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    Ok(absolute.with_file_name(format!("{name}.before-restore-{stamp}")))
}
