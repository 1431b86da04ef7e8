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
/// Files taken from one source per look at most: the folders are listed
/// again after them, so a backlog in one source holds no other up for
/// long.
const PER_LOOK: usize = 100;

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
        match look(&desk, &ingest_dir, &mut seen, &stop).await {
            Ok(()) => warned = false,
            // Once per outage, not at every look.
            Err(error) if !warned => {
                tracing::warn!(error = %error, "cannot take wire files in; trying again");
                warned = true;
            }
            Err(_) => {}
        }
        if stop.pause(POLL).await {
            break;
        }
    }
}

async fn look(
    desk: &Newsdesk,
    ingest_dir: &Path,
    seen: &mut Seen,
    stop: &Stop,
) -> Result<(), crate::Failure> {
    let mut still_there = Seen::new();
    for source in desk.wire_sources().await? {
        let folder = ingest_dir.join(&source.name);
        let mut taken = 0;
        for (path, stamp) in ready_files(&folder).await {
            if stop.is_requested() {
                return Ok(());
            }
            // Taken only when whole: still being written otherwise.
            let quiet = stamp
                .1
                .and_then(|at| at.elapsed().ok())
                .is_some_and(|age| age >= QUIET);
            if taken == PER_LOOK || !(quiet || seen.get(&path) == Some(&stamp)) {
                still_there.insert(path, stamp);
                continue;
            }
            taken += 1;
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
    Ok(())
}

/// The files of a folder that may be taken, with their size and time;
/// the folder is made when missing, so admins see where files go.
async fn ready_files(folder: &Path) -> Vec<(PathBuf, (u64, Option<SystemTime>))> {
    let mut entries = match tokio::fs::read_dir(folder).await {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if let Err(error) = tokio::fs::create_dir_all(folder).await {
                tracing::warn!(folder = %folder.display(), %error, "cannot make a wire drop folder");
            }
            return Vec::new();
        }
        Err(error) => {
            tracing::warn!(folder = %folder.display(), %error, "cannot read a wire drop folder");
            return Vec::new();
        }
    };
    let mut files = Vec::new();
    while let Ok(Some(entry)) = entries.next_entry().await {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name.ends_with(".tmp") || name.ends_with(".part") {
            continue;
        }
        let Ok(meta) = entry.metadata().await else {
            continue;
        };
        if is_picture(&name) {
            let waited = meta
                .modified()
                .ok()
                .and_then(|at| at.elapsed().ok())
                .is_some_and(|age| age > PICTURE_WAITS);
            if waited && meta.is_file() {
                unclaimed(folder, &entry.path()).await;
            }
            continue;
        }
        if meta.is_file() {
            files.push((entry.path(), (meta.len(), meta.modified().ok())));
        }
    }
    // Oldest first, so an update that lands after its story follows it.
    files.sort_by(|a, b| (a.1.1, &a.0).cmp(&(b.1.1, &b.0)));
    files
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
