//! Shipments promised from incoming stock (`Router::promise_incoming`): each line's position has
//! incoming units arriving by the shipment's stated arrival, the promise is not earlier than a
//! parcel leaving after the arrival allows, and it meets the order's deadline (or the policy's
//! horizon). The units promised per position are bounded batch-wide in `check`.

use super::rules::promise_node;
use super::Violation;
use crate::promise::{deadline, order_date, promise, ready_at, transit_days};
use crate::{IncomingStock, Network, NodeIdx, Order, Policy, Shipment, SkuId};
use jiff::civil::Date;
use jiff::Timestamp;

/// Checks shipment `i` of `order`, which ships from incoming units arriving on `arrival`.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_incoming_shipment(
    order: &Order,
    i: usize,
    s: &Shipment,
    arrival: Date,
    network: &Network,
    policy: &Policy,
    incoming: &IncomingStock,
    now: Timestamp,
    v: &mut impl FnMut(&'static str, String),
) {
    let n = network.node(s.node);
    for &l in &s.lines {
        let line = &order.lines[l];
        match incoming.lot(s.node, line.sku) {
            None => v(
                "INCOMING",
                format!(
                    "shipment {i}: node {} has no dated incoming stock of line {}",
                    n.id, line.line_no
                ),
            ),
            Some(lot) if lot.arrival > arrival => v(
                "INCOMING",
                format!(
                    "shipment {i}: line {} arrives {} after the stated {arrival}",
                    line.line_no, lot.arrival
                ),
            ),
            Some(_) => {}
        }
    }
    let created = order.created_at.unwrap_or(now);
    let terms = policy.level(order.service_level);
    let km = order.destination.distance_km(n.location);
    let Some(transit) = transit_days(&terms.transit, km) else {
        return; // REACH, reported with the shipment's cost
    };
    let earliest = ready_at(created, arrival, &n.timezone)
        .and_then(|ready| promise(&promise_node(n, policy), ready, transit));
    let Some(earliest) = earliest else {
        v("SLA", format!("shipment {i}: node {} never ships", n.id));
        return;
    };
    if s.promised_date < earliest.delivered_by {
        v(
            "PROMISE",
            format!(
                "shipment {i}: promised {} but stock arriving {arrival} delivers {} at the earliest",
                s.promised_date, earliest.delivered_by
            ),
        );
    }
    let by = deadline(order.promised_by, terms.deadline_days, created, &n.timezone).unwrap_or_else(
        || {
            let days = i64::from(policy.incoming.horizon_days);
            order_date(created, &n.timezone) + jiff::Span::new().days(days)
        },
    );
    if s.promised_date > by {
        v(
            "SLA",
            format!(
                "shipment {i}: promised {} from incoming stock, after {by}",
                s.promised_date
            ),
        );
    }
}

/// `INCOMING` for every position whose `promised` units exceed its incoming units.
pub(super) fn check_promised(
    promised: &rustc_hash::FxHashMap<(NodeIdx, SkuId), u64>,
    incoming: &IncomingStock,
    network: &Network,
    out: &mut Vec<Violation>,
) {
    for (&(node, sku), &units) in promised {
        let have = u64::from(incoming.lot(node, sku).map_or(0, |l| l.qty));
        if units > have {
            out.push(Violation {
                sku: Some(sku),
                ..Violation::new(
                    usize::MAX,
                    "INCOMING",
                    format!(
                        "node {} promises {units} incoming units but {have} are coming",
                        network.node(node).id
                    ),
                )
            });
        }
    }
}
