//! Loading a whole routing input (nodes, stock, orders, policy) at once, with every problem of
//! every file gathered before anything is returned.

use crate::csv::{
    read_nodes_input, read_orders_from, read_stock_any, NetworkSoon, NodeNames, StockInput,
};
use crate::{
    InputError, Instance, Loaded, OrderPlaces, Policies, PolicyFile, Problem, Stock, StockSource,
    TableInput,
};
use jiff::Timestamp;
use omniroute_core::{
    IncomingStock, LiveStock, Network, NodeIdx, Order, Router, ServiceLevels, SkuId, Skus,
};
use std::cell::{OnceCell, RefCell};
use std::io::Read;
use std::sync::Arc;

mod open;

/// The demo policy, embedded.
pub const DEMO_POLICY: &str = include_str!("../data/demo-policy.toml");

/// One input: its name for messages and its bytes.
#[derive(Debug, Clone)]
pub struct Source {
    /// A path, `-` for stdin, or an embedded scenario's name.
    pub name: String,
    /// The content.
    pub bytes: Vec<u8>,
}

impl Source {
    /// Reads a path, or stdin for `-`.
    pub fn open(path: &str) -> Result<Self, InputError> {
        if path == "-" {
            return Source::read(std::io::stdin(), path);
        }
        std::fs::read(path)
            .map(|bytes| Source {
                name: path.to_owned(),
                bytes,
            })
            .map_err(|e| InputError::Io {
                file: path.to_owned(),
                message: e.to_string(),
            })
    }

    /// Reads all of `input`, named `name` in problems.
    pub fn read(mut input: impl Read, name: &str) -> Result<Self, InputError> {
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes).map_err(|e| InputError::Io {
            file: name.to_owned(),
            message: e.to_string(),
        })?;
        Ok(Source {
            name: name.to_owned(),
            bytes,
        })
    }

    /// An in-memory source.
    pub fn text(name: &str, text: impl Into<String>) -> Self {
        Source {
            name: name.to_owned(),
            bytes: text.into().into_bytes(),
        }
    }
}

/// A validated routing input.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The nodes (shared, so a router built over them can be kept beside the inputs).
    pub network: Arc<Network>,
    /// Every SKU named in stock or orders.
    pub skus: Skus,
    /// Stock rows as read.
    pub stock: Stock,
    /// Orders in arrival order (empty when no orders file was given).
    pub orders: Vec<Order>,
    /// The policy versions and their files (the default policy when no file was given).
    pub policies: Policies,
    /// Warnings from every file.
    pub warnings: Vec<Problem>,
    /// Where each order starts in its file.
    places: OrderPlaces,
}

impl Inputs {
    /// Reads every source. The policy files are read first (they define the service levels):
    /// each is a version of the policy (docs/policy.md, `effective_from`), the default policy
    /// when there is none. Then nodes, then stock and orders; an order created before every
    /// version is `E2019`. Every problem of every file is reported together (when nodes.csv is
    /// rejected, the stock file's problems that do not depend on the nodes still are).
    pub fn load(
        nodes: &TableInput,
        stock: &TableInput,
        orders: Option<&TableInput>,
        policies: &[Source],
    ) -> Result<Self, InputError> {
        Self::load_from(nodes, StockInput::Table(stock), orders, policies)
    }

    /// [`Inputs::load`] with stock.csv as [`StockSource::open`] opened it: a CSV file is read in
    /// chunks as it is parsed, never whole in memory.
    pub fn load_stock_source(
        nodes: &TableInput,
        stock: &StockSource,
        orders: Option<&TableInput>,
        policies: &[Source],
    ) -> Result<Self, InputError> {
        let stock = match stock {
            StockSource::Whole(input) => StockInput::Table(input),
            StockSource::Parquet(file) => StockInput::Parquet(file),
            StockSource::File(name, file) => StockInput::File(name, file),
        };
        Self::load_from(nodes, stock, orders, policies)
    }

    fn load_from(
        nodes: &TableInput,
        stock: StockInput<'_>,
        orders: Option<&TableInput>,
        policies: &[Source],
    ) -> Result<Self, InputError> {
        Self::load_with(policies, |levels, skus| {
            Ok(read_files(nodes, stock, orders, levels, skus))
        })
    }

