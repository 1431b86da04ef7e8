//! What an original keeps of its file's metadata: nothing private. A news
//! photo's EXIF can carry where it was taken (GPS), when, and the
//! camera's serial number, which can expose a photographer or a source;
//! XMP, IPTC blocks and comments can carry the same. Originals are served
//! without them, with the orientation kept (as a minimal EXIF block) so
//! they still display upright. Everything else, the compressed image data
//! and colour profiles included, stays byte for byte.

use crate::ImageKind;

/// The original's bytes without private metadata; `orientation` is the
/// EXIF orientation (1 to 8) to keep. A file this reader cannot walk is
/// returned as `None`, and is not kept.
pub fn without_private_metadata(bytes: &[u8], kind: ImageKind, orientation: u8) -> Option<Vec<u8>> {
    match kind {
        ImageKind::Jpeg => jpeg(bytes, orientation),
        ImageKind::Png => png(bytes),
        ImageKind::WebP => webp(bytes, orientation),
    }
}

/// A TIFF block holding only the orientation (big-endian, one entry).
fn orientation_tiff(orientation: u8) -> Vec<u8> {
    let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&1u16.to_be_bytes());
    tiff.extend_from_slice(&0x0112u16.to_be_bytes()); // Orientation
    tiff.extend_from_slice(&3u16.to_be_bytes()); // SHORT
    tiff.extend_from_slice(&1u32.to_be_bytes());
    tiff.extend_from_slice(&u16::from(orientation).to_be_bytes());
    tiff.extend_from_slice(&[0, 0]);
    tiff.extend_from_slice(&0u32.to_be_bytes()); // no next IFD
    tiff
}

fn jpeg(bytes: &[u8], orientation: u8) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut orientation_written = orientation <= 1;
    let mut i = 2;
    loop {
        let marker = *bytes.get(i + 1)?;
        if bytes[i] != 0xFF {
            return None;
        }
        if marker == 0xFF {
            i += 1; // fill byte
            continue;
        }
        // Start of scan or end of image: the rest is image data.
        if marker == 0xDA || marker == 0xD9 {
            if !orientation_written {
                out.extend(exif_segment(orientation));
            }
            out.extend_from_slice(&bytes[i..]);
            return Some(out);
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            out.extend_from_slice(&bytes[i..i + 2]);
            i += 2;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(i + 2)?, *bytes.get(i + 3)?]));
        let end = i.checked_add(2 + length)?;
        if length < 2 || end > bytes.len() {
            return None;
        }
        // The orientation goes right after JFIF, where EXIF belongs.
        if !orientation_written && marker != 0xE0 {
            out.extend(exif_segment(orientation));
            orientation_written = true;
        }
        // APP1 (EXIF, XMP), APP3..APP12 and APP15 (makers' data), APP13
        // (IPTC, Photoshop) and comments go; JFIF (APP0), the colour
        // profile (APP2), Adobe's colour transform (APP14) and the image
        // tables stay.
        let private = matches!(marker, 0xE1 | 0xE3..=0xED | 0xEF | 0xFE);
        if !private {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
    }
}

fn exif_segment(orientation: u8) -> Vec<u8> {
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(orientation_tiff(orientation));
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(
        &u16::try_from(payload.len() + 2)
            .unwrap_or(u16::MAX)
            .to_be_bytes(),
    );
    segment.extend(payload);
    segment
}

fn png(bytes: &[u8]) -> Option<Vec<u8>> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) {
        return None;
    }
    let mut out = SIGNATURE.to_vec();
    let mut i = SIGNATURE.len();
    while i < bytes.len() {
        let length =
            usize::try_from(u32::from_be_bytes(bytes.get(i..i + 4)?.try_into().ok()?)).ok()?;
        let kind = bytes.get(i + 4..i + 8)?;
        let end = i.checked_add(12)?.checked_add(length)?;
        if end > bytes.len() {
            return None;
        }
        // EXIF, text (author, place, software, comments) and the time go.
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
        if kind == b"IEND" {
            break;
        }
    }
    Some(out)
}

