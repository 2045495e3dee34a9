//! The total business in one view (docs/kpis.md, "Total business"): the orders omniroute routed
//! (the online channel) and the sales stores and dealers made at the counter (the `ship` events
//! of the stock feed that name no routed order), per channel and per node, and the returns by
//! where the units were bought and where they came back, cross-channel returns counted as such.
//! Pure: a plan, its orders and the feed's sale and return events in, numbers out.

use super::rows::{count, row};
use super::KpiRow;
use crate::{Network, NodeIdx, NodeKind, Order, Plan};
use rustc_hash::{FxHashMap, FxHashSet};

/// Where a sale was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SalesChannel {
    /// An order omniroute routed, whichever node shipped it.
    Online,
    /// At the counter of one of the brand's stores.
    Store,
    /// At the counter of a dealer.
    Dealer,
}

impl SalesChannel {
    /// Every channel, in a fixed order.
    pub const ALL: [SalesChannel; 3] = [
        SalesChannel::Online,
        SalesChannel::Store,
        SalesChannel::Dealer,
    ];

    /// The lowercase name used in files (the feed's `sold_via`).
    pub fn as_str(self) -> &'static str {
        match self {
            SalesChannel::Online => "online",
            SalesChannel::Store => "store",
            SalesChannel::Dealer => "dealer",
        }
    }

    /// The channel named `name` (`online`, `store`, `dealer`), if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// Position in [`SalesChannel::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The counter channel of a node of `kind`: stores and dealers sell at the counter; units
    /// that come back to any other node (a warehouse, a locker) came back by parcel, online.
    pub fn at(kind: NodeKind) -> Self {
        match kind {
            NodeKind::Store => SalesChannel::Store,
            NodeKind::Dealer => SalesChannel::Dealer,
            _ => SalesChannel::Online,
        }
    }
}

/// A sale or a return a node's own system reported: a `ship` or `return` event of the stock feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaleEvent {
    /// The reporting node.
    pub node: NodeIdx,
    /// `true` for a return, `false` for a ship.
    pub is_return: bool,
    /// Units.
    pub units: u32,
    /// The order (a routed order's id, or the till's receipt) the units belong to, if given.
    pub order_id: Option<String>,
    /// Where a returned item was bought, if the node said so.
    pub sold_via: Option<SalesChannel>,
    /// The price of one unit of a counter sale, cents, if given.
    pub unit_price_cents: Option<i64>,
}

/// Orders, units and revenue of one channel (or one node's share of one).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SalesFigures {
    /// Orders: routed orders with a shipment; counter sales (one per order id at a node, else
    /// one per `ship` event).
    pub orders: u64,
    /// Units sold.
    pub units: u64,
    /// Revenue of the priced units, cents.
    pub priced_cents: i64,
    /// Units sold without a price.
    pub unpriced_units: u64,
}

impl SalesFigures {
    /// The revenue, cents: `None` unless every unit sold has a price.
    pub fn revenue_cents(&self) -> Option<i64> {
        (self.unpriced_units == 0).then_some(self.priced_cents)
    }

    fn add_units(&mut self, units: u64, unit_price_cents: Option<i64>) {
        self.units += units;
        match unit_price_cents {
            Some(p) => {
                let value = p.saturating_mul(i64::try_from(units).unwrap_or(i64::MAX));
                self.priced_cents = self.priced_cents.saturating_add(value);
            }
            None => self.unpriced_units += units,
        }
    }

    fn add(&mut self, o: &SalesFigures) {
        self.orders += o.orders;
        self.units += o.units;
        self.priced_cents = self.priced_cents.saturating_add(o.priced_cents);
        self.unpriced_units += o.unpriced_units;
    }
}

/// One node's part of the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeBusiness {
    /// The node.
    pub node: NodeIdx,
    /// The routed orders it shipped (an order split over two nodes counts at both).
    pub routed: SalesFigures,
    /// Its counter sales.
    pub counter: SalesFigures,
    /// Units returned at it.
    pub returned_units: u64,
}

impl NodeBusiness {
    /// Its routed orders and counter sales together.
    pub fn sales(&self) -> SalesFigures {
        let mut both = self.routed;
        both.add(&self.counter);
        both
    }
}

/// Returns of units bought one way and brought back at one kind of node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReturnFlow {
    /// Where the units were bought (`None`: the event did not say and names no known order).
    pub bought_via: Option<SalesChannel>,
    /// The kind of node they came back to.
    pub returned_at: NodeKind,
    /// Return events.
    pub returns: u64,
    /// Units.
    pub units: u64,
}

