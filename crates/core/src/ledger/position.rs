//! One (node, SKU) position: what the ledger stores and the `Copy` view it hands out.

use crate::{NodeIdx, SkuId};
use jiff::civil::Date;

/// Units on their way to a position (a purchase order, a transfer), not yet on hand.
///
/// Incoming units are information for promises and re-routing only: they are never routable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Incoming {
    /// Units expected.
    pub qty: u32,
    /// The date they are expected, when known.
    pub expected: Option<Date>,
}

/// One row of a stock snapshot (`stock.csv`): the authoritative state of one position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockRow {
    /// The node holding the stock.
    pub node: NodeIdx,
    /// The SKU.
    pub sku: SkuId,
    /// Units physically on hand.
    pub on_hand: u32,
    /// Units reserved outside omniroute (the snapshot's `reserved` column), held back in bulk.
    pub reserved: u32,
    /// Units held back from routing.
    pub safety_stock: u32,
}

/// A consistent view of one (node, SKU) position; all zeros for a position the ledger never saw.
///
/// The counters make every unit traceable. For every position, at every consistent view:
///
/// ```text
/// snapshot_in + delta_in + returned = on_hand + shipped
/// ```
///
/// which [`Position::unaccounted_units`] checks (it is 0 when the books balance).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    /// Units physically on hand (reserved units included: they leave on commit).
    pub on_hand: u32,
    /// Units held back from routing by reservations: live reservations plus
    /// [`Position::external_reserved`] (saturating at `u32::MAX`).
    pub reserved: u32,
    /// The part of `reserved` that came in bulk from the last snapshot, not from reservations.
    pub external_reserved: u32,
    /// Units held back from routing only.
    pub safety_stock: u32,
    /// Units on their way.
    pub incoming: Incoming,
    /// Units shipped by committed reservations, ever.
    pub shipped: u64,
    /// Units added by returns, ever.
    pub returned: u64,
    /// Net on-hand change from applied deltas, ever.
    pub delta_in: i64,
    /// Net on-hand change from snapshots, ever (the first snapshot sets the initial stock).
    pub snapshot_in: i64,
}

impl Position {
    /// Units the router may use: `on_hand − reserved − safety_stock`, never below 0.
    ///
    /// ```
    /// # use omniroute_core::Position;
    /// let p = Position { on_hand: 5, reserved: 3, safety_stock: 4, ..Position::default() };
    /// assert_eq!(p.routable(), 0);
    /// ```
    pub fn routable(&self) -> u32 {
        let held = u64::from(self.reserved) + u64::from(self.safety_stock);
        u64::from(self.on_hand).saturating_sub(held) as u32
    }

    /// `snapshot_in + delta_in + returned − on_hand − shipped`: 0 when every unit is accounted for.
    pub fn unaccounted_units(&self) -> i128 {
        i128::from(self.snapshot_in) + i128::from(self.delta_in) + i128::from(self.returned)
            - i128::from(self.on_hand)
            - i128::from(self.shipped)
    }
}

/// The stored state of a position. Live reservations are kept apart from the snapshot's bulk
/// `reserved` so a snapshot can replace one without touching the other.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Slot {
    pub on_hand: u32,
    /// Sum of live reservations at this position. Never above `u32::MAX`: a reservation is
    /// only taken when it fits under `on_hand`.
    pub live_reserved: u32,
    pub external_reserved: u32,
    pub safety_stock: u32,
    pub incoming: Incoming,
    pub shipped: u64,
    pub returned: u64,
    pub delta_in: i64,
    pub snapshot_in: i64,
}

impl Slot {
    /// The public view.
    pub fn view(&self) -> Position {
        Position {
            on_hand: self.on_hand,
            reserved: self.live_reserved.saturating_add(self.external_reserved),
            external_reserved: self.external_reserved,
            safety_stock: self.safety_stock,
            incoming: self.incoming,
            shipped: self.shipped,
            returned: self.returned,
            delta_in: self.delta_in,
            snapshot_in: self.snapshot_in,
        }
    }

    /// Routable units, computed without saturating the reserved sum.
    pub fn routable(&self) -> u32 {
        let held = u64::from(self.live_reserved)
            + u64::from(self.external_reserved)
            + u64::from(self.safety_stock);
        u64::from(self.on_hand).saturating_sub(held) as u32
    }

    /// Sets on-hand from a snapshot, booking the difference in `snapshot_in`.
    pub fn set_snapshot(&mut self, on_hand: u32, external_reserved: u32, safety_stock: u32) {
        self.snapshot_in += i64::from(on_hand) - i64::from(self.on_hand);
        self.on_hand = on_hand;
        self.external_reserved = external_reserved;
        self.safety_stock = safety_stock;
    }
}
