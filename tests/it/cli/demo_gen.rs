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

/// FNV-1a, 64 bits: a stable fingerprint of a file's bytes.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `gen --seed 7` (the README's day) makes the same bytes as before `--country` existed: the
/// fingerprints were taken with the CLI built at c964f85, before the world list was added.
#[test]
fn gen_seed_7_is_byte_identical_to_the_pinned_indian_day() {
    let tmp = tempfile::tempdir().unwrap();
    for (dir, extra) in [("default", None), ("in", Some("IN"))] {
        let out = tmp.path().join(dir);
        let mut cmd = omniroute();
        cmd.args(["gen", "--quiet", "--seed", "7", "--out"])
            .arg(&out);
        if let Some(code) = extra {
            cmd.args(["--country", code]);
        }
        cmd.assert().success();
        for (file, len, hash) in [
            ("nodes.csv", 40_990, 0x300e_0b67_a6a4_bf38_u64),
            ("stock.csv", 1_287_687, 0xa3cd_27ae_f265_5717),
            ("orders.csv", 809_734, 0x13cc_7b0a_dcc5_7f5c),
        ] {
            let bytes = std::fs::read(out.join(file)).unwrap();
            assert_eq!((bytes.len(), fnv1a(&bytes)), (len, hash), "{dir}/{file}");
        }
    }
}

/// A comma-separated `--country` places nodes in every country named, and with `--cities` keeps
/// the file's rows of those countries only.
#[test]
fn gen_countries_draw_from_each_country_named() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("eu");
    omniroute()
        .args(["gen", "--quiet", "--country", "fr, DE", "--stores", "200"])
        .args(["--orders", "20", "--skus", "50", "--out"])
        .arg(&out)
        .assert()
        .success();
    let nodes = std::fs::read_to_string(out.join("nodes.csv")).unwrap();
    assert!(nodes.contains(",Europe/Paris,"), "{nodes}");
    assert!(nodes.contains(",Europe/Berlin,"), "{nodes}");
    assert!(!nodes.contains(",Europe/Madrid,"), "{nodes}");

    let cities = tmp.path().join("cities.csv");
    std::fs::write(
        &cities,
        "name,country,lat,lon,population,timezone\n\
         Lyon,FR,45.75,4.85,522228,Europe/Paris\n\
         Bonn,DE,50.73,7.10,330000,Europe/Berlin\n\
         Porto,PT,41.15,-8.61,250000,Europe/Lisbon\n",
    )
    .unwrap();
    let out = tmp.path().join("mine");
    omniroute()
        .args(["gen", "--quiet", "--country", "FR,de", "--cities"])
        .arg(&cities)
        .args(["--orders", "20", "--skus", "50", "--out"])
        .arg(&out)
        .assert()
        .success();
    let nodes = std::fs::read_to_string(out.join("nodes.csv")).unwrap();
    assert!(
        nodes.contains(",Europe/Paris,") && nodes.contains(",Europe/Berlin,"),
        "{nodes}"
    );
    assert!(!nodes.contains("Europe/Lisbon"), "{nodes}");
}

#[test]
fn gen_country_draws_from_the_embedded_world_list() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("fr");
    omniroute()
        .args(["gen", "--country", "fr", "--orders", "50", "--skus", "100"])
        .args(["--seed", "1", "--out"])
        .arg(&out)
        .assert()
        .success();
    let nodes = std::fs::read_to_string(out.join("nodes.csv")).unwrap();
    assert_eq!(nodes.lines().count(), 1 + 466);
    assert!(nodes.contains(",Europe/Paris,"), "{nodes}");
    assert!(!nodes.contains("Asia/Kolkata"), "{nodes}");
    assert!(nodes.contains("WH-PAR-01,warehouse,"), "{nodes}");
    let out = on_files(&out, &["route", "--no-progress", "--quiet"])
        .args(["--out", "d.csv"])
        .assert();
    assert!(matches!(out.get_output().status.code(), Some(0 | 1)));

    let out = omniroute()
        .args(["gen", "--country", "FR,XX", "--out"])
        .arg(tmp.path().join("xx"))
        .assert()
        .code(2);
    let err = stderr(&out);
    assert!(err.contains("E1905"), "{err}");
    assert!(err.contains("country `XX`"), "{err}");
    assert!(err.contains("ISO 3166"), "{err}");
    assert!(!tmp.path().join("xx").exists());
}
