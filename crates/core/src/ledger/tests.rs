//! Unit tests of snapshots, deltas, returns, views and error codes, and the helpers the
//! reservation tests share.

use super::*;
use jiff::{SignedDuration, Timestamp};

pub(super) const TTL: SignedDuration = SignedDuration::from_secs(60);

pub(super) fn n(i: u32) -> NodeIdx {
    NodeIdx(i)
}
pub(super) fn s(i: u32) -> SkuId {
    SkuId(i)
}
pub(super) fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + second).unwrap()
}
pub(super) fn row(node: u32, sku: u32, on_hand: u32) -> StockRow {
    StockRow {
        node: n(node),
        sku: s(sku),
        on_hand,
        reserved: 0,
        safety_stock: 0,
    }
}
pub(super) fn line(node: u32, sku: u32, qty: u32) -> ReserveLine {
    ReserveLine {
        node: n(node),
        sku: s(sku),
        qty,
    }
}
pub(super) fn delta(node: u32, seq: u64, sku: u32, change: i64) -> Delta {
    Delta {
        node: n(node),
        seq,
        sku: s(sku),
        change,
    }
}
/// A ledger holding `(node, sku, on_hand)` rows, with few shards so SKUs share them.
pub(super) fn ledger(rows: &[(u32, u32, u32)]) -> Inventory {
    let inv = Inventory::with_shards(2);
    inv.replace_snapshot(rows.iter().map(|&(node, sku, q)| row(node, sku, q)));
    inv
}
pub(super) fn balanced(inv: &Inventory) {
    for (node, sku, p) in inv.positions() {
        assert_eq!(p.unaccounted_units(), 0, "{node:?} {sku:?} {p:?}");
    }
}

#[test]
fn inventory_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Inventory>();
}

#[test]
fn routable_subtracts_reserved_and_safety_and_never_goes_negative() {
    let inv = Inventory::new();
    inv.replace_snapshot([
        StockRow {
            node: n(0),
            sku: s(1),
            on_hand: 10,
            reserved: 3,
            safety_stock: 2,
        },
        StockRow {
            node: n(1),
            sku: s(1),
            on_hand: 4,
            reserved: 3,
            safety_stock: 2,
        },
    ]);
    assert_eq!(inv.routable(n(0), s(1)), 5);
    assert_eq!(inv.routable(n(1), s(1)), 0);
    assert_eq!(inv.position(n(1), s(1)).routable(), 0);
    assert_eq!(inv.position(n(9), s(9)), Position::default());
    assert_eq!(inv.routable_positions(), vec![(n(0), s(1), 5)]);
}

#[test]
fn snapshot_replaces_every_position_and_keeps_live_reservations() {
    let inv = ledger(&[(0, 1, 10), (1, 1, 5)]);
    inv.reserve(ReservationId(1), &[line(0, 1, 4)], at(0), TTL)
        .unwrap();
    inv.replace_snapshot([row(0, 1, 6), row(2, 2, 1), row(2, 2, 3)]);
    let p = inv.position(n(0), s(1));
    assert_eq!((p.on_hand, p.reserved, p.routable()), (6, 4, 2));
    assert_eq!(
        inv.position(n(1), s(1)).on_hand,
        0,
        "absent from the snapshot"
    );
    assert_eq!(inv.position(n(2), s(2)).on_hand, 3, "last row wins");
    assert_eq!(inv.live_reservations(), 1);
    balanced(&inv);
}

#[test]
fn a_snapshot_filled_shard_by_shard_keeps_each_positions_rows_in_order() {
    // Rows of every shard interleaved, each position given twice (the second row wins) and
    // some a third time in a later snapshot: as if applied one row after the other.
    let inv = Inventory::with_shards(4);
    let first: Vec<StockRow> = (0..40).map(|k| row(k % 3, k, k + 1)).collect();
    let again = first.iter().map(|r| row(r.node.0, r.sku.0, r.on_hand * 10));
    inv.replace_snapshot(first.iter().copied().chain(again));
    inv.replace_rows(&[row(1, 7, 2), row(2, 8, 5), row(1, 7, 4)]);
    for k in 0..40 {
        let want = match k {
            7 => 4,
            8 => 5,
            _ => (k + 1) * 10,
        };
        let p = inv.position(n(k % 3), s(k));
        assert_eq!(p.on_hand, want, "sku {k}");
        assert_eq!(p.snapshot_in, i64::from(want), "sku {k}");
    }
    assert_eq!(inv.positions().len(), 40);
    balanced(&inv);
}

