//! The checker's bounds on a shipment's inventory-balance cost (`crate::Balance`). It is priced
//! against the units a position held when the order was routed, which the checker does not
//! replay; stock only falls while a batch is routed, so those units lie between what the
//! position held at the start and what the plan leaves plus what this order itself takes from
//! it. The cost only grows as the units fall, so it lies between the two prices (both 0 when
//! the policy has no balance term).
//!
//! Why bounds and not the exact figure: the units held at routing time depend on how the plan
//! was made (a sequential batch prices against what the orders before it left, optimise mode
//! against the starting stock, re-routing against what the kept orders leave), and a plan, a
//! decisions.csv above all, does not say which; every one of them lies within the bounds. Where
//! one order alone ships a position's units the two bounds meet, so the check is exact there.

use super::reasons::StockBounds;
use crate::{Decision, Order, Policy};

/// Calls `v(message)` for every shipment of `d` whose balance cost is outside its bounds.
pub(super) fn check_balance(
    order: &Order,
    d: &Decision,
    policy: &Policy,
    stock: &StockBounds<'_>,
    v: &mut impl FnMut(String),
) {
    for (i, s) in d.shipments.iter().enumerate() {
        let (mut lo, mut hi) = (0i64, 0i64);
        if let Some(b) = &policy.balance {
            for &l in &s.lines {
                let line = &order.lines[l];
                // This order's own units of the SKU from this node.
                let own: u64 = s
                    .lines
                    .iter()
                    .map(|&m| &order.lines[m])
                    .filter(|m| m.sku == line.sku)
                    .map(|m| u64::from(m.qty))
                    .sum();
                let start = (stock.routable)(s.node, line.sku);
                let least = stock.left(s.node, line.sku).saturating_add(own);
                let least = u32::try_from(least).unwrap_or(u32::MAX).min(start);
                lo = lo.saturating_add(b.cents(start, line.qty));
                hi = hi.saturating_add(b.cents(least, line.qty));
            }
        }
        let got = s.cost.balance_cents;
        if got < lo || got > hi {
            v(format!(
                "shipment {i}: balance {got} cents, expected between {lo} and {hi}"
            ));
        }
    }
}
