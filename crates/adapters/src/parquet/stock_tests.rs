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
        let levels = ServiceLevels::default();
        let net = read_nodes("node_id,lat,lon\nW1,28.6,77.2\nS1,19.1,72.9\n".as_bytes(), "nodes.csv", &levels)
            .unwrap()
            .value;
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
