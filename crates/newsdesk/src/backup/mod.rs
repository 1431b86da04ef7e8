//! Online backup of a data directory, and its restore (`restore`), as
//! `docs/backup.md` describes: a consistent copy of the database taken
//! while the server runs, then the media files, then a manifest; the whole
//! written beside the destination and renamed into place at the end, so a
//! backup that stopped halfway never looks complete.

mod files;
pub mod restore;

use crate::data_dir::{DATABASE, DataDir, MEDIA};
use dateline_store::StoreError;
use dateline_store::backup::DatabaseSummary;
pub use files::FileError;
use files::{copy_tree, file_error, missing_files, sync_dir};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

/// The name of the manifest in a backup folder.
pub const MANIFEST: &str = "manifest.json";
/// The layout of a backup folder this Dateline writes and reads.
pub const FORMAT: u32 = 1;

/// What a backup holds, written last as `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The backup folder's layout; restore refuses formats it does not know.
    pub format: u32,
    /// The Dateline that made it.
    pub dateline_version: String,
    /// When the database copy began: the backup holds every transaction
    /// committed before it, and none after.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The data directory it was taken from.
    pub data_dir: String,
    /// The database copy: its schema level and what it holds.
    pub database: DatabaseSummary,
    /// Files under `media/`, and their size in bytes.
    pub media_files: u64,
    pub media_bytes: u64,
    /// Media files the database names that the data directory itself
    /// lacked when the backup was made (a damaged data directory).
    #[serde(default)]
    pub missing_media: Vec<String>,
}

/// Why a backup was not made. Nothing is left at the destination then.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("no database at {}: nothing to back up (is the data directory right?)", .0.display())]
    NoDatabase(PathBuf),
    #[error("{} is not empty: back up into a new or empty directory", .0.display())]
    NotEmpty(PathBuf),
    #[error("{} is not a directory: back up into a new or empty directory", .0.display())]
    NotADirectory(PathBuf),
    #[error("{} does not name a directory to create", .0.display())]
    NoName(PathBuf),
    #[error(
        "{} is inside the data directory {}: keep backups elsewhere, ideally on another disk",
        destination.display(),
        data_dir.display()
    )]
    InsideDataDir {
        destination: PathBuf,
        data_dir: PathBuf,
    },
    #[error(transparent)]
    Database(StoreError),
    #[error(transparent)]
    File(#[from] FileError),
    #[error("cannot write the manifest {}", path.display())]
    Manifest {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// A media file the database copy names was in the data directory but
    /// is not in the copy: the copy is wrong, and is not kept.
    #[error(
        "{count} media files the database names were not copied from {} (first {first}); \
         the backup was not kept",
        media.display()
    )]
    Lost {
        media: PathBuf,
        count: usize,
        first: String,
    },
    #[error("a blocking task stopped")]
    Blocking(#[from] tokio::task::JoinError),
}

/// A finished backup.
#[derive(Debug, Clone)]
pub struct BackupReport {
    pub destination: PathBuf,
    pub manifest: Manifest,
}

/// Backs up `data` into `destination`, a new or empty directory, while a
/// server may go on using `data`.
///
/// The database is copied first and the media files after it. Media files
/// are written whole (under a temporary name, then renamed) before the
/// row that names them is committed, and never changed or deleted after,
/// so every file the database copy names already exists when the media
/// copy starts; files uploaded meanwhile are copied too or not, and
/// nothing names them. The copy is checked for that before it is kept.
pub async fn back_up(data: &DataDir, destination: &Path) -> Result<BackupReport, BackupError> {
    let database = data.database();
    if !database.is_file() {
        return Err(BackupError::NoDatabase(database));
    }
    let staging = prepare_destination(data, destination)?;
    let made = make(data, &staging).await;
    let manifest = match made {
        Ok(manifest) => manifest,
        Err(error) => {
            // Ours alone (its name has this process's id): nothing half
            // made stays behind.
            let _ = std::fs::remove_dir_all(&staging);
            return Err(error);
        }
    };
    if let Err(source) = std::fs::rename(&staging, destination) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(file_error(
            format!(
                "move the finished backup {} to {}",
                staging.display(),
                destination.display()
            ),
            source,
        )
        .into());
    }
    sync_dir(&parent_of(destination));
    Ok(BackupReport {
        destination: destination.to_owned(),
        manifest,
    })
}

