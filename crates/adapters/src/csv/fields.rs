//! One data row and the field parsers shared by the readers. Each parser reports its own problem
//! (with the field's line and column) and returns `None`; the reader then drops the row.

use super::table::DictKey;
use crate::problem::clip;
use crate::problem::Problems;
use jiff::civil::{Date, Time, Weekday};
use jiff::Timestamp;
use omniroute_core::codes::InputCode;
use omniroute_core::LatLng;

mod cells;
mod parse;
pub(crate) use cells::{Cells, Value};
pub(crate) use parse::parse_date;
use parse::{parse_hh_mm, parse_int, parse_timestamp, parse_weekday, split_list};

/// A column of the file: its index when the header has it.
pub(crate) type Col = Option<usize>;

/// `text` without leading and trailing whitespace (as [`str::trim`]), at once when it is
/// [`untrimmed`], as most cells are.
fn trim(text: &str) -> &str {
    if untrimmed(text.as_bytes()) {
        text
    } else {
        text.trim()
    }
}

/// True when `cell` starts and ends with a visible ASCII character, so trimming leaves it whole
/// and it is not empty. The stock readers' fast paths take a cell as it is only then, so they
/// read what the row checks read.
#[inline]
pub(crate) fn untrimmed(cell: &[u8]) -> bool {
    match cell {
        [first, .., last] => first.is_ascii_graphic() && last.is_ascii_graphic(),
        [only] => only.is_ascii_graphic(),
        [] => false,
    }
}

/// `a == b` without a call to libc's `memcmp` for the short texts of cells (ids, names,
/// codes): up to seven bytes compared one by one, 8 to 16 as their first and last eight bytes.
#[inline]
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().expect("8 bytes"));
    match a.len() {
        0..8 => a.iter().zip(b).all(|(x, y)| x == y),
        8..=16 => {
            let last = a.len() - 8;
            word(a, 0) == word(b, 0) && word(a, last) == word(b, last)
        }
        _ => a == b,
    }
}

/// One data row being read.
pub(crate) struct Row<'a> {
    /// Line of the row in the file (the header is line 1).
    pub line: u64,
    record: Cells<'a>,
    header: &'a [String],
    problems: &'a mut Problems,
    start: usize,
}

impl<'a> Row<'a> {
    pub(crate) fn new(
        line: u64,
        record: Cells<'a>,
        header: &'a [String],
        problems: &'a mut Problems,
    ) -> Self {
        let start = problems.total();
        Self {
            line,
            record,
            header,
            problems,
            start,
        }
    }

    /// True while no error was reported for this row.
    pub fn is_clean(&self) -> bool {
        self.problems.total() == self.start
    }

    /// Errors reported for this row so far.
    pub fn errors(&self) -> usize {
        self.problems.total() - self.start
    }

    /// Reports an error about column `col` of this row (0 = the whole row when `None`).
    pub fn error(&mut self, code: &'static str, col: Col, message: String, hint: &str) {
        let column = col.map_or(0, |i| i as u64 + 1);
        self.problems.error(code, self.line, column, message, hint);
    }

    /// Reports a warning about column `col` of this row.
    pub fn warning(&mut self, code: &'static str, col: Col, message: String, hint: &str) {
        let column = col.map_or(0, |i| i as u64 + 1);
        self.problems
            .warning(code, self.line, column, message, hint);
    }

