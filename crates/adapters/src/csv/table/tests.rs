//! A cell whose value repeats the one above is copied from that row's text: every row reads as
//! it does on its own, across batches, nulls, NaN and runs taken at once. A float or an instant
//! held as a value reads as its text does.

use super::{Table, TableRows};
use crate::csv::Sheet;
use crate::Problem;
use arrow_array::types::{
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType,
};
use arrow_array::{
    ArrayRef, Date32Array, Float32Array, Float64Array, PrimitiveArray, Time32MillisecondArray,
};
use proptest::prelude::*;
use std::sync::Arc;

/// The cells of the last row `rows` read, as text.
fn texts(rows: &TableRows<'_>) -> Vec<String> {
    let cells = rows.cells();
    (0..rows.cells.len())
        .map(|i| cells.get(i).unwrap_or_default().to_owned())
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

/// Each row's float (any finite value in range) and timestamp, with the problems of the
/// sheet: the same for a table and for a CSV file of its cells' text.
type Read = (Vec<(Option<u64>, Option<jiff::Timestamp>)>, Vec<Problem>);

fn read_values(mut sheet: Sheet<'_>) -> Read {
    let mut values = Vec::new();
    while let Some(mut row) = sheet.next_row().unwrap() {
        let f = row.float(Some(0), f64::MIN, None).map(f64::to_bits);
        // Twice: a held value must not be taken for a cell read already.
        let ts = row.timestamp(Some(1));
        assert_eq!(ts, row.timestamp(Some(1)));
        values.push((f, ts));
    }
    let problems = match sheet.finish() {
        Ok(warnings) => warnings,
        Err(e) => e.problems(),
    };
    (values, problems)
}

proptest! {
    /// `Row::number` and `Row::timestamp` take a held float or instant as it is: the value
    /// must be what its text reads back as (a float as `{}` writes it, infinities, -0 and
    /// subnormals included; an instant of any unit, or a number out of jiff's range written as
    /// digits; a wall-clock time is not one), so a table and a CSV file of the same text give the same values and problems.
    #[test]
    fn held_floats_and_instants_read_as_their_text(
        cells in proptest::collection::vec(
            (
                prop_oneof![
                    any::<u64>().prop_map(f64::from_bits),
                    (-180.0f64..180.0),
                    Just(f64::INFINITY),
                    Just(f64::NEG_INFINITY),
                    Just(-0.0),
                ],
                prop_oneof![any::<i64>(), -400_000_000_000i64..400_000_000_000],
            ),
            1..24,
        ),
        unit in 0..5usize,
        repeat in any::<bool>(),
    ) {
        let mut cells = cells;
        if repeat {
            // Repeated cells are copied from the row above, values and all.
            let first = cells[0];
            cells.insert(1, first);
        }
        let floats: Vec<Option<f64>> = cells.iter().map(|c| Some(c.0)).collect();
        let ts: Vec<Option<i64>> = cells.iter().map(|c| Some(c.1)).collect();
        let at: ArrayRef = match unit {
            0 => Arc::new(PrimitiveArray::<TimestampSecondType>::from(ts).with_timezone("UTC")),
            1 => Arc::new(
                PrimitiveArray::<TimestampMillisecondType>::from(ts).with_timezone("+05:30"),
            ),
            2 => Arc::new(PrimitiveArray::<TimestampMicrosecondType>::from(ts).with_timezone("UTC")),
            3 => Arc::new(PrimitiveArray::<TimestampNanosecondType>::from(ts).with_timezone("UTC")),
            // A wall-clock time (no zone) is no instant: its text, with no offset, is E1014.
            _ => Arc::new(PrimitiveArray::<TimestampSecondType>::from(ts)),
        };
        let columns: Vec<(&str, ArrayRef)> = vec![("f", Arc::new(Float64Array::from(floats))), ("at", at)];
        let batch = crate::test_arrow::record_batch(columns);
        let table = Table::new("t", &batch.schema(), vec![batch]);
        let mut csv = String::from("f,at\n");
        let mut rows = TableRows::new(&table);
        while rows.next().unwrap().is_some() {
            csv += &texts(&rows).join(",");
            csv += "\n";
        }
        let held = read_values(Sheet::table(&table).unwrap());
        let parsed = read_values(Sheet::over(csv.as_bytes(), "t").unwrap());
        prop_assert_eq!(held, parsed);
    }
}
