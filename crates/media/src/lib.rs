//! The media library's image work: deciding whether an upload is an image
//! Dateline accepts, and making the resized variants that pages offer in
//! `srcset`. Files are written under the data directory's media folder by
//! [`save`]; the database rows are the store's business.
//!
//! Originals are kept byte for byte but for private metadata (`metadata`:
//! place, time, camera, comments). Variants are JPEG (PNG when the image
//! has transparency): every browser reads them, and the pure-Rust WebP
//! encoder is lossless only, which would make photos larger.

mod captcha;
mod metadata;
pub use metadata::without_private_metadata;

pub use captcha::captcha_png;
/// Why an image could not be read or written.
pub use image::ImageError;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// Widths of the resized copies, for phones up to wide screens. Only
/// widths smaller than the original are made.
pub const VARIANT_WIDTHS: [u32; 4] = [320, 640, 1024, 1600];
/// Largest upload accepted.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// Longest side accepted, and the most pixels: guards against images that
/// decompress into gigabytes.
pub const MAX_SIDE: u32 = 12_000;
pub const MAX_PIXELS: u64 = 50_000_000;
/// JPEG quality of variants; news photos look right from about 80.
const JPEG_QUALITY: u8 = 82;

/// The image formats an upload may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Jpeg,
    Png,
    WebP,
}

impl ImageKind {
    pub fn mime_type(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::WebP => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Jpeg => "jpg",
            ImageKind::Png => "png",
            ImageKind::WebP => "webp",
        }
    }
}

/// Why an upload was refused; `message_id` names the translated text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MediaError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {} MB", MAX_UPLOAD_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("the file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error("the image has too many pixels ({width}×{height})")]
    TooManyPixels { width: u32, height: u32 },
    #[error("the image cannot be read: {0}")]
    Unreadable(String),
    #[error("cannot make a resized copy: {0}")]
    Encode(String),
}

impl MediaError {
    pub fn message_id(&self) -> &'static str {
        match self {
            MediaError::Empty => "media-empty",
            MediaError::TooLarge => "media-too-large",
            MediaError::NotAnImage => "media-not-an-image",
            MediaError::TooManyPixels { .. } => "media-too-many-pixels",
            MediaError::Unreadable(_) => "media-unreadable",
            MediaError::Encode(_) => "media-unreadable",
        }
    }
}

/// A resized copy of an upload.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub extension: &'static str,
    pub bytes: Vec<u8>,
}

/// A crop of an upload in one aspect ratio (for structured data).
#[derive(Debug, Clone)]
pub struct Crop {
    /// `16x9`, `4x3` or `1x1`.
    pub ratio: String,
    pub image: Variant,
}

/// Widest crop made: enough for search engines' 1200-pixel advice.
const CROP_WIDTH: u32 = 1200;

/// A checked upload: its format, displayed size and resized copies.
#[derive(Debug, Clone)]
pub struct Processed {
    pub kind: ImageKind,
    /// The original as it is kept and served: the upload without private
    /// metadata (`without_private_metadata`).
    pub original: Vec<u8>,
    /// Size as displayed (after the camera's orientation is applied).
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
    /// Centred crops in the ratios of `dateline_core::CROP_RATIOS`.
    pub crops: Vec<Crop>,
}

/// Checks an upload and makes its variants. CPU-bound (a large photo takes
/// a fraction of a second): call it off the async threads.
pub fn process(bytes: &[u8]) -> Result<Processed, MediaError> {
    if bytes.is_empty() {
        return Err(MediaError::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(MediaError::TooLarge);
    }
    // The content decides, never the file name or the declared type.
    let kind = match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => ImageKind::Jpeg,
        Ok(ImageFormat::Png) => ImageKind::Png,
        Ok(ImageFormat::WebP) => ImageKind::WebP,
        _ => return Err(MediaError::NotAnImage),
    };
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| MediaError::Unreadable(e.to_string()))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| MediaError::Unreadable(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS || width > MAX_SIDE || height > MAX_SIDE {
        return Err(MediaError::TooManyPixels { width, height });
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let original = without_private_metadata(bytes, kind, orientation.to_exif())
        .ok_or_else(|| MediaError::Unreadable("its metadata blocks cannot be walked".to_owned()))?;
    let mut picture =
        DynamicImage::from_decoder(decoder).map_err(|e| MediaError::Unreadable(e.to_string()))?;
    picture.apply_orientation(orientation);
    let (width, height) = (picture.width(), picture.height());
    let picture = working_copy(picture);
    let (work_width, work_height) = (picture.width(), picture.height());
    let mut variants = Vec::new();
    for target in VARIANT_WIDTHS.into_iter().filter(|&w| w < width) {
        let target_height =
            ((u64::from(work_height) * u64::from(target)) / u64::from(work_width)).max(1);
        let target_height = u32::try_from(target_height).unwrap_or(1);
        let resized = picture.resize_exact(target, target_height, FilterType::CatmullRom);
        variants.push(encode(&resized)?);
    }
    let mut crops = Vec::new();
    for (rw, rh) in dateline_core::CROP_RATIOS {
        let [x, y, cw, ch] = dateline_core::crop_box(work_width, work_height, rw, rh);
        let cropped = picture.crop_imm(x, y, cw, ch);
        let target = cw.min(CROP_WIDTH);
        let target_height = u32::try_from(u64::from(ch) * u64::from(target) / u64::from(cw.max(1)))
            .unwrap_or(1)
            .max(1);
        let sized = if target < cw {
            cropped.resize_exact(target, target_height, FilterType::CatmullRom)
        } else {
            cropped
        };
        crops.push(Crop {
            ratio: format!("{rw}x{rh}"),
            image: encode(&sized)?,
        });
    }
    Ok(Processed {
        kind,
        original,
        width,
        height,
        variants,
        crops,
    })
}

/// The widest copy made from a picture is [`VARIANT_WIDTHS`]' last; the
/// copies are made from a working copy twice as wide, itself made by fast
/// area averaging, so a 50-megapixel photo costs a fraction of the time
/// and memory and the full picture is dropped at once.
const WORKING_WIDTH: u32 = 2 * VARIANT_WIDTHS[VARIANT_WIDTHS.len() - 1];

fn working_copy(picture: DynamicImage) -> DynamicImage {
    let (width, height) = (picture.width(), picture.height());
    if width <= WORKING_WIDTH {
        return picture;
    }
    let scaled = u64::from(height) * u64::from(WORKING_WIDTH) / u64::from(width);
    picture.thumbnail_exact(WORKING_WIDTH, u32::try_from(scaled).unwrap_or(1).max(1))
}

fn encode(picture: &DynamicImage) -> Result<Variant, MediaError> {
    let mut bytes = Vec::new();
    let extension = if picture.color().has_alpha() {
        picture
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .map_err(|e| MediaError::Encode(e.to_string()))?;
        "png"
    } else {
        let rgb = picture.to_rgb8();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY);
        rgb.write_with_encoder(encoder)
            .map_err(|e| MediaError::Encode(e.to_string()))?;
        "jpg"
    };
    Ok(Variant {
        width: picture.width(),
        height: picture.height(),
        extension,
        bytes,
    })
}

