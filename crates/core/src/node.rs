//! Fulfilment nodes: warehouses, stores, dealers, suppliers, lockers.

use crate::{LatLng, ServiceLevel};
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// What a node is. Policy defaults (reach, handling, cut-off, costs) are set per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum NodeKind {
    /// A distribution centre.
    Warehouse,
    /// One of the brand's own stores (ship-from-store).
    Store,
    /// An independent dealer who accepts or rejects offers and earns a margin.
    Dealer,
    /// The manufacturer shipping straight to the customer (drop-ship).
    Supplier,
    /// A parcel locker or pick-up point holding stock.
    Locker,
}

impl NodeKind {
    /// Every kind, in a fixed order.
    pub const ALL: [NodeKind; 5] = [
        NodeKind::Warehouse,
        NodeKind::Store,
        NodeKind::Dealer,
        NodeKind::Supplier,
        NodeKind::Locker,
    ];

    /// The lowercase name used in files.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Warehouse => "warehouse",
            NodeKind::Store => "store",
            NodeKind::Dealer => "dealer",
            NodeKind::Supplier => "supplier",
            NodeKind::Locker => "locker",
        }
    }

    /// Position in [`NodeKind::ALL`], for per-kind tables.
    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not a node kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown node kind {0:?} (expected warehouse, store, dealer, supplier or locker)")]
pub struct UnknownNodeKind(pub String);

impl FromStr for NodeKind {
    type Err = UnknownNodeKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NodeKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownNodeKind(s.to_owned()))
    }
}

/// Days a node does not handle orders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    /// Closed weekdays as a bit set: bit `n` is set when weekday `n` (Monday = 0 … Sunday = 6)
    /// is closed. Use [`Calendar::close_weekday`].
    pub closed_weekdays: u8,
    /// Closed dates (local to the node).
    pub holidays: BTreeSet<Date>,
}

impl Calendar {
    /// True when the node works on `date`.
    pub fn is_open(&self, date: Date) -> bool {
        self.closed_weekdays & weekday_bit(date.weekday()) == 0 && !self.holidays.contains(&date)
    }

    /// Marks a weekday as closed.
    pub fn close_weekday(&mut self, day: Weekday) {
        self.closed_weekdays |= weekday_bit(day);
    }
}

fn weekday_bit(day: Weekday) -> u8 {
    1 << (day.to_monday_zero_offset() as u8)
}

/// Per-node cost overrides; `None` takes the policy's default for the node's kind.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NodeCosts {
    /// Cost of each shipment from this node, in cents.
    pub fixed_cents: Option<i64>,
    /// Transport cost per km, in cents (may be fractional; the product is rounded half up).
    pub per_km_cents: Option<f64>,
    /// Handling cost per unit, in cents.
    pub per_unit_cents: Option<i64>,
}

/// What makes a dealer a dealer: margin, territory and how it answers offers.
#[derive(Debug, Clone, PartialEq)]
pub struct DealerTerms {
    /// Dealer margin in basis points of line value.
    pub margin_bps: u32,
    /// The dealer's territory, if it has one.
    pub territory: Option<geo::MultiPolygon<f64>>,
    /// Seconds the dealer has to accept an offer (`None`: the policy's default).
    pub acceptance_timeout_s: Option<u32>,
    /// Observed share of offers accepted, in [0, 1] (`None`: unknown).
    pub acceptance_rate: Option<f64>,
}

/// A fulfilment node. Build with [`Node::new`] and set the public fields you need.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// External id, unique in a network.
    pub id: String,
    /// What the node is.
    pub kind: NodeKind,
    /// Where it is.
    pub location: LatLng,
    /// Its IANA time zone (cut-offs and calendars are local).
    pub timezone: TimeZone,
    /// Inactive nodes are never chosen (reason `NODE_INACTIVE`).
    pub active: bool,
    /// Priority priced by the policy: lower is preferred.
    pub priority: i32,
    /// Free-form tags.
    pub tags: Vec<String>,
    /// Units the node can ship per day (`None`: unlimited).
    pub capacity_units: Option<u32>,
    /// Shipments the node can ship per day (`None`: unlimited).
    pub capacity_shipments: Option<u32>,
    /// Reach in km per service level, overriding the policy's default for the kind
    /// (0 = level not offered).
    pub reach_km: Vec<(ServiceLevel, f64)>,
    /// Local cut-off time: orders after it start handling the next working day.
    pub cutoff_local: Option<Time>,
    /// Working days of handling before the parcel leaves.
    pub handling_days: Option<u8>,
    /// Closed days.
    pub calendar: Calendar,
    /// Cost overrides.
    pub costs: NodeCosts,
    /// Dealer terms, for dealers.
    pub dealer: Option<DealerTerms>,
}

impl Node {
    /// A node with defaults: active, priority 0, UTC, no overrides.
    pub fn new(id: impl Into<String>, kind: NodeKind, location: LatLng) -> Self {
        Self {
            id: id.into(),
            kind,
            location,
            timezone: TimeZone::UTC,
            active: true,
            priority: 0,
            tags: Vec::new(),
            capacity_units: None,
            capacity_shipments: None,
            reach_km: Vec::new(),
            cutoff_local: None,
            handling_days: None,
            calendar: Calendar::default(),
            costs: NodeCosts::default(),
            dealer: None,
        }
    }

    /// The node's own reach override for `level`, if any.
    pub fn reach_override_km(&self, level: ServiceLevel) -> Option<f64> {
        self.reach_km
            .iter()
            .find(|(l, _)| *l == level)
            .map(|&(_, km)| km)
    }

    /// Dealer margin in basis points (0 for non-dealers).
    pub fn margin_bps(&self) -> u32 {
        self.dealer.as_ref().map_or(0, |d| d.margin_bps)
    }
}