#[test]
fn node_snapshot_replaces_one_node_and_refuses_stray_rows() {
    let inv = ledger(&[(0, 1, 10), (0, 2, 4), (1, 1, 5)]);
    inv.replace_node_snapshot(n(0), [row(0, 2, 7)]).unwrap();
    assert_eq!(inv.position(n(0), s(1)).on_hand, 0);
    assert_eq!(inv.position(n(0), s(2)).on_hand, 7);
    assert_eq!(inv.position(n(1), s(1)).on_hand, 5);
    let before = inv.positions();
    let err = inv
        .replace_node_snapshot(n(0), [row(0, 1, 1), row(1, 1, 1)])
        .unwrap_err();
    assert_eq!(
        err,
        InventoryError::SnapshotNodeMismatch {
            expected: n(0),
            got: n(1)
        }
    );
    assert_eq!(err.code(), "E3008");
    assert_eq!(inv.positions(), before);
    balanced(&inv);
}

#[test]
fn deltas_first_any_seq_then_in_order_duplicates_ignored_gaps_reported() {
    let inv = ledger(&[(0, 1, 10)]);
    assert_eq!(
        inv.apply_delta(delta(0, 41, 1, 2)).unwrap(),
        DeltaOutcome::Applied
    );
    assert_eq!(
        inv.apply_delta(delta(0, 42, 1, -3)).unwrap(),
        DeltaOutcome::Applied
    );
    assert_eq!(
        inv.apply_delta(delta(0, 42, 1, -3)).unwrap(),
        DeltaOutcome::Duplicate
    );
    assert_eq!(
        inv.apply_delta(delta(0, 7, 1, 100)).unwrap(),
        DeltaOutcome::Duplicate
    );
    assert_eq!(inv.position(n(0), s(1)).on_hand, 9);
    let gap = inv.apply_delta(delta(0, 45, 1, 1)).unwrap();
    assert_eq!(
        gap,
        DeltaOutcome::Gap {
            expected: 43,
            got: 45
        }
    );
    assert_eq!(inv.last_seq(n(0)), Some(42), "45 is applied above the gap");
    assert_eq!(inv.last_seq(n(1)), None);
    let p = inv.position(n(0), s(1));
    assert_eq!((p.on_hand, p.delta_in), (10, 0));
    balanced(&inv);
}

#[test]
fn a_late_delta_that_fills_a_gap_is_applied_once() {
    let inv = ledger(&[(0, 1, 10)]);
    let outcomes = inv
        .apply_deltas(&[delta(0, 1, 1, 1), delta(0, 3, 1, 1)])
        .unwrap();
    let gap = DeltaOutcome::Gap {
        expected: 2,
        got: 3,
    };
    assert_eq!(outcomes, [DeltaOutcome::Applied, gap]);
    let late = delta(0, 2, 1, 100);
    assert_eq!(inv.apply_delta(late).unwrap(), DeltaOutcome::Applied);
    assert_eq!(inv.apply_delta(late).unwrap(), DeltaOutcome::Duplicate);
    assert_eq!(
        inv.apply_delta(delta(0, 3, 1, 1)).unwrap(),
        DeltaOutcome::Duplicate
    );
    assert_eq!(inv.position(n(0), s(1)).on_hand, 112);
    assert_eq!(inv.last_seq(n(0)), Some(3));
    assert_eq!(
        inv.apply_delta(delta(0, 4, 1, -2)).unwrap(),
        DeltaOutcome::Applied
    );
    assert_eq!(inv.position(n(0), s(1)).on_hand, 110);
    balanced(&inv);
}