/// Where an upload's files went, relative to the media root.
#[derive(Debug, Clone)]
pub struct SavedFiles {
    pub original: String,
    /// `(width, path)` of each variant, narrowest first.
    pub variants: Vec<(u32, String)>,
    /// `(ratio, width, height, path)` of each crop.
    pub crops: Vec<(String, u32, u32, String)>,
}

/// Writes the original and its variants under `root/dir/` as
/// `stem.ext` and `stem-640w.jpg`. Blocking IO.
pub fn save(
    root: &Path,
    dir: &str,
    stem: &str,
    processed: &Processed,
) -> std::io::Result<SavedFiles> {
    let folder: PathBuf = root.join(dir);
    std::fs::create_dir_all(&folder)?;
    let name = format!("{stem}.{}", processed.kind.extension());
    write_new(&folder.join(&name), &processed.original)?;
    let mut variants = Vec::new();
    for v in &processed.variants {
        let variant_name = format!("{stem}-{}w.{}", v.width, v.extension);
        write_new(&folder.join(&variant_name), &v.bytes)?;
        variants.push((v.width, format!("{dir}/{variant_name}")));
    }
    let mut crops = Vec::new();
    for c in &processed.crops {
        let crop_name = format!("{stem}-{}.{}", c.ratio, c.image.extension);
        write_new(&folder.join(&crop_name), &c.image.bytes)?;
        crops.push((
            c.ratio.clone(),
            c.image.width,
            c.image.height,
            format!("{dir}/{crop_name}"),
        ));
    }
    Ok(SavedFiles {
        original: format!("{dir}/{name}"),
        variants,
        crops,
    })
}

/// Writes a file completely or not at all: a crash mid-write leaves a
/// temporary file, never a truncated image under the real name.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension("part");
    std::fs::write(&temporary, bytes)?;
    std::fs::File::open(&temporary)?.sync_all()?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let img = DynamicImage::new_rgb8(width, height);
        let mut bytes = Vec::new();
        img.write_to(&mut Cursor::new(&mut bytes), format).unwrap();
        bytes
    }

    #[test]
    fn a_photo_gets_variants_narrower_than_itself() {
        let processed = process(&picture(1200, 800, ImageFormat::Png)).unwrap();
        assert_eq!(processed.kind, ImageKind::Png);
        assert_eq!((processed.width, processed.height), (1200, 800));
        let widths: Vec<_> = processed
            .variants
            .iter()
            .map(|v| (v.width, v.height, v.extension))
            .collect();
        assert_eq!(
            widths,
            vec![(320, 213, "jpg"), (640, 426, "jpg"), (1024, 682, "jpg")]
        );
        assert!(image::load_from_memory(&processed.variants[0].bytes).is_ok());
        let crops: Vec<_> = processed
            .crops
            .iter()
            .map(|c| (c.ratio.as_str(), c.image.width, c.image.height))
            .collect();
        assert_eq!(
            crops,
            vec![("16x9", 1200, 675), ("4x3", 1066, 800), ("1x1", 800, 800)]
        );
    }

    #[test]
    fn anything_but_an_image_is_refused_by_its_content() {
        assert_eq!(process(b"").unwrap_err(), MediaError::Empty);
        assert_eq!(
            process(b"%PDF-1.7 not an image").unwrap_err(),
            MediaError::NotAnImage
        );
        assert_eq!(
            process(b"<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap_err(),
            MediaError::NotAnImage
        );
        let mut truncated = picture(64, 64, ImageFormat::Png);
        truncated.truncate(60);
        assert!(matches!(
            process(&truncated).unwrap_err(),
            MediaError::Unreadable(_)
        ));
    }
}
