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
    /// The file itself: empty, too large, not an image, unreadable.
    #[error(transparent)]
    Refused(MediaError),
    #[error("cannot store the image")]
    Storing(#[source] MediaError),
    #[error(transparent)]
    Failed(#[from] Failure),
}

crate::store_failure!(UploadError);

impl Newsdesk {
    /// Adds an image to the site's library: checked by content (JPEG,
    /// PNG, WebP), kept with resized copies, registered under a readable,
    /// unique file name made from `original_name`.
    pub async fn add_image(
        &self,
        on: OnSite,
        original_name: &str,
        bytes: Vec<u8>,
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
        let worked = tokio::task::spawn_blocking(move || {
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
