//! A table of Arrow columns (a Parquet file's, a Python frame's) read by the CSV readers
//! themselves: each row's cells are handed to the same row checks as a file's, so a table and a
//! file with the same content give the same values or the same problems.
//!
//! Text columns, and dictionaries of text keyed by 32-bit integers, are borrowed as they are
//! (one downcast per batch). Integer columns are read as
//! integers (`Row::int` takes the value, with the checks and codes of a file's digits); their
//! digits are written only when a check reads the cell as text ([`Cell::Int`]). Floats are
//! written in Rust's shortest round-trip form of their own width (a whole number without a
//! fraction: pandas turns an integer column with missing cells into floats; a 32-bit 28.6 is
//! `28.6`), NaN and nulls as empty cells; every other type by the rules of [`text`] (dates,
//! times, timestamps, booleans, lists, other dictionaries); a 32-bit float, date, time or
//! zoneless timestamp cell equal to the one above it is copied from that row's text. A 64-bit float cell and an
//! instant (a timestamp with a time zone) are held as their value, which is what their text
//! reads back as, for `Row::number` and `Row::timestamp` to take and the orders' head to compare
//! ([`Cell::Float`], [`Cell::Instant`]); their text is written only when a check reads the cell
//! as text. A column of a type without a text form
//! there is `E1202`, before any row is read. A row's `line` is its position as in a file with a
//! header: row `i` (0-based, across batches) is line `i + 2`, also in a run of rows read on its
//! own ([`TableRows::range`]).

use super::fields::Cells;
use crate::Problem;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float32Type, Float64Type, Int32Type, Int64Type, UInt64Type};
use arrow_array::{
    Array, BooleanArray, Float32Array, Float64Array, Int32Array, Int64Array, LargeStringArray,
    RecordBatch, StringArray, StringViewArray, UInt64Array,
};
use arrow_cast::cast;
use arrow_schema::{ArrowError, DataType, Schema, TimeUnit};
use jiff::Timestamp;
use omniroute_core::codes::InputCode;
use text::{has_text_form, timestamp, TextColumn};
pub(crate) use text::{write_float, write_instant};

mod cell;
#[cfg(test)]
mod tests;
mod text;

pub(crate) use cell::{Cell, DictKey, Digits, Lazy};

/// A table of columns to read as rows: a name (for problems), column names and record batches.
#[derive(Debug, Clone)]
pub struct Table {
    pub(crate) name: String,
    pub(crate) columns: Vec<String>,
    /// The type of each column.
    types: Vec<DataType>,
    pub(crate) batches: Vec<RecordBatch>,
    /// The rows before this table's first in the input it is part of (a window of a file
    /// decoded a run of rows at a time): its row `i` is line `first_row + i + 2`.
    first_row: usize,
}

impl Table {
    /// A table named `name` (the `file` of its problems) with `schema`'s column names.
    pub fn new(name: &str, schema: &Schema, batches: Vec<RecordBatch>) -> Self {
        Table::window(name, schema, batches, 0)
    }

    /// The rows of `batches`, a window of a larger input: the `first_row` rows before them
    /// are in other windows.
    pub(crate) fn window(
        name: &str,
        schema: &Schema,
        batches: Vec<RecordBatch>,
        first_row: usize,
    ) -> Self {
        Table {
            name: name.to_owned(),
            columns: schema.fields().iter().map(|f| f.name().clone()).collect(),
            types: schema
                .fields()
                .iter()
                .map(|f| f.data_type().clone())
                .collect(),
            batches,
            first_row,
        }
    }

    /// This table's name and columns, without rows: what a sheet over its windows reads its
    /// header from.
    pub(crate) fn header(&self) -> Table {
        Table {
            name: self.name.clone(),
            columns: self.columns.clone(),
            types: self.types.clone(),
            batches: Vec::new(),
            first_row: 0,
        }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }

