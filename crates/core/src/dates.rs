//! Date stamps in a site's time zone and language, from a per-site pattern.
//!
//! News themes print dates in house styles that no locale database knows
//! (the seed page writes `GMT 10:18 2016 Wednesday ,23 March`), so a site
//! stores patterns made of the placeholders below, and the day and month
//! names come from the edition's translation files.
//!
//! | placeholder | meaning | example |
//! |---|---|---|
//! | `{yyyy}` | year | 2016 |
//! | `{MM}` / `{M}` | month number, padded / not | 03 / 3 |
//! | `{dd}` / `{d}` | day of month, padded / not | 07 / 7 |
//! | `{HH}` `{mm}` `{ss}` | 24-hour time | 05 17 37 |
//! | `{weekday}` | day name | Wednesday / الأربعاء |
//! | `{month}` | month name | March / آذار |
//! | `{zone}` | time-zone abbreviation | GMT |

use serde::Serialize;
use std::fmt::Write;
use time::OffsetDateTime;

/// The placeholders a pattern may use.
const PLACEHOLDERS: [(&str, Field); 12] = [
    ("yyyy", Field::Year),
    ("MM", Field::MonthPadded),
    ("M", Field::Month),
    ("dd", Field::DayPadded),
    ("d", Field::Day),
    ("HH", Field::Hour),
    ("mm", Field::Minute),
    ("ss", Field::Second),
    ("weekday", Field::Weekday),
    ("month", Field::MonthName),
    ("zone", Field::Zone),
    ("ampm", Field::AmPm),
];

/// What a placeholder stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Year,
    MonthPadded,
    Month,
    DayPadded,
    Day,
    Hour,
    Minute,
    Second,
    Weekday,
    MonthName,
    Zone,
    AmPm,
}

/// A piece of a parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Text copied as it is: a range of the pattern.
    Text(std::ops::Range<usize>),
    Field(Field),
}

/// Why a date pattern or time zone was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DateSettingError {
    #[error(
        "unknown placeholder {{{0}}} in date pattern; known: {{yyyy}} {{MM}} {{M}} {{dd}} {{d}} {{HH}} {{mm}} {{ss}} {{weekday}} {{month}} {{zone}}"
    )]
    UnknownPlaceholder(String),
    #[error("unclosed {{ in date pattern")]
    Unclosed,
    #[error(
        "unknown time zone {0:?}; use an IANA name such as \"GMT\", \"Asia/Beirut\" or \"Asia/Dubai\""
    )]
    UnknownTimeZone(String),
}

/// A validated date pattern, parsed once: stamps are written on every
/// card of every page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatePattern {
    source: String,
    pieces: Vec<Piece>,
}

impl Serialize for DatePattern {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.source)
    }
}

