//! An item's picture: fetched from beside the file that named it (a drop
//! folder, the command line's file) or from the address the file came
//! from, stored through the media library of the item's edition (checked
//! by content, resized, cropped) with its caption, credit and alternative
//! text, and kept on the item's row so the wire desk can use it later. A
//! picture that cannot be had is a note on the item, never a refusal: the
//! story goes on without it.

use crate::{Actor, Failure, Newsdesk, OnSite};
use dateline_core::SiteId;
use dateline_core::accounts::{Role, UserId};
use dateline_core::editing::{MAX_SHORT_FIELD_CHARS, MediaId};
use dateline_core::wire::{clip, credit_name};
use dateline_store::wire::WirePictureRow;
use std::path::{Component, Path};
use std::time::Duration;

/// Where an item's pictures are fetched from.
#[derive(Debug, Clone, Copy, Default)]
pub enum PictureFiles<'a> {
    /// Nowhere: pictures are noted as not fetched.
    #[default]
    Nowhere,
    /// The folder of the file that named them; a picture is a file in it
    /// (a name, or a path below it).
    Folder(&'a Path),
    /// The address the file came from; a picture's address is taken
    /// relative to it.
    Web {
        base: &'a str,
        client: &'a reqwest::Client,
    },
}

/// A picture as an item names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PictureRef {
    pub href: String,
    pub caption: String,
    pub credit: String,
    pub alt: String,
}

/// A picture in the media library, ready to lead a story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadPicture {
    pub media: MediaId,
    pub caption: String,
    pub credit: String,
    pub alt: String,
}

/// A picture taken from beside its item: the folder file to move along
/// with it (drop folders).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedFile(pub std::path::PathBuf);

/// Longest wait for room to process an image.
const ADMIT_WAIT: Duration = Duration::from_secs(60);

impl Newsdesk {
    /// Stores the first picture of an item in the edition's library and
    /// keeps it on the item's row `row`; `Ok(Err(note))` says why there is
    /// none.
    pub(super) async fn store_picture(
        &self,
        site: SiteId,
        row: i64,
        picture: &PictureRef,
        from: PictureFiles<'_>,
        wire_desk: UserId,
    ) -> Result<Result<(LeadPicture, Option<UsedFile>), String>, Failure> {
        let fetched = match fetch(picture, from).await {
            Ok(fetched) => fetched,
            Err(note) => return Ok(Err(format!("picture {}: {note}", picture.href))),
        };
        let (bytes, used) = fetched;
        let on = OnSite {
            site,
            actor: Actor {
                user: wire_desk,
                role: Role::Editor,
            },
        };
        let name = picture
            .href
            .rsplit(['/', '\\'])
            .next()
            .filter(|n| !n.is_empty())
            .unwrap_or("wire-picture");
        let slot = match self.admit_image_waiting(ADMIT_WAIT).await {
            Ok(slot) => slot,
            Err(error) => return Ok(Err(format!("picture {}: {error}", picture.href))),
        };
        let media = match self.add_image(on, name, bytes, slot).await {
            Ok(media) => media,
            Err(crate::media::UploadError::Failed(failure)) => return Err(failure),
            Err(error) => {
                return Ok(Err(format!(
                    "picture {}: {}",
                    picture.href,
                    crate::cause_chain(&error)
                )));
            }
        };
        let lead = LeadPicture {
            media,
            caption: clip(&picture.caption, 1_000),
            credit: clip(credit_name(&picture.credit), MAX_SHORT_FIELD_CHARS),
            alt: clip(&picture.alt, MAX_SHORT_FIELD_CHARS),
        };
        self.db()
            .set_wire_picture(
                row,
                &WirePictureRow {
                    media,
                    caption: &lead.caption,
                    credit: &lead.credit,
                    alt: &lead.alt,
                },
            )
            .await?;
        Ok(Ok((lead, used)))
    }
}

/// The picture's bytes, and the folder file they came from.
async fn fetch(
    picture: &PictureRef,
    from: PictureFiles<'_>,
) -> Result<(Vec<u8>, Option<UsedFile>), String> {
    let limit = dateline_media::MAX_UPLOAD_BYTES;
    match from {
        PictureFiles::Nowhere => {
            Err("not fetched: the item came from neither a folder nor an address".into())
        }
        PictureFiles::Folder(folder) => {
            let relative = Path::new(&picture.href);
            // A name or a path below the folder: never out of it.
            let below = relative
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
            if !below || picture.href.contains("://") {
                return Err("not a file beside the item".into());
            }
            let path = folder.join(relative);
            let size = tokio::fs::metadata(&path)
                .await
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?
                .len();
            if size > u64::try_from(limit).unwrap_or(u64::MAX) {
                return Err(format!("larger than the limit of {limit} bytes"));
            }
            let bytes = tokio::fs::read(&path)
                .await
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            Ok((bytes, Some(UsedFile(path))))
        }
        PictureFiles::Web { base, client } => {
            let base = url::Url::parse(base).map_err(|e| format!("bad address {base:?}: {e}"))?;
            let address = base
                .join(&picture.href)
                .map_err(|e| format!("bad address: {e}"))?;
            if !matches!(address.scheme(), "http" | "https") {
                return Err("not an http(s) address".into());
            }
            let mut response = client
                .get(address.clone())
                .send()
                .await
                .map_err(|e| format!("GET {address}: {}", crate::cause_chain(&e)))?;
            if !response.status().is_success() {
                return Err(format!("GET {address}: answered {}", response.status()));
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = response
                .chunk()
                .await
                .map_err(|e| format!("GET {address}: {}", crate::cause_chain(&e)))?
            {
                if bytes.len() + chunk.len() > limit {
                    return Err(format!("larger than the limit of {limit} bytes"));
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok((bytes, None))
        }
    }
}
