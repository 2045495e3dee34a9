//! The figures as one long table (`name`, `key`, `value`, `unit`), the form the CLI prints, the
//! report draws, Python returns and `GET /v1/kpis` serves; and the difference of two such tables.

use super::{Kpis, OfferFigures, PromiseDays, RerouteCause};
use crate::{CostBreakdown, Network, NodeKind};
use rustc_hash::FxHashMap;

/// The note on figures that need dealer offers (acceptance, time to accept: from the offers a
/// service follows) or territories (channel conflicts) when there are none.
pub const NOT_AVAILABLE: &str = "not available until offers exist";

/// One figure.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiRow {
    /// The figure, for example `fill_rate` or `cost_per_order_cents`.
    pub name: &'static str,
    /// What it is broken down by (a node kind, a cost term, a bucket, a node id), or empty.
    pub key: String,
    /// The value; `None` when it is not defined (a ratio of nothing) or not available.
    pub value: Option<f64>,
    /// The unit: `ratio`, `orders`, `units`, `lines`, `shipments`, `km`, `cents`, `moves`,
    /// `events`, `seconds`.
    pub unit: &'static str,
}

impl KpiRow {
    /// [`NOT_AVAILABLE`] for a figure that needs dealer offers or territories and has no value,
    /// else `None`.
    pub fn note(&self) -> Option<&'static str> {
        (OFFER_FIGURES.contains(&self.name) && self.value.is_none()).then_some(NOT_AVAILABLE)
    }
}

/// The figures that wait for dealer offers.
const OFFER_FIGURES: [&str; 3] = [
    "offer_acceptance_rate",
    "offer_time_to_accept_s",
    "channel_conflict_orders",
];

pub(crate) fn row(
    name: &'static str,
    key: impl Into<String>,
    value: Option<f64>,
    unit: &'static str,
) -> KpiRow {
    KpiRow {
        name,
        key: key.into(),
        value,
        unit,
    }
}

#[allow(clippy::unnecessary_wraps)] // every row's value is an `Option`
pub(crate) fn count(n: u64) -> Option<f64> {
    Some(n as f64)
}