#[test]
fn a_huge_seq_does_not_block_the_node_and_reset_seq_restarts_it() {
    let inv = ledger(&[(0, 1, 10)]);
    inv.apply_delta(delta(0, 1, 1, 1)).unwrap();
    let huge = inv.apply_delta(delta(0, u64::MAX, 1, 1)).unwrap();
    assert_eq!(
        huge,
        DeltaOutcome::Gap {
            expected: 2,
            got: u64::MAX
        }
    );
    assert_eq!(
        inv.apply_delta(delta(0, 2, 1, 1)).unwrap(),
        DeltaOutcome::Applied
    );
    assert_eq!(inv.position(n(0), s(1)).on_hand, 13);

    // A node whose first delta was u64::MAX has no number left above it: reset it.
    let stuck = ledger(&[(0, 1, 10)]);
    stuck.apply_delta(delta(0, u64::MAX, 1, 1)).unwrap();
    assert_eq!(
        stuck.apply_delta(delta(0, 5, 1, 1)).unwrap(),
        DeltaOutcome::Duplicate
    );
    stuck.reset_seq(n(0), None);
    assert_eq!(stuck.last_seq(n(0)), None);
    assert_eq!(
        stuck.apply_delta(delta(0, 5, 1, 1)).unwrap(),
        DeltaOutcome::Applied
    );
    stuck.reset_seq(n(0), Some(9));
    assert_eq!(
        stuck.apply_delta(delta(0, 9, 1, 1)).unwrap(),
        DeltaOutcome::Duplicate
    );
    assert_eq!(
        stuck.apply_delta(delta(0, 10, 1, 1)).unwrap(),
        DeltaOutcome::Applied
    );
    assert_eq!(stuck.position(n(0), s(1)).on_hand, 13);
}

#[test]
fn numbers_waiting_above_a_gap_are_bounded() {
    let inv = ledger(&[(0, 1, 10)]);
    inv.reset_seq(n(0), Some(0));
    let waiting = delta::MAX_WAITING_SEQS as u64;
    let batch: Vec<Delta> = (2..=waiting + 1).map(|seq| delta(0, seq, 1, 0)).collect();
    inv.apply_deltas(&batch).unwrap();
    assert_eq!(inv.last_seq(n(0)), Some(0), "1 is still awaited");
    inv.apply_delta(delta(0, waiting + 2, 1, 0)).unwrap();
    assert_eq!(inv.last_seq(n(0)), Some(waiting + 2), "1 was given up");
    assert_eq!(
        inv.apply_delta(delta(0, 1, 1, 5)).unwrap(),
        DeltaOutcome::Duplicate
    );
}

#[test]
fn negative_delta_is_refused_and_changes_nothing() {
    let inv = ledger(&[(0, 1, 3)]);
    inv.apply_delta(delta(0, 1, 1, -1)).unwrap();
    let before = inv.positions();
    let err = inv.apply_delta(delta(0, 2, 1, -3)).unwrap_err();
    assert_eq!(err.code(), "E3001");
    assert_eq!(inv.positions(), before);
    assert_eq!(
        inv.last_seq(n(0)),
        Some(1),
        "a refused delta does not move the sequence"
    );
    assert_eq!(
        inv.apply_delta(delta(0, 2, 1, -2)).unwrap(),
        DeltaOutcome::Applied
    );
    assert_eq!(inv.position(n(0), s(1)).on_hand, 0);
    let err = inv
        .apply_delta(delta(0, 3, 1, i64::from(u32::MAX) + 1))
        .unwrap_err();
    assert_eq!(err.code(), "E3002");
}

