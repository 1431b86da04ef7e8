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
