//! Rows read straight off the bytes. When no field of the rows is quoted, a row is a line split
//! at its commas: that is how the csv crate reads it too, but without its per-byte state machine.
//! Blank lines are skipped and `\n`, `\r\n` and a lone `\r` each end a line, as there.
//!
//! A line's end and its commas are found in one pass over its bytes, eight at a time (rows are
//! short: a call to `memchr` per field cost more than the search).

use memchr::memchr;

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
        memchr(b'"', &data[at..])
            .is_none()
            .then(|| Plain::unquoted(at, line))
    }

    /// Reads the rows of `data` from `at`, on line `line`, for a caller that knows no field
    /// there is quoted (not searched again).
    pub fn unquoted(at: usize, line: u64) -> Plain {
        Plain {
            at,
            line,
            row: (at, at),
            bounds: Vec::new(),
        }
    }

    /// The line ends in `data` ([`line_ends`]), known without counting them once every line
    /// was read from the start of `data`; `None` before.
    pub fn line_ends_read(&self, data: &[u8]) -> Option<u64> {
        // The line count went one past a last line without a line end too.
        let unended = data.last().is_some_and(|b| !matches!(b, b'\n' | b'\r'));
        (self.at >= data.len()).then(|| self.line - 1 - u64::from(unended))
    }

    /// Reads the next line that is not blank, and returns its number.
    pub fn next(&mut self, data: &[u8]) -> Option<u64> {
        while self.at < data.len() {
            let start = self.at;
            let end = self.split(data, start);
            let line = self.line;
            self.at = match data.get(end..end + 2) {
                Some(b"\r\n") => end + 2,
                _ => end + 1,
            };
            self.line += 1;
            if end > start {
                self.row = (start, end);
                return Some(line);
            }
        }
        None
    }

    /// Hands `fast` the rows from the next line on while it takes them (see
    /// [`Sheet::next_row_fast`](super::Sheet::next_row_fast)), and returns how many it took.
    pub fn take(&mut self, data: &[u8], fast: &mut impl FnMut(&[u8], u64) -> Option<usize>) -> u64 {
        let mut taken = 0;
        while let Some(rest) = data.get(self.at..).filter(|r| !r.is_empty()) {
            let Some(len) = fast(rest, self.line) else {
                break;
            };
            self.at += match rest.get(len..len + 2) {
                Some(b"\r\n") => len + 2,
                _ => len + 1,
            };
            self.line += 1;
            taken += 1;
        }
        taken
    }

    /// Finds the end of the line starting at `start` (its first `\n` or `\r`, or the end of
    /// `data`) and returns it, with the bounds of its fields (split at commas) in `bounds`.
    fn split(&mut self, data: &[u8], start: usize) -> usize {
        self.bounds.clear();
        let mut from = start;
        let mut at = start;
        while let Some(word) = data.get(at..at + 8) {
            let word = u64::from_le_bytes(word.try_into().expect("8 bytes"));
            let mut hits =
                bytes_equal(word, b',') | bytes_equal(word, b'\n') | bytes_equal(word, b'\r');
            while hits != 0 {
                let i = at + (hits.trailing_zeros() / 8) as usize;
                self.bounds.push((from - start, i - start));
                if data[i] != b',' {
                    return i;
                }
                from = i + 1;
                hits &= hits - 1;
            }
            at += 8;
        }
        for (i, &b) in data.iter().enumerate().skip(at) {
            match b {
                b',' => {
                    self.bounds.push((from - start, i - start));
                    from = i + 1;
                }
                b'\n' | b'\r' => {
                    self.bounds.push((from - start, i - start));
                    return i;
                }
                _ => {}
            }
        }
        self.bounds.push((from - start, data.len() - start));
        data.len()
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

/// Where the field starting at `at` in `bytes` ends: its first `,`, `\n` or `\r`, or the end of
/// `bytes`; eight bytes at a time.
#[inline]
pub(crate) fn field_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(word) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(word.try_into().expect("8 bytes"));
        let hits = bytes_equal(word, b',') | bytes_equal(word, b'\n') | bytes_equal(word, b'\r');
        if hits != 0 {
            return at + (hits.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while let Some(&b) = bytes.get(at) {
        if matches!(b, b',' | b'\n' | b'\r') {
            break;
        }
        at += 1;
    }
    at
}

/// The whole number written in the digits of `bytes` from `at` (up to its first byte that is
/// not a digit), and where they end; `None` without a digit or with more than nine (nine digits
/// fit any `u32`).
#[inline]
pub(crate) fn digits(bytes: &[u8], at: usize) -> Option<(u32, usize)> {
    let mut value = 0u32;
    let mut end = at;
    while let Some(d) = bytes
        .get(end)
        .map(|b| b.wrapping_sub(b'0'))
        .filter(|&d| d < 10)
    {
        value = value.wrapping_mul(10).wrapping_add(u32::from(d));
        end += 1;
    }
    (1..=9).contains(&(end - at)).then_some((value, end))
}

/// The bytes of `word` equal to `b`, as their high bit (exact for every byte: no carry crosses
/// from one byte into the next).
fn bytes_equal(word: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ (u64::from(b) * 0x0101_0101_0101_0101);
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// Line ends in `bytes`: `\n`, `\r\n` and a lone `\r` count one each.
pub(super) fn line_ends(bytes: &[u8]) -> u64 {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
        .count() as u64
}
