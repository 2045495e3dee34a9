//! A stock file read from Parquet, with its text columns dictionary-encoded or not, in row
//! groups of a few rows (a dictionary each), reads as its CSV text: the same rows, SKU ids and
//! problems. Most rows are clean (taken whole, `csv/stock/clean.rs`), the others go through the
//! row checks, in any order.

use super::read_parquet;
use crate::test_arrow::{parquet_bytes, record_batch};
use crate::{read_nodes, read_stock, read_stock_input, StockRecord, TableInput};
use arrow_array::{ArrayRef, Int64Array, StringArray};
use omniroute_core::{ServiceLevels, Skus};
use parquet::file::properties::WriterProperties;
use proptest::prelude::*;
use std::fmt::Write as _;
use std::sync::Arc;

const NODES: [Option<&str>; 6] = [
    Some("W1"),
    Some("S1"),
    Some("W1"),
    Some(" S1"),
    Some("NOPE"),
    None,
];
const SKUS: [Option<&str>; 8] = [
    Some("TEE-M"),
    Some("TEE-L"),
    Some("CAP"),
    Some("A-SKU-NAME-LONGER-THAN-A-KEY"),
    Some("TEE-M "),
    Some(""),
    None,
    Some("CAP"),
];
const UNITS: [Option<i64>; 6] = [
    Some(0),
    Some(7),
    Some(4_294_967_295),
    Some(-2),
    Some(1 << 33),
    None,
];

/// `rows` as a Parquet file (text columns dictionary-encoded when `dictionary`, row groups of
/// `group` rows) and as CSV text.
fn files(
    rows: &[(usize, usize, usize, usize)],
    dictionary: bool,
    group: usize,
) -> (Vec<u8>, String) {
    let node: Vec<_> = rows.iter().map(|r| NODES[r.0]).collect();
    let sku: Vec<_> = rows.iter().map(|r| SKUS[r.1]).collect();
    let qty: Vec<_> = rows.iter().map(|r| UNITS[r.2]).collect();
    let reserved: Vec<_> = rows.iter().map(|r| UNITS[r.3]).collect();
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("node_id", Arc::new(StringArray::from(node.clone()))),
        ("sku", Arc::new(StringArray::from(sku.clone()))),
        ("qty", Arc::new(Int64Array::from(qty.clone()))),
        ("reserved", Arc::new(Int64Array::from(reserved.clone()))),
    ];
    let batch = record_batch(columns);
    let props = WriterProperties::builder()
        .set_dictionary_enabled(dictionary)
        .set_max_row_group_row_count(Some(group))
        .build();
    let bytes = parquet_bytes(&batch, Some(props));
    let cell = |t: Option<&str>| t.unwrap_or("").to_owned();
    let int = |v: Option<i64>| v.map_or(String::new(), |v| v.to_string());
    let mut csv = "node_id,sku,qty,reserved\n".to_owned();
    for i in 0..rows.len() {
        writeln!(
            csv,
            "{},{},{},{}",
            cell(node[i]),
            cell(sku[i]),
            int(qty[i]),
            int(reserved[i])
        )
        .unwrap();
    }
    (bytes, csv)
}

type Read = (Result<Vec<StockRecord>, String>, Vec<String>);

/// A network of `ids`, one node each (W1 in Delhi, the next in Mumbai).
fn network(ids: &[&str]) -> omniroute_core::Network {
    let places = ["28.6,77.2", "19.1,72.9"];
    let mut text = "node_id,lat,lon\n".to_owned();
    for (id, at) in ids.iter().zip(places) {
        writeln!(text, "{id},{at}").unwrap();
    }
    read_nodes(text.as_bytes(), "nodes.csv", &ServiceLevels::default())
        .unwrap()
        .value
}

fn names(skus: &Skus) -> Vec<String> {
    (0..skus.len() as u32)
        .map(|i| skus.name(omniroute_core::SkuId(i)).to_owned())
        .collect()
}

