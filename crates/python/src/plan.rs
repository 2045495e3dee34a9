//! `Plan`: a routed batch with what it was routed against (orders, starting stock, policies,
//! reference time), for `decisions`, `check`, `reroute` and the KPIs.

use crate::decision::{Decision, PlanTotals, Violation};
use crate::errors::{guard, Failure};
use crate::model::OrdersData;
use crate::table;
use jiff::Timestamp;
use omniroute_adapters::Policies;
use omniroute_core::{self as core, StockTable};
use pyo3::prelude::*;
use std::sync::{Arc, OnceLock};

/// The stock a plan started from.
pub(crate) struct Stock {
    /// As the router saw it (after the policy's safety stock): what `reroute` starts from.
    pub table: StockTable,
    /// Before the policy's safety stock, which the checker holds back itself.
    pub raw: StockTable,
    /// The inventory's incoming units the plan may have promised from (and `check` counts).
    pub incoming: Arc<core::IncomingStock>,
}

/// A routed batch and what it was routed against (for `check` and `reroute`).
pub struct PlanData {
    pub(crate) plan: core::Plan,
    pub(crate) orders: Arc<OrdersData>,
    pub(crate) stock: Stock,
    pub(crate) policies: Arc<Policies>,
    pub(crate) now: Timestamp,
    pub(crate) mode: &'static str,
    pub(crate) table: OnceLock<Py<PyAny>>,
}

impl PlanData {
    /// The policy's currency (every version names the same one).
    pub(crate) fn currency(&self) -> Option<omniroute_core::Currency> {
        self.policies.versions.earliest().currency
    }
}

/// The result of `Router.route_batch` (and `Rerouted.plan`).
#[pyclass(frozen, module = "omniroute._omniroute")]
pub struct Plan(pub(crate) Arc<PlanData>);

impl Plan {
    pub(crate) fn new(
        plan: core::Plan,
        orders: Arc<OrdersData>,
        stock: Stock,
        policies: Arc<Policies>,
        now: Timestamp,
        mode: &'static str,
    ) -> Self {
        Plan(Arc::new(PlanData {
            plan,
            orders,
            stock,
            policies,
            now,
            mode,
            table: OnceLock::new(),
        }))
    }

    pub fn core(&self) -> &core::Plan {
        &self.0.plan
    }

    /// The plan and what it was routed from: orders, starting stock, policies, reference time.
    pub fn parts(&self) -> (&core::Plan, &OrdersData, &StockTable, &Policies, Timestamp) {
        let d = &self.0;
        // The KPIs read the stock as the router saw it (the CLI's report does the same).
        (&d.plan, &d.orders, &d.stock.table, &d.policies, d.now)
    }
}

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
        PlanTotals::new(&self.0.plan.totals, self.0.currency())
    }

    /// A proven lower bound on the cost of any plan for the batch, cents: optimise mode only
    /// (`None` for sequential and rerouted plans).
    #[getter]
    fn bound_cents(&self) -> Option<i64> {
        self.0.plan.bound_cents
    }

    /// The optimality gap `(cost − bound) / cost`, `None` without a bound.
    #[getter]
    fn gap(&self) -> Option<f64> {
        self.0.plan.gap()
    }

    /// `"sequential"`, `"optimise"` or `"rerouted"`.
    #[getter]
    fn mode(&self) -> &'static str {
        self.0.mode
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
                    data.currency(),
                )
            })
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(key.clone().unbind()))
    }

    /// Re-checks the plan from scratch with the independent checker; `[]` when it is feasible
    /// and every cost is right.
    fn check(&self, py: Python<'_>) -> PyResult<Vec<Violation>> {
        let d = &self.0;
        guard(py, || {
            let v = core::check_with_incoming(
                &d.plan,
                &d.orders.orders,
                &d.orders.net.net,
                &d.policies.versions,
                &d.stock.raw,
                &d.stock.incoming,
                d.now,
            );
            Ok(v.iter()
                .map(|v| Violation::new(v, &d.orders.orders, &d.orders.net.skus()))
                .collect())
        })
    }

    fn __len__(&self) -> usize {
        self.0.plan.decisions.len()
    }

    fn __repr__(&self) -> String {
        let t = PlanTotals::new(&self.0.plan.totals, self.0.currency());
        format!(
            "Plan(orders={}, cost_cents={}, fill_rate={:.4})",
            self.0.plan.totals.orders,
            t.cost_text(),
            self.0.plan.totals.fill_rate()
        )
    }
}
