//! Customer orders: lines, destination, service level, split rule, exclusions.

use crate::{LatLng, NodeIdx, ServiceLevel, SkuId};
use jiff::civil::Date;
use jiff::Timestamp;

/// One line of an order: a SKU and a positive quantity. Lines never split across nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderLine {
    /// Line number as given (1-based when generated).
    pub line_no: u32,
    /// What is ordered.
    pub sku: SkuId,
    /// How many units (> 0).
    pub qty: u32,
    /// Unit price in cents (prices the dealer margin).
    pub unit_price_cents: Option<i64>,
}

impl OrderLine {
    /// Line value in cents (0 without a price; saturating).
    pub fn value_cents(&self) -> i64 {
        self.unit_price_cents
            .unwrap_or(0)
            .saturating_mul(i64::from(self.qty))
    }
}

/// How an order may be split into shipments. `None` fields take the policy's default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SplitRule {
    /// May the order ship from more than one node?
    pub allow_split: Option<bool>,
    /// At most this many shipments.
    pub max_shipments: Option<u8>,
    /// Ship all lines or none.
    pub ship_complete: Option<bool>,
}

/// A customer order.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// External id.
    pub id: String,
    /// The lines, in file order.
    pub lines: Vec<OrderLine>,
    /// Where it goes.
    pub destination: LatLng,
    /// Requested service level.
    pub service_level: ServiceLevel,
    /// When it was placed (`None`: the batch's reference time).
    pub created_at: Option<Timestamp>,
    /// Latest acceptable delivery date, a hard filter when set.
    pub promised_by: Option<Date>,
    /// Priority (higher first when the optimiser must choose).
    pub priority: i32,
    /// Sales channel, for policy rules.
    pub channel: Option<String>,
    /// Tags, for policy rules.
    pub tags: Vec<String>,
    /// Split rule overrides.
    pub split: SplitRule,
    /// Nodes that must not serve this order (for example after a dealer rejected it).
    pub excluded: Vec<NodeIdx>,
    /// When not empty, only these nodes may serve the order (`only_nodes`; another node is
    /// `EXCLUDED`).
    pub pinned: Vec<NodeIdx>,
}

impl Order {
    /// An order with defaults: standard service, no time, no overrides.
    pub fn new(id: impl Into<String>, destination: LatLng, lines: Vec<OrderLine>) -> Self {
        Self {
            id: id.into(),
            lines,
            destination,
            service_level: ServiceLevel::STANDARD,
            created_at: None,
            promised_by: None,
            priority: 0,
            channel: None,
            tags: Vec::new(),
            split: SplitRule::default(),
            excluded: Vec::new(),
            pinned: Vec::new(),
        }
    }

    /// False when the order's own lists keep `node` from serving it: excluded, or not among
    /// its pins.
    pub fn admits(&self, node: NodeIdx) -> bool {
        !self.excluded.contains(&node) && (self.pinned.is_empty() || self.pinned.contains(&node))
    }

    /// Total units over all lines.
    pub fn units(&self) -> u64 {
        self.lines.iter().map(|l| u64::from(l.qty)).sum()
    }
}