    /// `E1202` for every column of a type whose cells have no text form (binary, decimal,
    /// structs…), at line 1 and the column.
    pub(crate) fn column_type_problems(&self) -> Vec<Problem> {
        self.columns
            .iter()
            .zip(&self.types)
            .enumerate()
            .filter(|(_, (_, t))| !has_text_form(t))
            .map(|(i, (name, t))| Problem {
                code: InputCode::ParquetColumnType.id(),
                file: self.name.clone(),
                line: 1,
                column: i as u64 + 1,
                message: format!("column `{name}` has type {t}, which omniroute does not read"),
                hint: InputCode::ParquetColumnType.hint().into(),
            })
            .collect()
    }
}

/// The rows of a [`Table`] (or of a run of them), one at a time.
pub(crate) struct TableRows<'a> {
    table: &'a Table,
    /// The batch being read, and its columns.
    batch: usize,
    columns: Vec<Column<'a>>,
    /// The next row of that batch.
    row: usize,
    /// The line of the next row.
    line: u64,
    /// Rows left to read.
    left: usize,
    /// The cells of the last row read.
    cells: Vec<Cell<'a>>,
    /// The cells written as text, one after the other.
    text: String,
    /// The text of the row read before the last, and whether that row is the one above the
    /// next row in its batch: a cell whose value repeats the one above (an order's later lines)
    /// has its text copied, not written again.
    above: String,
    next_is_below: bool,
}

