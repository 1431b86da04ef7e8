//! Secrets kept out of logs: a URL's password, and query values whose
//! names say they are secret (`token`, `secret`, `key`, `password`,
//! `signature`, `code`, `hub.secret` …), replaced by `[redacted]`. Logs go
//! to operators, files and log services; a one-time link or a password
//! must not go with them.

/// Query parameter names whose values are secret (compared without case,
/// also as the last part of a dotted name: `hub.secret`).
const SECRET_NAMES: [&str; 9] = [
    "token",
    "secret",
    "key",
    "password",
    "pass",
    "signature",
    "sig",
    "code",
    "challenge",
];

fn is_secret(name: &str) -> bool {
    // As the server reads it: `tok%65n` and `to+ken` spelt out first.
    let decoded = percent_decoded(name);
    let name = decoded.as_str();
    let last = name.rsplit('.').next().unwrap_or(name);
    SECRET_NAMES.iter().any(|secret| {
        last.eq_ignore_ascii_case(secret)
            || last.to_ascii_lowercase().ends_with(&format!("_{secret}"))
    })
}

/// `%XX` escapes and `+` of a query parameter's name decoded (invalid
/// escapes are kept as written).
fn percent_decoded(name: &str) -> String {
    let bytes = name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A query string (`a=1&token=x`) with secret values redacted.
pub fn query(query: &str) -> String {
    query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret(name) => format!("{name}=[redacted]"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A URL, or a path with its query, with the password of its user part
/// and secret query values redacted.
pub fn url(text: &str) -> String {
    let (before_query, after) = match text.split_once('?') {
        Some((head, rest)) => (head, Some(rest)),
        None => (text, None),
    };
    let mut out = match before_query.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let authority = match authority.rsplit_once('@') {
                Some((user, host)) => {
                    let user = user.split(':').next().unwrap_or("");
                    format!("{user}:[redacted]@{host}")
                }
                None => authority.to_owned(),
            };
            format!("{scheme}://{authority}{path}")
        }
        None => before_query.to_owned(),
    };
    if let Some(rest) = after {
        let (q, fragment) = match rest.split_once('#') {
            Some((q, f)) => (q, Some(f)),
            None => (rest, None),
        };
        out.push('?');
        out.push_str(&query(q));
        if let Some(fragment) = fragment {
            out.push('#');
            out.push_str(fragment);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_are_recognised_however_they_are_escaped() {
        assert_eq!(query("tok%65n=abc&a=1"), "tok%65n=[redacted]&a=1");
        assert_eq!(query("hub.%73ecret=abc"), "hub.%73ecret=[redacted]");
        assert_eq!(query("%zz=1&%"), "%zz=1&%");
    }

    #[test]
    fn passwords_and_secret_values_are_kept_out() {
        assert_eq!(
            url("smtp://mail:hunter2@smtp.example.com:587"),
            "smtp://mail:[redacted]@smtp.example.com:587"
        );
        assert_eq!(
            url("/comments/verify?token=abc123&x=1"),
            "/comments/verify?token=[redacted]&x=1"
        );
        assert_eq!(
            url("https://sub.example/cb?id=7&hub.secret=s&api_key=k#top"),
            "https://sub.example/cb?id=7&hub.secret=[redacted]&api_key=[redacted]#top"
        );
        assert_eq!(url("/politics?page=2"), "/politics?page=2");
        assert_eq!(
            url("https://cdn.example/purge"),
            "https://cdn.example/purge"
        );
    }
}
