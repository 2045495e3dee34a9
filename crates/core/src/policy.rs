//! The routing policy: every priced term of the objective (docs/design.md §3) and every hard rule's
//! defaults. [`Policy::default`] is the documented default policy.

use crate::{Balance, Currency, NodeGroup, NodeKind, ServiceLevel, ServiceLevels};
use jiff::civil::Time;
use jiff::Timestamp;

/// How a missed promise is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sla {
    /// A node that cannot meet the deadline is filtered (`SLA_UNREACHABLE`).
    Hard,
    /// Lateness is priced at [`CostTerms::lateness_per_day_cents`] per day late.
    Soft,
}

/// Order-level cost terms, in cents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostTerms {
    /// Cost of each unit left unfilled (lost sale or backorder).
    pub unfilled_per_unit_cents: i64,
    /// Added for every shipment after the first.
    pub split_penalty_cents: i64,
    /// Cost per day late, when the SLA is soft.
    pub lateness_per_day_cents: i64,
    /// Cost per shipment per point of node priority (node priority 0 costs nothing).
    pub priority_step_cents: i64,
}

/// Defaults for one node kind; a node's own columns override them.
#[derive(Debug, Clone, PartialEq)]
pub struct KindDefaults {
    /// Fixed cost per shipment, cents.
    pub fixed_cents: i64,
    /// Transport cost per km, cents.
    pub per_km_cents: f64,
    /// Handling cost per unit, cents.
    pub per_unit_cents: i64,
    /// Reach in km per service level, indexed by [`ServiceLevel`] (0 = level not offered;
    /// `f64::INFINITY` = anywhere). Levels beyond the vector's end are not offered.
    pub reach_km: Vec<f64>,
    /// Working days of handling.
    pub handling_days: u8,
    /// Local cut-off time.
    pub cutoff_local: Time,
    /// Units held back from routing at every position of this kind (routing only; the ledger's
    /// own `safety_stock` is added to it).
    pub safety_stock: u32,
    /// Default daily capacity in units (`None`: unlimited).
    pub capacity_units: Option<u32>,
    /// Default daily capacity in shipments (`None`: unlimited).
    pub capacity_shipments: Option<u32>,
}

/// One band of a transit table: destinations up to `max_km` take `days` calendar days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransitBand {
    /// Upper bound of the band, km (inclusive).
    pub max_km: f64,
    /// Transit days.
    pub days: u8,
}

/// Terms of one service level.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelTerms {
    /// Transit days by distance band, ascending `max_km`; beyond the last band the level cannot
    /// deliver (`OUT_OF_REACH`).
    pub transit: Vec<TransitBand>,
    /// Delivery must be within this many days of the order date (`None`: no deadline unless the
    /// order carries `promised_by`).
    pub deadline_days: Option<u8>,
    /// Per-km cost for this level, overriding the kind's default when set.
    pub per_km_cents: Option<f64>,
}

/// Split defaults for orders that do not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitDefaults {
    /// Orders may ship from several nodes.
    pub allow_split: bool,
    /// At most this many shipments per order.
    pub max_shipments: u8,
    /// Ship every line or none.
    pub ship_complete: bool,
}

/// Dealer handling rules (docs/policy.md `[dealers]`; the offer flow is the `dealers` module).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DealerRules {
    /// After this many rejections an order goes to the review queue.
    pub max_rejections: u32,
    /// Hours a dealer that rejects often is left out.
    pub cool_down_hours: u32,
    /// Refusals (rejects or time-outs) in a row after which a dealer cools down (0: never).
    pub cool_down_after: u32,
    /// Default seconds a dealer has to accept.
    pub acceptance_timeout_s: u32,
    /// Dealers are required (not just preferred) inside their territory.
    pub territory_required: bool,
    /// Cents added to a dealer's shipment to a destination outside its territory, where
    /// territories are preferred rather than required (0: no preference).
    pub outside_territory_cents: i64,
    /// What one refused offer costs besides the wait: re-routing and the next node's premium,
    /// in cents (0, with `delay_cost_per_hour_cents` 0: rejects are not priced).
    pub reject_cost_cents: i64,
    /// What an order waiting on an offer that is then refused costs per hour, in cents; the
    /// wait is the dealer's acceptance timeout.
    pub delay_cost_per_hour_cents: i64,
    /// The Beta prior of every dealer's acceptance rate.
    pub prior: crate::AcceptancePrior,
}

