//! A routing input read from its paths: a Parquet stock's three tables read at once, the
//! orders on a thread of their own from the start (decoded, then read once the network is read
//! and the stock opened), beside the nodes and then the stock on the calling thread (its windows
//! decoded on a thread of their own).

use super::{read_orders_own, FilesRead, Inputs, OrdersRead, Source};
use crate::csv::{read_nodes_input, read_stock_file, Loaded, NodeNames};
use crate::{is_parquet_path, InputError, StockSource, TableInput};
use omniroute_core::{Network, ServiceLevels, Skus};
use std::sync::{mpsc, OnceLock};

impl Inputs {
    /// Reads the files at these paths (`-` for stdin, at most one), opened as
    /// [`TableInput::open`] and [`StockSource::open`] open them, and loads them as
    /// [`Inputs::load_stock_source`] does: the same inputs, problems and errors (a file that
    /// cannot be opened or decoded is the first such of nodes, stock, orders, policies, alone).
    /// A Parquet stock's files are read at once: the orders on a thread of their own, read
    /// there once the nodes are read and the stock's metadata checked, while the stock is
    /// decoded and read a window at a time (a stock that cannot be opened is reported without
    /// reading the orders; a page of it that cannot be decoded, found as its window is read,
    /// is the stock's `E1201`, listed with the other files' problems).
    pub fn open(
        nodes: &str,
        stock: &str,
        orders: Option<&str>,
        policies: &[String],
    ) -> Result<Self, InputError> {
        let sources: Result<Vec<Source>, InputError> =
            policies.iter().map(|p| Source::open(p)).collect();
        // A CSV stock, or a policy that cannot be opened (reported after the other files'
        // errors): the files opened one after the other.
        let sources = match sources {
            Ok(sources) if is_parquet_path(stock) => sources,
            sources => {
                let nodes = TableInput::open(nodes)?;
                let stock = StockSource::open(stock)?;
                let orders = orders.map(TableInput::open).transpose()?;
                return Self::load_stock_source(&nodes, &stock, orders.as_ref(), &sources?);
            }
        };
        Self::load_with(&sources, |levels, skus| {
            read_paths((nodes, stock, orders), levels, skus)
        })
    }
}

/// The orders' thread: the file opened, and (unless the calling thread gave up first) read.
type OrdersOpened = Result<Option<OrdersRead>, InputError>;

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
            s.spawn(move || -> OrdersOpened {
                let input = TableInput::open(path)?;
                if may_read.recv().is_err() {
                    return Ok(None);
                }
                let network = nodes_read.get().and_then(|r| r.as_ref().ok());
                let names = network.map_or(NodeNames::Unchecked, |l| NodeNames::Network(&l.value));
                Ok(Some(read_orders_own(&input, levels, names)))
            })
        });
        let opened = TableInput::open(nodes).map(|nodes| {
            let _ = nodes_read.set(read_nodes_input(&nodes, levels));
        });
        // The orders are read once the stock is open: its error is not held up by their read.
        let stock = opened.and_then(|()| StockSource::open(stock));
        if stock.is_ok() {
            let _ = read_now.send(());
        }
        drop(read_now);
        let StockSource::Parquet(stock) = stock? else {
            unreachable!("a Parquet stock is opened as one")
        };
        let network = nodes_read
            .get()
            .expect("nodes.csv was read")
            .as_ref()
            .ok()
            .map(|l| &l.value);
        // The orders' thread takes a core: the stock is read on the others.
        let busy = usize::from(orders.is_some());
        let stock_read = read_stock_file(&stock, network, skus, busy);
        let orders_read = match orders_thread {
            None => None,
            Some(h) => Some(
                h.join()
                    .expect("the orders reader panicked")?
                    .expect("the orders are read once the nodes are read and the stock open"),
            ),
        };
        Ok((stock_read, orders_read))
    })?;
    let nodes_read = nodes_read.into_inner().expect("nodes.csv was read");
    Ok((nodes_read, stock_read, orders_read))
}

#[cfg(test)]
mod tests {
    use crate::test_arrow::csv_to_parquet;
    use crate::{InputError, Inputs, Source, StockSource, TableInput};

