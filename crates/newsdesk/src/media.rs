//! The media library: an uploaded image is checked by its content,
//! stored with its resized copies and crops under the data directory, and
//! registered for the site. The newsroom's uploads and (later) importers
//! come in here.

use crate::{Failure, Newsdesk, OnSite};
use dateline_core::editing::MediaId;
use dateline_core::{ImageCrop, ImageVariant, Slug, workflow};
use dateline_media::MediaError;
use dateline_store::NewMedia;
use time::OffsetDateTime;

/// Why an image was not added.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("this role may not add images")]
    NotAllowed,
    /// As many uploads as may wait for image work are waiting already.
    #[error("too many images are being processed; try again in a moment")]
    Busy,
    /// The file itself: empty, too large, not an image, unreadable.
    #[error(transparent)]
    Refused(MediaError),
    #[error("cannot store the image")]
    Storing(#[source] MediaError),
    #[error(transparent)]
    Failed(#[from] Failure),
}

crate::store_failure!(UploadError);

/// A place among the uploads admitted to wait for image work, taken
/// before the upload is read ([`Newsdesk::admit_image`]), so a burst of
/// large uploads is refused before it fills memory.
pub struct ImageSlot(#[allow(dead_code)] tokio::sync::OwnedSemaphorePermit);

impl Newsdesk {
    /// Admits one more upload to wait for image work, or says `Busy`.
    pub fn admit_image(&self) -> Result<ImageSlot, UploadError> {
        let (uploads, _) = self.image_work();
        uploads
            .clone()
            .try_acquire_owned()
            .map(ImageSlot)
            .map_err(|_| UploadError::Busy)
    }

    /// Admits one more image, waiting up to `patience` for room: work
    /// that is not a person at a form (ingest, imports) waits its turn
    /// rather than being refused.
    pub async fn admit_image_waiting(
        &self,
        patience: std::time::Duration,
    ) -> Result<ImageSlot, UploadError> {
        let started = std::time::Instant::now();
        loop {
            match self.admit_image() {
                Ok(slot) => return Ok(slot),
                Err(_) if started.elapsed() < patience => {
                    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Adds an image to the site's library: checked by content (JPEG,
    /// PNG, WebP), kept with resized copies, registered under a readable,
    /// unique file name made from `original_name`.
    pub async fn add_image(
        &self,
        on: OnSite,
        original_name: &str,
        bytes: Vec<u8>,
        slot: ImageSlot,
    ) -> Result<MediaId, UploadError> {
        if !workflow::may_create(on.actor.role) {
            return Err(UploadError::NotAllowed);
        }
        if bytes.is_empty() {
            return Err(UploadError::Refused(MediaError::Empty));
        }
        let now = OffsetDateTime::now_utc();
        let site_key = self.network().site_key(on.site);
        let dir = format!(
            "uploads/{site_key}/{:04}/{:02}",
            now.year(),
            u8::from(now.month())
        );
        let stem = file_stem(original_name, now)?;
        let root = self.config().media_dir.clone();
        // Decoding and resizing can take hundreds of megabytes: a few at a
        // time, the rest wait in their slots.
        let (_, work) = self.image_work();
        let running = work
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| UploadError::Busy)?;
        let worked = tokio::task::spawn_blocking(move || {
            let _held = (slot, running);
            let processed = dateline_media::process(&bytes).map_err(UploadError::Refused)?;
            let saved = dateline_media::save(&root, &dir, &stem, &processed)
                .map_err(|e| UploadError::Storing(MediaError::Encode(e.to_string())))?;
            Ok::<_, UploadError>((processed, saved))
        })
        .await
        .map_err(Failure::Blocking)?;
        let (processed, saved) = worked?;
        if self.db().shares_media() {
            // Other instances serve the files from the database: stored
            // before the media row that makes them visible.
            let mut files: Vec<(&str, &[u8])> =
                vec![(saved.original.as_str(), processed.original.as_slice())];
            for ((_, path), variant) in saved.variants.iter().zip(&processed.variants) {
                files.push((path.as_str(), variant.bytes.as_slice()));
            }
            for ((_, _, _, path), crop) in saved.crops.iter().zip(&processed.crops) {
                files.push((path.as_str(), crop.image.bytes.as_slice()));
            }
            self.db().put_media_files(&files, now).await?;
        }
        let variants: Vec<ImageVariant> = saved
            .variants
            .iter()
            .map(|(width, path)| ImageVariant {
                width: *width,
                path: path.clone(),
            })
            .collect();
        let crops: Vec<ImageCrop> = saved
            .crops
            .iter()
            .map(|(ratio, width, height, path)| ImageCrop {
                ratio: ratio.clone(),
                width: *width,
                height: *height,
                path: path.clone(),
            })
            .collect();
        let id = self
            .db()
            .insert_media(
                &NewMedia {
                    site: on.site,
                    path: &saved.original,
                    mime_type: processed.kind.mime_type(),
                    width: processed.width,
                    height: processed.height,
                    original_name,
                    variants: &variants,
                    crops: &crops,
                    uploaded_by: Some(on.actor.user),
                },
                now,
            )
            .await?;
        Ok(id)
    }
}

impl Newsdesk {
    /// Puts a media file another instance stored (`path` under the media
    /// folder) into this instance's folder; false when the database does
    /// not have it (or does not keep files: SQLite).
    pub async fn fetch_shared_media(&self, path: &str) -> Result<bool, Failure> {
        if !self.db().shares_media() {
            return Ok(false);
        }
        let Some(bytes) = self.db().media_file(path).await? else {
            return Ok(false);
        };
        let target = self.config().media_dir.join(path);
        tokio::task::spawn_blocking(move || write_whole(&target, &bytes))
            .await?
            .map_err(|source| Failure::Io {
                what: "a media file",
                source,
            })?;
        Ok(true)
    }
}

/// Stores every file under `root/under` in the database for the other
/// instances (the demo's images, a media folder moved to PostgreSQL by
/// `migrate-store`), a few files per transaction; files stored already
/// are kept. Tells `progress` the files done so far; returns how many.
pub async fn share_folder(
    db: &dateline_store::Db,
    root: &std::path::Path,
    under: &str,
    mut progress: impl FnMut(usize),
) -> Result<usize, Failure> {
    let start = root.join(under);
    let found = tokio::task::spawn_blocking(move || files_under(&start)).await?;
    let paths = found.map_err(|source| Failure::Io {
        what: "the media folder",
        source,
    })?;
    let mut done = 0;
    for batch in paths.chunks(SHARED_BATCH) {
        let mut files = Vec::with_capacity(batch.len());
        for path in batch {
            let bytes = tokio::fs::read(path).await.map_err(|source| Failure::Io {
                what: "a media file",
                source,
            })?;
            let relative = path
                .strip_prefix(root)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            files.push((relative, bytes));
        }
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect();
        db.put_media_files(&refs, OffsetDateTime::now_utc()).await?;
        done += batch.len();
        progress(done);
    }
    Ok(done)
}

/// Files per transaction when a folder is shared (images of a few
/// hundred kilobytes each).
const SHARED_BATCH: usize = 20;

/// Every file below `dir` (none when it does not exist), in name order;
/// unfinished writes (`.part`) are left out.
fn files_under(dir: &std::path::Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => return Err(error),
        };
        for entry in entries {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(entry.path());
            } else if kind.is_file() && entry.path().extension().is_none_or(|e| e != "part") {
                found.push(entry.path());
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Writes a file whole (a temporary name, then a rename), making its
/// folder: a reader never finds half a file.
fn write_whole(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let temporary = path.with_extension("part");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

/// A readable, unique file name: the original's name as a slug plus the
/// time in seconds and a random suffix.
fn file_stem(original_name: &str, now: OffsetDateTime) -> Result<String, Failure> {
    let stem_base = original_name
        .rsplit_once('.')
        .map_or(original_name, |(stem, _)| stem);
    let stem_slug = Slug::from_headline(stem_base)
        .map(|s| s.as_str().chars().take(40).collect::<String>())
        .unwrap_or_else(|_| "image".to_owned());
    let random = dateline_core::accounts::random_token().map_err(|source| Failure::Randomness {
        what: "a file name",
        source,
    })?;
    let suffix: String = random
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .take(6)
        .map(|b| char::from(b.to_ascii_lowercase()))
        .collect();
    Ok(format!("{stem_slug}-{}{suffix}", now.unix_timestamp()))
}
