//! A Parquet file decoded into a [`Table`], for the readers.

use crate::{InputError, Problem, Table};
use arrow_schema::{DataType, Schema};
use omniroute_core::codes::InputCode;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::basic::Compression;
use parquet::file::metadata::{ParquetMetaData, RowGroupMetaData};
use std::fmt::Display;
use std::sync::Arc;

/// Rows decoded at a time.
const BATCH_ROWS: usize = 8192;

/// Decodes the Parquet file `bytes` (named `name` in problems) into a [`Table`] of its columns,
/// which the readers read as they read a CSV file (see [`crate::Table`] for how each type's
/// cells are read). Every unsupported codec (`E1203`) and column type (`E1202`) is reported at
/// once; a file that is not Parquet, or is damaged, is `E1201`.
pub fn read_parquet(bytes: Vec<u8>, name: &str) -> Result<Table, InputError> {
    // The Arrow schema a writer stored is kept: without it a seconds timestamp comes back as a
    // plain integer.
    let data = bytes::Bytes::from(bytes);
    let builder = decoding(name, || {
        ParquetRecordBatchReaderBuilder::try_new_with_options(
            data.clone(),
            ArrowReaderOptions::new(),
        )
    })?
    .map_err(|e| unreadable(name, e))?;
    let mut problems = codecs(builder.metadata(), name);
    problems.extend(Table::new(name, builder.schema(), Vec::new()).column_type_problems());
    if !problems.is_empty() {
        return Err(InputError::Invalid(problems));
    }
    // A dictionary-encoded text column (pyarrow's default) is decoded as a dictionary: its
    // values once and a key a row, no string copied a row, and the stock reader looks each
    // value's node or SKU up once. Other text columns are decoded as views: a view borrows its
    // text from the decoded page (or holds up to 12 bytes itself) where a plain string array
    // copies every value.
    let dictionary = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let schema = Arc::new(Schema::new_with_metadata(
        builder
            .schema()
            .fields()
            .iter()
            .map(|f| match f.data_type() {
                DataType::Utf8 | DataType::LargeUtf8 => {
                    let t = if dictionary_encoded(builder.metadata(), f.name()) {
                        dictionary.clone()
                    } else {
                        DataType::Utf8View
                    };
                    Arc::new(f.as_ref().clone().with_data_type(t))
                }
                _ => f.clone(),
            })
            .collect::<Vec<_>>(),
        builder.schema().metadata().clone(),
    ));
    let options = ArrowReaderOptions::new().with_schema(schema.clone());
    let metadata = decoding(name, || {
        ArrowReaderMetadata::try_new(builder.metadata().clone(), options)
    })?
    .map_err(|e| unreadable(name, e))?;
    let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(data, metadata);
    let mut reader = decoding(name, || builder.with_batch_size(BATCH_ROWS).build())?
        .map_err(|e| unreadable(name, e))?;
    let mut batches = Vec::new();
    while let Some(batch) = decoding(name, || reader.next())? {
        batches.push(batch.map_err(|e| unreadable(name, e))?);
    }
    Ok(Table::new(name, &schema, batches))
}

/// True when the top-level column `name` has a dictionary page in every row group (a writer
/// falls back to plain pages when the dictionary grows too large; the reader then builds one).
fn dictionary_encoded(meta: &ParquetMetaData, name: &str) -> bool {
    let schema = meta.file_metadata().schema_descr();
    let Some(leaf) = (0..schema.num_columns()).find(|&i| {
        let column = schema.column(i);
        let path = column.path().parts();
        path.len() == 1 && path[0] == name
    }) else {
        return false;
    };
    meta.num_row_groups() > 0
        && meta
            .row_groups()
            .iter()
            .all(|rg| rg.column(leaf).dictionary_page_offset().is_some())
}

/// Runs `f`, a call into the Parquet and Arrow decoders, turning a panic into `E1201`: they
/// panic on some damaged files (an unknown type in the stored Arrow schema reaches an
/// `unimplemented!` in arrow-ipc; found by `fuzz/parquet`), and a damaged file is bad input.
fn decoding<T>(name: &str, f: impl FnOnce() -> T) -> Result<T, InputError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .map_err(|_| unreadable(name, "the Parquet decoder failed on it"))
}

fn unreadable(name: &str, e: impl Display) -> InputError {
    InputError::Invalid(vec![Problem {
        code: InputCode::ParquetUnreadable.id(),
        file: name.to_owned(),
        line: 0,
        column: 0,
        message: format!("not a Parquet file, or a damaged one: {e}"),
        hint:
            "give a file written by a Parquet writer (pyarrow, pandas, polars, Spark), or name a \
               CSV file without the .parquet extension"
                .into(),
    }])
}

/// `E1203` once per codec this build does not read: it reads none, Snappy, zstd, LZ4 and gzip
/// (the defaults of pyarrow, pandas, polars and Spark), not Brotli or LZO.
fn codecs(meta: &ParquetMetaData, name: &str) -> Vec<Problem> {
    let mut seen: Vec<&str> = Vec::new();
    for chunk in meta.row_groups().iter().flat_map(RowGroupMetaData::columns) {
        let codec = match chunk.compression() {
            Compression::UNCOMPRESSED
            | Compression::SNAPPY
            | Compression::ZSTD(_)
            | Compression::LZ4
            | Compression::LZ4_RAW
            | Compression::GZIP(_) => continue,
            Compression::LZO => "lzo",
            Compression::BROTLI(_) => "brotli",
        };
        if !seen.contains(&codec) {
            seen.push(codec);
        }
    }
    seen.into_iter()
        .map(|codec| Problem {
            code: InputCode::ParquetCompression.id(),
            file: name.to_owned(),
            line: 0,
            column: 0,
            message: format!("the file is compressed with {codec}, which omniroute does not read"),
            hint: InputCode::ParquetCompression.hint().into(),
        })
        .collect()
}
