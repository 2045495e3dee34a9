//! Partitioning a batch by region when one batch outgrows a machine (docs/scale.md).
//!
//! A [`Grid`] of `cell_deg`-degree cells gives every node and every order's destination a
//! region. [`route_partitioned`] builds one sub-network per region that has orders (its own
//! nodes and their stock only), routes the region's orders in arrival order on it (regions side
//! by side on rayon's threads; each part could as well run on its own machine, since it needs
//! nothing from the others), and merges the decisions back into one plan in the full network's
//! indices. Orders whose region has no node are routed last, on the full network, against the
//! stock and capacity every region left.
//!
//! What it gives up: an order routed in its region never ships from another region. In the
//! single run an order **crosses** when it ships from a node outside its destination's region;
//! every other order gets the same shipments in both runs unless a crossing order earlier in
//! the batch used, in either run, a node of its region (then the stock or capacity it saw
//! differs). An order with more than `EXACT_MAX_LINES` lines is solved by the greedy cover in
//! both runs and may differ when its candidates differ. Unfilled lines may carry a different
//! reason (the region's view of why).

use crate::codes::ReportCode;
use crate::{Decision, Load, Network, NetworkError, NodeIdx, Order, Plan, Router, SkuId};
use jiff::Timestamp;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// A cell of the grid (a region): (row, column), the south-west corner over the cell size.
pub type Cell = (i32, i32);

/// Why a partition cannot be made. Each has a stable `E80xx` code (docs/errors.md).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PartitionError {
    /// The grid's cell is not a positive number of degrees of at most 180.
    #[error("grid cell of {0} degrees: give a cell size above 0 and at most 180 degrees")]
    BadCell(f64),
    /// A region's nodes do not make a network.
    #[error(transparent)]
    Network(#[from] NetworkError),
}

impl PartitionError {
    /// The stable code: `E8011` bad cell, `E8012` a region's network.
    pub fn code(&self) -> &'static str {
        match self {
            PartitionError::BadCell(_) => ReportCode::BadCell.id(),
            PartitionError::Network(_) => ReportCode::RegionNetwork.id(),
        }
    }
}

/// Square cells of `cell_deg` degrees of latitude and longitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grid {
    cell_deg: f64,
}

impl Grid {
    /// A grid of `cell_deg`-degree cells.
    ///
    /// # Errors
    ///
    /// [`PartitionError::BadCell`] unless `0 < cell_deg ≤ 180`.
    ///
    /// ```
    /// # use omniroute_core::{Grid, LatLng};
    /// let grid = Grid::new(5.0)?;
    /// assert_eq!(grid.region(LatLng::new(28.6, 77.2)?), (5, 15));
    /// assert_eq!(grid.region(LatLng::new(-0.5, -0.5)?), (-1, -1));
    /// assert!(Grid::new(0.0).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(cell_deg: f64) -> Result<Self, PartitionError> {
        if cell_deg > 0.0 && cell_deg <= 180.0 {
            Ok(Self { cell_deg })
        } else {
            Err(PartitionError::BadCell(cell_deg))
        }
    }

    /// The region of a place.
    pub fn region(&self, at: crate::LatLng) -> Cell {
        let cell = |deg: f64| (deg / self.cell_deg).floor() as i32;
        (cell(at.lat_deg()), cell(at.lon_deg()))
    }
}

/// One region's share of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The region.
    pub region: Cell,
    /// Its nodes (indices in the full network), ascending.
    pub nodes: Vec<NodeIdx>,
    /// Its orders (indices in the batch), in arrival order.
    pub orders: Vec<usize>,
}

/// Splits a batch by region: every region with at least one order, ascending by region.
pub fn split(grid: Grid, network: &Network, orders: &[Order]) -> Vec<Part> {
    let mut parts: BTreeMap<Cell, Part> = BTreeMap::new();
    let part = |region| Part {
        region,
        nodes: Vec::new(),
        orders: Vec::new(),
    };
    for (i, o) in orders.iter().enumerate() {
        let r = grid.region(o.destination);
        parts.entry(r).or_insert_with(|| part(r)).orders.push(i);
    }
    for (i, n) in network.nodes().iter().enumerate() {
        if let Some(p) = parts.get_mut(&grid.region(n.location)) {
            p.nodes.push(NodeIdx(i as u32));
        }
    }
    parts.into_values().collect()
}

/// A partitioned run.
#[derive(Debug, Clone)]
pub struct Partitioned {
    /// The merged plan, one decision per order, in the full network's indices.
    pub plan: Plan,
    /// The parts routed.
    pub parts: Vec<Part>,
    /// Orders of regions without a node, routed last on the full network.
    pub last: Vec<usize>,
}

