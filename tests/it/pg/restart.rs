//! The database server restarts in the middle of a stock feed (`OMNIROUTE_PG_CTL`, set by
//! scripts/pg-test): the feed loader waits for it and loses no event, and a serve process
//! follows the database again, its ledger equal to the database's.

use super::{db_load, load, migrated, mirrors_follow, Serve, SERVER};
use omniroute_adapters::postgres::PgStore;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Adjust events the feed sends, one every 20 ms; the server restarts after the first third.
const EVENTS: u64 = 90;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_in_the_middle_of_a_feed_loses_no_event() {
    let _alone = SERVER.write().await;
    let name = "a_restart_in_the_middle_of_a_feed_loses_no_event";
    let Ok(pg_ctl) = std::env::var("OMNIROUTE_PG_CTL") else {
        eprintln!(
            "\n*** SKIPPED {name}: OMNIROUTE_PG_CTL is not set (scripts/pg-test sets it) ***\n"
        );
        return;
    };
    let Some(url) = migrated(name).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    load(&url, dir.path(), "node_id,sku,qty\nWH-DEL,TEE,5\n");
    let server = Serve::start(&url, dir.path()).await;

    let mut feed = db_load(&url, dir.path())
        .args(["--deltas", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = feed.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        for seq in 1..=EVENTS {
            let line = format!(
                "{{\"op\":\"adjust\",\"node_id\":\"WH-DEL\",\"sku\":\"TEE\",\"qty\":1,\"seq\":{seq}}}\n"
            );
            input.write_all(line.as_bytes()).unwrap();
            input.flush().unwrap();
            std::thread::sleep(Duration::from_millis(20));
        }
        // Dropping stdin ends the feed.
    });
    tokio::time::sleep(Duration::from_millis(20 * EVENTS / 3)).await;
    // The restarted server inherits pg_ctl's output: not a pipe the test would wait on.
    let restart = Command::new("sh")
        .arg("-c")
        .arg(format!("{pg_ctl} -m fast restart"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(restart.success(), "{pg_ctl} -m fast restart failed");
    writer.join().unwrap();
    let out = feed.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    // An event whose commit was sent but not answered runs again and is then a duplicate.
    let applied = summary["applied"].as_u64().unwrap();
    assert_eq!(
        applied + summary["duplicates"].as_u64().unwrap(),
        EVENTS,
        "{summary}"
    );
    assert_eq!(summary["gaps"], 0, "{summary}");

    let store = PgStore::connect(&url, 1).await.unwrap();
    let (_, positions) = store.positions().await.unwrap();
    assert_eq!(positions.len(), 1);
    assert_eq!(
        u64::from(positions[0].position.on_hand),
        5 + EVENTS,
        "every event applied once"
    );
    // The serve process follows the database again: its ledger equals the database's.
    mirrors_follow(std::slice::from_ref(&server), &positions).await;
    let client = Client::new();
    let order = json!({"order_id": "A", "dest": {"lat": 28.6, "lon": 77.2}, "lines": [{"sku": "TEE", "qty": 2}]});
    let (st, v) = server.call(&client, "/v1/orders", Some(&order)).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (_, after) = store.positions().await.unwrap();
    assert_eq!(
        after[0].position.reserved, 2,
        "the reservation is in the database"
    );
}
