//! The WebSub hub's subscription form (`POST /websub`, W3C WebSub §5.1),
//! decoded as the hub decodes it and read by `core::websub::Request`,
//! and the rule for which callback addresses the hub may call.
//!
//! Checks: nothing panics on any body; an accepted request has a mode
//! that was asked for, a non-empty topic and an absolute http(s)
//! callback within the length limits, a lease within bounds and a secret
//! shorter than 200 bytes; an IPv4 address inside IPv6 is public exactly
//! when the IPv4 address is.

#![no_main]

mod common;

use dateline_core::websub::{
    MAX_LEASE_SECONDS, MAX_SECRET_BYTES, MAX_URL_BYTES, MIN_LEASE_SECONDS, Mode, Request,
    is_absolute_http_url, is_public_callback_address,
};
use libfuzzer_sys::fuzz_target;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

fuzz_target!(|data: &[u8]| {
    let pairs = common::pairs(data);
    if let Ok(request) = Request::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        let asked = common::last(&pairs, "hub.mode");
        assert_eq!(asked, Some(request.mode.as_str()));
        assert!(matches!(request.mode, Mode::Subscribe | Mode::Unsubscribe));
        assert!(!request.topic.is_empty() && request.topic.len() <= MAX_URL_BYTES);
        assert!(!request.callback.is_empty() && request.callback.len() <= MAX_URL_BYTES);
        assert!(is_absolute_http_url(&request.callback));
        assert_eq!(request.callback.trim(), request.callback);
        assert!((MIN_LEASE_SECONDS..=MAX_LEASE_SECONDS).contains(&request.lease_seconds));
        if let Some(secret) = &request.secret {
            assert!(!secret.is_empty() && secret.len() <= MAX_SECRET_BYTES);
        }
    }

    if data.len() >= 16 {
        let mut v6 = [0u8; 16];
        v6.copy_from_slice(&data[..16]);
        let v6 = Ipv6Addr::from(v6);
        let _ = is_public_callback_address(IpAddr::V6(v6));
        let v4 = Ipv4Addr::new(data[0], data[1], data[2], data[3]);
        assert_eq!(
            is_public_callback_address(IpAddr::V6(v4.to_ipv6_mapped())),
            is_public_callback_address(IpAddr::V4(v4)),
            "{v4} inside IPv6"
        );
    }
});
