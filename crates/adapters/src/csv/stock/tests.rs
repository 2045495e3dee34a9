//! A file read in parts on several threads gives what one thread gives: records, SKU ids,
//! problems and their lines.

use super::{read, Threads};
use crate::csv::sheet::Sheet;
use crate::{read_nodes, InputError, Loaded, Problem};
use omniroute_core::{Network, ServiceLevels, Skus};
use proptest::prelude::*;

fn network() -> Network {
    let nodes = "node_id,lat,lon\nW1,28.6,77.2\nS1,19.1,72.9\nD1,12.9,77.6\n";
    read_nodes(nodes.as_bytes(), "nodes.csv", &ServiceLevels::default())
        .unwrap()
        .value
}

/// The records and warnings, or the problems; with the SKU table's names in id order.
type Outcome = (
    Result<(Vec<super::StockRecord>, Vec<Problem>), Vec<Problem>>,
    Vec<String>,
);

fn read_with(data: &[u8], count: usize) -> Outcome {
    let mut skus = Skus::default();
    skus.intern("KNOWN");
    let sheet = Sheet::over(data, "stock.csv").expect("a header");
    let threads = Threads {
        count,
        min_bytes: 1,
    };
    let out = read(sheet, Some(&network()), &mut skus, threads)
        .map(|Loaded { value, warnings }| (value, warnings))
        .map_err(|e: InputError| e.problems());
    let names = (0..skus.len() as u32)
        .map(|i| skus.name(omniroute_core::SkuId(i)).to_owned())
        .collect();
    (out, names)
}

fn row() -> impl Strategy<Value = String> {
    let node = prop::sample::select(vec!["W1", "S1", "D1", "X9", ""]);
    let sku = prop::sample::select(vec!["A", "B", "C", "D", "KNOWN", "E", ""]);
    let qty = prop::sample::select(vec!["1", "7", "0", "-1", "x", ""]);
    prop_oneof![
        20 => (node, sku, qty).prop_map(|(n, s, q)| format!("{n},{s},{q}")),
        1 => Just(String::new()),
        1 => Just("W1,A".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn parts_read_as_one(
        rows in prop::collection::vec(row(), 1..40),
        crlf in any::<bool>(),
        count in 2usize..6,
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("node_id,sku,qty{end}");
        for r in &rows {
            text.push_str(r);
            text.push_str(end);
        }
        let one = read_with(text.as_bytes(), 1);
        let parts = read_with(text.as_bytes(), count);
        prop_assert_eq!(parts, one);
    }
}

#[test]
fn a_split_file_really_is_read_in_parts() {
    let text = "node_id,sku,qty\nW1,A,1\nS1,B,2\nW1,B,3\nD1,C,4\n";
    let sheet = Sheet::over(text.as_bytes(), "stock.csv").unwrap();
    // 28 bytes of rows: four parts of at least 1 byte (fewer where two ends fall in one row),
    // two of at least 14, none (one thread) at 15.
    assert!((3..=4).contains(&sheet.split(4, 1).len()));
    assert_eq!(sheet.split(4, 14).len(), 2);
    assert!(sheet.split(4, 15).is_empty());
    let quoted = "node_id,sku,qty\nW1,\"A\",1\nS1,B,2\n";
    let sheet = Sheet::over(quoted.as_bytes(), "stock.csv").unwrap();
    assert!(
        sheet.split(4, 1).is_empty(),
        "a quoted field is read on one thread"
    );
}

#[test]
fn incoming_columns_are_read_both_or_neither() {
    let text = "node_id,sku,qty,incoming_qty,incoming_date\n\
                W1,A,1,5,2026-03-09\n\
                S1,A,2,,\n";
    let (out, _) = read_with(text.as_bytes(), 1);
    let (records, _) = out.expect("accepted");
    let incoming = omniroute_core::Incoming {
        qty: 5,
        expected: Some(jiff::civil::date(2026, 3, 9)),
    };
    assert_eq!(records[0].incoming, incoming);
    assert_eq!(records[1].incoming, omniroute_core::Incoming::default());
}

#[test]
fn bad_incoming_cells_give_their_codes_at_line_and_column() {
    let text = "node_id,sku,incoming_date,qty,incoming_qty\n\
                W1,A,2026-03-09,1,-2\n\
                W1,B,9 March,1,3\n\
                W1,C,,1,3\n\
                W1,D,2026-03-09,1,\n\
                W1,E,2026-02-30,1,x\n";
    let (out, _) = read_with(text.as_bytes(), 1);
    let found: Vec<(&str, u64, u64)> = out
        .as_ref()
        .expect_err("rejected")
        .iter()
        .map(|p| (p.code, p.line, p.column))
        .collect();
    assert_eq!(
        found,
        [
            ("E3250", 2, 5),
            ("E3251", 3, 3),
            ("E3252", 4, 3),
            ("E3252", 5, 5),
            ("E3250", 6, 5),
            ("E3251", 6, 3),
        ]
    );
    // Without an incoming_qty column, a date alone points at itself.
    let (out, _) = read_with(b"node_id,sku,qty,incoming_date\nW1,A,1,2026-03-09\n", 1);
    let p = &out.expect_err("rejected")[0];
    assert_eq!((p.code, p.line, p.column), ("E3252", 2, 4));
}
