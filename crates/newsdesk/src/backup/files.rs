//! File work shared by backup and restore: copying the media tree, checking
//! that the files a database names are there, flushing to disk. Blocking
//! IO: run it off the async threads.

use std::fs::File;
use std::path::Path;

/// A file operation that failed: what was attempted, on which paths.
#[derive(Debug, thiserror::Error)]
#[error("cannot {what}")]
pub struct FileError {
    what: String,
    #[source]
    source: std::io::Error,
}

pub(crate) fn file_error(what: String, source: std::io::Error) -> FileError {
    FileError { what, source }
}

/// How much a copy copied.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Totals {
    pub files: u64,
    pub bytes: u64,
}

/// Copies the folder `from` into `to` (created; it must not exist), each
/// file flushed to disk. A missing `from` gives an empty `to`. Files still
/// being written (`*.part`: `dateline_media` renames them when whole) are
/// left out.
pub(crate) fn copy_tree(from: &Path, to: &Path) -> Result<Totals, FileError> {
    let mut totals = Totals::default();
    std::fs::create_dir(to).map_err(|e| file_error(format!("create {}", to.display()), e))?;
    if from.exists() {
        copy_into(from, to, &mut totals)?;
    }
    sync_dir(to);
    Ok(totals)
}

fn copy_into(from: &Path, to: &Path, totals: &mut Totals) -> Result<(), FileError> {
    let entries =
        std::fs::read_dir(from).map_err(|e| file_error(format!("read {}", from.display()), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| file_error(format!("read {}", from.display()), e))?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        // Follows links: what the server would serve is what is kept.
        let metadata = std::fs::metadata(&source)
            .map_err(|e| file_error(format!("read {}", source.display()), e))?;
        if metadata.is_dir() {
            std::fs::create_dir(&target)
                .map_err(|e| file_error(format!("create {}", target.display()), e))?;
            copy_into(&source, &target, totals)?;
            sync_dir(&target);
        } else if source.extension().is_none_or(|e| e != "part") {
            let bytes = std::fs::copy(&source, &target).map_err(|e| {
                file_error(
                    format!("copy {} to {}", source.display(), target.display()),
                    e,
                )
            })?;
            sync_file(&target)?;
            totals.files += 1;
            totals.bytes += bytes;
        }
    }
    Ok(())
}

/// The paths among `paths` (relative to `root`) that are not files there.
pub(crate) fn missing_files(root: &Path, paths: &[String]) -> Vec<String> {
    paths
        .iter()
        .filter(|path| !root.join(path).is_file())
        .cloned()
        .collect()
}

/// Flushes a file's content to disk.
pub(crate) fn sync_file(path: &Path) -> Result<(), FileError> {
    File::open(path)
        .and_then(|file| file.sync_all())
        .map_err(|e| file_error(format!("flush {} to disk", path.display()), e))
}

/// Flushes a directory's entries (new names, renames) to disk where the
/// system allows it; best effort, as not every system does.
pub(crate) fn sync_dir(path: &Path) {
    if let Ok(dir) = File::open(path) {
        let _ = dir.sync_all();
    }
}
