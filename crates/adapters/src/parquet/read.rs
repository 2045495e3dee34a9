//! A Parquet file decoded into a [`Table`] (or into windows of its rows), for the readers.

use crate::{InputError, Problem, Table};
use arrow_array::RecordBatch;
use arrow_schema::{DataType, Schema};
use omniroute_core::codes::InputCode;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use parquet::basic::Compression;
use parquet::file::metadata::{ParquetMetaData, RowGroupMetaData};
use std::fmt::Display;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Rows decoded at a time.
const BATCH_ROWS: usize = 8192;

/// Decodes the Parquet file `bytes` (named `name` in problems) into a [`Table`] of its columns,
/// which the readers read as they read a CSV file (see [`crate::Table`] for how each type's
/// cells are read). Every unsupported codec (`E1203`) and column type (`E1202`) is reported at
/// once; a file that is not Parquet, or is damaged, is `E1201`.
pub fn read_parquet(bytes: Vec<u8>, name: &str) -> Result<Table, InputError> {
    ParquetFile::open(bytes, name)?.decode()
}

/// A Parquet file opened: its metadata read and checked, its columns not decoded yet. Decoded
/// whole ([`ParquetFile::decode`]), or a window of rows at a time (how a stock file is read,
/// each window's memory reused for the next).
pub struct ParquetFile {
    name: String,
    data: bytes::Bytes,
    metadata: ArrowReaderMetadata,
    schema: Arc<Schema>,
}

impl std::fmt::Debug for ParquetFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetFile")
            .field("name", &self.name)
            .field("rows", &self.rows())
            .finish_non_exhaustive()
    }
}

impl ParquetFile {
    /// Reads the metadata of the Parquet file `bytes` (named `name` in problems): `E1201` when
    /// it is not Parquet or is damaged, `E1202` and `E1203` as [`read_parquet`] reports them.
    pub fn open(bytes: Vec<u8>, name: &str) -> Result<Self, InputError> {
        // The Arrow schema a writer stored is kept: without it a seconds timestamp comes back
        // as a plain integer.
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
        // value's node or SKU up once. Other text columns are decoded as views: a view borrows
        // its text from the decoded page (or holds up to 12 bytes itself) where a plain string
        // array copies every value.
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
        Ok(ParquetFile {
            name: name.to_owned(),
            data,
            metadata,
            schema,
        })
    }

    /// The rows the file holds, as its metadata says.
    pub fn rows(&self) -> usize {
        usize::try_from(self.metadata.metadata().file_metadata().num_rows()).unwrap_or(0)
    }

    /// The file's name and columns, without rows.
    pub(crate) fn header(&self) -> Table {
        Table::new(&self.name, &self.schema, Vec::new())
    }

    /// Decodes every row: each (row group, column) on its own, on every core when the file is
    /// large enough.
    pub fn decode(&self) -> Result<Table, InputError> {
        let batches = if self.schema.fields().is_empty() {
            decode(&self.data, &self.metadata, None, &self.name)?
        } else {
            decode_parallel(&self.data, &self.metadata, &self.schema, &self.name)?
        };
        Ok(Table::new(&self.name, &self.schema, batches))
    }

    /// The file's rows in windows of about `rows` rows (whole batches of [`BATCH_ROWS`]), in
    /// order, decoded on this thread as they are asked for: each a [`Table::window`] numbered
    /// by its lines in the file. An error (a damaged page) ends them.
    pub(crate) fn windows(&self, rows: usize) -> Windows<'_> {
        let reader = decoding(&self.name, || {
            ParquetRecordBatchReaderBuilder::new_with_metadata(
                self.data.clone(),
                self.metadata.clone(),
            )
            .with_batch_size(BATCH_ROWS)
            .build()
        })
        .and_then(|r| r.map_err(|e| unreadable(&self.name, e)));
        Windows {
            file: self,
            reader: Some(reader),
            batches: rows.div_ceil(BATCH_ROWS).max(1),
            first_row: 0,
        }
    }
}

