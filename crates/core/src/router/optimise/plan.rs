//! The plan optimise mode returns: each order's chosen option, with the unfilled reasons the
//! final plan makes true (`settle_reasons`, shared with re-routing).

use super::super::batch::apply;
use super::super::{Candidate, Decision, Load, Plan, Reason, Router, StockTable};
use crate::Order;
use jiff::Timestamp;

/// The plan that takes option `choice[i]` of each order. An option other than the sequential
/// decision (0) is explained by `candidates(i, options of i)`, with its shipping nodes marked
/// `chosen` and the rule `batch optimiser`.
pub(super) fn chosen_plan(
    orders: &[Order],
    stock: &StockTable,
    options: Vec<Vec<Decision>>,
    choice: &[usize],
    terms: impl Fn(&Order) -> (usize, bool),
    mut candidates: impl FnMut(usize, &[Decision]) -> Vec<Candidate>,
) -> Plan {
    let mut decisions = Vec::with_capacity(orders.len());
    let mut check_stock = stock.clone();
    let mut check_load = Load::default();
    for (i, ((order, mut opts_i), &k)) in orders.iter().zip(options).zip(choice).enumerate() {
        let explained = if k == 0 {
            Vec::new()
        } else {
            candidates(i, &opts_i)
        };
        let mut d = opts_i.swap_remove(k);
        if k != 0 {
            d.candidates = explained;
            for c in &mut d.candidates {
                c.chosen = d.shipments.iter().any(|s| s.node == c.node);
            }
            d.rules.push("batch optimiser".into());
        }
        apply(order, &d, &mut check_stock, &mut check_load);
        decisions.push(d);
    }
    for (order, d) in orders.iter().zip(&mut decisions) {
        settle_reasons(order, d, (stock, &check_stock), terms(order));
    }
    Plan::from_decisions(orders, decisions)
}

/// Makes the unfilled reasons a decision brought from elsewhere (the sequential run, a route
/// without some nodes, a plan before events) true of the plan it ended in, whose batch started
/// with `start` and leaves `left`: `NO_STOCK` while `left` holds the units, `SPLIT_LIMIT` below
/// the order's most shipments, and `SHIP_COMPLETE` on an order that is not ship-complete or
/// ships in part become [`Reason::Uneconomic`] (the units were there and the plan is better off
/// without the line); a reason naming a node that
/// held the units becomes [`Reason::NoStock`] when no node held them at the start. `terms` is
/// the order's (max shipments, ship complete).
pub(crate) fn settle_reasons(
    order: &Order,
    d: &mut Decision,
    (start, left): (&StockTable, &StockTable),
    (max_shipments, ship_complete): (usize, bool),
) {
    let holds = |stock: &StockTable, l: usize| {
        let line = &order.lines[l];
        let holders = stock.holders(line.sku).iter();
        holders
            .into_iter()
            .any(|&n| stock.qty(n, line.sku) >= line.qty)
    };
    let shipments = d.shipments.len();
    for u in &mut d.unfilled {
        u.reason = match u.reason {
            Reason::NoStock if holds(left, u.line) => Reason::Uneconomic,
            Reason::SplitLimit if shipments < max_shipments => Reason::Uneconomic,
            Reason::ShipComplete if !ship_complete || shipments > 0 => Reason::Uneconomic,
            Reason::OutOfReach
            | Reason::SlaUnreachable
            | Reason::NoCapacity
            | Reason::NodeInactive
            | Reason::KindNotAllowed
            | Reason::OutsideTerritory
            | Reason::TagNotAllowed
            | Reason::NotInGroup
                if !holds(start, u.line) =>
            {
                Reason::NoStock
            }
            r => r,
        };
    }
}

impl Router {
    /// The order's most shipments and whether it ships complete, under its policy version.
    pub(crate) fn split_terms(&self, order: &Order, now: Timestamp) -> (usize, bool) {
        let terms =
            crate::router::order_terms::OrderTerms::resolve(order, self.policy_for(order, now));
        (terms.max_shipments, terms.ship_complete)
    }
}

/// Why the sequential decision left line `l` unfilled ([`Reason::Uneconomic`] if it shipped it:
/// the batch is better off without it).
pub(super) fn seq_reason(seq: &Decision, l: usize) -> Reason {
    seq.unfilled
        .iter()
        .find(|u| u.line == l)
        .map_or(Reason::Uneconomic, |u| u.reason)
}

/// The decision that ships nothing, with the sequential decision's reasons where it had them,
/// priced under the order's policy version.
pub(super) fn unfilled(order: &Order, seq: &Decision, router: &Router, now: Timestamp) -> Decision {
    let policy = router.policy_for(order, now);
    let per_unit =
        crate::router::order_terms::OrderTerms::resolve(order, policy).unfilled_per_unit_cents;
    crate::router::decision::ship_nothing(seq, order, per_unit, |l| seq_reason(seq, l))
}

/// True when two decisions make the same shipments (same nodes with the same lines, in any
/// order).
pub(crate) fn same_shipments(a: &Decision, b: &Decision) -> bool {
    a.shipments.len() == b.shipments.len()
        && a.shipments.iter().all(|x| {
            b.shipments
                .iter()
                .any(|y| x.node == y.node && x.lines == y.lines)
        })
}
