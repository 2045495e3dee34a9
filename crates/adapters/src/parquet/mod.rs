//! Parquet in and out, for large batches (docs/formats.md, Parquet).
//!
//! Inputs are not validated twice: a Parquet file (nodes, stock, orders, decisions) is decoded
//! into a [`crate::Table`] of its columns, which the readers read row by row as they read a CSV
//! file, so every `E10xx` and `E11xx` problem is the same as for the CSV file and its line is the
//! row's index + 2 (the column names are line 1). How each type's cells read is in
//! [`crate::Table`]'s docs.
//!
//! A file that cannot be used gets its own code: `E1201` not Parquet or unreadable, `E1202` a
//! column of a type that has no text form here (binary, decimal, structs…), `E1203`
//! compressed with a codec this build does not read (it reads none, Snappy, zstd, LZ4 and gzip).
//!
//! Decisions are written with the decisions.csv columns and types ([`write_decisions_parquet`]).

mod read;
#[cfg(test)]
mod stock_tests;
#[cfg(test)]
mod tests;
mod write;

pub use read::{read_parquet, ParquetFile};
pub use write::{decisions_record_batch, decisions_schema, write_decisions_parquet};

/// The four bytes a Parquet file starts (and ends) with.
pub(crate) const MAGIC: &[u8] = b"PAR1";

/// True when `path` names a Parquet file: it ends in `.parquet` (any case).
pub fn is_parquet_path(path: &str) -> bool {
    path.len() > ".parquet".len()
        && path
            .get(path.len() - ".parquet".len()..)
            .is_some_and(|ext| ext.eq_ignore_ascii_case(".parquet"))
}
