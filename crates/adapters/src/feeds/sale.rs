//! The optional fields that make a `ship` or `return` a sale or a return of the total business
//! (docs/kpis.md, "Total business"): `order_id`, `sold_via` (returns) and `unit_price_cents`
//! (ships), with their codes `E3270`–`E3272`; and a whole feed read into the core's
//! [`SaleEvent`]s for `omniroute report --feed` and `omniroute.business`.

use super::{FeedEvent, FeedReader};
use crate::ndjson::Line;
use crate::problem::clip;
use crate::problem::Problems;
use crate::InputError;
use omniroute_core::codes::InventoryCode;
use omniroute_core::{Network, NodeIdx, SaleEvent, SalesChannel, StockOp};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::io::BufRead;

/// The sale fields of one event (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SaleFields {
    /// The order the units belong to: a routed order's id, or the till's receipt.
    pub order_id: Option<String>,
    /// Where a returned item was bought (`return` only).
    pub sold_via: Option<SalesChannel>,
    /// The price of one unit sold, cents (`ship` only).
    pub unit_price_cents: Option<i64>,
}

const CHANNELS: &str = "online, store, dealer";

/// Reads the sale fields of an event whose operation is `ship`, `return` or another (`op`).
pub(super) fn sale_fields(
    at: &mut Line<'_>,
    obj: &Map<String, Value>,
    op: Option<StockOp>,
) -> SaleFields {
    let given = |key| obj.get(key).filter(|v| !v.is_null());
    let is_return = matches!(op, Some(StockOp::Return(_)));
    let is_ship = matches!(op, Some(StockOp::Ship(_)));
    let order_id = given("order_id").and_then(|v| match v.as_str().map(str::trim) {
        Some(id) if !id.is_empty() => Some(id.to_owned()),
        _ => {
            let hint =
                "write the order's id (or the till's receipt) in double quotes, or leave it out";
            let message = format!(
                "`order_id` must be a non-empty string, not `{}`",
                clip(&v.to_string())
            );
            at.push_at(InventoryCode::BadOrderId.id(), "order_id", message, hint);
            None
        }
    });
    let sold_via = given("sold_via").and_then(|v| {
        if op.is_some() && !is_return {
            let what = "it says where the returned item was bought";
            return wrong_op(
                at,
                InventoryCode::BadSoldVia.id(),
                "sold_via",
                "return",
                what,
            );
        }
        let channel = v.as_str().and_then(SalesChannel::parse);
        if channel.is_none() {
            let message = format!(
                "`sold_via` is `{}`, not a sales channel",
                clip(&v.to_string())
            );
            let hint = format!("use one of {CHANNELS} (lowercase, in double quotes)");
            at.push_at(InventoryCode::BadSoldVia.id(), "sold_via", message, &hint);
        }
        channel
    });
    let unit_price_cents = given("unit_price_cents").and_then(|v| {
        if op.is_some() && !is_ship {
            let what = "the price of one unit sold";
            return wrong_op(
                at,
                InventoryCode::BadUnitPrice.id(),
                "unit_price_cents",
                "ship",
                what,
            );
        }
        let price = v.as_i64().filter(|p| *p >= 0);
        if price.is_none() {
            let message = format!(
                "`unit_price_cents` must be a whole number of cents from 0 up, not `{}`",
                clip(&v.to_string())
            );
            let hint = "write the unit price in cents without quotes, for example 1299";
            at.push_at(
                InventoryCode::BadUnitPrice.id(),
                "unit_price_cents",
                message,
                hint,
            );
        }
        price
    });
    SaleFields {
        order_id,
        sold_via,
        unit_price_cents,
    }
}

/// Records that `key` (code `code`) is given on an event other than `op`, the one that takes it
/// (`what` it means there); `None`, the field's value.
fn wrong_op<T>(
    at: &mut Line<'_>,
    code: &'static str,
    key: &str,
    op: &str,
    what: &str,
) -> Option<T> {
    let message = format!("`{key}` on an event that is not a `{op}`");
    at.push_at(
        code,
        key,
        message,
        &format!("give `{key}` on a `{op}` only: {what}"),
    );
    None
}

impl FeedEvent {
    /// The event as a sale or a return of the total business: `ship` and `return` only.
    pub fn sale_event(&self) -> Option<SaleEvent> {
        let (is_return, units) = match self.op {
            StockOp::Ship(q) => (false, q),
            StockOp::Return(q) | StockOp::ReturnHeld(q) => (true, q),
            _ => return None,
        };
        Some(SaleEvent {
            node: self.node,
            is_return,
            units,
            order_id: self.sale.order_id.clone(),
            sold_via: self.sale.sold_via,
            unit_price_cents: self.sale.unit_price_cents,
        })
    }
}

/// Reads a whole feed (`file` names it in problems) into its sales and returns, in order; a
/// repeated (node, `seq`) is a duplicate the ledger would ignore, so it is skipped. Every
/// malformed line's problems are gathered (at most [`crate::MAX_PROBLEMS`], then `E1025`) into the `Err`.
pub fn read_sale_events<R: BufRead>(
    input: R,
    file: &str,
    network: &Network,
) -> Result<Vec<SaleEvent>, InputError> {
    let mut seen: HashSet<(NodeIdx, u64)> = HashSet::new();
    let mut sales = Vec::new();
    let mut problems = Problems::new(file);
    for read in FeedReader::new(input, file, network) {
        match read {
            Ok(event) => {
                if seen.insert((event.node, event.seq)) {
                    sales.extend(event.sale_event());
                }
            }
            Err(p) => p.into_iter().for_each(|p| problems.push(p)),
        }
    }
    if problems.total() == 0 {
        Ok(sales)
    } else {
        Err(problems.into_error())
    }
}
