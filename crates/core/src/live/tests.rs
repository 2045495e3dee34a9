use crate::*;
use jiff::{SignedDuration, Timestamp};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

pub(super) const NODES: u32 = 6;
pub(super) const SKUS: u32 = 4;

pub(super) fn network() -> Network {
    let kinds = [NodeKind::Store, NodeKind::Warehouse, NodeKind::Dealer];
    Network::new(
        (0..NODES)
            .map(|n| {
                let at = LatLng::new(28.5 + 0.05 * f64::from(n), 77.1 + 0.03 * f64::from(n));
                Node::new(format!("N{n}"), kinds[n as usize % 3], at.unwrap())
            })
            .collect(),
    )
    .unwrap()
}

/// A policy that holds back one unit at every store, so the table differs from the ledger.
pub(super) fn policy() -> Policy {
    let mut p = Policy::default();
    p.kinds[NodeKind::Store.index()].safety_stock = 1;
    p
}

pub(super) fn rows(units: u32) -> Vec<StockRow> {
    (0..NODES)
        .flat_map(|n| {
            (0..SKUS).map(move |s| StockRow {
                node: NodeIdx(n),
                sku: SkuId(s),
                on_hand: units + (n + s) % 3,
                reserved: s % 2,
                safety_stock: u32::from(n == 2),
            })
        })
        .collect()
}

fn order(id: usize, skus: &[(u32, u32)]) -> Order {
    let lines = skus
        .iter()
        .enumerate()
        .map(|(i, &(sku, qty))| OrderLine {
            line_no: i as u32 + 1,
            sku: SkuId(sku),
            qty,
            unit_price_cents: None,
        })
        .collect();
    Order::new(format!("O{id}"), LatLng::new(28.6, 77.2).unwrap(), lines)
}

pub(super) fn now() -> Timestamp {
    "2026-11-26T06:00:00Z".parse().unwrap()
}

/// The live table equals the table built from scratch from the ledger, at every position.
fn assert_in_step(live: &LiveStock) {
    let fresh = live.router().stock_table(
        live.positions()
            .into_iter()
            .map(|(n, s, p)| (n, s, p.routable())),
    );
    for n in 0..NODES {
        for s in 0..SKUS {
            let (n, s) = (NodeIdx(n), SkuId(s));
            assert_eq!(live.routable(n, s), fresh.qty(n, s), "{n:?} {s:?}");
        }
    }
}

#[test]
fn every_change_keeps_the_table_in_step_with_the_ledger() {
    let live = LiveStock::new(Router::new(network(), policy()), rows(3));
    assert_in_step(&live);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut seq = [0u64; NODES as usize];
    let mut held: Vec<ReservationId> = Vec::new();
    let (mut reserved, mut changes) = (0, 0);
    for step in 0..600u64 {
        let at = now() + SignedDuration::from_secs(step as i64);
        match rng.gen_range(0..7) {
            0..=2 => {
                let lines: Vec<(u32, u32)> = (0..rng.gen_range(1..3))
                    .map(|_| (rng.gen_range(0..SKUS), rng.gen_range(1..4)))
                    .collect();
                let ttl = SignedDuration::from_secs(rng.gen_range(1..60));
                let id = ReservationId(step);
                let d = live
                    .route_and_reserve(&order(step as usize, &lines), id, at, ttl)
                    .unwrap();
                reserved += usize::from(!d.shipments.is_empty());
                held.push(id);
            }
            3 if !held.is_empty() => {
                let id = held.swap_remove(rng.gen_range(0..held.len()));
                let _ = live.commit(id, at); // may have expired
            }
            4 if !held.is_empty() => {
                let id = held.swap_remove(rng.gen_range(0..held.len()));
                let _ = live.release(id);
            }
            5 => {
                let node = rng.gen_range(0..NODES);
                seq[node as usize] += rng.gen_range(0..2); // some duplicates
                let change = rng.gen_range(-3..5);
                let delta = Delta {
                    node: NodeIdx(node),
                    seq: seq[node as usize],
                    sku: SkuId(rng.gen_range(0..SKUS)),
                    change,
                };
                changes += usize::from(live.apply_deltas(&[delta]).is_ok());
            }
            _ => {
                let (n, s) = (
                    NodeIdx(rng.gen_range(0..NODES)),
                    SkuId(rng.gen_range(0..SKUS)),
                );
                live.return_units(n, s, rng.gen_range(1..3)).unwrap();
                live.expire(at);
            }
        }
        assert_in_step(&live);
    }
    assert!(reserved > 100 && changes > 50, "{reserved} {changes}");
}

#[test]
fn a_reservation_decision_is_the_quote_of_that_moment() {
    let live = LiveStock::new(Router::new(network(), policy()), rows(2));
    let ttl = SignedDuration::from_mins(15);
    for i in 0..40 {
        let o = order(i, &[(i as u32 % SKUS, 1), ((i as u32 + 1) % SKUS, 2)]);
        let quote = live.quote(&o, now());
        let reserved = live
            .route_and_reserve(&o, ReservationId(i as u64), now(), ttl)
            .unwrap();
        assert_eq!(quote, reserved);
    }
    let err = live
        .route_and_reserve(&order(0, &[(0, 1)]), ReservationId(3), now(), ttl)
        .unwrap_err();
    assert_eq!(err.code(), "E3004");
}

