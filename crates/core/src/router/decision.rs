//! What routing one order returns: shipments, unfilled lines with reasons, and the explanation.

use super::candidate::{evaluate, promised_date_at, stock_lines, Viable};
use super::choose::Pick;
use super::policy_router::PolicyRouter;
use super::search::Search;
use super::{margin_cents, CostBreakdown, LineSet, Reason, StockTable};
use crate::index::Walked;
use crate::{GroupChoice, NodeIdx, Order, ReserveLine};
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
    /// `Some(date)` when it ships from incoming stock (`Router::promise_incoming`): the date the
    /// last of its units arrive at the node; `None` for stock on hand.
    pub arrival: Option<Date>,
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
    /// How a rule's node groups decided the order (`None`: no rule with groups applied).
    pub group: Option<GroupChoice>,
}

impl Decision {
    /// The units this decision of `order` ships, as reservation lines (one per shipped line).
    pub fn reserve_lines(&self, order: &Order) -> Vec<ReserveLine> {
        self.shipments
            .iter()
            .flat_map(|s| {
                s.lines.iter().map(|&l| ReserveLine {
                    node: s.node,
                    sku: order.lines[l].sku,
                    qty: order.lines[l].qty,
                })
            })
            .collect()
    }

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

impl PolicyRouter {
    /// The cost of shipping `lines` of `order` from the viable node `v` (the split penalty
    /// `split_cents` for a shipment after the first), and its units; inventory balance priced
    /// against `stock` (none for units that are not on hand).
    pub(super) fn shipment_cost(
        &self,
        v: &Viable,
        order: &Order,
        lines: &[usize],
        split_cents: i64,
        stock: Option<&StockTable>,
    ) -> (CostBreakdown, u32) {
        let t = &self.terms.nodes[v.node.0 as usize];
        let mut cost = CostBreakdown {
            fixed_cents: t.fixed_cents,
            distance_cents: v.distance_cents,
            priority_cents: t.priority_cents,
            lateness_cents: v.lateness_cents,
            reject_risk_cents: t.reject_risk_cents,
            outside_territory_cents: v.territory_cents,
            split_penalty_cents: split_cents,
            ..CostBreakdown::default()
        };
        let mut units = 0;
        for &l in lines {
            let line = &order.lines[l];
            units += line.qty;
            cost.handling_cents += t.per_unit_cents * i64::from(line.qty);
            cost.margin_cents += margin_cents(t.margin_bps, line.value_cents());
            if let Some(stock) = stock {
                cost.balance_cents += self.balance_cents(v.node, line, stock);
            }
        }
        (cost, units)
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

impl Search<'_> {
    /// The decision: the solver's best shipments with their costs and promises, the unfilled
    /// lines with their reasons, and every candidate considered.
    pub(super) fn finish(mut self, rules: Vec<String>) -> Decision {
        let order = self.ctx.order;
        let picks: Vec<Pick> = self.solver.picks();
        let mut shipments = Vec::with_capacity(picks.len());
        let mut total = CostBreakdown::default();
        let mut shipped = LineSet::new();
        for (i, pick) in picks.iter().enumerate() {
            let v = &self.viables[pick.viable];
            let t = &self.router.terms.nodes[v.node.0 as usize];
            let lines: Vec<usize> = pick.lines.iter().collect();
            let split_cents = if i > 0 {
                self.ctx.terms.split_penalty_cents
            } else {
                0
            };
            let (cost, units) =
                self.router
                    .shipment_cost(v, order, &lines, split_cents, Some(self.stock));
            shipped.extend_from(&pick.lines);
            total += cost;
            for c in &mut self.candidates {
                if c.node == v.node {
                    c.chosen = true;
                }
            }
            shipments.push(Shipment {
                node: v.node,
                lines,
                units,
                distance_km: v.distance_km,
                promised_date: v.promised_date.unwrap_or_else(|| {
                    let n = self.router.network.node(v.node);
                    promised_date_at(n, t, self.ctx.created_at, v.transit_days)
                        .expect("always_ships nodes open within the horizon")
                }),
                cost,
                arrival: None,
            });
        }
        let unfilled: Vec<UnfilledLine> = (0..order.lines.len())
            .filter(|&l| !shipped.contains(l))
            .map(|l| UnfilledLine {
                line: l,
                reason: self.unfilled_reason(l, shipments.len(), &shipped),
            })
            .collect();
        for u in &unfilled {
            total.unfilled_cents +=
                self.ctx.terms.unfilled_per_unit_cents * i64::from(order.lines[u.line].qty);
        }
        Decision {
            shipments,
            unfilled,
            cost: total,
            candidates: self.candidates,
            rules,
            group: None,
        }
    }

    /// The nearest node (ties by index) holding enough units for line `l`, with its distance:
    /// from what the line floors met when they read its posting list, else from a walk of the
    /// spatial index that tests each node it reaches (when the SKU has a holder bitmap and at
    /// least [`NEAREST_WALK_MIN`](super::scan_limits::NEAREST_WALK_MIN) holders), else
    /// (or when that walk has tested as many nodes as the list has entries) one pass of
    /// squared chords over the list (`SpatialIndex::nearest_of`).
    pub(super) fn nearest_holder(&self, l: usize) -> Option<(f64, NodeIdx)> {
        let dest = self.ctx.order.destination;
        let index = self.router.network.index();
        let line = &self.ctx.order.lines[l];
        let known = (self.floors.as_ref()).and_then(|f| f.nearest[l].as_ref());
        if let Some(nearest) = known {
            return nearest.finish(index, dest).map(|(n, km)| (km, n));
        }
        let stock = self.stock;
        let holders = stock.holders(line.sku).len();
        if stock.has_bitmap(line.sku) && holders >= self.router.limits.nearest_walk_min {
            let budget = holders.saturating_mul(self.router.limits.floors_near) / 100;
            let holds = |n| stock.holds(line.sku, line.qty, n);
            match index.nearest_where(dest, holds, budget).next() {
                Some(Walked::Node(n, km)) => {
                    // Nearer nodes that failed the test cannot start to hold enough in a batch:
                    // the answer changes only when this one stops holding enough.
                    stock.read_at(n);
                    return Some((km, n));
                }
                None => return None, // the whole tree, and no holder
                Some(Walked::Spent) => {}
            }
        }
        let holders = (stock.holdings(line.sku))
            .filter(move |&(_, units)| units >= line.qty)
            .map(|(n, _)| n)
            .inspect(|&n| stock.read_at(n));
        let (n, km) = index.nearest_of(dest, holders)?;
        Some((km, n))
    }

    /// Why line `l` is unfilled: the most specific reason the router met.
    fn unfilled_reason(&self, l: usize, shipments: usize, shipped: &LineSet) -> Reason {
        // Some node could ship it: one the router weighed, or (when the bounds read the posting
        // lists) a holder that passed every distance-free rule and the reach and deadline
        // limits, which the bounds then proved not worth it.
        let could = self.viables.iter().any(|v| v.lines.contains(l))
            || (self.floors.as_ref()).is_some_and(|f| f.any_may_ship(self, l));
        if could {
            if self.ctx.terms.ship_complete && shipped.is_empty() {
                return Reason::ShipComplete;
            }
            if shipments >= self.ctx.terms.max_shipments {
                return Reason::SplitLimit;
            }
            return Reason::Uneconomic;
        }
        // No viable node could ship it: the reason of the nearest node holding enough stock.
        let line = &self.ctx.order.lines[l];
        let holds = |n: NodeIdx| self.stock.qty(n, line.sku) >= line.qty;
        if let Some(c) = self.candidates.iter().find(|c| holds(c.node)) {
            if let CandidateOutcome::Filtered(r) = c.outcome {
                return r;
            }
        }
        let nearest = self.nearest_holder(l);
        let Some((km, n)) = nearest else {
            return Reason::NoStock;
        };
        let r = self.router;
        match evaluate(
            &r.network,
            &r.policy,
            &r.terms.nodes[n.0 as usize],
            self.ctx,
            self.load,
            n,
            km,
            stock_lines(self.ctx.order, self.stock, n),
        ) {
            Err(reason) => reason,
            Ok(_) => Reason::Uneconomic,
        }
    }
}
