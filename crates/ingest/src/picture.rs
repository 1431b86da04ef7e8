//! Pictures that come with a story, as both NewsML-G2 and ninjs describe
//! them: which item is a picture, which of its renditions is kept, and
//! what the role of each of its descriptions makes of it.

use crate::tidy::{local_code, non_empty};
use crate::{MAX_PICTURES, WirePicture};

/// One rendition of a picture: a NewsML-G2 `remoteContent`, a ninjs
/// `renditions` entry.
pub(crate) struct Rendition<'a> {
    /// `@rendition` (`rnd:highRes`), the ninjs entry's name or key.
    pub(crate) name: Option<&'a str>,
    pub(crate) href: Option<&'a str>,
    pub(crate) content_type: Option<&'a str>,
    pub(crate) width: Option<u32>,
    pub(crate) height: Option<u32>,
}

/// The rendition to store, as a picture without its words yet. Only
/// images count (a content type `image/…`, or none) and only those with
/// an `href`. Of those, one named as the high-resolution or original
/// file (`rnd:highRes`, `rnd:print`, `original`, `hires`, `master`)
/// first and a thumbnail (`rnd:thumbnail`, `thumb`, `sample`, `small`,
/// `lowres`) last, whatever their declared sizes; then the largest in
/// declared pixels (width × height; a rendition without both counts
/// none); then the first. The media library makes its own sizes, so the
/// largest file serves best.
pub(crate) fn best<'a>(renditions: impl IntoIterator<Item = Rendition<'a>>) -> Option<WirePicture> {
    renditions
        .into_iter()
        .filter(|r| r.content_type.is_none_or(is_image))
        .filter_map(|r| {
            let href = r.href.map(str::trim).filter(|h| !h.is_empty())?;
            Some((href, r))
        })
        .enumerate()
        .max_by_key(|(order, (_, r))| (rank(r.name), area(r), std::cmp::Reverse(*order)))
        .map(|(_, (href, r))| WirePicture {
            href: href.to_owned(),
            caption: None,
            credit: None,
            alt: None,
            content_type: r.content_type.and_then(non_empty),
            width: r.width,
            height: r.height,
        })
}

fn rank(name: Option<&str>) -> u8 {
    match lower_code(name).as_str() {
        "highres" | "hires" | "original" | "print" | "master" => 2,
        "thumb" | "thumbnail" | "sample" | "small" | "lowres" => 0,
        _ => 1,
    }
}

fn area(rendition: &Rendition) -> u64 {
    match (rendition.width, rendition.height) {
        (Some(w), Some(h)) => u64::from(w) * u64::from(h),
        _ => 0,
    }
}

/// A media type of an image (`image/jpeg`, `Image/PNG`).
pub(crate) fn is_image(content_type: &str) -> bool {
    content_type
        .trim()
        .get(..6)
        .is_some_and(|t| t.eq_ignore_ascii_case("image/"))
}

/// Whether an item class or ninjs type is a picture: NewsML-G2
/// `ninat:picture` (Reuters `icls:picture`), ninjs `picture`, and
/// graphics (maps, charts), which are stored the same way.
pub(crate) fn is_picture_class(code: &str) -> bool {
    matches!(lower_code(Some(code)).as_str(), "picture" | "graphic")
}

/// A name or code without its scheme, in lower case (empty for none):
/// names and roles are matched so, as producers spell them variously.
fn lower_code(code: Option<&str>) -> String {
    code.map(local_code)
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// What a picture's description is, by its role (NewsML-G2 `@role`,
/// ninjs `role`), with or without a scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Described {
    /// `drol:caption`, `caption`.
    Caption,
    /// `drol:altText` (as Superdesk writes it), `alternativeText`, `alt`.
    AltText,
    /// `creditline` (AP's ninjs).
    CreditLine,
    /// Any other role, or none: the caption when no description is one.
    Other,
}

fn described(role: Option<&str>) -> Described {
    match lower_code(role).as_str() {
        "caption" => Described::Caption,
        "alttext" | "alternativetext" | "alt" => Described::AltText,
        "creditline" => Described::CreditLine,
        _ => Described::Other,
    }
}

