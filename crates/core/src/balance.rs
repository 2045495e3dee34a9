//! The inventory-balance term of the objective (`docs/policy.md`, `[balance]`; off by default):
//! shipping from a position whose routable stock falls below `below_units` costs
//! `per_unit_cents` for every unit it takes below that level, so a store does not sell its last
//! units to the web while a warehouse holds hundreds. The units a position holds are those of
//! the stock the order is routed against (for a batch in arrival order: what the orders before
//! it left; in optimise mode: the batch's starting stock); each line is priced on its own
//! against them, also when lines of one order share a SKU. Never negative, so every bound of
//! the router stays a bound.

use crate::limits;

/// The balance term's two numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    /// A position's routable units below this level are its low-stock buffer.
    pub below_units: u32,
    /// Cost of every unit a shipment takes out of that buffer, cents.
    pub per_unit_cents: i64,
}

impl Balance {
    /// The cost of shipping `qty` units from a position holding `held`: `per_unit_cents` times
    /// the units below `below_units` after the shipment less those below it before.
    ///
    /// ```
    /// use omniroute_core::Balance;
    /// let b = Balance { below_units: 3, per_unit_cents: 200 };
    /// assert_eq!(b.cents(1, 1), 200); // the last unit: 3 below after, 2 before
    /// assert_eq!(b.cents(300, 2), 0); // a warehouse with hundreds
    /// assert_eq!(b.cents(4, 3), 400); // 4 → 1: two units into the buffer
    /// ```
    pub fn cents(&self, held: u32, qty: u32) -> i64 {
        let below = |units: u32| self.below_units.saturating_sub(units);
        let taken = below(held.saturating_sub(qty)) - below(held);
        limits::money(self.per_unit_cents).saturating_mul(i64::from(taken))
    }
}
