//! The parsers of one cell's text (integers, times, dates, timestamps, weekdays, lists), each
//! `None` for text it does not read; [`Row`](super::Row) reports the problem.

use jiff::civil::{Date, Time, Weekday};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::Timestamp;

pub(super) fn split_list(cell: Option<&str>) -> Vec<&str> {
    cell.map(|c| {
        c.split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    })
    .unwrap_or_default()
}

/// `s` as `str::parse::<i64>` reads it, plain digits (most cells) without its sign and overflow
/// checks: 18 digits cannot overflow.
pub(super) fn parse_int(s: &str) -> Option<i64> {
    let digits = s.as_bytes();
    if digits.len() <= 18 && digits.iter().all(u8::is_ascii_digit) {
        let v = digits.iter().fold(0, |v, &d| v * 10 + i64::from(d - b'0'));
        return (!digits.is_empty()).then_some(v);
    }
    s.parse().ok()
}

pub(super) fn parse_hh_mm(s: &str) -> Option<Time> {
    let (h, m) = s.split_once(':')?;
    let digits = |t: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(h, 1..=2) || !digits(m, 2..=2) {
        return None;
    }
    Time::new(h.parse().ok()?, m.parse().ok()?, 0, 0).ok()
}

pub(crate) fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    s.parse().ok()
}

/// An RFC 3339 timestamp: jiff's parser, with the offset's hours limited to RFC 3339's 00–23
/// (jiff accepts up to ±25:59:59).
pub(super) fn parse_timestamp(s: &str) -> Option<Timestamp> {
    let ts = s.parse().ok()?;
    let pieces = Pieces::parse(s).ok()?;
    if let Some(PiecesOffset::Numeric(n)) = pieces.offset() {
        if n.offset().seconds().unsigned_abs() >= 24 * 3600 {
            return None;
        }
    }
    Some(ts)
}

pub(super) fn parse_weekday(s: &str) -> Option<Weekday> {
    const NAMES: [(&str, Weekday); 7] = [
        ("monday", Weekday::Monday),
        ("tuesday", Weekday::Tuesday),
        ("wednesday", Weekday::Wednesday),
        ("thursday", Weekday::Thursday),
        ("friday", Weekday::Friday),
        ("saturday", Weekday::Saturday),
        ("sunday", Weekday::Sunday),
    ];
    let s = s.to_ascii_lowercase();
    NAMES
        .iter()
        .find(|(name, _)| s.len() >= 3 && name.starts_with(&s))
        .map(|&(_, day)| day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hh_mm_accepts_24_hour_times_only() {
        assert_eq!(parse_hh_mm("9:05"), Time::new(9, 5, 0, 0).ok());
        assert_eq!(parse_hh_mm("23:59"), Time::new(23, 59, 0, 0).ok());
        for bad in [
            "24:00", "12:60", "12", "12:5", "1230", "ab:cd", "12:30:00", "-1:30",
        ] {
            assert_eq!(parse_hh_mm(bad), None, "{bad}");
        }
    }

    #[test]
    fn int_reads_as_str_parse() {
        for s in [
            "0",
            "7",
            "0042",
            "123456789012345678",
            "1234567890123456789",
            "9223372036854775807",
            "9223372036854775808",
            "-3",
            "+3",
            "-",
            "+",
            "",
            "1.0",
            "1e3",
            " 1",
            "12a",
            "٣",
        ] {
            assert_eq!(parse_int(s), s.parse().ok(), "{s:?}");
        }
    }

    #[test]
    fn dates_and_weekdays() {
        assert_eq!(parse_date("2025-02-28"), Date::new(2025, 2, 28).ok());
        for bad in ["2025-02-30", "2025-2-28", "28/02/2025", "2025-02-28T00:00"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(parse_weekday("Sun"), Some(Weekday::Sunday));
        assert_eq!(parse_weekday("thurs"), Some(Weekday::Thursday));
        assert_eq!(parse_weekday("su"), None);
        assert_eq!(parse_weekday("funday"), None);
    }

    #[test]
    fn timestamp_offsets_stay_within_rfc_3339() {
        for good in [
            "2025-03-31T09:30:00+05:30",
            "2025-03-31T04:00:00Z",
            "2025-03-31T04:00:00+23:59",
            "2025-03-31T04:00:00-23:59",
        ] {
            assert!(parse_timestamp(good).is_some(), "{good}");
        }
        for bad in [
            "2025-03-31T04:00:00+25:00",
            "2025-03-31T04:00:00-24:00",
            "2025-03-31T04:00:00+24:30",
            "2025-03-31 09:30",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
