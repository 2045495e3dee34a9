//! `Inventory`: the live ledger of a network (`core::TrackedInventory`, whose journal lets every
//! `Router` keep its stock table in step).

use super::network::{NetData, Network};
use super::{source, timestamp};
use crate::errors::{guard, Failure};
use omniroute_adapters::{read_stock_rows, Stock, TableInput};
use omniroute_core as core;
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// The live inventory ledger of a network: on hand, reservations with TTL, safety stock. Its
/// journal of touched positions lets every `Router` keep its stock table in step with it.
#[pyclass(frozen, module = "omniroute._omniroute")]
pub struct Inventory {
    pub net: Arc<NetData>,
    pub ledger: Arc<core::TrackedInventory>,
    /// stock.csv's `incoming_qty` / `incoming_date`: what `Router.route_batch` may promise from
    /// when the policy's `[incoming] promise` is on (the ledger's operations do not change it).
    pub incoming: Arc<core::IncomingStock>,
}

impl Inventory {
    /// The ledger of `stock`'s rows and its incoming units.
    pub(super) fn from_stock(net: Arc<NetData>, stock: &Stock) -> Self {
        let ledger = core::TrackedInventory::new(stock.rows().iter().copied());
        let incoming = core::IncomingStock::from_positions(stock.incoming());
        Inventory {
            net,
            ledger: Arc::new(ledger),
            incoming: Arc::new(incoming),
        }
    }

    fn read(py: Python<'_>, src: TableInput, network: &Network) -> PyResult<Self> {
        let net = network.data.clone();
        guard(py, move || {
            let mut skus = net.skus_mut();
            let stock = read_stock_rows(&src, &net.net, &mut skus)?;
            drop(skus);
            Ok(Inventory::from_stock(net, &stock.value))
        })
    }

    fn line(&self, node_id: &str, sku: &str, qty: u32) -> Result<core::ReserveLine, Failure> {
        Ok(core::ReserveLine {
            node: self.net.node(node_id)?,
            sku: self.net.sku(sku)?,
            qty,
        })
    }
}

#[pymethods]
impl Inventory {
    /// Reads stock.csv for the nodes of `network`.
    #[staticmethod]
    fn from_csv(py: Python<'_>, path: PathBuf, network: PyRef<'_, Network>) -> PyResult<Self> {
        Inventory::read(py, source(py, Some(path), None, "")?, &network)
    }

    /// Reads stock rows from any Arrow table with stock.csv's columns.
    #[staticmethod]
    #[pyo3(signature = (table, network, name="<stock frame>"))]
    fn from_frame(
        py: Python<'_>,
        table: &Bound<'_, PyAny>,
        network: PyRef<'_, Network>,
        name: &str,
    ) -> PyResult<Self> {
        Inventory::read(py, source(py, None, Some(table), name)?, &network)
    }

    /// Units of `sku` the router may use at `node_id` (on hand − reserved − safety stock).
    fn routable(&self, node_id: &str, sku: &str) -> PyResult<u32> {
        let node = self.net.node(node_id)?;
        Ok(self
            .net
            .sku(sku)
            .map_or(0, |s| self.ledger.routable(node, s)))
    }

    /// Holds every line `(node_id, sku, qty)` of reservation `reservation_id` atomically, for
    /// `ttl_seconds` from `now` (reservations expired by `now` are released first); raises
    /// `InventoryError` (E3003 short, E3004 duplicate id).
    #[pyo3(signature = (reservation_id, lines, *, ttl_seconds, now=None))]
    fn reserve(
        &self,
        py: Python<'_>,
        reservation_id: u64,
        lines: Vec<(String, String, u32)>,
        ttl_seconds: f64,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let now = timestamp(now)?;
        let lines = lines
            .iter()
            .map(|(n, s, q)| self.line(n, s, *q))
            .collect::<Result<Vec<_>, _>>()?;
        let ttl = jiff::SignedDuration::try_from_secs_f64(ttl_seconds)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("ttl_seconds: {e}")))?;
        guard(py, || {
            self.ledger.expire(now);
            self.ledger
                .reserve(core::ReservationId(reservation_id), &lines, now, ttl)
                .map_err(|e| self.net.refused(&e))
        })
    }

    /// Releases every reservation expired at `now` (default: the current time) and returns
    /// their ids, sorted. `reserve` and the router's calls do this at their own `now` first,
    /// so an expired reservation never holds stock they see.
    #[pyo3(signature = (*, now=None))]
    fn expire(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<u64>> {
        let now = timestamp(now)?;
        let ids = guard(py, || Ok(self.ledger.expire(now)))?;
        Ok(ids.into_iter().map(|id| id.0).collect())
    }

    /// Ships a live reservation: on hand goes down. Raises `InventoryError` (E3005 unknown,
    /// E3006 expired, E3007 short).
    #[pyo3(signature = (reservation_id, *, now=None))]
    fn commit(
        &self,
        py: Python<'_>,
        reservation_id: u64,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let now = timestamp(now)?;
        guard(py, || {
            self.ledger
                .commit(core::ReservationId(reservation_id), now)
                .map_err(|e| self.net.refused(&e))
        })
    }

    /// Gives a live reservation's units back. Raises `InventoryError` (E3005) if it is not live.
    fn release(&self, py: Python<'_>, reservation_id: u64) -> PyResult<()> {
        guard(py, || {
            Ok(self.ledger.release(core::ReservationId(reservation_id))?)
        })
    }

    /// Applies a stock change with its per-node sequence number; returns `"applied"`,
    /// `"duplicate"` or `"gap"` (a gap is applied and reported).
    fn apply_delta(
        &self,
        py: Python<'_>,
        node_id: &str,
        seq: u64,
        sku: &str,
        change: i64,
    ) -> PyResult<&'static str> {
        let (node, sku) = (self.net.node(node_id)?, self.net.sku(sku)?);
        let out = guard(py, || {
            self.ledger
                .apply_delta(core::Delta {
                    node,
                    seq,
                    sku,
                    change,
                })
                .map_err(|e| self.net.refused(&e))
        })?;
        Ok(match out {
            core::DeltaOutcome::Applied => "applied",
            core::DeltaOutcome::Duplicate => "duplicate",
            core::DeltaOutcome::Gap { .. } => "gap",
        })
    }

    /// A return: `qty` units back on hand at `node_id` at once.
    fn return_units(&self, py: Python<'_>, node_id: &str, sku: &str, qty: u32) -> PyResult<()> {
        let (node, sku) = (self.net.node(node_id)?, self.net.sku(sku)?);
        guard(py, || {
            self.ledger
                .return_units(node, sku, qty)
                .map_err(|e| self.net.refused(&e))
        })
    }

    /// Number of live reservations.
    #[getter]
    fn live_reservations(&self) -> usize {
        self.ledger.live_reservations()
    }

    fn __repr__(&self) -> String {
        format!("Inventory({} positions)", self.ledger.positions().len())
    }
}
