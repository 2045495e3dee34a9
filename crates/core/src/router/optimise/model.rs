//! Optimise mode's options as a general assignment problem (`crate::gap`): each order picks one
//! option; options consume (node, SKU) stock and the units and shipments of capacity-limited
//! nodes.

use super::super::{Decision, Router, StockTable};
use crate::gap::{AssignOption, AssignmentProblem, ResourceId};
use crate::{NodeIdx, Order, SkuId};
use rustc_hash::FxHashMap;

/// A resource the batch shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Resource {
    /// Routable units of a SKU at a node.
    Stock(NodeIdx, SkuId),
    /// A node's daily unit capacity.
    Units(NodeIdx),
    /// A node's daily shipment capacity.
    Shipments(NodeIdx),
}

impl Router {
    /// The capacity of a resource (`None`: unlimited; node capacities are the same in every
    /// policy version).
    pub(super) fn capacity(&self, stock: &StockTable, r: Resource) -> Option<i64> {
        match r {
            Resource::Stock(n, sku) => Some(i64::from(stock.qty(n, sku))),
            Resource::Units(n) => {
                (self.earliest().terms.nodes[n.0 as usize].capacity_units).map(i64::from)
            }
            Resource::Shipments(n) => self.earliest().terms.nodes[n.0 as usize]
                .capacity_shipments
                .map(i64::from),
        }
    }

    /// The general assignment problem over the options: option `k` of item `i` is
    /// `options[i][k]`, at its decision's cost.
    pub(super) fn assignment(
        &self,
        orders: &[Order],
        options: &[Vec<Decision>],
        stock: &StockTable,
    ) -> AssignmentProblem {
        let mut p = AssignmentProblem::new();
        let mut ids: FxHashMap<Resource, ResourceId> = FxHashMap::default();
        let mut id = |p: &mut AssignmentProblem, r: Resource, cap: i64| {
            *ids.entry(r).or_insert_with(|| {
                p.add_resource(cap.unsigned_abs())
                    .expect("u32 capacities fit")
            })
        };
        for (order, opts) in orders.iter().zip(options) {
            let mut item = Vec::with_capacity(opts.len());
            for d in opts {
                let mut uses = Vec::new();
                for (r, amount) in uses_of(order, d) {
                    if let Some(cap) = self.capacity(stock, r) {
                        uses.push((id(&mut p, r, cap), amount.unsigned_abs()));
                    }
                }
                item.push(AssignOption::new(d.cost_cents(), uses));
            }
            p.add_item(item).expect("every order has options");
        }
        p
    }
}

/// What a decision uses of each resource: the stock of each line, and per shipment its units and
/// one shipment at the node.
pub(super) fn uses_of<'d>(
    order: &'d Order,
    d: &'d Decision,
) -> impl Iterator<Item = (Resource, i64)> + 'd {
    d.shipments.iter().flat_map(move |s| {
        s.lines
            .iter()
            .map(move |&l| {
                let line = &order.lines[l];
                (Resource::Stock(s.node, line.sku), i64::from(line.qty))
            })
            .chain([
                (Resource::Units(s.node), i64::from(s.units)),
                (Resource::Shipments(s.node), 1),
            ])
    })
}
