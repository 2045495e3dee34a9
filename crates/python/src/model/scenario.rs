//! `Scenario`: network, inventory, orders and policy loaded together (`load`, `demo`).

use super::inventory::Inventory;
use super::network::{NetData, Network};
use super::orders::{Orders, OrdersData};
use super::policy::Policy;
use crate::errors::guard;
use omniroute_adapters::{Inputs, PolicyFile};
use pyo3::prelude::*;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// Network, inventory, orders and policy loaded together, every file's problems reported at once
/// (the CLI's loader). `policies` are the policy versions in `effective_from` order (one unless
/// several files were given); `policy` is the earliest.
#[pyclass(frozen, get_all, module = "omniroute._omniroute")]
pub struct Scenario {
    pub network: Py<Network>,
    pub inventory: Py<Inventory>,
    pub orders: Py<Orders>,
    pub policy: Py<Policy>,
    pub policies: Vec<Py<Policy>>,
}

impl Scenario {
    pub fn new(py: Python<'_>, inputs: Inputs) -> PyResult<Self> {
        let levels = inputs.policies.versions.levels().clone();
        let places = inputs.order_places().clone();
        let net = Arc::new(NetData {
            net: inputs.network,
            levels: levels.clone(),
            skus: RwLock::new(inputs.skus),
        });
        let inventory = Inventory::from_stock(net.clone(), &inputs.stock);
        let orders = OrdersData::new(net.clone(), levels, inputs.orders, places);
        // The files were read and checked together already; their texts are not needed again.
        let p = &inputs.policies;
        let policies = (0..p.versions.len())
            .map(|k| {
                let file = PolicyFile {
                    name: p.files[k].clone(),
                    text: String::new(),
                    policy: p.versions.get(k).clone(),
                };
                Py::new(
                    py,
                    Policy {
                        file: Arc::new(file),
                    },
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Scenario {
            network: Py::new(py, Network { data: net })?,
            inventory: Py::new(py, inventory)?,
            orders: Py::new(
                py,
                Orders {
                    data: Arc::new(orders),
                },
            )?,
            policy: policies[0].clone_ref(py),
            policies,
        })
    }
}

/// Loads nodes, stock, optional orders and optional policy files together: `policy` is one path,
/// or a list of paths, one per policy version (the CLI's repeated `--policy`).
#[pyfunction]
#[pyo3(signature = (nodes, stock, orders=None, policy=None))]
pub fn load(
    py: Python<'_>,
    nodes: PathBuf,
    stock: PathBuf,
    orders: Option<PathBuf>,
    policy: Option<&Bound<'_, PyAny>>,
) -> PyResult<Scenario> {
    let path = |p: &PathBuf| p.to_string_lossy().into_owned();
    let policies: Vec<String> = match policy {
        None => Vec::new(),
        Some(p) => match p.extract::<PathBuf>() {
            Ok(one) => vec![path(&one)],
            Err(_) => p
                .try_iter()?
                .map(|item| item?.extract::<PathBuf>().map(|p| path(&p)))
                .collect::<PyResult<_>>()?,
        },
    };
    let (nodes, stock, orders) = (path(&nodes), path(&stock), orders.as_ref().map(path));
    let inputs = guard(py, move || {
        Ok(Inputs::open(&nodes, &stock, orders.as_deref(), &policies)?)
    })?;
    Scenario::new(py, inputs)
}

/// The embedded demo: an Indian brand's day of 5,000 orders under the demo policy.
#[pyfunction]
pub fn demo(py: Python<'_>) -> PyResult<Scenario> {
    let inputs = guard(py, || Ok(Inputs::demo()?))?;
    Scenario::new(py, inputs)
}
