//! Partitioning by region (docs/scale.md) on a generated instance: the partitioned run and the
//! single run agree on every order that does not cross regions and that no earlier crossing
//! order could have disturbed.

use omniroute_adapters::{generate, india_cities, GenConfig, Inputs, Source};
use omniroute_core::{route_partitioned, Cell, Grid, Network, NodeIdx, NodeKind, Router, SkuId};
use std::collections::BTreeMap;
use std::sync::Arc;

#[test]
fn partitioned_and_single_runs_agree_on_orders_that_do_not_cross_regions() {
    let cfg = GenConfig {
        seed: 5,
        warehouses: 8,
        stores: 80,
        dealers: 200,
        skus: 5_000,
        orders: 3_000,
        max_lines: 4,
        categories: 10,
        ..GenConfig::demo()
    };
    let inst = generate(&india_cities(), &cfg);
    let inputs = Inputs::load(
        &Source::text("p/nodes.csv", inst.nodes_csv).into(),
        &Source::text("p/stock.csv", inst.stock_csv).into(),
        Some(&Source::text("p/orders.csv", inst.orders_csv).into()),
        &[],
    )
    .expect("generated instances are valid");
    let policy = inputs.policies.versions.earliest().clone();
    let make = |net: Network| Router::new(net, policy.clone());
    // Without daily capacities: a node's load couples every order of its region, so one early
    // crossing order would disturb whole regions; stock couples only the orders of one SKU.
    let nodes = inputs.network.nodes().iter().cloned().map(|mut n| {
        (n.capacity_units, n.capacity_shipments) = (None, None);
        n
    });
    let network = Arc::new(Network::new(nodes.collect()).unwrap());
    assert!(NodeKind::ALL
        .iter()
        .all(|&k| policy.kind(k).capacity_units.is_none()));
    let orders = &inputs.orders;
    let positions: Vec<_> = inputs.routable_positions().collect();
    let now = "2026-11-26T12:00:00Z".parse().unwrap();
    let full = Router::new(Arc::clone(&network), policy.clone());
    let single = full.route_sequential(orders, &full.stock_table(positions.iter().copied()), now);
    let grid = Grid::new(6.0).unwrap();
    let parted = route_partitioned(grid, &network, orders, &positions, now, &make).unwrap();
    assert!(parted.parts.len() > 8, "{} regions", parted.parts.len());

    let region_of_node = |n: NodeIdx| grid.region(network.node(n).location);
    let nodeless: Vec<Cell> = parted
        .parts
        .iter()
        .filter(|p| p.nodes.is_empty())
        .map(|p| p.region)
        .collect();
    // An order crosses when the single run ships it from another region, or its region has no
    // node. From a crossing order on, the stock of each (node, SKU) it took in either run is
    // disturbed for the orders of that node's region asking for that SKU.
    let mut stock_from: BTreeMap<(NodeIdx, SkuId), usize> = BTreeMap::new();
    let mut crossing = vec![false; orders.len()];
    for (i, o) in orders.iter().enumerate() {
        let home = grid.region(o.destination);
        let s = &single.decisions[i];
        crossing[i] = nodeless.contains(&home)
            || s.shipments.iter().any(|sh| region_of_node(sh.node) != home);
        if crossing[i] {
            for sh in s
                .shipments
                .iter()
                .chain(&parted.plan.decisions[i].shipments)
            {
                for &l in &sh.lines {
                    stock_from.entry((sh.node, o.lines[l].sku)).or_insert(i);
                }
            }
        }
    }
    let (mut compared, mut crossed) = (0, 0);
    for (i, o) in orders.iter().enumerate() {
        if crossing[i] {
            crossed += 1;
            continue;
        }
        let home = grid.region(o.destination);
        let before = |from: Option<&usize>| from.is_some_and(|&f| f < i);
        let stock_disturbed = o.lines.iter().any(|l| {
            stock_from
                .range((NodeIdx(0), l.sku)..)
                .any(|(&(n, sku), f)| sku == l.sku && region_of_node(n) == home && before(Some(f)))
        });
        if stock_disturbed {
            continue;
        }
        compared += 1;
        let (s, p) = (&single.decisions[i], &parted.plan.decisions[i]);
        assert_eq!(s.shipments, p.shipments, "order {}", o.id);
        assert_eq!(s.cost_cents(), p.cost_cents(), "order {}", o.id);
    }
    // Some orders cross, and some of those ship otherwise (the partition is not a no-op); the
    // comparison covers a third of the orders (1,012 of 3,000 at 6 degrees when written).
    let differ = (0..orders.len())
        .filter(|&i| {
            crossing[i] && single.decisions[i].shipments != parted.plan.decisions[i].shipments
        })
        .count();
    assert!(
        crossed > 0 && differ > 0,
        "{crossed} cross, {differ} differ"
    );
    assert!(
        compared * 3 > orders.len(),
        "{compared} of {} compared, {crossed} cross",
        orders.len()
    );
}
