//! Many threads hammer a few contended positions; afterwards every unit must be accounted for
//! from the threads' own tallies, and no consistent view may ever show an oversold position.
//!
//! How it can fail: if `reserve` checked routable stock under one lock and added the
//! reservation under another, two threads could both pass the check and the in-flight view
//! check (`reserved + safety_stock <= on_hand` on nodes 0 and 1, which only ever gain stock
//! from deltas) would trip; if a commit, delta or return updated a position without holding its
//! shard, an update would be lost and the final tally (`initial + deltas + returns − shipped`,
//! summed from what each call reported) would not match `on_hand`.

use super::*;
use jiff::{SignedDuration, Timestamp};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

const THREADS: u64 = 8;
const OPS_PER_THREAD: usize = 8000;
const NODES: u32 = 3;
const SKUS: u32 = 3;
const POSITIONS: usize = (NODES * SKUS) as usize;
const INITIAL: u32 = 30;
/// The only node whose feed sends negative deltas (so only there may reserved exceed on-hand).
const SHRINKING_NODE: u32 = 2;

fn index(node: u32, sku: u32) -> usize {
    (node * SKUS + sku) as usize
}

/// Reservation ids encode their lines (base 37, one digit per line, 0 = none), so any thread
/// can settle any id and still know what it shipped, and ids recur across threads.
fn encode(lines: &[(u32, u32, u32)]) -> u64 {
    lines.iter().rev().fold(0, |id, &(node, sku, qty)| {
        id * 37 + 1 + u64::from((node * SKUS + sku) * 4 + qty)
    })
}

fn decode(mut id: u64) -> Vec<(u32, u32, u32)> {
    let mut lines = Vec::new();
    while id > 0 {
        let code = (id % 37 - 1) as u32;
        lines.push((code / 4 / SKUS, code / 4 % SKUS, code % 4));
        id /= 37;
    }
    lines
}

/// What one thread saw succeed, per position.
#[derive(Default)]
struct Tally {
    shipped: [i64; POSITIONS],
    delta_in: [i64; POSITIONS],
    returned: [i64; POSITIONS],
    commits: u64,
    short: u64,
    refused_deltas: u64,
    ignored_deltas: u64,
    gaps: u64,
}

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + second).unwrap()
}

fn check_view(inv: &Inventory) {
    for (node, sku, p) in inv.positions() {
        assert_eq!(p.unaccounted_units(), 0, "{node:?} {sku:?} {p:?}");
        if node.0 != SHRINKING_NODE {
            let held = u64::from(p.reserved) + u64::from(p.safety_stock);
            assert!(
                held <= u64::from(p.on_hand),
                "oversold {node:?} {sku:?}: {p:?}"
            );
        }
    }
}

/// Sends one delta of a node's feed. The feed sometimes resends its previous delta (which must
/// come back as a duplicate) and sometimes loses a sequence number (which must show as a gap).
fn feed(
    inv: &Inventory,
    rng: &mut ChaCha8Rng,
    seqs: &[AtomicU64],
    last: &mut Option<Delta>,
    tally: &mut Tally,
) {
    let delta = match *last {
        Some(previous) if rng.gen_ratio(1, 5) => previous,
        _ => {
            let (node, sku) = (rng.gen_range(0..NODES), rng.gen_range(0..SKUS));
            let change = if node == SHRINKING_NODE {
                rng.gen_range(-4..=4)
            } else {
                rng.gen_range(0..=3)
            };
            let step = if rng.gen_ratio(1, 20) { 2 } else { 1 };
            let seq = seqs[node as usize].fetch_add(step, Ordering::Relaxed) + step;
            Delta {
                node: NodeIdx(node),
                seq,
                sku: SkuId(sku),
                change,
            }
        }
    };
    *last = Some(delta);
    match inv.apply_delta(delta) {
        Ok(DeltaOutcome::Duplicate) => tally.ignored_deltas += 1,
        Ok(outcome) => {
            tally.gaps += u64::from(matches!(outcome, DeltaOutcome::Gap { .. }));
            tally.delta_in[index(delta.node.0, delta.sku.0)] += delta.change;
        }
        Err(e) => {
            assert_eq!(e.code(), "E3001");
            tally.refused_deltas += 1;
        }
    }
}

