//! Hostile input and hostile surroundings: a write cut short, an output naming an input, two
//! inputs on stdin, every problem at once, a huge field, gen's limits.

use crate::{fixture, omniroute, stderr, FILES};
use std::fmt::Write as _;
use std::path::Path;

/// A copy of the fixture `small` in a temporary folder.
fn small_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["nodes.csv", "stock.csv", "orders.csv"] {
        std::fs::copy(fixture("small").join(f), dir.path().join(f)).unwrap();
    }
    dir
}

/// The names of the files in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `omniroute ARGS…` in `dir` under `ulimit -f 1` (no file may grow past 1 KiB).
fn with_file_limit(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    let mut cmd = assert_cmd::Command::new("bash");
    cmd.current_dir(dir)
        .arg("-c")
        .arg("ulimit -f 1 && exec \"$0\" \"$@\"")
        .arg(crate::bin())
        .args(args);
    cmd.assert()
}

#[test]
fn a_write_cut_short_leaves_the_previous_output_whole() {
    let dir = small_copy();
    std::fs::write(dir.path().join("out.json"), "previous\n").unwrap();
    // The JSON document of the five orders is well over 1 KiB.
    let mut args = vec!["route", "--quiet", "--format", "json", "--out", "out.json"];
    args.extend(FILES);
    let out = with_file_limit(dir.path(), &args).code(2);
    let err = stderr(&out);
    assert!(err.starts_with("error: E1103 cannot write"), "{err}");
    let previous = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
    assert_eq!(previous, "previous\n");
    assert_eq!(
        names(dir.path()),
        ["nodes.csv", "orders.csv", "out.json", "stock.csv"],
        "no temporary file is left behind"
    );
    // Without the limit the same command replaces the file.
    let mut cmd = omniroute();
    cmd.current_dir(dir.path()).args(&args).assert().code(1);
    let written = std::fs::read_to_string(dir.path().join("out.json")).unwrap();
    assert!(written.len() > 1024 && written.contains("\"decisions\""));
}

#[test]
fn gen_cut_short_leaves_the_previous_files_whole() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("orders.csv"), "previous\n").unwrap();
    let out = with_file_limit(dir.path(), &["gen", "--out", "."]).code(2);
    assert!(
        stderr(&out).starts_with("error: E1103 "),
        "{}",
        stderr(&out)
    );
    let orders = std::fs::read_to_string(dir.path().join("orders.csv")).unwrap();
    assert_eq!(orders, "previous\n");
    assert!(names(dir.path()).iter().all(|n| !n.starts_with(".tmp")));
}

#[test]
fn an_output_that_is_an_input_is_refused_before_any_work() {
    let dir = small_copy();
    let before = std::fs::read(dir.path().join("orders.csv")).unwrap();
    std::fs::hard_link(dir.path().join("stock.csv"), dir.path().join("linked.csv")).unwrap();
    for out in ["orders.csv", "./orders.csv", "linked.csv"] {
        let mut cmd = omniroute();
        let run = cmd
            .current_dir(dir.path())
            .args(["route", "--out", out])
            .args(FILES)
            .assert()
            .code(2);
        let err = stderr(&run);
        assert!(err.starts_with("error: E1130 --out "), "{out}: {err}");
    }
    assert_eq!(
        std::fs::read(dir.path().join("orders.csv")).unwrap(),
        before
    );
}