/// The windows of [`ParquetFile::windows`].
pub(crate) struct Windows<'a> {
    file: &'a ParquetFile,
    /// The decoder; `None` once it ended or failed.
    reader: Option<Result<ParquetRecordBatchReader, InputError>>,
    /// Batches a window.
    batches: usize,
    /// The rows of the windows before the next.
    first_row: usize,
}

impl Iterator for Windows<'_> {
    type Item = Result<Table, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        // A decoder that could not be built is its one window, an error.
        let Ok(reader) = self.reader.as_mut()? else {
            return self.reader.take().and_then(Result::err).map(Err);
        };
        let name = &self.file.name;
        let mut batches = Vec::with_capacity(self.batches);
        while batches.len() < self.batches {
            match decoding(name, || reader.next()) {
                Ok(Some(Ok(batch))) => batches.push(batch),
                Ok(None) => {
                    self.reader = None;
                    break;
                }
                Ok(Some(Err(e))) => {
                    self.reader = None;
                    return Some(Err(unreadable(name, e)));
                }
                Err(e) => {
                    self.reader = None;
                    return Some(Err(e));
                }
            }
        }
        if batches.is_empty() {
            return None;
        }
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        let window = Table::window(name, &self.file.schema, batches, self.first_row);
        self.first_row += rows;
        Some(Ok(window))
    }
}

/// The fewest rows decoded on a thread of their own.
const MIN_PARALLEL_ROWS: i64 = 1 << 16;

/// Decodes every column of every row group, each (row group, column) on its own, on every core
/// when the file is large enough (scoped threads: never a global pool, see
/// `crates/python/src/pool.rs`), and puts each row group's columns together into batches of
/// up to [`BATCH_ROWS`] rows that never cross a row group, in file order: the same rows as one
/// reader over the whole file.
fn decode_parallel(
    data: &bytes::Bytes,
    metadata: &ArrowReaderMetadata,
    schema: &Arc<Schema>,
    name: &str,
) -> Result<Vec<RecordBatch>, InputError> {
    let meta = metadata.metadata();
    let columns = schema.fields().len();
    let tasks: Vec<(usize, usize)> = (0..meta.num_row_groups())
        .flat_map(|rg| (0..columns).map(move |c| (rg, c)))
        .collect();
    let rows = meta.file_metadata().num_rows();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(usize::try_from(rows / MIN_PARALLEL_ROWS).unwrap_or(usize::MAX))
        .min(tasks.len())
        .max(1);
    let run = |&(rg, c): &(usize, usize)| {
        let mask = ProjectionMask::roots(meta.file_metadata().schema_descr(), [c]);
        decode(data, metadata, Some((rg, mask)), name)
    };
    let decoded: Vec<Result<Vec<RecordBatch>, InputError>> = if threads == 1 {
        tasks.iter().map(run).collect()
    } else {
        let next = AtomicUsize::new(0);
        let mut slots: Vec<Option<Result<Vec<RecordBatch>, InputError>>> =
            tasks.iter().map(|_| None).collect();
        let done = std::thread::scope(|s| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    s.spawn(|| {
                        let mut mine = Vec::new();
                        loop {
                            let t = next.fetch_add(1, Ordering::Relaxed);
                            let Some(task) = tasks.get(t) else { break mine };
                            mine.push((t, run(task)));
                        }
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().expect("a Parquet decoding thread panicked"))
                .collect::<Vec<_>>()
        });
        for (t, r) in done {
            slots[t] = Some(r);
        }
        slots
            .into_iter()
            .map(|r| r.expect("every task ran"))
            .collect()
    };
    let mut decoded = decoded.into_iter();
    let mut batches = Vec::new();
    for _ in 0..meta.num_row_groups() {
        let group: Vec<Vec<RecordBatch>> =
            decoded.by_ref().take(columns).collect::<Result<_, _>>()?;
        let count = group[0].len();
        for b in 0..count {
            let parts: Vec<_> = group
                .iter()
                .map(|col| col.get(b).map(|batch| batch.column(0).clone()))
                .collect::<Option<_>>()
                .ok_or_else(|| unreadable(name, "its columns have different row counts"))?;
            let batch =
                RecordBatch::try_new(schema.clone(), parts).map_err(|e| unreadable(name, e))?;
            batches.push(batch);
        }
        if group.iter().any(|col| col.len() != count) {
            return Err(unreadable(name, "its columns have different row counts"));
        }
    }
    Ok(batches)
}