/// A column of one batch, by how its cells are read.
enum Column<'a> {
    /// Text, each cell borrowed.
    Text(Texts<'a>),
    Float(Float64Array),
    Float32(&'a Float32Array),
    Int(Int64Array),
    UInt(UInt64Array),
    /// Booleans, each cell `true` or `false` (as [`text`] writes them), borrowed, not written.
    Bool(&'a BooleanArray),
    /// By the rules of [`text`], and, for a temporal type, its values as `i64` (to see a cell
    /// equal to the one above).
    Other(TextColumn<'a>, Option<Fixed>),
}

/// The values of a column of timestamps, dates or times as integers, to tell a cell whose
/// value repeats the one above it: its text is the same. For a column of instants (timestamps
/// with a time zone), also their unit, to hand each cell's instant to the checks.
struct Fixed {
    values: Int64Array,
    instants: Option<TimeUnit>,
}

impl Fixed {
    fn of(c: &dyn Array) -> Option<Self> {
        if !c.data_type().is_temporal() {
            return None;
        }
        let values = cast(c, &DataType::Int64).ok()?;
        let instants = match c.data_type() {
            DataType::Timestamp(unit, Some(_)) => Some(*unit),
            _ => None,
        };
        Some(Fixed {
            values: values.as_primitive::<Int64Type>().clone(),
            instants,
        })
    }

    /// True when cells `row - 1` and `row` hold the same value (neither null).
    fn same_as_above(&self, row: usize) -> bool {
        let a = &self.values;
        row > 0 && a.is_valid(row) && a.is_valid(row - 1) && a.value(row) == a.value(row - 1)
    }

    /// The instant of cell `row` in a column of instants (`None` for a null, one out of range
    /// or another type).
    fn instant(&self, row: usize) -> Option<Timestamp> {
        let unit = self.instants?;
        let a = &self.values;
        a.is_valid(row).then(|| timestamp(a.value(row), unit))?
    }
}

impl Column<'_> {
    /// True when cell `row` is written as text and holds the value of cell `row - 1`.
    fn same_as_above(&self, row: usize) -> bool {
        match self {
            Column::Float32(a) => {
                row > 0
                    && a.is_valid(row)
                    && a.is_valid(row - 1)
                    && a.value(row).to_bits() == a.value(row - 1).to_bits()
            }
            Column::Other(_, Some(fixed)) => fixed.same_as_above(row),
            _ => false,
        }
    }
}

impl<'a> TableRows<'a> {
    pub fn new(table: &'a Table) -> Self {
        TableRows::range(table, 0, table.rows())
    }

    /// Rows `start..end` of `table`, numbered by their line in the whole input.
    pub fn range(table: &'a Table, start: usize, end: usize) -> Self {
        let (mut batch, mut row) = (0, start);
        while let Some(b) = table.batches.get(batch) {
            if row < b.num_rows() {
                break;
            }
            row -= b.num_rows();
            batch += 1;
        }
        TableRows {
            table,
            batch,
            columns: Vec::new(),
            row,
            line: (table.first_row + start) as u64 + 2,
            left: end.saturating_sub(start),
            cells: Vec::new(),
            text: String::new(),
            above: String::new(),
            next_is_below: false,
        }
    }

    /// The table these rows are of.
    pub fn table(&self) -> &'a Table {
        self.table
    }

    /// The rows not read yet: `start..end` in the table.
    pub fn unread(&self) -> (usize, usize) {
        let start = (self.line - 2) as usize - self.table.first_row;
        (start, start + self.left)
    }

    /// Rows not read yet.
    pub fn remaining(&self) -> usize {
        self.left
    }

    /// Reads the next row and returns its line; `None` after the last.
    pub fn next(&mut self) -> Result<Option<u64>, ArrowError> {
        if self.left == 0 {
            return Ok(None);
        }
        loop {
            let Some(batch) = self.table.batches.get(self.batch) else {
                return Ok(None);
            };
            if self.columns.is_empty() {
                self.columns = batch
                    .columns()
                    .iter()
                    .map(|c| column(c.as_ref()))
                    .collect::<Result<_, _>>()?;
            }
            if self.row < batch.num_rows() {
                break;
            }
            self.batch += 1;
            self.row = 0;
            self.columns.clear();
            self.next_is_below = false;
        }
        std::mem::swap(&mut self.text, &mut self.above);
        self.text.clear();
        if !self.next_is_below || self.cells.len() != self.columns.len() {
            self.cells.clear();
            self.next_is_below = false;
        }
        for (i, c) in self.columns.iter().enumerate() {
            let cell = match self.cells.get(i) {
                Some(&Cell::Written(a, b)) if c.same_as_above(self.row) => {
                    let start = self.text.len();
                    self.text.push_str(&self.above[a..b]);
                    Cell::Written(start, self.text.len())
                }
                _ => read_cell(&mut self.text, c, self.row)?,
            };
            match self.cells.get_mut(i) {
                Some(old) => *old = cell,
                None => self.cells.push(cell),
            }
        }
        self.next_is_below = true;
        self.row += 1;
        self.line += 1;
        self.left -= 1;
        Ok(Some(self.line - 1))
    }

    /// The batch of the next row, that row's index in it, how many rows of the batch are left to
    /// read from it, and its line; `None` after the last row. For a reader that takes a run of
    /// rows at once ([`TableRows::skip`]).
    pub fn run(&mut self) -> Option<(&'a RecordBatch, usize, usize, u64)> {
        if self.left == 0 {
            return None;
        }
        loop {
            let batch = self.table.batches.get(self.batch)?;
            if self.row < batch.num_rows() {
                let rows = (batch.num_rows() - self.row).min(self.left);
                return Some((batch, self.row, rows, self.line));
            }
            self.batch += 1;
            self.row = 0;
            self.columns.clear();
            self.next_is_below = false;
        }
    }

    /// Passes over the first `n` rows of [`TableRows::run`], taken by the reader.
    pub fn skip(&mut self, n: usize) {
        self.next_is_below &= n == 0;
        self.row += n;
        self.line += n as u64;
        self.left -= n;
    }

    /// The cells of the last row read.
    pub fn cells(&self) -> Cells<'_> {
        Cells::Table(&self.cells, &self.text)
    }
}

fn column(c: &dyn Array) -> Result<Column<'_>, ArrowError> {
    if let Some(t) = Texts::of(c) {
        return Ok(Column::Text(t));
    }
    Ok(match c.data_type() {
        DataType::Boolean => Column::Bool(c.as_boolean()),
        DataType::Float32 => Column::Float32(c.as_primitive::<Float32Type>()),
        DataType::Float16 | DataType::Float64 => Column::Float(
            cast(c, &DataType::Float64)?
                .as_primitive::<Float64Type>()
                .clone(),
        ),
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => Column::Int(
            cast(c, &DataType::Int64)?
                .as_primitive::<Int64Type>()
                .clone(),
        ),
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => Column::UInt(
            cast(c, &DataType::UInt64)?
                .as_primitive::<UInt64Type>()
                .clone(),
        ),
        // `Sheet::table` refused the types without a text form.
        _ => Column::Other(TextColumn::new(c), Fixed::of(c)),
    })
}

