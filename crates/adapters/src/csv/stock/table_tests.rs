//! A stock table (a frame's or a Parquet file's columns) read in runs of rows on several threads
//! gives what one thread reading it gives: records, SKU ids, problems and their lines.

use super::tests::{network, outcome, Outcome};
use crate::csv::sheet::Sheet;
use omniroute_core::Skus;
use proptest::prelude::*;

/// A table of the rows of `text` (a CSV file with a header; integer columns as integers, see
/// [`csv_batch`](crate::test_arrow::csv_batch)), in batches of `batch` rows.
fn table_of(text: &str, batch: usize) -> crate::Table {
    let whole = crate::test_arrow::csv_batch(text);
    let schema = whole.schema();
    let batches = (0..whole.num_rows())
        .step_by(batch.max(1))
        .map(|at| whole.slice(at, batch.max(1).min(whole.num_rows() - at)))
        .collect();
    crate::Table::new("stock frame", &schema, batches)
}

/// Reads `table` in up to `parts` parts of at least one row.
fn read_table(table: &crate::Table, parts: usize) -> Outcome {
    let mut skus = Skus::default();
    skus.intern("KNOWN");
    let net = network();
    let sheet = Sheet::table(table).expect("a header");
    let out = super::read_split(sheet, Some(&net), &mut skus, (parts, 1));
    outcome(out, &skus)
}

fn table_row() -> impl Strategy<Value = String> {
    let node = prop::sample::select(vec!["W1", "S1", "D1", "X9", ""]);
    let sku = prop::sample::select(vec!["A", "B", "C", "D", "KNOWN", "E", ""]);
    let qty = prop::sample::select(vec!["1", "7", "0", "-1", "5000000000", ""]);
    (node, sku, qty).prop_map(|(n, s, q)| format!("{n},{s},{q}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn table_parts_read_as_one(
        rows in prop::collection::vec(table_row(), 1..40),
        parts in 2usize..6,
        batch in 1usize..8,
    ) {
        let text = format!("node_id,sku,qty\n{}\n", rows.join("\n"));
        let table = table_of(&text, batch);
        let one = read_table(&table, 1);
        prop_assert_eq!(read_table(&table, parts), one);
    }
}

#[test]
fn table_parts_stop_at_the_cap_as_one_thread_does() {
    use crate::csv::MAX_PROBLEMS;
    // Errors on the first MAX_PROBLEMS rows, then clean rows (one thread stops, E1025), or
    // nothing after (one thread reads every row: no E1025).
    for clean_after in [0, 1, 5] {
        let mut text = String::from("node_id,sku,qty\n");
        text.extend((0..MAX_PROBLEMS).map(|i| format!("X9,S{i},1\n")));
        text.extend((0..clean_after).map(|i| format!("W1,T{i},1\n")));
        let table = table_of(&text, 64);
        let one = read_table(&table, 1);
        for parts in [2, 3, 7] {
            assert_eq!(read_table(&table, parts), one, "{clean_after} {parts}");
        }
        let problems = one.0.expect_err("rejected");
        let too_many = problems.iter().any(|p| p.code == "E1025");
        assert_eq!(too_many, clean_after > 0, "{clean_after}");
    }
}

#[test]
fn a_table_really_is_read_in_parts() {
    let table = table_of("node_id,sku,qty\nW1,A,1\nS1,B,2\nW1,B,3\nD1,C,4\n", 3);
    let sheet = Sheet::table(&table).unwrap();
    assert_eq!(sheet.split_table(4, 1).len(), 4);
    assert_eq!(sheet.split_table(4, 2).len(), 2);
    assert!(sheet.split_table(4, 3).is_empty());
    let text = Sheet::over(b"node_id,sku,qty\nW1,A,1\n", "stock.csv").unwrap();
    assert!(
        text.split_table(4, 1).is_empty(),
        "CSV text is split by `split`"
    );
}