fn webp(bytes: &[u8], orientation: u8) -> Option<Vec<u8>> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return None;
    }
    let mut chunks = Vec::new();
    let mut i = 12;
    let mut extended = false;
    while i + 8 <= bytes.len() {
        let kind = &bytes[i..i + 4];
        let size =
            usize::try_from(u32::from_le_bytes(bytes[i + 4..i + 8].try_into().ok()?)).ok()?;
        let end = i
            .checked_add(8)?
            .checked_add(size + (size & 1))?
            .min(bytes.len());
        let mut chunk = bytes[i..end].to_vec();
        match kind {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                extended = true;
                // Flags: EXIF (0x08) and XMP (0x04) are gone, unless the
                // orientation comes back as EXIF below.
                let exif = if orientation > 1 { 0x08 } else { 0 };
                if let Some(flags) = chunk.get_mut(8) {
                    *flags = (*flags & !0x0C) | exif;
                }
                chunks.push(chunk);
            }
            _ => chunks.push(chunk),
        }
        i = end;
    }
    if extended && orientation > 1 {
        let tiff = orientation_tiff(orientation);
        let mut chunk = b"EXIF".to_vec();
        chunk.extend_from_slice(&u32::try_from(tiff.len()).ok()?.to_le_bytes());
        chunk.extend(tiff);
        if chunk.len() % 2 == 1 {
            chunk.push(0);
        }
        chunks.push(chunk);
    }
    let body: Vec<u8> = chunks.concat();
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&u32::try_from(body.len() + 4).ok()?.to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend(body);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageDecoder, ImageEncoder};

    fn small_jpeg() -> Vec<u8> {
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut bytes)
            .write_image(&[120u8; 16 * 8 * 3], 16, 8, image::ExtendedColorType::Rgb8)
            .unwrap();
        bytes
    }

    /// A JPEG with an EXIF block naming a place and a camera, as a phone
    /// writes one.
    fn with_private_exif(jpeg: &[u8]) -> Vec<u8> {
        let mut payload = b"Exif\0\0".to_vec();
        payload.extend(orientation_tiff(6));
        payload
            .extend_from_slice(b"GPSLatitude 33.8938N GPSLongitude 35.5018E BodySerialNumber 7731");
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
        out.extend(payload);
        out.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x10]);
        out.extend_from_slice(b"Shot in Beirut");
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn a_jpeg_loses_place_camera_and_comments_but_keeps_its_orientation_and_pixels() {
        let phone = with_private_exif(&small_jpeg());
        let kept = without_private_metadata(&phone, ImageKind::Jpeg, 6).unwrap();
        assert!(!contains(&kept, b"GPSLatitude"));
        assert!(!contains(&kept, b"BodySerialNumber"));
        assert!(!contains(&kept, b"Beirut"));
        let mut decoder =
            image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(&kept)).unwrap();
        assert_eq!(decoder.orientation().unwrap().to_exif(), 6);
        let original = image::load_from_memory(&phone).unwrap();
        let served = image::load_from_memory(&kept).unwrap();
        assert_eq!(original.as_bytes(), served.as_bytes(), "pixels unchanged");
    }

    #[test]
    fn an_upright_jpeg_gets_no_exif_at_all() {
        let phone = with_private_exif(&small_jpeg());
        let kept = without_private_metadata(&phone, ImageKind::Jpeg, 1).unwrap();
        assert!(!contains(&kept, b"Exif\0\0"));
    }

    #[test]
    fn a_png_loses_its_text_and_exif_chunks() {
        let mut plain = Vec::new();
        image::codecs::png::PngEncoder::new(&mut plain)
            .write_image(&[9u8; 4 * 4 * 3], 4, 4, image::ExtendedColorType::Rgb8)
            .unwrap();
        // A tEXt chunk before IDAT (its CRC is not checked here).
        let idat = plain.windows(4).position(|w| w == b"IDAT").unwrap() - 4;
        let text = b"Author\0Rana Haddad, Beirut";
        let mut png = plain[..idat].to_vec();
        png.extend_from_slice(&u32::try_from(text.len()).unwrap().to_be_bytes());
        png.extend_from_slice(b"tEXt");
        png.extend_from_slice(text);
        png.extend_from_slice(&[0, 0, 0, 0]);
        png.extend_from_slice(&plain[idat..]);
        let kept = without_private_metadata(&png, ImageKind::Png, 1).unwrap();
        assert!(!contains(&kept, b"Rana Haddad"));
        assert_eq!(kept, plain, "everything else byte for byte");
    }

    #[test]
    fn files_it_cannot_walk_are_not_kept() {
        assert_eq!(
            without_private_metadata(b"not an image", ImageKind::Jpeg, 1),
            None
        );
        assert_eq!(
            without_private_metadata(b"\xFF\xD8\xFF\xE1\xFF\xFF", ImageKind::Jpeg, 1),
            None
        );
        assert_eq!(without_private_metadata(b"RIFF", ImageKind::WebP, 1), None);
    }
}