/// Cell `row` of `c`: its text borrowed, its integer, float or instant value, or its text
/// written at the end of `out`.
fn read_cell<'a>(out: &mut String, c: &Column<'a>, row: usize) -> Result<Cell<'a>, ArrowError> {
    let text = |t: &'a str| Ok(Cell::Text(t));
    let start = out.len();
    match c {
        Column::Text(Texts::Dict(keys, values)) => {
            // (`dict_value` checked the key: a valid index, not negative.)
            return Ok(match dict_value(keys, values, row) {
                Some(t) => Cell::Dict(
                    t,
                    DictKey {
                        dict: std::ptr::from_ref(*values) as usize,
                        key: keys.value(row) as u32,
                    },
                ),
                None => Cell::Text(""),
            });
        }
        Column::Text(t) => return text(t.get(row).unwrap_or("")),
        Column::Float(a) if a.is_valid(row) && !a.value(row).is_nan() => {
            return Ok(Cell::Float(a.value(row), Lazy::default()));
        }
        Column::Float32(a) if a.is_valid(row) && !a.value(row).is_nan() => {
            write_float(out, a.value(row));
        }
        Column::Int(a) if a.is_valid(row) => {
            return Ok(Cell::Int(Some(a.value(row)), Digits::new(0)));
        }
        Column::UInt(a) if a.is_valid(row) => {
            // Above `i64::MAX`, only the digits: the checks report them as a file's.
            let v = a.value(row);
            return Ok(Cell::Int(i64::try_from(v).ok(), Digits::new(v)));
        }
        Column::Bool(a) => {
            let cell = match a.is_valid(row).then(|| a.value(row)) {
                Some(true) => "true",
                Some(false) => "false",
                None => "",
            };
            return text(cell);
        }
        Column::Int(_) | Column::UInt(_) => return text(""),
        Column::Float(_) | Column::Float32(_) => {}
        Column::Other(a, fixed) => {
            // An instant is held as its value, converted once (its text is the one `a.write`
            // gives).
            if let Some(ts) = fixed.as_ref().and_then(|f| f.instant(row)) {
                return Ok(Cell::Instant(ts, Lazy::default()));
            }
            a.write(row, out);
        }
    }
    Ok(Cell::Written(start, out.len()))
}

/// A text column of one batch, its cells borrowed.
#[derive(Clone, Copy)]
pub(crate) enum Texts<'a> {
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
    /// A dictionary of strings (how `read_parquet` decodes a dictionary-encoded text column):
    /// each cell borrowed from its value.
    Dict(&'a Int32Array, &'a StringArray),
}

impl<'a> Texts<'a> {
    /// `c` as text, `None` when it is of another type.
    pub fn of(c: &'a dyn Array) -> Option<Self> {
        Some(match c.data_type() {
            DataType::Utf8 => Texts::Utf8(c.as_string::<i32>()),
            DataType::LargeUtf8 => Texts::Large(c.as_string::<i64>()),
            DataType::Utf8View => Texts::View(c.as_string_view()),
            DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => {
                let d = c.as_dictionary::<Int32Type>();
                Texts::Dict(d.keys(), d.values().as_string::<i32>())
            }
            _ => return None,
        })
    }

    /// Cell `row`, `None` for a null.
    #[inline]
    pub fn get(self, row: usize) -> Option<&'a str> {
        match self {
            Texts::Utf8(a) => a.is_valid(row).then(|| a.value(row)),
            Texts::Large(a) => a.is_valid(row).then(|| a.value(row)),
            Texts::View(a) => a.is_valid(row).then(|| a.value(row)),
            Texts::Dict(keys, values) => dict_value(keys, values, row),
        }
    }
}

/// Cell `row` of a dictionary of strings, `None` for a null (a null key or a null value).
#[inline]
fn dict_value<'a>(keys: &Int32Array, values: &'a StringArray, row: usize) -> Option<&'a str> {
    if !keys.is_valid(row) {
        return None;
    }
    let k = usize::try_from(keys.value(row)).ok()?;
    (k < values.len() && values.is_valid(k)).then(|| values.value(k))
}
