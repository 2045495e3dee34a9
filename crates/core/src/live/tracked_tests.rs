use super::tests::{network, now, policy, rows, NODES, SKUS};
use crate::*;
use jiff::SignedDuration;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

/// The kept table equals the table its router builds from scratch from the ledger.
fn assert_in_step(kept: &KeptTable, inventory: &Arc<TrackedInventory>) {
    let fresh = kept.router().stock_table(inventory.routable_positions());
    kept.with_table(inventory, |table| {
        for n in 0..NODES {
            for s in 0..SKUS {
                let (n, s) = (NodeIdx(n), SkuId(s));
                assert_eq!(table.qty(n, s), fresh.qty(n, s), "{n:?} {s:?}");
            }
        }
    });
}

/// One random change to `inventory` at step `step`; `held` are the reservations made so far.
fn change(
    rng: &mut ChaCha8Rng,
    inventory: &TrackedInventory,
    step: u64,
    held: &mut Vec<ReservationId>,
) {
    let at = now() + SignedDuration::from_secs(step as i64);
    let (node, sku) = (
        NodeIdx(rng.gen_range(0..NODES)),
        SkuId(rng.gen_range(0..SKUS)),
    );
    match rng.gen_range(0..6) {
        0 | 1 => {
            let line = ReserveLine { node, sku, qty: 1 };
            let ttl = SignedDuration::from_secs(rng.gen_range(1..30));
            if inventory
                .reserve(ReservationId(step), &[line], at, ttl)
                .is_ok()
            {
                held.push(ReservationId(step));
            }
        }
        2 if !held.is_empty() => {
            let id = held.swap_remove(rng.gen_range(0..held.len()));
            let _ = inventory.commit(id, at); // may have expired
        }
        3 if !held.is_empty() => {
            let id = held.swap_remove(rng.gen_range(0..held.len()));
            let _ = inventory.release(id); // may have expired
        }
        4 => {
            let delta = Delta {
                node,
                seq: step,
                sku,
                change: rng.gen_range(-3..4),
            };
            let _ = inventory.apply_delta(delta); // may go below zero
        }
        _ => {
            inventory.return_units(node, sku, 1).unwrap();
            inventory.expire(at);
        }
    }
}

#[test]
fn kept_tables_follow_every_change_of_the_ledger() {
    let inventory = Arc::new(TrackedInventory::new(rows(2)));
    // Two routers on one ledger: one holds back a unit at every store, one holds nothing.
    let held_back = KeptTable::new(Router::new(network(), policy()));
    let plain = KeptTable::new(Router::new(network(), Policy::default()));
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut held = Vec::new();
    for step in 1..500u64 {
        change(&mut rng, &inventory, step, &mut held);
        if step % 3 == 0 {
            change(&mut rng, &inventory, step, &mut held); // two changes between looks
        }
        assert_in_step(&held_back, &inventory);
        if step % 5 == 0 {
            assert_in_step(&plain, &inventory); // further behind
        }
    }
    assert!(inventory.version() > 500, "{}", inventory.version());
}

#[test]
fn a_table_follows_the_ledger_it_is_given() {
    let (a, b) = (
        Arc::new(TrackedInventory::new(rows(2))),
        Arc::new(TrackedInventory::new(rows(5))),
    );
    let kept = KeptTable::new(Router::new(network(), policy()));
    let at = |inv: &Arc<TrackedInventory>| kept.with_table(inv, |t| t.qty(NodeIdx(1), SkuId(0)));
    let (in_a, in_b) = (at(&a), at(&b));
    assert_ne!(in_a, in_b);
    b.return_units(NodeIdx(1), SkuId(0), 3).unwrap();
    assert_eq!(at(&a), in_a);
    assert_eq!(at(&b), in_b + 3);
}

#[test]
fn a_table_further_behind_than_the_journal_is_rebuilt() {
    let inventory = Arc::new(TrackedInventory::new(rows(2)));
    let kept = KeptTable::new(Router::new(network(), policy()));
    assert_in_step(&kept, &inventory);
    let (n, s) = (NodeIdx(0), SkuId(0));
    let before = kept.with_table(&inventory, |t| t.qty(n, s));
    for _ in 0..=JOURNAL_POSITIONS {
        inventory.return_units(n, s, 1).unwrap();
    }
    let now_at = kept.with_table(&inventory, |t| t.qty(n, s));
    assert_eq!(now_at, before + JOURNAL_POSITIONS as u32 + 1);
    assert_in_step(&kept, &inventory);
}

#[test]
fn expiry_releases_units_once_due() {
    let inventory = Arc::new(TrackedInventory::new(rows(2)));
    let kept = KeptTable::new(Router::new(network(), Policy::default()));
    let (n, s) = (NodeIdx(3), SkuId(1));
    let units = kept.with_table(&inventory, |t| t.qty(n, s));
    let line = ReserveLine {
        node: n,
        sku: s,
        qty: 1,
    };
    let ttl = SignedDuration::from_secs(60);
    inventory
        .reserve(ReservationId(1), &[line], now(), ttl)
        .unwrap();
    let later = |secs| now() + SignedDuration::from_secs(secs);
    inventory
        .reserve(ReservationId(2), &[line], later(30), ttl)
        .unwrap();
    assert_eq!(kept.with_table(&inventory, |t| t.qty(n, s)), units - 2);
    assert!(inventory.expire(later(59)).is_empty());
    assert_eq!(inventory.expire(later(60)), vec![ReservationId(1)]);
    assert_eq!(kept.with_table(&inventory, |t| t.qty(n, s)), units - 1);
    assert_eq!(inventory.expire(later(90)), vec![ReservationId(2)]);
    assert_eq!(kept.with_table(&inventory, |t| t.qty(n, s)), units);
    assert_eq!(inventory.live_reservations(), 0);
}
