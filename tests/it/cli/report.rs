//! `report` and `simulate` on the hand-written `small` instance.

use super::demo_gen::fnv1a;
use super::route::SMALL_DECISIONS;
use crate::{fixture, omniroute, on_files, stderr, stdout};
use serde_json::Value;

/// Stores and dealers reach nowhere: warehouses only.
const WAREHOUSES_ONLY: &str = "[kinds.store]\nreach_km = { same_day = 0, next_day = 0, standard = 0 }\n\n[kinds.dealer]\nreach_km = { same_day = 0, next_day = 0, standard = 0 }\n";

const NOW: &str = "2026-11-26T04:00:00Z";

/// A scratch folder with the small instance, its decisions.csv and wh-only.toml.
fn folder() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["nodes.csv", "stock.csv", "orders.csv"] {
        std::fs::copy(fixture("small").join(name), tmp.path().join(name)).unwrap();
    }
    std::fs::write(tmp.path().join("decisions.csv"), SMALL_DECISIONS).unwrap();
    std::fs::write(tmp.path().join("wh-only.toml"), WAREHOUSES_ONLY).unwrap();
    tmp
}

/// The JSON a report page embeds.
fn page_data(html: &str) -> Value {
    let start = html.find("id=\"report-data\">").unwrap() + "id=\"report-data\">".len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

fn figure(data: &Value, name: &str, key: &str) -> Value {
    data["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == name && r["key"] == key)
        .unwrap_or_else(|| panic!("no {name}/{key}"))["value"]
        .clone()
}

#[test]
fn report_writes_one_page_with_the_plans_figures() {
    let tmp = folder();
    let out = on_files(tmp.path(), &["report", "--decisions", "decisions.csv"])
        .args(["--out", "report.html", "--now", NOW, "--title", "Small day"])
        .assert()
        .code(0);
    assert!(
        stderr(&out).contains("5 orders: fill rate 87.50 %"),
        "{}",
        stderr(&out)
    );
    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<title>Small day</title>"));
    let data = page_data(&html);
    // 7 of 8 units (O3's GLOVE is nowhere); O2 splits over ST-GGN and WH-DEL.
    assert_eq!(figure(&data, "fill_rate", ""), 0.875);
    assert_eq!(figure(&data, "split_rate", ""), 0.25);
    assert_eq!(figure(&data, "orders_by_kind", "warehouse"), 3.0);
    assert_eq!(figure(&data, "orders_by_kind", "store"), 2.0);
    assert_eq!(figure(&data, "node_units", "WH-DEL"), 5.0);
    assert_eq!(data["deliveries"].as_array().unwrap().len(), 5);
}

#[test]
fn report_refuses_decisions_that_break_their_inputs() {
    let tmp = folder();
    // O5's two TEE from ST-NOI, which holds two and ships one to O1.
    let broken = SMALL_DECISIONS.replace("O5,1,TEE,2,WH-DEL", "O5,1,TEE,2,ST-NOI");
    std::fs::write(tmp.path().join("decisions.csv"), broken).unwrap();
    let out = on_files(
        tmp.path(),
        &["report", "-q", "--decisions", "decisions.csv"],
    )
    .args(["--out", "report.html", "--now", NOW])
    .assert()
    .code(2);
    assert!(stderr(&out).contains("E8001"), "{}", stderr(&out));
    assert!(!tmp.path().join("report.html").exists());
}

#[test]
fn simulate_compares_two_policies_the_same_way_every_run() {
    let tmp = folder();
    let run = || {
        let out = on_files(tmp.path(), &["simulate", "-q", "--against", "wh-only.toml"])
            .args(["--now", NOW, "--format", "csv", "--report-dir", "reports"])
            .assert()
            .code(0);
        stdout(&out)
    };
    let csv = run();
    assert_eq!(csv, run(), "the same inputs print the same bytes");
    assert!(csv.starts_with("name,key,unit,a,b,delta\n"), "{csv}");
    // Warehouses only: O2's MUG (only at ST-GGN) is left unfilled, 6 of 8 units.
    assert!(
        csv.contains("\nfill_rate,,ratio,0.875,0.75,-0.125\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\norders_by_kind,store,orders,2,0,-2\n"),
        "{csv}"
    );
    assert!(csv.contains("\noffer_acceptance_rate,,ratio,,,\n"), "{csv}");
    for page in ["report-a.html", "report-b.html"] {
        let html = std::fs::read_to_string(tmp.path().join("reports").join(page)).unwrap();
        assert_eq!(figure(&page_data(&html), "orders", ""), 5.0, "{page}");
    }
}

#[test]
fn simulate_replays_days_with_their_events_and_carries_the_stock() {
    let tmp = folder();
    std::fs::write(
        tmp.path().join("day1.ndjson"),
        "{\"type\":\"node_down\",\"node_id\":\"WH-DEL\"}\n",
    )
    .unwrap();
    let out = on_files(tmp.path(), &["simulate", "-q", "--orders", "orders.csv"])
        .args(["--events", "day1.ndjson", "--now", NOW, "--format", "csv"])
        .assert()
        .code(0);
    let csv = stdout(&out);
    // Two days of 5 orders; WH-DEL down on day 1 moves its 3 orders.
    assert!(csv.contains("\norders,,orders,10,,\n"), "{csv}");
    assert!(
        csv.contains("\nreroutes_by_cause,node_down,moves,3,,\n"),
        "{csv}"
    );
    assert!(csv.contains("\nreroute_events,,events,1,,\n"), "{csv}");
    // Without events: day 1 ships ST-GGN's one MUG, so day 2's O2 finds none (7 + 6 of 16).
    let out = on_files(tmp.path(), &["simulate", "-q", "--orders", "orders.csv"])
        .args(["--now", NOW, "--format", "csv"])
        .assert()
        .code(0);
    let csv = stdout(&out);
    assert!(csv.contains("\nunits_ordered,,units,16,,\n"), "{csv}");
    assert!(csv.contains("\nunits_filled,,units,13,,\n"), "{csv}");
    // More events files than days is refused.
    let out = on_files(tmp.path(), &["simulate", "-q", "--events", "day1.ndjson"])
        .args(["--events", "day1.ndjson", "--now", NOW])
        .assert()
        .code(2);
    assert!(stderr(&out).contains("E8010"), "{}", stderr(&out));
}

/// `--feed`: a counter sale at DL-FBD (2 units at 12.99) and a return of O1 at DL-FBD (bought
/// online, returned at a dealer: cross-channel); a bad `sold_via` stops with `E3270` and no page.
#[test]
fn report_adds_the_total_business_from_a_feed() {
    let tmp = folder();
    let feed = concat!(
        "{\"op\":\"ship\",\"node_id\":\"DL-FBD\",\"sku\":\"TEE\",\"qty\":2,\"seq\":1,\"unit_price_cents\":1299}\n",
        "{\"op\":\"return\",\"node_id\":\"DL-FBD\",\"sku\":\"TEE\",\"qty\":1,\"seq\":2,\"order_id\":\"O1\"}\n",
    );
    std::fs::write(tmp.path().join("feed.ndjson"), feed).unwrap();
    let out = on_files(tmp.path(), &["report", "--decisions", "decisions.csv"])
        .args([
            "--out",
            "report.html",
            "--now",
            NOW,
            "--feed",
            "feed.ndjson",
        ])
        .assert()
        .code(0);
    assert!(
        stderr(&out).contains(
            "total business: online 4 orders / 7 units, store 0 orders / 0 units, dealer 1 orders / 2 units; 1 units returned, 1 across channels"
        ),
        "{}",
        stderr(&out)
    );
    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    let business = &page_data(&html)["business"];
    assert_eq!(business["channels"][2]["channel"], "dealer");
    assert_eq!(business["channels"][2]["revenue_cents"], 2598);
    assert_eq!(business["returns"][0]["bought_via"], "online");
    assert_eq!(business["returns"][0]["returned_at"], "dealer");
    assert_eq!(business["cross_channel_units"], 1);

    std::fs::write(
        tmp.path().join("bad.ndjson"),
        feed.replace("\"order_id\":\"O1\"", "\"sold_via\":\"web\""),
    )
    .unwrap();
    let out = on_files(tmp.path(), &["report", "--decisions", "decisions.csv"])
        .args(["--out", "bad.html", "--now", NOW, "--feed", "bad.ndjson"])
        .assert()
        .code(2);
    assert!(
        stderr(&out).contains("bad.ndjson:2:") && stderr(&out).contains("E3270"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join("bad.html").exists());
}

/// `simulate --seed` on a generated day where dealers win orders and refuse half their offers
/// (a prior of 1 accept, 1 reject): the drawn rejects re-route orders, and the output's bytes
/// are pinned (taken before re-routes by cause were counted in one pass instead of one re-route
/// per prefix of the events).
#[test]
fn simulate_with_a_seed_prints_the_pinned_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    omniroute()
        .current_dir(tmp.path())
        .args(["gen", "-q", "--out", ".", "--seed", "7", "--orders", "1000"])
        .args(["--stores", "20", "--dealers", "200"])
        .assert()
        .success();
    let policy = format!(
        "{}\n[dealers]\nprior_accepts = 1\nprior_rejects = 1\n",
        omniroute_adapters::DEMO_POLICY
    );
    std::fs::write(tmp.path().join("policy.toml"), policy).unwrap();
    let out = on_files(tmp.path(), &["simulate", "-q", "--policy", "policy.toml"])
        .args([
            "--seed",
            "11",
            "--now",
            "2026-11-26T09:00:00+05:30",
            "--format",
            "csv",
        ])
        .assert()
        .code(0);
    let csv = stdout(&out);
    assert!(csv.contains("\nreroute_events,,events,9,,\n"), "{csv}");
    assert!(
        csv.contains("\nreroutes_by_cause,dealer_rejected,moves,9,,\n"),
        "{csv}"
    );
    assert_eq!(
        (csv.len(), fnv1a(csv.as_bytes())),
        (5283, 0xc19a_a10c_8381_1e1d),
        "{csv}"
    );
}
