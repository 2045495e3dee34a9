//! Feed events of every kind ([`StockOp`]): what each does to a position, that a batch is all or
//! nothing, and that the books still balance.

use super::tests::{at, balanced, ledger, line, n, s, TTL};
use super::*;

fn change(seq: u64, op: StockOp) -> StockChange {
    StockChange {
        node: n(0),
        seq,
        sku: s(0),
        op,
    }
}

#[test]
fn each_op_moves_its_own_counters() {
    let inv = ledger(&[(0, 0, 10)]);
    let ops = [
        (StockOp::Adjust(-3), 7, 0, 7),
        (StockOp::Set(12), 12, 0, 12),
        (StockOp::Reserve(5), 12, 5, 7),
        (StockOp::Ship(2), 10, 3, 7),
        (StockOp::Release(3), 10, 0, 10),
        (StockOp::Ship(4), 6, 0, 6),
        (StockOp::Return(2), 8, 0, 8),
    ];
    for (i, (op, on_hand, reserved, routable)) in ops.into_iter().enumerate() {
        let outcome = inv.apply_changes(&[change(i as u64 + 1, op)]).unwrap();
        assert_eq!(outcome, [DeltaOutcome::Applied], "{op:?}");
        let p = inv.position(n(0), s(0));
        assert_eq!(
            (p.on_hand, p.reserved, p.routable()),
            (on_hand, reserved, routable),
            "{op:?}"
        );
    }
    let p = inv.position(n(0), s(0));
    assert_eq!((p.shipped, p.returned, p.delta_in), (6, 2, 2));
    balanced(&inv);
}

#[test]
fn a_return_held_for_inspection_is_routable_once_released() {
    let inv = ledger(&[(0, 0, 2)]);
    inv.apply_changes(&[change(1, StockOp::ReturnHeld(3))])
        .unwrap();
    let p = inv.position(n(0), s(0));
    assert_eq!(
        (p.on_hand, p.reserved, p.routable(), p.returned),
        (5, 3, 2, 3)
    );
    // Two passed inspection, one is scrapped.
    inv.apply_changes(&[change(2, StockOp::Release(2)), change(3, StockOp::Ship(1))])
        .unwrap();
    let p = inv.position(n(0), s(0));
    assert_eq!((p.on_hand, p.reserved, p.routable()), (4, 0, 4));
    balanced(&inv);
}

#[test]
fn a_refused_event_leaves_the_whole_batch_unapplied() {
    let inv = ledger(&[(0, 0, 4)]);
    let batch = [
        change(1, StockOp::Adjust(3)),
        change(2, StockOp::Reserve(1)),
        change(3, StockOp::Release(2)),
    ];
    let err = inv.apply_changes(&batch).unwrap_err();
    assert_eq!(err.code(), "E3220");
    assert_eq!(
        err.to_string(),
        "event seq 3 for node #0 sku #0 releases 2 units, 1 are held"
    );
    assert_eq!(inv.position(n(0), s(0)).on_hand, 4);
    assert_eq!(inv.last_seq(n(0)), None, "no sequence number moved");
    let short = inv
        .apply_changes(&[change(1, StockOp::Ship(5))])
        .unwrap_err();
    assert_eq!(short.code(), "E3001");
    assert_eq!(inv.position(n(0), s(0)).on_hand, 4);
}

#[test]
fn duplicates_of_any_op_are_ignored() {
    let inv = ledger(&[(0, 0, 4)]);
    inv.apply_changes(&[change(1, StockOp::Return(2))]).unwrap();
    let again = inv.apply_changes(&[change(1, StockOp::Return(2))]).unwrap();
    assert_eq!(again, [DeltaOutcome::Duplicate]);
    assert_eq!(inv.position(n(0), s(0)).on_hand, 6);
}

#[test]
fn a_count_below_live_reservations_leaves_nothing_routable() {
    let inv = ledger(&[(0, 0, 5)]);
    inv.reserve(ReservationId(1), &[line(0, 0, 3)], at(0), TTL)
        .unwrap();
    inv.apply_changes(&[change(1, StockOp::Set(2))]).unwrap();
    let p = inv.position(n(0), s(0));
    assert_eq!((p.on_hand, p.reserved, p.routable()), (2, 3, 0));
    balanced(&inv);
}
