//! Parquet in and out on the `small` instance: inputs as Parquet give the same decisions as CSV,
//! decisions written as Parquet hold the decisions.csv rows with their types, and bad files get
//! their codes.

use super::route::SMALL_DECISIONS;
use crate::{fixture, omniroute, stderr, stdout};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type, UInt32Type};
use arrow_array::Array;
use arrow_schema::DataType::{self, Date32, Float64, Int64, UInt32, Utf8};
use omniroute_adapters::test_arrow::csv_to_parquet;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::fmt::Write as _;
use std::path::Path;

/// A scratch folder holding the small instance as `nodes.parquet`, `stock.parquet` and
/// `orders.parquet`.
fn parquet_instance() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["nodes", "stock", "orders"] {
        csv_to_parquet(
            &std::fs::read_to_string(fixture(&format!("small/{name}.csv"))).unwrap(),
            &dir.path().join(format!("{name}.parquet")),
        );
    }
    dir
}

/// The Parquet decisions file `path` as decisions.csv text, checking each column's type.
fn decisions_as_csv(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut text = String::from(
        "order_id,line_no,sku,qty,node_id,shipment,distance_km,promised_date,cost_cents,reason,group,source,arrival_date\n",
    );
    for batch in reader {
        let b = batch.unwrap();
        let types: Vec<&DataType> = b
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.data_type())
            .collect();
        assert_eq!(
            types,
            [
                &Utf8, &UInt32, &Utf8, &UInt32, &Utf8, &UInt32, &Float64, &Date32, &Int64, &Utf8,
                &Utf8, &Utf8, &Date32
            ]
        );
        let s = |c: usize, r: usize| {
            let a = b.column(c).as_string::<i32>();
            if a.is_null(r) {
                String::new()
            } else {
                a.value(r).to_owned()
            }
        };
        let u = |c: usize, r: usize| {
            let a = b.column(c).as_primitive::<UInt32Type>();
            if a.is_null(r) {
                String::new()
            } else {
                a.value(r).to_string()
            }
        };
        let km = b.column(6).as_primitive::<Float64Type>();
        let day = |c: usize, r: usize| {
            let a = b.column(c).as_primitive::<Date32Type>();
            if a.is_null(r) {
                return String::new();
            }
            let days = i64::from(a.value(r));
            jiff::civil::date(1970, 1, 1)
                .checked_add(jiff::SignedDuration::from_hours(days * 24))
                .unwrap()
                .to_string()
        };
        let cost = b.column(8).as_primitive::<Int64Type>();
        for r in 0..b.num_rows() {
            let km = if km.is_null(r) {
                String::new()
            } else {
                format!("{:.3}", km.value(r))
            };
            let date = day(7, r);
            let _ = writeln!(
                text,
                "{},{},{},{},{},{},{km},{date},{},{},{},{},{}",
                s(0, r),
                u(1, r),
                s(2, r),
                u(3, r),
                s(4, r),
                u(5, r),
                cost.value(r),
                s(9, r),
                s(10, r),
                s(11, r),
                day(12, r),
            );
        }
    }
    text
}

/// `--nodes nodes.EXT --stock stock.EXT --orders orders.EXT`.
fn route_args(ext: &str) -> Vec<String> {
    ["nodes", "stock", "orders"]
        .iter()
        .flat_map(|n| [format!("--{n}"), format!("{n}.{ext}")])
        .collect()
}

#[test]
fn route_writes_parquet_decisions_with_the_csv_rows_and_types() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.parquet");
    omniroute()
        .current_dir(fixture("small"))
        .args(["route", "--quiet", "--format", "parquet", "--out"])
        .arg(&out)
        .args(route_args("csv"))
        .assert()
        .code(1)
        .stdout("");
    assert_eq!(decisions_as_csv(&out), SMALL_DECISIONS);
}

