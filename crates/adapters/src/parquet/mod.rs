//! Parquet in and out, for large batches (docs/design.md §7).
//!
//! Inputs are not validated twice: a Parquet file (nodes, stock, orders, decisions) is turned
//! into the CSV text the CSV readers take, cell by cell, and read by them, so every `E10xx` and
//! `E11xx` problem is the same as for the CSV file and its line is the row's index + 2 (the column
//! names are line 1). Cells are written as text: integers plainly, floats in their shortest
//! round-trip form, booleans `true`/`false`, dates `YYYY-MM-DD`, timestamps in RFC 3339 (UTC,
//! `Z`; a timestamp without a time zone is written without an offset, as the same text in a CSV
//! would be), nulls as empty cells.
//!
//! A file that cannot be used gets its own code: `E1201` not Parquet or unreadable, `E1202` a
//! column of a type that has no text form here (binary, decimal, lists, structs…), `E1203`
//! compressed with a codec this build does not read (it reads uncompressed and Snappy files).
//!
//! Decisions are written with the decisions.csv columns and types ([`write_decisions_parquet`]).

mod read;
#[cfg(test)]
mod tests;
mod write;

pub use read::parquet_to_csv;
pub use write::{decisions_record_batch, decisions_schema, write_decisions_parquet};

use crate::{InputError, Source};

/// The four bytes a Parquet file starts (and ends) with.
const MAGIC: &[u8] = b"PAR1";

/// True when `path` names a Parquet file: it ends in `.parquet` (any case).
pub fn is_parquet_path(path: &str) -> bool {
    path.len() > ".parquet".len()
        && path
            .get(path.len() - ".parquet".len()..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".parquet"))
}

/// Reads a table input like [`Source::open`]; a path ending in `.parquet`, or stdin (`-`) whose
/// bytes start with Parquet's magic `PAR1`, is read as Parquet and handed on as CSV text (see the
/// module docs), under its own name.
pub fn open_table(path: &str) -> Result<Source, InputError> {
    let src = Source::open(path)?;
    let parquet = is_parquet_path(path) || (path == "-" && src.bytes.starts_with(MAGIC));
    if !parquet {
        return Ok(src);
    }
    let bytes = parquet_to_csv(src.bytes, &src.name)?;
    Ok(Source {
        name: src.name,
        bytes,
    })
}
