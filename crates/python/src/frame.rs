//! Tables in: any object speaking the Arrow PyCapsule interface (`__arrow_c_stream__`: pyarrow,
//! polars, pandas ≥ 2.2 through pyarrow) is read in Rust, written to CSV bytes column by column
//! (`arrow_cast::display`, nulls as empty cells) and handed to the very CSV readers the CLI uses.
//!
//! Why CSV bytes rather than building core values from the columns: validation, defaults and
//! error codes stay in one place (the adapters' readers), so a frame and a file with the same
//! content give the same network, stock and orders, or the same problems. A problem's `line` is
//! the row's position as in a file: the header is line 1, so row `i` (0-based) is line `i + 2`;
//! `column` is the column's 1-based position. No Python code runs per row.

use crate::errors::Failure;
use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch};
use arrow_cast::cast;
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::{ArrowError, DataType, Schema, SchemaRef};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use std::fmt::Write as _;

/// The batches of a table-like object: a PyCapsule stream, or a pandas frame converted by pyarrow
/// (`pyarrow.Table.from_pandas(df, preserve_index=False)`, vectorised).
pub fn read(obj: &Bound<'_, PyAny>) -> PyResult<(Vec<RecordBatch>, SchemaRef)> {
    let py = obj.py();
    let is_pandas = obj
        .get_type()
        .module()
        .is_ok_and(|m| m.to_string().starts_with("pandas"));
    let table = if obj.hasattr("__arrow_c_stream__")? {
        obj.extract::<PyTable>()?
    } else if is_pandas {
        let kwargs = pyo3::types::PyDict::new(py);
        kwargs.set_item("preserve_index", false)?;
        py.import("pyarrow")?
            .getattr("Table")?
            .call_method("from_pandas", (obj,), Some(&kwargs))?
            .extract::<PyTable>()?
    } else {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "expected a table with __arrow_c_stream__ (pyarrow, polars, pandas), not {}",
            obj.get_type().name()?
        )));
    };
    Ok(table.into_inner())
}

/// CSV bytes (header row first) of `batches`, every cell formatted by Arrow's display rules.
pub fn to_csv(batches: &[RecordBatch], schema: &Schema) -> Result<Vec<u8>, Failure> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let usage = |e: &dyn std::fmt::Display| Failure::Usage(format!("cannot read the table: {e}"));
    w.write_record(schema.fields().iter().map(|f| f.name().as_str()))
        .map_err(|e| usage(&e))?;
    let options = FormatOptions::default()
        .with_null("")
        .with_timestamp_tz_format(Some("%Y-%m-%dT%H:%M:%S%.f%:z"));
    let mut cell = String::new();
    for batch in batches {
        let columns = batch
            .columns()
            .iter()
            .map(|c| column(c, &options))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| usage(&e))?;
        for row in 0..batch.num_rows() {
            for c in &columns {
                cell.clear();
                let written = match c {
                    Column::Float(a) if a.is_valid(row) && !a.value(row).is_nan() => {
                        write!(cell, "{}", a.value(row))
                    }
                    Column::Float(_) => Ok(()),
                    Column::Other(f) => write!(cell, "{}", f.value(row)),
                };
                written.map_err(|e| usage(&e))?;
                w.write_field(&cell).map_err(|e| usage(&e))?;
            }
            w.write_record(None::<&[u8]>).map_err(|e| usage(&e))?;
        }
    }
    w.into_inner().map_err(|e| usage(&e))
}

/// How a column's cells are written. Floats use Rust's shortest round-trip form, which writes a
/// whole number without a fraction (`120`, not `120.0`): pandas turns an integer column with
/// missing cells into floats, and the readers want integers there. NaN is written as an empty
/// cell (pandas' missing value); infinities as `inf` and `-inf`, so the readers reject them as
/// they would in a file (they are not missing values, and an empty cell would take the default).
enum Column<'a> {
    Float(Float64Array),
    Other(ArrayFormatter<'a>),
}

fn column<'a>(c: &'a ArrayRef, options: &FormatOptions<'a>) -> Result<Column<'a>, ArrowError> {
    Ok(match c.data_type() {
        DataType::Float16 | DataType::Float32 | DataType::Float64 => Column::Float(
            cast(c, &DataType::Float64)?
                .as_primitive::<Float64Type>()
                .clone(),
        ),
        _ => Column::Other(ArrayFormatter::try_new(c.as_ref(), options)?),
    })
}
