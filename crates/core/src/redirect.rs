//! Old addresses that answer a permanent redirect: links from before a
//! move (a WordPress permalink, `?p=123`, an old slug) keep working. An
//! address is kept and looked up in one form, so `/2019/05/slug/`,
//! `/2019/05/slug` and `https://old.example.com/2019/05/slug/?utm_source=x`
//! are one address.

use crate::ArticleId;
use crate::editing::{FieldError, Problem};

/// Longest old address kept.
pub const MAX_ADDRESS_CHARS: usize = 1_000;

/// Query parameters that only track a visit: never part of an address.
const TRACKING: [&str; 4] = ["utm_", "fbclid", "gclid", "mc_"];

/// The form an address is kept and looked up in: the path
/// percent-decoded, without a trailing slash (but `/` itself), and the
/// query's parameters sorted, tracking parameters left out. `None` for
/// what is no path (empty, or not starting with `/` once a scheme and host
/// are taken off).
pub fn old_address(address: &str) -> Option<String> {
    let address = address.trim();
    let without_host = match address.split_once("://") {
        Some((_, rest)) => match rest.find('/') {
            Some(at) => &rest[at..],
            None => "/",
        },
        None => address,
    };
    let without_fragment = without_host.split('#').next().unwrap_or_default();
    let (path, query) = without_fragment
        .split_once('?')
        .unwrap_or((without_fragment, ""));
    if !path.starts_with('/') {
        return None;
    }
    let mut path = percent_decode(path);
    while path.len() > 1 && path.ends_with('/') {
        path.pop();
    }
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| !TRACKING.iter().any(|t| p.starts_with(t)))
        .collect();
    params.sort_unstable();
    if params.is_empty() {
        Some(path)
    } else {
        Some(format!("{path}?{}", params.join("&")))
    }
}

/// `%XX` sequences as the bytes they stand for (read as UTF-8, lossily):
/// Arabic slugs come encoded in links and typed plain in forms.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(Some(high)), Some(Some(low))) = (
                bytes.get(i + 1).map(|b| hex(*b)),
                bytes.get(i + 2).map(|b| hex(*b)),
            )
        {
            out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where an old address leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectTarget {
    /// An article, at whatever its address is when asked.
    Article(ArticleId),
    /// A path of the site (`/politics`, `/tag/gaza`).
    Path(String),
}

/// A redirect as an editor types it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RedirectInput {
    /// The old address: a path, or a whole URL of the old site.
    #[serde(default)]
    pub old: String,
    /// An article's number, or a path of this site.
    #[serde(default)]
    pub target: String,
}

impl RedirectInput {
    pub fn check(&self) -> Result<(String, RedirectTarget), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field, problem| errors.push(FieldError { field, problem });
        let old = match self.old.trim() {
            "" => {
                fail("old", Problem::Required);
                None
            }
            text if text.chars().count() > MAX_ADDRESS_CHARS => {
                fail("old", Problem::TooLong(MAX_ADDRESS_CHARS));
                None
            }
            text => {
                let address = old_address(text);
                if address.is_none() {
                    fail("old", Problem::InvalidUrl);
                }
                address
            }
        };
        let target = match self.target.trim() {
            "" => {
                fail("target", Problem::Required);
                None
            }
            text if text.starts_with('/') && !text.starts_with("//") => {
                if text.chars().count() > MAX_ADDRESS_CHARS || text.contains(char::is_whitespace) {
                    fail("target", Problem::InvalidUrl);
                    None
                } else {
                    Some(RedirectTarget::Path(text.to_owned()))
                }
            }
            text => match text.trim_start_matches('#').parse::<i64>() {
                Ok(id) if id > 0 => Some(RedirectTarget::Article(ArticleId(id))),
                _ => {
                    fail("target", Problem::UnknownChoice);
                    None
                }
            },
        };
        if let (Some(old), Some(RedirectTarget::Path(path))) = (&old, &target)
            && old_address(path).as_ref() == Some(old)
        {
            fail("target", Problem::Taken);
        }
        match (old, target) {
            (Some(old), Some(target)) if errors.is_empty() => Ok((old, target)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_in_every_spelling() {
        for spelling in [
            "/2019/05/old-slug/",
            "/2019/05/old-slug",
            "https://old.example.com/2019/05/old-slug/",
            "http://www.old.example.com/2019/05/old-slug/?utm_source=x&utm_medium=y#comments",
            " /2019/05/old-slug// ",
        ] {
            assert_eq!(
                old_address(spelling).as_deref(),
                Some("/2019/05/old-slug"),
                "{spelling}"
            );
        }
        assert_eq!(
            old_address("/?p=123&utm_source=feed").as_deref(),
            Some("/?p=123")
        );
        assert_eq!(
            old_address("https://old.example.com/?page_id=7").as_deref(),
            Some("/?page_id=7")
        );
        assert_eq!(old_address("/x?b=2&a=1").as_deref(), Some("/x?a=1&b=2"));
        assert_eq!(
            old_address("/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/").as_deref(),
            Some("/سياسة")
        );
        assert_eq!(old_address("https://old.example.com").as_deref(), Some("/"));
        assert_eq!(old_address("old-slug"), None);
        assert_eq!(old_address(""), None);
    }

    #[test]
    fn a_redirect_needs_an_old_address_and_an_article_or_a_path() {
        let ok = RedirectInput {
            old: "https://old.example.com/2019/05/old-slug/".into(),
            target: "42".into(),
        };
        assert_eq!(
            ok.check(),
            Ok((
                "/2019/05/old-slug".into(),
                RedirectTarget::Article(ArticleId(42))
            ))
        );
        let to_path = RedirectInput {
            old: "/category/news/".into(),
            target: "/politics".into(),
        };
        assert_eq!(
            to_path.check(),
            Ok((
                "/category/news".into(),
                RedirectTarget::Path("/politics".into())
            ))
        );
        let fields = |input: RedirectInput| -> Vec<&str> {
            input.check().unwrap_err().iter().map(|e| e.field).collect()
        };
        assert_eq!(fields(RedirectInput::default()), ["old", "target"]);
        let bad = RedirectInput {
            old: "no-slash".into(),
            target: "//evil.example.com/".into(),
        };
        assert_eq!(fields(bad), ["old", "target"]);
        let loop_ = RedirectInput {
            old: "/politics/".into(),
            target: "/politics".into(),
        };
        assert_eq!(fields(loop_), ["target"]);
    }
}
