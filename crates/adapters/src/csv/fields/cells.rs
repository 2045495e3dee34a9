//! [`Cells`]: the cells of one row as the readers get them, and a table cell's [`Value`].

use super::trim;
use crate::csv::table::{write_float, write_instant, Cell, DictKey};
use csv::StringRecord;
use jiff::Timestamp;

/// The cells of one row: a record the csv crate read, a line split at its commas, or a table's.
#[derive(Clone, Copy)]
pub(crate) enum Cells<'a> {
    Record(&'a StringRecord),
    /// A line and where each of its fields starts and ends.
    Split(&'a str, &'a [(usize, usize)]),
    /// A table's cells and the text of those written out.
    Table(&'a [Cell<'a>], &'a str),
}

impl<'a> Cells<'a> {
    /// The untrimmed cell `i`.
    #[inline]
    pub(in crate::csv) fn get(self, i: usize) -> Option<&'a str> {
        match self {
            Cells::Record(record) => record.get(i),
            Cells::Split(line, bounds) => bounds.get(i).map(|&(a, b)| &line[a..b]),
            Cells::Table(cells, text) => cells.get(i).map(|cell| match cell {
                Cell::Text(t) | Cell::Dict(t, _) => *t,
                Cell::Written(a, b) => &text[*a..*b],
                Cell::Int(value, digits) => digits.text(*value),
                Cell::Float(v, lazy) => lazy.text(|out| write_float(out, *v)),
                Cell::Instant(ts, lazy) => lazy.text(|out| {
                    let _ = write_instant(out, *ts); // (writing to a String cannot fail)
                }),
            }),
        }
    }

    /// True when cell `i` is blank (empty or whitespace), without writing out an integer's
    /// digits, a float or an instant.
    #[inline]
    pub(super) fn is_blank(self, i: usize) -> bool {
        if let Some(Cell::Int(..) | Cell::Float(..) | Cell::Instant(..)) = self.table_cell(i) {
            return false;
        }
        self.get(i).is_none_or(|t| trim(t).is_empty())
    }

    /// Cell `i` as a table holds it (`None` for a text row's cells).
    #[inline]
    pub(super) fn table_cell(self, i: usize) -> Option<&'a Cell<'a>> {
        match self {
            Cells::Table(cells, _) => cells.get(i),
            Cells::Record(_) | Cells::Split(..) => None,
        }
    }

    /// Cell `i` when it is held as an integer (a table's integer column), not as text.
    #[inline]
    pub(super) fn int(self, i: usize) -> Option<i64> {
        match self.table_cell(i)? {
            Cell::Int(value, _) => *value,
            _ => None,
        }
    }

    /// Cell `i` when it is held as a float (a table's), with its text: the value that text reads
    /// back as.
    #[inline]
    pub(super) fn float(self, i: usize) -> Option<f64> {
        match self.table_cell(i)? {
            Cell::Float(v, _) => Some(*v),
            _ => None,
        }
    }

    /// Cell `i`'s dictionary key, when a table's dictionary column holds it.
    #[inline]
    pub(super) fn dict_key(self, i: usize) -> Option<DictKey> {
        match self.table_cell(i)? {
            Cell::Dict(_, key) => Some(*key),
            _ => None,
        }
    }

    /// Cell `i` when a table holds it as a value, not as text.
    #[inline]
    pub(super) fn value(self, i: usize) -> Option<Value> {
        Some(match self.table_cell(i)? {
            Cell::Int(Some(v), _) => Value::Int(*v),
            Cell::Float(v, _) => Value::Float(v.to_bits()),
            Cell::Instant(ts, _) => Value::Instant(*ts),
            _ => return None,
        })
    }

    /// Cell `i` when it is held as an instant (a table's), with its text: the instant that text
    /// reads back as.
    #[inline]
    pub(super) fn instant(self, i: usize) -> Option<Timestamp> {
        match self.table_cell(i)? {
            Cell::Instant(ts, _) => Some(*ts),
            _ => None,
        }
    }
}

/// A table's cell held as a value (see [`crate::Table`]): its text is written from the value
/// alone, so two cells holding the same value have the same text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Value {
    Int(i64),
    /// A 64-bit float's bits.
    Float(u64),
    Instant(Timestamp),
}