#[test]
fn an_expired_commit_frees_its_units_in_the_table() {
    let live = LiveStock::new(Router::new(network(), Policy::default()), rows(1));
    let o = order(1, &[(0, 1)]);
    let d = live
        .route_and_reserve(&o, ReservationId(1), now(), SignedDuration::from_mins(1))
        .unwrap();
    let (n, s) = (d.shipments[0].node, SkuId(0));
    let before = live.position(n, s).routable() + 1;
    assert_eq!(live.routable(n, s), before - 1);
    let late = now() + SignedDuration::from_mins(2);
    assert_eq!(
        live.commit(ReservationId(1), late).unwrap_err().code(),
        "E3006"
    );
    assert_eq!(live.routable(n, s), before);
    assert_eq!(live.live_reservations(), 0);
}

/// Eight threads race for a few units of two SKUs at a few nodes while a ninth applies deltas:
/// no position ever holds more than it has, every reserved unit is in some decision, and the
/// books balance to the units given in.
#[test]
fn concurrent_reservations_never_oversell() {
    let stock: Vec<StockRow> = (0..3)
        .flat_map(|n| {
            (0..2).map(move |s| StockRow {
                node: NodeIdx(n),
                sku: SkuId(s),
                on_hand: 2,
                reserved: 0,
                safety_stock: 0,
            })
        })
        .collect();
    let live = Arc::new(LiveStock::new(
        Router::new(network(), Policy::default()),
        stock,
    ));
    let ttl = SignedDuration::from_mins(15);
    let fed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers: Vec<_> = (0..8u64)
        .map(|t| {
            let (live, fed) = (Arc::clone(&live), Arc::clone(&fed));
            std::thread::spawn(move || {
                let mut shipped = [[0u32; 2]; NODES as usize];
                // Until the feed is done, so deltas land while the race goes on.
                let mut i = 0u64;
                while i < 200 || !fed.load(std::sync::atomic::Ordering::Acquire) {
                    i += 1;
                    let id = ReservationId(t << 32 | i);
                    let o = order(i as usize, &[((t + i) as u32 % 2, 1)]);
                    let d = live.route_and_reserve(&o, id, now(), ttl).unwrap();
                    for s in &d.shipments {
                        let sku = o.lines[s.lines[0]].sku.0 as usize;
                        shipped[s.node.0 as usize][sku] += s.units;
                    }
                    if i % 3 == 0 {
                        live.release(id).unwrap();
                        for s in &d.shipments {
                            let sku = o.lines[s.lines[0]].sku.0 as usize;
                            shipped[s.node.0 as usize][sku] -= s.units;
                        }
                    } else if i % 3 == 1 {
                        live.commit(id, now()).unwrap();
                    }
                }
                shipped
            })
        })
        .collect();
    let feed = {
        let live = Arc::clone(&live);
        std::thread::spawn(move || {
            for seq in 1..=60u64 {
                let node = NodeIdx(seq as u32 % 3);
                let delta = Delta {
                    node,
                    seq: seq / 3 + 1,
                    sku: SkuId(seq as u32 % 2),
                    change: 1,
                };
                live.apply_deltas(&[delta]).unwrap();
                std::thread::yield_now();
            }
            fed.store(true, std::sync::atomic::Ordering::Release);
        })
    };
    let mut held = [[0u32; 2]; NODES as usize]; // committed + live, by the decisions
    for w in workers {
        for (n, row) in w.join().unwrap().iter().enumerate() {
            for s in 0..2 {
                held[n][s] += row[s];
            }
        }
    }
    feed.join().unwrap();
    let given_in = 6 * 2 + 60; // the snapshot and the deltas
    let mut on_hand_and_shipped = 0;
    for (n, s, p) in live.positions() {
        assert_eq!(p.unaccounted_units(), 0, "{n:?} {s:?}");
        assert!(p.reserved <= p.on_hand, "oversold at {n:?} {s:?}: {p:?}");
        let by_decisions = u64::from(held[n.0 as usize][s.0 as usize]);
        assert_eq!(
            p.shipped + u64::from(p.reserved),
            by_decisions,
            "{n:?} {s:?}"
        );
        on_hand_and_shipped += u64::from(p.on_hand) + p.shipped;
    }
    assert_eq!(on_hand_and_shipped, given_in);
    // Contended: the decisions kept more than the 12 units of the snapshot (some of the deltas'
    // units too), and a third of the orders released theirs for others.
    assert!(held.iter().flatten().sum::<u32>() > 20, "{held:?}");
    assert_in_step(&live);
}