/// What a returned unit is, until it is inspected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReturnRules {
    /// Returns wait for inspection: a returned unit is on hand but held (not routable) until the
    /// feed reports the inspection (a `release` when it passed, a `ship` when it is scrapped).
    /// `false` (the default): a returned unit is routable at once.
    pub inspect: bool,
}

/// Whether the promise may use incoming stock (`[incoming]`, docs/policy.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomingRules {
    /// Lines the on-hand stock left unfilled may be promised from stock arriving in time
    /// ([`crate::Router::promise_incoming`]). `false` (the default): incoming stock is never used.
    pub promise: bool,
    /// For an order without a deadline (no `promised_by`, no `deadline_days` for its level), an
    /// incoming promise may deliver at most this many days after the order's date (default 14).
    pub horizon_days: u16,
}

impl Default for IncomingRules {
    fn default() -> Self {
        Self {
            promise: false,
            horizon_days: 14,
        }
    }
}

/// A destination box in degrees (min ≤ max; a box may not cross the antimeridian).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    /// South edge.
    pub min_lat_deg: f64,
    /// West edge.
    pub min_lon_deg: f64,
    /// North edge.
    pub max_lat_deg: f64,
    /// East edge.
    pub max_lon_deg: f64,
}

/// When a rule applies; every set condition must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Condition {
    /// The order's service level.
    pub service_level: Option<ServiceLevel>,
    /// The order's channel.
    pub channel: Option<String>,
    /// The destination lies in this box.
    pub region: Option<Region>,
    /// The order carries at least one of these tags.
    pub tags_any: Vec<String>,
}

/// What a rule changes for the orders it matches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// Replace the order-level cost terms.
    pub unfilled_per_unit_cents: Option<i64>,
    /// Replace the split penalty.
    pub split_penalty_cents: Option<i64>,
    /// Replace the split defaults.
    pub allow_split: Option<bool>,
    /// Replace the maximum number of shipments.
    pub max_shipments: Option<u8>,
    /// Replace ship-complete.
    pub ship_complete: Option<bool>,
    /// Replace the SLA treatment.
    pub sla: Option<Sla>,
    /// Only these node kinds may serve the order.
    pub allowed_kinds: Option<Vec<NodeKind>>,
    /// Only nodes carrying at least one of these tags may serve the order (`TAG_NOT_ALLOWED`).
    /// Unlike the other overrides, the tag filters of every matching rule apply together.
    pub allowed_tags: Option<Vec<String>>,
    /// Nodes carrying any of these tags may not serve the order (`TAG_NOT_ALLOWED`).
    pub excluded_tags: Vec<String>,
}

/// An ordered rule: when `when` holds, `set` overrides the defaults (later rules win).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rule {
    /// Rule name, for explanations.
    pub name: String,
    /// Condition.
    pub when: Condition,
    /// Overrides.
    pub set: Overrides,
    /// Node groups tried in order (empty: none); the last matching rule with groups decides.
    /// See [`NodeGroup`].
    pub groups: Vec<NodeGroup>,
}

/// The whole policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The policy applies to orders created at or after this instant (`None`: always).
    pub effective_from: Option<Timestamp>,
    /// Known service levels.
    pub levels: ServiceLevels,
    /// Per-level terms, indexed by [`ServiceLevel`].
    pub level_terms: Vec<LevelTerms>,
    /// Order-level cost terms.
    pub costs: CostTerms,
    /// Per-kind defaults, indexed by [`NodeKind::index`].
    pub kinds: Vec<KindDefaults>,
    /// Split defaults.
    pub split: SplitDefaults,
    /// Hard or soft SLA.
    pub sla: Sla,
    /// Dealer rules.
    pub dealers: DealerRules,
    /// How returns become routable.
    pub returns: ReturnRules,
    /// Whether the promise may use incoming stock.
    pub incoming: IncomingRules,
    /// Ordered rules.
    pub rules: Vec<Rule>,
    /// The inventory-balance term (`None`: off, the default).
    pub balance: Option<Balance>,
    /// The currency the cents are in, for people (`None`: plain cents, the default).
    pub currency: Option<Currency>,
}