    /// Reads the policy files, then the nodes, stock and orders through `read` (given the
    /// service levels and the SKUs to intern the stock's into); an error of `read` is returned
    /// alone (a file that could not be opened).
    fn load_with(
        policies: &[Source],
        read: impl FnOnce(&ServiceLevels, &mut Skus) -> Result<FilesRead, InputError>,
    ) -> Result<Self, InputError> {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let files: Vec<PolicyFile> = policies
            .iter()
            .filter_map(|src| keep(PolicyFile::read(src), &mut problems))
            .collect();
        let levels = files
            .first()
            .map_or_else(ServiceLevels::default, |f| f.policy.levels.clone());
        // No files is the default policy (`Policies::new`); a file that did not read is reported.
        let policies = if files.len() == policies.len() {
            keep(Policies::new(&files), &mut problems)
        } else {
            None
        };
        let mut skus = Skus::default();
        let (nodes_read, stock_read, orders_read) = read(&levels, &mut skus)?;
        let network = keep(
            nodes_read.map(|l| {
                warnings.extend(l.warnings);
                l.value
            }),
            &mut problems,
        );
        let stock_rows = match stock_read {
            Ok(Some(l)) => {
                warnings.extend(l.warnings);
                Some(l.value)
            }
            Ok(None) => None,
            Err(e) => {
                problems.extend(e.problems());
                None
            }
        };
        let orders = match orders_read {
            None => Some((Vec::new(), OrderPlaces::default())),
            Some(read) => keep(
                read.map(|((l, places), own)| {
                    warnings.extend(l.warnings);
                    let mut orders = l.value;
                    rename_skus(&mut orders, &own, &mut skus);
                    (orders, places)
                }),
                &mut problems,
            ),
        };
        if let (Some(policies), Some((orders, places))) = (&policies, &orders) {
            problems.extend(policies.order_time_problems(orders, places, None));
        }
        if let Some(net) = &network {
            problems.extend(crate::policy::unknown_group_nodes(&files, net));
        }
        match (problems.is_empty(), network, stock_rows, orders, policies) {
            (true, Some(network), Some(stock), Some((orders, places)), Some(policies)) => {
                Ok(Inputs {
                    network: Arc::new(network),
                    skus,
                    stock,
                    orders,
                    policies,
                    warnings,
                    places,
                })
            }
            _ => Err(InputError::Invalid(problems)),
        }
    }

    /// Where each order starts in the orders file.
    pub fn order_places(&self) -> &OrderPlaces {
        &self.places
    }

    /// `E2019` for the orders without `created_at` when `now`, the reference time they are
    /// routed at, is before every policy version (orders with `created_at` were judged by
    /// [`Inputs::load`]). Call it before routing.
    ///
    /// # Errors
    ///
    /// One problem per such order (the first ones; the rest are counted), at its line.
    pub fn check_now(&self, now: Timestamp) -> Result<(), InputError> {
        self.policies
            .check_order_times(&self.orders, &self.places, Some(now))
    }

    /// Loads a generated instance (for example the embedded demo) with the default policy.
    pub fn from_instance(name: &str, inst: &Instance) -> Result<Self, InputError> {
        let text = |file: &str, csv: &str| Source::text(&format!("{name}/{file}"), csv).into();
        Self::load(
            &text("nodes.csv", &inst.nodes_csv),
            &text("stock.csv", &inst.stock_csv),
            Some(&text("orders.csv", &inst.orders_csv)),
            &[],
        )
    }

    /// The embedded demo: the generated Indian day ([`crate::demo_instance`]) under the demo
    /// policy (`crates/adapters/data/demo-policy.toml`, rupee economics in paise).
    pub fn demo() -> Result<Self, InputError> {
        let inst = crate::demo_instance();
        Self::load(
            &Source::text("demo/nodes.csv", inst.nodes_csv).into(),
            &Source::text("demo/stock.csv", inst.stock_csv).into(),
            Some(&Source::text("demo/orders.csv", inst.orders_csv).into()),
            &[Source::text("demo/policy.toml", DEMO_POLICY)],
        )
    }

