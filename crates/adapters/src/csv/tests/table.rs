//! A table of columns reads as the CSV file of the same content: the same values, the same
//! problems (codes, messages, lines, columns).

use crate::{read_nodes, read_nodes_input, read_orders_in, read_orders_input, read_stock};
use crate::{read_stock_input, InputError, Loaded, OrderPlaces, Problem, StockRecord, Table};
use arrow_array::{ArrayRef, Float64Array, Int64Array, StringArray, UInt8Array};
use arrow_schema::Schema;
use omniroute_core::{Network, Order, ServiceLevels, Skus};
use std::sync::Arc;

fn read_nodes_table(t: &Table, levels: &ServiceLevels) -> Result<Loaded<Network>, InputError> {
    read_nodes_input(&t.clone().into(), levels)
}

fn read_stock_of_table(
    t: &Table,
    network: &Network,
    skus: &mut Skus,
) -> Result<Loaded<Vec<StockRecord>>, InputError> {
    read_stock_input(&t.clone().into(), network, skus)
}

fn read_orders_table_in(
    t: &Table,
    skus: &mut Skus,
    levels: &ServiceLevels,
    network: &Network,
) -> Result<(Loaded<Vec<Order>>, OrderPlaces), InputError> {
    read_orders_input(&t.clone().into(), skus, levels, network)
}

fn table(name: &str, columns: Vec<(&str, ArrayRef)>, split_at: usize) -> Table {
    let batch = crate::test_arrow::record_batch(columns);
    let schema = batch.schema();
    // Two batches, to read across their boundary.
    let (a, b) = (
        batch.slice(0, split_at),
        batch.slice(split_at, batch.num_rows() - split_at),
    );
    Table::new(name, &schema, vec![a, b])
}

fn text(values: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(values.to_vec()))
}

fn network() -> Network {
    let nodes = table(
        "nodes frame",
        vec![
            ("node_id", text(&[Some("W1"), Some("S1")])),
            ("LAT", Arc::new(Float64Array::from(vec![28.6, 19.1]))),
            ("lon", Arc::new(Float64Array::from(vec![77.2, 72.9]))),
        ],
        1,
    );
    let from_table = read_nodes_table(&nodes, &ServiceLevels::default())
        .unwrap()
        .value;
    let csv = "node_id,LAT,lon\nW1,28.6,77.2\nS1,19.1,72.9\n";
    let from_csv = read_nodes(csv.as_bytes(), "nodes frame", &ServiceLevels::default()).unwrap();
    assert_eq!(format!("{from_table:?}"), format!("{:?}", from_csv.value));
    from_table
}

type Stock = Result<Vec<StockRecord>, Vec<Problem>>;

/// The stock read from `stock` and from `csv`, each into SKUs of its own.
fn read_both(net: &Network, stock: &Table, csv: &str) -> (Stock, Stock) {
    let (mut a, mut b) = (Skus::default(), Skus::default());
    let from_table = read_stock_of_table(stock, net, &mut a).map(|l| l.value);
    let from_csv = read_stock(csv.as_bytes(), "stock frame", net, &mut b).map(|l| l.value);
    (
        from_table.map_err(|e| e.problems()),
        from_csv.map_err(|e| e.problems()),
    )
}

/// The code, line and column of each problem of a read that failed.
fn places(read: &Stock) -> Vec<(&'static str, u64, u64)> {
    let problems = read.as_ref().expect_err("the read fails");
    problems
        .iter()
        .map(|p| (p.code, p.line, p.column))
        .collect()
}