proptest! {
    #[test]
    fn clean_rows_read_as_the_row_checks(
        rows in prop::collection::vec((0..NODES.len(), 0..SKUS.len(), 0..UNITS.len(), 0..UNITS.len()), 1..60),
        dictionary in any::<bool>(),
        group in 1usize..20,
        known in any::<bool>(),
    ) {
        let net = network(&["W1", "S1"]);
        let (bytes, csv) = files(&rows, dictionary, group);
        let start = || {
            let mut skus = Skus::default();
            if known {
                skus.intern("CAP");
            }
            skus
        };
        let from_parquet: Read = {
            let mut skus = start();
            let input = TableInput::Columns(read_parquet(bytes, "stock.parquet").unwrap());
            let read = read_stock_input(&input, &net, &mut skus);
            (read.map(|l| l.value).map_err(|e| format!("{:?}", e.problems())), names(&skus))
        };
        let from_csv: Read = {
            let mut skus = start();
            let read = read_stock(csv.as_bytes(), "stock.parquet", &net, &mut skus);
            (read.map(|l| l.value).map_err(|e| format!("{:?}", e.problems())), names(&skus))
        };
        prop_assert_eq!(from_parquet, from_csv);
    }
}

/// A stock file of several windows (decoded on a thread of its own while the rows before are
/// read, `csv/stock/windows.rs`), with a row group boundary inside a window and problems in
/// different windows (an unknown node, a negative quantity, a pair given again far from its
/// first line), reads as its CSV text: the same rows, SKU ids, problems and lines; and without
/// the problems, the same stock.
#[test]
fn a_file_read_in_windows_reads_as_its_csv() {
    for bad in [true, false] {
        read_in_windows(bad);
    }
}

fn read_in_windows(bad: bool) {
    use crate::csv::read_stock_file;
    let net = network(&["W1", "S1"]);
    let n = 150_000;
    let node = |i: usize| match i {
        70_001 if bad => "NOPE",
        _ if i % 3 == 0 => "S1",
        _ => "W1",
    };
    let sku = |i: usize| match i {
        // Row 10's pair again, two windows on.
        140_003 if bad => "K10".to_owned(),
        _ => format!("K{}", i % 90_000 + (i / 90_000) * 100_000),
    };
    let qty = |i: usize| {
        if bad && i == 120_002 {
            -2
        } else {
            (i % 7) as i64
        }
    };
    let nodes: Vec<&str> = (0..n)
        .map(|i| if bad && i == 140_003 { "W1" } else { node(i) })
        .collect();
    let skus: Vec<String> = (0..n).map(sku).collect();
    let qtys: Vec<i64> = (0..n).map(qty).collect();
    assert_eq!(nodes[10], "W1");
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("node_id", Arc::new(StringArray::from(nodes.clone()))),
        ("sku", Arc::new(StringArray::from(skus.clone()))),
        ("qty", Arc::new(Int64Array::from(qtys.clone()))),
    ];
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(100_000))
        .build();
    let bytes = parquet_bytes(&record_batch(columns), Some(props));
    let mut csv = "node_id,sku,qty\n".to_owned();
    for i in 0..n {
        writeln!(csv, "{},{},{}", nodes[i], skus[i], qtys[i]).unwrap();
    }
    let read = |parquet: bool| -> Read {
        let mut skus = Skus::default();
        skus.intern("K5");
        let read = if parquet {
            let file = super::ParquetFile::open(bytes.clone(), "stock.parquet").unwrap();
            // Every core busy: one part a window, windows of 65,536 rows, on any machine.
            read_stock_file(&file, Some(&net), &mut skus, usize::MAX)
                .map(|r| r.expect("a network").value.records().collect())
        } else {
            read_stock(csv.as_bytes(), "stock.parquet", &net, &mut skus).map(|l| l.value)
        };
        let read = read.map_err(|e| format!("{:?}", e.problems()));
        (read, names(&skus))
    };
    let from_parquet = read(true);
    assert_eq!(from_parquet, read(false));
    let Err(problems) = &from_parquet.0 else {
        assert!(!bad, "three problems");
        assert_eq!(from_parquet.0.map(|r| r.len()), Ok(n));
        return;
    };
    for (code, line) in [("E1020", 70_003), ("E1011", 120_004), ("E1021", 140_005)] {
        assert!(
            problems.contains(code) && problems.contains(&format!("line: {line},")),
            "{code} at line {line}: {problems}"
        );
    }
}