    /// A router built once over the network and every policy version, with the live ledger
    /// loaded from the stock rows (reserved and safety stock as read): what a long-running
    /// front end (the HTTP service, the C ABI) routes and reserves against.
    pub fn live_stock(&self) -> LiveStock {
        let router = Router::versioned(Arc::clone(&self.network), &self.policies.versions);
        LiveStock::new(router, self.stock.rows().iter().copied())
    }

    /// The stock rows' incoming units with their arrival dates (stock.csv's `incoming_qty` and
    /// `incoming_date`), for `Router::promise_incoming` and the checker.
    pub fn incoming(&self) -> IncomingStock {
        IncomingStock::from_positions(self.stock.incoming())
    }

    /// `(node, sku, routable)` for every stock row: `on_hand − reserved − safety_stock`, never
    /// below zero. Feed it to `Router::stock_table`.
    pub fn routable_positions(&self) -> impl Iterator<Item = (NodeIdx, SkuId, u32)> + Clone + '_ {
        self.stock.rows().iter().map(|r| {
            (
                r.node,
                r.sku,
                r.on_hand
                    .saturating_sub(r.reserved)
                    .saturating_sub(r.safety_stock),
            )
        })
    }
}

/// What [`read_files`] read: nodes.csv, stock.csv, and orders.csv (when given) with the SKU
/// ids of its own.
type FilesRead = (
    Result<Loaded<Network>, InputError>,
    Result<Option<Loaded<Stock>>, InputError>,
    Option<OrdersRead>,
);

/// The orders read on a thread of their own, with SKU ids of their own (renamed after into the
/// stock's).
type OrdersRead = Result<((Loaded<Vec<Order>>, OrderPlaces), Skus), InputError>;

/// Reads the orders of `src` with SKU ids of their own ([`OrdersRead`]).
fn read_orders_own(src: &TableInput, levels: &ServiceLevels, names: NodeNames<'_>) -> OrdersRead {
    let mut own = Skus::default();
    read_orders_from(src, &mut own, levels, names).map(|read| (read, own))
}

/// Reads nodes.csv on a thread of its own while the stock's header and first chunk are read
/// (and its output's memory touched; a stock file streamed, not a table); then stock.csv and
/// orders.csv at once, the orders on a thread of their own with SKU ids of their own, to be
/// renamed after into the ids the stock's SKUs took in `skus`: the same ids, problems and
/// warnings, in the same order, as reading one file after the other.
fn read_files(
    nodes: &TableInput,
    stock: StockInput<'_>,
    orders: Option<&TableInput>,
    levels: &ServiceLevels,
    skus: &mut Skus,
) -> FilesRead {
    // A table's stock (Parquet) waits for the network at once: its nodes are read here first.
    let streamed = stock.streams();
    let nodes_read = OnceCell::new();
    if !streamed {
        let _ = nodes_read.set(read_nodes_input(nodes, levels));
    }
    let (stock_read, orders_read) = std::thread::scope(|s| {
        let nodes_thread =
            RefCell::new(streamed.then(|| s.spawn(|| read_nodes_input(nodes, levels))));
        let orders_thread = RefCell::new(None);
        let ready = || {
            nodes_thread
                .borrow()
                .as_ref()
                .is_none_or(std::thread::ScopedJoinHandle::is_finished)
        };
        // The network, once nodes.csv is read; the orders start reading then.
        let wait = || {
            let read = nodes_read.get_or_init(|| {
                let thread = nodes_thread.borrow_mut().take();
                thread
                    .expect("nodes.csv is read here or on its thread")
                    .join()
                    .expect("the nodes reader panicked")
            });
            let network = read.as_ref().ok().map(|l| &l.value);
            let started = orders_thread.borrow().is_some();
            if let (Some(src), false) = (orders, started) {
                let names = network.map_or(NodeNames::Unchecked, NodeNames::Network);
                *orders_thread.borrow_mut() =
                    Some(s.spawn(move || read_orders_own(src, levels, names)));
            }
            network
        };
        let network = NetworkSoon::Reading {
            ready: &ready,
            wait: &wait,
        };
        let stock = read_stock_any(stock, network, skus);
        wait();
        let orders = orders_thread.take();
        let orders = orders.map(|h| h.join().expect("the orders reader panicked"));
        (stock, orders)
    });
    let nodes_read = nodes_read.into_inner().expect("nodes.csv was read");
    (nodes_read, stock_read, orders_read)
}

