//! A routing input read from its paths: a Parquet stock's three tables decoded at once, the
//! orders on a thread of their own from the start (decoded, then read as soon as the network
//! is), beside the nodes and then the stock on the calling thread.

use super::{FilesRead, Inputs, Source};
use crate::csv::{read_nodes_input, read_orders_from, read_stock_table, Loaded, NodeNames};
use crate::{is_parquet_path, InputError, OrderPlaces, StockSource, TableInput};
use omniroute_core::{Network, Order, ServiceLevels, Skus};
use std::sync::{mpsc, OnceLock};

impl Inputs {
    /// Reads the files at these paths (`-` for stdin, at most one), opened as
    /// [`TableInput::open`] and [`StockSource::open`] open them, and loads them as
    /// [`Inputs::load_stock_source`] does: the same inputs, problems and errors (a file that
    /// cannot be opened or decoded is the first such of nodes, stock, orders, policies, alone).
    /// A Parquet stock's files are decoded at once: the orders on a thread of their own, read
    /// there as soon as the nodes are, while the stock is decoded and read.
    pub fn open(
        nodes: &str,
        stock: &str,
        orders: Option<&str>,
        policies: &[String],
    ) -> Result<Self, InputError> {
        let sources: Result<Vec<Source>, InputError> =
            policies.iter().map(|p| Source::open(p)).collect();
        let (true, Ok(sources)) = (is_parquet_path(stock), &sources) else {
            let nodes = TableInput::open(nodes)?;
            let stock = StockSource::open(stock)?;
            let orders = orders.map(TableInput::open).transpose()?;
            return Self::load_stock_source(&nodes, &stock, orders.as_ref(), &sources?);
        };
        Self::load_with(sources, |levels, skus| {
            read_paths((nodes, stock, orders), levels, skus)
        })
    }
}

/// The orders' thread: the file opened, and (unless the calling thread gave up first) read
/// with SKU ids of its own.
type OrdersRead =
    Result<Option<Result<((Loaded<Vec<Order>>, OrderPlaces), Skus), InputError>>, InputError>;

/// Opens and reads the three tables (see [`Inputs::open`]): what `read_files` reads from
/// them once opened, or the first error opening them.
fn read_paths(
    (nodes, stock, orders): (&str, &str, Option<&str>),
    levels: &ServiceLevels,
    skus: &mut Skus,
) -> Result<FilesRead, InputError> {
    let nodes_read: OnceLock<Result<Loaded<Network>, InputError>> = OnceLock::new();
    let (read_now, may_read) = mpsc::channel::<()>();
    let (stock_read, orders_read) = std::thread::scope(|s| {
        let orders_thread = orders.map(|path| {
            let nodes_read = &nodes_read;
            s.spawn(move || -> OrdersRead {
                let input = TableInput::open(path)?;
                if may_read.recv().is_err() {
                    return Ok(None);
                }
                let network = nodes_read.get().and_then(|r| r.as_ref().ok());
                let names = network.map_or(NodeNames::Unchecked, |l| NodeNames::Network(&l.value));
                let mut own = Skus::default();
                Ok(Some(
                    read_orders_from(&input, &mut own, levels, names).map(|read| (read, own)),
                ))
            })
        });
        let opened = TableInput::open(nodes).map(|nodes| {
            let _ = nodes_read.set(read_nodes_input(&nodes, levels));
            let _ = read_now.send(());
        });
        drop(read_now);
        let StockSource::Whole(stock) = opened.and_then(|()| StockSource::open(stock))? else {
            unreachable!("a Parquet stock is read whole")
        };
        let network = nodes_read
            .get()
            .expect("nodes.csv was read")
            .as_ref()
            .ok()
            .map(|l| &l.value);
        // The orders' thread takes a core: the stock is read on the others (on two cores, in one
        // part: no second part to join, and the orders end sooner; CPU 0.083 → 0.077 s).
        let busy = usize::from(orders.is_some());
        let stock_read = read_stock_table(&stock, network, skus, busy);
        // Freed while the orders are still read, not after.
        drop(stock);
        let orders_read = match orders_thread {
            None => None,
            Some(h) => Some(
                h.join()
                    .expect("the orders reader panicked")?
                    .expect("the orders are read once the nodes are"),
            ),
        };
        Ok((stock_read, orders_read))
    })?;
    let nodes_read = nodes_read.into_inner().expect("nodes.csv was read");
    Ok((nodes_read, stock_read, orders_read))
}