#[test]
fn parquet_inputs_give_the_same_decisions_as_csv_inputs() {
    let dir = parquet_instance();
    let out = omniroute()
        .current_dir(dir.path())
        .args(["route", "--quiet"])
        .args(route_args("parquet"))
        .assert()
        .code(1);
    assert_eq!(stdout(&out), SMALL_DECISIONS);
    omniroute()
        .current_dir(dir.path())
        .args(["validate", "--quiet"])
        .args(route_args("parquet"))
        .assert()
        .code(0);
    // Parquet on stdin is told by its first bytes.
    let out = omniroute()
        .current_dir(dir.path())
        .args([
            "route",
            "--quiet",
            "--nodes",
            "nodes.parquet",
            "--stock",
            "stock.parquet",
        ])
        .args(["--orders", "-"])
        .write_stdin(std::fs::read(dir.path().join("orders.parquet")).unwrap())
        .assert()
        .code(1);
    assert_eq!(stdout(&out), SMALL_DECISIONS);
}

#[test]
fn check_and_reroute_read_parquet_plans() {
    let dir = parquet_instance();
    let p = dir.path();
    omniroute()
        .current_dir(p)
        .args([
            "route",
            "--quiet",
            "--format",
            "parquet",
            "--out",
            "plan.parquet",
        ])
        .args(route_args("parquet"))
        .assert()
        .code(1);
    let out = omniroute()
        .current_dir(p)
        .args(["check", "--decisions", "plan.parquet"])
        .args(route_args("parquet"))
        .assert()
        .code(0);
    assert_eq!(stdout(&out), "");
    std::fs::write(
        p.join("events.ndjson"),
        "{\"type\":\"node_down\",\"node_id\":\"ST-NOI\"}\n",
    )
    .unwrap();
    omniroute()
        .current_dir(p)
        .args([
            "reroute",
            "--quiet",
            "--plan",
            "plan.parquet",
            "--events",
            "events.ndjson",
        ])
        .args(["--format", "parquet", "--out", "new.parquet"])
        .args(route_args("parquet"))
        .assert()
        .code(1);
    let rerouted = decisions_as_csv(&p.join("new.parquet"));
    assert!(rerouted.contains("\nO1,1,TEE,1,WH-DEL,1,"), "{rerouted}");
    assert!(!rerouted.contains("ST-NOI"), "{rerouted}");
    omniroute()
        .current_dir(p)
        .args(["check", "--decisions", "new.parquet"])
        .args(route_args("parquet"))
        .assert()
        .code(0);
}

#[test]
fn a_bad_lat_in_a_parquet_file_is_e1010_at_its_row() {
    let dir = parquet_instance();
    let nodes = std::fs::read_to_string(fixture("small/nodes.csv")).unwrap();
    // The third node (row index 2, so line 4 with the column names as line 1); lat is column 3.
    let bad = nodes.replace("ST-GGN,store,28.4595", "ST-GGN,store,95.5");
    assert_ne!(bad, nodes);
    csv_to_parquet(&bad, &dir.path().join("nodes.parquet"));
    let out = omniroute()
        .current_dir(dir.path())
        .args(["validate"])
        .args(route_args("parquet"))
        .assert()
        .code(2);
    assert!(
        stderr(&out).starts_with("nodes.parquet:4:3: E1010 "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_file_named_parquet_that_is_not_parquet_is_e1201() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("small/orders.csv"),
        dir.path().join("orders.parquet"),
    )
    .unwrap();
    let out = omniroute()
        .current_dir(dir.path())
        .args(["route", "--orders", "orders.parquet", "--nodes"])
        .arg(fixture("small/nodes.csv"))
        .arg("--stock")
        .arg(fixture("small/stock.csv"))
        .assert()
        .code(2);
    let err = stderr(&out);
    assert!(
        err.starts_with("error: orders.parquet:0:0: E1201 not a Parquet file"),
        "{err}"
    );
}

#[test]
fn parquet_decisions_to_stdout_are_refused_with_e1204() {
    let out = omniroute()
        .current_dir(fixture("small"))
        .args(["route", "--format", "parquet"])
        .args(route_args("csv"))
        .assert()
        .code(2)
        .stdout("");
    assert_eq!(
        stderr(&out),
        "error: E1204 --format parquet writes a binary file, not to stdout (hint: add --out FILE, for example --out decisions.parquet)\n"
    );
}