impl ReturnFlow {
    /// Bought in one channel, returned in another ([`SalesChannel::at`] the returning node).
    pub fn is_cross_channel(&self) -> bool {
        self.bought_via
            .is_some_and(|c| c != SalesChannel::at(self.returned_at))
    }

    /// The flow's key: `<bought_via>_to_<returned_at kind>` (`unknown_to_store`).
    pub fn key(&self) -> String {
        let via = self.bought_via.map_or("unknown", SalesChannel::as_str);
        format!("{via}_to_{}", self.returned_at.as_str())
    }
}

/// The total business of a plan and a stock feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Business {
    /// Per channel, indexed by [`SalesChannel::index`].
    pub channels: [SalesFigures; 3],
    /// Every node that shipped a routed order, sold at the counter or took a return, by index.
    pub nodes: Vec<NodeBusiness>,
    /// Returns by (bought via, returned at), sorted.
    pub returns: Vec<ReturnFlow>,
    /// Units of `ship` events that are neither a routed order's nor at a store or dealer (a
    /// warehouse's transfer, another system's order): not counted as sales.
    pub other_shipped_units: u64,
}

impl Business {
    /// The business of `plan` (over `orders`) and the feed's `events`. A `ship` that names one
    /// of `orders` is that order's, already counted as routed; any other `ship` at a store or a
    /// dealer is a counter sale. A return was bought online when it names a routed order, at the
    /// counter of the node that sold it when it names a counter sale's order id, else where its
    /// `sold_via` says (unknown without one).
    pub fn compute(network: &Network, orders: &[Order], plan: &Plan, events: &[SaleEvent]) -> Self {
        let mut b = Business {
            channels: [SalesFigures::default(); 3],
            nodes: Vec::new(),
            returns: Vec::new(),
            other_shipped_units: 0,
        };
        let mut nodes: Vec<NodeBusiness> = (0..network.len())
            .map(|i| NodeBusiness {
                node: NodeIdx(i as u32),
                routed: SalesFigures::default(),
                counter: SalesFigures::default(),
                returned_units: 0,
            })
            .collect();
        let online = &mut b.channels[SalesChannel::Online.index()];
        for (order, d) in orders.iter().zip(&plan.decisions) {
            online.orders += u64::from(!d.shipments.is_empty());
            for s in &d.shipments {
                let n = &mut nodes[s.node.0 as usize].routed;
                n.orders += 1;
                for line in s.lines.iter().map(|&l| &order.lines[l]) {
                    n.add_units(u64::from(line.qty), line.unit_price_cents);
                    online.add_units(u64::from(line.qty), line.unit_price_cents);
                }
            }
        }
        let routed: FxHashSet<&str> = orders.iter().map(|o| o.id.as_str()).collect();
        // A counter sale's order id, with the channel that sold it.
        let mut sold: FxHashSet<(NodeIdx, &str)> = FxHashSet::default();
        let mut sold_by: FxHashMap<&str, SalesChannel> = FxHashMap::default();
        for e in events.iter().filter(|e| !e.is_return) {
            let id = e.order_id.as_deref();
            if id.is_some_and(|id| routed.contains(id)) {
                continue;
            }
            let kind = network.node(e.node).kind;
            if !matches!(kind, NodeKind::Store | NodeKind::Dealer) {
                b.other_shipped_units += u64::from(e.units);
                continue;
            }
            let n = &mut nodes[e.node.0 as usize].counter;
            let new_sale = id.is_none_or(|id| sold.insert((e.node, id)));
            n.orders += u64::from(new_sale);
            n.add_units(u64::from(e.units), e.unit_price_cents);
            if let Some(id) = id {
                sold_by.entry(id).or_insert(SalesChannel::at(kind));
            }
        }
        let mut flows: FxHashMap<(Option<SalesChannel>, NodeKind), ReturnFlow> =
            FxHashMap::default();
        for e in events.iter().filter(|e| e.is_return) {
            let id = e.order_id.as_deref();
            let bought_via = match id {
                Some(id) if routed.contains(id) => Some(SalesChannel::Online),
                _ => id.and_then(|id| sold_by.get(id).copied()).or(e.sold_via),
            };
            let returned_at = network.node(e.node).kind;
            let f = flows
                .entry((bought_via, returned_at))
                .or_insert(ReturnFlow {
                    bought_via,
                    returned_at,
                    returns: 0,
                    units: 0,
                });
            f.returns += 1;
            f.units += u64::from(e.units);
            nodes[e.node.0 as usize].returned_units += u64::from(e.units);
        }
        for n in &nodes {
            let kind = network.node(n.node).kind;
            b.channels[SalesChannel::at(kind).index()].add(&n.counter);
        }
        // Every node with a routed order, a counter sale (even of 0 units) or units returned.
        b.nodes = nodes
            .into_iter()
            .filter(|n| n.routed.orders + n.counter.orders + n.returned_units > 0)
            .collect();
        b.returns = flows.into_values().collect();
        b.returns
            .sort_by_key(|f| (f.bought_via.is_none(), f.bought_via, f.returned_at));
        b
    }

