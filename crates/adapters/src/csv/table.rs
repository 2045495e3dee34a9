//! A table of Arrow columns (a Python frame) read by the CSV readers themselves: each row's cells
//! are written as the text a CSV file of the table would hold and handed to the same row checks,
//! so a table and a file with the same content give the same values or the same problems.
//!
//! Text columns are copied as they are; floats in Rust's shortest round-trip form (a whole
//! number without a fraction: pandas turns an integer column with missing cells into floats),
//! NaN and nulls as empty cells; every other type by Arrow's display rules. A row's `line` is
//! its position as in a file with a header: row `i` (0-based, across batches) is line `i + 2`.

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt64Type};
use arrow_array::{Array, Float64Array, Int64Array, RecordBatch, UInt64Array};
use arrow_cast::cast;
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{ArrowError, DataType, Schema};
use std::fmt::Write as _;

/// A table of columns to read as rows: a name (for problems), column names and record batches.
#[derive(Debug, Clone)]
pub struct Table {
    pub(crate) name: String,
    pub(crate) columns: Vec<String>,
    pub(crate) batches: Vec<RecordBatch>,
}

impl Table {
    /// A table named `name` (the `file` of its problems) with `schema`'s column names.
    pub fn new(name: &str, schema: &Schema, batches: Vec<RecordBatch>) -> Self {
        Table {
            name: name.to_owned(),
            columns: schema.fields().iter().map(|f| f.name().clone()).collect(),
            batches,
        }
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

/// The rows of a [`Table`], one at a time, as text cells.
pub(crate) struct TableRows<'a> {
    table: &'a Table,
    /// The batch being read, and its columns.
    batch: usize,
    columns: Vec<Column<'a>>,
    /// The next row of that batch.
    row: usize,
    /// The line of the next row.
    line: u64,
    /// The cells of the last row read, one after the other, and where each starts and ends.
    text: String,
    bounds: Vec<(usize, usize)>,
}

/// How a column's cells are written.
enum Column<'a> {
    Text(&'a dyn Array),
    Float(Float64Array),
    Int(Int64Array),
    UInt(UInt64Array),
    /// By a formatter made for the cell (an `ArrayFormatter` cannot be sent to another thread).
    Other(&'a dyn Array),
}

impl<'a> TableRows<'a> {
    pub fn new(table: &'a Table) -> Self {
        TableRows {
            table,
            batch: 0,
            columns: Vec::new(),
            row: 0,
            line: 2,
            text: String::new(),
            bounds: Vec::new(),
        }
    }

    /// Rows not read yet.
    pub fn remaining(&self) -> usize {
        let later: usize = self
            .table
            .batches
            .iter()
            .skip(self.batch)
            .map(RecordBatch::num_rows)
            .sum();
        later - self.row.min(later)
    }

    /// Reads the next row and returns its line; `None` after the last.
    pub fn next(&mut self) -> Result<Option<u64>, ArrowError> {
        loop {
            let Some(batch) = self.table.batches.get(self.batch) else {
                return Ok(None);
            };
            if self.row == 0 && self.columns.is_empty() {
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
        }
        self.text.clear();
        self.bounds.clear();
        for c in &self.columns {
            let start = self.text.len();
            write_cell(&mut self.text, c, self.row)?;
            self.bounds.push((start, self.text.len()));
        }
        self.row += 1;
        self.line += 1;
        Ok(Some(self.line - 1))
    }

    /// The cells of the last row read, one after the other.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where each cell of the last row starts and ends in [`TableRows::text`].
    pub fn bounds(&self) -> &[(usize, usize)] {
        &self.bounds
    }
}

fn column(c: &dyn Array) -> Result<Column<'_>, ArrowError> {
    Ok(match c.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Column::Text(c),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => Column::Float(
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
        _ => {
            // Fails here, before any row, on a type Arrow cannot display.
            formatter(c)?;
            Column::Other(c)
        }
    })
}

fn formatter(c: &dyn Array) -> Result<ArrayFormatter<'_>, ArrowError> {
    let options = FormatOptions::default()
        .with_null("")
        .with_timestamp_tz_format(Some("%Y-%m-%dT%H:%M:%S%.f%:z"));
    ArrayFormatter::try_new(c, &options)
}

fn write_cell(out: &mut String, c: &Column<'_>, row: usize) -> Result<(), ArrowError> {
    match c {
        Column::Text(a) if a.is_valid(row) => out.push_str(match a.data_type() {
            DataType::Utf8 => a.as_string::<i32>().value(row),
            DataType::LargeUtf8 => a.as_string::<i64>().value(row),
            _ => a.as_string_view().value(row),
        }),
        Column::Float(a) if a.is_valid(row) && !a.value(row).is_nan() => {
            write!(out, "{}", a.value(row)).map_err(failed)?;
        }
        Column::Int(a) if a.is_valid(row) => {
            write!(out, "{}", a.value(row)).map_err(failed)?;
        }
        Column::UInt(a) if a.is_valid(row) => {
            write!(out, "{}", a.value(row)).map_err(failed)?;
        }
        Column::Text(_) | Column::Float(_) | Column::Int(_) | Column::UInt(_) => {}
        Column::Other(a) => {
            write!(out, "{}", formatter(*a)?.value(row)).map_err(failed)?;
        }
    }
    Ok(())
}

fn failed(e: std::fmt::Error) -> ArrowError {
    ArrowError::ComputeError(e.to_string())
}
