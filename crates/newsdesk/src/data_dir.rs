//! The data directory: every path Dateline keeps derives from it, and a
//! lock file in it tells whether a server is using it (`docs/backup.md`).

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// The SQLite database.
pub const DATABASE: &str = "dateline.db";
/// Uploaded and generated images (`dateline_media`).
pub const MEDIA: &str = "media";
/// The search index; derived from the database, rebuilt when missing.
pub const SEARCH: &str = "search";
/// The wire sources' drop folders, one per source.
pub const INGEST: &str = "ingest";
/// Held (shared) by every running server, and alone by a restore.
pub const LOCK: &str = "dateline.lock";

/// A data directory.
#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

/// The lock a process holds on a data directory; released when dropped
/// or when the process ends, however it ends (an advisory `flock`, so a
/// crashed server leaves nothing stale behind).
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

/// Why a data directory could not be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "a Dateline server is running on {} (it holds {}): stop it first",
        data_dir.display(),
        lock.display()
    )]
    InUse { data_dir: PathBuf, lock: PathBuf },
    #[error(
        "{} is being restored (the restore holds {}): wait for it to finish",
        data_dir.display(),
        lock.display()
    )]
    Restoring { data_dir: PathBuf, lock: PathBuf },
    #[error("cannot lock {}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl DataDir {
    pub fn new(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database(&self) -> PathBuf {
        self.root.join(DATABASE)
    }

    pub fn media(&self) -> PathBuf {
        self.root.join(MEDIA)
    }

    pub fn search(&self) -> PathBuf {
        self.root.join(SEARCH)
    }

    pub fn ingest(&self) -> PathBuf {
        self.root.join(INGEST)
    }

    pub fn lock_file(&self) -> PathBuf {
        self.root.join(LOCK)
    }

    /// Marks the directory as used by a server for as long as the answer
    /// lives. Several servers may share it; a restore may not start
    /// meanwhile, and while one runs this is refused.
    pub fn hold_for_serving(&self) -> Result<DirLock, LockError> {
        self.lock(true)
    }

    /// Takes the directory for this process alone (a restore); refused
    /// while a server holds it. The directory must exist.
    pub fn take_alone(&self) -> Result<DirLock, LockError> {
        self.lock(false)
    }

    fn lock(&self, shared: bool) -> Result<DirLock, LockError> {
        let file = self.open_lock()?;
        let taken = if shared {
            file.try_lock_shared()
        } else {
            file.try_lock()
        };
        let (data_dir, lock) = (self.root.clone(), self.lock_file());
        match taken {
            Ok(()) => Ok(DirLock { _file: file }),
            // Held alone by a restore, or shared by servers.
            Err(TryLockError::WouldBlock) if shared => Err(LockError::Restoring { data_dir, lock }),
            Err(TryLockError::WouldBlock) => Err(LockError::InUse { data_dir, lock }),
            Err(TryLockError::Error(source)) => Err(LockError::Io { path: lock, source }),
        }
    }

    fn open_lock(&self) -> Result<File, LockError> {
        let path = self.lock_file();
        OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| LockError::Io { path, source })
    }
}
