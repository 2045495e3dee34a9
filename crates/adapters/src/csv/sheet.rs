//! One CSV input being read: BOM, header, column claims, rows and the problems found so far.

use super::code;
use super::fields::{Cells, Row};
use super::table::TableRows;
use crate::problem::{clip, Problems};
use crate::InputError;
use crate::Problem;
use csv::{ByteRecord, StringRecord};
use omniroute_core::codes::InputCode;
use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{Cursor, Read};

mod over_table;
mod parts;
mod plain;
#[cfg(test)]
mod plain_tests;

use plain::{line_ends, Plain};

pub(crate) use plain::{digits, field_end};

pub(crate) use parts::{PartRead, MIN_PART};

/// The whole input, borrowed from the caller or read into memory.
type Input<'a> = Cursor<Cow<'a, [u8]>>;

pub(crate) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A CSV input with its header read; hands out rows and collects problems.
///
/// The input is read into memory first: the csv crate's own line numbers are off after CRLF
/// line ends and blank lines, so [`Lines`] counts them from the bytes.
pub(crate) struct Sheet<'a> {
    reader: csv::Reader<Input<'a>>,
    lines: Lines,
    header: Vec<String>,
    claimed: Vec<bool>,
    record: StringRecord,
    /// How the rows are read: chosen at the first row.
    mode: Mode<'a>,
    rows: u64,
    problems: Problems,
}

/// How a sheet reads its rows.
enum Mode<'a> {
    /// No row read yet.
    Unread,
    /// Through the csv crate: some field is quoted.
    Csv,
    /// Lines split at commas: no field is quoted.
    Plain(Plain),
    /// The rows of a table of columns.
    Table(TableRows<'a>),
}

impl Sheet<'static> {
    /// Reads `input` into memory and opens it (see [`Sheet::over`]).
    pub fn open(input: impl Read, file: &str) -> Result<Self, InputError> {
        let mut data = crate::Source::read(input, file)?.bytes;
        if data.starts_with(BOM) {
            data.drain(..BOM.len());
        }
        Sheet::start(Cow::Owned(data), file)
    }
}

impl<'a> Sheet<'a> {
    /// Opens the file `data` in place, with no copy, and reads its header.
    pub fn over(data: &'a [u8], file: &str) -> Result<Self, InputError> {
        Sheet::start(Cow::Borrowed(data.strip_prefix(BOM).unwrap_or(data)), file)
    }

    /// Reads the header. Whole-file problems (empty, not UTF-8, wrong delimiter) are returned
    /// at once since no row can be read past them.
    fn start(data: Cow<'a, [u8]>, file: &str) -> Result<Self, InputError> {
        let input = Cursor::new(data);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut problems = Problems::new(file);
        let mut bytes = ByteRecord::new();
        if !read(&mut reader, &mut bytes, file)? {
            problems.error(
                InputCode::EmptyFile.id(),
                0,
                0,
                "the file is empty: there is no header row".into(),
                "write a header row naming the columns, then one row per record",
            );
            return Err(problems.into_error());
        }
        let header = match StringRecord::from_byte_record(bytes) {
            Ok(h) => h,
            Err(e) => {
                let column = e.utf8_error().field() as u64 + 1;
                problems.error(
                    InputCode::Encoding.id(),
                    1,
                    column,
                    not_utf8(),
                    ENCODING_HINT,
                );
                return Err(problems.into_error());
            }
        };
        let header: Vec<String> = header.iter().map(str::to_owned).collect();
        Sheet::with_header(reader, &header, problems)
    }

