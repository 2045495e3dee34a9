//! Several days of orders and their events, loaded once for replays (`simulate`, `position`).
//!
//! Every day is read with the same nodes, stock and policy files; the first day's network,
//! policy and stock are the replay's (the stock of a later day is what the day before left, so
//! its `--stock` rows are only validated). Each day's SKUs are matched by name into one table,
//! so stock carries from day to day and a move names one SKU across the days.

use crate::failure::Failure;
use crate::inputs::{load, print_reroute_error, read_events_file, Files};
use crate::Global;
use jiff::Timestamp;
use omniroute_adapters::{Inputs, Source};
use omniroute_core::codes::ReportCode;
use omniroute_core::{
    Day, DayError, Event, Kpis, Order, Plan, Replay, ReplayedDay, Router, SkuId, Skus, StockTable,
};

/// The flags of replayed days, shared by `simulate` and `position`.
#[derive(Debug, Clone, clap::Args)]
pub struct DaysArgs {
    /// The nodes, stock and policy files.
    #[command(flatten)]
    pub files: Files,
    /// Orders file of one day (orders.csv or .parquet); repeat for several days, in order.
    #[arg(long, value_name = "FILE", required = true)]
    pub orders: Vec<String>,
    /// Events file (NDJSON) of the day of the same position; repeat (fewer than days: the later
    /// days have none).
    #[arg(long, value_name = "FILE")]
    pub events: Vec<String>,
    /// Draw dealer rejects from this seed (docs/kpis.md); printed with the figures.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Reference time for orders without `created_at` (RFC 3339) [default: the current time].
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

impl DaysArgs {
    /// `--now` (the clock without it), after refusing more events files than days (`E8010`)
    /// and, before any work, two inputs on stdin or an `out` that is an input.
    pub fn check<'a>(
        &'a self,
        more: impl IntoIterator<Item = &'a str>,
        out: Option<&std::path::Path>,
    ) -> anyhow::Result<Timestamp> {
        let now = crate::inputs::now(self.now.as_deref())?;
        check_events_count(self.events.len(), self.orders.len())?;
        let days = self.orders.iter().chain(&self.events).map(String::as_str);
        crate::inputs::check_paths(self.files.paths().chain(more).chain(days), out)?;
        Ok(now)
    }
}

/// One loaded day.
struct Loaded {
    /// The day's own inputs (names for its problems).
    inputs: Inputs,
    /// Its orders, SKUs in the shared table.
    orders: Vec<Order>,
    /// Its events, SKUs in the shared table.
    events: Vec<Event>,
    /// The events file, to place a refusal.
    src: Option<Source>,
}

/// The days of a replay under one policy.
pub struct Days {
    loaded: Vec<Loaded>,
    /// Every SKU of every day.
    pub skus: Skus,
    /// The router of the policy (over the first day's network).
    pub router: Router,
    /// The first day's starting stock.
    pub start: StockTable,
}

/// `E8010` when there are more events files than days.
fn check_events_count(events: usize, orders: usize) -> anyhow::Result<()> {
    if events > orders {
        return Err(Failure::new(
            ReportCode::TooManyEvents.id(),
            format!(
                "{events} --events files for {orders} --orders files: each events file belongs to the day of the same position"
            ),
            "give one --orders file per day, in order, and at most one --events file per day",
        )
        .into());
    }
    Ok(())
}

impl Days {
    /// Loads every day (`orders[i]` with `events[i]`, if any) under the policy of `files`;
    /// `None` after printing an input's problems.
    pub fn load(
        files: &Files,
        orders: &[String],
        events: &[String],
        global: Global,
        now: Timestamp,
    ) -> anyhow::Result<Option<Days>> {
        let mut days: Vec<Loaded> = Vec::new();
        let mut skus = Skus::default();
        for (i, path) in orders.iter().enumerate() {
            let inputs = load(files, Some(path), global, now)?;
            let (src, mut day_events) = match events.get(i) {
                None => (None, Vec::new()),
                Some(p) => match read_events_file(p, &inputs)? {
                    None => return Ok(None),
                    Some((src, ev)) => (Some(src), ev),
                },
            };
            let map: Vec<SkuId> = (0..inputs.skus.len())
                .map(|s| skus.intern(inputs.skus.name(SkuId(s as u32))))
                .collect();
            let mut day_orders = inputs.orders.clone();
            for line in day_orders.iter_mut().flat_map(|o| &mut o.lines) {
                line.sku = map[line.sku.0 as usize];
            }
            for e in &mut day_events {
                if let Event::StockCorrection { sku, .. } | Event::StockArrival { sku, .. } = e {
                    *sku = map[sku.0 as usize];
                }
            }
            days.push(Loaded {
                inputs,
                orders: day_orders,
                events: day_events,
                src,
            });
        }
        let Some(first) = days.first() else {
            return Ok(None);
        };
        let router = Router::versioned(
            first.inputs.network.clone(),
            &first.inputs.policies.versions,
        );
        // The first day's SKU ids are the shared table's (interned first, in order).
        let start = router.stock_table(first.inputs.routable_positions());
        Ok(Some(Days {
            loaded: days,
            skus,
            router,
            start,
        }))
    }

    /// The days as the core replays them.
    pub fn list(&self) -> Vec<Day<'_>> {
        self.loaded
            .iter()
            .map(|d| Day {
                orders: &d.orders,
                events: &d.events,
            })
            .collect()
    }

    /// The first day's inputs (network, policy files).
    pub fn first(&self) -> &Inputs {
        &self.loaded[0].inputs
    }

    /// A replay of these days at `now`, with dealer rejects drawn from `seed`.
    pub fn replay(&self, now: Timestamp, seed: Option<u64>) -> Replay<'_> {
        Replay {
            router: &self.router,
            now,
            reject_seed: seed,
        }
    }

    /// Prints a day's refused event, placed on its line of the day's events file.
    pub fn print_error(&self, e: &DayError) {
        let day = &self.loaded[e.day];
        // Only a day with events can be refused.
        if let Some(src) = &day.src {
            print_reroute_error(&e.source, src, &day.inputs);
        }
    }

    /// Every day's orders in one list, in order.
    pub fn all_orders(&self) -> Vec<Order> {
        self.loaded.iter().flat_map(|d| d.orders.clone()).collect()
    }

    /// The figures of the replayed days added up (`Replay::kpis`).
    pub fn kpis(&self, replayed: &[ReplayedDay], start: &StockTable, now: Timestamp) -> Kpis {
        self.replay(now, None).kpis(&self.list(), replayed, start)
    }

    /// Every replayed day's decisions in one plan over [`Days::all_orders`].
    pub fn plan(&self, replayed: &[ReplayedDay]) -> Plan {
        Replay::plan(&self.list(), replayed)
    }
}