    /// What the files at these paths load to, opened one after the other (nodes, stock, orders,
    /// policies).
    fn one_by_one(
        nodes: &str,
        stock: &str,
        orders: Option<&str>,
        policies: &[String],
    ) -> Result<Inputs, InputError> {
        let nodes = TableInput::open(nodes)?;
        let stock = StockSource::open(stock)?;
        let orders = orders.map(TableInput::open).transpose()?;
        let policies = (policies.iter().map(|p| Source::open(p))).collect::<Result<Vec<_>, _>>()?;
        Inputs::load_stock_source(&nodes, &stock, orders.as_ref(), &policies)
    }

    /// A Parquet stock's files, decoded at once, the orders read beside the stock, load as
    /// opened one after the other: the same SKU ids, stock and orders, the same problems of every
    /// file in the same order, and of files that cannot be decoded, the first one's error alone.
    #[test]
    fn parquet_files_opened_at_once_load_as_one_after_the_other() {
        let dir = tempfile::tempdir().unwrap();
        let file = |name: &str, csv: &str| {
            let path = dir.path().join(name);
            if csv.is_empty() {
                std::fs::write(&path, "not a Parquet file").unwrap();
            } else {
                csv_to_parquet(csv, &path);
            }
            path.to_str().unwrap().to_owned()
        };
        let nodes = file(
            "nodes.parquet",
            "node_id,lat,lon\nW1,28.6,77.2\nS1,19.1,72.9\n",
        );
        let bad_nodes = file("bad_nodes.parquet", "node_id,lat,lon\nW1,28.6,777\n");
        let stock = file(
            "stock.parquet",
            "node_id,sku,qty\nW1,A,1\nS1,B,2\nW1,C,3\nS1,A,4\n",
        );
        let orders = file(
            "orders.parquet",
            "order_id,sku,qty,dest_lat,dest_lon,exclude_nodes\n\
             O1,D,1,28.6,77.2,\nO1,B,1,28.6,77.2,\nO2,C,2,19.1,72.9,S1\nO3,A,x,19.1,72.9,S9\n",
        );
        let good_orders = file(
            "good_orders.parquet",
            "order_id,sku,qty,dest_lat,dest_lon\nO1,D,1,28.6,77.2\nO1,B,1,28.6,77.2\nO2,A,2,19.1,72.9\n",
        );
        let unreadable = file("unreadable.parquet", "");
        let unreadable_orders = file("unreadable_orders.parquet", "");
        let shown = |r: Result<Inputs, InputError>| match r {
            Ok(i) => format!(
                "{:?} {:?} {:?}",
                i.orders,
                i.stock,
                (0..i.skus.len() as u32)
                    .map(|s| i.skus.name(omniroute_core::SkuId(s)).to_owned())
                    .collect::<Vec<_>>()
            ),
            Err(e) => format!("{:?}", e.problems()),
        };
        // A policy file that does not exist: its error comes after every other file's.
        let missing = vec![dir.path().join("missing.toml").to_str().unwrap().to_owned()];
        for (n, s, o, policies) in [
            (&nodes, &stock, Some(&good_orders), &[][..]),
            (&nodes, &stock, Some(&orders), &[]),
            (&bad_nodes, &stock, Some(&orders), &[]),
            (&bad_nodes, &stock, Some(&unreadable_orders), &[]),
            (&unreadable, &stock, Some(&unreadable_orders), &[]),
            (&nodes, &unreadable, Some(&unreadable_orders), &[]),
            (&nodes, &stock, None, &[]),
            (&bad_nodes, &stock, None, &[]),
            (&nodes, &stock, Some(&good_orders), &missing),
            (&nodes, &stock, Some(&unreadable_orders), &missing),
            (&unreadable, &stock, Some(&good_orders), &missing),
        ] {
            let o = o.map(String::as_str);
            let at_once = shown(Inputs::open(n, s, o, policies));
            assert_eq!(
                at_once,
                shown(one_by_one(n, s, o, policies)),
                "{n} {s} {o:?}"
            );
        }
        let ok = shown(Inputs::open(&nodes, &stock, Some(&good_orders), &[]));
        assert!(ok.ends_with(r#"["A", "B", "C", "D"]"#), "{ok}");
        let codes = |n: &str, o: &str| match Inputs::open(n, &stock, Some(o), &[]) {
            Ok(_) => Vec::new(),
            Err(e) => e.problems().into_iter().map(|p| p.code).collect(),
        };
        // The orders' node lists are checked against the network read beside them.
        assert_eq!(codes(&nodes, &orders), ["E1040", "E1008"]);
        assert_eq!(codes(&bad_nodes, &orders), ["E1010", "E1008"]);
        assert_eq!(codes(&bad_nodes, &unreadable_orders), ["E1201"]);
    }
}