#[test]
fn stock_from_a_table_is_stock_from_its_csv() {
    let net = network();
    let read = |stock: &Table, csv: &str| read_both(&net, stock, csv);
    let good = table(
        "stock frame",
        vec![
            ("node_id", text(&[Some("W1"), Some(" S1 "), Some("W1")])),
            ("sku", text(&[Some("A"), Some("A"), Some("B")])),
            ("qty", Arc::new(Int64Array::from(vec![3, 5, 7]))),
            (
                "reserved",
                Arc::new(Float64Array::from(vec![Some(1.0), Some(f64::NAN), None])),
            ),
        ],
        2,
    );
    let (t, c) = read(
        &good,
        "node_id,sku,qty,reserved\nW1,A,3,1\n S1 ,A,5,\nW1,B,7,\n",
    );
    assert_eq!(t.as_ref().map(Vec::len), Ok(3), "{t:?}");
    assert_eq!(t, c);

    let bad = table(
        "stock frame",
        vec![
            ("node_id", text(&[Some("W1"), Some("X9"), Some("W1"), None])),
            ("sku", text(&[Some("A"), Some("A"), Some("A"), Some("C")])),
            ("qty", Arc::new(Int64Array::from(vec![-1, 2, 3, 4]))),
            ("extra", Arc::new(UInt8Array::from(vec![1, 2, 3, 4]))),
        ],
        1,
    );
    let csv = "node_id,sku,qty,extra\nW1,A,-1,1\nX9,A,2,2\nW1,A,3,3\n,C,4,4\n";
    let (t, c) = read(&bad, csv);
    assert_eq!(
        places(&t),
        [
            ("E1011", 2, 3),
            ("E1020", 3, 1),
            ("E1007", 5, 1),
            ("E1021", 4, 2)
        ]
    );
    assert_eq!(t, c);
}

#[test]
fn orders_from_a_table_are_orders_from_their_csv() {
    let net = network();
    let orders = table(
        "orders frame",
        vec![
            ("order_id", text(&[Some("O1"), Some("O1"), Some("O2")])),
            ("sku", text(&[Some("A"), Some("B"), Some("A")])),
            ("qty", Arc::new(Int64Array::from(vec![1, 2, 0]))),
            (
                "dest_lat",
                Arc::new(Float64Array::from(vec![28.0, 28.0, 19.0])),
            ),
            (
                "dest_lon",
                Arc::new(Float64Array::from(vec![77.0, 77.0, 72.5])),
            ),
            (
                "service_level",
                text(&[Some("standard"), Some("standard"), Some("warp")]),
            ),
            ("exclude_nodes", text(&[Some("S1"), Some("S1"), None])),
        ],
        1,
    );
    let csv = "order_id,sku,qty,dest_lat,dest_lon,service_level,exclude_nodes\n\
               O1,A,1,28,77,standard,S1\nO1,B,2,28,77,standard,S1\nO2,A,0,19,72.5,warp,\n";
    let levels = ServiceLevels::default();
    let (mut a, mut b) = (Skus::default(), Skus::default());
    let t = read_orders_table_in(&orders, &mut a, &levels, &net).map_err(|e| e.problems());
    let c = read_orders_in(csv.as_bytes(), "orders frame", &mut b, &levels, &net)
        .map_err(|e| e.problems());
    let problems = t.as_ref().unwrap_err();
    assert_eq!(
        problems
            .iter()
            .map(|p| (p.code, p.line))
            .collect::<Vec<_>>(),
        [("E1018", 4), ("E1011", 4)]
    );
    assert_eq!(format!("{t:?}"), format!("{c:?}"));
    // Without the bad row, the same orders.
    let good = Table::new(
        "orders frame",
        &Schema::new(orders.batches[0].schema().fields().clone()),
        vec![orders.batches[0].clone(), orders.batches[1].slice(0, 1)],
    );
    let t = read_orders_table_in(&good, &mut a, &levels, &net).map(|(l, p)| (l.value, p));
    let csv = csv.rsplit_once("O2").unwrap().0;
    let c = read_orders_in(csv.as_bytes(), "orders frame", &mut b, &levels, &net)
        .map(|(l, p)| (l.value, p));
    assert_eq!(format!("{t:?}"), format!("{c:?}"));
    assert_eq!(t.unwrap().0.len(), 1);
}

