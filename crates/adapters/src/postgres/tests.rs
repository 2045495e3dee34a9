//! Against a real PostgreSQL server: `DATABASE_URL` (scripts/pg-test sets it; scripts/test always
//! runs these). Each test works in a database of its own, created here and dropped at the end.

use super::*;
use crate::StockRecord;
use jiff::{SignedDuration, Timestamp};
use omniroute_core::{
    DeltaOutcome, InventoryError, LatLng, Network, Node, NodeIdx, NodeKind, ReservationId, SkuId,
    Skus, StockChange, StockOp,
};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// A fresh database on the `DATABASE_URL` server, migrated; `None` (said loudly) when unset.
pub(crate) async fn fresh_database(name: &str) -> Option<String> {
    static N: AtomicU32 = AtomicU32::new(0);
    let Ok(url) = std::env::var(DATABASE_VAR) else {
        eprintln!(
            "\n*** SKIPPED {name}: DATABASE_URL is not set (scripts/pg-test or scripts/test set it) ***\n"
        );
        return None;
    };
    let db = format!(
        "omniroute_t{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    );
    let url = create_database(&url, &db).await.unwrap();
    PgStore::connect(&url, 1)
        .await
        .unwrap()
        .migrate()
        .await
        .unwrap();
    Some(url)
}

fn world() -> (Network, Skus, Vec<StockRecord>) {
    let at = LatLng::new(28.6, 77.2).unwrap();
    let network = Network::new(vec![
        Node::new("WH", NodeKind::Warehouse, at),
        Node::new("ST", NodeKind::Store, at),
    ])
    .unwrap();
    let mut skus = Skus::default();
    let tee = skus.intern("TEE");
    let cap = skus.intern("CAP");
    let row = |node, sku, on_hand| StockRecord {
        node: NodeIdx(node),
        sku,
        on_hand,
        reserved: 0,
        safety_stock: 0,
        incoming: omniroute_core::Incoming::default(),
    };
    (
        network,
        skus,
        vec![row(0, tee, 10), row(1, tee, 3), row(1, cap, 1)],
    )
}

fn line(node: u32, node_id: &str, sku: u32, name: &str, qty: u32) -> PgLine {
    PgLine {
        node: NodeIdx(node),
        node_id: node_id.into(),
        sku: SkuId(sku),
        sku_name: name.into(),
        qty,
    }
}

fn now() -> Timestamp {
    "2026-12-05T09:00:00Z".parse().unwrap()
}

async fn loaded(name: &str) -> Option<(PgStore, String)> {
    let url = fresh_database(name).await?;
    let store = PgStore::connect(&url, 2).await.unwrap();
    let (network, skus, stock) = world();
    assert_eq!(store.load(&network, &skus, &stock).await.unwrap(), 3);
    Some((store, url))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_is_idempotent_and_checked() {
    let Some(url) = fresh_database("migrate_is_idempotent_and_checked").await else {
        return;
    };
    let store = PgStore::connect(&url, 1).await.unwrap();
    store.migrate().await.unwrap();
    store.check_schema().await.unwrap();
    store
        .client()
        .await
        .batch_execute("DROP TABLE omniroute_schema")
        .await
        .unwrap();
    let e = store.check_schema().await.unwrap_err();
    assert_eq!(
        (e.code(), e.to_string().as_str()),
        (
            "E6003",
            "the database has no omniroute schema (this omniroute reads version 1)"
        )
    );
    let bad = PgStore::connect("postgresql://nobody@127.0.0.1:1/x", 1)
        .await
        .unwrap_err();
    assert_eq!(bad.code(), "E6001");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reserve_commit_release_and_expire_keep_the_books() {
    let Some((store, _)) = loaded("reserve_commit_release_and_expire_keep_the_books").await else {
        return;
    };
    let ttl = SignedDuration::from_mins(15);
    let decision = serde_json::json!({"order_id": "O1"});
    let two = [line(0, "WH", 0, "TEE", 4), line(1, "ST", 1, "CAP", 1)];
    let after = store
        .reserve(ReservationId(1), "O1", &two, now() + ttl, &decision)
        .await
        .unwrap();
    assert_eq!(after.len(), 2);
    assert_eq!(
        (after[1].node_id.as_str(), after[1].position.reserved),
        ("WH", 4)
    );
    // All or nothing: the CAP line does not fit, so the TEE line is not held either.
    let refused = store
        .reserve(
            ReservationId(2),
            "O2",
            &[line(0, "WH", 0, "TEE", 1), line(1, "ST", 1, "CAP", 1)],
            now() + ttl,
            &decision,
        )
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "E3003");
    let same_order = store
        .reserve(
            ReservationId(3),
            "O1",
            &[line(0, "WH", 0, "TEE", 1)],
            now() + ttl,
            &decision,
        )
        .await
        .unwrap_err();
    assert_eq!(same_order.code(), "E3004");
    let (_, all) = store.positions().await.unwrap();
    let wh_tee = all
        .iter()
        .find(|p| p.node_id == "WH" && p.sku == "TEE")
        .unwrap();
    assert_eq!((wh_tee.position.on_hand, wh_tee.position.reserved), (10, 4));

    let ids = |_: &str, _: &str| (NodeIdx(0), SkuId(0));
    let (after, outcome) = store.commit(ReservationId(1), now(), &ids).await.unwrap();
    assert_eq!(outcome, Ok(()));
    let wh = after.iter().find(|p| p.node_id == "WH").unwrap();
    assert_eq!(
        (
            wh.position.on_hand,
            wh.position.reserved,
            wh.position.shipped
        ),
        (6, 0, 4)
    );
    assert_eq!(wh.position.unaccounted_units(), 0);
    let again = store.release(ReservationId(1)).await.unwrap_err();
    assert_eq!(
        again,
        DbError::Refused(InventoryError::UnknownReservation {
            id: ReservationId(1)
        })
    );

    store
        .reserve(
            ReservationId(4),
            "O4",
            &[line(1, "ST", 0, "TEE", 3)],
            now() + ttl,
            &decision,
        )
        .await
        .unwrap();
    let (expired, after) = store.expire(now() + ttl).await.unwrap();
    assert_eq!(expired, [ReservationId(4)]);
    assert_eq!(after[0].position.reserved, 0);
    let status: String = store
        .client()
        .await
        .query_one("SELECT status FROM decisions WHERE reservation_id = 4", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(status, "expired");
}

fn event(seq: u64, node_id: &str, sku: &str, op: StockOp) -> PgEvent {
    PgEvent {
        change: StockChange {
            node: NodeIdx(u32::from(node_id == "ST")),
            seq,
            sku: SkuId(0),
            op,
        },
        node_id: node_id.into(),
        sku: sku.into(),
        at: Some(now()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feed_events_apply_once_all_or_nothing_and_are_followed() {
    let Some((store, _)) = loaded("feed_events_apply_once_all_or_nothing_and_are_followed").await
    else {
        return;
    };
    let (start, _) = store.positions().await.unwrap();
    let (outcomes, after) = store
        .apply(&[
            event(1, "ST", "TEE", StockOp::Adjust(2)),
            event(1, "ST", "TEE", StockOp::Adjust(2)),
            event(4, "ST", "TEE", StockOp::Return(1)),
            event(5, "ST", "NEW", StockOp::Set(7)),
        ])
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        [
            DeltaOutcome::Applied,
            DeltaOutcome::Duplicate,
            DeltaOutcome::Gap {
                expected: 2,
                got: 4
            },
            // 2 and 3 are still missing (the core's rule: a gap is counted from the run).
            DeltaOutcome::Gap {
                expected: 2,
                got: 5
            }
        ]
    );
    let tee = after.iter().find(|p| p.sku == "TEE").unwrap();
    assert_eq!((tee.position.on_hand, tee.position.returned), (6, 1));
    assert_eq!(tee.position.unaccounted_units(), 0);
    // A refused event leaves the whole batch unapplied, sequence numbers included.
    let refused = store
        .apply(&[
            event(6, "ST", "TEE", StockOp::Adjust(1)),
            event(7, "ST", "TEE", StockOp::Ship(100)),
        ])
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "E3001");
    let (outcomes, _) = store
        .apply(&[event(6, "ST", "TEE", StockOp::Adjust(1))])
        .await
        .unwrap();
    assert_eq!(
        outcomes,
        [DeltaOutcome::Gap {
            expected: 2,
            got: 6
        }],
        "seq 6 was not kept (a duplicate otherwise)"
    );
    let (last, changed) = store.changes_since(start).await.unwrap();
    assert!(last > start);
    let mut names: Vec<(&str, &str, u32)> = changed
        .iter()
        .map(|p| (p.node_id.as_str(), p.sku.as_str(), p.position.on_hand))
        .collect();
    names.sort_unstable();
    assert_eq!(names, [("ST", "NEW", 7), ("ST", "TEE", 7)]);
    assert!(store.changes_since(last).await.unwrap().1.is_empty());

    // The sweep prunes changes older than an hour, but the last; a follower behind the pruned
    // part re-reads every position, one at the last change only what follows.
    let client = store.client().await;
    let aged = client
        .execute(
            "UPDATE stock_changes SET changed_at = now() - interval '2 hours'",
            &[],
        )
        .await
        .unwrap();
    assert!(aged >= 3, "{aged}");
    drop(client);
    store.expire(Timestamp::now()).await.unwrap();
    let client = store.client().await;
    let left: i64 = client
        .query_one("SELECT count(*) FROM stock_changes", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 1, "only the last change is kept");
    drop(client);
    let (again, all) = store.changes_since(start).await.unwrap();
    assert_eq!(again, last, "the log keeps its position");
    assert_eq!(
        all.len(),
        4,
        "every position: WH TEE, ST TEE, ST CAP, ST NEW"
    );
    assert!(store.changes_since(last).await.unwrap().1.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_reservations_from_two_stores_never_oversell() {
    let Some((store, url)) = loaded("concurrent_reservations_from_two_stores_never_oversell").await
    else {
        return;
    };
    drop(store);
    let a = Arc::new(PgStore::connect(&url, 4).await.unwrap());
    let b = Arc::new(PgStore::connect(&url, 4).await.unwrap());
    let mut tasks = Vec::new();
    for i in 0..40u64 {
        let store = Arc::clone(if i % 2 == 0 { &a } else { &b });
        tasks.push(tokio::spawn(async move {
            // ST holds 3 TEE and 1 CAP: every order wants both.
            let lines = [line(1, "ST", 0, "TEE", 1), line(1, "ST", 1, "CAP", 1)];
            let lines = if i % 3 == 0 {
                vec![lines[0].clone()]
            } else {
                lines.to_vec()
            };
            store
                .reserve(
                    ReservationId(i + 1),
                    &format!("O{i}"),
                    &lines,
                    now() + SignedDuration::from_mins(5),
                    &serde_json::json!({}),
                )
                .await
        }));
    }
    let (mut won, mut won_caps) = (0, 0);
    for (i, t) in tasks.into_iter().enumerate() {
        match t.await.unwrap() {
            Ok(_) => {
                won += 1;
                won_caps += u32::from(i % 3 != 0);
            }
            Err(e) => assert_eq!(e.code(), "E3003", "{e}"),
        }
    }
    let (_, all) = a.positions().await.unwrap();
    for p in &all {
        assert!(p.position.reserved <= p.position.on_hand, "{p:?}");
    }
    let st_tee = all
        .iter()
        .find(|p| p.node_id == "ST" && p.sku == "TEE")
        .unwrap();
    let st_cap = all
        .iter()
        .find(|p| p.node_id == "ST" && p.sku == "CAP")
        .unwrap();
    // All or nothing: the CAP held is the CAP of the orders that won (at most the one unit).
    assert_eq!(
        (st_tee.position.reserved, st_cap.position.reserved),
        (3, won_caps)
    );
    assert!(won_caps <= 1);
    assert_eq!(won, 3, "3 units of TEE, each order takes one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_applies_feed_batches_as_the_memory_ledger_does() {
    let Some((store, _)) =
        loaded("the_database_applies_feed_batches_as_the_memory_ledger_does").await
    else {
        return;
    };
    let (_, skus, stock) = world();
    let memory = omniroute_core::Inventory::new();
    memory.replace_snapshot(stock.iter().map(|r| omniroute_core::StockRow {
        node: r.node,
        sku: r.sku,
        on_hand: r.on_hand,
        reserved: r.reserved,
        safety_stock: r.safety_stock,
    }));
    // Batches of 1 to 6 events with repeated, skipped and late sequence numbers on both nodes,
    // some refused (a ship beyond on-hand): a small deterministic generator.
    let mut x: u64 = 7;
    let mut next = |m: u64| {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) % m
    };
    for _ in 0..60 {
        let size = 1 + next(6) as usize;
        let batch: Vec<PgEvent> = (0..size)
            .map(|_| {
                let node_id = if next(2) == 0 { "WH" } else { "ST" };
                let sku = if next(2) == 0 { "TEE" } else { "CAP" };
                let op = match next(4) {
                    0 => StockOp::Ship(next(4) as u32),
                    1 => StockOp::Return(next(3) as u32),
                    _ => StockOp::Adjust(next(5) as i64 - 2),
                };
                let mut e = event(1 + next(25), node_id, sku, op);
                e.change.sku = skus.get(sku).unwrap();
                e
            })
            .collect();
        let changes: Vec<StockChange> = batch.iter().map(|e| e.change).collect();
        let db = store.apply(&batch).await;
        match (memory.apply_changes(&changes), db) {
            (Ok(m), Ok((d, _))) => assert_eq!(m, d, "{changes:?}"),
            (Err(m), Err(d)) => assert_eq!(m.code(), d.code(), "{changes:?}"),
            (m, d) => panic!("memory {m:?}, database {d:?}, for {changes:?}"),
        }
    }
    let (_, positions) = store.positions().await.unwrap();
    for p in positions {
        let node = NodeIdx(u32::from(p.node_id == "ST"));
        let m = memory.position(node, skus.get(&p.sku).unwrap());
        assert_eq!(
            (p.position.on_hand, p.position.shipped, p.position.returned),
            (m.on_hand, m.shipped, m.returned),
            "{} {}",
            p.node_id,
            p.sku
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_fills_the_incoming_units_and_their_date() {
    let Some(url) = fresh_database("load_fills_the_incoming_units_and_their_date").await else {
        return;
    };
    let store = PgStore::connect(&url, 1).await.unwrap();
    let (network, skus, mut stock) = world();
    let arriving = omniroute_core::Incoming {
        qty: 7,
        expected: Some(jiff::civil::date(2026, 12, 9)),
    };
    stock[1].incoming = arriving;
    store.load(&network, &skus, &stock).await.unwrap();
    let (_, positions) = store.positions().await.unwrap();
    let at = |node: &str, sku: &str| {
        let p = positions.iter().find(|p| p.node_id == node && p.sku == sku);
        p.unwrap().position.incoming
    };
    assert_eq!(at("ST", "TEE"), arriving);
    assert_eq!(at("WH", "TEE"), omniroute_core::Incoming::default());
    // A later load whose row gives none clears them.
    stock[1].incoming = omniroute_core::Incoming::default();
    store.load(&network, &skus, &stock).await.unwrap();
    let (_, positions) = store.positions().await.unwrap();
    let p = positions
        .iter()
        .find(|p| p.node_id == "ST" && p.sku == "TEE");
    assert_eq!(
        p.unwrap().position.incoming,
        omniroute_core::Incoming::default()
    );
}
