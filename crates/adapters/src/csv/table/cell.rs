//! A table's cell as its row reader gives it ([`Cell`]), and the text of a cell written only
//! when a check reads it ([`Lazy`], [`Digits`]).

use jiff::Timestamp;
use std::cell::OnceCell;

#[cfg(doc)]
use super::{write_float, write_instant};

/// One cell of a table's row.
#[derive(Clone, Debug)]
pub(crate) enum Cell<'a> {
    /// A text cell, borrowed from its column (empty for a null).
    Text(&'a str),
    /// A text cell borrowed from a dictionary's value, and that value's [`DictKey`].
    Dict(&'a str, DictKey),
    /// A cell written in the row's text at these bounds (a 32-bit float, a date, a list…).
    Written(usize, usize),
    /// An integer cell: its value (`None` above `i64::MAX`) and its digits, written the first
    /// time a check reads the cell as text (most rows are read as integers only).
    Int(Option<i64>, Digits),
    /// A 64-bit float (not NaN), and its shortest text ([`write_float`]) once read as text.
    Float(f64, Lazy),
    /// An instant, and its RFC 3339 text (`…Z`, [`write_instant`]) once read as text.
    Instant(Timestamp, Lazy),
}

/// Which value of which dictionary a cell is: cells with the same key have the same text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DictKey {
    /// The dictionary's values (their address, while the table lives).
    pub dict: usize,
    /// The value's index in them.
    pub key: u32,
}

/// A cell's text, written the first time a check reads the cell as text: the orders' checks
/// take most floats and instants as values only.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lazy(OnceCell<Box<str>>);

impl Lazy {
    /// The text `write` writes, written once.
    pub fn text(&self, write: impl FnOnce(&mut String)) -> &str {
        self.0.get_or_init(|| {
            let mut text = String::new();
            write(&mut text);
            text.into_boxed_str()
        })
    }
}

/// An integer's digits, written on demand.
#[derive(Clone, Debug)]
pub(crate) struct Digits {
    /// The value when it is not an `i64` (above `i64::MAX`).
    big: u64,
    text: OnceCell<([u8; 20], u8)>,
}

impl Digits {
    pub(super) fn new(big: u64) -> Self {
        Digits {
            big,
            text: OnceCell::new(),
        }
    }

    /// The digits of `value` (or, for `None`, of the `u64` this holds).
    pub fn text(&self, value: Option<i64>) -> &str {
        let (bytes, len) = self.text.get_or_init(|| {
            let mut buf = itoa::Buffer::new();
            let digits = match value {
                Some(v) => buf.format(v),
                None => buf.format(self.big),
            };
            let mut bytes = [0; 20];
            bytes[..digits.len()].copy_from_slice(digits.as_bytes());
            (bytes, digits.len() as u8)
        });
        std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
    }
}
