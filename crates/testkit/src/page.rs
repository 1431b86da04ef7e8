//! Reading what the server sent and writing what a browser sends, as
//! plain text: the text between two markers, the links of a page, the
//! articles among them, URL-encoded forms and the escapes of URLs
//! (RFC 3986) and of quoted-printable mail (RFC 2045) decoded.

/// The text between the first `start` marker and the next `end` marker
/// (or the end of `body`); panics, naming `start`, if it is missing.
pub fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body
        .find(start)
        .map(|i| i + start.len())
        .unwrap_or_else(|| panic!("{start:?} not on page"));
    let rest = &body[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// Values of `href` attributes on a page that start with `prefix`, in order.
pub fn links(body: &str, prefix: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with(prefix))
        .map(str::to_owned)
        .collect()
}

/// Article links (`/{section}/{id}-{slug}`) on a page of the edition
/// under `prefix` (`""` or `"/ar"`), in order, without repeats in a row.
pub fn article_links(body: &str, prefix: &str) -> Vec<String> {
    let mut found: Vec<String> = links(body, &format!("{prefix}/"))
        .into_iter()
        .filter(|href| {
            let rest = &href[prefix.len()..];
            let parts: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
            parts.len() == 2
                && parts[1]
                    .split('-')
                    .next()
                    .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        })
        .collect();
    found.dedup();
    found
}

/// The id of the article a newsroom save redirected to
/// (`/newsroom/articles/{id}?…`).
pub fn saved_article_id(location: &str) -> i64 {
    location
        .trim_start_matches("/newsroom/articles/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location} is not an article's editor"))
}

/// The article id in a path `/{section}/{id}-{slug}`.
pub fn article_id(path: &str) -> i64 {
    path.rsplit('/')
        .next()
        .and_then(|last| last.split('-').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{path} is not an article path"))
}

/// The id of the row named `name` on a newsroom list page (sections,
/// tags) whose forms post to `{action}{id}` (`/newsroom/sections/`);
/// panics if no row has that name.
pub fn row_id(page: &str, action: &str, name: &str) -> String {
    page.split(&format!("action=\"{action}"))
        .filter_map(|rest| rest.split('"').next())
        .find(|id| {
            page.contains(&format!(
                r#"id="t{id}-name" name="name" type="text" value="{name}""#
            ))
        })
        .unwrap_or_else(|| panic!("no row named {name:?} posts to {action}"))
        .to_owned()
}

/// `pairs` as an `application/x-www-form-urlencoded` body, encoded as
/// browsers encode forms.
pub fn form(pairs: &[(&str, &str)]) -> String {
    let encode = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                    (b as char).to_string()
                }
                b' ' => "+".into(),
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Decodes `%XX` escapes (as in a `Location` header) to UTF-8 text.
pub fn percent_decode(text: &str) -> String {
    decode_escapes(text, b'%')
}

/// Decodes `{escape}XX` hexadecimal escapes to bytes, read as UTF-8 (bad
/// sequences replaced); anything else is kept as it is.
pub(crate) fn decode_escapes(text: &str, escape: u8) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == escape
            && let Some(b) = bytes
                .get(i + 1..i + 3)
                .and_then(|hex| std::str::from_utf8(hex).ok())
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_decode_to_utf8_up_to_the_last_character() {
        assert_eq!(percent_decode("/ar/%D8%B3"), "/ar/س");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(decode_escapes("caf=C3=A9", b'='), "café");
    }

    #[test]
    fn forms_encode_as_browsers_do() {
        assert_eq!(form(&[("q", "a b&c"), ("x", "é")]), "q=a+b%26c&x=%C3%A9");
    }

    #[test]
    fn article_paths_give_their_id() {
        assert_eq!(article_id("/politics/42-a-slug"), 42);
        assert_eq!(
            article_links(r#"<a href="/politics/7-x"></a><a href="/about">"#, ""),
            ["/politics/7-x"]
        );
    }
}
