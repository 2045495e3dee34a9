//! Key figures of a plan (docs/kpis.md): fill and split rates, work by node kind, km per unit,
//! cost per order by term, promised delivery days, dealer share and margin, node utilisation,
//! re-routes by cause and stock-outs avoided. Pure: a plan, its orders, network, policy and
//! starting stock in, numbers out. [`Kpis::rows`] flattens them into one long table, the form
//! every front end (CLI, report, Python, HTTP) shows.

mod business;
mod offers;
mod rejects;
mod replay;
mod reroutes;
mod rows;

pub use business::{Business, NodeBusiness, ReturnFlow, SaleEvent, SalesChannel, SalesFigures};
pub use offers::OfferFigures;
pub use rejects::reject_draw;
pub use replay::{replay_day, Day, DayError, Replay, ReplayedDay};
pub use reroutes::{reroute_counts, RerouteCause, RerouteCounts};
pub use rows::{kpi_diff, KpiDiff, KpiRow, NOT_AVAILABLE};

use crate::promise::order_date;
use crate::{CostBreakdown, Network, NodeIdx, NodeKind, Order, Plan, Policy, StockTable};
use jiff::Timestamp;

/// What a plan's figures are computed from.
#[derive(Debug, Clone, Copy)]
pub struct KpiInputs<'a> {
    /// The network the plan ships from.
    pub network: &'a Network,
    /// The plan's orders, in order.
    pub orders: &'a [Order],
    /// The plan.
    pub plan: &'a Plan,
    /// The policy (capacities per kind; every version has the same ones).
    pub policy: &'a Policy,
    /// The routable stock the batch started from (for stock-outs avoided).
    pub stock: &'a StockTable,
    /// The reference time for orders without `created_at` (the promise counts from it).
    pub now: Timestamp,
    /// Re-routes by cause, when the plan came from re-routing ([`reroute_counts`]).
    pub reroutes: Option<&'a RerouteCounts>,
}

/// Orders, shipments and units shipped by one node kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindFigures {
    /// Orders with at least one shipment from a node of the kind.
    pub orders: u64,
    /// Shipments from nodes of the kind.
    pub shipments: u64,
    /// Units shipped from nodes of the kind.
    pub units: u64,
}

/// The promised delivery days of the shipped orders: the days from the order date to the last
/// shipment's promised date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PromiseDays {
    /// Orders per bucket: same day, next day, 2 days, 3 days, 4 days or more.
    pub orders: [u64; 5],
}

impl PromiseDays {
    /// The buckets' names, in order.
    pub const BUCKETS: [&'static str; 5] =
        ["same_day", "next_day", "2_days", "3_days", "4_plus_days"];

    fn add(&mut self, days: i64) {
        self.orders[days.clamp(0, 4) as usize] += 1;
    }
}

/// One node's load over the plan.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeLoad {
    /// The node.
    pub node: NodeIdx,
    /// Units shipped.
    pub units: u32,
    /// Shipments.
    pub shipments: u32,
    /// Daily capacity in units (the node's, else its kind's default; `None`: unlimited).
    pub capacity_units: Option<u32>,
}

impl NodeLoad {
    /// Units over capacity (`None` without a capacity; 1.0 for a zero capacity that shipped).
    pub fn utilisation(&self) -> Option<f64> {
        self.capacity_units.map(|c| match c {
            0 => f64::from(u8::from(self.units > 0)),
            c => f64::from(self.units) / f64::from(c),
        })
    }
}

/// The figures of one plan. Ratios of an empty set are `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Kpis {
    /// Orders in the plan.
    pub orders: u64,
    /// Orders with at least one shipment.
    pub orders_shipped: u64,
    /// Orders with every line shipped.
    pub orders_complete: u64,
    /// Units ordered.
    pub units_ordered: u64,
    /// Units shipped.
    pub units_filled: u64,
    /// Orders shipped in more than one shipment.
    pub split_orders: u64,
    /// Per node kind, indexed by [`NodeKind::index`].
    pub by_kind: [KindFigures; NodeKind::ALL.len()],
    /// Sum of shipment distances, km.
    pub distance_km: f64,
    /// The plan's cost by term, summed over orders.
    pub cost: CostBreakdown,
    /// Promised delivery days of the shipped orders.
    pub promise_days: PromiseDays,
    /// Dealer margin paid on dealer shipments, cents.
    pub dealer_margin_cents: i64,
    /// Every node that shipped or has a capacity, by node index.
    pub nodes: Vec<NodeLoad>,
    /// Re-routes by cause, when known.
    pub reroutes: Option<RerouteCounts>,
    /// Shipped lines the order's nearest warehouse could not have filled from its starting
    /// stock (`None` when the network has no warehouse). See docs/kpis.md.
    pub stockouts_avoided: Option<u64>,
    /// Answered dealer offers, when known: `compute` leaves it `None`; a caller that follows
    /// offers (`omniroute serve --dealers`) sets it.
    pub offers: Option<OfferFigures>,
    /// Shipped orders inside a dealer's territory that none of its dealers ships any part of
    /// (`None` when no dealer has a territory).
    pub channel_conflict_orders: Option<u64>,
}

