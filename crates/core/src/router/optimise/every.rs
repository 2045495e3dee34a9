//! Every feasible option of one order, for the exact solve of tiny batches.
//!
//! An option assigns each line to one node or leaves it unfilled. The nodes are every holder of
//! one of the order's SKUs, judged by the router's own [`evaluate`] (activity, exclusions, allowed
//! kinds, reach, territory, capacity, a hard SLA's promise) against the batch's starting stock
//! and an empty load, and the lines a node ships are priced with the router's own terms. An
//! assignment is kept when it honours the order's split rules (at most `max_shipments` nodes;
//! ship-complete: all lines or none), each node's stock of every SKU it ships (lines sharing a
//! SKU add up) and each node's unit capacity. Any plan for the batch gives each order one of
//! these options, so choosing among them loses nothing.

use super::super::candidate::{evaluate, promised_date_at, stock_lines, OrderCtx, Viable};
use super::super::order_terms::OrderTerms;
use super::super::policy_router::PolicyRouter;
use super::super::{
    Candidate, CandidateOutcome, CostBreakdown, Decision, LineSet, Load, Reason, Router, Shipment,
    StockTable, UnfilledLine, EXACT_MAX_LINES,
};
use crate::{NodeIdx, Order};
use jiff::civil::Date;
use jiff::Timestamp;

/// An order's options are enumerated only when its lines have at most this many assignments to
/// nodes: the product over lines of (1 + the nodes that can ship the line).
pub const EXACT_MAX_ASSIGNMENTS: usize = 4_096;

/// Every feasible option of an order, and the explanation shared by them.
pub(super) struct Every {
    /// Every feasible option, in odometer order (each line's choices: unfilled first, then
    /// nodes nearest first); none is chosen yet, and `candidates` is empty.
    pub options: Vec<Decision>,
    /// Every node weighed, nearest first (ties by index), with its cost or reason.
    pub candidates: Vec<Candidate>,
}

/// A node that passed the hard rules, priced for this order.
struct Priced {
    v: Viable,
    /// Handling + margin of each line at the node.
    line_cents: Vec<i64>,
    promised_date: Date,
}

impl Router {
    /// Every feasible option of `order` routed alone against `stock` (see the module docs) under
    /// its policy version, with `reason(line)` for the lines an option leaves unfilled. `None`
    /// when the order has more than [`EXACT_MAX_LINES`] lines or more than
    /// [`EXACT_MAX_ASSIGNMENTS`] assignments.
    pub(super) fn every_option(
        &self,
        order: &Order,
        stock: &StockTable,
        now: Timestamp,
        reason: impl Fn(usize) -> Reason,
    ) -> Option<Every> {
        self.version(order, now)
            .every_option_under(order, stock, now, reason)
    }
}

impl PolicyRouter {
    /// [`Router::every_option`] under this router's policy, whatever the order's version: the
    /// caller has already picked the router of that version.
    fn every_option_under(
        &self,
        order: &Order,
        stock: &StockTable,
        now: Timestamp,
        reason: impl Fn(usize) -> Reason,
    ) -> Option<Every> {
        let lines = order.lines.len();
        if lines > EXACT_MAX_LINES {
            return None;
        }
        let terms = OrderTerms::resolve(order, &self.policy);
        if terms.group_rule.is_some() {
            // Which options a rule's groups allow depends on the stock each group finds.
            return None;
        }
        let ctx = OrderCtx::new(self, order, &terms, now, None);
        let (priced, candidates) = self.weigh(&ctx, stock);
        // Per line, the nodes that can ship it (indices into `priced`).
        let per_line: Vec<Vec<usize>> = (0..lines)
            .map(|l| {
                (0..priced.len())
                    .filter(|&i| priced[i].v.lines.contains(l))
                    .collect()
            })
            .collect();
        let count = per_line
            .iter()
            .try_fold(1usize, |acc, c| acc.checked_mul(c.len() + 1))?;
        if count > EXACT_MAX_ASSIGNMENTS {
            return None;
        }
        let mut options = Vec::new();
        // pick[l]: 0 = unfilled, j = the node per_line[l][j - 1].
        let mut pick = vec![0usize; lines];
        loop {
            if let Some(d) = self.option(&ctx, stock, &priced, &pick, &per_line, &reason) {
                options.push(d);
            }
            let Some(l) = (0..lines).find(|&l| pick[l] < per_line[l].len()) else {
                break;
            };
            pick[l] += 1;
            pick[..l].fill(0);
        }
        Some(Every {
            options,
            candidates,
        })
    }

