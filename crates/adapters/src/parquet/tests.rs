use super::*;
use crate::csv::Sheet;
use crate::test_arrow::{parquet_bytes, record_batch};
use crate::{read_nodes_input, InputError};
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, DictionaryArray, Float32Array, Float64Array,
    Int64Array, RecordBatch, StringArray, TimestampMillisecondArray, UInt32Array,
};
use arrow_schema::{DataType, Field, Schema};
use omniroute_core::ServiceLevels;
use std::sync::Arc;

/// A Parquet file holding `columns` (all nullable).
fn parquet(columns: Vec<(&str, ArrayRef)>) -> Vec<u8> {
    parquet_bytes(&record_batch(columns), None)
}

/// The file's header and rows as the readers see them: trimmed cells, `|`-separated.
fn text(bytes: Vec<u8>) -> String {
    let table = read_parquet(bytes, "t.parquet").unwrap();
    let mut out = table.columns.join("|") + "\n";
    let mut sheet = Sheet::table(&table).unwrap();
    while let Some(row) = sheet.next_row().unwrap() {
        let cells: Vec<&str> = (0..table.columns.len())
            .map(|i| row.cell(Some(i)).unwrap_or(""))
            .collect();
        out += &(cells.join("|") + "\n");
    }
    out
}

fn codes(e: &InputError) -> Vec<(&'static str, u64, u64)> {
    e.problems()
        .iter()
        .map(|p| (p.code, p.line, p.column))
        .collect()
}

#[test]
fn cells_are_written_as_the_csv_readers_expect() {
    let file = parquet(vec![
        ("id", Arc::new(StringArray::from(vec![Some("a,b"), None]))),
        (
            "kind",
            Arc::new(
                [Some("store"), None]
                    .into_iter()
                    .collect::<DictionaryArray<Int32Type>>(),
            ),
        ),
        ("n", Arc::new(Int64Array::from(vec![Some(-7), Some(12)]))),
        ("u", Arc::new(UInt32Array::from(vec![None, Some(3)]))),
        ("f64", Arc::new(Float64Array::from(vec![28.6139, 0.1]))),
        ("f32", Arc::new(Float32Array::from(vec![28.6_f32, 1.0]))),
        ("b", Arc::new(BooleanArray::from(vec![true, false]))),
        ("nb", Arc::new(BooleanArray::from(vec![None, Some(false)]))),
        ("d", Arc::new(Date32Array::from(vec![20_783, -1]))),
        (
            "t",
            Arc::new(
                TimestampMillisecondArray::from(vec![1_795_672_800_000, 1_795_672_800_500])
                    .with_timezone("+05:30"),
            ),
        ),
        (
            "wall",
            Arc::new(TimestampMillisecondArray::from(vec![1_795_672_800_000, 0])),
        ),
    ]);
    assert_eq!(
        text(file),
        "id|kind|n|u|f64|f32|b|nb|d|t|wall\n\
         a,b|store|-7||28.6139|28.6|true||2026-11-26|2026-11-26T06:00:00Z|2026-11-26T06:00:00\n\
         ||12|3|0.1|1|false|false|1969-12-31|2026-11-26T06:00:00.5Z|1970-01-01T00:00:00\n"
    );
}

#[test]
fn rows_go_through_the_csv_readers_with_their_line_numbers() {
    let file = parquet(vec![
        (
            "node_id",
            Arc::new(StringArray::from(vec!["W1", "W2", "W3"])),
        ),
        ("lat", Arc::new(Float64Array::from(vec![28.6, 95.0, 12.9]))),
        ("lon", Arc::new(Float64Array::from(vec![77.2, 77.2, 77.6]))),
    ]);
    let table = read_parquet(file, "nodes.parquet").unwrap();
    let e = read_nodes_input(&table.into(), &ServiceLevels::default()).unwrap_err();
    let p = &e.problems()[0];
    assert_eq!((p.code, p.line, p.column), ("E1010", 3, 2));
    assert_eq!(p.file, "nodes.parquet");
}

#[test]
fn a_file_that_is_not_parquet_is_e1201() {
    let e = read_parquet(b"node_id,lat,lon\nW1,1,2\n".to_vec(), "n.parquet").unwrap_err();
    assert_eq!(codes(&e), [("E1201", 0, 0)]);
    let e = read_parquet(Vec::new(), "n.parquet").unwrap_err();
    assert_eq!(codes(&e), [("E1201", 0, 0)]);
}

#[test]
fn a_damaged_stored_arrow_schema_is_e1201_not_a_panic() {
    // Found by fuzz/parquet: a decisions.parquet whose stored Arrow schema names an unknown
    // type, on which arrow-ipc reaches `unimplemented!`.
    let bytes = include_bytes!("damaged-arrow-schema.parquet").to_vec();
    let e = read_parquet(bytes, "d.parquet").unwrap_err();
    assert_eq!(codes(&e), [("E1201", 0, 0)]);
    assert!(e.problems()[0].message.contains("decoder failed"), "{e}");
}

#[test]
fn a_column_without_a_text_form_is_e1202() {
    let file = parquet(vec![
        ("node_id", Arc::new(StringArray::from(vec!["W1"]))),
        (
            "blob",
            Arc::new(BinaryArray::from(vec![b"\x00\x01".as_slice()])),
        ),
    ]);
    let e = read_parquet(file, "n.parquet").unwrap_err();
    assert_eq!(codes(&e), [("E1202", 1, 2)]);
}

#[test]
fn parquet_paths_are_told_by_their_extension() {
    assert!(is_parquet_path("day/orders.parquet"));
    assert!(is_parquet_path("ORDERS.PARQUET"));
    assert!(!is_parquet_path(".parquet"));
    assert!(!is_parquet_path("orders.csv"));
    assert!(!is_parquet_path("orders.parquet.csv"));
}

