//! What routing one order returns: shipments, unfilled lines with reasons, and the explanation.

use super::{CostBreakdown, LineSet, Reason};
use crate::NodeIdx;
use jiff::civil::Date;

/// One parcel from one node.
#[derive(Debug, Clone, PartialEq)]
pub struct Shipment {
    /// The shipping node.
    pub node: NodeIdx,
    /// Indices into the order's lines, ascending.
    pub lines: Vec<usize>,
    /// Units in the shipment.
    pub units: u32,
    /// Great-circle distance from node to destination, km.
    pub distance_km: f64,
    /// Promised delivery date (`None` only when the order had no time and no reference time).
    pub promised_date: Date,
    /// The shipment's cost (split penalty included for every shipment after the first).
    pub cost: CostBreakdown,
}

/// A line that could not be filled, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnfilledLine {
    /// Index into the order's lines.
    pub line: usize,
    /// Why.
    pub reason: Reason,
}

/// What the router made of one candidate node.
#[derive(Debug, Clone, PartialEq)]
pub enum CandidateOutcome {
    /// The node could ship `lines`; `cost_cents` is the cost of shipping all of them from it
    /// alone.
    Priced {
        /// Lines it could ship.
        lines: LineSet,
        /// Cost of that one shipment.
        cost_cents: i64,
    },
    /// A hard rule filtered the node.
    Filtered(Reason),
}

/// One considered node, in the order the router met them (nearest first).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The node.
    pub node: NodeIdx,
    /// Distance to the destination, km.
    pub distance_km: f64,
    /// Its cost or the reason it was filtered.
    pub outcome: CandidateOutcome,
    /// True when the decision ships from it.
    pub chosen: bool,
}

/// The decision for one order.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// Shipments, in the order they were chosen (nearest node first).
    pub shipments: Vec<Shipment>,
    /// Unfilled lines, ascending by line index.
    pub unfilled: Vec<UnfilledLine>,
    /// Total cost by term.
    pub cost: CostBreakdown,
    /// Every considered node with its cost or filter reason.
    pub candidates: Vec<Candidate>,
    /// Names of the policy rules that applied.
    pub rules: Vec<String>,
}

impl Decision {
    /// True when every line ships.
    pub fn is_complete(&self) -> bool {
        self.unfilled.is_empty()
    }

    /// The objective value.
    pub fn cost_cents(&self) -> i64 {
        self.cost.total_cents()
    }

    /// Total distance over shipments, km.
    pub fn distance_km(&self) -> f64 {
        self.shipments.iter().map(|s| s.distance_km).sum()
    }
}

/// `from` with nothing shipped: every line of `order` unfilled with `reason(line)`, priced at
/// `unfilled_per_unit_cents`, no candidate chosen; the explanation and rules are kept.
pub(crate) fn ship_nothing(
    from: &Decision,
    order: &crate::Order,
    unfilled_per_unit_cents: i64,
    reason: impl Fn(usize) -> Reason,
) -> Decision {
    let mut d = from.clone();
    d.shipments.clear();
    d.unfilled = (0..order.lines.len())
        .map(|line| UnfilledLine {
            line,
            reason: reason(line),
        })
        .collect();
    d.cost = CostBreakdown {
        unfilled_cents: order
            .lines
            .iter()
            .map(|l| unfilled_per_unit_cents * i64::from(l.qty))
            .sum(),
        ..CostBreakdown::default()
    };
    for c in &mut d.candidates {
        c.chosen = false;
    }
    d
}
