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
    let last = name.rsplit('.').next().unwrap_or(name);
    SECRET_NAMES.iter().any(|secret| {
        last.eq_ignore_ascii_case(secret)
            || last.to_ascii_lowercase().ends_with(&format!("_{secret}"))
    })
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
