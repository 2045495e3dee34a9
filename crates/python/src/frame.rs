//! Tables in: any object speaking the Arrow PyCapsule interface (`__arrow_c_stream__`: pyarrow,
//! polars, pandas ≥ 2.2 through pyarrow) is read in Rust into record batches, which the very
//! readers the CLI uses read column by column (`omniroute_adapters::Table`: text borrowed,
//! integers read as integers, no CSV written or parsed).
//!
//! Validation, defaults and error codes stay in one place (the adapters' readers), so a frame
//! and a file with the same content give the same network, stock and orders, or the same
//! problems. A problem's `line` is the row's position as in a file: the header is line 1, so row
//! `i` (0-based, across batches) is line `i + 2`; `column` is the column's 1-based position. No
//! Python code runs per row.

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;

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
