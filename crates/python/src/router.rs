//! `Router` and `Plan`: route one order, a batch, or independent quotes, and check a plan. Each
//! call snapshots the ledger's routable positions into the core's `StockTable`, releases the GIL
//! and calls the core router.

use crate::decision::{Decision, PlanTotals, Violation};
use crate::errors::{guard, Failure};
use crate::model::{timestamp, Inventory, NetData, Order, Orders, OrdersData, Policy};
use crate::{pool, table};
use jiff::Timestamp;
use omniroute_core::{self as core, Load, StockTable};
use pyo3::prelude::*;
use rayon::prelude::*;
use std::sync::{Arc, OnceLock};

/// Routes orders over one network under one policy.
#[pyclass(frozen, module = "omniroute._omniroute")]
pub struct Router {
    net: Arc<NetData>,
    policy: Arc<core::Policy>,
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

    fn stock(&self, inventory: &Inventory) -> Result<StockTable, Failure> {
        self.same(&inventory.net, "inventory")?;
        let router = core::Router::new(&self.net.net, &self.policy);
        Ok(router.stock_table(inventory.ledger.routable_positions()))
    }

    fn orders(&self, orders: &OrdersData) -> Result<(), Failure> {
        self.same(&orders.net, "orders")?;
        if orders.levels != self.policy.levels {
            return Err(Failure::Usage(
                "the orders were read under another policy's service levels: pass the router's policy to Orders.from_csv/from_frame".into(),
            ));
        }
        Ok(())
    }
}

#[pymethods]
impl Router {
    /// A router for `network` under `policy` (the network must have been read with a policy that
    /// defines the same service levels).
    #[new]
    fn new(network: PyRef<'_, crate::model::Network>, policy: PyRef<'_, Policy>) -> PyResult<Self> {
        if network.data.levels != policy.inner.levels {
            return Err(Failure::Usage(
                "the network was read under another policy's service levels: pass this policy to Network.from_csv/from_frame".into(),
            )
            .into());
        }
        Ok(Router {
            net: network.data.clone(),
            policy: policy.inner.clone(),
        })
    }

    /// Routes one order against the inventory's routable stock (nothing is reserved).
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
            let stock = self.stock(inventory)?;
            let router = core::Router::new(&self.net.net, &self.policy);
            let d = router.route(order.get(), &stock, &Load::default(), now);
            Ok(Decision::new(&d, order.get(), &self.net))
        })
    }

    /// Routes a batch. `mode="sequential"`: in arrival order, each order against the stock and
    /// capacity left by the ones before (what an OMS does live). `mode="optimise"` raises
    /// `NotImplementedError` until the batch optimiser lands in the core.
    #[pyo3(signature = (orders, inventory, *, mode="sequential", now=None))]
    fn route_batch(
        &self,
        py: Python<'_>,
        orders: PyRef<'_, Orders>,
        inventory: PyRef<'_, Inventory>,
        mode: &str,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Plan> {
        match mode {
            "sequential" => {}
            "optimise" | "optimize" => {
                return Err(Failure::NotImplemented(
                    "mode=\"optimise\" needs the batch optimiser (DESIGN §5), which is not in omniroute-core yet; use mode=\"sequential\"".into(),
                )
                .into())
            }
            other => return Err(Failure::Usage(format!("mode must be \"sequential\" or \"optimise\", not {other:?}")).into()),
        }
        let now = timestamp(now)?;
        let (orders, inventory) = (orders.data.clone(), &*inventory);
        guard(py, || {
            self.orders(&orders)?;
            let stock = self.stock(inventory)?;
            let router = core::Router::new(&self.net.net, &self.policy);
            let plan = router.route_sequential(&orders.orders, &stock, now);
            Ok(Plan(Arc::new(PlanData {
                plan,
                orders,
                stock,
                policy: self.policy.clone(),
                now,
                table: OnceLock::new(),
            })))
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
            let stock = self.stock(inventory)?;
            let router = core::Router::new(&self.net.net, &self.policy);
            let one = |o: &core::Order| {
                Decision::new(
                    &router.route(o, &stock, &Load::default(), now),
                    o,
                    &self.net,
                )
            };
            Ok(match pool::get().map_err(Failure::Usage)? {
                Some(pool) => pool.install(|| orders.orders.par_iter().map(one).collect()),
                None => orders.orders.iter().map(one).collect(),
            })
        })
    }

    /// Re-routing after events (node down, dealer rejected, stock corrected) is not in
    /// omniroute-core yet (DESIGN §5): raises `NotImplementedError`.
    #[pyo3(signature = (plan, events))]
    fn reroute(&self, plan: PyRef<'_, Plan>, events: &Bound<'_, PyAny>) -> PyResult<Plan> {
        let _ = (plan, events);
        Err(Failure::NotImplemented(
            "reroute needs the core's re-routing (DESIGN §5), which is not built yet".into(),
        )
        .into())
    }

    fn __repr__(&self) -> String {
        format!("Router({} nodes)", self.net.net.len())
    }
}