fn worker(inv: &Inventory, seed: u64, clock: &AtomicI64, seqs: &[AtomicU64]) -> Tally {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut tally = Tally::default();
    let mut held: Vec<u64> = Vec::new();
    let mut last_delta = None;
    for _ in 0..OPS_PER_THREAD {
        let now = at(clock.fetch_add(1, Ordering::Relaxed));
        match rng.gen_range(0..100) {
            0..=34 => {
                let n = rng.gen_range(1..=2);
                let lines: Vec<(u32, u32, u32)> = (0..n)
                    .map(|_| {
                        (
                            rng.gen_range(0..NODES),
                            rng.gen_range(0..SKUS),
                            rng.gen_range(1..=3),
                        )
                    })
                    .collect();
                let id = encode(&lines);
                let lines: Vec<ReserveLine> = lines
                    .iter()
                    .map(|&(node, sku, qty)| ReserveLine {
                        node: NodeIdx(node),
                        sku: SkuId(sku),
                        qty,
                    })
                    .collect();
                let ttl = SignedDuration::from_secs(rng.gen_range(20..600));
                if inv.reserve(ReservationId(id), &lines, now, ttl).is_ok() {
                    held.push(id);
                }
            }
            35..=54 if !held.is_empty() => {
                let id = held.swap_remove(rng.gen_range(0..held.len()));
                match inv.commit(ReservationId(id), now) {
                    Ok(()) => {
                        tally.commits += 1;
                        for (node, sku, qty) in decode(id) {
                            tally.shipped[index(node, sku)] += i64::from(qty);
                        }
                    }
                    Err(InventoryError::ShortOnCommit { .. }) => {
                        tally.short += 1;
                        let _ = inv.release(ReservationId(id));
                    }
                    Err(_) => {}
                }
            }
            55..=64 if !held.is_empty() => {
                let id = held.swap_remove(rng.gen_range(0..held.len()));
                let _ = inv.release(ReservationId(id));
            }
            65..=79 => feed(inv, &mut rng, seqs, &mut last_delta, &mut tally),
            80..=87 => {
                let (node, sku, qty) = (
                    rng.gen_range(0..NODES),
                    rng.gen_range(0..SKUS),
                    rng.gen_range(1..=2),
                );
                inv.return_units(NodeIdx(node), SkuId(sku), qty).unwrap();
                tally.returned[index(node, sku)] += i64::from(qty);
            }
            88..=92 => {
                inv.expire(now);
            }
            _ => check_view(inv),
        }
    }
    tally
}

#[test]
fn concurrent_operations_never_oversell_and_account_for_every_unit() {
    let inv = Inventory::with_shards(2);
    inv.replace_snapshot((0..NODES).flat_map(|node| {
        (0..SKUS).map(move |sku| StockRow {
            node: NodeIdx(node),
            sku: SkuId(sku),
            on_hand: INITIAL,
            reserved: u32::from(node == 0),
            safety_stock: 2 * u32::from(node == 1),
        })
    }));
    let clock = AtomicI64::new(0);
    let seqs: Vec<AtomicU64> = (0..NODES).map(|_| AtomicU64::new(0)).collect();
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (inv, clock, seqs) = (&inv, &clock, &seqs);
                scope.spawn(move || worker(inv, 0x5eed + t, clock, seqs))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    check_view(&inv);
    inv.expire(at(i64::from(u32::MAX)));
    assert_eq!(inv.live_reservations(), 0);
    let total = |f: fn(&Tally) -> u64| tallies.iter().map(f).sum::<u64>();
    assert!(total(|t| t.commits) > 100, "the run must ship");
    assert!(total(|t| t.refused_deltas) > 0, "node 2 must shrink");
    assert!(
        total(|t| t.ignored_deltas) > 0,
        "resent deltas are duplicates"
    );
    assert!(total(|t| t.gaps) > 0, "lost sequence numbers show as gaps");

    let positions = inv.positions();
    assert_eq!(positions.len(), POSITIONS);
    for (node, sku, p) in positions {
        let i = index(node.0, sku.0);
        let sum = |f: fn(&Tally) -> &[i64; POSITIONS]| tallies.iter().map(|t| f(t)[i]).sum::<i64>();
        let (shipped, delta_in, returned) = (
            sum(|t| &t.shipped),
            sum(|t| &t.delta_in),
            sum(|t| &t.returned),
        );
        assert_eq!(p.shipped, shipped as u64, "{node:?} {sku:?}");
        assert_eq!(p.delta_in, delta_in, "{node:?} {sku:?}");
        assert_eq!(p.returned, returned as u64, "{node:?} {sku:?}");
        assert_eq!(p.snapshot_in, i64::from(INITIAL));
        let on_hand = i64::from(INITIAL) + delta_in + returned - shipped;
        assert_eq!(
            i64::from(p.on_hand),
            on_hand,
            "{node:?} {sku:?}: every unit accounted for"
        );
        assert_eq!(
            p.reserved, p.external_reserved,
            "no reservation left behind"
        );
    }
}

#[test]
fn reservation_ids_encode_their_lines() {
    let lines = vec![(2, 1, 3), (0, 0, 1)];
    assert_eq!(decode(encode(&lines)), lines);
}
