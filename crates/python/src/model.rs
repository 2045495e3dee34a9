//! The inputs as Python classes: `Policy`, `Network`, `Inventory` (the live ledger), `Orders`, and
//! `Scenario` (all four loaded together, as the CLI does). Each constructor reads through the
//! adapters' readers: from a CSV path (`from_csv`) or from any Arrow table (`from_frame`, see
//! `frame.rs`).

use crate::errors::{guard, Failure};
use crate::frame;
use jiff::Timestamp;
use omniroute_adapters::{
    read_nodes, read_orders_placed, read_stock, Inputs, OrderPlaces, PolicyFile, Source,
};
use omniroute_core::{self as core, NodeIdx, ServiceLevels, SkuId, Skus, StockRow};
use pyo3::prelude::*;
use std::collections::HashMap;
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

    fn skus_mut(&self) -> std::sync::RwLockWriteGuard<'_, Skus> {
        self.skus
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Where a table comes from: a CSV path, or an Arrow table written to CSV bytes.
fn source(
    py: Python<'_>,
    path: Option<PathBuf>,
    table: Option<&Bound<'_, PyAny>>,
    name: &str,
) -> PyResult<Source> {
    match (path, table) {
        (Some(p), _) => {
            let p = p.to_string_lossy().into_owned();
            guard(py, move || Source::open(&p).map_err(Failure::from))
        }
        (None, Some(t)) => {
            let (batches, schema) = frame::read(t)?;
            let name = name.to_owned();
            guard(py, move || {
                let bytes = frame::to_csv(&batches, &schema)?;
                Ok(Source { name, bytes })
            })
        }
        (None, None) => unreachable!("callers pass a path or a table"),
    }
}

/// The reference time: an aware `datetime`, an RFC 3339 string, or `None` for the current time
/// (as the CLI's `--now`).
pub fn timestamp(now: Option<&Bound<'_, PyAny>>) -> PyResult<Timestamp> {
    match now {
        None => Ok(Timestamp::now()),
        Some(v) => match v.extract::<String>() {
            Ok(s) => s.parse().map_err(|e| {
                pyo3::exceptions::PyValueError::new_err(format!(
                    "now: {e} (want RFC 3339 with an offset)"
                ))
            }),
            Err(_) => v.extract::<Timestamp>(),
        },
    }
}

/// A routing policy (`policy.toml`, docs/policy.md), with the file it was read from (so that
/// problems between policy versions can point into it).
#[pyclass(frozen, module = "omniroute._omniroute")]
pub struct Policy {
    pub file: Arc<PolicyFile>,
}

impl Policy {
    pub fn inner(&self) -> &core::Policy {
        &self.file.policy
    }
}

#[pymethods]
impl Policy {
    /// The default policy (`docs/design.md` §3).
    #[staticmethod]
    fn default() -> Self {
        Policy {
            file: Arc::new(PolicyFile::default_policy()),
        }
    }

    /// The embedded demo policy (rupee economics, soft SLA, hard same-day).
    #[staticmethod]
    fn demo(py: Python<'_>) -> PyResult<Self> {
        let f = guard(py, || {
            let src = Source::text("demo/policy.toml", omniroute_adapters::DEMO_POLICY);
            PolicyFile::read(&src).map_err(Failure::from)
        })?;
        Ok(Policy { file: Arc::new(f) })
    }

    /// Reads a policy from TOML text, or from a file when given a `pathlib.Path` or a string
    /// naming an existing file.
    #[staticmethod]
    fn from_toml(py: Python<'_>, text_or_path: &Bound<'_, PyAny>) -> PyResult<Self> {
        let is_path = text_or_path.is_instance(&py.import("pathlib")?.getattr("PurePath")?)?;
        let s: PathBuf = text_or_path.extract()?;
        let f = guard(py, move || {
            let src = if is_path || s.is_file() {
                Source::open(&s.to_string_lossy())?
            } else {
                Source::text("<policy text>", s.to_string_lossy())
            };
            PolicyFile::read(&src).map_err(Failure::from)
        })?;
        Ok(Policy { file: Arc::new(f) })
    }

