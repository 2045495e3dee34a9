//! `Router` and `Plan`: route one order, a batch (sequential or optimised), independent quotes,
//! re-route a plan after events, and check a plan. A `Router` builds the core router once and
//! keeps its stock table in step with the `Inventory` it routes against (`core::KeptTable`:
//! only the positions touched since its last call are re-read); a batch routes against its own
//! snapshot of the ledger. Calls release the GIL; parallel work runs on the
//! `OMNIROUTE_NUM_THREADS` pool (`pool.rs`).

use crate::decision::Decision;
use crate::errors::{guard, interruptible, Failure};
use crate::model::{timestamp, Inventory, NetData, Order, Orders, OrdersData, Policy};
use crate::plan::{Plan, Stock};
use crate::pool;
use crate::reroute::{self, Rerouted};
use jiff::Timestamp;
use omniroute_adapters::{reroute_problem, Policies, PolicyFile};
use omniroute_core::{self as core, KeptTable, Load, StockTable};
use pyo3::prelude::*;
use rayon::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// Routes orders over one network under one policy, or under policy versions (each order under
/// the version of its `created_at`).
#[pyclass(frozen, module = "omniroute._omniroute")]
pub struct Router {
    net: Arc<NetData>,
    policies: Arc<Policies>,
    /// The core router over the policy versions, built once, and its table of the inventory
    /// last routed against.
    kept: KeptTable,
}

impl Router {
    fn same(&self, net: &Arc<NetData>, what: &str) -> Result<(), Failure> {
        if Arc::ptr_eq(&self.net, net) {
            Ok(())
        } else {
            Err(Failure::Usage(format!(
                "the {what} belong to another network than the router's"
            )))
        }
    }

    /// Runs `f` with the core router and its kept table of the inventory's routable stock at
    /// `now`: reservations expired by then are released first, so they hold nothing.
    fn with_stock<T>(
        &self,
        inventory: &Inventory,
        now: Timestamp,
        f: impl FnOnce(&core::Router, &StockTable) -> T,
    ) -> Result<T, Failure> {
        self.same(&inventory.net, "inventory")?;
        inventory.ledger.expire(now);
        Ok(self
            .kept
            .with_table(&inventory.ledger, |table| f(self.core(), table)))
    }

    /// A snapshot of the inventory at `now` (expired reservations released first) for a batch:
    /// the router's table, and the routable units before the policy's safety stock, which the
    /// checker holds back itself.
    fn snapshot(
        &self,
        router: &core::Router,
        inventory: &Inventory,
        now: Timestamp,
    ) -> Result<(StockTable, StockTable), Failure> {
        self.same(&inventory.net, "inventory")?;
        inventory.ledger.expire(now);
        let positions = inventory.ledger.routable_positions();
        let table = router.stock_table(positions.iter().copied());
        Ok((table, StockTable::from_positions(positions)))
    }

    /// The policy's currency (every version names the same one).
    fn currency(&self) -> Option<core::Currency> {
        self.policies.versions.earliest().currency
    }

    /// The core router over the policy versions.
    fn core(&self) -> &Arc<core::Router> {
        self.kept.router()
    }

    fn orders(&self, orders: &OrdersData) -> Result<(), Failure> {
        self.same(&orders.net, "orders")?;
        if orders.levels != *self.policies.versions.levels() {
            return Err(Failure::Usage(
                "the orders were read under another policy's service levels: pass the router's policy to Orders.from_csv/from_frame".into(),
            ));
        }
        Ok(())
    }

    /// `E2019` (a `PolicyError`) when a policy version applies to none of the orders at their
    /// `created_at` (at `now` without one).
    fn in_effect(
        &self,
        orders: &[core::Order],
        places: &omniroute_adapters::OrderPlaces,
        now: Timestamp,
    ) -> Result<(), Failure> {
        Ok(self.policies.check_order_times(orders, places, Some(now))?)
    }
}

/// One policy, or a non-empty sequence of policies (one per version).
fn policy_files(policy: &Bound<'_, PyAny>) -> PyResult<Vec<Arc<PolicyFile>>> {
    if let Ok(one) = policy.cast::<Policy>() {
        return Ok(vec![one.get().file.clone()]);
    }
    let files: Vec<Arc<PolicyFile>> = policy
        .try_iter()
        .map_err(|_| {
            pyo3::exceptions::PyTypeError::new_err("policy must be a Policy or a list of Policy")
        })?
        .map(|p| Ok(p?.cast::<Policy>()?.get().file.clone()))
        .collect::<PyResult<_>>()?;
    if files.is_empty() {
        return Err(Failure::Usage(
            "the list of policies is empty: pass at least one Policy".into(),
        )
        .into());
    }
    Ok(files)
}

