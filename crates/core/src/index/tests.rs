//! Spatial index tests: known cities, edge cases, and property tests against a brute-force scan.
// Distances must be bit-identical to `LatLng::distance_km`, so the tests compare floats exactly.
#![allow(clippy::float_cmp)]

use super::*;
use crate::EARTH_RADIUS_KM;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use rstar::RTreeNode;

fn ll(lat: f64, lon: f64) -> LatLng {
    LatLng::new(lat, lon).unwrap()
}

/// Every node with its haversine km from `from`, sorted by `(km, idx)`.
fn brute(points: &[LatLng], from: LatLng) -> Vec<(NodeIdx, f64)> {
    let mut all: Vec<(NodeIdx, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, p)| (NodeIdx(i as u32), from.distance_km(*p)))
        .collect();
    all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    all
}

fn ids(walk: &[(NodeIdx, f64)]) -> Vec<u32> {
    walk.iter().map(|w| w.0 .0).collect()
}

/// The largest f64 below a positive finite `x`.
fn just_below(x: f64) -> f64 {
    f64::from_bits(x.to_bits() - 1)
}

const DELHI: (f64, f64) = (28.6139, 77.2090);
const MUMBAI: (f64, f64) = (19.0760, 72.8777);
const PUNE: (f64, f64) = (18.5204, 73.8567);
const KOLKATA: (f64, f64) = (22.5726, 88.3639);

fn indian_cities() -> SpatialIndex {
    SpatialIndex::new([DELHI, MUMBAI, PUNE, KOLKATA].map(|(lat, lon)| ll(lat, lon)))
}

#[test]
fn nearest_from_pune_walks_pune_mumbai_delhi_kolkata() {
    let walk: Vec<_> = indian_cities().nearest(ll(PUNE.0, PUNE.1)).collect();
    assert_eq!(ids(&walk), [2, 1, 0, 3]);
    assert_eq!(walk[0].1, 0.0);
    assert!((110.0..130.0).contains(&walk[1].1), "{}", walk[1].1);
    assert!((1150.0..1200.0).contains(&walk[2].1), "{}", walk[2].1);
}

#[test]
fn within_km_of_mumbai_finds_pune_not_delhi() {
    let index = indian_cities();
    let near = index.within_km(ll(MUMBAI.0, MUMBAI.1), 150.0);
    assert_eq!(ids(&near), [1, 2]);
    assert_eq!(
        near[1].1,
        ll(MUMBAI.0, MUMBAI.1).distance_km(ll(PUNE.0, PUNE.1))
    );
    assert_eq!(ids(&index.within_km(ll(MUMBAI.0, MUMBAI.1), 0.0)), [1]);
    assert_eq!(ids(&index.within_km(ll(0.0, 0.0), f64::INFINITY)).len(), 4);
    assert!(index.within_km(ll(MUMBAI.0, MUMBAI.1), -0.5).is_empty());
    assert!(index.within_km(ll(MUMBAI.0, MUMBAI.1), f64::NAN).is_empty());
}

#[test]
fn nearest_crosses_the_antimeridian() {
    // Suva (Fiji), Apia (Samoa), and Cairns (Australia).
    let index = SpatialIndex::new([
        ll(-16.9186, 145.7781),
        ll(-13.8333, -171.7667),
        ll(-18.1416, 178.4419),
    ]);
    let walk: Vec<_> = index.nearest(ll(-17.0, -179.9999)).collect();
    assert_eq!(ids(&walk), [2, 1, 0]);
    assert!(walk[0].1 < 250.0, "{}", walk[0].1);
}

#[test]
fn all_longitudes_meet_at_the_pole() {
    let index = SpatialIndex::new([
        ll(90.0, 0.0),
        ll(0.0, 0.0),
        ll(90.0, -180.0),
        ll(89.9999, 120.0),
    ]);
    let walk: Vec<_> = index.nearest(ll(90.0, 77.0)).collect();
    assert_eq!(ids(&walk), [0, 2, 3, 1]);
    assert!(
        walk[1].1 < 1e-9 && (walk[2].1 - 0.0111).abs() < 1e-3,
        "{walk:?}"
    );
}

