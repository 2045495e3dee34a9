//! Arrow and Parquet data for tests of the table readers (frames, Parquet): this crate's unit
//! tests, and, with the `test-arrow` feature, the integration tests. Not part of the API.

use arrow_array::{
    ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray, TimestampSecondArray,
};
use arrow_schema::{Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use std::path::Path;
use std::sync::Arc;

/// One record batch of `columns` by name, every field nullable.
///
/// # Panics
/// When the columns differ in length.
pub fn record_batch(columns: Vec<(&str, ArrayRef)>) -> RecordBatch {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    RecordBatch::try_new(schema, columns.into_iter().map(|c| c.1).collect()).unwrap()
}

/// `batch` as the bytes of a Parquet file, written with `props` (the writer's defaults when
/// `None`).
///
/// # Panics
/// When the writer fails.
pub fn parquet_bytes(batch: &RecordBatch, props: Option<WriterProperties>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = ArrowWriter::try_new(&mut out, batch.schema(), props).unwrap();
    w.write(batch).unwrap();
    w.close().unwrap();
    out
}

/// CSV text (a header and rows, no quotes) as a batch of typed columns: whole numbers Int64,
/// other numbers Float64, `created_at` a UTC timestamp, the rest strings; empty cells are nulls.
///
/// # Panics
/// When a row is shorter than the header or a `created_at` is not a timestamp.
pub fn csv_batch(csv: &str) -> RecordBatch {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let columns = header.iter().enumerate().map(|(c, name)| {
        let cells: Vec<Option<&str>> = rows
            .iter()
            .map(|r| Some(r[c]).filter(|s| !s.is_empty()))
            .collect();
        let all = |ok: fn(&str) -> bool| cells.iter().flatten().all(|s| ok(s));
        let array: ArrayRef = if *name == "created_at" {
            Arc::new(
                cells
                    .iter()
                    .map(|s| s.map(|s| s.parse::<jiff::Timestamp>().unwrap().as_second()))
                    .collect::<TimestampSecondArray>()
                    .with_timezone("UTC"),
            )
        } else if all(|s| s.parse::<i64>().is_ok()) {
            Arc::new(
                (cells.iter())
                    .map(|s| s.map(|s| s.parse::<i64>().unwrap()))
                    .collect::<Int64Array>(),
            )
        } else if all(|s| s.parse::<f64>().is_ok()) {
            Arc::new(
                (cells.iter())
                    .map(|s| s.map(|s| s.parse::<f64>().unwrap()))
                    .collect::<Float64Array>(),
            )
        } else {
            Arc::new(cells.iter().copied().collect::<StringArray>())
        };
        (*name, array)
    });
    record_batch(columns.collect())
}

/// CSV text written as a Parquet file at `path` ([`csv_batch`]'s columns).
///
/// # Panics
/// As [`csv_batch`], or when the file cannot be written.
pub fn csv_to_parquet(csv: &str, path: &Path) {
    std::fs::write(path, parquet_bytes(&csv_batch(csv), None)).unwrap();
}