#[pymethods]
impl Router {
    /// A router for `network` under `policy`: one `Policy`, or a non-empty list of policy
    /// versions (each order is routed under the one with the latest `effective_from` at or
    /// before its `created_at`; `PolicyError` E2016–E2018 when they cannot be versions of one
    /// policy, `ValueError` when the list is empty). The network must have been read with a
    /// policy that defines the same service levels.
    #[new]
    fn new(
        py: Python<'_>,
        network: PyRef<'_, crate::model::Network>,
        policy: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let files = policy_files(policy)?;
        let policies = guard(py, move || {
            let files: Vec<PolicyFile> = files.iter().map(|f| (**f).clone()).collect();
            Ok(Policies::new(&files)?)
        })?;
        if network.data.levels != *policies.versions.levels() {
            return Err(Failure::Usage(
                "the network was read under another policy's service levels: pass this policy to Network.from_csv/from_frame".into(),
            )
            .into());
        }
        let router = core::Router::versioned(network.data.net.clone(), &policies.versions);
        Ok(Router {
            net: network.data.clone(),
            policies: Arc::new(policies),
            kept: KeptTable::new(router),
        })
    }

    /// Routes one order against the inventory's routable stock (nothing is reserved), under the
    /// policy version of its `created_at` (or `now`).
    #[pyo3(signature = (order, inventory, *, now=None))]
    fn route(
        &self,
        py: Python<'_>,
        order: PyRef<'_, Order>,
        inventory: PyRef<'_, Inventory>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Decision> {
        let now = timestamp(now)?;
        let (order, inventory) = (&*order, &*inventory);
        guard(py, || {
            self.orders(&order.data)?;
            if self.policies.versions.starts().is_some() {
                // Only versions that start somewhere can miss the order (and need its place).
                let place = order.data.place(order.index);
                self.in_effect(std::slice::from_ref(order.get()), &place, now)?;
            }
            let d = self.with_stock(inventory, now, |router, stock| {
                router.route(order.get(), stock, &Load::default(), now)
            })?;
            Ok(Decision::new(&d, order.get(), &self.net, self.currency()))
        })
    }

    /// Routes a batch on the `OMNIROUTE_NUM_THREADS` pool. `mode="sequential"`: in arrival
    /// order, each order against the stock and capacity left by the ones before (what an OMS does
    /// live; the parallel run is identical to one thread). `mode="optimise"`: one plan for the
    /// whole batch, never costlier than the sequential one, with a proven lower bound
    /// (`bound_cents`, `gap`); `time_limit` seconds of search, `seed`, and `iterations` (moves per
    /// search run: set it for the same plan on any machine).
    #[pyo3(signature = (orders, inventory, *, mode="sequential", now=None, time_limit=10.0, seed=0, iterations=None))]
    #[allow(clippy::too_many_arguments)]
    fn route_batch(
        &self,
        py: Python<'_>,
        orders: PyRef<'_, Orders>,
        inventory: PyRef<'_, Inventory>,
        mode: &str,
        now: Option<&Bound<'_, PyAny>>,
        time_limit: f64,
        seed: u64,
        iterations: Option<u64>,
    ) -> PyResult<Plan> {
        let optimise = match mode {
            "sequential" => false,
            "optimise" | "optimize" => true,
            other => {
                return Err(Failure::Usage(format!(
                    "mode must be \"sequential\" or \"optimise\", not {other:?}"
                ))
                .into())
            }
        };
        let time_limit = Duration::try_from_secs_f64(time_limit).map_err(|_| {
            Failure::Usage(format!(
                "time_limit must be a number of seconds ≥ 0, not {time_limit}"
            ))
        })?;
        let now = timestamp(now)?;
        let (orders, inventory) = (orders.data.clone(), &*inventory);
        let incoming = Arc::clone(&inventory.incoming);
        let (pool, router, stock, raw) = guard(py, || {
            self.orders(&orders)?;
            self.in_effect(&orders.orders, &orders.places, now)?;
            let pool = pool::get().map_err(Failure::Usage)?;
            let router = if pool.is_some() {
                Arc::clone(self.core())
            } else {
                Arc::new((**self.core()).clone().parallel(false))
            };
            let (stock, raw) = self.snapshot(&router, inventory, now)?;
            Ok((pool, router, stock, raw))
        })?;
        let policies = self.policies.clone();
        interruptible(py, move || {
            let mode = if optimise {
                core::Mode::Optimise(core::OptimiseOptions {
                    time_limit,
                    iteration_limit: iterations,
                    started: None,
                    seed,
                    single_thread: pool.as_ref().is_none_or(|p| p.current_num_threads() == 1),
                })
            } else {
                core::Mode::Sequential
            };
            let run = || router.route_batch(&orders.orders, &stock, now, &mode);
            // Inside our pool, never rayon's global one (which a forked child cannot use).
            let plan = match &pool {
                Some(pool) => pool.install(run),
                None => run(),
            };
            // Lines stock on hand left unfilled, promised from incoming stock (`[incoming]
            // promise`), as `omniroute route` does.
            let plan = router.promise_incoming(&orders.orders, plan, &incoming, now);
            let mode = if optimise { "optimise" } else { "sequential" };
            let stock = Stock {
                table: stock,
                raw,
                incoming,
            };
            Ok(Plan::new(plan, orders, stock, policies.clone(), now, mode))
        })
    }

