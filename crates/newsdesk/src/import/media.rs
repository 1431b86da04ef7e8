//! A WordPress site's pictures, from a copy of its `wp-content/uploads`:
//! a post's featured image and the pictures in its body are stored
//! through the edition's media library (checked by content, resized,
//! cropped), once per edition, and the body is pointed at them. A picture
//! that cannot be had is reported with its old address, and the post goes
//! on without it (a body keeps the old address).

use super::ImportFailure;
use super::report::ImportReport;
use super::wordpress::{Attachment, Run, describe};
use crate::{Newsdesk, OnSite};
use dateline_core::editing::{MAX_SHORT_FIELD_CHARS, MediaId};
use dateline_core::import as map;
use dateline_core::wire::clip;
use dateline_ingest::archive::WxrItem;
use dateline_store::imports::ImportedKind;
use std::path::{Component, Path, PathBuf};

/// Longest wait for room to process an image: an import waits its turn
/// behind the newsroom's uploads rather than skip a picture.
const ADMIT_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// A featured image ready to lead its story.
pub(super) struct Featured {
    pub media: MediaId,
    pub caption: String,
    pub alt: String,
}

impl Newsdesk {
    /// The post's featured image (`_thumbnail_id`) in the edition's
    /// library, with its caption and alternative text.
    pub(super) async fn featured_image(
        &self,
        run: &mut Run<'_>,
        item: &WxrItem,
        on: OnSite,
    ) -> Result<Option<Featured>, ImportFailure> {
        let Some(id) = item
            .meta("_thumbnail_id")
            .next()
            .and_then(|id| id.trim().parse::<u64>().ok())
        else {
            return Ok(None);
        };
        let Some(media) = self
            .attachment_media(run, item, on, id, "featured image")
            .await?
        else {
            return Ok(None);
        };
        let attachment = &run.index.attachments[&id];
        Ok(Some(Featured {
            media,
            caption: map::plain_text(&attachment.caption),
            alt: clip(&attachment.alt, MAX_SHORT_FIELD_CHARS),
        }))
    }

    /// The body with its pictures from the old site's uploads moved into
    /// the edition's library: every address of one (a resized copy's
    /// `-1024x683` included) becomes the library's.
    pub(super) async fn body_images(
        &self,
        run: &mut Run<'_>,
        item: &WxrItem,
        on: OnSite,
        mut html: String,
    ) -> Result<String, ImportFailure> {
        for address in upload_addresses(&html) {
            let Some(file) = uploads_part(&address) else {
                continue;
            };
            let id = [file.as_str(), &without_size(&file)]
                .into_iter()
                .find_map(|f| run.index.attachment_files.get(f).copied());
            let Some(id) = id else {
                continue;
            };
            if let Some(media) = self
                .attachment_media(run, item, on, id, "picture in the body")
                .await?
                && let Some(path) = self.db().media_path(media).await?
            {
                html = html.replace(&address, &format!("/media/{path}"));
            }
        }
        Ok(html)
    }

    /// An attachment in the edition's library: stored once per edition
    /// (later uses reuse it), or reported missing.
    async fn attachment_media(
        &self,
        run: &mut Run<'_>,
        item: &WxrItem,
        on: OnSite,
        id: u64,
        role: &str,
    ) -> Result<Option<MediaId>, ImportFailure> {
        let Some(attachment) = run.index.attachments.get(&id) else {
            let why = format!("{role} {id} is not among the export's attachments");
            run.report
                .missing_media
                .push(format!("{}: {why}", describe(item)));
            return Ok(None);
        };
        let key = id.to_string();
        if let Some(media) = self
            .db()
            .imported(&run.source, ImportedKind::Attachment, &key, on.site)
            .await?
        {
            run.report.count("attachment", "reused");
            return Ok(Some(MediaId(media)));
        }
        let bytes = match upload_bytes(run.options.media_dir, attachment) {
            Ok(bytes) => bytes,
            Err(why) => {
                missing(&mut run.report, item, attachment, role, &why);
                return Ok(None);
            }
        };
        if run.options.dry_run {
            run.report.count("attachment", "stored");
            return Ok(None);
        }
        let name = attachment.file.rsplit('/').next().unwrap_or("image");
        let stored = match self.admit_image_waiting(ADMIT_WAIT).await {
            Ok(slot) => self.add_image(on, name, bytes, slot).await,
            Err(busy) => Err(busy),
        };
        match stored {
            Ok(media) => {
                self.db()
                    .record_imported(
                        &run.source,
                        ImportedKind::Attachment,
                        &key,
                        on.site,
                        media.0,
                        run.now,
                    )
                    .await?;
                run.report.count("attachment", "stored");
                Ok(Some(media))
            }
            Err(crate::media::UploadError::Failed(failure)) => Err(failure.into()),
            Err(refused) => {
                let why = crate::cause_chain(&refused);
                missing(&mut run.report, item, attachment, role, &why);
                Ok(None)
            }
        }
    }
}