    /// Every holder of one of the order's SKUs, judged and priced as the router does.
    fn weigh(&self, ctx: &OrderCtx<'_>, stock: &StockTable) -> (Vec<Priced>, Vec<Candidate>) {
        let order = ctx.order;
        let index = self.network.index();
        let mut nodes: Vec<(f64, NodeIdx)> = order
            .lines
            .iter()
            .flat_map(|l| stock.holders(l.sku).iter().copied())
            .map(|n| (order.destination.distance_km(index.location(n)), n))
            .collect();
        nodes.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        nodes.dedup_by_key(|x| x.1);
        let empty = Load::default();
        let mut priced = Vec::new();
        let mut candidates = Vec::with_capacity(nodes.len());
        for (km, node) in nodes {
            let t = &self.terms.nodes[node.0 as usize];
            let held = stock_lines(order, stock, node);
            let outcome =
                match evaluate(&self.network, &self.policy, t, ctx, &empty, node, km, held) {
                    Ok(v) => {
                        let mut line_cents = vec![0; order.lines.len()];
                        self.line_cents(node, order, stock, &mut line_cents);
                        let cost_cents =
                            v.base_cents + v.lines.iter().map(|l| line_cents[l]).sum::<i64>();
                        let promised_date = v.promised_date.unwrap_or_else(|| {
                            promised_date_at(
                                self.network.node(node),
                                t,
                                ctx.created_at,
                                v.transit_days,
                            )
                            .expect("always_ships nodes open within the horizon")
                        });
                        let lines = v.lines.clone();
                        priced.push(Priced {
                            v,
                            line_cents,
                            promised_date,
                        });
                        CandidateOutcome::Priced { lines, cost_cents }
                    }
                    Err(reason) => CandidateOutcome::Filtered(reason),
                };
            candidates.push(Candidate {
                node,
                distance_km: km,
                outcome,
                chosen: false,
            });
        }
        (priced, candidates)
    }

    /// The decision of one assignment (`pick`, as in [`Router::every_option`]), or `None` when it
    /// breaks a split rule, a node's stock or a node's unit capacity.
    fn option(
        &self,
        ctx: &OrderCtx<'_>,
        stock: &StockTable,
        priced: &[Priced],
        pick: &[usize],
        per_line: &[Vec<usize>],
        reason: &impl Fn(usize) -> Reason,
    ) -> Option<Decision> {
        let order = ctx.order;
        let lines = order.lines.len();
        // (node in `priced`, lines) per shipment, nearest node first as the router lists them.
        let mut ships: Vec<(usize, LineSet)> = Vec::new();
        for l in (0..lines).filter(|&l| pick[l] > 0) {
            let i = per_line[l][pick[l] - 1];
            match ships.iter_mut().find(|s| s.0 == i) {
                Some(s) => s.1.insert(l),
                None => ships.push((i, LineSet::from_iter([l]))),
            }
        }
        ships.sort_unstable();
        let shipped: usize = ships.iter().map(|s| s.1.len()).sum();
        if ships.len() > ctx.terms.max_shipments
            || (ctx.terms.ship_complete && shipped != 0 && shipped != lines)
        {
            return None;
        }
        let mut shipments = Vec::with_capacity(ships.len());
        let mut total = CostBreakdown::default();
        for (k, (i, mask)) in ships.iter().enumerate() {
            let i = *i;
            let p = &priced[i];
            let node = p.v.node;
            let in_mask: Vec<usize> = mask.iter().collect();
            let units: u32 = in_mask.iter().map(|&l| order.lines[l].qty).sum();
            let sku_fits = in_mask.iter().all(|&l| {
                let sku = order.lines[l].sku;
                let want: u32 = in_mask
                    .iter()
                    .filter(|&&m| order.lines[m].sku == sku)
                    .map(|&m| order.lines[m].qty)
                    .sum();
                want <= stock.qty(node, sku)
            });
            if units > p.v.units_left || !sku_fits {
                return None;
            }
            let split_cents = if k > 0 {
                ctx.terms.split_penalty_cents
            } else {
                0
            };
            let (cost, _) = self.shipment_cost(&p.v, order, &in_mask, split_cents, Some(stock));
            debug_assert_eq!(
                cost.total_cents() - cost.split_penalty_cents,
                p.v.base_cents + in_mask.iter().map(|&l| p.line_cents[l]).sum::<i64>()
            );
            total += cost;
            shipments.push(Shipment {
                node,
                lines: in_mask,
                units,
                distance_km: p.v.distance_km,
                promised_date: p.promised_date,
                cost,
                arrival: None,
            });
        }
        let unfilled: Vec<UnfilledLine> = (0..lines)
            .filter(|&l| pick[l] == 0)
            .map(|l| UnfilledLine {
                line: l,
                reason: reason(l),
            })
            .collect();
        for u in &unfilled {
            total.unfilled_cents +=
                ctx.terms.unfilled_per_unit_cents * i64::from(order.lines[u.line].qty);
        }
        Some(Decision {
            shipments,
            unfilled,
            cost: total,
            candidates: Vec::new(),
            rules: ctx.terms.rules.clone(),
            group: None,
        })
    }
}