/// An order's later lines are compared with its first as a CSV file's are: float, instant and
/// integer cells held as values (not written as text) tell the same differences (`E1022`) at
/// the same places, and a null or NaN cell is empty.
#[test]
fn typed_order_level_cells_differ_as_their_text() {
    use arrow_array::TimestampSecondArray;
    let net = network();
    let mut lat: Vec<Option<f64>> = vec![Some(28.0); 8];
    lat[1] = Some(28.5);
    lat[4] = None;
    lat[6] = Some(f64::NAN);
    let mut at = vec![1000_i64; 8];
    at[2] = 2000;
    let mut max = vec![2_i64; 8];
    max[3] = 3;
    let ids = [1, 1, 1, 1, 1, 1, 2, 3].map(|o| {
        Some(if o == 1 {
            "O1"
        } else if o == 2 {
            "O2"
        } else {
            "O3"
        })
    });
    let orders = table(
        "orders frame",
        vec![
            ("order_id", text(&ids)),
            ("sku", text(&[Some("A"); 8])),
            ("qty", Arc::new(Int64Array::from(vec![1; 8]))),
            ("dest_lat", Arc::new(Float64Array::from(lat))),
            ("dest_lon", Arc::new(Float64Array::from(vec![77.0; 8]))),
            (
                "created_at",
                Arc::new(TimestampSecondArray::from(at).with_timezone("UTC")),
            ),
            ("max_shipments", Arc::new(Int64Array::from(max))),
        ],
        3,
    );
    let same = "28,77,1970-01-01T00:16:40Z,2";
    let csv = format!(
        "order_id,sku,qty,dest_lat,dest_lon,created_at,max_shipments\n\
         O1,A,1,{same}\nO1,A,1,28.5,77,1970-01-01T00:16:40Z,2\nO1,A,1,28,77,1970-01-01T00:33:20Z,2\n\
         O1,A,1,28,77,1970-01-01T00:16:40Z,3\nO1,A,1,,77,1970-01-01T00:16:40Z,2\nO1,A,1,{same}\n\
         O2,A,1,,77,1970-01-01T00:16:40Z,2\nO3,A,1,{same}\n"
    );
    let levels = ServiceLevels::default();
    let (mut of_table, mut of_text) = (Skus::default(), Skus::default());
    let t = read_orders_table_in(&orders, &mut of_table, &levels, &net).map_err(|e| e.problems());
    let c = read_orders_in(csv.as_bytes(), "orders frame", &mut of_text, &levels, &net)
        .map_err(|e| e.problems());
    let problems = t.as_ref().unwrap_err();
    assert_eq!(
        problems
            .iter()
            .map(|p| (p.code, p.line, p.column))
            .collect::<Vec<_>>(),
        [
            ("E1022", 3, 4),
            ("E1022", 4, 6),
            ("E1022", 5, 7),
            ("E1007", 6, 4),
            ("E1007", 8, 4)
        ]
    );
    assert_eq!(format!("{t:?}"), format!("{c:?}"));
}

