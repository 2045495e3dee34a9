//! Optimise mode (DESIGN §5): one plan for a whole batch under shared stock and capacity.
//!
//! 1. The sequential plan is the start (the result is never worse).
//! 2. Options per order: its sequential decision, its *solo* decision (routed alone against the
//!    batch's starting stock, what it would get if it came first), up to [`ALTERNATIVES`] more
//!    found by routing it again without the nodes of the previous ones, and "leave it unfilled".
//! 3. The options become a general assignment problem (`crate::gap`): each order picks one
//!    option; options consume (node, SKU) stock and the units and shipments of capacity-limited
//!    nodes. It is solved by Lagrangian relaxation, repair and tabu search from the start.
//! 4. **Bound.** Each order's solo decision is its exact optimum with the whole starting stock to
//!    itself, so no plan can cost less than their sum: the Lagrangian bound at zero prices, valid
//!    for the real problem (not just the generated options). Subgradient rounds then raise prices
//!    on over-used stock and capacity and route every order again with them (the priced router
//!    is the pricing step); each round's dual value is a valid bound and its decisions join the
//!    options. Orders of more than [`EXACT_MAX_LINES`](super::EXACT_MAX_LINES) lines are routed
//!    heuristically and add 0 to the bound.
//!
//! Explanations: a chosen alternative keeps the candidates of the order's solo routing (every node
//! the router weighed), with `chosen` set on the nodes the plan ships from, and the rule list
//! records `batch optimiser`.

use super::batch::apply;
use super::{Decision, Load, Plan, Prices, Router, StockTable};
use crate::gap::{solve_assignment, AssignOption, AssignmentProblem, ResourceId, SolveOptions};
use crate::{NodeIdx, Order, SkuId};
use jiff::Timestamp;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::time::Duration;

/// Extra options per order beyond its sequential and solo decisions.
pub const ALTERNATIVES: usize = 2;

/// How to route a batch.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Mode {
    /// Orders in arrival order, each against what the earlier ones left (what an OMS does live).
    Sequential,
    /// One plan for the whole batch, with a lower bound and the gap to it.
    Optimise(OptimiseOptions),
}

/// Settings of [`Mode::Optimise`].
#[derive(Debug, Clone, PartialEq)]
pub struct OptimiseOptions {
    /// Wall-clock budget of the assignment solve.
    pub time_limit: Duration,
    /// Moves per search run; when set the solve is deterministic on any machine.
    pub iteration_limit: Option<u64>,
    /// Seed of the search.
    pub seed: u64,
    /// Solve on the calling thread only (the plan is deterministic either way for a fixed
    /// `iteration_limit`).
    pub single_thread: bool,
}

impl Default for OptimiseOptions {
    fn default() -> Self {
        Self {
            time_limit: Duration::from_secs(10),
            iteration_limit: None,
            seed: 0,
            single_thread: false,
        }
    }
}