    /// Quotes every order independently against the same stock (nothing is taken between
    /// orders), in parallel on `OMNIROUTE_NUM_THREADS` threads; decisions in input order.
    #[pyo3(signature = (orders, inventory, *, now=None))]
    fn quote(
        &self,
        py: Python<'_>,
        orders: PyRef<'_, Orders>,
        inventory: PyRef<'_, Inventory>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<Decision>> {
        let now = timestamp(now)?;
        let (orders, inventory) = (&*orders.data, &*inventory);
        guard(py, || {
            self.orders(orders)?;
            self.in_effect(&orders.orders, &orders.places, now)?;
            let pool = pool::get().map_err(Failure::Usage)?;
            self.with_stock(inventory, now, |router, stock| {
                let one = |o: &core::Order| {
                    let d = router.route(o, stock, &Load::default(), now);
                    Decision::new(&d, o, &self.net, self.currency())
                };
                match pool {
                    Some(pool) => pool.install(|| orders.orders.par_iter().map(one).collect()),
                    None => orders.orders.iter().map(one).collect(),
                }
            })
        })
    }

    /// Applies `events` (dicts as in events.ndjson, `docs/formats.md`) to `plan`, in order,
    /// moving only the orders that must move (or can gain); every other order keeps its decision.
    /// `now`: the reference time of the orders routed again (`None`: the plan's).
    #[pyo3(signature = (plan, events, *, now=None))]
    fn reroute(
        &self,
        py: Python<'_>,
        plan: PyRef<'_, Plan>,
        events: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Rerouted> {
        let data = plan.0.clone();
        self.orders(&data.orders)?;
        if !Arc::ptr_eq(&data.policies, &self.policies)
            && data.policies.versions != self.policies.versions
        {
            return Err(Failure::Usage(
                "the plan was routed under another policy than the router's".into(),
            )
            .into());
        }
        let now = match now {
            None => data.now,
            Some(_) => timestamp(now)?,
        };
        let events = reroute::read(py, events, &data.orders, &self.net)?;
        guard(py, || {
            self.in_effect(&data.orders.orders, &data.orders.places, now)
        })?;
        let (router, data_in) = (Arc::clone(self.core()), data.clone());
        let r = interruptible(py, move || {
            let data = data_in;
            let orders = &data.orders.orders;
            let r = router
                .reroute(
                    orders,
                    &data.plan,
                    &data.stock.table,
                    &data.stock.incoming,
                    &events,
                    now,
                )
                .map_err(|e| {
                    let line = e.event() as u64 + 1;
                    reroute_problem(&e, "<events>", line, orders, router.network())
                })?;
            let raw = router.raw_stock_after(&data.stock.raw, &events, &r.stock);
            Ok((r, raw))
        });
        let (r, raw) = r?;
        let stock = Stock {
            table: r.stock,
            raw,
            incoming: Arc::clone(&data.stock.incoming),
        };
        let plan = Plan::new(
            r.plan,
            data.orders.clone(),
            stock,
            self.policies.clone(),
            now,
            "rerouted",
        );
        Rerouted::new(py, plan, &r.before, &r.moved, &r.review, &data.orders)
    }

    fn __repr__(&self) -> String {
        match self.policies.versions.len() {
            1 => format!("Router({} nodes)", self.net.net.len()),
            n => format!("Router({} nodes, {n} policy versions)", self.net.net.len()),
        }
    }
}