#[test]
fn timestamps_units_and_schema_types() {
    let mut out = String::new();
    read_write_timestamp(&mut out);
    assert_eq!(out, "2026-11-26T06:00:00Z|2026-11-26T06:00:00.000000001Z");
    let schema = decisions_schema();
    let types: Vec<&DataType> = schema.fields().iter().map(|f| f.data_type()).collect();
    assert_eq!(types[1], &DataType::UInt32);
    assert_eq!(types[7], &DataType::Date32);
}

fn read_write_timestamp(out: &mut String) {
    use arrow_array::{TimestampNanosecondArray, TimestampSecondArray};
    let file = parquet(vec![
        (
            "s",
            Arc::new(TimestampSecondArray::from(vec![1_795_672_800]).with_timezone("UTC")),
        ),
        (
            "ns",
            Arc::new(
                TimestampNanosecondArray::from(vec![1_795_672_800_000_000_001])
                    .with_timezone("UTC"),
            ),
        ),
    ]);
    let t = text(file);
    let row = t.lines().nth(1).unwrap();
    out.push_str(row);
}

#[test]
fn a_list_column_is_a_semicolon_separated_cell() {
    use arrow_array::builder::{ListBuilder, StringBuilder};
    let mut b = ListBuilder::new(StringBuilder::new());
    b.values().append_value("S1");
    b.values().append_value("S2");
    b.append(true);
    b.append(false); // null
    b.append(true); // empty
    let lists: ArrayRef = Arc::new(b.finish());
    let ids: ArrayRef = Arc::new(StringArray::from(vec!["A", "B", "C"]));
    let csv = text(parquet(vec![("order_id", ids), ("exclude_nodes", lists)]));
    assert_eq!(csv, "order_id|exclude_nodes\nA|S1;S2\nB|\nC|\n");
}

#[test]
fn a_time_of_day_column_reads_as_cutoff_local() {
    use arrow_array::{Time32MillisecondArray, Time32SecondArray, Time64MicrosecondArray};
    // pyarrow's read_csv infers `14:30` as time32[s]: such a nodes.parquet reads as its CSV.
    let file = parquet(vec![
        (
            "node_id",
            Arc::new(StringArray::from(vec!["W1", "W2", "W3"])),
        ),
        ("lat", Arc::new(Float64Array::from(vec![28.6, 19.1, 12.9]))),
        ("lon", Arc::new(Float64Array::from(vec![77.2, 72.9, 77.6]))),
        (
            "cutoff_local",
            Arc::new(Time32SecondArray::from(vec![
                Some(14 * 3600 + 30 * 60),
                None,
                Some(23 * 3600 + 59 * 60),
            ])),
        ),
    ]);
    let table = read_parquet(file, "nodes.parquet").unwrap();
    let net = read_nodes_input(&table.into(), &ServiceLevels::default())
        .unwrap()
        .value;
    let cutoffs: Vec<String> = (0..3)
        .map(|i| format!("{:?}", net.node(omniroute_core::NodeIdx(i)).cutoff_local))
        .collect();
    assert_eq!(cutoffs[0], "Some(14:30:00)");
    assert_eq!(cutoffs[2], "Some(23:59:00)");
    // Seconds are written, and refused where the reader wants HH:MM.
    let ms = parquet(vec![
        (
            "s",
            Arc::new(Time32MillisecondArray::from(vec![52_215_500])),
        ),
        (
            "us",
            Arc::new(Time64MicrosecondArray::from(vec![52_200_000_000])),
        ),
    ]);
    assert_eq!(text(ms), "s|us\n14:30:15.5|14:30\n");
}

#[test]
fn a_frame_column_without_a_text_form_is_e1202_before_any_row() {
    let ids: ArrayRef = Arc::new(StringArray::from(vec!["W1"]));
    let blob: ArrayRef = Arc::new(BinaryArray::from(vec![b"\x00".as_slice()]));
    let schema = Schema::new(vec![
        Field::new("node_id", DataType::Utf8, false),
        Field::new("lat", DataType::Binary, false),
    ]);
    let batch = RecordBatch::try_new(Arc::new(schema.clone()), vec![ids, blob]).unwrap();
    let table = crate::Table::new("nodes frame", &schema, vec![batch]);
    let e = read_nodes_input(&table.into(), &ServiceLevels::default()).unwrap_err();
    assert_eq!(codes(&e), [("E1202", 1, 2)]);
    assert_eq!(e.problems()[0].file, "nodes frame");
}

#[test]
fn the_codecs_of_pyarrow_polars_and_spark_are_read() {
    use parquet::basic::{Compression, GzipLevel, ZstdLevel};
    use parquet::file::properties::WriterProperties;
    let ids: ArrayRef = Arc::new(StringArray::from(vec!["W1", "W2"]));
    let lat: ArrayRef = Arc::new(Float64Array::from(vec![28.6, 19.1]));
    let schema = Arc::new(Schema::new(vec![
        Field::new("node_id", DataType::Utf8, false),
        Field::new("lat", DataType::Float64, false),
    ]));
    let batch = RecordBatch::try_new(schema.clone(), vec![ids, lat]).unwrap();
    for codec in [
        Compression::ZSTD(ZstdLevel::default()),
        Compression::LZ4_RAW,
        Compression::GZIP(GzipLevel::default()),
    ] {
        let props = WriterProperties::builder().set_compression(codec).build();
        assert_eq!(
            text(parquet_bytes(&batch, Some(props))),
            "node_id|lat\nW1|28.6\nW2|19.1\n",
            "{codec:?}"
        );
    }
}