/// Routes `orders` region by region (see the module docs). `positions` are the routable
/// `(node, sku, units)` of the full network; `make_router` builds a router over a network
/// (a region's, then the full one) under the caller's policy.
///
/// # Errors
///
/// [`PartitionError::Network`] when a region's nodes do not make a network (they always do
/// when `network` is valid).
pub fn route_partitioned(
    grid: Grid,
    network: &Network,
    orders: &[Order],
    positions: &[(NodeIdx, SkuId, u32)],
    now: Timestamp,
    make_router: &(dyn Fn(Network) -> Router + Sync),
) -> Result<Partitioned, PartitionError> {
    let parts = split(grid, network, orders);
    let routed: Vec<Vec<(usize, Decision)>> = parts
        .par_iter()
        .filter(|p| !p.nodes.is_empty())
        .map(|p| route_part(p, network, orders, positions, now, make_router))
        .collect::<Result<_, _>>()?;
    let mut decisions: Vec<Option<Decision>> = vec![None; orders.len()];
    for (i, d) in routed.into_iter().flatten() {
        decisions[i] = Some(d);
    }
    let last: Vec<usize> = parts
        .iter()
        .filter(|p| p.nodes.is_empty())
        .flat_map(|p| p.orders.iter().copied())
        .collect();
    if !last.is_empty() {
        let full = make_router(network.clone());
        let mut left = full.stock_table(positions.iter().copied());
        let mut load = Load::default();
        for (order, d) in orders.iter().zip(&decisions) {
            for s in d.iter().flat_map(|d| &d.shipments) {
                load.add_shipment(s.node, s.units);
                for &l in &s.lines {
                    left.take(s.node, order.lines[l].sku, order.lines[l].qty);
                }
            }
        }
        let mut last_sorted = last.clone();
        last_sorted.sort_unstable();
        for i in last_sorted {
            let d = full.route(&orders[i], &left, &load, now);
            for s in &d.shipments {
                load.add_shipment(s.node, s.units);
                for &l in &s.lines {
                    left.take(s.node, orders[i].lines[l].sku, orders[i].lines[l].qty);
                }
            }
            decisions[i] = Some(d);
        }
    }
    let decisions = decisions
        .into_iter()
        .map(|d| d.expect("every order is in a part"))
        .collect();
    Ok(Partitioned {
        plan: Plan::from_decisions(orders, decisions),
        parts,
        last,
    })
}

/// Routes one part on its own sub-network; decisions in the full network's indices.
fn route_part(
    part: &Part,
    network: &Network,
    orders: &[Order],
    positions: &[(NodeIdx, SkuId, u32)],
    now: Timestamp,
    make_router: &(dyn Fn(Network) -> Router + Sync),
) -> Result<Vec<(usize, Decision)>, PartitionError> {
    // Full index → sub index, for the part's nodes.
    let sub_of = |n: NodeIdx| part.nodes.binary_search(&n).ok().map(|i| NodeIdx(i as u32));
    let nodes = part
        .nodes
        .iter()
        .map(|&n| network.node(n).clone())
        .collect();
    let router = make_router(Network::new(nodes)?);
    let stock = router.stock_table(
        positions
            .iter()
            .filter_map(|&(n, sku, units)| sub_of(n).map(|s| (s, sku, units))),
    );
    let sub_orders: Vec<Order> = part
        .orders
        .iter()
        .map(|&i| {
            let mut o = orders[i].clone();
            o.excluded = o.excluded.iter().filter_map(|&n| sub_of(n)).collect();
            let pinned: Vec<NodeIdx> = o.pinned.iter().filter_map(|&n| sub_of(n)).collect();
            if !o.pinned.is_empty() && pinned.is_empty() {
                // Pinned to nodes of other regions only: none of this region may serve it.
                o.excluded = (0..part.nodes.len() as u32).map(NodeIdx).collect();
            }
            o.pinned = pinned;
            o
        })
        .collect();
    let plan = router.route_sequential(&sub_orders, &stock, now);
    let full = |s: NodeIdx| part.nodes[s.0 as usize];
    Ok(part
        .orders
        .iter()
        .copied()
        .zip(plan.decisions)
        .map(|(i, mut d)| {
            for s in &mut d.shipments {
                s.node = full(s.node);
            }
            for c in &mut d.candidates {
                c.node = full(c.node);
            }
            (i, d)
        })
        .collect())
}
