//! Drop folders: each wire source has `<data-dir>/ingest/<name>/`, where
//! agencies (or an FTP server, or a script) put files. Five times a second
//! the task looks; a file is whole when nothing wrote to it for a second,
//! or when its size and modification time have not changed since the last
//! look, and is then taken in (`Newsdesk::ingest_path`),
//! then moved to `processed/<date>/`, or to `refused/<date>/` with a
//! `.reason.txt` beside it when nothing in it could be used. Files whose
//! names start with a dot or end in `.tmp` or `.part` are being written
//! and are left alone.
//!
//! When storage fails, the file stays where it is and is offered again:
//! what was taken in before the failure is skipped the second time.

use super::Stop;
use crate::Newsdesk;
use crate::wire::{FileReport, IngestOptions, Outcome};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How often the folders are looked at.
const POLL: Duration = Duration::from_millis(200);
/// A file nothing wrote to for this long is whole, whatever the last look
/// saw (a backlog is taken at the first look).
const QUIET: Duration = Duration::from_secs(1);
/// Work on one source per look at most: its folder is listed again after
/// it, so a backlog in one source holds no other up for long. A look that
/// leaves files behind is followed by the next at once, not after
/// [`POLL`].
const PER_LOOK: Duration = Duration::from_secs(1);

/// Where taken files go, under each source's folder.
pub const PROCESSED: &str = "processed";
pub const REFUSED: &str = "refused";

/// How long a picture waits for the item that names it.
const PICTURE_WAITS: Duration = Duration::from_secs(24 * 3600);

/// A file as last seen: its size and modification time.
type Seen = HashMap<PathBuf, (u64, Option<SystemTime>)>;

/// Runs until `stop`.
pub async fn run(desk: Newsdesk, ingest_dir: PathBuf, mut stop: Stop) {
    let mut seen = Seen::new();
    let mut warned = false;
    while !stop.is_requested() {
        let more = match look(&desk, &ingest_dir, &mut seen, &stop).await {
            Ok(more) => {
                warned = false;
                more
            }
            // Once per outage, not at every look.
            Err(error) => {
                if !warned {
                    tracing::warn!(error = %error, "cannot take wire files in; trying again");
                    warned = true;
                }
                false
            }
        };
        if !more && stop.pause(POLL).await {
            break;
        }
    }
}

/// One look at every source's folder; true when a source had files left
/// that were whole (its time was up).
async fn look(
    desk: &Newsdesk,
    ingest_dir: &Path,
    seen: &mut Seen,
    stop: &Stop,
) -> Result<bool, crate::Failure> {
    let mut still_there = Seen::new();
    let mut more = false;
    for source in desk.wire_sources().await? {
        let folder = ingest_dir.join(&source.name);
        let started = std::time::Instant::now();
        for (path, stamp) in ready_files(&folder).await {
            if stop.is_requested() {
                return Ok(false);
            }
            // Taken only when whole: still being written otherwise.
            let quiet = stamp
                .1
                .and_then(|at| at.elapsed().ok())
                .is_some_and(|age| age >= QUIET);
            let whole = quiet || seen.get(&path) == Some(&stamp);
            let time_up = started.elapsed() >= PER_LOOK;
            more |= whole && time_up;
            if time_up || !whole {
                still_there.insert(path, stamp);
                continue;
            }
            let shown = path
                .file_name()
                .map(|name| format!("{}/{}", source.name, name.to_string_lossy()))
                .unwrap_or_default();
            let report = desk
                .ingest_path(&source, &path, &shown, IngestOptions::default())
                .await?;
            log(&report);
            if let Err(error) = file_away(&folder, &path, &report).await {
                tracing::warn!(file = %path.display(), %error, "cannot move a taken wire file; it stays (and is skipped if offered again)");
            }
        }
    }
    *seen = still_there;
    Ok(more)
}

/// A file of a folder, with its size and modification time.
type Listed = (PathBuf, (u64, Option<SystemTime>));