impl Router<'_> {
    /// Routes a batch in the given mode. See [`Router::route_sequential`] and the module docs of
    /// optimise mode.
    pub fn route_batch(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        mode: &Mode,
    ) -> Plan {
        match mode {
            Mode::Sequential => self.route_sequential(orders, stock, now),
            Mode::Optimise(opts) => self.optimise(orders, stock, now, opts),
        }
    }

    fn optimise(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        opts: &OptimiseOptions,
    ) -> Plan {
        let sequential = self.route_sequential(orders, stock, now);
        let empty = Load::default();
        let mut bound = 0i64;
        let mut options: Vec<Vec<Decision>> = Vec::with_capacity(orders.len());
        for (order, seq) in orders.iter().zip(&sequential.decisions) {
            let solo = self.route(order, stock, &empty, now);
            if order.lines.len() <= super::EXACT_MAX_LINES {
                bound += solo.cost_cents();
            }
            let mut list = vec![seq.clone(), solo.clone()];
            let mut restricted = order.clone();
            let mut last = solo;
            for _ in 0..ALTERNATIVES {
                if last.shipments.is_empty() {
                    break;
                }
                restricted
                    .excluded
                    .extend(last.shipments.iter().map(|s| s.node));
                last = self.route(&restricted, stock, &empty, now);
                list.push(last.clone());
            }
            list.push(unfilled(order, seq, self));
            list.dedup_by(|a, b| same_shipments(a, b));
            let mut unique: Vec<Decision> = Vec::with_capacity(list.len());
            for d in list {
                if !unique.iter().any(|u| same_shipments(u, &d)) {
                    unique.push(d);
                }
            }
            options.push(unique);
        }
        let started = std::time::Instant::now();
        let priced = self.lagrangian(
            orders,
            stock,
            now,
            &mut options,
            sequential.totals.cost_cents,
            opts.time_limit / 2,
            opts.iteration_limit.map(|_| 8),
        );
        bound = bound.max(priced);
        let problem = self.assignment(orders, &options, stock);
        let solution = solve_assignment(
            &problem,
            &SolveOptions {
                time_limit: opts.time_limit.saturating_sub(started.elapsed()),
                iteration_limit: opts.iteration_limit,
                seed: opts.seed,
                threads: opts.single_thread.then_some(1),
                start: Some(vec![0; orders.len()]),
            },
        );
        let mut decisions = Vec::with_capacity(orders.len());
        let mut check_stock = stock.clone();
        let mut check_load = Load::default();
        for ((order, mut opts_i), &k) in orders.iter().zip(options).zip(&solution.choice) {
            let solo_candidates = opts_i[1.min(opts_i.len() - 1)].candidates.clone();
            let mut d = opts_i.swap_remove(k);
            if k != 0 {
                d.candidates = solo_candidates;
                for c in &mut d.candidates {
                    c.chosen = d.shipments.iter().any(|s| s.node == c.node);
                }
                d.rules.push("batch optimiser".into());
            }
            apply(order, &d, &mut check_stock, &mut check_load);
            decisions.push(d);
        }
        let mut plan = Plan::from_decisions(orders, decisions);
        if plan.totals.cost_cents > sequential.totals.cost_cents || !solution.feasible {
            plan = sequential; // never worse than the start
        }
        plan.bound_cents = Some(bound.min(plan.totals.cost_cents));
        plan
    }

    /// Subgradient optimisation of the Lagrangian dual of stock and capacity, with the priced
    /// router as the pricing step: each order is routed alone against the starting stock with
    /// prices on what it uses. Every priced decision joins the order's options, and the best dual
    /// value is returned: a lower bound on any plan's cost, valid for any prices ≥ 0 because each
    /// order's priced decision is its exact priced optimum (orders beyond the exact line limit
    /// count 0). Stops after `max_rounds` rounds (when given) or when `budget` is spent.
    #[allow(clippy::too_many_arguments)]
    fn lagrangian(
        &self,
        orders: &[Order],
        stock: &StockTable,
        now: Timestamp,
        options: &mut [Vec<Decision>],
        upper_cents: i64,
        budget: Duration,
        max_rounds: Option<usize>,
    ) -> i64 {
        let started = std::time::Instant::now();
        let empty = Load::default();
        let mut lambda: FxHashMap<Resource, f64> = FxHashMap::default();
        let mut best = i64::MIN;
        let mut theta = 0.05;
        let mut stalled = 0;
        for round in 0.. {
            if max_rounds.is_some_and(|m| round >= m)
                || (max_rounds.is_none() && started.elapsed() > budget)
            {
                break;
            }
            let prices = to_prices(&lambda);
            let decisions: Vec<Decision> = orders
                .par_iter()
                .map(|o| self.route_priced(o, stock, &empty, now, Some(&prices)))
                .collect();
            let mut value = 0i64;
            let mut used: FxHashMap<Resource, i64> = FxHashMap::default();
            for (order, d) in orders.iter().zip(&decisions) {
                if order.lines.len() <= super::EXACT_MAX_LINES {
                    value += d.cost_cents() + prices.of(order, d);
                }
                for s in &d.shipments {
                    for &l in &s.lines {
                        let line = &order.lines[l];
                        *used.entry(Resource::Stock(s.node, line.sku)).or_insert(0) +=
                            i64::from(line.qty);
                    }
                    *used.entry(Resource::Units(s.node)).or_insert(0) += i64::from(s.units);
                    *used.entry(Resource::Shipments(s.node)).or_insert(0) += 1;
                }
            }
            let cap = |r: Resource| -> Option<i64> {
                match r {
                    Resource::Stock(n, sku) => Some(i64::from(stock.qty(n, sku))),
                    Resource::Units(n) => {
                        self.terms.nodes[n.0 as usize].capacity_units.map(i64::from)
                    }
                    Resource::Shipments(n) => self.terms.nodes[n.0 as usize]
                        .capacity_shipments
                        .map(i64::from),
                }
            };
            value -= lambda
                .keys()
                .map(|&r| price_of(&prices, r) * cap(r).unwrap_or(0))
                .sum::<i64>();
            if value > best {
                best = value;
                stalled = 0;
            } else {
                stalled += 1;
                if stalled >= 2 {
                    theta /= 2.0;
                    stalled = 0;
                }
            }
            for ((order, d), list) in orders.iter().zip(decisions).zip(options.iter_mut()) {
                let _ = order;
                if !list.iter().any(|u| same_shipments(u, &d)) {
                    list.push(d);
                }
            }
            // Subgradient: use − capacity on every resource with a capacity that is over-used or
            // already priced.
            let mut grad: Vec<(Resource, f64)> = Vec::new();
            for (&r, &u) in &used {
                if let Some(c) = cap(r) {
                    if u > c || lambda.contains_key(&r) {
                        grad.push((r, (u - c) as f64));
                    }
                }
            }
            for &r in lambda.keys() {
                if !used.contains_key(&r) {
                    grad.push((r, -(cap(r).unwrap_or(0) as f64)));
                }
            }
            let norm: f64 = grad.iter().map(|(_, g)| g * g).sum();
            if norm == 0.0 {
                break; // the priced decisions fit together: the bound is the optimum
            }
            let step = theta * (upper_cents - value).max(1) as f64 / norm;
            for (r, g) in grad {
                let l = lambda.entry(r).or_insert(0.0);
                *l = (*l + step * g).max(0.0);
            }
            lambda.retain(|_, l| *l > 0.0);
        }
        best
    }

    /// The general assignment problem over the generated options.
    fn assignment(
        &self,
        orders: &[Order],
        options: &[Vec<Decision>],
        stock: &StockTable,
    ) -> AssignmentProblem {
        let mut p = AssignmentProblem::new();
        let mut positions: FxHashMap<(NodeIdx, SkuId), ResourceId> = FxHashMap::default();
        let mut capacity: FxHashMap<(NodeIdx, bool), ResourceId> = FxHashMap::default();
        for (order, opts) in orders.iter().zip(options) {
            let mut item = Vec::with_capacity(opts.len());
            for d in opts {
                let mut uses = Vec::new();
                for s in &d.shipments {
                    for &l in &s.lines {
                        let line = &order.lines[l];
                        let r = *positions.entry((s.node, line.sku)).or_insert_with(|| {
                            p.add_resource(u64::from(stock.qty(s.node, line.sku)))
                                .expect("u32 capacities fit")
                        });
                        uses.push((r, u64::from(line.qty)));
                    }
                    let t = &self.terms.nodes[s.node.0 as usize];
                    if let Some(cap) = t.capacity_units {
                        let r = *capacity.entry((s.node, true)).or_insert_with(|| {
                            p.add_resource(u64::from(cap)).expect("u32 capacities fit")
                        });
                        uses.push((r, u64::from(s.units)));
                    }
                    if let Some(cap) = t.capacity_shipments {
                        let r = *capacity.entry((s.node, false)).or_insert_with(|| {
                            p.add_resource(u64::from(cap)).expect("u32 capacities fit")
                        });
                        uses.push((r, 1));
                    }
                }
                item.push(AssignOption::new(d.cost_cents(), uses));
            }
            p.add_item(item).expect("every order has options");
        }
        p
    }
}

