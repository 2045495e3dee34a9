//! Plain rows are the rows the csv crate reads: the same cells, lines and problems.

use super::{Mode, Sheet};
use crate::Problem;
use proptest::prelude::*;

/// Every row's line and cells, then the problems (or warnings) at the end.
type Read = (
    Vec<(u64, Vec<Option<String>>)>,
    Result<Vec<Problem>, Vec<Problem>>,
);

fn read(data: &[u8], csv: bool) -> Read {
    let Ok(mut sheet) = Sheet::over(data, "t.csv") else {
        return (Vec::new(), Ok(Vec::new()));
    };
    let columns = sheet.header.len();
    if csv {
        sheet.mode = Mode::Csv;
    }
    let mut rows = Vec::new();
    while let Some(row) = sheet.next_row().unwrap() {
        let cells = (0..columns)
            .map(|i| row.cell(Some(i)).map(str::to_owned))
            .collect();
        rows.push((row.line, cells));
    }
    let end = sheet.finish().map_err(|e| e.problems());
    (rows, end)
}

fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => "[a-c]{1,3}".prop_map(String::into_bytes),
        3 => Just(b",".to_vec()),
        1 => Just(b" ".to_vec()),
        2 => Just(b"\n".to_vec()),
        1 => Just(b"\r\n".to_vec()),
        1 => Just(b"\r".to_vec()),
        1 => Just(b"\xff".to_vec()),
        1 => Just("é".as_bytes().to_vec()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn plain_rows_are_the_csv_crate_rows(pieces in prop::collection::vec(piece(), 0..60)) {
        let mut data = b"a,b\n".to_vec();
        data.extend(pieces.concat());
        let csv = read(&data, true);
        let plain = read(&data, false);
        prop_assert_eq!(plain, csv);
    }
}

#[test]
fn a_quoted_field_is_read_by_the_csv_crate() {
    let mut sheet = Sheet::over(b"a,b\n\"x,y\",z\n", "t.csv").unwrap();
    let row = sheet.next_row().unwrap().unwrap();
    assert_eq!(row.cell(Some(0)), Some("x,y"));
    assert!(matches!(sheet.mode, Mode::Csv));
    let mut sheet = Sheet::over(b"a,b\n x ,z\n", "t.csv").unwrap();
    let row = sheet.next_row().unwrap().unwrap();
    assert_eq!(row.cell(Some(0)), Some("x"));
    assert!(matches!(sheet.mode, Mode::Plain(_)));
}
