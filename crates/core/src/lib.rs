//! omniroute-core: the pure order-routing engine.
//!
//! It holds the domain model ([`Node`], [`Order`], [`Network`]), the spatial index, the inventory
//! ledger, the [`Policy`] (and its [`PolicyVersions`]), the [`Router`] (one order, a batch in
//! arrival order, an optimised batch, re-routing after events) and the independent [`check`]er.
//! It does no file or network I/O and reads no clock: time is always a parameter. File formats
//! live in `omniroute-adapters`; the design is `docs/design.md` in the repository.

// Every public item is documented (the workspace only warns).
#![deny(missing_docs)]

mod balance;
mod check;
pub mod codes;
mod currency;
mod daily_load;
mod dealers;
mod gap;
mod geo;
mod groups;
mod ids;
mod incoming;
mod index;
mod kpis;
mod ledger;
mod level;
mod limits;
mod live;
mod network;
mod node;
mod order;
mod partition;
mod policy;
mod positioning;
mod promise;
mod router;
mod versions;

pub use crate::geo::{chord_for_km, km_for_chord, LatLng, LatLngError, EARTH_RADIUS_KM};
pub use balance::Balance;
pub use check::{check, check_with_incoming, shipment_cost, OrderRules, ShipmentCheck, Violation};
pub use currency::{group_thousands, money_text, BadCurrency, Currency};
pub use daily_load::DailyLoad;
pub use dealers::{
    acceptance_timeout_s, expected_reject_cents, in_territory, outside_territory_cents, reject_ppm,
    reject_risk_cents, AcceptanceCounts, AcceptancePrior, DealerBook, Offer, OfferError, OfferId,
    OfferOutcomes, OfferState, OrderOffers, RejectReason, Standing,
};
pub use gap::{
    evaluate_assignment, solve_assignment, AssignOption, AssignmentProblem, AssignmentSolution,
    Infeasibility, ItemId, ModelError, ResourceId, SolveOptions,
};
pub use groups::{GroupChoice, GroupCondition, GroupFailure, GroupSelect, NodeGroup};
pub use ids::{Interner, NameKey, NodeIdx, SkuId, Skus};
pub use incoming::{IncomingLot, IncomingStock};
pub use index::SpatialIndex;
pub use kpis::{
    kpi_diff, reject_draw, replay_day, reroute_counts, Business, Day, DayError, KindFigures,
    KpiDiff, KpiInputs, KpiRow, Kpis, NodeBusiness, NodeLoad, OfferFigures, PromiseDays, Replay,
    ReplayedDay, RerouteCause, RerouteCounts, ReturnFlow, SaleEvent, SalesChannel, SalesFigures,
    NOT_AVAILABLE,
};
pub use ledger::{
    Delta, DeltaOutcome, Incoming, Inventory, InventoryError, Position, ReservationId, ReserveLine,
    SeqState, StockChange, StockOp, StockRow,
};
pub use level::{ServiceLevel, ServiceLevels};
pub use limits::{
    order_within_limits, MAX_MARGIN_BPS, MAX_MONEY_CENTS, MAX_ORDER_UNITS, MAX_PER_KM_CENTS,
    MAX_PRIORITY,
};
pub use live::{KeptTable, LiveStock, TrackedInventory, JOURNAL_POSITIONS};
pub use network::{Network, NetworkError};
pub use node::{Calendar, DealerTerms, Node, NodeCosts, NodeKind, UnknownNodeKind};
pub use order::{Order, OrderLine, SplitRule};
pub use partition::{route_partitioned, split, Cell, Grid, Part, PartitionError, Partitioned};
pub use policy::{
    Condition, CostTerms, DealerRules, IncomingRules, KindDefaults, LevelTerms, Overrides, Policy,
    Region, ReturnRules, Rule, Sla, SplitDefaults, TransitBand,
};
pub use positioning::{
    apply_moves, candidates, days_cost_cents, recommend_moves, PositionOptions, Positioning,
    ProvenMove, StockMove,
};
pub use promise::{
    days_late, deadline, order_date, promise, ready_at, transit_days, Promise, PromiseNode,
};
pub use router::{
    distance_cents, margin_cents, Candidate, CandidateOutcome, CostBreakdown, Decision, Event,
    LineSet, Load, Mode, OptimiseModel, OptimiseOptions, OptimisePhase, OptimiseProgress, Plan,
    PlanTotals, Reason, ReasonCounts, RerouteError, Rerouted, Router, Shipment, Speculation,
    StockTable, UnfilledLine, ALTERNATIVES, EXACT_MAX_LINES, POSTING_LIMIT, WALK_LIMIT,
};
pub use versions::{PolicyVersions, VersionError};
