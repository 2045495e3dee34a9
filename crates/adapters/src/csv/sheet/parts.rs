//! A sheet's rows split into parts read on several threads, and joined back in file order.
//!
//! A part is a [`Sheet`] over a run of whole rows: it numbers its lines from its own start,
//! and [`Sheet::join_read`] moves its problems to their lines in the file. Splitting needs every
//! line end to be a row end, so a file that quotes any field is read on one thread.
//!
//! A table of columns is split the same way into runs of rows ([`Sheet::split_table`]), which
//! keep their lines in the table; [`Sheet::join_window`] takes them back.

use super::plain::{line_ends, Plain};
use super::{Lines, Mode, Sheet};
use crate::csv::table::TableRows;
use csv::StringRecord;
use memchr::memchr;
use std::borrow::Cow;
use std::io::Cursor;

/// A part of a sheet read to its end ([`Sheet::into_read`]).
pub(crate) struct PartRead {
    rows: u64,
    /// Line ends in the part.
    lines: u64,
    /// The line of its last row (from the part's start), if it has one.
    last_row: Option<u64>,
    problems: super::Problems,
}

/// The bytes a chunk of stock.csv is made of, two a core (`csv/stock.rs`, `Threads`); its parts
/// are a quarter of this long or more on average.
pub(crate) const MIN_PART: usize = 1 << 20;