    /// A sheet whose header is `names` (trimmed and lowercased here), reading its rows from
    /// `reader`; reports a header that is one field holding another delimiter, or a repeated
    /// column name.
    fn with_header(
        reader: csv::Reader<Input<'a>>,
        names: &[String],
        mut problems: Problems,
    ) -> Result<Self, InputError> {
        let header: Vec<String> = names
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        if let [only] = header.as_slice() {
            if let Some((name, _)) = [("';'", ';'), ("a tab", '\t'), ("'|'", '|')]
                .into_iter()
                .find(|(_, d)| only.contains(*d))
            {
                problems.error(
                    InputCode::Delimiter.id(),
                    1,
                    1,
                    format!("the header is one field containing {name}: fields are not separated by commas"),
                    "use commas between fields (save or export as CSV, comma-delimited)",
                );
                return Err(problems.into_error());
            }
        }
        let mut seen = HashSet::with_capacity(header.len());
        for (i, name) in header.iter().enumerate() {
            if !name.is_empty() && !seen.insert(name.as_str()) {
                problems.error(
                    InputCode::DuplicateColumn.id(),
                    1,
                    i as u64 + 1,
                    format!("column {:?} appears more than once", clip(name)),
                    "keep one column of each name",
                );
            }
        }
        Ok(Self {
            reader,
            lines: Lines::default(),
            claimed: vec![false; header.len()],
            header,
            record: StringRecord::new(),
            mode: Mode::Unread,
            rows: 0,
            problems,
        })
    }

    /// The index of optional column `name`, if present.
    pub fn optional(&mut self, name: &str) -> Option<usize> {
        let i = self.header.iter().position(|h| h == name)?;
        self.claimed[i] = true;
        Some(i)
    }

    /// The index of a required column, found under its first name present in `names`
    /// (synonyms); reports it missing, or present under two names.
    pub fn required(&mut self, names: &[&str]) -> Option<usize> {
        let found: Vec<usize> = names.iter().filter_map(|n| self.optional(n)).collect();
        for &extra in found.iter().skip(1) {
            self.problems.error(
                InputCode::DuplicateColumn.id(),
                1,
                extra as u64 + 1,
                format!("columns {} mean the same thing", names.join(" and ")),
                "keep one of them",
            );
        }
        if found.is_empty() {
            let also: Vec<String> = names[1..].iter().map(|n| format!(" (or {n:?})")).collect();
            let also = also.concat();
            self.problems.error(
                InputCode::MissingColumn.id(),
                1,
                0,
                format!("required column {:?}{also} is missing", names[0]),
                &format!(
                    "add a {:?} column to the header (the header is: {})",
                    names[0],
                    clip(&self.header.join(","))
                ),
            );
        }
        found.first().copied()
    }

    /// Columns whose name starts with `prefix`: (index, rest of the name).
    pub fn prefixed(&self, prefix: &str) -> Vec<(usize, String)> {
        self.header
            .iter()
            .enumerate()
            .filter_map(|(i, h)| Some((i, h.strip_prefix(prefix)?.to_owned())))
            .collect()
    }

    /// Marks column `i` as handled and warns that it is ignored, with a specific message.
    pub fn ignore(&mut self, i: usize, message: String, hint: &str) {
        self.claimed[i] = true;
        self.problems
            .warning(code::UNKNOWN_COLUMN, 1, i as u64 + 1, message, hint);
    }

    /// Marks column `i` as handled.
    pub fn claim(&mut self, i: usize) {
        self.claimed[i] = true;
    }

    /// Warns about every column nobody claimed; `known` lists the columns the format knows.
    pub fn end_header(&mut self, known: &str) {
        let hint = format!("check the spelling; known columns are {known}");
        for i in 0..self.header.len() {
            if !self.claimed[i] {
                let message = match self.header[i].as_str() {
                    "" => "column without a name is ignored".to_owned(),
                    name => format!("unknown column {:?} is ignored", clip(name)),
                };
                self.problems
                    .warning(code::UNKNOWN_COLUMN, 1, i as u64 + 1, message, &hint);
            }
        }
    }

