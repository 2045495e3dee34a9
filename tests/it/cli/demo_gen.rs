//! `demo` and `gen`.

use crate::{omniroute, on_files, stderr, stdout};

#[test]
fn demo_prints_headline_figures() {
    let out = omniroute()
        .args(["demo", "--orders", "200", "--no-progress"])
        .assert()
        .success();
    let text = stdout(&out);
    let fill = text
        .lines()
        .find(|l| l.starts_with("Fill rate"))
        .expect("a fill-rate line");
    assert!(fill.trim_end().ends_with('%'), "{fill}");
    assert!(
        text.contains("Orders                       200 ("),
        "{text}"
    );
    for label in [
        "Orders split",
        "Total cost",
        "Promised same day",
        "Promised next day",
        "Units from dealers",
        "Route time",
    ] {
        assert!(text.contains(label), "missing {label}:\n{text}");
    }
    assert!(
        text.contains("466 nodes: 6 warehouses, 60 stores, 400 dealers"),
        "{text}"
    );
    assert!(text.contains("Locations: GeoNames (CC BY 4.0)"));
}

fn gen(dir: &std::path::Path, seed: &str) {
    omniroute()
        .args([
            "gen",
            "--warehouses",
            "2",
            "--stores",
            "4",
            "--dealers",
            "6",
            "--skus",
            "40",
            "--orders",
            "25",
            "--seed",
            seed,
            "--out",
        ])
        .arg(dir)
        .assert()
        .success();
}

#[test]
fn gen_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    gen(&a, "7");
    gen(&b, "7");
    gen(&c, "8");
    for f in ["nodes.csv", "stock.csv", "orders.csv"] {
        let (fa, fb) = (
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
        );
        assert!(!fa.is_empty());
        assert_eq!(fa, fb, "{f} differs between two runs with seed 7");
    }
    assert_ne!(
        std::fs::read(a.join("orders.csv")).unwrap(),
        std::fs::read(c.join("orders.csv")).unwrap()
    );
    let nodes = std::fs::read_to_string(a.join("nodes.csv")).unwrap();
    assert_eq!(nodes.lines().count(), 1 + 12);
}

#[test]
fn gen_output_validates_and_routes() {
    let tmp = tempfile::tempdir().unwrap();
    gen(tmp.path(), "3");
    let out = on_files(tmp.path(), &["validate"]).assert().success();
    assert!(stderr(&out).contains("ok: 12 nodes"), "{}", stderr(&out));
    let out = on_files(tmp.path(), &["route"])
        .args(["--out", "d.csv"])
        .assert();
    let code = out.get_output().status.code();
    assert!(matches!(code, Some(0 | 1)), "{code:?}");
    on_files(tmp.path(), &["check"])
        .args(["--decisions", "d.csv"])
        .assert()
        .success();
}