/// Gives the SKUs of `orders`, ids in `own`, their ids in `skus`, adding the names `skus` lacks
/// in `own`'s order (the order the orders first named them), as reading the orders on top of
/// `skus` would.
fn rename_skus(orders: &mut [Order], own: &Skus, skus: &mut Skus) {
    let ids: Vec<SkuId> = (0..own.len() as u32)
        .map(|i| skus.intern(own.name(SkuId(i))))
        .collect();
    for line in orders.iter_mut().flat_map(|o| o.lines.iter_mut()) {
        line.sku = ids[line.sku.0 as usize];
    }
}

fn keep<T>(r: Result<T, InputError>, problems: &mut Vec<Problem>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            problems.extend(e.problems());
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Inputs, Source};

    /// The orders, read beside the stock, name the stock's SKUs by the stock's ids and get the
    /// next ids for their own new SKUs, in the order they first name them.
    #[test]
    fn orders_read_beside_the_stock_share_its_sku_ids() {
        let text = |name: &str, text: &str| Source::text(name, text).into();
        let inputs = Inputs::load(
            &text("nodes.csv", "node_id,lat,lon\nW1,28.6,77.2\n"),
            &text("stock.csv", "node_id,sku,qty\nW1,A,1\nW1,B,2\n"),
            Some(&text(
                "orders.csv",
                "order_id,sku,qty,dest_lat,dest_lon\nO1,D,1,28.6,77.2\nO1,B,1,28.6,77.2\nO2,C,1,28.6,77.2\nO2,D,1,28.6,77.2\n",
            )),
            &[],
        )
        .unwrap();
        let names: Vec<Vec<&str>> = inputs
            .orders
            .iter()
            .map(|o| o.lines.iter().map(|l| inputs.skus.name(l.sku)).collect())
            .collect();
        assert_eq!(names, [["D", "B"], ["C", "D"]]);
        let all: Vec<u32> = inputs
            .orders
            .iter()
            .flat_map(|o| o.lines.iter().map(|l| l.sku.0))
            .collect();
        assert_eq!(all, [2, 1, 3, 2]);
        assert_eq!(inputs.skus.len(), 4);
    }

    /// nodes.csv is read beside the stock's first chunk, the orders after it: every file's
    /// problems are still given, nodes first, then stock, then orders, whether the stock's
    /// header reads or not, and the nodes' warnings come before the stock's.
    #[test]
    fn problems_come_file_by_file_however_the_stock_reads() {
        let text = |name: &str, text: &str| Source::text(name, text).into();
        let orders = "order_id,sku,qty,dest_lat,dest_lon\nO1,A,x,28.6,77.2\n";
        for (stock, stock_problems) in [("node_id,sku,qty\nW1,A,x\nW1,B,1\n", 1), ("", 1)] {
            let err = Inputs::load(
                &text("nodes.csv", "node_id,lat,lon\nW1,28.6,777\n"),
                &text("stock.csv", stock),
                Some(&text("orders.csv", orders)),
                &[],
            )
            .unwrap_err();
            let files: Vec<String> = err.problems().into_iter().map(|p| p.file).collect();
            let want = [
                vec!["nodes.csv"],
                vec!["stock.csv"; stock_problems],
                vec!["orders.csv"],
            ]
            .concat();
            assert_eq!(files, want, "{stock:?}");
        }
        let inputs = Inputs::load(
            &text("nodes.csv", "node_id,lat,lon,extra\nW1,28.6,77.2,1\n"),
            &text("stock.csv", "node_id,sku,qty,extra\nW1,A,1,1\n"),
            None,
            &[],
        )
        .unwrap();
        let files: Vec<&str> = inputs.warnings.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(files, ["nodes.csv", "stock.csv"]);
    }
}
