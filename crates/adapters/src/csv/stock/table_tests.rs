//! A stock table (a frame's or a Parquet file's columns) read in windows of rows one after the
//! other, each in runs of rows on several threads, gives what one thread reading it whole gives:
//! records, SKU ids, problems and their lines.

use super::tests::{network, outcome, Outcome};
use super::windows::read_windows;
use crate::csv::sheet::Sheet;
use omniroute_core::Skus;
use proptest::prelude::*;

/// The rows of `text` (a CSV file with a header; integer columns as integers, see
/// [`csv_batch`](crate::test_arrow::csv_batch)) as tables of `window` rows each (of batches of
/// `batch` rows), one after the other, and their header.
fn windows_of(text: &str, batch: usize, window: usize) -> (crate::Table, Vec<crate::Table>) {
    let whole = crate::test_arrow::csv_batch(text);
    let schema = whole.schema();
    let (batch, window) = (batch.max(1), window.max(1));
    let windows = (0..whole.num_rows())
        .step_by(window)
        .map(|first| {
            let end = (first + window).min(whole.num_rows());
            let batches = (first..end)
                .step_by(batch)
                .map(|at| whole.slice(at, batch.min(end - at)))
                .collect();
            crate::Table::window("stock frame", &schema, batches, first)
        })
        .collect();
    (
        crate::Table::new("stock frame", &schema, Vec::new()),
        windows,
    )
}

/// Reads the rows of `text` in windows of `window` rows, in up to `parts` parts a window of at
/// least one row.
fn read_table(text: &str, (batch, window): (usize, usize), parts: usize) -> Outcome {
    let mut skus = Skus::default();
    skus.intern("KNOWN");
    let net = network();
    let (header, windows) = windows_of(text, batch, window);
    let rows = windows.iter().map(crate::Table::rows).sum();
    let windows = &mut windows.into_iter().map(Ok);
    let out = read_windows(&header, windows, rows, Some(&net), &mut skus, (parts, 1));
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
    fn table_windows_and_parts_read_as_one(
        rows in prop::collection::vec(table_row(), 1..40),
        parts in 1usize..6,
        batch in 1usize..8,
        window in 1usize..12,
    ) {
        let text = format!("node_id,sku,qty\n{}\n", rows.join("\n"));
        let one = read_table(&text, (batch, usize::MAX), 1);
        prop_assert_eq!(read_table(&text, (batch, window), parts), one);
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
        let one = read_table(&text, (64, usize::MAX), 1);
        for (window, parts) in [
            (usize::MAX, 2),
            (usize::MAX, 7),
            (7, 1),
            (MAX_PROBLEMS, 1),
            (9, 3),
        ] {
            let read = read_table(&text, (64, window), parts);
            assert_eq!(read, one, "{clean_after} {window} {parts}");
        }
        let problems = one.0.expect_err("rejected");
        let too_many = problems.iter().any(|p| p.code == "E1025");
        assert_eq!(too_many, clean_after > 0, "{clean_after}");
    }
}

#[test]
fn a_table_really_is_read_in_parts() {
    let (_, table) = windows_of("node_id,sku,qty\nW1,A,1\nS1,B,2\nW1,B,3\nD1,C,4\n", 3, 4);
    let sheet = Sheet::table(&table[0]).unwrap();
    assert_eq!(sheet.split_table(4, 1).len(), 4);
    assert_eq!(sheet.split_table(4, 2).len(), 2);
    assert!(sheet.split_table(4, 3).is_empty());
    let text = Sheet::over(b"node_id,sku,qty\nW1,A,1\n", "stock.csv").unwrap();
    assert!(
        text.split_table(4, 1).is_empty(),
        "CSV text is split by `split`"
    );
}
