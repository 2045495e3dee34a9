//! Tests of the batch plan's totals.

use super::*;
use crate::{CostBreakdown, LatLng, Order, OrderLine, SkuId, UnfilledLine};

fn order(id: &str, lines: u32, created: bool) -> Order {
    let lines = (1..=lines)
        .map(|line_no| OrderLine {
            line_no,
            sku: SkuId(line_no),
            qty: 1,
            unit_price_cents: None,
        })
        .collect();
    let mut o = Order::new(id, LatLng::new(28.6, 77.2).unwrap(), lines);
    o.created_at = created.then(|| "2026-11-26T06:00:00Z".parse().unwrap());
    o
}

fn unfilled(reasons: &[Reason]) -> Decision {
    Decision {
        shipments: Vec::new(),
        unfilled: reasons
            .iter()
            .enumerate()
            .map(|(line, &reason)| UnfilledLine { line, reason })
            .collect(),
        cost: CostBreakdown::default(),
        candidates: Vec::new(),
        rules: Vec::new(),
        group: None,
    }
}

#[test]
fn totals_count_unfilled_lines_by_reason() {
    let orders = [
        order("A", 2, false),
        order("B", 1, true),
        order("C", 1, false),
    ];
    let decisions = vec![
        unfilled(&[Reason::SlaUnreachable, Reason::NoStock]),
        unfilled(&[Reason::SlaUnreachable]),
        unfilled(&[Reason::SlaUnreachable]),
    ];
    let plan = Plan::from_decisions(&orders, decisions);
    let counts = plan.totals.unfilled_by_reason;
    assert_eq!(counts.get(Reason::SlaUnreachable), 3);
    assert_eq!(counts.get(Reason::NoStock), 1);
    assert_eq!(counts.total(), 4);
    // B has a created_at: its promise did not depend on the reference time.
    assert_eq!(plan.unfilled_at_reference_time(&orders), 2);
}