/// Checks the destination and makes the temporary sibling the backup is
/// written into.
fn prepare_destination(data: &DataDir, destination: &Path) -> Result<PathBuf, BackupError> {
    let name = destination
        .file_name()
        .ok_or_else(|| BackupError::NoName(destination.to_owned()))?;
    let parent = parent_of(destination);
    if destination.exists() {
        if !destination.is_dir() {
            return Err(BackupError::NotADirectory(destination.to_owned()));
        }
        let mut entries = std::fs::read_dir(destination)
            .map_err(|e| file_error(format!("read {}", destination.display()), e))?;
        if entries.next().is_some() {
            return Err(BackupError::NotEmpty(destination.to_owned()));
        }
    }
    std::fs::create_dir_all(&parent)
        .map_err(|e| file_error(format!("create {}", parent.display()), e))?;
    let canonical = |path: &Path| {
        path.canonicalize()
            .map_err(|e| file_error(format!("resolve {}", path.display()), e))
    };
    let data_dir = canonical(data.root())?;
    if canonical(&parent)?.join(name).starts_with(&data_dir) {
        return Err(BackupError::InsideDataDir {
            destination: destination.to_owned(),
            data_dir,
        });
    }
    let staging = parent.join(format!(
        ".{}.incomplete-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    std::fs::create_dir(&staging)
        .map_err(|e| file_error(format!("create {}", staging.display()), e))?;
    Ok(staging)
}

/// The directory holding `path` (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Writes the database copy, the media and the manifest into `staging`.
async fn make(data: &DataDir, staging: &Path) -> Result<Manifest, BackupError> {
    let now = OffsetDateTime::now_utc();
    let created_at = now.replace_nanosecond(0).unwrap_or(now);
    let copy = staging.join(DATABASE);
    let inspection = dateline_store::backup::snapshot(&data.database(), &copy)
        .await
        .map_err(BackupError::Database)?;
    let media = data.media();
    let staging = staging.to_owned();
    let root = data.root();
    let data_dir = root.canonicalize().unwrap_or_else(|_| root.to_owned());
    tokio::task::spawn_blocking(move || {
        files::sync_file(&copy)?;
        let totals = copy_tree(&media, &staging.join(MEDIA))?;
        let lost = missing_files(&staging.join(MEDIA), &inspection.media_files);
        // Lost in the copy, or already missing from the data directory?
        let (missing_media, lost): (Vec<String>, Vec<String>) = lost
            .into_iter()
            .partition(|path| !media.join(path).exists());
        if let Some(first) = lost.first() {
            return Err(BackupError::Lost {
                media: media.clone(),
                count: lost.len(),
                first: first.clone(),
            });
        }
        let manifest = Manifest {
            format: FORMAT,
            dateline_version: env!("CARGO_PKG_VERSION").to_owned(),
            created_at,
            data_dir: data_dir.display().to_string(),
            database: inspection.summary,
            media_files: totals.files,
            media_bytes: totals.bytes,
            missing_media,
        };
        write_manifest(&staging.join(MANIFEST), &manifest)?;
        sync_dir(&staging);
        Ok(manifest)
    })
    .await?
}

fn write_manifest(path: &Path, manifest: &Manifest) -> Result<(), BackupError> {
    let text = serde_json::to_string_pretty(manifest).map_err(|source| BackupError::Manifest {
        path: path.to_owned(),
        source,
    })?;
    std::fs::write(path, text + "\n")
        .map_err(|e| file_error(format!("write {}", path.display()), e))?;
    files::sync_file(path)?;
    Ok(())
}
