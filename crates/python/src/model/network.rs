//! `Network`: the fulfilment nodes, and `NetData`, what every object of one network shares (the
//! nodes, the service levels and the SKU names).

use super::policy::{levels, Policy};
use super::source;
use crate::errors::{guard, Failure};
use omniroute_adapters::{read_nodes_input, TableInput};
use omniroute_core::{self as core, NodeIdx, ServiceLevels, SkuId, Skus};
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// A network with the service levels it was read under and the SKU names of its stock and orders.
pub struct NetData {
    pub net: Arc<core::Network>,
    pub levels: ServiceLevels,
    pub skus: RwLock<Skus>,
}

impl NetData {
    pub fn node(&self, id: &str) -> Result<NodeIdx, Failure> {
        self.net
            .find(id)
            .ok_or_else(|| Failure::Usage(format!("unknown node {id:?}")))
    }

    pub fn sku(&self, sku: &str) -> Result<SkuId, Failure> {
        self.skus
            .read()
            .map_err(|_| Failure::Panic("the SKU table lock is poisoned".into()))?
            .get(sku)
            .ok_or_else(|| Failure::Usage(format!("unknown sku {sku:?}")))
    }

    /// A refused inventory event as a failure whose message names nodes and SKUs by id.
    pub fn refused(&self, e: &core::InventoryError) -> Failure {
        let skus = self.skus();
        Failure::Inventory {
            code: e.code(),
            message: omniroute_adapters::refusal_message(e, &self.net, &skus),
        }
    }

    pub fn skus(&self) -> std::sync::RwLockReadGuard<'_, Skus> {
        self.skus
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn skus_mut(&self) -> std::sync::RwLockWriteGuard<'_, Skus> {
        self.skus
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The fulfilment nodes (nodes.csv).
#[pyclass(frozen, module = "omniroute._omniroute")]
pub struct Network {
    pub data: Arc<NetData>,
}

impl Network {
    fn read(py: Python<'_>, src: TableInput, levels: ServiceLevels) -> PyResult<Self> {
        let net = guard(py, move || {
            read_nodes_input(&src, &levels)
                .map(|l| (l.value, levels))
                .map_err(Failure::from)
        })?;
        Ok(Network {
            data: Arc::new(NetData {
                net: Arc::new(net.0),
                levels: net.1,
                skus: RwLock::default(),
            }),
        })
    }
}

#[pymethods]
impl Network {
    /// Reads nodes.csv. `policy` names the service levels its `max_km_<level>` columns may use
    /// (the default policy's when `None`); route with a policy that has the same levels.
    #[staticmethod]
    #[pyo3(signature = (path, policy=None))]
    fn from_csv(
        py: Python<'_>,
        path: PathBuf,
        policy: Option<PyRef<'_, Policy>>,
    ) -> PyResult<Self> {
        let levels = levels(policy);
        Network::read(py, source(py, Some(path), None, "")?, levels)
    }

    /// Reads the nodes from any Arrow table (pyarrow, polars, pandas) with nodes.csv's columns.
    #[staticmethod]
    #[pyo3(signature = (table, policy=None, name="<nodes frame>"))]
    fn from_frame(
        py: Python<'_>,
        table: &Bound<'_, PyAny>,
        policy: Option<PyRef<'_, Policy>>,
        name: &str,
    ) -> PyResult<Self> {
        let levels = levels(policy);
        Network::read(py, source(py, None, Some(table), name)?, levels)
    }

    /// Node ids in file order.
    #[getter]
    fn node_ids(&self) -> Vec<String> {
        self.data.net.nodes().iter().map(|n| n.id.clone()).collect()
    }

    fn __len__(&self) -> usize {
        self.data.net.len()
    }

    fn __repr__(&self) -> String {
        format!("Network({} nodes)", self.data.net.len())
    }
}
