//! decisions as Parquet: the decisions.csv columns, typed.
//!
//! The rows are [`decision_rows`], the ones [`write_decisions`](crate::write_decisions) writes (so
//! both formats always agree), as typed columns ([`decisions_schema`]): `line_no`, `qty` and
//! `shipment` `UInt32`, `distance_km` `Float64` (3 decimals, as in the CSV), `promised_date`
//! `Date32`, `cost_cents` `Int64`, the rest `Utf8`; `node_id`, `shipment`, `distance_km`,
//! `promised_date`, `reason`, `group`, `source` and `arrival_date` (`Date32`) are null where the
//! CSV cell is empty. Snappy-compressed.
//! [`decisions_record_batch`] builds the same columns for any rows (the Python bindings' table).

use crate::{decision_rows, DecisionRow};
use arrow_array::builder::{
    Date32Builder, Float64Builder, Int64Builder, StringBuilder, UInt32Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use jiff::civil::{self, Date};
use omniroute_core::{Network, Order, Plan, Skus};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::io::{self, Write};
use std::sync::Arc;

/// Rows per record batch (and at most per row group).
const BATCH_ROWS: usize = 65_536;

/// The Arrow schema of decisions written as Parquet.
pub fn decisions_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("order_id", DataType::Utf8, false),
        Field::new("line_no", DataType::UInt32, false),
        Field::new("sku", DataType::Utf8, false),
        Field::new("qty", DataType::UInt32, false),
        Field::new("node_id", DataType::Utf8, true),
        Field::new("shipment", DataType::UInt32, true),
        Field::new("distance_km", DataType::Float64, true),
        Field::new("promised_date", DataType::Date32, true),
        Field::new("cost_cents", DataType::Int64, false),
        Field::new("reason", DataType::Utf8, true),
        Field::new("group", DataType::Utf8, true),
        Field::new("source", DataType::Utf8, true),
        Field::new("arrival_date", DataType::Date32, true),
    ]))
}

/// `rows` as one record batch of [`decisions_schema`] (`distance_km` as given, unrounded).
pub fn decisions_record_batch<'a>(
    rows: impl IntoIterator<Item = DecisionRow<'a>>,
) -> Result<RecordBatch, ArrowError> {
    let mut columns = Columns::default();
    for r in rows {
        columns.push(&r);
    }
    columns.finish(&decisions_schema())
}

/// Writes a plan as a Parquet file with the decisions.csv columns ([`decisions_schema`]).
pub fn write_decisions_parquet<W: Write + Send>(
    out: W,
    orders: &[Order],
    plan: &Plan,
    network: &Network,
    skus: &Skus,
) -> io::Result<()> {
    let schema = decisions_schema();
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(BATCH_ROWS))
        .build();
    let mut w = ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(io::Error::other)?;
    let mut columns = Columns::default();
    for mut r in decision_rows(orders, plan, network, skus) {
        // The CSV's 3 decimals, so both formats agree.
        r.distance_km = r
            .distance_km
            .map(|km| number(&format!("{km:.3}")))
            .transpose()?;
        columns.push(&r);
        if columns.len == BATCH_ROWS {
            w.write(&columns.finish(&schema).map_err(io::Error::other)?)
                .map_err(io::Error::other)?;
        }
    }
    if columns.len > 0 {
        w.write(&columns.finish(&schema).map_err(io::Error::other)?)
            .map_err(io::Error::other)?;
    }
    w.close().map_err(io::Error::other)?;
    Ok(())
}

#[derive(Default)]
struct Columns {
    len: usize,
    order_id: StringBuilder,
    line_no: UInt32Builder,
    sku: StringBuilder,
    qty: UInt32Builder,
    node_id: StringBuilder,
    shipment: UInt32Builder,
    distance_km: Float64Builder,
    promised_date: Date32Builder,
    cost_cents: Int64Builder,
    reason: StringBuilder,
    group: StringBuilder,
    source: StringBuilder,
    arrival_date: Date32Builder,
}

impl Columns {
    /// Appends one row.
    fn push(&mut self, r: &DecisionRow) {
        self.order_id.append_value(r.order_id);
        self.line_no.append_value(r.line_no);
        self.sku.append_value(r.sku);
        self.qty.append_value(r.qty);
        self.node_id.append_option(r.node_id);
        self.shipment.append_option(r.shipment);
        self.distance_km.append_option(r.distance_km);
        self.promised_date.append_option(r.promised_date.map(days));
        self.cost_cents.append_value(r.cost_cents);
        self.reason.append_option(r.reason);
        self.group.append_option(r.group);
        self.source.append_option(r.source);
        self.arrival_date.append_option(r.arrival_date.map(days));
        self.len += 1;
    }

    /// The rows so far as one batch; the builders start again empty.
    fn finish(&mut self, schema: &SchemaRef) -> Result<RecordBatch, ArrowError> {
        self.len = 0;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.order_id.finish()),
            Arc::new(self.line_no.finish()),
            Arc::new(self.sku.finish()),
            Arc::new(self.qty.finish()),
            Arc::new(self.node_id.finish()),
            Arc::new(self.shipment.finish()),
            Arc::new(self.distance_km.finish()),
            Arc::new(self.promised_date.finish()),
            Arc::new(self.cost_cents.finish()),
            Arc::new(self.reason.finish()),
            Arc::new(self.group.finish()),
            Arc::new(self.source.finish()),
            Arc::new(self.arrival_date.finish()),
        ];
        RecordBatch::try_new(schema.clone(), columns)
    }
}

/// A number the decisions writer wrote.
fn number<T: std::str::FromStr>(s: &str) -> io::Result<T> {
    s.parse()
        .map_err(|_| io::Error::other(format!("decisions writer wrote `{s}` for a number")))
}

/// Days since 1970-01-01.
fn days(d: Date) -> i32 {
    let since = d.duration_since(civil::date(1970, 1, 1));
    (since.as_secs().div_euclid(86_400)) as i32
}
