//! The line floors from the nodes within an order's reach limit (`LineFloors::compute`'s
//! shortcut) equal those from the posting lists, and the unfilled lines' nearest holder from a
//! walk of the spatial index equals the one the posting pass finds (and so do the floors from
//! each kind's nodes within its reach); the floors of lines left unread are weaker, and equal
//! once read.

use super::choose;
use super::floors::{within_reach, LineFloors};
use super::order_terms::OrderTerms;
use super::scan_limits::{POSTING_LIMIT, WALK_DIVISOR};
use super::tests::{arb_case, now};
use super::{Load, Router};
use crate::NodeIdx;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    #[test]
    fn floors_from_the_nodes_in_reach_equal_the_posting_lists(
        case in arb_case(14, 4, 4),
        dense in prop_oneof![Just(1usize), Just(usize::MAX)],
    ) {
        let mut case = case;
        let network = case.network.clone();
        // Every SKU a bitmap (the nodes in reach ANDed with it), or none (its list read).
        case.stock.bound_holders(|n| network.node(n).location, dense);
        // An odd walk: the nearest holders come from the walk whenever the SKU has a bitmap.
        let router = Router::new(case.network.clone(), case.policy.clone())
            .with_limits(POSTING_LIMIT, 1, WALK_DIVISOR);
        let r = &router.versions[0].1;
        let index = r.network.index();
        let every = index.subtree((0..index.len() as u32).map(NodeIdx));
        for order in &case.orders {
            let terms = OrderTerms::resolve(order, &r.policy);
            let load = Load::default();
            r.search(order, &terms, &case.stock, &load, now(), None, None, |mut s| {
                let lists = LineFloors::compute_with(&s, None, usize::MAX);
                let dest = order.destination.unit_vector();
                let limit = s.reach.limit_chord2();
                let near = every.within_chord2(dest, limit, usize::MAX);
                let by_near = LineFloors::compute_with(&s, near.as_deref(), usize::MAX);
                same_floors(&by_near, &lists)?;
                // The nodes of each kind within its reach at the level: the same floors.
                if limit < 4.0 {
                    let reach = within_reach(&s, dest, limit, usize::MAX);
                    let by_kind = LineFloors::compute_with(&s, reach.as_deref(), usize::MAX);
                    same_floors(&by_kind, &lists)?;
                }
                let lines = order.lines.len();
                s.floors = Some(lists);
                let from_lists: Vec<_> = (0..lines).map(|l| s.nearest_holder(l)).collect();
                s.floors = Some(by_near);
                let walked: Vec<_> = (0..lines).map(|l| s.nearest_holder(l)).collect();
                prop_assert_eq!(walked, from_lists);
                Ok(())
            })?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    /// Floors that leave every list they may unread bound no tighter than the read ones (lower
    /// costs, further reach, less sunk), and once the lines are read equal them.
    #[test]
    fn unread_floors_are_weaker_until_read(case in arb_case(14, 4, 4)) {
        let router = Router::new(case.network.clone(), case.policy.clone());
        let r = &router.versions[0].1;
        for order in &case.orders {
            let terms = OrderTerms::resolve(order, &r.policy);
            let load = Load::default();
            r.search(order, &terms, &case.stock, &load, now(), None, None, |s| {
                let read = LineFloors::compute_with(&s, None, usize::MAX);
                let mut unread = LineFloors::compute_with(&s, None, 0);
                prop_assert!(read.unread.is_empty());
                for l in 0..order.lines.len() {
                    prop_assert!(unread.min_cents[l] <= read.min_cents[l]);
                    // (A line no node may ship is sunk instead, its cover 0.)
                    let sunk = read.min_cents[l] == choose::INF && !terms.ship_complete;
                    prop_assert!(sunk || unread.cover_cents[l] <= read.cover_cents[l]);
                    prop_assert!(unread.reach_km[l] >= read.reach_km[l]);
                    prop_assert_eq!(unread.any_may_ship(&s, l), read.any_may_ship(&s, l));
                }
                prop_assert!(unread.sunk_cents <= read.sunk_cents);
                let every = unread.unread.clone();
                unread.read(&s, &every);
                prop_assert!(unread.unread.is_empty());
                // (Its nearest may-ship distance stays the bound it took while unread.)
                unread.near_km = read.near_km;
                same_floors(&unread, &read)?;
                Ok(())
            })?;
        }
    }
}

/// Fails unless `a` and `b` are the same floors.
fn same_floors(a: &LineFloors, b: &LineFloors) -> Result<(), TestCaseError> {
    prop_assert_eq!(&a.min_cents, &b.min_cents);
    prop_assert_eq!(&a.cover_cents, &b.cover_cents);
    prop_assert_eq!(&a.reach_km, &b.reach_km);
    prop_assert_eq!(&a.qualified, &b.qualified);
    prop_assert_eq!(a.sunk_cents, b.sunk_cents);
    prop_assert_eq!(a.near_km.to_bits(), b.near_km.to_bits());
    Ok(())
}