/// A resource the batch shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Resource {
    Stock(NodeIdx, SkuId),
    Units(NodeIdx),
    Shipments(NodeIdx),
}

fn to_prices(lambda: &FxHashMap<Resource, f64>) -> Prices {
    let mut p = Prices::default();
    for (&r, &l) in lambda {
        let cents = l.round() as i64;
        if cents <= 0 {
            continue;
        }
        match r {
            Resource::Stock(n, s) => {
                p.stock.insert((n, s), cents);
            }
            Resource::Units(n) => {
                p.units.insert(n, cents);
            }
            Resource::Shipments(n) => {
                p.shipments.insert(n, cents);
            }
        }
    }
    p
}

fn price_of(p: &Prices, r: Resource) -> i64 {
    match r {
        Resource::Stock(n, s) => p.stock.get(&(n, s)).copied().unwrap_or(0),
        Resource::Units(n) => p.units.get(&n).copied().unwrap_or(0),
        Resource::Shipments(n) => p.shipments.get(&n).copied().unwrap_or(0),
    }
}

/// The decision that ships nothing, with the sequential decision's reasons where it had them.
fn unfilled(order: &Order, seq: &Decision, router: &Router<'_>) -> Decision {
    let per_unit = super::terms::OrderTerms::resolve(order, router.policy).unfilled_per_unit_cents;
    super::decision::ship_nothing(seq, order, per_unit, |l| {
        seq.unfilled
            .iter()
            .find(|u| u.line == l)
            .map_or(super::Reason::Uneconomic, |u| u.reason)
    })
}

