//! The rules of a WebSub hub (W3C Recommendation, 23 January 2018) that
//! need no IO: reading a subscription request (§5.1) and choosing its
//! lease, and which callback addresses a hub may call. Checking the topic
//! against the site's feeds happens in the web layer; verifying intent and
//! distributing content in the application's tasks.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// Lease granted when the subscriber asks for none: ten days.
pub const DEFAULT_LEASE_SECONDS: u32 = 10 * 24 * 3600;
/// Shortest lease granted; shorter requests get this.
pub const MIN_LEASE_SECONDS: u32 = 60;
/// Longest lease granted; longer requests get this.
pub const MAX_LEASE_SECONDS: u32 = 30 * 24 * 3600;
/// `hub.secret` must be shorter than 200 bytes (§5.1).
pub const MAX_SECRET_BYTES: usize = 199;
/// Longest callback or topic URL accepted.
pub const MAX_URL_BYTES: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Subscribe,
    Unsubscribe,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Subscribe => "subscribe",
            Mode::Unsubscribe => "unsubscribe",
        }
    }
}

/// A subscriber's request, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub mode: Mode,
    pub topic: String,
    pub callback: String,
    /// The lease the hub grants (the request's, within bounds).
    pub lease_seconds: u32,
    pub secret: Option<String>,
}

/// Why a request is refused; the hub answers 400 with this text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    Missing(&'static str),
    UnknownMode(String),
    BadCallback,
    BadLease,
    SecretTooLong,
    TooLong(&'static str),
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Missing(name) => write!(f, "{name} is required"),
            RequestError::UnknownMode(mode) => {
                write!(f, "hub.mode must be subscribe or unsubscribe, not {mode:?}")
            }
            RequestError::BadCallback => {
                write!(f, "hub.callback must be an absolute http or https URL")
            }
            RequestError::BadLease => {
                write!(f, "hub.lease_seconds must be a whole number of seconds")
            }
            RequestError::SecretTooLong => write!(
                f,
                "hub.secret must be shorter than {} bytes",
                MAX_SECRET_BYTES + 1
            ),
            RequestError::TooLong(name) => {
                write!(f, "{name} is longer than {MAX_URL_BYTES} bytes")
            }
        }
    }
}

impl std::error::Error for RequestError {}

impl Request {
    /// Reads the form fields of a request; unknown fields are ignored, as
    /// the specification asks.
    pub fn parse<'a>(
        fields: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Request, RequestError> {
        let (mut mode, mut topic, mut callback, mut lease, mut secret) =
            (None, None, None, None, None);
        for (name, value) in fields {
            match name {
                "hub.mode" => mode = Some(value),
                "hub.topic" => topic = Some(value.trim()),
                "hub.callback" => callback = Some(value.trim()),
                "hub.lease_seconds" => lease = Some(value.trim()),
                "hub.secret" => secret = Some(value),
                _ => {}
            }
        }
        let mode = match mode {
            None | Some("") => return Err(RequestError::Missing("hub.mode")),
            Some("subscribe") => Mode::Subscribe,
            Some("unsubscribe") => Mode::Unsubscribe,
            Some(other) => return Err(RequestError::UnknownMode(other.chars().take(40).collect())),
        };
        let topic = topic
            .filter(|t| !t.is_empty())
            .ok_or(RequestError::Missing("hub.topic"))?;
        if topic.len() > MAX_URL_BYTES {
            return Err(RequestError::TooLong("hub.topic"));
        }
        let callback = callback
            .filter(|c| !c.is_empty())
            .ok_or(RequestError::Missing("hub.callback"))?;
        if callback.len() > MAX_URL_BYTES {
            return Err(RequestError::TooLong("hub.callback"));
        }
        if !is_absolute_http_url(callback) {
            return Err(RequestError::BadCallback);
        }
        let lease_seconds = match lease.filter(|l| !l.is_empty()) {
            None => DEFAULT_LEASE_SECONDS,
            Some(text) => text
                .parse::<u64>()
                .map_err(|_| RequestError::BadLease)?
                .clamp(u64::from(MIN_LEASE_SECONDS), u64::from(MAX_LEASE_SECONDS))
                as u32,
        };
        let secret = match secret.filter(|s| !s.is_empty()) {
            Some(s) if s.len() > MAX_SECRET_BYTES => return Err(RequestError::SecretTooLong),
            other => other.map(str::to_owned),
        };
        Ok(Request {
            mode,
            topic: topic.to_owned(),
            callback: callback.to_owned(),
            lease_seconds,
            secret,
        })
    }
}

