//! A plan as an Arrow record batch with decisions.csv's columns, one row per order line: the rows
//! of `omniroute_adapters::decision_rows` (the layout `write_decisions` writes) in the Arrow
//! columns of `omniroute_adapters::decisions_schema`, except that `distance_km` keeps full
//! precision (the CSV rounds to 3 decimals). The CLI-equality test pins the layout.

use crate::model::NetData;
use arrow_array::RecordBatch;
use arrow_schema::{ArrowError, Schema};
use omniroute_adapters::{decision_rows, decisions_record_batch};
use omniroute_core::{Order, Plan};
use std::sync::Arc;

/// decisions.csv's columns as an Arrow schema.
pub fn schema() -> Arc<Schema> {
    omniroute_adapters::decisions_schema()
}

/// The decisions of `plan` over `orders`.
pub fn decisions(plan: &Plan, orders: &[Order], net: &NetData) -> Result<RecordBatch, ArrowError> {
    let skus = net.skus();
    decisions_record_batch(decision_rows(orders, plan, &net.net, &skus))
}