impl DatePattern {
    pub fn parse(pattern: &str) -> Result<DatePattern, DateSettingError> {
        let mut pieces = Vec::new();
        let mut at = 0;
        while let Some(open) = pattern[at..].find('{').map(|i| at + i) {
            let close = pattern[open + 1..]
                .find('}')
                .map(|i| open + 1 + i)
                .ok_or(DateSettingError::Unclosed)?;
            let name = &pattern[open + 1..close];
            let field = PLACEHOLDERS
                .iter()
                .find(|(known, _)| *known == name)
                .map(|(_, field)| *field)
                .ok_or_else(|| DateSettingError::UnknownPlaceholder(name.to_owned()))?;
            if open > at {
                pieces.push(Piece::Text(at..open));
            }
            pieces.push(Piece::Field(field));
            at = close + 1;
        }
        if at < pattern.len() {
            pieces.push(Piece::Text(at..pattern.len()));
        }
        Ok(DatePattern {
            source: pattern.to_owned(),
            pieces,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Writes calendar fields with this pattern.
    fn write(&self, time: &Civil, zone: &str, names: &CalendarNames) -> String {
        let mut out = String::with_capacity(self.source.len() + 16);
        for piece in &self.pieces {
            match piece {
                Piece::Text(range) => out.push_str(&self.source[range.clone()]),
                Piece::Field(field) => time.write(&mut out, *field, zone, names),
            }
        }
        out
    }
}

/// Day and month names of one language; Monday first, January first.
#[derive(Debug, Clone)]
pub struct CalendarNames {
    pub weekdays: [String; 7],
    pub months: [String; 12],
    pub am_pm: [String; 2],
}

/// A site's time zone (IANA name), resolved once.
#[derive(Debug, Clone)]
pub struct SiteTimeZone {
    name: String,
    zone: jiff::tz::TimeZone,
}

impl SiteTimeZone {
    pub fn parse(name: &str) -> Result<SiteTimeZone, DateSettingError> {
        let zone = jiff::tz::TimeZone::get(name)
            .map_err(|_| DateSettingError::UnknownTimeZone(name.to_owned()))?;
        Ok(SiteTimeZone {
            name: name.to_owned(),
            zone,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The instant a local calendar month begins in this zone, or `None`
    /// for a month that does not exist.
    pub fn month_start(&self, year: i32, month: u8) -> Option<OffsetDateTime> {
        let year = i16::try_from(year).ok()?;
        let date = jiff::civil::Date::new(year, i8::try_from(month).ok()?, 1).ok()?;
        let instant = self
            .zone
            .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
            .ok()?;
        OffsetDateTime::from_unix_timestamp(instant.as_second()).ok()
    }

    /// The local `[start, end)` of a calendar month, as UTC instants.
    pub fn month_range(&self, year: i32, month: u8) -> Option<(OffsetDateTime, OffsetDateTime)> {
        let start = self.month_start(year, month)?;
        let end = if month == 12 {
            self.month_start(year + 1, 1)?
        } else {
            self.month_start(year, month + 1)?
        };
        Some((start, end))
    }

    /// Reads a local date and time as an HTML `datetime-local` field sends
    /// it (`2026-12-01T09:30`, seconds optional) in this zone. A time that
    /// a clock change skips is moved forward, as clocks do.
    pub fn parse_local_input(&self, text: &str) -> Option<OffsetDateTime> {
        let civil: jiff::civil::DateTime = text.trim().parse().ok()?;
        let instant = self.zone.to_timestamp(civil).ok()?;
        OffsetDateTime::from_unix_timestamp(instant.as_second()).ok()
    }

    /// An instant as a `datetime-local` field value in this zone.
    pub fn local_input(&self, instant: OffsetDateTime) -> String {
        let t = self.local(instant);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}",
            t.year, t.month, t.day, t.hour, t.minute
        )
    }

    /// The local calendar fields of an instant in this zone.
    pub fn local(&self, instant: OffsetDateTime) -> LocalTime {
        let ts = timestamp(instant);
        let info = self.zone.to_offset_info(ts);
        let civil = Civil::at(ts, info.offset());
        LocalTime {
            year: civil.year,
            month: civil.month,
            day: civil.day,
            hour: civil.hour,
            minute: civil.minute,
            second: civil.second,
            weekday_from_monday: civil.weekday_from_monday,
            offset_seconds: info.offset().seconds(),
            zone_abbreviation: info.abbreviation().to_owned(),
        }
    }

    /// An instant written with a site's pattern, in this zone.
    pub fn format(
        &self,
        instant: OffsetDateTime,
        pattern: &DatePattern,
        names: &CalendarNames,
    ) -> String {
        let ts = timestamp(instant);
        let info = self.zone.to_offset_info(ts);
        pattern.write(&Civil::at(ts, info.offset()), info.abbreviation(), names)
    }
}

/// Calendar fields of an instant as seen in a site's time zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalTime {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub weekday_from_monday: u8,
    pub offset_seconds: i32,
    pub zone_abbreviation: String,
}

impl LocalTime {
    /// Renders a pattern with the given names.
    pub fn format(&self, pattern: &DatePattern, names: &CalendarNames) -> String {
        let civil = Civil {
            year: self.year,
            month: self.month,
            day: self.day,
            hour: self.hour,
            minute: self.minute,
            second: self.second,
            weekday_from_monday: self.weekday_from_monday,
        };
        pattern.write(&civil, &self.zone_abbreviation, names)
    }
}

fn timestamp(instant: OffsetDateTime) -> jiff::Timestamp {
    jiff::Timestamp::from_second(instant.unix_timestamp()).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

/// Calendar fields of an instant at an offset.
struct Civil {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    weekday_from_monday: u8,
}

impl Civil {
    fn at(ts: jiff::Timestamp, offset: jiff::tz::Offset) -> Civil {
        let dt = offset.to_datetime(ts);
        Civil {
            year: i32::from(dt.year()),
            month: dt.month() as u8,
            day: dt.day() as u8,
            hour: dt.hour() as u8,
            minute: dt.minute() as u8,
            second: dt.second() as u8,
            weekday_from_monday: dt.weekday().to_monday_zero_offset() as u8,
        }
    }

    fn write(&self, out: &mut String, field: Field, zone: &str, names: &CalendarNames) {
        match field {
            Field::Year => push_year(out, self.year),
            Field::MonthPadded => push_two_digits(out, self.month),
            Field::Month => push_number(out, self.month),
            Field::DayPadded => push_two_digits(out, self.day),
            Field::Day => push_number(out, self.day),
            Field::Hour => push_two_digits(out, self.hour),
            Field::Minute => push_two_digits(out, self.minute),
            Field::Second => push_two_digits(out, self.second),
            Field::Weekday => {
                out.push_str(&names.weekdays[usize::from(self.weekday_from_monday % 7)])
            }
            Field::MonthName => {
                out.push_str(&names.months[usize::from(self.month.clamp(1, 12) - 1)])
            }
            Field::Zone => out.push_str(zone),
            Field::AmPm => out.push_str(&names.am_pm[usize::from(self.hour >= 12)]),
        }
    }
}

/// Dates are written on every card of every page; these digit writers
/// skip the formatting machinery of `write!`.
pub fn push_two_digits(out: &mut String, n: u8) {
    let n = n % 100;
    out.push(char::from(b'0' + n / 10));
    out.push(char::from(b'0' + n % 10));
}

fn push_number(out: &mut String, n: u8) {
    if n >= 10 {
        push_two_digits(out, n);
    } else {
        out.push(char::from(b'0' + n));
    }
}

/// A year with at least four digits (`0987`, `2016`).
pub fn push_year(out: &mut String, year: i32) {
    if (0..10_000).contains(&year) {
        let year = year as u16;
        push_two_digits(out, (year / 100) as u8);
        push_two_digits(out, (year % 100) as u8);
    } else {
        // Writing to a String cannot fail.
        let _ = write!(out, "{year:04}");
    }
}

/// Which end of a time range a bound is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeEnd {
    /// Inclusive: "published at or after".
    From,
    /// Inclusive too, for the reader: "published at or before".
    Until,
}

/// Reads a bound of a time range written in RFC 3339: a date-time with
/// its offset (`2016-03-08T09:40:00+02:00`) or a full date (`2016-03-08`),
/// which means that whole day in UTC. Returns the instant to compare with
/// as a half-open range `[from, until)`: a `From` bound as is, an `Until`
/// bound just after what it names (the next day for a date, the next
/// second for a date-time), so both ends include what they name.
pub fn range_bound(text: &str, end: RangeEnd) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    let text = text.trim();
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        let at = at
            .to_offset(time::UtcOffset::UTC)
            .replace_nanosecond(0)
            .ok()?;
        return match end {
            RangeEnd::From => Some(at),
            RangeEnd::Until => at.checked_add(time::Duration::SECOND),
        };
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let day = time::Date::parse(text, &format).ok()?;
    let day = match end {
        RangeEnd::From => day,
        RangeEnd::Until => day.next_day()?,
    };
    Some(day.midnight().assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn range_bounds_read_dates_and_date_times_inclusively() {
        assert_eq!(
            range_bound("2016-03-08", RangeEnd::From),
            Some(datetime!(2016-03-08 00:00 UTC))
        );
        assert_eq!(
            range_bound("2016-03-08", RangeEnd::Until),
            Some(datetime!(2016-03-09 00:00 UTC))
        );
        assert_eq!(
            range_bound("2016-03-08T11:40:00.5+02:00", RangeEnd::From),
            Some(datetime!(2016-03-08 09:40 UTC))
        );
        assert_eq!(
            range_bound("2016-03-08T09:40:00Z", RangeEnd::Until),
            Some(datetime!(2016-03-08 09:40:01 UTC))
        );
        for bad in [
            "",
            "yesterday",
            "2016-13-01",
            "2016-03-08T09:40",
            "08/03/2016",
        ] {
            assert_eq!(range_bound(bad, RangeEnd::From), None, "{bad}");
        }
    }

    fn english() -> CalendarNames {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        CalendarNames {
            weekdays: s(&[
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
            ])
            .try_into()
            .unwrap(),
            months: s(&[
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ])
            .try_into()
            .unwrap(),
            am_pm: ["AM".into(), "PM".into()],
        }
    }

    #[test]
    fn seed_list_stamp_is_reproduced() {
        let gmt = SiteTimeZone::parse("GMT").unwrap();
        let pattern =
            DatePattern::parse("{zone} {HH}:{mm} {yyyy} {weekday} ,{dd} {month}").unwrap();
        let local = gmt.local(datetime!(2016-03-23 10:18 UTC));
        assert_eq!(
            local.format(&pattern, &english()),
            "GMT 10:18 2016 Wednesday ,23 March"
        );
    }

    #[test]
    fn stamps_use_the_site_time_zone_with_daylight_saving() {
        let beirut = SiteTimeZone::parse("Asia/Beirut").unwrap();
        let pattern = DatePattern::parse("{HH}:{mm} {zone}").unwrap();
        // Beirut is UTC+3 in summer and UTC+2 in winter.
        assert_eq!(
            beirut
                .local(datetime!(2016-07-01 10:00 UTC))
                .format(&pattern, &english()),
            "13:00 EEST"
        );
        assert_eq!(
            beirut
                .local(datetime!(2016-01-01 10:00 UTC))
                .format(&pattern, &english()),
            "12:00 EET"
        );
    }

    #[test]
    fn local_date_can_differ_from_utc_date() {
        let dubai = SiteTimeZone::parse("Asia/Dubai").unwrap();
        let local = dubai.local(datetime!(2016-03-23 22:30 UTC));
        assert_eq!((local.day, local.weekday_from_monday), (24, 3));
    }

    #[test]
    fn months_begin_at_local_midnight() {
        let dubai = SiteTimeZone::parse("Asia/Dubai").unwrap();
        let (start, end) = dubai.month_range(2016, 3).unwrap();
        assert_eq!(start, datetime!(2016-02-29 20:00 UTC));
        assert_eq!(end, datetime!(2016-03-31 20:00 UTC));
        assert!(dubai.month_range(2016, 13).is_none());
        assert_eq!(
            dubai.month_range(2016, 12).unwrap().1,
            datetime!(2016-12-31 20:00 UTC)
        );
    }

    #[test]
    fn bad_settings_are_refused_with_a_reason() {
        assert_eq!(
            DatePattern::parse("{yyyy} {bogus}"),
            Err(DateSettingError::UnknownPlaceholder("bogus".into()))
        );
        assert_eq!(DatePattern::parse("{yyyy"), Err(DateSettingError::Unclosed));
        assert!(matches!(
            SiteTimeZone::parse("Mars/Olympus"),
            Err(DateSettingError::UnknownTimeZone(_))
        ));
    }
}