/// `http://` or `https://`, a host, no spaces or fragment.
pub fn is_absolute_http_url(text: &str) -> bool {
    let Some(rest) = text
        .strip_prefix("http://")
        .or_else(|| text.strip_prefix("https://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?']).next().unwrap_or("");
    !host.is_empty()
        && !host.contains('@')
        && !text.contains('#')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// True when the hub may call this address for a subscriber: not the
/// server itself or its private network (loopback, private, shared,
/// link-local, unique-local, multicast, unspecified, broadcast), also when
/// written as an IPv4 address inside IPv6. Anyone can subscribe, so a
/// callback must not reach what only the server can reach.
pub fn is_public_callback_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let segments = v6.segments();
            // NAT64 (64:ff9b::/96) carries an IPv4 address in its last bits.
            if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
                let [a, b] = segments[6].to_be_bytes();
                let [c, d] = segments[7].to_be_bytes();
                return is_public_v4(Ipv4Addr::new(a, b, c, d));
            }
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (segments[0] & 0xfe00) == 0xfc00 // unique local
                || (segments[0] & 0xffc0) == 0xfe80) // link local
        }
    }
}

fn is_public_v4(v4: Ipv4Addr) -> bool {
    let [a, b, ..] = v4.octets();
    !(v4.is_loopback()
        || v4.is_private()
        || v4.is_link_local()
        || v4.is_multicast()
        || v4.is_unspecified()
        || v4.is_broadcast()
        || a == 0
        // Shared address space (carrier-grade NAT), RFC 6598.
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments and reserved space.
        || (a == 192 && b == 0 && v4.octets()[2] == 0)
        || a >= 240)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(fields: &[(&str, &str)]) -> Result<Request, RequestError> {
        Request::parse(fields.iter().copied())
    }

    const GOOD: [(&str, &str); 3] = [
        ("hub.mode", "subscribe"),
        ("hub.topic", "https://news.example.com/feed.xml"),
        ("hub.callback", "http://reader.example.net/cb?id=3"),
    ];

    #[test]
    fn a_plain_subscription_gets_the_default_lease() {
        let request = parse(&GOOD).unwrap();
        assert_eq!(request.mode, Mode::Subscribe);
        assert_eq!(request.lease_seconds, DEFAULT_LEASE_SECONDS);
        assert_eq!(request.secret, None);
    }

    #[test]
    fn leases_are_kept_within_bounds() {
        let mut fields = GOOD.to_vec();
        fields.push(("hub.lease_seconds", "5"));
        assert_eq!(parse(&fields).unwrap().lease_seconds, MIN_LEASE_SECONDS);
        fields.push(("hub.lease_seconds", "999999999999"));
        assert_eq!(parse(&fields).unwrap().lease_seconds, MAX_LEASE_SECONDS);
        fields.push(("hub.lease_seconds", "soon"));
        assert_eq!(parse(&fields), Err(RequestError::BadLease));
    }

    #[test]
    fn each_bad_request_says_why() {
        assert_eq!(parse(&GOOD[1..]), Err(RequestError::Missing("hub.mode")));
        let mut fields = GOOD.to_vec();
        fields[0].1 = "publish";
        assert!(matches!(parse(&fields), Err(RequestError::UnknownMode(_))));
        let mut fields = GOOD.to_vec();
        fields[2].1 = "javascript:alert(1)";
        assert_eq!(parse(&fields), Err(RequestError::BadCallback));
        assert_eq!(
            parse(&GOOD[..2]),
            Err(RequestError::Missing("hub.callback"))
        );
        let mut fields = GOOD.to_vec();
        let secret = "s".repeat(200);
        fields.push(("hub.secret", &secret));
        assert_eq!(parse(&fields), Err(RequestError::SecretTooLong));
        assert!(
            RequestError::SecretTooLong
                .to_string()
                .contains("200 bytes")
        );
    }

    #[test]
    fn callbacks_may_not_reach_the_server_or_its_private_network() {
        let public = |text: &str| is_public_callback_address(text.parse().unwrap());
        for inside in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.9",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(!public(inside), "{inside} must be refused");
        }
        for outside in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(public(outside), "{outside} must be allowed");
        }
    }
}
