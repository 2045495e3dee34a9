//! [`Prices`]: optimise mode's Lagrangian multipliers, as the priced router reads them.

use super::Decision;
use crate::{NodeIdx, Order};

/// Prices (cents per unit) on (node, SKU) stock, node units and node shipments: the Lagrangian
/// multipliers of optimise mode. Non-negative, so every bound of the candidate scan still holds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prices {
    pub stock: rustc_hash::FxHashMap<(NodeIdx, crate::SkuId), i64>,
    pub units: rustc_hash::FxHashMap<NodeIdx, i64>,
    pub shipments: rustc_hash::FxHashMap<NodeIdx, i64>,
}

impl Prices {
    /// What a decision pays in prices.
    pub(crate) fn of(&self, order: &Order, d: &Decision) -> i64 {
        d.shipments
            .iter()
            .map(|s| {
                self.shipments.get(&s.node).copied().unwrap_or(0)
                    + s.lines
                        .iter()
                        .map(|&l| {
                            let line = &order.lines[l];
                            (self.stock.get(&(s.node, line.sku)).copied().unwrap_or(0)
                                + self.units.get(&s.node).copied().unwrap_or(0))
                                * i64::from(line.qty)
                        })
                        .sum::<i64>()
            })
            .sum()
    }
}
