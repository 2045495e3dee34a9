//! Loading a whole routing input (nodes, stock, orders, policy) at once, with every problem of
//! every file gathered before anything is returned.

use crate::{
    read_nodes, read_orders, read_policy, read_stock, InputError, Instance, Problem, StockRecord,
};
use omniroute_core::{Network, NodeIdx, Order, Policy, SkuId, Skus};
use std::io::Read;

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
        let bytes = if path == "-" {
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b).map(|_| b)
        } else {
            std::fs::read(path)
        };
        bytes
            .map(|bytes| Source {
                name: path.to_owned(),
                bytes,
            })
            .map_err(|e| InputError::Io {
                file: path.to_owned(),
                message: e.to_string(),
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
    /// The nodes.
    pub network: Network,
    /// Every SKU named in stock or orders.
    pub skus: Skus,
    /// Stock rows as read.
    pub stock: Vec<StockRecord>,
    /// Orders in arrival order (empty when no orders file was given).
    pub orders: Vec<Order>,
    /// The policy (the default when none was given).
    pub policy: Policy,
    /// Warnings from every file.
    pub warnings: Vec<Problem>,
}

impl Inputs {
    /// Reads every source. The policy is read first (it defines the service levels), then nodes,
    /// then stock and orders; every problem of every file readable so far is reported together.
    pub fn load(
        nodes: &Source,
        stock: &Source,
        orders: Option<&Source>,
        policy: Option<&Source>,
    ) -> Result<Self, InputError> {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let policy = match policy {
            None => Policy::default(),
            Some(src) => {
                if let Ok(text) = std::str::from_utf8(&src.bytes) {
                    keep(read_policy(text, &src.name), &mut problems).unwrap_or_default()
                } else {
                    problems.push(Problem {
                        code: "E2001",
                        file: src.name.clone(),
                        line: 0,
                        column: 0,
                        message: "the policy is not valid UTF-8".into(),
                        hint: "save the policy file as UTF-8".into(),
                    });
                    Policy::default()
                }
            }
        };
        let network = keep(
            read_nodes(nodes.bytes.as_slice(), &nodes.name, &policy.levels).map(|l| {
                warnings.extend(l.warnings);
                l.value
            }),
            &mut problems,
        );
        let mut skus = Skus::default();
        let stock_rows = network.as_ref().and_then(|net| {
            keep(
                read_stock(stock.bytes.as_slice(), &stock.name, net, &mut skus).map(|l| {
                    warnings.extend(l.warnings);
                    l.value
                }),
                &mut problems,
            )
        });
        let orders = match orders {
            None => Some(Vec::new()),
            Some(src) => keep(
                read_orders(src.bytes.as_slice(), &src.name, &mut skus, &policy.levels).map(|l| {
                    warnings.extend(l.warnings);
                    l.value
                }),
                &mut problems,
            ),
        };
        match (problems.is_empty(), network, stock_rows, orders) {
            (true, Some(network), Some(stock), Some(orders)) => Ok(Inputs {
                network,
                skus,
                stock,
                orders,
                policy,
                warnings,
            }),
            _ => Err(InputError::Invalid(problems)),
        }
    }

    /// Loads a generated instance (for example the embedded demo) with the default policy.
    pub fn from_instance(name: &str, inst: &Instance) -> Result<Self, InputError> {
        Self::load(
            &Source::text(&format!("{name}/nodes.csv"), inst.nodes_csv.clone()),
            &Source::text(&format!("{name}/stock.csv"), inst.stock_csv.clone()),
            Some(&Source::text(
                &format!("{name}/orders.csv"),
                inst.orders_csv.clone(),
            )),
            None,
        )
    }

    /// The embedded demo: the generated Indian day ([`crate::demo_instance`]) under the demo
    /// policy (`crates/adapters/data/demo-policy.toml`, rupee economics in paise).
    pub fn demo() -> Result<Self, InputError> {
        let inst = crate::demo_instance();
        Self::load(
            &Source::text("demo/nodes.csv", inst.nodes_csv),
            &Source::text("demo/stock.csv", inst.stock_csv),
            Some(&Source::text("demo/orders.csv", inst.orders_csv)),
            Some(&Source::text("demo/policy.toml", DEMO_POLICY)),
        )
    }

    /// `(node, sku, routable)` for every stock row: `on_hand − reserved − safety_stock`, never
    /// below zero. Feed it to `Router::stock_table`.
    pub fn routable_positions(&self) -> impl Iterator<Item = (NodeIdx, SkuId, u32)> + '_ {
        self.stock.iter().map(|r| {
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

fn keep<T>(r: Result<T, InputError>, problems: &mut Vec<Problem>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            problems.extend(e.problems());
            None
        }
    }
}
