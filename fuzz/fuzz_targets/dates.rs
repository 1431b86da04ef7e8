//! Date patterns and times typed by editors (`core::dates`): a site's
//! stamp pattern (settings), a `datetime-local` field (the article
//! form's publish time), in the sites' time zones.
//!
//! Checks: nothing panics; an accepted pattern keeps its source and
//! formats any instant; a local time read in a zone and written back
//! reads the same; an instant written as a local time and read back
//! writes the same local time (also across clock changes).

#![no_main]

use dateline_core::dates::{CalendarNames, DatePattern, SiteTimeZone};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;
use time::OffsetDateTime;

const ZONES: [&str; 6] = [
    "GMT",
    "Asia/Beirut",
    "Asia/Dubai",
    "America/New_York",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
];

static TIME_ZONES: LazyLock<Vec<SiteTimeZone>> = LazyLock::new(|| {
    ZONES
        .iter()
        .map(|name| SiteTimeZone::parse(name).unwrap_or_else(|e| panic!("{e}")))
        .collect()
});

fn names() -> CalendarNames {
    CalendarNames {
        weekdays: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map(String::from),
        months: [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ]
        .map(String::from),
        am_pm: ["AM", "PM"].map(String::from),
    }
}

#[derive(Debug, Arbitrary)]
struct Input {
    pattern: String,
    local: String,
    zone: u8,
    seconds: i64,
}

fuzz_target!(|input: Input| {
    let zone = &TIME_ZONES[usize::from(input.zone) % TIME_ZONES.len()];
    let _ = SiteTimeZone::parse(&input.pattern);
    // Years 2 to 9998: a local time stays a four-digit year in any zone.
    const FIRST: i64 = -62_104_060_800;
    const LAST: i64 = 253_370_678_400;
    let instant =
        OffsetDateTime::from_unix_timestamp(input.seconds.rem_euclid(LAST - FIRST) + FIRST)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);

    if let Ok(pattern) = DatePattern::parse(&input.pattern) {
        assert_eq!(pattern.as_str(), input.pattern);
        let _ = zone.format(instant, &pattern, &names());
        let _ = zone.local(instant).format(&pattern, &names());
    }

    if let Some(at) = zone.parse_local_input(&input.local) {
        let written = zone.local_input(at);
        let back = zone
            .parse_local_input(&written)
            .unwrap_or_else(|| panic!("{written:?} (from {:?}) unreadable", input.local));
        assert_eq!(zone.local_input(back), written);
    }
    let written = zone.local_input(instant);
    if let Some(back) = zone.parse_local_input(&written) {
        assert_eq!(zone.local_input(back), written, "{instant}");
    } else {
        panic!("{written:?} for {instant} unreadable");
    }
});
