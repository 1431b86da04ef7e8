//! Page numbers of paginated lists, parsed from untrusted query strings.

/// Largest page number accepted; deeper pages of any list are reachable
/// through the dated archive instead. Keeps OFFSET bounded.
pub const MAX_PAGE: u32 = 10_000;

/// A 1-based page number within `1..=MAX_PAGE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PageNumber(u32);

/// Why a `page` parameter was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("page must be a whole number from 1 to {MAX_PAGE}, not {0:?}")]
pub struct BadPageNumber(pub String);

impl PageNumber {
    pub const FIRST: PageNumber = PageNumber(1);

    /// Parses a `page` query value. Absent means the first page; zero and
    /// negative numbers are clamped to the first page, as WordPress does;
    /// anything that is not a number is refused.
    pub fn parse(raw: Option<&str>) -> Result<PageNumber, BadPageNumber> {
        let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
            return Ok(PageNumber::FIRST);
        };
        let truncated = || BadPageNumber(raw.chars().take(20).collect());
        let n: i64 = raw.parse().map_err(|_| truncated())?;
        if n > i64::from(MAX_PAGE) {
            return Err(truncated());
        }
        Ok(PageNumber(n.clamp(1, i64::from(MAX_PAGE)) as u32))
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Rows to skip for a page of `per_page` rows.
    pub fn offset(self, per_page: u32) -> i64 {
        i64::from(self.0 - 1) * i64::from(per_page)
    }
}

/// How many rows one page of a list holds, from an untrusted `per_page`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PerPage(u32);

/// Why a `per_page` parameter was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("per_page must be a whole number from 1 to {max}, not {text:?}")]
pub struct BadPerPage {
    pub text: String,
    pub max: u32,
}

impl PerPage {
    /// Parses a `per_page` query value. Absent means `default`; more than
    /// `max` is capped to `max` (the client gets the most it may have);
    /// zero, negatives and anything that is not a number are refused.
    pub fn parse(raw: Option<&str>, default: u32, max: u32) -> Result<PerPage, BadPerPage> {
        let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
            return Ok(PerPage(default.clamp(1, max.max(1))));
        };
        let refused = || BadPerPage {
            text: raw.chars().take(20).collect(),
            max,
        };
        let n: u64 = if raw.bytes().all(|b| b.is_ascii_digit()) {
            // A long run of digits is just a large number: cap it.
            raw.parse().unwrap_or(u64::MAX)
        } else {
            return Err(refused());
        };
        if n == 0 {
            return Err(refused());
        }
        Ok(PerPage(n.min(u64::from(max.max(1))) as u32))
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// Where a page sits among all pages of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Pagination {
    pub page: u32,
    pub pages: u32,
    pub total: i64,
    pub prev: Option<u32>,
    pub next: Option<u32>,
}

impl Pagination {
    pub fn new(page: PageNumber, per_page: u32, total: i64) -> Pagination {
        let pages = ((total.max(0) as u64).div_ceil(u64::from(per_page.max(1)))).max(1) as u32;
        let page = page.get();
        Pagination {
            page,
            pages,
            total,
            prev: (page > 1).then(|| page - 1),
            next: (page < pages).then(|| page + 1),
        }
    }

    /// True when the requested page lies past the last one.
    pub fn is_past_the_end(&self) -> bool {
        self.page > self.pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_parameters_are_parsed_clamped_or_refused() {
        assert_eq!(PageNumber::parse(None), Ok(PageNumber(1)));
        assert_eq!(PageNumber::parse(Some("3")), Ok(PageNumber(3)));
        assert_eq!(PageNumber::parse(Some("-1")), Ok(PageNumber(1)));
        assert_eq!(PageNumber::parse(Some("0")), Ok(PageNumber(1)));
        assert!(PageNumber::parse(Some("abc")).is_err());
        assert!(PageNumber::parse(Some("99999999999999999999999")).is_err());
        assert!(PageNumber::parse(Some("10001")).is_err());
    }

    #[test]
    fn per_page_defaults_caps_and_refuses() {
        let parse = |raw| PerPage::parse(raw, 20, 100).map(PerPage::get);
        assert_eq!(parse(None), Ok(20));
        assert_eq!(parse(Some(" ")), Ok(20));
        assert_eq!(parse(Some("5")), Ok(5));
        assert_eq!(parse(Some("500")), Ok(100));
        assert_eq!(parse(Some("99999999999999999999999")), Ok(100));
        for bad in ["0", "-3", "abc", "2.5"] {
            assert!(parse(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn pagination_knows_its_neighbours() {
        let p = Pagination::new(PageNumber(2), 10, 25);
        assert_eq!((p.pages, p.prev, p.next), (3, Some(1), Some(3)));
        assert!(Pagination::new(PageNumber(4), 10, 25).is_past_the_end());
        assert_eq!(Pagination::new(PageNumber(1), 10, 0).pages, 1);
    }
}