impl<'a> Sheet<'a> {
    /// The rows not read yet, which the caller knows quote no field (a quoted field may hold a
    /// line end), split at line ends into up to `parts` sheets of `min_bytes` or more on
    /// average (a quarter of [`MIN_PART`] but in tests), in file order, each shorter than the
    /// one before (a part's length in proportion to `parts`, `parts - 1`, ..., 1), to be read
    /// by threads that claim them in order (as plain lines, not searched for a quote again) and
    /// handed back to [`Sheet::join_read`]. Empty, meaning "read `self`", when the rows are too
    /// short to split or the file is not borrowed.
    pub fn split(&self, parts: usize, min_bytes: usize) -> Vec<Sheet<'a>> {
        let Cow::Borrowed(data) = self.reader.get_ref().get_ref() else {
            return Vec::new();
        };
        let data: &'a [u8] = data;
        let at = rows_start(data, self.reader.position().byte());
        let rows = &data[at..];
        debug_assert!(
            memchr(b'"', rows).is_none(),
            "split: the rows quote a field"
        );
        let parts = parts.min(rows.len() / min_bytes.max(1));
        if parts < 2 {
            return Vec::new();
        }
        let mut out = Vec::with_capacity(parts);
        let mut start = at;
        // Each part shorter than the one before (by weights `parts`, `parts - 1`, ..., 1):
        // threads that claim parts in order end close together, on short parts.
        let total = parts * (parts + 1) / 2;
        for k in 1..=parts {
            let done = k * parts - k * (k - 1) / 2;
            let target = (at + rows.len() * done / total).max(start);
            let end = match memchr(b'\n', &data[target..]) {
                Some(i) if k < parts => target + i + 1,
                _ => data.len(),
            };
            if end > start {
                out.push(self.sibling(&data[start..end], Mode::Plain(Plain::unquoted(0, 1))));
            }
            start = end;
        }
        out
    }

    /// A sheet with this one's header over `rows`, numbering lines from the start of `rows`.
    pub fn part<'b>(&self, rows: &'b [u8]) -> Sheet<'b> {
        self.sibling(rows, Mode::Unread)
    }

    /// A sheet with this one's header, no problems yet, reading `rows` by `mode`.
    pub(super) fn sibling<'b>(&self, rows: &'b [u8], mode: Mode<'b>) -> Sheet<'b> {
        Sheet {
            reader: csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(Cursor::new(Cow::Borrowed(rows))),
            lines: Lines::default(),
            header: self.header.clone(),
            claimed: self.claimed.clone(),
            record: StringRecord::new(),
            mode,
            rows: 0,
            problems: super::Problems::new(self.problems.file()),
        }
    }

    /// The rows of a table not read yet, split into up to `parts` runs of at least `min_rows`
    /// rows, in order, to be read on their own threads and handed back to
    /// [`Sheet::join_window`]. Empty, meaning "read `self`", when the rows are too few to split
    /// or this sheet reads no table.
    pub fn split_table(&self, parts: usize, min_rows: usize) -> Vec<Sheet<'a>> {
        let Mode::Table(rows) = &self.mode else {
            return Vec::new();
        };
        let (start, end) = rows.unread();
        let count = end - start;
        let parts = parts.min(count / min_rows.max(1));
        if parts < 2 {
            return Vec::new();
        }
        (0..parts)
            .map(|k| {
                let (a, b) = (start + count * k / parts, start + count * (k + 1) / parts);
                self.sibling(&[], Mode::Table(TableRows::range(rows.table(), a, b)))
            })
            .collect()
    }

    /// What this part, read to its end, hands back to [`Sheet::join_read`], without a borrow
    /// of its bytes: its rows, problems and line ends (counted by its reader when it read every
    /// line, as it does but past the cap of problems).
    pub fn into_read(self) -> PartRead {
        let data: &[u8] = self.reader.get_ref().get_ref();
        let read = match &self.mode {
            Mode::Plain(plain) => plain.line_ends_read(data),
            _ => None,
        };
        let lines = read.unwrap_or_else(|| line_ends(data));
        // Its last row's line: past it, only blank lines.
        let last_row = data
            .iter()
            .rposition(|&b| b != b'\n' && b != b'\r')
            .map(|i| lines - line_ends(&data[i + 1..]) + 1);
        PartRead {
            rows: self.rows,
            lines,
            last_row,
            problems: self.problems,
        }
    }

    /// Takes back the parts of [`Sheet::split`] (or of [`Sheet::part`]), read to their end, in
    /// order, that follow the first `offset` lines of the file: their rows and problems (moved
    /// to their lines in the file) join this sheet's, and `offset` moves past their lines.
    /// Returns the line offset of each part: a row's line in the file is its line in the part
    /// plus its part's offset.
    ///
    /// As on one thread, reading counts as stopped at the cap when a row of these parts follows
    /// the one whose error reached it (a part knows only its own problems); whether rows follow
    /// these parts is for the caller to tell ([`Sheet::stop`]).
    pub fn join_read(&mut self, parts: Vec<PartRead>, offset: &mut u64) -> Vec<u64> {
        let mut offsets = Vec::with_capacity(parts.len());
        let mut last_row = None;
        for part in parts {
            offsets.push(*offset);
            self.rows += part.rows;
            self.problems.absorb(part.problems, *offset);
            last_row = part.last_row.map(|l| l + *offset).or(last_row);
            *offset += part.lines;
        }
        if let Some(line) = last_row {
            self.problems.stop_before(line);
        }
        offsets
    }

    /// The lines before the rows: the header's, and any blank ones before it.
    pub fn lines_before_rows(&self) -> u64 {
        let data: &[u8] = self.reader.get_ref().get_ref();
        line_ends(&data[..rows_start(data, self.reader.position().byte())])
    }

    /// Where the rows begin in the bytes this sheet reads.
    pub fn rows_at(&self) -> usize {
        rows_start(
            self.reader.get_ref().get_ref(),
            self.reader.position().byte(),
        )
    }

    /// The file's name, for messages.
    pub fn file(&self) -> &str {
        self.problems.file()
    }

    /// True once [`crate::csv::MAX_PROBLEMS`] errors are found: reading can stop there.
    pub fn is_full(&self) -> bool {
        self.problems.is_full()
    }

    /// Notes that reading stopped at the cap, `unread` telling whether input was left.
    pub fn stop(&mut self, unread: bool) {
        self.problems.stop(unread);
    }
}

/// Where the rows begin, given the reader's position after the header: past the `\n` of a
/// `\r\n` the reader stopped inside.
pub(super) fn rows_start(data: &[u8], position: u64) -> usize {
    let at = (position as usize).min(data.len());
    if data[..at].ends_with(b"\r") && data.get(at) == Some(&b'\n') {
        at + 1
    } else {
        at
    }
}
