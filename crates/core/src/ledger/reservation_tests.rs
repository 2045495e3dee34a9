//! Unit tests of reserve, commit, release and expire.

use super::tests::{at, balanced, delta, ledger, line, n, s, TTL};
use super::*;

#[test]
fn reserve_holds_every_line_or_none() {
    let inv = ledger(&[(0, 1, 5), (1, 2, 2), (0, 3, 9)]);
    let lines = [line(0, 1, 3), line(0, 3, 1), line(1, 2, 3)];
    let err = inv
        .reserve(ReservationId(1), &lines, at(0), TTL)
        .unwrap_err();
    let short = InventoryError::InsufficientStock {
        id: ReservationId(1),
        node: n(1),
        sku: s(2),
        wanted: 3,
        routable: 2,
    };
    assert_eq!(err, short);
    assert_eq!(err.code(), "E3003");
    assert_eq!(
        inv.routable(n(0), s(1)),
        5,
        "the lines that fit were not held"
    );
    assert_eq!(inv.live_reservations(), 0);

    // Two lines at one position add up.
    let err = inv.reserve(
        ReservationId(2),
        &[line(0, 1, 3), line(0, 1, 3)],
        at(0),
        TTL,
    );
    assert!(matches!(
        err,
        Err(InventoryError::InsufficientStock { wanted: 6, .. })
    ));
    // A position never seen has nothing routable.
    let err = inv.reserve(ReservationId(2), &[line(7, 7, 1)], at(0), TTL);
    assert!(matches!(
        err,
        Err(InventoryError::InsufficientStock { routable: 0, .. })
    ));

    inv.reserve(
        ReservationId(3),
        &[line(0, 1, 2), line(1, 2, 2), line(0, 1, 3)],
        at(0),
        TTL,
    )
    .unwrap();
    assert_eq!((inv.routable(n(0), s(1)), inv.routable(n(1), s(2))), (0, 0));
    let dup = inv.reserve(ReservationId(3), &[], at(0), TTL).unwrap_err();
    assert_eq!(
        dup,
        InventoryError::DuplicateReservation {
            id: ReservationId(3)
        }
    );
    assert_eq!(dup.code(), "E3004");
}

#[test]
fn commit_ships_and_counts() {
    let inv = ledger(&[(0, 1, 5), (1, 2, 2)]);
    inv.reserve(
        ReservationId(1),
        &[line(0, 1, 3), line(1, 2, 2)],
        at(0),
        TTL,
    )
    .unwrap();
    inv.commit(ReservationId(1), at(59)).unwrap();
    let p = inv.position(n(0), s(1));
    assert_eq!(
        (p.on_hand, p.reserved, p.shipped, p.routable()),
        (2, 0, 3, 2)
    );
    assert_eq!(inv.position(n(1), s(2)).shipped, 2);
    assert_eq!(inv.live_reservations(), 0);
    let err = inv.commit(ReservationId(1), at(59)).unwrap_err();
    assert_eq!(
        err,
        InventoryError::UnknownReservation {
            id: ReservationId(1)
        }
    );
    assert_eq!(err.code(), "E3005");
    assert_eq!(inv.release(ReservationId(1)).unwrap_err().code(), "E3005");
    balanced(&inv);
}

#[test]
fn release_frees_the_units() {
    let inv = ledger(&[(0, 1, 5)]);
    inv.reserve(ReservationId(1), &[line(0, 1, 5)], at(0), TTL)
        .unwrap();
    assert_eq!(inv.routable(n(0), s(1)), 0);
    inv.release(ReservationId(1)).unwrap();
    let p = inv.position(n(0), s(1));
    assert_eq!(
        (p.on_hand, p.reserved, p.shipped, p.routable()),
        (5, 0, 0, 5)
    );
    // The id may be used again once released.
    inv.reserve(ReservationId(1), &[line(0, 1, 1)], at(0), TTL)
        .unwrap();
}

#[test]
fn commit_after_expiry_fails_and_releases() {
    let inv = ledger(&[(0, 1, 5)]);
    inv.reserve(ReservationId(1), &[line(0, 1, 4)], at(0), TTL)
        .unwrap();
    let err = inv.commit(ReservationId(1), at(60)).unwrap_err();
    assert_eq!(
        err,
        InventoryError::Expired {
            id: ReservationId(1),
            expires_at: at(60)
        }
    );
    assert_eq!(err.code(), "E3006");
    let p = inv.position(n(0), s(1));
    assert_eq!((p.on_hand, p.reserved, p.shipped), (5, 0, 0));
    assert_eq!(inv.live_reservations(), 0);
}

#[test]
fn expire_sweeps_only_what_is_due() {
    let inv = ledger(&[(0, 1, 10), (0, 2, 10)]);
    inv.reserve(ReservationId(3), &[line(0, 1, 1)], at(0), TTL)
        .unwrap();
    inv.reserve(ReservationId(1), &[line(0, 2, 2)], at(10), TTL)
        .unwrap();
    inv.reserve(ReservationId(2), &[line(0, 1, 4)], at(30), TTL)
        .unwrap();
    assert_eq!(inv.expire(at(59)), vec![]);
    assert_eq!(inv.expire(at(70)), vec![ReservationId(1), ReservationId(3)]);
    assert_eq!(inv.position(n(0), s(1)).reserved, 4);
    assert_eq!(inv.routable(n(0), s(2)), 10);
    assert_eq!(inv.expire(at(70)), vec![]);
    assert_eq!(inv.release(ReservationId(3)).unwrap_err().code(), "E3005");
    assert_eq!(inv.live_reservations(), 1);
}

#[test]
fn commit_short_after_a_correction_ships_nothing_and_keeps_the_reservation() {
    let inv = ledger(&[(0, 1, 5)]);
    inv.reserve(ReservationId(1), &[line(0, 1, 4)], at(0), TTL)
        .unwrap();
    inv.apply_delta(delta(0, 1, 1, -3)).unwrap();
    assert_eq!(inv.routable(n(0), s(1)), 0);
    let before = inv.positions();
    let err = inv.commit(ReservationId(1), at(1)).unwrap_err();
    assert_eq!(err.code(), "E3007");
    assert_eq!(inv.positions(), before);
    assert_eq!(inv.live_reservations(), 1);
    inv.release(ReservationId(1)).unwrap();
    assert_eq!(inv.routable(n(0), s(1)), 2);
    balanced(&inv);
}
