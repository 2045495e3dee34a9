//! `validate`: one snapshot per class of bad input, each exiting 2.

use crate::{on_files, stderr};

const NODES: &str = "node_id,kind,lat,lon\nW1,warehouse,28.61,77.21\nS1,store,28.50,77.10\n";
const STOCK: &str = "node_id,sku,qty\nW1,TEE,5\nS1,TEE,1\n";
const ORDERS: &str =
    "order_id,line_no,sku,qty,dest_lat,dest_lon\nO1,1,TEE,1,28.52,77.12\nO2,1,TEE,2,28.60,77.20\n";

/// Writes the three files (with one replaced) into a temp folder and runs validate there.
fn validate(file: &str, bytes: &[u8]) -> (Option<i32>, String) {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("nodes.csv", NODES),
        ("stock.csv", STOCK),
        ("orders.csv", ORDERS),
    ] {
        std::fs::write(tmp.path().join(name), text).unwrap();
    }
    std::fs::write(tmp.path().join(file), bytes).unwrap();
    let out = on_files(tmp.path(), &["validate"]).assert();
    (out.get_output().status.code(), stderr(&out))
}

#[test]
fn validate_clean_input_exits_0() {
    let (code, err) = validate("nodes.csv", NODES.as_bytes());
    assert_eq!(code, Some(0));
    assert_eq!(err, "ok: 2 nodes, 2 stock rows, 2 orders, 0 warning(s)\n");
}

#[test]
fn validate_prints_warnings_and_exits_0() {
    let (code, err) = validate(
        "nodes.csv",
        b"node_id,lat,lon,colour\nW1,28.61,77.21,red\nS1,28.50,77.10,blue\n",
    );
    assert_eq!(code, Some(0));
    insta::assert_snapshot!("validate_unknown_column_warning", err);
}

#[test]
fn validate_bad_inputs_exit_2_with_coded_problems() {
    let cases: [(&str, &str, &[u8], &str); 10] = [
        ("missing_column", "nodes.csv", b"node_id,lat\nW1,28.61\n", "E1004"),
        ("bad_number", "stock.csv", b"node_id,sku,qty\nW1,TEE,five\nS1,TEE,1\n", "E10"),
        ("lat_out_of_range", "nodes.csv", b"node_id,lat,lon\nW1,95.0,77.21\nS1,28.50,77.10\n", "E1010"),
        ("duplicate_node", "nodes.csv", b"node_id,lat,lon\nW1,28.61,77.21\nW1,28.50,77.10\nS1,28.5,77.1\n", "E1019"),
        ("unknown_node_in_stock", "stock.csv", b"node_id,sku,qty\nW1,TEE,5\nX9,TEE,1\n", "E1020"),
        (
            "order_destination_mismatch",
            "orders.csv",
            b"order_id,line_no,sku,qty,dest_lat,dest_lon\nO1,1,TEE,1,28.52,77.12\nO1,2,TEE,1,28.99,77.12\n",
            "E1022",
        ),
        (
            "non_contiguous_order",
            "orders.csv",
            b"order_id,line_no,sku,qty,dest_lat,dest_lon\nO1,1,TEE,1,28.52,77.12\nO2,1,TEE,1,28.6,77.2\nO1,2,TEE,1,28.52,77.12\n",
            "E1023",
        ),
        ("empty_file", "nodes.csv", b"", "E1001"),
        ("semicolon_delimiter", "nodes.csv", b"node_id;lat;lon\nW1;28.61;77.21\n", "E1003"),
        ("latin1_bytes", "nodes.csv", b"node_id,lat,lon\nS\xe3o,28.61,77.21\n", "E1002"),
    ];
    for (name, file, bytes, code) in cases {
        let (exit, err) = validate(file, bytes);
        assert_eq!(exit, Some(2), "{name}: {err}");
        assert!(
            err.contains(&format!(": {code}")),
            "{name}: expected {code} in\n{err}"
        );
        assert!(
            err.lines().last().unwrap().starts_with("invalid: "),
            "{name}: {err}"
        );
        insta::assert_snapshot!(format!("validate_{name}"), err);
    }
}
