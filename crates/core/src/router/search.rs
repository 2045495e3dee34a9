//! The per-order search state ([`Search`]) and the phases of the candidate scan ([`Search::run`]).
//!
//! Invariants: candidates are considered nearest first within each source (ties by node index);
//! the solver's best only falls; the line floors are computed at most once, the first time a
//! bound needs them, and only tighten after (when the hand-over reads a line they left unread).

use super::bounds::Closed;
use super::candidate::{evaluate, stock_lines, OrderCtx, Viable};
use super::choose::{self, Problem, Solver};
use super::dominance::Dominators;
use super::floors::LineFloors;
use super::full::FullHolders;
use super::order_terms::OrderTerms;
use super::policy_router::PolicyRouter;
use super::reach::Reach;
use super::reads::Count;
use super::{distance_cents, margin_cents, Candidate, CandidateOutcome, LineSet};
use super::{Load, Prices, StockTable};
use crate::{NodeIdx, Order, SkuId};
use jiff::Timestamp;

/// Everything the scan of one order knows: its inputs, the solver fed so far, the explanation
/// gathered so far and what the bounds read.
pub(super) struct Search<'r> {
    pub router: &'r PolicyRouter,
    pub prices: Option<&'r Prices>,
    pub ctx: &'r OrderCtx<'r>,
    pub stock: &'r StockTable,
    pub load: &'r Load,
    pub solver: Solver,
    /// The nodes that passed every hard rule, in the order they were priced.
    pub viables: Vec<Viable>,
    /// Every node considered, with its cost or reason.
    pub candidates: Vec<Candidate>,
    /// Lines sharing a SKU: (lines, SKU).
    pub sku_groups: Vec<(LineSet, SkuId)>,
    /// Every line of the order.
    pub full: LineSet,
    /// How far any node can serve the order.
    pub reach: Reach,
    /// What the lines a partial shipment leaves cost at least: another shipment's base (plus the
    /// split penalty) when allowed, or the cheapest line's unfilled cost unless ship-complete
    /// (never below zero).
    pub partial_extra_cents: i64,
    /// Per-line floors, once a bound has needed them ([`Search::floors_at`]).
    pub floors: Option<LineFloors>,
    /// Priced nodes that may dominate later ones ([`super::dominance`]).
    pub dominators: Dominators,
    /// The order's units when dominance applies to this order (else `None`).
    pub dominance: Option<u64>,
    /// No node still to come can ship every line alone, or none that can could beat the best
    /// (set once the full holders are weighed).
    pub partial_only: bool,
    /// Scratch: a node's handling + margin per line, and its stock of each SKU group.
    line_cents: Vec<i64>,
    group_stock: Vec<u32>,
}

impl PolicyRouter {
    /// Prepares the search for `order` under `terms` (its [`OrderTerms`], resolved once by the
    /// caller however many groups it tries), over group `group` of its group rule when set, and
    /// hands it to `f`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn search<T>(
        &self,
        order: &Order,
        terms: &OrderTerms,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
        prices: Option<&Prices>,
        group: Option<usize>,
        f: impl FnOnce(Search<'_>) -> T,
    ) -> T {
        let lines = order.lines.len();
        let unfilled_cents: Vec<i64> = order
            .lines
            .iter()
            .map(|l| terms.unfilled_per_unit_cents * i64::from(l.qty))
            .collect();
        let sku_groups = sku_groups(order);
        // What the lines a partial shipment leaves cost at least: another shipment (when the
        // split rules allow one) or leaving the cheapest line unfilled (unless ship-complete).
        let another = if terms.max_shipments >= 2 {
            self.terms
                .min_base_cents
                .saturating_add(terms.split_penalty_cents)
        } else {
            choose::INF
        };
        let leave = if terms.ship_complete {
            choose::INF
        } else {
            unfilled_cents.iter().copied().min().unwrap_or(0)
        };
        let problem = Problem {
            units: order.lines.iter().map(|l| l.qty).collect(),
            sku_groups: sku_groups.iter().map(|(m, _)| m.clone()).collect(),
            unfilled_cents,
            max_shipments: terms.max_shipments,
            ship_complete: terms.ship_complete,
            split_penalty_cents: terms.split_penalty_cents,
        };
        // Dominance needs whole-order merges to stay feasible and costs that only add up.
        let dominance = sku_groups.is_empty() && self.terms.min_base_cents >= 0;
        let total_units = order.units();
        let ctx = OrderCtx::new(self, order, terms, now, group);
        let reach = if lines > 0 {
            Reach::of(self, &ctx)
        } else {
            Reach::unlimited()
        };
        let search = Search {
            router: self,
            prices,
            ctx: &ctx,
            stock,
            load,
            solver: Solver::new(problem),
            viables: Vec::new(),
            candidates: Vec::new(),
            line_cents: vec![0; lines],
            group_stock: vec![0; sku_groups.len()],
            sku_groups,
            full: LineSet::full(lines),
            reach,
            partial_extra_cents: another.min(leave).max(0),
            floors: None,
            dominators: Dominators::new(lines),
            dominance: dominance.then_some(total_units),
            partial_only: false,
        };
        f(search)
    }
}