#[test]
fn delta_batches_are_all_or_nothing() {
    let inv = ledger(&[(0, 1, 5), (1, 2, 5)]);
    let before = inv.positions();
    let batch = [delta(0, 1, 1, 2), delta(1, 1, 2, -4), delta(1, 2, 2, -2)];
    let err = inv.apply_deltas(&batch).unwrap_err();
    assert!(matches!(
        err,
        InventoryError::NegativeOnHand {
            seq: 2,
            on_hand: 1,
            change: -2,
            ..
        }
    ));
    assert_eq!(inv.positions(), before);
    assert_eq!((inv.last_seq(n(0)), inv.last_seq(n(1))), (None, None));

    let batch = [
        delta(0, 1, 1, 2),
        delta(0, 1, 1, 2),
        delta(1, 5, 2, -4),
        delta(1, 7, 2, 1),
    ];
    let outcomes = inv.apply_deltas(&batch).unwrap();
    let gap = DeltaOutcome::Gap {
        expected: 6,
        got: 7,
    };
    let expected = [
        DeltaOutcome::Applied,
        DeltaOutcome::Duplicate,
        DeltaOutcome::Applied,
        gap,
    ];
    assert_eq!(outcomes, expected);
    assert_eq!(inv.position(n(0), s(1)).on_hand, 7);
    assert_eq!(inv.position(n(1), s(2)).on_hand, 2);
    balanced(&inv);
}

#[test]
fn returns_add_on_hand_at_once() {
    let inv = ledger(&[(0, 1, 1)]);
    inv.return_units(n(0), s(1), 2).unwrap();
    inv.return_units(n(3), s(4), 1).unwrap();
    let p = inv.position(n(0), s(1));
    assert_eq!((p.on_hand, p.returned, p.routable()), (3, 2, 3));
    assert_eq!(inv.routable(n(3), s(4)), 1);
    let err = inv.return_units(n(0), s(1), u32::MAX).unwrap_err();
    assert_eq!(
        err,
        InventoryError::QuantityOverflow {
            node: n(0),
            sku: s(1)
        }
    );
    assert_eq!(inv.position(n(0), s(1)), p);
    balanced(&inv);
}

#[test]
fn routable_positions_are_positive_and_sorted_by_sku_then_node() {
    let inv = ledger(&[(2, 1, 1), (0, 2, 3), (1, 1, 0), (0, 1, 4), (5, 0, 2)]);
    inv.set_incoming(
        n(1),
        s(1),
        Incoming {
            qty: 9,
            expected: None,
        },
    );
    let expected = vec![
        (n(5), s(0), 2),
        (n(0), s(1), 4),
        (n(2), s(1), 1),
        (n(0), s(2), 3),
    ];
    assert_eq!(inv.routable_positions(), expected);
    assert_eq!(inv.position(n(1), s(1)).incoming.qty, 9);
}

#[test]
fn every_error_code_is_distinct_and_documented() {
    let (id, node, sku) = (ReservationId(1), n(0), s(0));
    let errors = [
        InventoryError::NegativeOnHand {
            node,
            seq: 1,
            sku,
            on_hand: 0,
            change: -1,
        },
        InventoryError::QuantityOverflow { node, sku },
        InventoryError::InsufficientStock {
            id,
            node,
            sku,
            wanted: 1,
            routable: 0,
        },
        InventoryError::DuplicateReservation { id },
        InventoryError::UnknownReservation { id },
        InventoryError::Expired {
            id,
            expires_at: at(0),
        },
        InventoryError::ShortOnCommit {
            id,
            node,
            sku,
            reserved: 1,
            on_hand: 0,
        },
        InventoryError::ReleaseBeyondHeld {
            node,
            seq: 1,
            sku,
            held: 0,
            release: 1,
        },
        InventoryError::SnapshotNodeMismatch {
            expected: node,
            got: n(1),
        },
    ];
    let docs = include_str!("../../../../docs/errors.md");
    let mut codes: Vec<&str> = errors.iter().map(InventoryError::code).collect();
    for (e, code) in errors.iter().zip(&codes) {
        assert!(
            docs.contains(&format!("## {code}\n")),
            "{code} missing from docs/errors.md"
        );
        let message = e.to_string();
        assert!(message.starts_with(char::is_lowercase), "{code}: {message}");
        assert!(!message.ends_with('.'), "{code}: {message}");
    }
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), errors.len());
}
