//! `Orders` and `Order`: a day of orders as read, and one of them.

use super::network::{NetData, Network};
use super::policy::{levels, Policy};
use super::source;
use crate::errors::guard;
use omniroute_adapters::{read_orders_input, OrderPlaces, TableInput};
use omniroute_core::{self as core, ServiceLevels};
use pyo3::prelude::*;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Orders in arrival order, as read, and where each starts in its file.
pub struct OrdersData {
    pub net: Arc<NetData>,
    pub levels: ServiceLevels,
    pub orders: Vec<core::Order>,
    pub places: OrderPlaces,
    by_id: HashMap<String, usize>,
}

impl OrdersData {
    pub(super) fn new(
        net: Arc<NetData>,
        levels: ServiceLevels,
        orders: Vec<core::Order>,
        places: OrderPlaces,
    ) -> Self {
        let by_id = orders
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.clone(), i))
            .collect();
        OrdersData {
            net,
            levels,
            orders,
            places,
            by_id,
        }
    }

    /// Where order `i` starts, as the places of a one-order batch.
    pub fn place(&self, i: usize) -> OrderPlaces {
        OrderPlaces {
            file: self.places.file.clone(),
            lines: self.places.lines.get(i).copied().into_iter().collect(),
            created_at_column: self.places.created_at_column,
            customers: self.places.customers.get(i).cloned().into_iter().collect(),
        }
    }
}

/// A day of orders (orders.csv: one row per line, lines of an order contiguous).
#[pyclass(frozen, module = "omniroute._omniroute")]
pub struct Orders {
    pub data: Arc<OrdersData>,
}

impl Orders {
    fn read(
        py: Python<'_>,
        src: TableInput,
        network: &Network,
        policy: Option<PyRef<'_, Policy>>,
    ) -> PyResult<Self> {
        let (net, levels) = (network.data.clone(), levels(policy));
        guard(py, move || {
            let mut skus = net.skus_mut();
            let (orders, places) = read_orders_input(&src, &mut skus, &levels, &net.net)?;
            drop(skus);
            Ok(Orders {
                data: Arc::new(OrdersData::new(net, levels, orders.value, places)),
            })
        })
    }
}

#[pymethods]
impl Orders {
    /// Reads orders.csv; SKUs are named in `network`'s table. `policy` names the service levels.
    #[staticmethod]
    #[pyo3(signature = (path, network, policy=None))]
    fn from_csv(
        py: Python<'_>,
        path: PathBuf,
        network: PyRef<'_, Network>,
        policy: Option<PyRef<'_, Policy>>,
    ) -> PyResult<Self> {
        Orders::read(py, source(py, Some(path), None, "")?, &network, policy)
    }

    /// Reads order lines from any Arrow table with orders.csv's columns.
    #[staticmethod]
    #[pyo3(signature = (table, network, policy=None, name="<orders frame>"))]
    fn from_frame(
        py: Python<'_>,
        table: &Bound<'_, PyAny>,
        network: PyRef<'_, Network>,
        policy: Option<PyRef<'_, Policy>>,
        name: &str,
    ) -> PyResult<Self> {
        Orders::read(py, source(py, None, Some(table), name)?, &network, policy)
    }

    /// Order ids in arrival order.
    #[getter]
    fn ids(&self) -> Vec<String> {
        self.data.orders.iter().map(|o| o.id.clone()).collect()
    }

    fn __len__(&self) -> usize {
        self.data.orders.len()
    }

    /// An order by position or by id.
    fn __getitem__(&self, key: &Bound<'_, PyAny>) -> PyResult<Order> {
        let n = self.data.orders.len();
        let index = match key.extract::<isize>() {
            Ok(i) => usize::try_from(if i < 0 { i + n as isize } else { i })
                .ok()
                .filter(|&i| i < n),
            Err(_) => self.data.by_id.get(&key.extract::<String>()?).copied(),
        };
        index
            .map(|index| Order {
                data: self.data.clone(),
                index,
            })
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(key.clone().unbind()))
    }

    fn __repr__(&self) -> String {
        format!("Orders({} orders)", self.data.orders.len())
    }
}

/// One order of an `Orders`.
#[pyclass(frozen, module = "omniroute._omniroute")]
pub struct Order {
    pub data: Arc<OrdersData>,
    pub index: usize,
}

impl Order {
    pub fn get(&self) -> &core::Order {
        &self.data.orders[self.index]
    }
}

#[pymethods]
impl Order {
    #[getter]
    fn order_id(&self) -> String {
        self.get().id.clone()
    }

    /// `(line_no, sku, qty)` per line.
    #[getter]
    fn lines(&self) -> Vec<(u32, String, u32)> {
        let skus = self.data.net.skus();
        self.get()
            .lines
            .iter()
            .map(|l| (l.line_no, skus.name(l.sku).to_owned(), l.qty))
            .collect()
    }

    #[getter]
    fn service_level(&self) -> String {
        self.data.levels.name(self.get().service_level).to_owned()
    }

    fn __repr__(&self) -> String {
        format!(
            "Order({:?}, {} lines)",
            self.get().id,
            self.get().lines.len()
        )
    }
}