/// A picture's descriptions (NewsML-G2 `description`, ninjs
/// `descriptions`), as plain text, each with what its role makes it.
pub(crate) struct Descriptions(Vec<(Described, String)>);

impl Descriptions {
    /// From each description's role and text; empty texts are dropped.
    pub(crate) fn new<'a>(
        described_as: impl IntoIterator<Item = (Option<&'a str>, String)>,
    ) -> Self {
        Self(
            described_as
                .into_iter()
                .filter(|(_, text)| !text.is_empty())
                .map(|(role, text)| (described(role), text))
                .collect(),
        )
    }

    /// The first description of this kind.
    pub(crate) fn get(&self, kind: Described) -> Option<String> {
        self.0
            .iter()
            .find(|(described, _)| *described == kind)
            .map(|(_, text)| text.clone())
    }

    /// The caption: a description of role caption, else the first that
    /// is neither alt text nor a credit line.
    pub(crate) fn caption(&self) -> Option<String> {
        self.get(Described::Caption)
            .or_else(|| self.get(Described::Other))
    }
}

/// Adds a picture (or a picture's guid) to an item's, unless it is there
/// already or the item has [`MAX_PICTURES`].
pub(crate) fn add<T: PartialEq>(pictures: &mut Vec<T>, picture: T) {
    if pictures.len() < MAX_PICTURES && !pictures.contains(&picture) {
        pictures.push(picture);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendition<'a>(name: &'a str, href: &'a str, size: Option<(u32, u32)>) -> Rendition<'a> {
        Rendition {
            name: Some(name),
            href: Some(href),
            content_type: Some("image/jpeg"),
            width: size.map(|s| s.0),
            height: size.map(|s| s.1),
        }
    }

    fn chosen(renditions: Vec<Rendition>) -> Option<String> {
        best(renditions).map(|p| p.href)
    }

    #[test]
    fn high_resolution_by_name_is_kept_then_the_largest_then_the_first() {
        let cases = [
            (
                vec![
                    rendition("rnd:web", "web.jpg", Some((480, 320))),
                    rendition("rnd:highRes", "hi.jpg", None),
                ],
                "hi.jpg",
            ),
            (
                vec![
                    rendition("r01", "preview.jpg", Some((1024, 683))),
                    rendition("r00", "hires.jpg", Some((4724, 3149))),
                    rendition("rnd:thumbnail", "thumb.jpg", Some((9000, 9000))),
                ],
                "hires.jpg",
            ),
            (
                vec![
                    rendition("rnd:thumbnail", "thumb.jpg", Some((80, 53))),
                    rendition("other", "other.jpg", None),
                ],
                "other.jpg",
            ),
            (
                vec![
                    rendition("a", "first.jpg", None),
                    rendition("b", "second.jpg", None),
                ],
                "first.jpg",
            ),
        ];
        for (renditions, kept) in cases {
            assert_eq!(chosen(renditions).as_deref(), Some(kept));
        }
    }

    #[test]
    fn only_images_with_an_href_are_renditions() {
        let mut illustrator = rendition("rnd:highRes", "map.ai", Some((9000, 9000)));
        illustrator.content_type = Some("application/illustrator");
        let mut untyped = rendition("rnd:web", "web.jpg", None);
        untyped.content_type = None;
        let mut blank = rendition("rnd:highRes", " ", None);
        blank.href = Some(" ");
        assert_eq!(
            chosen(vec![illustrator, blank, untyped]),
            Some("web.jpg".into())
        );
        assert_eq!(chosen(vec![]), None);
    }

    #[test]
    fn roles_are_read_without_scheme_or_case() {
        assert_eq!(described(Some("drol:caption")), Described::Caption);
        assert_eq!(described(Some("drol:altText")), Described::AltText);
        assert_eq!(described(Some("ALTERNATIVETEXT")), Described::AltText);
        assert_eq!(described(Some("creditline")), Described::CreditLine);
        assert_eq!(described(Some("drol:summary")), Described::Other);
        assert_eq!(described(None), Described::Other);
        assert!(is_picture_class("ninat:picture") && is_picture_class("icls:picture"));
        assert!(is_picture_class("graphic") && !is_picture_class("ninat:text"));
        assert!(is_image("Image/PNG") && !is_image("img") && !is_image("text/html"));
    }
}
