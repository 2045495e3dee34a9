//! The holder queries against a plain map of positions.

use super::StockTable;
use crate::{LatLng, NodeIdx, SkuId};
use proptest::prelude::*;

proptest! {
    /// The nodes holding enough of every SKU, from the bitmaps (with each holder's place in
    /// its list taken from its rank in the bitmap) or from the lists, are exactly those a scan
    /// of every node finds, and [`StockTable::holds_all`] accepts exactly them; on up to 300 nodes, so ranks cross many 64-bit words.
    #[test]
    fn full_holders_are_the_nodes_holding_enough_of_every_sku(
        rows in proptest::collection::vec((0u32..300, 0u32..4, 1u32..5), 0..900),
        changes in proptest::collection::vec((0u32..320, 0u32..4, 1u32..5, any::<bool>()), 0..60),
        needs in proptest::collection::vec(1u32..4, 1..4),
        dense in prop_oneof![Just(1usize), Just(usize::MAX)],
    ) {
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
        let mut found = Vec::new();
        table.full_holders(&needs, &mut found);
        let expected: Vec<NodeIdx> = (0..320)
            .map(NodeIdx)
            .filter(|&n| {
                needs
                    .iter()
                    .all(|&(s, q)| held.get(&(n.0, s.0)).copied().unwrap_or(0) >= q)
            })
            .collect();
        let members: Vec<NodeIdx> =
            (0..320).map(NodeIdx).filter(|&n| table.holds_all(&needs, n)).collect();
        prop_assert_eq!(&found, &expected);
        prop_assert_eq!(members, expected);
    }
}
