//! `omniroute.kpis(plan)`: the plan's key figures (docs/kpis.md) as a `pyarrow.Table` of
//! `name`, `key`, `value`, `unit`, `note` rows, computed by the core (`Kpis::rows`); and
//! `omniroute.business(plan, feed)`, the total business in the same table (`Business::rows`).

use crate::errors::{guard, Failure};
use crate::plan::Plan;
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use omniroute_adapters::{read_sale_events, Source};
use omniroute_core::{Business, KpiInputs, KpiRow, Kpis};
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

fn schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("name", DataType::Utf8, false),
        Field::new("key", DataType::Utf8, false),
        Field::new("value", DataType::Float64, true),
        Field::new("unit", DataType::Utf8, false),
        Field::new("note", DataType::Utf8, true),
    ]))
}

fn batch(rows: &[KpiRow]) -> Result<RecordBatch, Failure> {
    let text = |f: fn(&KpiRow) -> &str| -> ArrayRef {
        Arc::new(rows.iter().map(f).map(Some).collect::<StringArray>())
    };
    let columns = vec![
        text(|r| r.name),
        text(|r| &r.key),
        Arc::new(rows.iter().map(|r| r.value).collect::<Float64Array>()) as ArrayRef,
        text(|r| r.unit),
        Arc::new(rows.iter().map(KpiRow::note).collect::<StringArray>()),
    ];
    RecordBatch::try_new(schema(), columns).map_err(|e| Failure::Panic(e.to_string()))
}

/// The key figures of `plan` (docs/kpis.md): one row per figure, `value` null where undefined
/// or not available yet (`note` says which).
#[pyfunction]
pub fn kpis(py: Python<'_>, plan: &Plan) -> PyResult<Py<PyAny>> {
    let (core_plan, orders, stock, policies, now) = plan.parts();
    table(
        py,
        guard(py, || {
            let network = &orders.net.net;
            let kpis = Kpis::compute(&KpiInputs {
                network,
                orders: &orders.orders,
                plan: core_plan,
                policy: policies.versions.earliest(),
                stock,
                now,
                reroutes: None,
            });
            batch(&kpis.rows(network))
        })?,
    )
}

/// The total business of `plan` and the stock feed (NDJSON deltas) at `feed` (docs/kpis.md,
/// "Total business"): the routed orders and the feed's counter sales and returns, as rows of
/// the same table as `kpis`.
#[pyfunction]
pub fn business(py: Python<'_>, plan: &Plan, feed: PathBuf) -> PyResult<Py<PyAny>> {
    let (core_plan, orders, ..) = plan.parts();
    let feed = feed.to_string_lossy().into_owned();
    table(
        py,
        guard(py, || {
            let network = &orders.net.net;
            let src = Source::open(&feed)?;
            let sales = read_sale_events(src.bytes.as_slice(), &src.name, network)?;
            let business = Business::compute(network, &orders.orders, core_plan, &sales);
            batch(&business.rows(network))
        })?,
    )
}

fn table(py: Python<'_>, batch: RecordBatch) -> PyResult<Py<PyAny>> {
    Ok(pyo3_arrow::PyTable::try_new(vec![batch], schema())?
        .into_pyarrow(py)?
        .unbind())
}