/// The terms of a cost breakdown with their names, every term of
/// [`CostBreakdown::total_cents`], then the total.
pub(crate) fn cost_terms(c: &CostBreakdown) -> [(&'static str, i64); 12] {
    [
        ("fixed", c.fixed_cents),
        ("distance", c.distance_cents),
        ("handling", c.handling_cents),
        ("margin", c.margin_cents),
        ("priority", c.priority_cents),
        ("split_penalty", c.split_penalty_cents),
        ("lateness", c.lateness_cents),
        ("unfilled", c.unfilled_cents),
        ("reject_risk", c.reject_risk_cents),
        ("outside_territory", c.outside_territory_cents),
        ("balance", c.balance_cents),
        ("total", c.total_cents()),
    ]
}

impl Kpis {
    /// Every figure as a row, in a fixed order; node rows name nodes by their id in `network`.
    pub fn rows(&self, network: &Network) -> Vec<KpiRow> {
        let mut rows = vec![
            row("orders", "", count(self.orders), "orders"),
            row("orders_shipped", "", count(self.orders_shipped), "orders"),
            row("units_ordered", "", count(self.units_ordered), "units"),
            row("units_filled", "", count(self.units_filled), "units"),
            row("fill_rate", "", self.fill_rate(), "ratio"),
            row("order_fill_rate", "", self.order_fill_rate(), "ratio"),
            row("split_rate", "", self.split_rate(), "ratio"),
            row("km_per_unit", "", self.km_per_unit(), "km"),
        ];
        for kind in NodeKind::ALL {
            let f = self.kind(kind);
            rows.push(row(
                "orders_by_kind",
                kind.as_str(),
                count(f.orders),
                "orders",
            ));
            rows.push(row(
                "shipments_by_kind",
                kind.as_str(),
                count(f.shipments),
                "shipments",
            ));
            rows.push(row("units_by_kind", kind.as_str(), count(f.units), "units"));
        }
        for (term, cents) in cost_terms(&self.cost) {
            let per_order = (self.orders > 0).then(|| cents as f64 / self.orders as f64);
            rows.push(row("cost_per_order_cents", term, per_order, "cents"));
        }
        for (bucket, n) in PromiseDays::BUCKETS.iter().zip(self.promise_days.orders) {
            rows.push(row("promise_days", *bucket, count(n), "orders"));
        }
        rows.push(row(
            "same_or_next_day_share",
            "",
            self.same_or_next_day_share(),
            "ratio",
        ));
        rows.push(row("dealer_share", "", self.dealer_share(), "ratio"));
        rows.push(row(
            "dealer_margin_paid_cents",
            "",
            Some(self.dealer_margin_cents as f64),
            "cents",
        ));
        let offers = self.offers.as_ref();
        let conflicts = self.channel_conflict_orders.map(|n| n as f64);
        for ((name, unit), value) in OFFER_FIGURES
            .into_iter()
            .zip(["ratio", "seconds", "orders"])
            .zip([
                offers.and_then(OfferFigures::acceptance_rate),
                offers.and_then(OfferFigures::mean_time_to_accept_s),
                conflicts,
            ])
        {
            rows.push(row(name, "", value, unit));
        }
        let r = self.reroutes.as_ref();
        rows.push(row(
            "reroute_events",
            "",
            r.map(|r| r.events as f64),
            "events",
        ));
        rows.push(row(
            "reroutes",
            "",
            r.map(|r| r.total_moves() as f64),
            "moves",
        ));
        for cause in RerouteCause::ALL {
            let n = r.map(|r| r.moves_by(cause) as f64);
            rows.push(row("reroutes_by_cause", cause.as_str(), n, "moves"));
        }
        rows.push(row(
            "orders_moved",
            "",
            r.map(|r| r.orders_moved as f64),
            "orders",
        ));
        rows.push(row(
            "review_queue",
            "",
            r.map(|r| r.review as f64),
            "orders",
        ));
        rows.push(row(
            "stockouts_avoided",
            "",
            self.stockouts_avoided.map(|n| n as f64),
            "lines",
        ));
        for n in &self.nodes {
            let id = network.node(n.node).id.as_str();
            rows.push(row("node_units", id, Some(f64::from(n.units)), "units"));
            rows.push(row("node_utilisation", id, n.utilisation(), "ratio"));
        }
        rows
    }
}

/// A figure under two plans: `a`, `b` and `b − a` (`None` where either is undefined).
#[derive(Debug, Clone, PartialEq)]
pub struct KpiDiff {
    /// The figure's name.
    pub name: &'static str,
    /// Its key.
    pub key: String,
    /// Its unit.
    pub unit: &'static str,
    /// Under the first plan.
    pub a: Option<f64>,
    /// Under the second plan.
    pub b: Option<f64>,
}

impl KpiDiff {
    /// `b − a`, when both are defined.
    pub fn delta(&self) -> Option<f64> {
        Some(self.b? - self.a?)
    }
}

/// The rows of two plans side by side, matched by (name, key): `a`'s rows in order, then the
/// rows only `b` has (a node that shipped only under `b`).
pub fn kpi_diff(a: &[KpiRow], b: &[KpiRow]) -> Vec<KpiDiff> {
    let index = |rows: &[KpiRow]| -> FxHashMap<(&'static str, String), Option<f64>> {
        rows.iter()
            .map(|r| ((r.name, r.key.clone()), r.value))
            .collect()
    };
    let (in_a, in_b) = (index(a), index(b));
    let diff = |r: &KpiRow, a: Option<f64>, b: Option<f64>| KpiDiff {
        name: r.name,
        key: r.key.clone(),
        unit: r.unit,
        a,
        b,
    };
    a.iter()
        .map(|r| {
            diff(
                r,
                r.value,
                in_b.get(&(r.name, r.key.clone())).copied().flatten(),
            )
        })
        .chain(
            b.iter()
                .filter(|r| !in_a.contains_key(&(r.name, r.key.clone())))
                .map(|r| diff(r, None, r.value)),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::cost_terms;
    use crate::CostBreakdown;

    /// Every term is listed: the terms sum to the total, each term set to a distinct power of
    /// two so a missing or repeated one shows.
    #[test]
    fn cost_terms_sum_to_the_total() {
        let c = CostBreakdown {
            fixed_cents: 1,
            distance_cents: 2,
            handling_cents: 4,
            margin_cents: 8,
            priority_cents: 16,
            split_penalty_cents: 32,
            lateness_cents: 64,
            unfilled_cents: 128,
            reject_risk_cents: 256,
            outside_territory_cents: 512,
            balance_cents: 1024,
        };
        let terms = cost_terms(&c);
        let (total, parts) = terms.split_last().unwrap();
        assert_eq!(*total, ("total", 2047));
        assert_eq!(parts.iter().map(|(_, v)| v).sum::<i64>(), c.total_cents());
    }
}