/// A picture that could not be had, with its old address to fix later.
fn missing(
    report: &mut ImportReport,
    item: &WxrItem,
    attachment: &Attachment,
    role: &str,
    why: &str,
) {
    report.missing_media.push(format!(
        "{}: {role} {} ({}): {why}",
        describe(item),
        attachment.file,
        attachment.url
    ));
    report.count("attachment", "missing");
}

/// The part of an upload's address below `wp-content/uploads/`.
pub(super) fn uploads_part(url: &str) -> Option<String> {
    let (_, below) = url.split_once("/wp-content/uploads/")?;
    Some(below.split(['?', '#']).next()?.to_owned())
}

/// The file a resized copy was made from: `photo-1024x683.jpg` is
/// `photo.jpg`.
fn without_size(file: &str) -> String {
    let Some((stem, extension)) = file.rsplit_once('.') else {
        return file.to_owned();
    };
    match stem.rsplit_once('-') {
        Some((original, size))
            if size
                .split_once('x')
                .is_some_and(|(w, h)| is_number(w) && is_number(h)) =>
        {
            format!("{original}.{extension}")
        }
        _ => file.to_owned(),
    }
}

fn is_number(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Every quoted attribute value of the body that is an address under
/// `wp-content/uploads/`, once each.
fn upload_addresses(html: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut from = 0;
    while let Some(at) = html[from..].find("/wp-content/uploads/") {
        let at = from + at;
        let start = html[..at].rfind(['"', '\'']).map_or(at, |q| q + 1);
        let end = html[at..]
            .find(['"', '\'', '<', '>', ' '])
            .map_or(html.len(), |e| at + e);
        let address = &html[start..end];
        if !address.contains(['<', '>', ' ']) && !found.iter().any(|f| f == address) {
            found.push(address.to_owned());
        }
        from = end.max(at + 1);
    }
    found
}

/// The attachment's file from the uploads folder.
fn upload_bytes(media_dir: Option<&Path>, attachment: &Attachment) -> Result<Vec<u8>, String> {
    let path = upload_path(media_dir, attachment)?;
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() > dateline_media::MAX_UPLOAD_BYTES {
        return Err(format!(
            "larger than the limit of {} bytes",
            dateline_media::MAX_UPLOAD_BYTES
        ));
    }
    Ok(bytes)
}

/// Where an attachment's file is in the media folder, if it is there.
fn upload_path(media_dir: Option<&Path>, attachment: &Attachment) -> Result<PathBuf, String> {
    let Some(dir) = media_dir else {
        return Err("not imported: no --media-dir was given".into());
    };
    let relative = Path::new(&attachment.file);
    let below = !attachment.file.is_empty()
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !below {
        return Err(format!(
            "{:?} is not a path below the uploads folder",
            attachment.file
        ));
    }
    let path = dir.join(relative);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("not found in {}", dir.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_addresses_are_found_and_resized_copies_named_by_their_original() {
        let html = r#"<figure><a href="https://c.example/wp-content/uploads/2026/12/a.jpg"><img src="https://c.example/wp-content/uploads/2026/12/a-1024x683.jpg" alt=""></a></figure><p>see /wp-content/uploads/ in text</p><img src='/wp-content/uploads/b.png'>"#;
        assert_eq!(
            upload_addresses(html),
            [
                "https://c.example/wp-content/uploads/2026/12/a.jpg",
                "https://c.example/wp-content/uploads/2026/12/a-1024x683.jpg",
                "/wp-content/uploads/b.png",
            ]
        );
        assert_eq!(without_size("2026/12/a-1024x683.jpg"), "2026/12/a.jpg");
        assert_eq!(
            without_size("2026/12/port-2026.jpg"),
            "2026/12/port-2026.jpg"
        );
        assert_eq!(without_size("noext"), "noext");
        assert_eq!(
            uploads_part("https://c.example/wp-content/uploads/2026/12/a.jpg?x=1").as_deref(),
            Some("2026/12/a.jpg")
        );
    }
}