    /// The next data row with as many fields as the header and valid UTF-8; rows that are not
    /// are reported and skipped. `None` at the end, or once [`MAX_PROBLEMS`] are found.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, InputError> {
        self.choose_mode();
        match self.mode {
            Mode::Plain(_) => return Ok(self.next_plain()),
            Mode::Table(_) => return self.next_in_table(),
            Mode::Unread | Mode::Csv => {}
        }
        loop {
            let mut bytes = std::mem::take(&mut self.record).into_byte_record();
            if self.problems.is_full() {
                let more = read(&mut self.reader, &mut bytes, self.problems.file())?;
                self.problems.stop(more);
                return Ok(None);
            }
            if !read(&mut self.reader, &mut bytes, self.problems.file())? {
                return Ok(None);
            }
            self.rows += 1;
            let start = bytes.position().map_or(0, csv::Position::byte) as usize;
            let line = self.lines.line_at(self.reader.get_ref().get_ref(), start);
            if bytes.len() != self.header.len() {
                self.problems.error(
                    InputCode::FieldCount.id(),
                    line,
                    0,
                    field_count(bytes.len(), self.header.len()),
                    FIELD_COUNT_HINT,
                );
                continue;
            }
            match StringRecord::from_byte_record(bytes) {
                Ok(record) => {
                    self.record = record;
                    let cells = Cells::Record(&self.record);
                    let row = Row::new(line, cells, &self.header, &mut self.problems);
                    return Ok(Some(row));
                }
                Err(e) => {
                    let column = e.utf8_error().field() as u64 + 1;
                    not_utf8_at(&mut self.problems, line, column);
                }
            }
        }
    }

    /// [`Sheet::next_row`], letting `fast` take the rows it can first: when no field is quoted,
    /// `fast` is handed the bytes from a row's start to the end of the input, with the row's
    /// line, and either takes the row (it has no problem) and returns where its line ends, or
    /// returns `None`, and that row is read as [`Sheet::next_row`] reads it. A reader's fast path
    /// takes only rows whose cells it reads exactly as [`Row`] would, without a problem, so the
    /// values, problems and lines are the same as row by row.
    pub fn next_row_fast(
        &mut self,
        fast: &mut impl FnMut(&[u8], u64) -> Option<usize>,
    ) -> Result<Option<Row<'_>>, InputError> {
        self.choose_mode();
        if let Mode::Plain(plain) = &mut self.mode {
            if !self.problems.is_full() {
                self.rows += plain.take(self.reader.get_ref().get_ref(), fast);
            }
        }
        self.next_row()
    }

    /// At the first row, chooses how the rows are read.
    fn choose_mode(&mut self) {
        if let Mode::Unread = self.mode {
            let data: &[u8] = self.reader.get_ref().get_ref();
            let at = parts::rows_start(data, self.reader.position().byte());
            self.mode =
                Plain::over(data, at, line_ends(&data[..at]) + 1).map_or(Mode::Csv, Mode::Plain);
        }
    }

    /// How many columns the header has.
    pub fn columns(&self) -> usize {
        self.header.len()
    }

    /// [`Sheet::next_row`] when no field is quoted: the same rows, lines and problems.
    fn next_plain(&mut self) -> Option<Row<'_>> {
        let Mode::Plain(plain) = &mut self.mode else {
            return None;
        };
        let data: &[u8] = self.reader.get_ref().get_ref();
        loop {
            if self.problems.is_full() {
                let more = plain.next(data).is_some();
                self.problems.stop(more);
                return None;
            }
            let line = plain.next(data)?;
            self.rows += 1;
            let fields = plain.bounds().len();
            if fields != self.header.len() {
                self.problems.error(
                    InputCode::FieldCount.id(),
                    line,
                    0,
                    field_count(fields, self.header.len()),
                    FIELD_COUNT_HINT,
                );
                continue;
            }
            match std::str::from_utf8(plain.row(data)) {
                Ok(text) => {
                    let cells = Cells::Split(text, plain.bounds());
                    return Some(Row::new(line, cells, &self.header, &mut self.problems));
                }
                Err(e) => {
                    let column = plain.field_at(e.valid_up_to()) as u64 + 1;
                    not_utf8_at(&mut self.problems, line, column);
                }
            }
        }
    }

    /// Reports an error found after the rows were read (for example a repeated key), at
    /// `line` and 1-based `column`.
    pub fn error(
        &mut self,
        code: &'static str,
        line: u64,
        column: u64,
        message: String,
        hint: &str,
    ) {
        self.problems.error(code, line, column, message, hint);
    }

    /// About how many data rows are left, from the length of the rows in the next 64 KiB and an
    /// eighth more (rows further on may be shorter): for sizing a reader's output once instead
    /// of growing it row by row. Capacity never written to costs no memory.
    pub fn rows_hint(&self) -> usize {
        if let Mode::Table(rows) = &self.mode {
            return rows.remaining();
        }
        let data = self.reader.get_ref().get_ref();
        let at = (self.reader.position().byte() as usize).min(data.len());
        let rest = &data[at..];
        let sample = &rest[..rest.len().min(64 * 1024)];
        if sample.is_empty() {
            return 0;
        }
        #[allow(clippy::naive_bytecount)] // 64 KiB once per file
        let ends = sample.iter().filter(|&&b| b == b'\n').count() + 1;
        let rows = rest.len() as u64 * ends as u64 / sample.len() as u64;
        (rows + rows / 8) as usize + 16
    }

    /// Ends the read at the header: every problem found so far.
    pub fn into_error(self) -> InputError {
        self.problems.into_error()
    }

    /// Ends the read: the warnings when the file had data rows and no error, else every error.
    pub fn finish(mut self) -> Result<Vec<Problem>, InputError> {
        if self.rows == 0 {
            self.problems.error(
                InputCode::EmptyFile.id(),
                0,
                0,
                "the file has a header but no rows".into(),
                "add at least one row under the header",
            );
        }
        if self.problems.total() > 0 {
            return Err(self.problems.into_error());
        }
        Ok(self.problems.into_warnings())
    }
}