    /// The figures of one channel.
    pub fn channel(&self, channel: SalesChannel) -> SalesFigures {
        self.channels[channel.index()]
    }

    /// Every channel together.
    pub fn total(&self) -> SalesFigures {
        let mut t = SalesFigures::default();
        self.channels.iter().for_each(|c| t.add(c));
        t
    }

    /// Units returned that were bought through `channel` (`None`: bought where unknown).
    pub fn returned_units(&self, channel: Option<SalesChannel>) -> u64 {
        self.returns
            .iter()
            .filter(|f| f.bought_via == channel)
            .map(|f| f.units)
            .sum()
    }

    /// Every unit returned.
    pub fn all_returned_units(&self) -> u64 {
        self.returns.iter().map(|f| f.units).sum()
    }

    /// Units bought in one channel and returned in another.
    pub fn cross_channel_returned_units(&self) -> u64 {
        self.returns
            .iter()
            .filter(|f| f.is_cross_channel())
            .map(|f| f.units)
            .sum()
    }

    /// Every figure as a row (the `business_*` rows of docs/kpis.md); revenue rows only where
    /// every unit has a price.
    pub fn rows(&self, network: &Network) -> Vec<KpiRow> {
        let total = self.total();
        let all_returned = self.all_returned_units();
        let channels = SalesChannel::ALL
            .iter()
            .map(|&c| (c.as_str(), self.channel(c), self.returned_units(Some(c))))
            .chain([("total", total, all_returned)]);
        let mut rows = Vec::new();
        for (key, f, returned) in channels {
            rows.push(row("business_orders", key, count(f.orders), "orders"));
            rows.push(row("business_units", key, count(f.units), "units"));
            if let Some(cents) = f.revenue_cents() {
                rows.push(row(
                    "business_revenue_cents",
                    key,
                    Some(cents as f64),
                    "cents",
                ));
            }
            rows.push(row(
                "business_returned_units",
                key,
                count(returned),
                "units",
            ));
            let net = f.units as f64 - returned as f64;
            rows.push(row("business_net_units", key, Some(net), "units"));
        }
        let unknown = self.returned_units(None);
        rows.push(row(
            "business_returned_units",
            "unknown",
            count(unknown),
            "units",
        ));
        for f in &self.returns {
            rows.push(row("business_returns", f.key(), count(f.units), "units"));
        }
        let cross = self.cross_channel_returned_units();
        rows.push(row(
            "business_cross_channel_returns",
            "",
            count(cross),
            "units",
        ));
        let other = self.other_shipped_units;
        rows.push(row(
            "business_other_shipped_units",
            "",
            count(other),
            "units",
        ));
        for n in &self.nodes {
            let id = network.node(n.node).id.as_str();
            let r = &n.routed;
            let c = &n.counter;
            rows.push(row(
                "business_node_routed_orders",
                id,
                count(r.orders),
                "orders",
            ));
            rows.push(row(
                "business_node_routed_units",
                id,
                count(r.units),
                "units",
            ));
            rows.push(row(
                "business_node_counter_sales",
                id,
                count(c.orders),
                "orders",
            ));
            rows.push(row(
                "business_node_counter_units",
                id,
                count(c.units),
                "units",
            ));
            let returned = count(n.returned_units);
            rows.push(row("business_node_returned_units", id, returned, "units"));
            if let Some(cents) = n.sales().revenue_cents() {
                let cents = Some(cents as f64);
                rows.push(row("business_node_revenue_cents", id, cents, "cents"));
            }
        }
        rows
    }
}

#[cfg(test)]
mod tests;