    /// Names of the service levels, built-in and defined.
    #[getter]
    fn service_levels(&self) -> Vec<String> {
        self.inner()
            .levels
            .iter()
            .map(|(_, n)| n.to_owned())
            .collect()
    }

    /// The instant this version takes effect (`None`: from the beginning of time). Give a
    /// `Router` several versions to route each order under the one of its `created_at`.
    #[getter]
    fn effective_from(&self) -> Option<Timestamp> {
        self.inner().effective_from
    }

    fn __repr__(&self) -> String {
        match self.inner().effective_from {
            None => format!("Policy(service_levels={:?})", self.service_levels()),
            Some(t) => format!(
                "Policy(service_levels={:?}, effective_from={:?})",
                self.service_levels(),
                t.to_string()
            ),
        }
    }
}

fn levels(policy: Option<PyRef<'_, Policy>>) -> ServiceLevels {
    policy.map_or_else(
        || core::Policy::default().levels,
        |p| p.inner().levels.clone(),
    )
}

/// The fulfilment nodes (nodes.csv).
#[pyclass(frozen, module = "omniroute._omniroute")]
pub struct Network {
    pub data: Arc<NetData>,
}

impl Network {
    fn read(py: Python<'_>, src: Source, levels: ServiceLevels) -> PyResult<Self> {
        let net = guard(py, move || {
            read_nodes(src.bytes.as_slice(), &src.name, &levels)
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

/// The live inventory ledger of a network: on hand, reservations with TTL, safety stock.
#[pyclass(frozen, module = "omniroute._omniroute")]
pub struct Inventory {
    pub net: Arc<NetData>,
    pub ledger: core::Inventory,
}

impl Inventory {
    fn from_rows(net: Arc<NetData>, rows: &[omniroute_adapters::StockRecord]) -> Self {
        let ledger = core::Inventory::new();
        ledger.replace_snapshot(rows.iter().map(|r| StockRow {
            node: r.node,
            sku: r.sku,
            on_hand: r.on_hand,
            reserved: r.reserved,
            safety_stock: r.safety_stock,
        }));
        Inventory { net, ledger }
    }

    fn read(py: Python<'_>, src: Source, network: &Network) -> PyResult<Self> {
        let net = network.data.clone();
        guard(py, move || {
            let rows = read_stock(
                src.bytes.as_slice(),
                &src.name,
                &net.net,
                &mut net.skus_mut(),
            )?;
            Ok(Inventory::from_rows(net, &rows.value))
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

/// Orders in arrival order, as read, and where each starts in its file.
pub struct OrdersData {
    pub net: Arc<NetData>,
    pub levels: ServiceLevels,
    pub orders: Vec<core::Order>,
    pub places: OrderPlaces,
    by_id: HashMap<String, usize>,
}

impl OrdersData {
    fn new(
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
        }
    }

    /// The position of order `id`.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
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
        src: Source,
        network: &Network,
        policy: Option<PyRef<'_, Policy>>,
    ) -> PyResult<Self> {
        let (net, levels) = (network.data.clone(), levels(policy));
        guard(py, move || {
            let (orders, places) = read_orders_placed(
                src.bytes.as_slice(),
                &src.name,
                &mut net.skus_mut(),
                &levels,
            )?;
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
        let inventory = Inventory::from_rows(net.clone(), &inputs.stock);
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
        let policies = policies
            .iter()
            .map(|p| Source::open(p))
            .collect::<Result<Vec<_>, _>>()?;
        let orders = orders.as_deref().map(Source::open).transpose()?;
        Ok(Inputs::load(
            &Source::open(&nodes)?,
            &Source::open(&stock)?,
            orders.as_ref(),
            &policies,
        )?)
    })?;
    Scenario::new(py, inputs)
}

/// The embedded demo: an Indian brand's day of 5,000 orders under the demo policy.
#[pyfunction]
pub fn demo(py: Python<'_>) -> PyResult<Scenario> {
    let inputs = guard(py, || Ok(Inputs::demo()?))?;
    Scenario::new(py, inputs)
}