/// A stock file damaged past its metadata (a run of bytes zeroed in its pages) reads in windows
/// as it reads decoded whole: the same `E1201` when a page cannot be decoded, or the same rows
/// and problems when the damage decodes to values; never a panic.
#[test]
fn a_damaged_file_read_in_windows_fails_as_decoded_whole() {
    use crate::csv::read_stock_file;
    let net = network(&["W1"]);
    let n: i64 = 150_000;
    let columns: Vec<(&str, ArrayRef)> = vec![
        (
            "node_id",
            Arc::new(StringArray::from(vec!["W1"; n as usize])),
        ),
        (
            "sku",
            Arc::new(StringArray::from(
                (0..n).map(|i| format!("K{i}")).collect::<Vec<_>>(),
            )),
        ),
        (
            "qty",
            Arc::new(Int64Array::from((0..n).map(|i| i % 9).collect::<Vec<_>>())),
        ),
    ];
    let props = WriterProperties::builder()
        .set_max_row_group_row_count(Some(60_000))
        .build();
    let good = parquet_bytes(&record_batch(columns), Some(props));
    let body = good.len() - 4_096;
    let mut unreadable = 0;
    for k in 1..=12 {
        let mut bytes = good.clone();
        let at = body * k / 13;
        bytes[at..at + 64].fill(0);
        let problems = |r: Result<Vec<StockRecord>, crate::InputError>| {
            r.map(|rows| rows.len())
                .map_err(|e| format!("{:?}", e.problems()))
        };
        let whole = read_parquet(bytes.clone(), "stock.parquet").and_then(|t| {
            read_stock_input(&TableInput::Columns(t), &net, &mut Skus::default()).map(|l| l.value)
        });
        let windows = super::ParquetFile::open(bytes, "stock.parquet").and_then(|f| {
            read_stock_file(&f, Some(&net), &mut Skus::default(), usize::MAX)
                .map(|r| r.expect("a network").value.records().collect())
        });
        let (whole, windows) = (problems(whole), problems(windows));
        unreadable += usize::from(whole.as_ref().is_err_and(|e| e.contains("E1201")));
        assert_eq!(windows, whole, "zeroed at {at}");
    }
    assert!(unreadable > 0, "some damage is found");
}

/// A footer whose row count claims more rows than any memory holds (a damaged count; the
/// stock's output is sized by it) is read by its row groups' rows, with no panic.
#[test]
fn a_footer_claiming_too_many_rows_reads_its_rows() {
    use crate::csv::read_stock_file;
    let net = network(&["W1"]);
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("node_id", Arc::new(StringArray::from(vec!["W1"; 3]))),
        ("sku", Arc::new(StringArray::from(vec!["A", "B", "C"]))),
        ("qty", Arc::new(Int64Array::from(vec![1, 2, 3]))),
    ];
    let good = parquet_bytes(&record_batch(columns), None);
    // The footer (thrift's compact protocol): after the schema list, field 3 `num_rows`, an
    // i64 (header byte 0x16), 3 as a zigzag varint (0x06); the schema holds no i64 before it.
    let n = good.len();
    let footer_len = u32::from_le_bytes(good[n - 8..n - 4].try_into().unwrap()) as usize;
    let start = n - 8 - footer_len;
    let at = start
        + good[start..n - 8]
            .windows(2)
            .position(|w| w == [0x16, 0x06])
            .expect("num_rows in the footer");
    let claimed: u64 = 1 << 60;
    let mut varint = Vec::new();
    let mut v = claimed << 1; // zigzag of a positive number
    while v >= 0x80 {
        varint.push((v as u8) | 0x80);
        v >>= 7;
    }
    varint.push(v as u8);
    let mut bytes = good[..=at].to_vec();
    bytes.extend_from_slice(&varint);
    bytes.extend_from_slice(&good[at + 2..n - 8]);
    let footer_len = (footer_len + varint.len() - 1) as u32;
    bytes.extend_from_slice(&footer_len.to_le_bytes());
    bytes.extend_from_slice(b"PAR1");
    let file = super::ParquetFile::open(bytes, "stock.parquet").unwrap();
    assert_eq!(file.rows() as u64, claimed, "the count patched");
    let read = read_stock_file(&file, Some(&net), &mut Skus::default(), usize::MAX)
        .map(|r| r.expect("a network").value.len());
    assert_eq!(read.map_err(|e| format!("{:?}", e.problems())), Ok(3));
}