/// A routed batch and what it was routed against (for `check`).
pub struct PlanData {
    plan: core::Plan,
    orders: Arc<OrdersData>,
    stock: StockTable,
    policy: Arc<core::Policy>,
    now: Timestamp,
    table: OnceLock<Py<PyAny>>,
}

/// The result of `Router.route_batch`.
#[pyclass(frozen, module = "omniroute._omniroute")]
pub struct Plan(Arc<PlanData>);

#[pymethods]
impl Plan {
    /// One row per order line with decisions.csv's columns, as a `pyarrow.Table`.
    #[getter]
    fn decisions(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if let Some(t) = self.0.table.get() {
            return Ok(t.clone_ref(py));
        }
        let data = &self.0;
        let batch = guard(py, || {
            table::decisions(&data.plan, &data.orders.orders, &data.orders.net)
                .map_err(|e| Failure::Panic(e.to_string()))
        })?;
        let t = pyo3_arrow::PyTable::try_new(vec![batch], table::schema())?
            .into_pyarrow(py)?
            .unbind();
        Ok(self.0.table.get_or_init(|| t).clone_ref(py))
    }

    /// Totals: cost, distance, orders, fill rate, shipments, splits.
    #[getter]
    fn totals(&self) -> PlanTotals {
        (&self.0.plan.totals).into()
    }

    /// The optimality gap: `None` for a sequential plan (no lower bound is computed).
    #[getter]
    fn gap(&self) -> Option<f64> {
        None
    }

    /// `"sequential"`.
    #[getter]
    fn mode(&self) -> &'static str {
        "sequential"
    }

    /// The typed decision of one order, by position or order id.
    fn decision(&self, key: &Bound<'_, PyAny>) -> PyResult<Decision> {
        let data = &self.0;
        let i = if let Ok(i) = key.extract::<usize>() {
            Some(i)
        } else {
            let id: String = key.extract()?;
            data.orders.orders.iter().position(|o| o.id == id)
        };
        i.filter(|&i| i < data.orders.orders.len())
            .map(|i| {
                Decision::new(
                    &data.plan.decisions[i],
                    &data.orders.orders[i],
                    &data.orders.net,
                )
            })
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(key.clone().unbind()))
    }

    /// Re-checks the plan from scratch with the independent checker; `[]` when it is feasible
    /// and every cost is right.
    fn check(&self, py: Python<'_>) -> PyResult<Vec<Violation>> {
        let d = &self.0;
        guard(py, || {
            let v = core::check(
                &d.plan,
                &d.orders.orders,
                &d.orders.net.net,
                &d.policy,
                &d.stock,
                d.now,
            );
            Ok(v.iter()
                .map(|v| Violation::new(v, &d.orders.orders))
                .collect())
        })
    }

    fn __len__(&self) -> usize {
        self.0.plan.decisions.len()
    }

    fn __repr__(&self) -> String {
        let t = &self.0.plan.totals;
        format!(
            "Plan(orders={}, cost_cents={}, fill_rate={:.4})",
            t.orders,
            t.cost_cents,
            t.fill_rate()
        )
    }
}
