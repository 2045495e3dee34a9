//! A table input (nodes, stock, orders, decisions) as it was given: CSV text, or columns (a
//! Parquet file's, or a Python frame's). Both are read by the same readers, row by row, with the
//! same checks and problem codes.

use crate::csv::Sheet;
use crate::parquet::{is_parquet_path, read_parquet, ParquetFile, MAGIC};
use crate::{InputError, Source, Table};

/// A table input: CSV text or a table of columns.
#[derive(Debug, Clone)]
pub enum TableInput {
    /// CSV text.
    Text(Source),
    /// Columns (see [`Table`]).
    Columns(Table),
}

impl TableInput {
    /// Reads `path` (`-` for stdin): a path ending in `.parquet` (any case), or stdin whose bytes
    /// start with Parquet's magic `PAR1`, is decoded into columns (`E1201`–`E1203`, see
    /// [`read_parquet`]); anything else is CSV text.
    pub fn open(path: &str) -> Result<Self, InputError> {
        let src = Source::open(path)?;
        if is_parquet_path(path) || (path == "-" && src.bytes.starts_with(MAGIC)) {
            return read_parquet(src.bytes, &src.name).map(TableInput::Columns);
        }
        Ok(TableInput::Text(src))
    }

    /// The input's name in problems: its path, `-`, or the table's name.
    pub fn name(&self) -> &str {
        match self {
            TableInput::Text(src) => &src.name,
            TableInput::Columns(table) => &table.name,
        }
    }

    /// The input's rows, after its header.
    pub(crate) fn sheet(&self) -> Result<Sheet<'_>, InputError> {
        match self {
            TableInput::Text(src) => Sheet::over(&src.bytes, &src.name),
            TableInput::Columns(table) => Sheet::table(table),
        }
    }
}

/// stock.csv as opened for reading: a CSV file, streamed in chunks as it is parsed (a large
/// stock file is most of a routing input), a Parquet file, decoded a window of rows at a time
/// as they are read, or an input read whole (stdin, text in memory).
#[derive(Debug)]
pub enum StockSource {
    /// Read whole first.
    Whole(TableInput),
    /// A Parquet file, its metadata read and checked (`E1201`–`E1203`).
    Parquet(ParquetFile),
    /// A CSV file and its name, read in chunks.
    File(String, std::fs::File),
}

impl StockSource {
    /// Opens `path` (`-` for stdin): stdin is read whole ([`TableInput::open`]), a Parquet path
    /// is read and its metadata checked ([`ParquetFile::open`]), any other path is opened to be
    /// streamed.
    pub fn open(path: &str) -> Result<Self, InputError> {
        if path == "-" {
            return TableInput::open(path).map(StockSource::Whole);
        }
        if is_parquet_path(path) {
            let src = Source::open(path)?;
            return ParquetFile::open(src.bytes, &src.name).map(StockSource::Parquet);
        }
        std::fs::File::open(path)
            .map(|file| StockSource::File(path.to_owned(), file))
            .map_err(|e| InputError::Io {
                file: path.to_owned(),
                message: e.to_string(),
            })
    }
}

impl From<Source> for TableInput {
    fn from(src: Source) -> Self {
        TableInput::Text(src)
    }
}

impl From<Table> for TableInput {
    fn from(table: Table) -> Self {
        TableInput::Columns(table)
    }
}