/// The files of a folder that may be taken, oldest first; the folder is
/// made when missing, so admins see where files go. Pictures that waited
/// too long for their story are filed away as refused.
async fn ready_files(folder: &Path) -> Vec<Listed> {
    let listed = {
        let folder = folder.to_owned();
        // One trip to the blocking pool for the whole listing: a backlog
        // of thousands of files is thousands of `stat`s.
        tokio::task::spawn_blocking(move || list(&folder)).await
    };
    let (files, stale_pictures) = match listed {
        Ok(Ok(listed)) => listed,
        Ok(Err(error)) if error.kind() == std::io::ErrorKind::NotFound => {
            if let Err(error) = tokio::fs::create_dir_all(folder).await {
                tracing::warn!(folder = %folder.display(), %error, "cannot make a wire drop folder");
            }
            return Vec::new();
        }
        Ok(Err(error)) => {
            tracing::warn!(folder = %folder.display(), %error, "cannot read a wire drop folder");
            return Vec::new();
        }
        Err(error) => {
            tracing::warn!(folder = %folder.display(), %error, "the drop folder listing failed");
            return Vec::new();
        }
    };
    for picture in stale_pictures {
        unclaimed(folder, &picture).await;
    }
    files
}

/// A folder's item files, oldest first, and its pictures that no story
/// named in time.
fn list(folder: &Path) -> std::io::Result<(Vec<Listed>, Vec<PathBuf>)> {
    let mut files = Vec::new();
    let mut stale_pictures = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name.ends_with(".tmp") || name.ends_with(".part") {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        if is_picture(&name) {
            let age = meta.modified().ok().and_then(|at| at.elapsed().ok());
            if age.is_some_and(|age| age > PICTURE_WAITS) {
                stale_pictures.push(entry.path());
            }
            continue;
        }
        files.push((entry.path(), (meta.len(), meta.modified().ok())));
    }
    // Oldest first, so an update that lands after its story follows it.
    files.sort_by(|a, b| (a.1.1, &a.0).cmp(&(b.1.1, &b.0)));
    Ok((files, stale_pictures))
}

fn is_picture(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// A picture no item named in time: to `refused/`, with the reason.
async fn unclaimed(folder: &Path, path: &Path) {
    let report = FileReport {
        file: path.display().to_string(),
        refused: Some(format!(
            "{}: a picture no item named within a day",
            path.display()
        )),
        unreadable: false,
        items: Vec::new(),
        used_files: Vec::new(),
    };
    if let Err(error) = file_away(folder, path, &report).await {
        tracing::warn!(file = %path.display(), %error, "cannot move an unclaimed wire picture");
    }
}

fn log(report: &FileReport) {
    if let Some(reason) = &report.refused {
        tracing::warn!(%reason, "wire file refused");
    }
    for item in &report.items {
        let outcome = item.outcome.describe();
        match item.outcome {
            Outcome::Refused(_) => {
                tracing::warn!(file = %report.file, reason = %outcome, "wire item refused")
            }
            _ => tracing::info!(
                file = %report.file,
                guid = %item.guid,
                outcome = item.outcome.word(),
                detail = %outcome,
                "wire item"
            ),
        }
    }
}

/// Moves a taken file to `processed/<date>/`, or to `refused/<date>/`
/// with its reason beside it when nothing in it could be used; a name
/// already there gets a number.
async fn file_away(folder: &Path, path: &Path, report: &FileReport) -> std::io::Result<()> {
    let refused = report.refused.is_some()
        || (!report.items.is_empty()
            && report
                .items
                .iter()
                .all(|item| matches!(item.outcome, Outcome::Refused(_))));
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let into = folder
        .join(if refused { REFUSED } else { PROCESSED })
        .join(today);
    tokio::fs::create_dir_all(&into).await?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let mut target = into.join(&*name);
    let mut n = 1;
    while tokio::fs::try_exists(&target).await? {
        target = into.join(format!("{name}.{n}"));
        n += 1;
    }
    tokio::fs::rename(path, &target).await?;
    for picture in &report.used_files {
        if let Some(name) = picture.file_name() {
            // Several items may name one picture: the first moves it.
            if tokio::fs::try_exists(picture).await? {
                tokio::fs::rename(picture, into.join(name)).await?;
            }
        }
    }
    if refused {
        let reasons: Vec<&str> = report
            .refused
            .iter()
            .map(String::as_str)
            .chain(report.items.iter().filter_map(|item| match &item.outcome {
                Outcome::Refused(reason) => Some(reason.as_str()),
                _ => None,
            }))
            .collect();
        let mut note = target.into_os_string();
        note.push(".reason.txt");
        tokio::fs::write(note, reasons.join("\n") + "\n").await?;
    }
    Ok(())
}