fn same_shipments(a: &Decision, b: &Decision) -> bool {
    a.shipments.len() == b.shipments.len()
        && a.shipments
            .iter()
            .zip(&b.shipments)
            .all(|(x, y)| x.node == y.node && x.lines == y.lines)
}

#[cfg(test)]
mod tests {
    use crate::*;

    #[test]
    fn prices_on_contended_stock_raise_the_bound_above_the_solo_sum() {
        // Two orders want the one unit at the near store; the other store is 300 km away.
        let net = Network::new(vec![
            Node::new("NEAR", NodeKind::Store, LatLng::new(28.60, 77.20).unwrap()),
            Node::new("FAR", NodeKind::Store, LatLng::new(26.00, 77.20).unwrap()),
        ])
        .unwrap();
        let policy = Policy::default();
        let router = Router::new(&net, &policy);
        let stock =
            StockTable::from_positions([(NodeIdx(0), SkuId(0), 1), (NodeIdx(1), SkuId(0), 5)]);
        let line = OrderLine {
            line_no: 1,
            sku: SkuId(0),
            qty: 1,
            unit_price_cents: None,
        };
        let dest = LatLng::new(28.60, 77.20).unwrap();
        let orders = vec![
            Order::new("A", dest, vec![line]),
            Order::new("B", dest, vec![line]),
        ];
        let now = "2026-11-26T06:00:00Z".parse().unwrap();
        let opts = OptimiseOptions {
            iteration_limit: Some(500),
            single_thread: true,
            ..OptimiseOptions::default()
        };
        let plan = router.route_batch(&orders, &stock, now, &Mode::Optimise(opts));
        let solo = router
            .route(&orders[0], &stock, &Load::default(), now)
            .cost_cents();
        let far = router
            .route(
                &orders[0],
                &StockTable::from_positions([(NodeIdx(1), SkuId(0), 5)]),
                &Load::default(),
                now,
            )
            .cost_cents();
        assert_eq!(plan.totals.cost_cents, solo + far, "one near, one far");
        let bound = plan.bound_cents.unwrap();
        assert!(
            bound > 2 * solo,
            "bound {bound} should beat the solo sum {}",
            2 * solo
        );
        assert!(bound <= plan.totals.cost_cents);
    }
}