/// Node capacity counts across orders: a store that ships once a day takes one reserved order;
/// a release gives its shipment back, a commit keeps it until the node's next local day.
#[test]
fn the_days_capacity_counts_across_reservations() {
    let mut p = Policy::default();
    p.kinds[NodeKind::Store.index()].capacity_shipments = Some(1);
    // N0 (a store) is nearest; N1 (a warehouse) has no capacity limit.
    let live = LiveStock::new(Router::new(network(), p), rows(5));
    let o = |i| {
        let mut o = order(i, &[(0, 1)]);
        o.destination = LatLng::new(28.5, 77.1).unwrap(); // at N0
        o
    };
    let ttl = SignedDuration::from_mins(15);
    let first = |d: &Decision| d.shipments[0].node;
    let a = live
        .route_and_reserve(&o(1), ReservationId(1), now(), ttl)
        .unwrap();
    assert_eq!(first(&a), NodeIdx(0));
    // N0's one shipment of the day is taken: the next order goes elsewhere.
    assert_ne!(first(&live.quote(&o(2), now())), NodeIdx(0));
    live.release(ReservationId(1)).unwrap();
    assert_eq!(first(&live.quote(&o(2), now())), NodeIdx(0));
    live.route_and_reserve(&o(3), ReservationId(3), now(), ttl)
        .unwrap();
    live.commit(ReservationId(3), now()).unwrap();
    assert_ne!(first(&live.quote(&o(4), now())), NodeIdx(0));
    // An expired reservation gives its shipment back too.
    let tomorrow = now() + SignedDuration::from_hours(24);
    assert_eq!(first(&live.quote(&o(4), tomorrow)), NodeIdx(0));
    live.route_and_reserve(&o(5), ReservationId(5), tomorrow, ttl)
        .unwrap();
    assert_ne!(first(&live.quote(&o(6), tomorrow)), NodeIdx(0));
    assert_eq!(live.expire(tomorrow + ttl), vec![ReservationId(5)]);
    assert_eq!(first(&live.quote(&o(6), tomorrow)), NodeIdx(0));
}

/// The day is the node's own: a store in Kolkata (UTC+05:30) that ships once a day, full at
/// 23:00 local, is free again at 00:15 local (18:45 UTC), while the same hour is still the same
/// day for a store in UTC.
#[test]
fn the_days_capacity_follows_each_nodes_local_day() {
    let mut p = Policy::default();
    p.kinds[NodeKind::Store.index()].capacity_shipments = Some(1);
    let mut net = network();
    let mut nodes: Vec<Node> = net.nodes().to_vec();
    nodes[0].timezone = jiff::tz::TimeZone::get("Asia/Kolkata").unwrap();
    nodes[3].timezone = jiff::tz::TimeZone::UTC;
    net = Network::new(nodes).unwrap();
    let live = LiveStock::new(Router::new(net, p), rows(5));
    let at = |i, node: u32| {
        let mut o = order(i, &[(0, 1)]);
        o.destination =
            LatLng::new(28.5 + 0.05 * f64::from(node), 77.1 + 0.03 * f64::from(node)).unwrap();
        o
    };
    let t = |s: &str| -> Timestamp { s.parse().unwrap() };
    let ttl = SignedDuration::from_hours(2);
    let first = |d: &Decision| d.shipments[0].node;
    // 23:00 in Kolkata, 17:30 UTC: both stores ship their one shipment of the day.
    let evening = t("2026-11-26T17:30:00Z");
    let a = live
        .route_and_reserve(&at(1, 0), ReservationId(1), evening, ttl)
        .unwrap();
    assert_eq!(first(&a), NodeIdx(0));
    live.commit(ReservationId(1), evening).unwrap();
    let b = live
        .route_and_reserve(&at(2, 3), ReservationId(2), evening, ttl)
        .unwrap();
    assert_eq!(first(&b), NodeIdx(3));
    // A second request the same local day: both stores are full.
    let later = t("2026-11-26T18:20:00Z"); // 23:50 in Kolkata
    assert_ne!(first(&live.quote(&at(3, 0), later)), NodeIdx(0));
    assert_ne!(first(&live.quote(&at(3, 3), later)), NodeIdx(3));
    assert_eq!(live.day_load(later).used(NodeIdx(0)), (1, 1));
    // 18:45 UTC is 00:15 the next day in Kolkata: N0 is free, N3 (UTC) still full.
    let midnight = t("2026-11-26T18:45:00Z");
    assert_eq!(first(&live.quote(&at(4, 0), midnight)), NodeIdx(0));
    assert_ne!(first(&live.quote(&at(4, 3), midnight)), NodeIdx(3));
    assert_eq!(live.day_load(midnight).used(NodeIdx(0)), (0, 0));
    assert_eq!(live.day_load(midnight).used(NodeIdx(3)), (1, 1));
    // And back: the kept load of the later instant does not leak to an earlier one.
    assert_ne!(first(&live.quote(&at(5, 0), later)), NodeIdx(0));
    // The next UTC day frees N3 too.
    let next = t("2026-11-27T00:30:00Z");
    assert_eq!(first(&live.quote(&at(6, 3), next)), NodeIdx(3));
}
