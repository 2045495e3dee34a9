//! A plan as an Arrow record batch with decisions.csv's columns, one row per order line, in the
//! same row order as `omniroute_adapters::write_decisions` (shipped lines by shipment, then
//! unfilled lines; the shipment's cost on its first line, 0 on the others; an unfilled line's
//! share of the unfilled cost). `distance_km` keeps full precision (the CSV rounds to 3
//! decimals) and `promised_date` is a date. The CLI-equality test pins the layout.

use crate::model::NetData;
use arrow_array::builder::{
    Date32Builder, Float64Builder, Int64Builder, StringBuilder, UInt32Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema};
use omniroute_core::{Order, Plan};
use std::sync::Arc;

/// decisions.csv's columns as an Arrow schema.
pub fn schema() -> Arc<Schema> {
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

#[derive(Default)]
struct Columns {
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

/// The decisions of `plan` over `orders`.
pub fn decisions(plan: &Plan, orders: &[Order], net: &NetData) -> Result<RecordBatch, ArrowError> {
    let skus = net.skus();
    let epoch = jiff::civil::date(1970, 1, 1);
    let mut c = Columns::default();
    let line = |c: &mut Columns, order: &Order, i: usize| {
        let l = &order.lines[i];
        c.order_id.append_value(&order.id);
        c.line_no.append_value(l.line_no);
        c.sku.append_value(skus.name(l.sku));
        c.qty.append_value(l.qty);
    };
    for (order, d) in orders.iter().zip(&plan.decisions) {
        for (n, s) in d.shipments.iter().enumerate() {
            let days = (s.promised_date - epoch).get_days();
            for (k, &i) in s.lines.iter().enumerate() {
                line(&mut c, order, i);
                c.node_id.append_value(&net.net.node(s.node).id);
                c.shipment.append_value(n as u32 + 1);
                c.distance_km.append_value(s.distance_km);
                c.promised_date.append_value(days);
                c.cost_cents
                    .append_value(if k == 0 { s.cost.total_cents() } else { 0 });
                c.reason.append_null();
            }
        }
        let units: i64 = d
            .unfilled
            .iter()
            .map(|u| i64::from(order.lines[u.line].qty))
            .sum();
        let per_unit = if units == 0 {
            0
        } else {
            d.cost.unfilled_cents / units
        };
        for u in &d.unfilled {
            line(&mut c, order, u.line);
            c.node_id.append_null();
            c.shipment.append_null();
            c.distance_km.append_null();
            c.promised_date.append_null();
            c.cost_cents
                .append_value(per_unit * i64::from(order.lines[u.line].qty));
            c.reason.append_value(u.reason.code());
        }
    }
    let columns: Vec<ArrayRef> = vec![
        Arc::new(c.order_id.finish()),
        Arc::new(c.line_no.finish()),
        Arc::new(c.sku.finish()),
        Arc::new(c.qty.finish()),
        Arc::new(c.node_id.finish()),
        Arc::new(c.shipment.finish()),
        Arc::new(c.distance_km.finish()),
        Arc::new(c.promised_date.finish()),
        Arc::new(c.cost_cents.finish()),
        Arc::new(c.reason.finish()),
    ];
    RecordBatch::try_new(schema(), columns)
}