/// Decodes the file's rows in batches of [`BATCH_ROWS`]: all of them, or the columns of
/// `only`'s mask in its row group.
fn decode(
    data: &bytes::Bytes,
    metadata: &ArrowReaderMetadata,
    only: Option<(usize, ProjectionMask)>,
    name: &str,
) -> Result<Vec<RecordBatch>, InputError> {
    let mut builder =
        ParquetRecordBatchReaderBuilder::new_with_metadata(data.clone(), metadata.clone())
            .with_batch_size(BATCH_ROWS);
    if let Some((rg, mask)) = only {
        builder = builder.with_row_groups(vec![rg]).with_projection(mask);
    }
    let mut reader = decoding(name, || builder.build())?.map_err(|e| unreadable(name, e))?;
    let mut batches = Vec::new();
    while let Some(batch) = decoding(name, || reader.next())? {
        batches.push(batch.map_err(|e| unreadable(name, e))?);
    }
    Ok(batches)
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

#[cfg(test)]
mod tests {
    use super::{decode, read_parquet};
    use crate::Table;
    use arrow_array::{ArrayRef, Float64Array, Int64Array, StringArray};
    use parquet::arrow::arrow_reader::ArrowReaderMetadata;
    use parquet::file::properties::WriterProperties;
    use std::sync::Arc;

    /// Every row's cells, as text.
    fn rows(t: &Table) -> Vec<Vec<String>> {
        let cell = |c: &ArrayRef, r| arrow_cast::display::array_value_to_string(c, r).unwrap();
        t.batches
            .iter()
            .flat_map(|b| {
                (0..b.num_rows()).map(move |r| b.columns().iter().map(|c| cell(c, r)).collect())
            })
            .collect()
    }

    /// Row groups of several batches, decoded a column at a time on every core, give the rows
    /// one reader over the whole file gives.
    #[test]
    fn columns_decoded_apart_give_the_rows_of_one_reader() {
        let n: i64 = 70_000;
        let columns: Vec<(&str, ArrayRef)> = vec![
            (
                "name",
                Arc::new(StringArray::from(
                    (0..n)
                        .map(|i| (i % 7 != 3).then(|| format!("N{}", i % 1000)))
                        .collect::<Vec<_>>(),
                )),
            ),
            (
                "qty",
                Arc::new(Int64Array::from(
                    (0..n)
                        .map(|i| (i % 11 != 0).then_some(i))
                        .collect::<Vec<_>>(),
                )),
            ),
            (
                "lat",
                Arc::new(Float64Array::from(
                    (0..n).map(|i| i as f64 / 7.0).collect::<Vec<_>>(),
                )),
            ),
        ];
        let batch = crate::test_arrow::record_batch(columns);
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(30_000))
            .build();
        let bytes = crate::test_arrow::parquet_bytes(&batch, Some(props));
        let table = read_parquet(bytes.clone(), "t.parquet").unwrap();
        assert_eq!(table.rows(), 70_000);
        let data = bytes::Bytes::from(bytes);
        let options = parquet::arrow::arrow_reader::ArrowReaderOptions::new()
            .with_schema(table.batches[0].schema());
        let metadata = ArrowReaderMetadata::load(&data, options).unwrap();
        assert_eq!(metadata.metadata().num_row_groups(), 3);
        let whole = decode(&data, &metadata, None, "t.parquet").unwrap();
        assert!(
            whole.len() < table.batches.len(),
            "batches across row groups"
        );
        let schema = whole[0].schema();
        let one_reader = Table::new("t.parquet", &schema, whole);
        assert_eq!(rows(&table), rows(&one_reader));
    }
}
