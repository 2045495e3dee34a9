//! `position` on a two-node network whose right move is known, and `simulate --seed`'s drawn
//! dealer rejects.

use crate::{on_files, stdout};

const NOW: &str = "2026-11-26T04:00:00Z";

const HEADER: &str = "order_id,sku,qty,dest_lat,dest_lon,created_at\n";

/// W0 in Delhi holds TEE and CAP; the Mumbai store S1 holds CAP only; five TEE orders land in
/// Mumbai, two in Delhi.
fn far_tee() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(tmp.path().join(name), text).unwrap();
    write(
        "nodes.csv",
        "node_id,kind,lat,lon\nW0,warehouse,28.61,77.21\nS1,store,19.07,72.88\n",
    );
    write(
        "stock.csv",
        "node_id,sku,qty\nW0,TEE,50\nW0,CAP,5\nS1,CAP,5\n",
    );
    let rows = (0..5)
        .map(|i| format!("M{i},TEE,1,19.1,72.9,{NOW}\n"))
        .chain((0..2).map(|i| format!("D{i},TEE,1,28.6,77.2,{NOW}\n")));
    let orders: String = std::iter::once(HEADER.to_owned()).chain(rows).collect();
    write("orders.csv", &orders);
    tmp
}

#[test]
fn position_moves_the_far_sku_to_where_its_orders_land_and_shows_before_and_after() {
    let tmp = far_tee();
    let out = on_files(tmp.path(), &["position", "-q"])
        .args(["--now", NOW, "--format", "csv", "--out", "moves.csv"])
        .assert()
        .code(0);
    let csv = stdout(&out);
    let moves = std::fs::read_to_string(tmp.path().join("moves.csv")).unwrap();
    let lines: Vec<&str> = moves.lines().collect();
    assert_eq!(
        lines[0],
        "sku,from_node,to_node,units,cost_before_cents,cost_after_cents,saving_cents"
    );
    assert_eq!(lines.len(), 2, "{moves}");
    assert!(lines[1].starts_with("TEE,W0,S1,5,"), "{moves}");
    let cells: Vec<i64> = lines[1]
        .split(',')
        .skip(4)
        .map(|c| c.parse().unwrap())
        .collect();
    assert_eq!(cells[0] - cells[1], cells[2]);
    assert!(
        cells[2] > 5 * 500,
        "Delhi to Mumbai is over 1,000 km a unit: {moves}"
    );
    // Before, the Mumbai orders were promised three days out; after, the next day.
    assert!(
        csv.contains("\npromise_days,3_days,orders,5,0,-5\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\npromise_days,next_day,orders,2,7,5\n"),
        "{csv}"
    );
    // No moves asked for: the replay as it was.
    let out = on_files(tmp.path(), &["position", "-q"])
        .args(["--now", NOW, "--moves", "0"])
        .assert()
        .code(0);
    assert!(stdout(&out).starts_with("0 move(s) from 1 replay(s) of 1 day(s)\n"));
}

#[test]
fn simulate_draws_dealer_rejects_from_the_seed_the_same_way_every_run() {
    let tmp = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(tmp.path().join(name), text).unwrap();
    // The dealer sits on the orders and never accepts; the warehouse is 40 km away.
    write(
        "nodes.csv",
        "node_id,kind,lat,lon,acceptance_rate\nW0,warehouse,28.61,77.21,\nD1,dealer,28.40,77.31,0\n",
    );
    write("stock.csv", "node_id,sku,qty\nW0,TEE,50\nD1,TEE,50\n");
    let rows = (0..4).map(|i| format!("O{i},TEE,1,28.41,77.31,{NOW}\n"));
    let orders: String = std::iter::once(HEADER.to_owned()).chain(rows).collect();
    write("orders.csv", &orders);
    let run = |seed: Option<&str>| {
        let mut cmd = on_files(tmp.path(), &["simulate", "-q"]);
        cmd.args(["--now", NOW, "--format", "csv"]);
        if let Some(s) = seed {
            cmd.args(["--seed", s]);
        }
        stdout(&cmd.assert().code(0))
    };
    let seeded = run(Some("11"));
    assert_eq!(seeded, run(Some("11")), "same seed, same bytes");
    assert!(
        seeded.contains("\nreroute_events,,events,4,,\n"),
        "{seeded}"
    );
    assert!(
        seeded.contains("\nreroutes_by_cause,dealer_rejected,moves,4,,\n"),
        "{seeded}"
    );
    assert!(
        seeded.contains("\norders_by_kind,warehouse,orders,4,,\n"),
        "{seeded}"
    );
    // Without a seed no offer is refused: the dealer ships all four.
    let plain = run(None);
    assert!(
        plain.contains("\norders_by_kind,dealer,orders,4,,\n"),
        "{plain}"
    );
}
