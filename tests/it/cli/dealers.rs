//! Dealers on the command line: territories from GeoJSON and the policy's dealer terms.

use crate::{omniroute, stderr, stdout};

const NODES: &str = "node_id,lat,lon,kind,margin_bps,acceptance_rate
NEAR,19.11,72.85,dealer,0,0.5
FAR,19.16,72.85,dealer,0,1
";
const STOCK: &str = "node_id,sku,qty\nNEAR,TEE,5\nFAR,TEE,5\n";
const ORDERS: &str = "order_id,sku,qty,dest_lat,dest_lon\nO1,TEE,1,19.10,72.85\n";
/// FAR's territory covers the destination; NEAR's is elsewhere.
const TERRITORIES: &str = r#"{"type": "FeatureCollection", "features": [
  {"type": "Feature", "properties": {"node_id": "FAR"}, "geometry": {"type": "Polygon",
   "coordinates": [[[72.8, 19.0], [72.9, 19.0], [72.9, 19.2], [72.8, 19.2], [72.8, 19.0]]]}},
  {"type": "Feature", "properties": {"node_id": "NEAR"}, "geometry": {"type": "Polygon",
   "coordinates": [[[70.0, 10.0], [71.0, 10.0], [71.0, 11.0], [70.0, 10.0]]]}}]}"#;

/// The node `omniroute route` ships O1 from, with `policy` and `extra` arguments.
fn node(policy: &str, extra: &[&str]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("nodes.csv", NODES),
        ("stock.csv", STOCK),
        ("orders.csv", ORDERS),
        ("policy.toml", policy),
        ("t.geojson", TERRITORIES),
    ] {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let out = omniroute()
        .current_dir(tmp.path())
        .args([
            "route",
            "--no-progress",
            "--nodes",
            "nodes.csv",
            "--stock",
            "stock.csv",
        ])
        .args([
            "--orders",
            "orders.csv",
            "--policy",
            "policy.toml",
            "--format",
            "csv",
        ])
        .args(extra)
        .assert()
        .code(0);
    let text = stdout(&out);
    text.lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(4)
        .unwrap()
        .to_owned()
}

#[test]
fn territories_and_refusal_risk_steer_the_order() {
    assert_eq!(node("", &[]), "NEAR", "the nearer dealer, all else equal");
    let required = "[dealers]\nterritory_required = true\n";
    assert_eq!(node(required, &[]), "NEAR", "no territories given");
    assert_eq!(node(required, &["--territories", "t.geojson"]), "FAR");
    let preferred = "[dealers]\noutside_territory_cents = 500\n";
    assert_eq!(node(preferred, &["--territories", "t.geojson"]), "FAR");
    // NEAR refuses half its offers: 5.6 km cost 3 cents, a refusal 20 × 0.5 = 10.
    assert_eq!(node("[dealers]\nreject_cost_cents = 20\n", &[]), "FAR");
}

#[test]
fn a_bad_territories_file_is_refused_with_codes() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("nodes.csv"), NODES).unwrap();
    std::fs::write(tmp.path().join("stock.csv"), STOCK).unwrap();
    let bad = TERRITORIES.replace("\"FAR\"", "\"GONE\"");
    std::fs::write(tmp.path().join("t.geojson"), bad).unwrap();
    let out = omniroute()
        .current_dir(tmp.path())
        .args(["validate", "--nodes", "nodes.csv", "--stock", "stock.csv"])
        .args(["--territories", "t.geojson"])
        .assert()
        .code(2);
    let err = stderr(&out);
    assert!(err.contains("E4012") && err.contains("GONE"), "{err}");
}

/// The customer fields of orders.csv are read (no unknown-column warning) and appear in no
/// output of a run: decisions in every format, explanations, the summary and the log.
#[test]
fn customer_fields_appear_in_no_output() {
    let tmp = tempfile::tempdir().unwrap();
    let orders =
        "order_id,sku,qty,dest_lat,dest_lon,customer_name,customer_phone,dest_address,dest_area\n\
                  O1,TEE,1,19.10,72.85,Asha Rao,+919800000001,12 MG Road,Andheri West\n";
    for (name, text) in [
        ("nodes.csv", NODES),
        ("stock.csv", STOCK),
        ("orders.csv", orders),
    ] {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    let files = crate::FILES;
    let mut seen = String::new();
    for format in ["csv", "json"] {
        let out = omniroute()
            .current_dir(tmp.path())
            .args(["route", "--no-progress", "--format", format])
            .args(files)
            .args(["--out", &format!("d.{format}")])
            .assert()
            .code(0);
        seen += &stdout(&out);
        seen += &stderr(&out);
        seen += &std::fs::read_to_string(tmp.path().join(format!("d.{format}"))).unwrap();
    }
    for run in [&["validate"][..], &["explain", "O1", "--format", "json"]] {
        let out = omniroute()
            .current_dir(tmp.path())
            .args(run)
            .args(files)
            .assert()
            .code(0);
        seen += &stdout(&out);
        seen += &stderr(&out);
    }
    assert!(seen.contains("O1"), "the runs wrote the order: {seen}");
    assert!(!seen.contains("W1001"), "the columns are known: {seen}");
    for secret in ["Asha", "9800000001", "MG Road", "Andheri"] {
        assert!(!seen.contains(secret), "{secret} in an output: {seen}");
    }
}
