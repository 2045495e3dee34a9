//! Rows read straight off the bytes. When no field of the rows is quoted, a row is a line split
//! at its commas: that is how the csv crate reads it too, but without its per-byte state machine.
//! Blank lines are skipped and `\n`, `\r\n` and a lone `\r` each end a line, as there.

use memchr::{memchr, memchr2};

/// The place of the next line and the fields of the last one read.
pub(super) struct Plain {
    /// Where the next line starts.
    at: usize,
    /// The 1-based number of the line at `at`.
    line: u64,
    /// Where the last line read starts and ends (without its line end).
    row: (usize, usize),
    /// Where each of its fields starts and ends, from the start of the line.
    bounds: Vec<(usize, usize)>,
}

impl Plain {
    /// Reads the rows of `data` from `at`, on line `line`; `None` when a field there is quoted.
    pub fn over(data: &[u8], at: usize, line: u64) -> Option<Plain> {
        memchr(b'"', &data[at..]).is_none().then(|| Plain {
            at,
            line,
            row: (at, at),
            bounds: Vec::new(),
        })
    }

    /// Reads the next line that is not blank, and returns its number.
    pub fn next(&mut self, data: &[u8]) -> Option<u64> {
        while self.at < data.len() {
            let start = self.at;
            let end = memchr2(b'\n', b'\r', &data[start..]).map_or(data.len(), |i| start + i);
            let line = self.line;
            self.at = match data.get(end..end + 2) {
                Some(b"\r\n") => end + 2,
                _ => end + 1,
            };
            self.line += 1;
            if end > start {
                self.row = (start, end);
                self.split(&data[start..end]);
                return Some(line);
            }
        }
        None
    }

    fn split(&mut self, row: &[u8]) {
        self.bounds.clear();
        let mut from = 0;
        while let Some(i) = memchr(b',', &row[from..]) {
            self.bounds.push((from, from + i));
            from += i + 1;
        }
        self.bounds.push((from, row.len()));
    }

    /// The bytes of the last line read.
    pub fn row<'d>(&self, data: &'d [u8]) -> &'d [u8] {
        &data[self.row.0..self.row.1]
    }

    /// Where each field of the last line starts and ends.
    pub fn bounds(&self) -> &[(usize, usize)] {
        &self.bounds
    }

    /// The 0-based field of the last line holding its byte `at`.
    pub fn field_at(&self, at: usize) -> usize {
        self.bounds.iter().take_while(|b| b.1 <= at).count()
    }
}

/// Line ends in `bytes`: `\n`, `\r\n` and a lone `\r` count one each.
pub(super) fn line_ends(bytes: &[u8]) -> u64 {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .count() as u64
}
