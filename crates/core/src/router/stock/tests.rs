//! The holder queries against a plain map of positions.

use super::StockTable;
use crate::router::node_set::NodeSet;
use crate::{LatLng, NodeIdx, SkuId};
use proptest::prelude::*;

proptest! {
    /// The nodes holding enough of every SKU, from the bitmaps (with each holder's place in
    /// its list taken from its rank in the bitmap), from the lists, or from both (some SKUs with
    /// a bitmap, some without: the shortest list walked, the others looked up as it goes), are
    /// exactly those a scan
    /// of every node finds, [`StockTable::holds_all`] accepts exactly them and
    /// [`StockTable::qty`] reads each position's units, and [`StockTable::holdings_within`] lists
    /// each SKU's holders among a set of nodes with their units;
    /// [`StockTable::full_holders_below`] lists them below its cap, counting at least as many; on up to 1,200 nodes, so ranks
    /// cross many 64-bit words, and changes reach beyond the bitmaps' end.
    #[test]
    fn full_holders_are_the_nodes_holding_enough_of_every_sku(
        rows in proptest::collection::vec((0u32..1200, 0u32..7, 1u32..5), 0..3600),
        changes in proptest::collection::vec((0u32..1300, 0u32..4, 1u32..5, any::<bool>()), 0..60),
        needs in proptest::collection::vec(1u32..4, 1..4),
        dense in prop_oneof![Just(1usize), Just(300), Just(usize::MAX)],
        within in proptest::collection::vec(0u32..1300, 0..600),
        cap_shift in 0usize..3,
    ) {
        // SKU 3 has about four times the rows of each other SKU, so that with bitmaps from 300
        // holders some SKUs of an order have one and some do not.
        let rows: Vec<(u32, u32, u32)> = rows.iter().map(|&(n, s, q)| (n, s.min(3), q)).collect();
        let mut table = StockTable::from_positions(
            rows.iter().map(|&(n, s, q)| (NodeIdx(n), SkuId(s), q)),
        );
        table.bound_holders(|_| LatLng::new(0.0, 0.0).unwrap(), dense);
        // The same positions in a plain map: the oracle shares no code with the table.
        let mut held = std::collections::HashMap::<(u32, u32), u32>::new();
        for &(n, s, q) in &rows {
            *held.entry((n, s)).or_default() += q;
        }
        // Reservations and restocks after the bitmaps are built (new holders, sold out).
        for &(n, s, q, add) in &changes {
            let units = held.entry((n, s)).or_default();
            if add {
                table.add(NodeIdx(n), SkuId(s), q);
                *units += q;
            } else {
                table.take(NodeIdx(n), SkuId(s), q);
                *units -= q.min(*units);
            }
        }
        let needs: Vec<(SkuId, u32)> =
            needs.iter().enumerate().map(|(s, &q)| (SkuId(s as u32), q)).collect();
        let found: Vec<NodeIdx> = table.full_holders(&needs).iter().collect();
        let expected: Vec<NodeIdx> = (0..1300)
            .map(NodeIdx)
            .filter(|&n| {
                needs
                    .iter()
                    .all(|&(s, q)| held.get(&(n.0, s.0)).copied().unwrap_or(0) >= q)
            })
            .collect();
        let members: Vec<NodeIdx> =
            (0..1300).map(NodeIdx).filter(|&n| table.holds_all(&needs, n)).collect();
        prop_assert_eq!(&found, &expected);
        // Listed below a cap on the count, or only counted.
        let count = table.full_holders_at_most(&needs);
        let cap = (count + cap_shift).saturating_sub(1); // just below, at or above the count
        let (at_most, below) = table.full_holders_below(&needs, cap);
        prop_assert_eq!(at_most, count);
        prop_assert!(count >= expected.len());
        let below: Option<Vec<NodeIdx>> = below.map(|set| set.iter().collect());
        prop_assert_eq!(below, (at_most < cap).then(|| expected.clone()));
        prop_assert_eq!(members, expected);
        for n in 0..1300 {
            for s in 0..4 {
                let units = held.get(&(n, s)).copied().unwrap_or(0);
                prop_assert_eq!(table.qty(NodeIdx(n), SkuId(s)), units);
            }
        }
        let bits = NodeSet::from_nodes(1300, within.iter().map(|&n| NodeIdx(n)));
        for s in 0..4 {
            let mut listed = Vec::new();
            table.holdings_within(SkuId(s), &bits, |n, units| listed.push((n, units)));
            let mut expected: Vec<(NodeIdx, u32)> = within
                .iter()
                .map(|&n| (NodeIdx(n), held.get(&(n, s)).copied().unwrap_or(0)))
                .filter(|&(_, units)| units > 0)
                .collect();
            expected.sort_unstable();
            expected.dedup();
            prop_assert_eq!(listed, expected);
        }
    }

    /// Each SKU's cap radius is the haversine distance from its centre to its furthest holder,
    /// bit for bit, with holders anywhere (antipodes and repeated places included).
    #[test]
    fn a_cap_reaches_exactly_the_furthest_holder(
        places in proptest::collection::vec((-90.0f64..=90.0, -180.0f64..=180.0), 1..40),
        rows in proptest::collection::vec((0u32..40, 0u32..3), 1..120),
        antipodes in any::<bool>(),
    ) {
        let mut places: Vec<LatLng> =
            places.iter().map(|&(lat, lon)| LatLng::new(lat, lon).unwrap()).collect();
        if antipodes {
            let first = places[0];
            let lon = if first.lon_deg() > 0.0 { first.lon_deg() - 180.0 } else { first.lon_deg() + 180.0 };
            places.push(LatLng::new(-first.lat_deg(), lon).unwrap());
        }
        let n = places.len() as u32;
        let rows: Vec<(NodeIdx, SkuId, u32)> =
            rows.iter().map(|&(node, s)| (NodeIdx(node % n), SkuId(s), 1)).collect();
        let mut table = StockTable::from_positions(rows.iter().copied());
        table.bound_holders(|node| places[node.0 as usize], usize::MAX);
        for (s, cap) in table.caps.iter().enumerate() {
            let Some((centre, radius)) = *cap else { continue };
            let furthest = table
                .holders(SkuId(s as u32))
                .iter()
                .map(|&node| centre.distance_km(places[node.0 as usize]))
                .fold(0.0, f64::max);
            prop_assert_eq!(radius.to_bits(), (furthest + 1e-6).to_bits());
        }
    }
}