/// A dictionary-encoded SKU column's names are looked up once a value (`DictIds`): batches
/// with dictionaries of their own (the same key naming another SKU) give each line the SKU of
/// its cell, as the CSV text does.
#[test]
fn dictionary_skus_take_their_own_batches_values() {
    use arrow_array::types::Int32Type;
    use arrow_array::{DictionaryArray, Int32Array};
    let net = network();
    let batch = |ids: &[&str], keys: &[i32], values: &[&str]| {
        let sku = DictionaryArray::<Int32Type>::try_new(
            Int32Array::from(keys.to_vec()),
            Arc::new(StringArray::from(values.to_vec())),
        )
        .unwrap();
        let n = ids.len();
        crate::test_arrow::record_batch(vec![
            (
                "order_id",
                Arc::new(StringArray::from(ids.to_vec())) as ArrayRef,
            ),
            ("sku", Arc::new(sku)),
            ("qty", Arc::new(Int64Array::from(vec![1; n]))),
            ("dest_lat", Arc::new(Float64Array::from(vec![28.0; n]))),
            ("dest_lon", Arc::new(Float64Array::from(vec![77.0; n]))),
        ])
    };
    let first = batch(&["O1", "O1", "O2"], &[0, 1, 0], &["A", "B"]);
    let second = batch(&["O3", "O3", "O4"], &[0, 1, 1], &["C", "A"]);
    let orders = Table::new("orders frame", &first.schema(), vec![first.clone(), second]);
    let csv = "order_id,sku,qty,dest_lat,dest_lon\n\
               O1,A,1,28,77\nO1,B,1,28,77\nO2,A,1,28,77\nO3,C,1,28,77\nO3,A,1,28,77\nO4,A,1,28,77\n";
    let levels = ServiceLevels::default();
    let (mut of_table, mut of_text) = (Skus::default(), Skus::default());
    let t = read_orders_table_in(&orders, &mut of_table, &levels, &net).map(|(l, p)| (l.value, p));
    let c = read_orders_in(csv.as_bytes(), "orders frame", &mut of_text, &levels, &net)
        .map(|(l, p)| (l.value, p));
    assert_eq!(format!("{t:?}"), format!("{c:?}"));
    let skus: Vec<u32> = (t.unwrap().0.iter())
        .flat_map(|o| o.lines.iter().map(|l| l.sku.0))
        .collect();
    assert_eq!(skus, [0, 1, 0, 2, 0, 0]);
}

/// Integer columns of every width are read as integers, with a file's checks: the same codes,
/// lines, columns and messages as their digits in a CSV file.
#[test]
fn typed_integer_columns_report_as_their_digits() {
    use arrow_array::{Int32Array, LargeStringArray, UInt32Array, UInt64Array};
    let net = network();
    let stock = table(
        "stock frame",
        vec![
            (
                "node_id",
                Arc::new(LargeStringArray::from(vec!["W1", "W1", "S1", "S1", "W1"])),
            ),
            (
                "sku",
                text(&[Some("A"), Some("B"), Some("A"), None, Some("C")]),
            ),
            (
                "on_hand",
                Arc::new(Int32Array::from(vec![
                    Some(-4),
                    Some(2),
                    None,
                    Some(1),
                    Some(9),
                ])),
            ),
            (
                "reserved",
                Arc::new(Int64Array::from(vec![0, 1 << 40, 0, 0, 3])),
            ),
            (
                "safety_stock",
                Arc::new(UInt64Array::from(vec![0, 0, u64::MAX, 0, 2])),
            ),
            ("extra", Arc::new(UInt32Array::from(vec![1, 2, 3, 4, 5]))),
        ],
        2,
    );
    let csv = "node_id,sku,on_hand,reserved,safety_stock,extra\n\
               W1,A,-4,0,0,1\nW1,B,2,1099511627776,0,2\nS1,A,,0,18446744073709551615,3\n\
               S1,,1,0,0,4\nW1,C,9,3,2,5\n";
    let (t, c) = read_both(&net, &stock, csv);
    assert_eq!(
        places(&t),
        [
            ("E1011", 2, 3),
            ("E1009", 3, 4),
            ("E1007", 4, 3),
            ("E1008", 4, 5),
            ("E1007", 5, 2),
        ]
    );
    assert_eq!(t, c);

    // The clean row alone reads as its digits too.
    let good = Table::new(
        "stock frame",
        &Schema::new(stock.batches[0].schema().fields().clone()),
        vec![stock.batches[1].slice(2, 1)],
    );
    let csv = "node_id,sku,on_hand,reserved,safety_stock,extra\nW1,C,9,3,2,5\n";
    let (t, c) = read_both(&net, &good, csv);
    assert_eq!(t, c);
    let record = t.unwrap()[0];
    assert_eq!(
        (record.on_hand, record.reserved, record.safety_stock),
        (9, 3, 2)
    );
}
