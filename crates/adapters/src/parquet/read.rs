//! A Parquet file's rows as CSV text, for the CSV readers.

use crate::{InputError, Problem};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, Schema, TimeUnit};
use jiff::{civil, tz::TimeZone, SignedDuration, Timestamp};
use omniroute_core::codes::InputCode;
use parquet::arrow::arrow_reader::{ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
use parquet::basic::Compression;
use parquet::file::metadata::{ParquetMetaData, RowGroupMetaData};
use std::fmt::{Display, Write as _};

/// Rows decoded at a time.
const BATCH_ROWS: usize = 8192;

/// Reads the Parquet file `bytes` (named `name` in problems) and returns its rows as CSV text:
/// the column names as the header, then one record per row (see the module docs for how each
/// type is written). Every unsupported column and codec is reported at once.
pub fn parquet_to_csv(bytes: Vec<u8>, name: &str) -> Result<Vec<u8>, InputError> {
    // The Arrow schema a writer stored is kept: without it a seconds timestamp comes back as a
    // plain integer.
    let builder = decoding(name, || {
        ParquetRecordBatchReaderBuilder::try_new_with_options(
            bytes::Bytes::from(bytes),
            ArrowReaderOptions::new(),
        )
    })?
    .map_err(|e| unreadable(name, e))?;
    let mut problems = codecs(builder.metadata(), name);
    problems.extend(column_types(builder.schema(), name));
    if !problems.is_empty() {
        return Err(InputError::Invalid(problems));
    }
    let schema = builder.schema().clone();
    let mut reader = decoding(name, || builder.with_batch_size(BATCH_ROWS).build())?
        .map_err(|e| unreadable(name, e))?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(schema.fields().iter().map(|f| f.name().as_str()))
        .map_err(|e| unreadable(name, e))?;
    let mut cell = String::new();
    while let Some(batch) = decoding(name, || reader.next())? {
        let batch = batch.map_err(|e| unreadable(name, e))?;
        let columns: Vec<Column<'_>> = batch.columns().iter().map(Column::new).collect();
        for row in 0..batch.num_rows() {
            for column in &columns {
                cell.clear();
                column.write(row, &mut cell);
                w.write_field(&cell).map_err(|e| unreadable(name, e))?;
            }
            w.write_record(None::<&[u8]>)
                .map_err(|e| unreadable(name, e))?;
        }
    }
    w.into_inner().map_err(|e| unreadable(name, e.error()))
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

/// `E1203` once per codec other than none and Snappy.
fn codecs(meta: &ParquetMetaData, name: &str) -> Vec<Problem> {
    let mut seen: Vec<&str> = Vec::new();
    for chunk in meta.row_groups().iter().flat_map(RowGroupMetaData::columns) {
        let codec = match chunk.compression() {
            Compression::UNCOMPRESSED | Compression::SNAPPY => continue,
            Compression::GZIP(_) => "gzip",
            Compression::LZO => "lzo",
            Compression::BROTLI(_) => "brotli",
            Compression::LZ4 | Compression::LZ4_RAW => "lz4",
            Compression::ZSTD(_) => "zstd",
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
            hint: "write it with snappy or no compression (pyarrow and pandas default to snappy; \
                   polars: write_parquet(..., compression=\"snappy\"))"
                .into(),
        })
        .collect()
}

/// `E1202` for every column without a text form.
fn column_types(schema: &Schema, name: &str) -> Vec<Problem> {
    schema
        .fields()
        .iter()
        .enumerate()
        .filter(|(_, f)| !has_text_form(f.data_type()))
        .map(|(i, f)| Problem {
            code: InputCode::ParquetColumnType.id(),
            file: name.to_owned(),
            line: 1,
            column: i as u64 + 1,
            message: format!(
                "column `{}` has type {}, which omniroute does not read",
                f.name(),
                f.data_type()
            ),
            hint: "store it as a string, an integer, a float, a boolean, a date, a timestamp or a list of those"
                .into(),
        })
        .collect()
}

fn has_text_form(t: &DataType) -> bool {
    if let DataType::Dictionary(_, values) = t {
        return !matches!(**values, DataType::Dictionary(..)) && has_text_form(values);
    }
    // A list of scalars is orders.csv's `;`-separated list (`tags`, `exclude_nodes`, …).
    if let DataType::List(item) | DataType::LargeList(item) = t {
        return !matches!(
            item.data_type(),
            DataType::Dictionary(..) | DataType::List(_) | DataType::LargeList(_)
        ) && has_text_form(item.data_type());
    }
    matches!(
        t,
        DataType::Null
            | DataType::Boolean
            | DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64
            | DataType::Float32
            | DataType::Float64
            | DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Date32
            | DataType::Date64
            | DataType::Timestamp(_, _)
    )
}

/// A column of a batch; a dictionary's keys are resolved once per batch.
enum Column<'a> {
    Plain(&'a dyn Array),
    Dictionary {
        keys: &'a dyn Array,
        indices: Vec<usize>,
        values: &'a dyn Array,
    },
}

impl<'a> Column<'a> {
    fn new(a: &'a ArrayRef) -> Self {
        match a.as_any_dictionary_opt() {
            // Without values every key is null (`normalized_keys` would panic).
            Some(d) if !d.values().is_empty() => Column::Dictionary {
                keys: a.as_ref(),
                indices: d.normalized_keys(),
                values: d.values().as_ref(),
            },
            _ => Column::Plain(a.as_ref()),
        }
    }

    fn write(&self, row: usize, out: &mut String) {
        match self {
            Column::Plain(a) => write_cell(*a, row, out),
            Column::Dictionary {
                keys,
                indices,
                values,
            } => {
                if !keys.is_null(row) {
                    write_cell(*values, indices[row], out);
                }
            }
        }
    }
}

/// Appends the text of `a[row]` to `out` (nothing for a null). Types were checked by
/// [`has_text_form`]; any other type writes nothing.
fn write_cell(a: &dyn Array, row: usize, out: &mut String) {
    if a.is_null(row) {
        return;
    }
    // `write!` to a String cannot fail.
    let _ = match a.data_type() {
        DataType::Boolean => write!(out, "{}", a.as_boolean().value(row)),
        DataType::Int8 => write!(out, "{}", a.as_primitive::<Int8Type>().value(row)),
        DataType::Int16 => write!(out, "{}", a.as_primitive::<Int16Type>().value(row)),
        DataType::Int32 => write!(out, "{}", a.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => write!(out, "{}", a.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 => write!(out, "{}", a.as_primitive::<UInt8Type>().value(row)),
        DataType::UInt16 => write!(out, "{}", a.as_primitive::<UInt16Type>().value(row)),
        DataType::UInt32 => write!(out, "{}", a.as_primitive::<UInt32Type>().value(row)),
        DataType::UInt64 => write!(out, "{}", a.as_primitive::<UInt64Type>().value(row)),
        // Rust prints floats in their shortest round-trip form, without an exponent.
        DataType::Float32 => write!(out, "{}", a.as_primitive::<Float32Type>().value(row)),
        DataType::Float64 => write!(out, "{}", a.as_primitive::<Float64Type>().value(row)),
        DataType::Utf8 => write!(out, "{}", a.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => write!(out, "{}", a.as_string::<i64>().value(row)),
        DataType::Utf8View => write!(out, "{}", a.as_string_view().value(row)),
        DataType::List(_) => {
            write_list(out, a.as_list::<i32>().value(row).as_ref());
            Ok(())
        }
        DataType::LargeList(_) => {
            write_list(out, a.as_list::<i64>().value(row).as_ref());
            Ok(())
        }
        DataType::Date32 => {
            let days = a.as_primitive::<Date32Type>().value(row);
            write_date(out, i64::from(days))
        }
        DataType::Date64 => {
            let ms = a.as_primitive::<Date64Type>().value(row);
            write_date(out, ms.div_euclid(86_400_000))
        }
        DataType::Timestamp(unit, tz) => {
            let v = match unit {
                TimeUnit::Second => a.as_primitive::<TimestampSecondType>().value(row),
                TimeUnit::Millisecond => a.as_primitive::<TimestampMillisecondType>().value(row),
                TimeUnit::Microsecond => a.as_primitive::<TimestampMicrosecondType>().value(row),
                TimeUnit::Nanosecond => a.as_primitive::<TimestampNanosecondType>().value(row),
            };
            write_timestamp(out, v, *unit, tz.is_some())
        }
        _ => Ok(()),
    };
}

/// The items of a list cell, `;`-separated (nulls left out).
fn write_list(out: &mut String, items: &dyn Array) {
    let mut first = true;
    for i in (0..items.len()).filter(|&i| !items.is_null(i)) {
        if !first {
            out.push(';');
        }
        first = false;
        write_cell(items, i, out);
    }
}

/// `YYYY-MM-DD` of a day count from 1970-01-01 (the number itself when out of range, which the
/// readers then report as a bad date).
fn write_date(out: &mut String, days: i64) -> std::fmt::Result {
    match civil::date(1970, 1, 1).checked_add(SignedDuration::from_hours(days.saturating_mul(24))) {
        Ok(d) => write!(out, "{d}"),
        Err(_) => write!(out, "{days}"),
    }
}

/// RFC 3339: `…Z` for an instant (the column has a time zone), no offset for a wall-clock time
/// (the column has none), like the same text in a CSV file.
fn write_timestamp(out: &mut String, v: i64, unit: TimeUnit, instant: bool) -> std::fmt::Result {
    let ts = match unit {
        TimeUnit::Second => Timestamp::from_second(v),
        TimeUnit::Millisecond => Timestamp::from_millisecond(v),
        TimeUnit::Microsecond => Timestamp::from_microsecond(v),
        TimeUnit::Nanosecond => Timestamp::from_nanosecond(i128::from(v)),
    };
    match ts {
        Ok(ts) if instant => write!(out, "{ts}"),
        Ok(ts) => write!(out, "{}", ts.to_zoned(TimeZone::UTC).datetime()),
        Err(_) => write!(out, "{v}"),
    }
}
