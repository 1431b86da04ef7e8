//! One form for the many ways one page's address is written, to match
//! a Disqus thread's `link` with a WordPress item's `link`.

/// The form under which two addresses of the same page compare equal:
/// host and path, without the scheme (`http`, `https`, or none), user
/// information, a leading `www.`, the default port (80, 443), the query,
/// the fragment and trailing slashes. The host is lower-cased; the path
/// keeps its case (servers tell `/About` from `/about`), and its
/// percent-escapes are decoded (`/%d8%a7` and `/%D8%A7` are `/ا`, as a
/// browser shows it) but for those of `/`, `?`, `#` and `%`, written in
/// upper case.
///
/// One part of the query is kept: WordPress's own `p`, `page_id` and
/// `attachment_id`, which are the page on a site without pretty
/// permalinks (`/?p=12` and `/?p=13` are two posts), as `?p=12`.
///
/// ```
/// use dateline_ingest::archive::normalize_url;
/// assert_eq!(
///     normalize_url("HTTPS://www.Example.org:443/2026/Port-Reopens/?utm_source=x#comments"),
///     "example.org/2026/Port-Reopens"
/// );
/// assert_eq!(normalize_url("http://example.org/?p=12&replytocom=3"), "example.org?p=12");
/// ```
pub fn normalize_url(url: &str) -> String {
    let url = url.trim();
    let (before_fragment, _) = url.split_once('#').unwrap_or((url, ""));
    let (address, query) = before_fragment
        .split_once('?')
        .unwrap_or((before_fragment, ""));
    // Without a scheme, a host is told from a path by a dot before the
    // first slash (`example.org/x`, not `/x` or `x/y`).
    let (has_host, rest) = match strip_scheme(address) {
        Some(rest) => (true, rest),
        None => {
            let first = address.split('/').next().unwrap_or_default();
            (first.contains('.') && !first.starts_with('.'), address)
        }
    };
    let (authority, path) = match rest.find('/') {
        _ if !has_host => ("", rest),
        Some(slash) => rest.split_at(slash),
        None => (rest, ""),
    };
    let mut normal = host(authority);
    normal.push_str(decode_path(path).trim_end_matches('/'));
    if let Some(id) = wordpress_id(query) {
        normal.push('?');
        normal.push_str(&id);
    }
    normal
}

/// The address after `scheme://` or `//`; `None` when it has neither.
fn strip_scheme(address: &str) -> Option<&str> {
    if let Some(rest) = address.strip_prefix("//") {
        return Some(rest);
    }
    let (scheme, rest) = address.split_once("://")?;
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme.then_some(rest)
}

fn host(authority: &str) -> String {
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host_port = host_port
        .strip_suffix(":80")
        .or_else(|| host_port.strip_suffix(":443"))
        .unwrap_or(host_port);
    let host = host_port.to_lowercase();
    let host = host.trim_end_matches('.');
    host.strip_prefix("www.").unwrap_or(host).to_owned()
}

/// Percent-escapes decoded where they form UTF-8 text, but for the
/// characters that would change the address's structure.
fn decode_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match escaped {
            Some(b @ (b'/' | b'?' | b'#' | b'%')) => {
                out.extend_from_slice(format!("%{b:02X}").as_bytes());
                i += 3;
            }
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    match String::from_utf8(out) {
        Ok(decoded) => decoded,
        // Escapes of another encoding (Latin-1 `%E9`): only their case
        // is made one.
        Err(_) => upper_case_escapes(path),
    }
}

fn upper_case_escapes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut chars = path.char_indices();
    while let Some((i, c)) = chars.next() {
        out.push(c);
        let hex = path.get(i + 1..i + 3);
        if c == '%' && hex.is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit())) {
            out.push_str(&hex.unwrap_or_default().to_ascii_uppercase());
            chars.nth(1);
        }
    }
    out
}

/// WordPress's own page parameter in a query, as `p=12`.
fn wordpress_id(query: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        let value = value.trim();
        (matches!(name, "p" | "page_id" | "attachment_id")
            && !value.is_empty()
            && value.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{name}={value}"))
    })
}

#[cfg(test)]
mod tests {
    use super::normalize_url;

    #[test]
    fn scheme_www_trailing_slash_query_and_fragment_are_ignored() {
        let same = [
            "http://courier.example.org/2026/12/port-reopens/",
            "https://courier.example.org/2026/12/port-reopens",
            "https://www.courier.example.org/2026/12/port-reopens/",
            "//courier.example.org/2026/12/port-reopens",
            "courier.example.org/2026/12/port-reopens",
            "https://courier.example.org/2026/12/port-reopens/?utm_source=x&fbclid=y",
            "https://courier.example.org/2026/12/port-reopens/#comment-5",
            "https://editor:secret@courier.example.org:443/2026/12/port-reopens//",
            " http://courier.example.org:80/2026/12/port-reopens/ ",
        ];
        for url in same {
            assert_eq!(
                normalize_url(url),
                "courier.example.org/2026/12/port-reopens",
                "{url}"
            );
        }
    }

    #[test]
    fn the_host_is_lower_cased_and_the_path_keeps_its_case() {
        assert_eq!(
            normalize_url("https://WWW.Courier.Example.ORG/About/Team"),
            "courier.example.org/About/Team"
        );
        assert_ne!(
            normalize_url("https://example.org/About"),
            normalize_url("https://example.org/about")
        );
    }

    #[test]
    fn a_non_default_port_and_a_www_inside_the_name_are_kept() {
        assert_eq!(
            normalize_url("http://example.org:8080/a"),
            "example.org:8080/a"
        );
        assert_eq!(normalize_url("http://wwwexample.org/a"), "wwwexample.org/a");
    }

    #[test]
    fn percent_escapes_compare_decoded_whatever_their_case() {
        let encoded_lower =
            "https://courier.example.org/ar/%d8%a7%d9%84%d9%85%d9%8a%d9%86%d8%a7%d8%a1/";
        let encoded_upper =
            "http://courier.example.org/ar/%D8%A7%D9%84%D9%85%D9%8A%D9%86%D8%A7%D8%A1";
        let decoded = "https://www.courier.example.org/ar/الميناء/";
        assert_eq!(
            normalize_url(encoded_lower),
            "courier.example.org/ar/الميناء"
        );
        assert_eq!(normalize_url(encoded_upper), normalize_url(encoded_lower));
        assert_eq!(normalize_url(decoded), normalize_url(encoded_lower));
    }

    #[test]
    fn escapes_that_would_change_the_address_stay_escaped() {
        assert_eq!(
            normalize_url("https://example.org/a%2fb%3Fc%25d"),
            "example.org/a%2Fb%3Fc%25d"
        );
        assert_eq!(
            normalize_url("https://example.org/caf%e9"),
            "example.org/caf%E9"
        );
    }

    #[test]
    fn wordpress_page_ids_in_the_query_are_kept() {
        assert_eq!(
            normalize_url("http://www.example.org/?p=12&replytocom=3"),
            "example.org?p=12"
        );
        assert_eq!(
            normalize_url("https://example.org?page_id=7"),
            "example.org?page_id=7"
        );
        assert_ne!(
            normalize_url("https://example.org/?p=12"),
            normalize_url("https://example.org/?p=13")
        );
        assert_eq!(normalize_url("https://example.org/?p=abc"), "example.org");
    }

    #[test]
    fn a_path_alone_stays_a_path() {
        assert_eq!(
            normalize_url("/2026/12/port-reopens/"),
            "/2026/12/port-reopens"
        );
        assert_eq!(normalize_url(""), "");
        assert_eq!(normalize_url("https://example.org/"), "example.org");
    }
}
