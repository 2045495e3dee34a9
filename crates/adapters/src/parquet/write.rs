//! decisions as Parquet: the decisions.csv columns, typed.
//!
//! The rows are the ones [`write_decisions`] writes (so both formats always agree), parsed back
//! into typed columns ([`decisions_schema`]): `line_no`, `qty` and `shipment` `UInt32`,
//! `distance_km` `Float64` (3 decimals, as in the CSV), `promised_date` `Date32`, `cost_cents`
//! `Int64`, the rest `Utf8`; `node_id`, `shipment`, `distance_km`, `promised_date` and `reason`
//! are null where the CSV cell is empty. Snappy-compressed.

use crate::write_decisions;
use arrow_array::builder::{
    Date32Builder, Float64Builder, Int64Builder, StringBuilder, UInt32Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
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
    ]))
}

/// Writes a plan as a Parquet file with the decisions.csv columns ([`decisions_schema`]).
pub fn write_decisions_parquet<W: Write + Send>(
    out: W,
    orders: &[Order],
    plan: &Plan,
    network: &Network,
    skus: &Skus,
) -> io::Result<()> {
    let mut text = Vec::new();
    write_decisions(&mut text, orders, plan, network, skus)?;
    let schema = decisions_schema();
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(BATCH_ROWS))
        .build();
    let mut w = ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(io::Error::other)?;
    let mut rows = csv::Reader::from_reader(text.as_slice());
    let mut columns = Columns::default();
    let mut record = csv::StringRecord::new();
    while rows.read_record(&mut record).map_err(io::Error::other)? {
        columns.push(&record)?;
        if columns.len == BATCH_ROWS {
            w.write(&columns.finish(&schema)?)
                .map_err(io::Error::other)?;
        }
    }
    if columns.len > 0 {
        w.write(&columns.finish(&schema)?)
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
}

impl Columns {
    /// Appends one decisions.csv record (in `DECISIONS_HEADER` order).
    fn push(&mut self, r: &csv::StringRecord) -> io::Result<()> {
        let cell = |i: usize| r.get(i).unwrap_or("");
        let some = |i: usize| Some(cell(i)).filter(|s| !s.is_empty());
        self.order_id.append_value(cell(0));
        self.line_no.append_value(number(cell(1))?);
        self.sku.append_value(cell(2));
        self.qty.append_value(number(cell(3))?);
        self.node_id.append_option(some(4));
        self.shipment
            .append_option(some(5).map(number).transpose()?);
        self.distance_km
            .append_option(some(6).map(number).transpose()?);
        self.promised_date
            .append_option(some(7).map(days).transpose()?);
        self.cost_cents.append_value(number(cell(8))?);
        self.reason.append_option(some(9));
        self.len += 1;
        Ok(())
    }

    /// The rows so far as one batch; the builders start again empty.
    fn finish(&mut self, schema: &SchemaRef) -> io::Result<RecordBatch> {
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
        ];
        RecordBatch::try_new(schema.clone(), columns).map_err(io::Error::other)
    }
}

/// A number the decisions writer wrote.
fn number<T: std::str::FromStr>(s: &str) -> io::Result<T> {
    s.parse()
        .map_err(|_| io::Error::other(format!("decisions writer wrote `{s}` for a number")))
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` the decisions writer wrote.
fn days(s: &str) -> io::Result<i32> {
    let d: Date = s.parse().map_err(io::Error::other)?;
    let since = d.duration_since(civil::date(1970, 1, 1));
    Ok((since.as_secs().div_euclid(86_400)) as i32)
}
