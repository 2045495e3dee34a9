//! `orders.csv`'s per-order node lists: `exclude_nodes` (nodes that must not serve the order)
//! and `only_nodes` (pins: only these may), `;`-separated node ids resolved against nodes.csv.
//! Problems: `E1040` an id not in nodes.csv, `E1041` lists given where no network is known,
//! `E1042` a node in both lists.

use super::fields::{Col, Row};
use crate::problem::clip;
use omniroute_core::codes::InputCode;
use omniroute_core::{Network, NodeIdx};

/// What node ids are resolved against.
#[derive(Clone, Copy)]
pub(crate) enum NodeNames<'a> {
    /// The network of the run.
    Network(&'a Network),
    /// No network, because it failed to load (its problems are reported): lists are not read.
    Unchecked,
    /// No network at all: a non-empty list is `E1041`.
    Missing,
}

/// The order's (excluded, pinned) nodes from `row`, or `None` after reporting a problem.
pub(crate) fn node_lists(
    row: &mut Row<'_>,
    exclude: Col,
    only: Col,
    names: NodeNames<'_>,
) -> Option<(Vec<NodeIdx>, Vec<NodeIdx>)> {
    let before = row.errors();
    let excluded = resolve(row, exclude, names);
    let pinned = resolve(row, only, names);
    if let Some(&both) = pinned.iter().find(|n| excluded.contains(n)) {
        let id = match names {
            NodeNames::Network(net) => net.node(both).id.as_str(),
            _ => "",
        };
        row.error(
            InputCode::NodeInBothLists.id(),
            only,
            format!(
                "node {:?} is both in only_nodes and in exclude_nodes",
                clip(id)
            ),
            "name a node in one of the two lists (only_nodes pins the order to its nodes; \
             exclude_nodes keeps nodes out)",
        );
    }
    (row.errors() == before).then_some((excluded, pinned))
}

fn resolve(row: &mut Row<'_>, col: Col, names: NodeNames<'_>) -> Vec<NodeIdx> {
    let ids = row.list(col);
    let column = col.map_or("", |i| row.name(i));
    let mut out = Vec::with_capacity(ids.len());
    match names {
        NodeNames::Unchecked => {}
        NodeNames::Missing => {
            if !ids.is_empty() {
                row.error(
                    InputCode::NodeListWithoutNetwork.id(),
                    col,
                    format!("{column} names nodes, but no network was given to find them in"),
                    "read the orders with the network (the CLI and Python do; in Rust call \
                     read_orders_in), or leave the column empty",
                );
            }
        }
        NodeNames::Network(net) => {
            for id in ids {
                match net.find(&id) {
                    Some(n) if !out.contains(&n) => out.push(n),
                    Some(_) => {}
                    None => row.error(
                        InputCode::UnknownOrderNode.id(),
                        col,
                        format!(
                            "{column} names node {:?}, which is not in nodes.csv",
                            clip(&id)
                        ),
                        "name nodes by their node_id in nodes.csv, `;`-separated",
                    ),
                }
            }
        }
    }
    out
}