#[test]
fn duplicates_come_in_index_order() {
    let points: Vec<LatLng> = (0..40)
        .map(|i| {
            if i % 3 == 0 {
                ll(10.0, 10.0)
            } else {
                ll(-10.0, -10.0)
            }
        })
        .collect();
    let index = SpatialIndex::new(points.clone());
    let walk: Vec<_> = index.nearest(ll(10.0, 10.0)).collect();
    assert_eq!(walk, brute(&points, ll(10.0, 10.0)));
    assert_eq!(ids(&walk[..3]), [0, 3, 6]);
}

#[test]
fn empty_index_yields_nothing() {
    let index = SpatialIndex::new([]);
    assert!(index.is_empty());
    assert_eq!(index.len(), 0);
    assert_eq!(index.nearest(ll(0.0, 0.0)).count(), 0);
    assert!(index.within_km(ll(0.0, 0.0), f64::INFINITY).is_empty());
}

#[test]
fn location_returns_the_given_point() {
    let index = indian_cities();
    assert_eq!(index.location(NodeIdx(3)), ll(KOLKATA.0, KOLKATA.1));
    assert_eq!(index.len(), 4);
}

/// A coordinate: a special value, a uniform one, or a cluster within ~100 m of a special value.
fn coord(limit: f64, specials: &'static [f64]) -> impl Strategy<Value = f64> {
    prop_oneof![
        2 => select(specials),
        2 => -limit..=limit,
        3 => (select(specials), -1e-3..1e-3f64).prop_map(move |(c, d)| (c + d).clamp(-limit, limit)),
    ]
}

/// Points at and near the poles, the antimeridian, its antipode and one city, plus uniform ones.
fn point() -> impl Strategy<Value = LatLng> {
    const LATS: &[f64] = &[90.0, -90.0, 89.9999, -89.9999, 0.0, 28.6139];
    const LONS: &[f64] = &[180.0, -180.0, 179.9999, -179.9999, 0.0, 77.2090];
    (coord(90.0, LATS), coord(180.0, LONS)).prop_map(|(lat, lon)| ll(lat, lon))
}