    /// The header name of column `col`.
    pub fn name(&self, col: usize) -> &'a str {
        let header: &'a [String] = self.header;
        &header[col]
    }

    /// The trimmed cell, or `None` when the column is absent or the cell empty.
    #[inline]
    pub fn cell(&self, col: Col) -> Option<&'a str> {
        let text = trim(self.record.get(col?)?);
        (!text.is_empty()).then_some(text)
    }

    /// The cell as a table holds it when it is a value, not text (see [`Value`]).
    #[inline]
    pub fn value(&self, col: Col) -> Option<Value> {
        self.record.value(col?)
    }

    /// The cell's key in its dictionary, when a table's dictionary column holds it.
    #[inline]
    pub fn dict_key(&self, col: Col) -> Option<DictKey> {
        self.record.dict_key(col?)
    }

    /// A required text value: reports an empty cell (an absent column was reported already).
    pub fn text(&mut self, col: Col) -> Option<&'a str> {
        let text = self.cell(col);
        if text.is_none() {
            self.empty(col?);
        }
        text
    }

    /// A required value, read later: reports an empty cell as [`Row::text`] does, without
    /// reading the cell as text.
    pub fn filled(&mut self, col: Col) -> Option<()> {
        let i = col?;
        if self.record.is_blank(i) {
            self.empty(i);
            return None;
        }
        Some(())
    }

    /// Reports that required column `i` is empty on this row.
    fn empty(&mut self, i: usize) {
        let name = self.name(i);
        self.error(
            InputCode::EmptyValue.id(),
            Some(i),
            format!("{name} is empty"),
            &format!("fill in {name}; it is required"),
        );
    }

    /// An optional value parsed by `parse`; a cell it rejects is reported with `code`, saying
    /// the cell is not `what`.
    pub fn parse<T>(
        &mut self,
        col: Col,
        code: &'static str,
        what: &str,
        hint: &str,
        parse: impl FnOnce(&str) -> Option<T>,
    ) -> Option<T> {
        let text = self.cell(col)?;
        let value = parse(text);
        if value.is_none() {
            let name = self.name(col?);
            let text = clip(text);
            self.error(code, col, format!("{name} {text:?} is not {what}"), hint);
        }
        value
    }

    /// An optional whole number in `min..=max`.
    #[inline]
    pub fn int(&mut self, col: Col, min: i64, max: i64) -> Option<i64> {
        let held = col.and_then(|i| self.record.int(i));
        let v = match held {
            Some(v) => v,
            None => self.int_text(col)?,
        };
        self.in_range(col, v, min, max)
    }

    /// An optional whole number written as text.
    fn int_text(&mut self, col: Col) -> Option<i64> {
        self.parse(
            col,
            InputCode::Number.id(),
            "a whole number",
            "write digits only, like 12 or -3",
            parse_int,
        )
    }

    /// Reports `v` unless it lies in `min..=max`.
    #[inline]
    pub fn in_range(&mut self, col: Col, v: i64, min: i64, max: i64) -> Option<i64> {
        if (min..=max).contains(&v) {
            return Some(v);
        }
        self.out_of_range(col, v, min, max)
    }

    #[cold]
    fn out_of_range(&mut self, col: Col, v: i64, min: i64, max: i64) -> Option<i64> {
        let name = self.name(col?);
        self.error(
            InputCode::Range.id(),
            col,
            format!("{name} {v} is out of range"),
            &format!("use a value from {min} to {max}"),
        );
        None
    }

    /// An optional finite number from `min` to `max`;
    /// `max: None` means no upper bound.
    pub fn float(&mut self, col: Col, min: f64, max: Option<f64>) -> Option<f64> {
        let v = self.number(col)?;
        if v.is_finite() && v >= min && max.is_none_or(|max| v <= max) {
            return Some(v);
        }
        let name = self.name(col?);
        let to = max.map_or_else(|| "upwards".to_owned(), |max| format!("to {max}"));
        self.error(
            InputCode::Range.id(),
            col,
            format!("{name} {v} is out of range"),
            &format!("use a finite value from {min} {to}"),
        );
        None
    }

    /// An optional number: a table's float cell as it is held (its text reads back as it),
    /// any other cell parsed.
    fn number(&mut self, col: Col) -> Option<f64> {
        if let Some(v) = col.and_then(|i| self.record.float(i)) {
            return Some(v);
        }
        self.parse(
            col,
            InputCode::Number.id(),
            "a number",
            "write a decimal number with a point, like 12.5",
            |s| s.parse().ok(),
        )
    }

    /// A required position from two columns, each checked on its own.
    pub fn lat_lng(&mut self, lat: Col, lon: Col) -> Option<LatLng> {
        let lat_deg = self
            .filled(lat)
            .and_then(|()| self.number(lat))
            .and_then(|v| self.degrees(lat, v, 90.0));
        let lon_deg = self
            .filled(lon)
            .and_then(|()| self.number(lon))
            .and_then(|v| self.degrees(lon, v, 180.0));
        LatLng::new(lat_deg?, lon_deg?).ok()
    }

    fn degrees(&mut self, col: Col, v: f64, limit: f64) -> Option<f64> {
        if v.is_finite() && (-limit..=limit).contains(&v) {
            return Some(v);
        }
        let name = self.name(col?);
        self.error(
            InputCode::LatLon.id(),
            col,
            format!("{name} {v} is not a finite number from -{limit} to {limit}"),
            "write WGS84 decimal degrees (latitude -90..90, longitude -180..180); check lat and lon are not swapped",
        );
        None
    }

    /// An optional boolean: true/false, 1/0, yes/no (any case).
    pub fn boolean(&mut self, col: Col) -> Option<bool> {
        self.parse(
            col,
            InputCode::Boolean.id(),
            "true or false",
            "write true/false, yes/no or 1/0",
            |s| {
                let is = |word: &str| s.eq_ignore_ascii_case(word);
                if is("true") || is("1") || is("yes") {
                    Some(true)
                } else if is("false") || is("0") || is("no") {
                    Some(false)
                } else {
                    None
                }
            },
        )
    }

    /// An optional local time `HH:MM`.
    pub fn time(&mut self, col: Col) -> Option<Time> {
        self.parse(
            col,
            InputCode::Time.id(),
            "a time HH:MM",
            "write a 24-hour local time like 14:30",
            parse_hh_mm,
        )
    }

    /// An optional date `YYYY-MM-DD`.
    pub fn date(&mut self, col: Col) -> Option<Date> {
        self.parse(
            col,
            InputCode::Date.id(),
            "a date YYYY-MM-DD",
            "write a date like 2025-03-31",
            parse_date,
        )
    }

    /// An optional RFC 3339 timestamp: a table's instant as it is held (its text reads back as
    /// it), any other cell parsed.
    pub fn timestamp(&mut self, col: Col) -> Option<Timestamp> {
        if let Some(ts) = col.and_then(|i| self.record.instant(i)) {
            return Some(ts);
        }
        self.parse(
            col,
            InputCode::Date.id(),
            "an RFC 3339 timestamp",
            "write a time with its offset (from -23:59 to +23:59), like 2025-03-31T09:30:00+05:30 or 2025-03-31T04:00:00Z",
            parse_timestamp,
        )
    }

    /// `;`-separated dates (an empty cell: none).
    pub fn dates(&mut self, col: Col) -> Vec<Date> {
        self.list_of(
            col,
            InputCode::Date.id(),
            "a date YYYY-MM-DD",
            "write dates like 2025-01-26;2025-08-15",
            parse_date,
        )
    }

    /// `;`-separated weekday names (an empty cell: none).
    pub fn weekdays(&mut self, col: Col) -> Vec<Weekday> {
        self.list_of(
            col,
            InputCode::Weekday.id(),
            "a weekday",
            "write weekday names like sun or sat;sun",
            parse_weekday,
        )
    }

    fn list_of<T>(
        &mut self,
        col: Col,
        code: &'static str,
        what: &str,
        hint: &str,
        parse: fn(&str) -> Option<T>,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for item in split_list(self.cell(col)) {
            if let Some(v) = parse(item) {
                out.push(v);
            } else {
                let name = col.map_or("", |i| self.name(i));
                let message = format!("{name} item {:?} is not {what}", clip(item));
                self.error(code, col, message, hint);
            }
        }
        out
    }

    /// `;`-separated values, trimmed, empty ones dropped.
    pub fn list(&self, col: Col) -> Vec<String> {
        split_list(self.cell(col))
            .into_iter()
            .map(str::to_owned)
            .collect()
    }
}