const FIELD_COUNT_HINT: &str =
    "give every row one field per header column; quote fields that contain commas";

fn field_count(fields: usize, header: usize) -> String {
    format!("row has {fields} fields but the header has {header}")
}

const ENCODING_HINT: &str = "save the file as UTF-8 (for example \"CSV UTF-8\" in a spreadsheet)";

/// `E1002` at `line`, `column`: a field that is not UTF-8.
fn not_utf8_at(problems: &mut Problems, line: u64, column: u64) {
    problems.error(
        InputCode::Encoding.id(),
        line,
        column,
        not_utf8(),
        ENCODING_HINT,
    );
}

fn not_utf8() -> String {
    "the text is not valid UTF-8 (Latin-1, Windows-1252 or UTF-16?)".into()
}

fn read<R: Read>(
    reader: &mut csv::Reader<R>,
    into: &mut ByteRecord,
    file: &str,
) -> Result<bool, InputError> {
    reader.read_byte_record(into).map_err(|e| InputError::Io {
        file: file.to_owned(),
        message: e.to_string(),
    })
}

/// Line numbers from byte offsets, counting `\n`, `\r\n` and a lone `\r` as one line end.
#[derive(Default)]
struct Lines {
    /// Bytes before `offset` are counted.
    offset: usize,
    /// Line ends before `offset`.
    ends: u64,
}

impl Lines {
    /// The 1-based line of the record found at or after byte `start` (past any line ends and
    /// blank lines there); `start` never decreases between calls.
    fn line_at(&mut self, data: &[u8], start: usize) -> u64 {
        let mut first = start.max(self.offset);
        while matches!(data.get(first), Some(b'\r' | b'\n')) {
            first += 1;
        }
        let span = &data[self.offset..first];
        for (i, &b) in span.iter().enumerate() {
            let crlf = b == b'\r' && data.get(self.offset + i + 1) == Some(&b'\n');
            if b == b'\n' || (b == b'\r' && !crlf) {
                self.ends += 1;
            }
        }
        self.offset = first;
        self.ends + 1
    }
}