#[test]
fn two_inputs_on_stdin_are_e1100_in_every_command() {
    let small = fixture("small");
    for args in [
        vec!["validate", "--nodes", "-", "--stock", "-"],
        vec![
            "check",
            "--nodes",
            "nodes.csv",
            "--stock",
            "stock.csv",
            "--orders",
            "-",
            "--decisions",
            "-",
        ],
        vec![
            "route",
            "--nodes",
            "-",
            "--stock",
            "stock.csv",
            "--orders",
            "-",
        ],
    ] {
        let out = omniroute()
            .current_dir(&small)
            .args(&args)
            .write_stdin("")
            .assert()
            .code(2);
        assert!(
            stderr(&out).starts_with("error: E1100 more than one input is `-`"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn route_and_check_print_every_problem() {
    let dir = small_copy();
    std::fs::write(
        dir.path().join("stock.csv"),
        "node_id,sku,qty\nWH-DEL,TEE,x\nWH-DEL,CAP,-1\nNOWHERE,MUG,1\n",
    )
    .unwrap();
    for cmd in ["route", "check"] {
        let mut c = omniroute();
        c.current_dir(dir.path()).arg(cmd).args(FILES);
        if cmd == "check" {
            c.args(["--decisions", "orders.csv"]);
        }
        let out = c.assert().code(2);
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 3, "{cmd}: {err}");
        for code in ["E1008", "E1011", "E1020"] {
            assert!(err.contains(code), "{cmd}: {code} in {err}");
        }
    }
}

#[test]
fn many_problems_are_capped_with_a_count() {
    let dir = small_copy();
    let mut stock = String::from("node_id,sku,qty\n");
    for i in 0..150 {
        writeln!(stock, "WH-DEL,S{i},x").unwrap();
    }
    std::fs::write(dir.path().join("stock.csv"), stock).unwrap();
    let out = omniroute()
        .current_dir(dir.path())
        .arg("route")
        .args(FILES)
        .assert()
        .code(2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 101, "{err}");
    assert!(
        err.lines()
            .last()
            .unwrap()
            .starts_with("error: … and 50 more problem(s)"),
        "{err}"
    );
}

/// Stderr of `omniroute validate` (exit 2) on the fixture `small` with files replaced.
fn validate_small_with(files: &[(&str, &str)]) -> String {
    let dir = small_copy();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = omniroute()
        .current_dir(dir.path())
        .arg("validate")
        .args(FILES)
        .assert()
        .code(2);
    stderr(&out)
}

#[test]
fn stock_problems_are_reported_even_when_nodes_fail() {
    let err = validate_small_with(&[
        ("nodes.csv", "node_id,lat,lon\nW1,91,0\n"),
        ("stock.csv", "node_id,sku,qty\nW1,TEE,many\n"),
    ]);
    assert!(err.contains("nodes.csv:2:2: E1010"), "{err}");
    assert!(err.contains("stock.csv:2:3: E1008"), "{err}");
}

#[test]
fn a_huge_field_is_not_echoed_whole() {
    let huge = "9".repeat(10 * 1024 * 1024);
    let stock = format!("node_id,sku,qty\nWH-DEL,TEE,{huge}x\n");
    let err = validate_small_with(&[("stock.csv", &stock)]);
    assert!(err.len() < 1_000, "{} bytes on stderr", err.len());
    assert!(err.contains("E1008 qty \"99999"), "{err}");
    assert!(err.contains("…\" is not a whole number"), "{err}");
}

#[test]
fn gen_refuses_sizes_beyond_its_limits_and_empty_files() {
    let dir = tempfile::tempdir().unwrap();
    for (flag, value, code) in [
        ("--orders", "4294967295", "E1131"),
        ("--skus", "4294967295", "E1131"),
        ("--dealers", "4294967295", "E1131"),
        ("--stores", "4294967295", "E1131"),
        ("--orders", "0", "E1132"),
        ("--skus", "0", "E1132"),
    ] {
        let out = omniroute()
            .current_dir(dir.path())
            .args(["gen", "--out", "g", flag, value])
            .assert()
            .code(2);
        let err = stderr(&out);
        assert!(err.starts_with(&format!("error: {code} ")), "{flag}: {err}");
    }
    assert!(!dir.path().join("g").exists());
}

#[test]
fn a_parquet_file_the_decoder_panics_on_is_e1201() {
    let dir = small_copy();
    let damaged = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../crates/adapters/src/parquet/damaged-arrow-schema.parquet");
    std::fs::copy(damaged, dir.path().join("nodes.parquet")).unwrap();
    let out = omniroute()
        .current_dir(dir.path())
        .args([
            "validate",
            "--nodes",
            "nodes.parquet",
            "--stock",
            "stock.csv",
        ])
        .assert()
        .code(2);
    let err = stderr(&out);
    assert!(err.starts_with("nodes.parquet:0:0: E1201 "), "{err}");
    assert!(!err.contains("panicked") && !err.contains("E1199"), "{err}");
}