/// 1..300 points (some duplicated) and a query that is a fresh point or one of the nodes.
fn case() -> impl Strategy<Value = (Vec<LatLng>, LatLng)> {
    let points = (
        prop::collection::vec(point(), 1..280),
        prop::collection::vec(any::<Index>(), 0..20),
    )
        .prop_map(|(mut points, dups)| {
            for d in dups {
                points.push(points[d.index(points.len())]);
            }
            points
        });
    (points, point(), any::<Option<Index>>()).prop_map(|(points, fresh, on_node)| {
        let from = on_node.map_or(fresh, |i| points[i.index(points.len())]);
        (points, from)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn within_km_matches_brute_force(
        (points, from) in case(),
        picks in prop::collection::vec(any::<Index>(), 3),
        random_km in 0.0..20_100.0f64,
    ) {
        let index = SpatialIndex::new(points.clone());
        let all = brute(&points, from);
        let mut radii = vec![0.0, random_km, 1e9, f64::INFINITY, std::f64::consts::PI * EARTH_RADIUS_KM];
        for pick in picks {
            let km = all[pick.index(all.len())].1;
            radii.push(km);
            if km > 0.0 {
                radii.push(just_below(km));
            }
        }
        for radius_km in radii {
            let expected: Vec<_> = all.iter().copied().filter(|w| w.1 <= radius_km).collect();
            prop_assert_eq!(index.within_km(from, radius_km), expected, "radius {}", radius_km);
        }
    }

    #[test]
    fn nearest_matches_brute_force((points, from) in case()) {
        let index = SpatialIndex::new(points.clone());
        let walk: Vec<_> = index.nearest(from).collect();
        let mut seen = ids(&walk);
        seen.sort_unstable();
        prop_assert_eq!(seen, (0..points.len() as u32).collect::<Vec<_>>());
        let mut km: Vec<f64> = walk.iter().map(|w| w.1).collect();
        prop_assert!(km.windows(2).all(|w| w[0] <= w[1] + 1e-9));
        km.sort_by(f64::total_cmp);
        let all = brute(&points, from);
        prop_assert_eq!(km, all.iter().map(|w| w.1).collect::<Vec<_>>());
        // The documented guarantee: exactly the brute-force (km, idx) order.
        prop_assert_eq!(walk, all);
    }

    #[test]
    fn nearest_among_matches_brute_force((points, from) in case(), keep in prop::collection::vec(any::<bool>(), 64)) {
        let index = SpatialIndex::new(points.clone());
        let nodes: Vec<NodeIdx> = (0..points.len() as u32)
            .filter(|&i| keep[i as usize % keep.len()])
            .map(NodeIdx)
            .collect();
        let walk: Vec<_> = index.nearest_among(from, &nodes).collect();
        let all: Vec<_> = brute(&points, from)
            .into_iter()
            .filter(|w| nodes.contains(&w.0))
            .collect();
        prop_assert_eq!(walk, all.clone());
        prop_assert_eq!(index.nearest_of(from, nodes.iter().copied()), all.first().copied());
    }

    #[test]
    fn nearest_where_is_a_prefix_of_nearest_among_and_the_rest_completes_it(
        (points, from) in case(),
        keep in prop::collection::vec(any::<bool>(), 64),
        budget in 0usize..80,
    ) {
        let index = SpatialIndex::new(points.clone());
        let kept = |n: NodeIdx| keep[n.0 as usize % keep.len()];
        let nodes: Vec<NodeIdx> = (0..points.len() as u32).map(NodeIdx).filter(|&n| kept(n)).collect();
        let all: Vec<_> = index.nearest_among(from, &nodes).collect();
        let mut walk = Vec::new();
        let mut spent = false;
        for step in index.nearest_where(from, kept, budget) {
            match step {
                Walked::Node(n, km) => walk.push((n, km)),
                Walked::Spent => spent = true,
            }
        }
        prop_assert!(spent || walk.len() == all.len(), "a walk that ends unspent is whole");
        prop_assert_eq!(&all[..walk.len()], &walk[..]);
        let rest: Vec<NodeIdx> = nodes.iter().copied().filter(|n| !walk.iter().any(|w| w.0 == *n)).collect();
        walk.extend(index.nearest_among(from, &rest));
        prop_assert_eq!(walk, all);
        if budget >= points.len() {
            prop_assert!(!spent, "a budget over the tree walks it all");
        }
    }

    /// A walk whose cap falls as it goes (as the first phase lowers it after each node it
    /// weighs) yields a prefix of the uncapped walk: every node within the final cap, none
    /// beyond the cap of its moment; and its test is never asked about a node beyond that cap.
    /// The caps are some node's own km (where chord and km must agree to the last bit) or any
    /// distance.
    #[test]
    fn a_capped_walk_yields_every_node_within_its_cap_in_order(
        (points, from) in case(),
        keep in prop::collection::vec(any::<bool>(), 64),
        caps in prop::collection::vec((any::<Index>(), 0.0..25_000.0f64, any::<bool>()), 1..8),
    ) {
        let index = SpatialIndex::new(points.clone());
        let kept = |n: NodeIdx| keep[n.0 as usize % keep.len()];
        let nodes: Vec<NodeIdx> = (0..points.len() as u32).map(NodeIdx).filter(|&n| kept(n)).collect();
        let all: Vec<_> = index.nearest_among(from, &nodes).collect();
        let every = brute(&points, from);
        let cap_km = |(pick, km, on_node): &(Index, f64, bool)| {
            if *on_node { every[pick.index(every.len())].1 } else { *km }
        };
        let f = from.unit_vector();
        let cap = std::cell::Cell::new(f64::INFINITY);
        let asked_beyond = std::cell::Cell::new(None);
        let test = |n: NodeIdx| {
            if index.chord2(f, n) > ChordSlack::chord2_at_most_km(cap.get()) {
                asked_beyond.set(Some((n, cap.get())));
            }
            kept(n)
        };
        let mut walk = index.nearest_where(from, test, points.len());
        let mut yielded = Vec::new();
        let mut caps = caps.iter();
        loop {
            if let Some(c) = caps.next() {
                cap.set(cap.get().min(cap_km(c)));
                walk.cap_km(cap_km(c));
            }
            match walk.next() {
                Some(Walked::Node(n, km)) => {
                    prop_assert!(km <= cap.get(), "{} km beyond the cap of {}", km, cap.get());
                    yielded.push((n, km));
                }
                Some(Walked::Spent) => prop_assert!(false, "a budget over the tree walks it all"),
                None => break,
            }
        }
        prop_assert_eq!(asked_beyond.get(), None, "a node beyond the cap was tested");
        prop_assert_eq!(&all[..yielded.len()], &yielded[..]);
        // Every node within the final cap came (and those within an earlier one before it).
        let within = all.iter().filter(|w| w.1 <= cap.get()).count();
        prop_assert!(yielded.len() >= within, "{} of {} nodes within {} km", yielded.len(), within, cap.get());
    }

    /// The nodes within a squared chord are exactly those a scan of every node keeps (the radius
    /// at some node's own chord too, where the comparison is an equality), or `None` when the
    /// walk would test more nodes than its budget.
    #[test]
    fn within_chord2_is_the_scan_of_every_node(
        (points, from) in case(),
        pick in any::<Index>(),
        random_chord2 in 0.0..4.0f64,
        budget in 0usize..400,
    ) {
        let index = SpatialIndex::new(points.clone());
        // Every node in a tree of their own: the index's tree (the same nodes bulk-loaded in
        // the same order).
        let all = index.subtree((0..points.len() as u32).map(NodeIdx));
        let f = from.unit_vector();
        let chords: Vec<f64> = (0..points.len() as u32).map(|i| index.chord2(f, NodeIdx(i))).collect();
        for max_chord2 in [-1.0, 0.0, random_chord2, chords[pick.index(chords.len())], 5.0] {
            let expected: Vec<(NodeIdx, f64)> = (0..points.len() as u32)
                .map(|i| (NodeIdx(i), chords[i as usize]))
                .filter(|&(_, c)| c <= max_chord2)
                .collect();
            match all.within_chord2(f, max_chord2, budget) {
                Some(mut found) => {
                    found.sort_unstable_by_key(|w| w.0);
                    prop_assert_eq!(found, expected, "max {}", max_chord2);
                }
                None => prop_assert!(budget < points.len(), "a budget over the tree walks it all"),
            }
            // It gives up exactly when the nodes of the subtrees it must read are more than
            // its budget, however many of them it counted without a test.
            let read = nodes_under_boxes_within(&index, f, max_chord2);
            prop_assert_eq!(all.within_chord2(f, max_chord2, budget).is_none(), read > budget, "read {}", read);
            prop_assert!(all.within_chord2(f, max_chord2, read).is_some());
            prop_assert!(all.within_chord2(f, max_chord2, points.len()).is_some());
        }
    }
}

/// The nodes of every subtree whose box may hold a node within `max_chord2` of `f` (a leaf's
/// siblings included): what a walk that tests each node it reads would test.
fn nodes_under_boxes_within(index: &SpatialIndex, f: [f64; 3], max_chord2: f64) -> usize {
    let mut stack = vec![index.tree.root()];
    let mut read = 0;
    while let Some(parent) = stack.pop() {
        for child in parent.children() {
            match child {
                RTreeNode::Leaf(_) => read += 1,
                RTreeNode::Parent(p) if box_chord2(f, &p.envelope()) <= max_chord2 => stack.push(p),
                RTreeNode::Parent(_) => {}
            }
        }
    }
    read
}

#[test]
fn nearest_chord_keeps_every_chord_that_could_tie() {
    // `NearestChord::keep` must cover the exact tie reach for every squared chord on the sphere
    // (0 to 4), from a node at the destination to one at its antipode.
    let mut c = 0.0f64;
    while c <= 4.0 {
        let exact = ChordSlack::chord2_upper_bound(ChordSlack::km_upper_bound(c));
        assert!(
            NearestChord::keep(c) >= exact,
            "chord2 {c}: keep {} < {exact}",
            NearestChord::keep(c)
        );
        c = if c == 0.0 { 1e-30 } else { c * 1.01 };
    }
    assert!(
        NearestChord::keep(4.0) >= ChordSlack::chord2_upper_bound(ChordSlack::km_upper_bound(4.0))
    );
}