impl Search<'_> {
    /// The scan (docs/router.md §1): every holder when the order's SKUs are sparse; else the
    /// nodes that can ship the whole order, then the others nearest first, handing over to the
    /// posting lists once they are the shorter way.
    pub(super) fn run(&mut self) {
        let every = needs(self.ctx.order, &self.full);
        let posting: usize = every
            .iter()
            .map(|&(s, _)| self.stock.holders(s).len())
            .sum();
        let limit = self.router.limits.posting;
        if posting <= limit {
            self.stock.read_count(Count::Postings, 0, limit);
            self.scan_sparse_holders(&every);
            return;
        }
        let mut full = FullHolders::new(&every);
        self.scan_full_holders(&mut full);
        self.partial_only = true;
        self.scan_nearest(&mut full, posting);
    }

    /// Computes the line floors the first time a bound needs them: when neither the reach nor
    /// the one-shipment bound closes at `km`.
    fn floors_at(&mut self, km: f64) {
        if self.floors.is_none() && self.bounds().whole(km).is_none() {
            self.floors = Some(LineFloors::compute(self));
        }
    }

    /// Why no node at `km` or further can be part of a solution as good as the best (or serve
    /// the order at all), if none can: tests 1–4 of docs/router.md.
    pub(super) fn closed(&mut self, km: f64) -> Option<Closed> {
        self.floors_at(km);
        self.bounds().any(km)
    }

    /// [`Search::closed`] for nodes that cannot ship every line alone: test 5 first, then 1–4.
    pub(super) fn closed_to_partial(&mut self, km: f64) -> Option<Closed> {
        self.bounds()
            .partial_shipment(km)
            .or_else(|| self.closed(km))
    }

    /// Considers `node` at `km` with the lines it holds enough of.
    pub(super) fn consider(&mut self, node: NodeIdx, km: f64) {
        self.stock.read_at(node);
        let lines = stock_lines(self.ctx.order, self.stock, node);
        self.consider_lines(node, km, lines);
    }

    /// [`Search::consider`] for a node whose [`stock_lines`] are known: unless the bounds price
    /// it out or a priced node dominates it, judge it, price it and feed it to the solver.
    pub(super) fn consider_lines(&mut self, node: NodeIdx, km: f64, held: LineSet) {
        self.stock.read_at(node);
        let r = self.router;
        if !held.is_empty() && held != self.full {
            let bounds = self.bounds();
            if bounds.partial_shipment(km).is_some() || !bounds.required(km).is_subset(&held) {
                return;
            }
        }
        if !held.is_empty() && self.dominated(node, km, &held) {
            return;
        }
        let t = &r.terms.nodes[node.0 as usize];
        let outcome = match evaluate(
            &r.network, &r.policy, t, self.ctx, self.load, node, km, held,
        ) {
            Ok(mut v) => {
                r.line_cents(node, self.ctx.order, self.stock, &mut self.line_cents);
                if let Some(p) = self.prices {
                    v.base_cents += p.shipments.get(&node).copied().unwrap_or(0);
                    let unit = p.units.get(&node).copied().unwrap_or(0);
                    for (slot, line) in self.line_cents.iter_mut().zip(&self.ctx.order.lines) {
                        let stock = p.stock.get(&(node, line.sku)).copied().unwrap_or(0);
                        *slot += (stock + unit) * i64::from(line.qty);
                    }
                }
                for (slot, &(_, sku)) in self.group_stock.iter_mut().zip(&self.sku_groups) {
                    *slot = self.stock.qty(node, sku);
                }
                self.solver.add(&v, &self.line_cents, &self.group_stock);
                if self
                    .dominance
                    .is_some_and(|units| u64::from(v.units_left) >= units)
                {
                    self.dominators
                        .add(&v.lines, v.base_cents, &self.line_cents);
                }
                let cost_cents =
                    v.base_cents + v.lines.iter().map(|i| self.line_cents[i]).sum::<i64>();
                let lines = v.lines.clone();
                self.viables.push(v);
                CandidateOutcome::Priced { lines, cost_cents }
            }
            Err(reason) => CandidateOutcome::Filtered(reason),
        };
        self.candidates.push(Candidate {
            node,
            distance_km: km,
            outcome,
            chosen: false,
        });
    }

    /// True when a priced node dominates `node` at `km` for the lines of `held` (see
    /// [`super::dominance`]): `node`'s own fixed, priority, distance and line costs are its
    /// floor.
    fn dominated(&self, node: NodeIdx, km: f64, held: &LineSet) -> bool {
        if self.dominance.is_none() {
            return false;
        }
        let t = &self.router.terms.nodes[node.0 as usize];
        let level = usize::from(self.ctx.order.service_level.0);
        let base = t.base_cents() + distance_cents(t.per_km_cents[level], km);
        let lines = &self.ctx.order.lines;
        self.dominators.dominates(held, base, |l| {
            t.per_unit_cents * i64::from(lines[l].qty)
                + margin_cents(t.margin_bps, lines[l].value_cents())
        })
    }
}

/// Each SKU of the lines in `lines` once, with the most units one of those lines asks for: a
/// node holding that much of every SKU can ship those lines (as far as stock goes).
pub(super) fn needs(order: &Order, lines: &LineSet) -> Vec<(SkuId, u32)> {
    let mut needs: Vec<(SkuId, u32)> = Vec::new();
    for line in lines.iter().map(|i| &order.lines[i]) {
        match needs.iter_mut().find(|(s, _)| *s == line.sku) {
            Some((_, q)) => *q = (*q).max(line.qty),
            None => needs.push((line.sku, line.qty)),
        }
    }
    needs
}

/// Groups of two or more lines that order the same SKU.
fn sku_groups(order: &Order) -> Vec<(LineSet, SkuId)> {
    let mut groups: Vec<(LineSet, SkuId)> = Vec::new();
    for (i, line) in order.lines.iter().enumerate() {
        match groups.iter_mut().find(|(_, s)| *s == line.sku) {
            Some((m, _)) => m.insert(i),
            None => groups.push((LineSet::from_iter([i]), line.sku)),
        }
    }
    groups.retain(|(m, _)| m.len() > 1);
    groups
}