impl Policy {
    /// Defaults for a node kind.
    pub fn kind(&self, kind: NodeKind) -> &KindDefaults {
        &self.kinds[kind.index()]
    }

    /// Terms of a service level.
    pub fn level(&self, level: ServiceLevel) -> &LevelTerms {
        &self.level_terms[usize::from(level.0)]
    }
}

fn hm(h: i8, m: i8) -> Time {
    Time::constant(h, m, 0, 0)
}

impl Default for Policy {
    /// The default of `docs/design.md` §3: fixed 500, `per_km` 0.5, unfilled 3000 per unit, no split penalty,
    /// splits allowed (up to 3 shipments), lines never split, SLA hard. Reach per kind:
    /// warehouses 50 km same day, 600 km next day, anywhere standard; stores 30 / 250 / anywhere;
    /// dealers 25 / 150 / 600; suppliers standard only; lockers 10 km same day only.
    fn default() -> Self {
        let inf = f64::INFINITY;
        let kind = |fixed, per_km, reach: [f64; 3], handling, cutoff: Time| KindDefaults {
            fixed_cents: fixed,
            per_km_cents: per_km,
            per_unit_cents: 0,
            reach_km: reach.to_vec(),
            handling_days: handling,
            cutoff_local: cutoff,
            safety_stock: 0,
            capacity_units: None,
            capacity_shipments: None,
        };
        let kinds = NodeKind::ALL
            .iter()
            .map(|k| match k {
                NodeKind::Warehouse => kind(500, 0.5, [50.0, 600.0, inf], 0, hm(14, 0)),
                NodeKind::Store => kind(500, 0.5, [30.0, 250.0, inf], 0, hm(17, 0)),
                NodeKind::Dealer => kind(500, 0.5, [25.0, 150.0, 600.0], 0, hm(16, 0)),
                NodeKind::Supplier => kind(500, 0.5, [0.0, 0.0, inf], 2, hm(12, 0)),
                NodeKind::Locker => kind(500, 0.5, [10.0, 0.0, 0.0], 0, hm(18, 0)),
            })
            .collect();
        let band = |max_km, days| TransitBand { max_km, days };
        Self {
            effective_from: None,
            levels: ServiceLevels::default(),
            level_terms: vec![
                LevelTerms {
                    transit: vec![band(inf, 0)],
                    deadline_days: Some(0),
                    per_km_cents: None,
                },
                LevelTerms {
                    transit: vec![band(inf, 1)],
                    deadline_days: Some(1),
                    per_km_cents: None,
                },
                LevelTerms {
                    transit: vec![
                        band(100.0, 1),
                        band(500.0, 2),
                        band(1500.0, 3),
                        band(inf, 5),
                    ],
                    deadline_days: None,
                    per_km_cents: None,
                },
            ],
            costs: CostTerms {
                unfilled_per_unit_cents: 3000,
                split_penalty_cents: 0,
                lateness_per_day_cents: 1000,
                priority_step_cents: 0,
            },
            kinds,
            split: SplitDefaults {
                allow_split: true,
                max_shipments: 3,
                ship_complete: false,
            },
            sla: Sla::Hard,
            dealers: DealerRules {
                max_rejections: 3,
                cool_down_hours: 24,
                cool_down_after: 3,
                acceptance_timeout_s: 900,
                territory_required: false,
                outside_territory_cents: 0,
                reject_cost_cents: 0,
                delay_cost_per_hour_cents: 0,
                prior: crate::AcceptancePrior::default(),
            },
            returns: ReturnRules::default(),
            incoming: IncomingRules::default(),
            rules: Vec::new(),
            balance: None,
            currency: None,
        }
    }
}
