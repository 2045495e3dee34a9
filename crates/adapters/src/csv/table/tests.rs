//! A cell whose value repeats the one above is copied from that row's text: every row reads as
//! it does on its own, across batches, nulls, NaN and runs taken at once.

use super::{Cell, Table, TableRows};
use arrow_array::types::{TimestampMillisecondType, TimestampSecondType};
use arrow_array::{
    ArrayRef, Date32Array, Float32Array, Float64Array, PrimitiveArray, Time32MillisecondArray,
};
use std::sync::Arc;

/// The cells of the last row `rows` read, as text.
fn texts(rows: &TableRows<'_>) -> Vec<String> {
    rows.cells
        .iter()
        .map(|c| match c {
            Cell::Text(t) => (*t).to_owned(),
            Cell::Written(a, b) => rows.text[*a..*b].to_owned(),
            Cell::Int(v, digits) => digits.text(*v).to_owned(),
        })
        .collect()
}

fn table() -> Table {
    let f = [
        Some(1.5),
        Some(1.5),
        None,
        None,
        Some(f64::NAN),
        Some(f64::NAN),
        Some(2.25),
        Some(2.25),
        Some(2.25),
        Some(0.1),
        Some(0.1),
        Some(-0.0),
        Some(0.0),
    ];
    let ts = [0, 0, 60_000, 60_000, 60_000, 1, 1, 0, 0, 5, 5, 5, 7].map(|v| Some(v * 1000));
    let mut ts = ts.to_vec();
    ts[3] = None;
    let days = [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4];
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("f64", Arc::new(Float64Array::from(f.to_vec()))),
        (
            "f32",
            Arc::new(Float32Array::from(
                f.iter().map(|v| v.map(|v| v as f32)).collect::<Vec<_>>(),
            )),
        ),
        (
            "at",
            Arc::new(
                PrimitiveArray::<TimestampMillisecondType>::from(ts.clone()).with_timezone("UTC"),
            ),
        ),
        (
            "wall",
            Arc::new(PrimitiveArray::<TimestampSecondType>::from(ts.clone())),
        ),
        ("day", Arc::new(Date32Array::from(days.to_vec()))),
        (
            "cutoff",
            Arc::new(Time32MillisecondArray::from(
                days.iter().map(|d| d * 3_600_000).collect::<Vec<_>>(),
            )),
        ),
    ];
    let batch = crate::test_arrow::record_batch(columns);
    let schema = batch.schema();
    let (a, b) = (batch.slice(0, 6), batch.slice(6, batch.num_rows() - 6));
    Table::new("t", &schema, vec![a, b])
}

#[test]
fn repeated_cells_read_as_on_their_own() {
    let t = table();
    let alone: Vec<Vec<String>> = (0..t.rows())
        .map(|i| {
            let mut rows = TableRows::range(&t, i, i + 1);
            rows.next().unwrap().unwrap();
            texts(&rows)
        })
        .collect();
    // The values written do repeat, and differ.
    assert_eq!(alone[0], alone[1]);
    assert_eq!(alone[0][2], "1970-01-01T00:00:00Z");
    assert_eq!(alone[1][5], "01:00");
    assert_ne!(alone[8], alone[9]);
    for start in 0..t.rows() {
        let mut rows = TableRows::range(&t, start, t.rows());
        let mut i = start;
        while let Some(line) = rows.next().unwrap() {
            assert_eq!(line, i as u64 + 2);
            assert_eq!(texts(&rows), alone[i], "row {i} read from row {start}");
            i += 1;
            // A run of two rows taken at once now and then: the row after is not below the
            // row read last.
            if i % 4 == 1 {
                if let Some((_, _, n, _)) = rows.run() {
                    let n = n.min(2);
                    rows.skip(n);
                    i += n;
                }
            }
        }
        assert_eq!(i, t.rows());
    }
}