fn ratio(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

impl Kpis {
    /// Computes the figures of `inputs.plan`.
    pub fn compute(inputs: &KpiInputs<'_>) -> Self {
        let KpiInputs {
            network,
            orders,
            plan,
            ..
        } = *inputs;
        let t = &plan.totals;
        let mut k = Kpis {
            orders: t.orders,
            orders_shipped: 0,
            orders_complete: t.orders_complete,
            units_ordered: t.units_ordered,
            units_filled: t.units_filled,
            split_orders: t.split_orders,
            by_kind: [KindFigures::default(); NodeKind::ALL.len()],
            distance_km: t.distance_km,
            cost: CostBreakdown::default(),
            promise_days: PromiseDays::default(),
            dealer_margin_cents: 0,
            nodes: Vec::new(),
            reroutes: inputs.reroutes.cloned(),
            stockouts_avoided: None,
            offers: None,
            channel_conflict_orders: offers::channel_conflicts(network, orders, plan),
        };
        for (order, d) in orders.iter().zip(&plan.decisions) {
            k.cost += d.cost;
            if d.shipments.is_empty() {
                continue;
            }
            k.orders_shipped += 1;
            let mut kinds = [false; NodeKind::ALL.len()];
            let mut days = 0;
            for s in &d.shipments {
                let node = network.node(s.node);
                let fig = &mut k.by_kind[node.kind.index()];
                fig.shipments += 1;
                fig.units += u64::from(s.units);
                kinds[node.kind.index()] = true;
                if node.kind == NodeKind::Dealer {
                    k.dealer_margin_cents += s.cost.margin_cents;
                }
                days = days.max(promise_days(order, s, node, inputs.now));
            }
            for (fig, used) in k.by_kind.iter_mut().zip(kinds) {
                fig.orders += u64::from(used);
            }
            k.promise_days.add(days);
        }
        k.nodes = node_loads(network, plan, inputs.policy);
        k.stockouts_avoided = stockouts_avoided(inputs);
        k
    }

    /// Units shipped over units ordered.
    pub fn fill_rate(&self) -> Option<f64> {
        ratio(self.units_filled, self.units_ordered)
    }

    /// Orders with every line shipped over orders.
    pub fn order_fill_rate(&self) -> Option<f64> {
        ratio(self.orders_complete, self.orders)
    }

    /// Split orders over shipped orders.
    pub fn split_rate(&self) -> Option<f64> {
        ratio(self.split_orders, self.orders_shipped)
    }

    /// Shipped orders promised the same or the next day over shipped orders.
    pub fn same_or_next_day_share(&self) -> Option<f64> {
        let [same, next, ..] = self.promise_days.orders;
        ratio(same + next, self.orders_shipped)
    }

    /// Shipment km over units shipped.
    pub fn km_per_unit(&self) -> Option<f64> {
        (self.units_filled > 0).then(|| self.distance_km / self.units_filled as f64)
    }

    /// Shipped orders with a dealer shipment over shipped orders.
    pub fn dealer_share(&self) -> Option<f64> {
        ratio(
            self.by_kind[NodeKind::Dealer.index()].orders,
            self.orders_shipped,
        )
    }

    /// The figures of one node kind.
    pub fn kind(&self, kind: NodeKind) -> KindFigures {
        self.by_kind[kind.index()]
    }

    /// Adds `other` (another day of the same network) to these figures: counts, costs and km
    /// add up; a node's units, shipments and capacity add up, so its utilisation is over every
    /// day's capacity; re-routes and stock-outs avoided add up where either side has them.
    pub fn merge(&mut self, other: &Kpis) {
        self.orders += other.orders;
        self.orders_shipped += other.orders_shipped;
        self.orders_complete += other.orders_complete;
        self.units_ordered += other.units_ordered;
        self.units_filled += other.units_filled;
        self.split_orders += other.split_orders;
        for (a, b) in self.by_kind.iter_mut().zip(&other.by_kind) {
            a.orders += b.orders;
            a.shipments += b.shipments;
            a.units += b.units;
        }
        self.distance_km += other.distance_km;
        self.cost += other.cost;
        for (a, b) in self
            .promise_days
            .orders
            .iter_mut()
            .zip(other.promise_days.orders)
        {
            *a += b;
        }
        self.dealer_margin_cents += other.dealer_margin_cents;
        for n in &other.nodes {
            match self.nodes.binary_search_by_key(&n.node, |m| m.node) {
                Ok(i) => {
                    let m = &mut self.nodes[i];
                    m.units += n.units;
                    m.shipments += n.shipments;
                    m.capacity_units = m.capacity_units.zip(n.capacity_units).map(|(a, b)| a + b);
                }
                Err(i) => self.nodes.insert(i, *n),
            }
        }
        self.reroutes = match (self.reroutes.take(), &other.reroutes) {
            (Some(mut a), Some(b)) => {
                a.add(b);
                Some(a)
            }
            (a, b) => a.or_else(|| b.clone()),
        };
        self.stockouts_avoided = match (self.stockouts_avoided, other.stockouts_avoided) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        self.channel_conflict_orders =
            match (self.channel_conflict_orders, other.channel_conflict_orders) {
                (Some(a), Some(b)) => Some(a + b),
                (a, b) => a.or(b),
            };
        self.offers = match (self.offers, other.offers) {
            (Some(mut a), Some(b)) => {
                a.add(&b);
                Some(a)
            }
            (a, b) => a.or(b),
        };
    }
}

/// The days from the order date (`created_at`, else `now`, in the shipping node's zone) to a
/// shipment's promised date: 0 same day, 1 next day.
pub(crate) fn promise_days(
    order: &Order,
    shipment: &crate::Shipment,
    node: &crate::Node,
    now: Timestamp,
) -> i64 {
    let from = order_date(order.created_at.unwrap_or(now), &node.timezone);
    shipment.promised_date.duration_since(from).as_hours() / 24
}

/// Every node that shipped or has a capacity, with its load and capacity.
fn node_loads(network: &Network, plan: &Plan, policy: &Policy) -> Vec<NodeLoad> {
    network
        .nodes()
        .iter()
        .enumerate()
        .filter_map(|(i, node)| {
            let idx = NodeIdx(i as u32);
            let (units, shipments) = plan.load.used(idx);
            let capacity_units = node
                .capacity_units
                .or(policy.kind(node.kind).capacity_units);
            (shipments > 0 || capacity_units.is_some()).then_some(NodeLoad {
                node: idx,
                units,
                shipments,
                capacity_units,
            })
        })
        .collect()
}

/// Shipped lines whose order's nearest warehouse (great-circle, ties to the lower index) held
/// less routable stock of the line's SKU at the start than the line's quantity: the lines a
/// warehouse-only network would have left unfilled, which this network filled.
fn stockouts_avoided(inputs: &KpiInputs<'_>) -> Option<u64> {
    let warehouses: Vec<(NodeIdx, &crate::Node)> = inputs
        .network
        .nodes()
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == NodeKind::Warehouse)
        .map(|(i, n)| (NodeIdx(i as u32), n))
        .collect();
    if warehouses.is_empty() {
        return None;
    }
    let mut avoided = 0;
    for (order, d) in inputs.orders.iter().zip(&inputs.plan.decisions) {
        if d.shipments.is_empty() {
            continue;
        }
        let nearest = warehouses
            .iter()
            .map(|&(i, n)| (n.location.distance_km(order.destination), i))
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
            .map(|(_, i)| i)?;
        for s in &d.shipments {
            avoided += s
                .lines
                .iter()
                .map(|&l| &order.lines[l])
                .filter(|l| inputs.stock.qty(nearest, l.sku) < l.qty)
                .count() as u64;
        }
    }
    Some(avoided)
}

#[cfg(test)]
mod tests;
