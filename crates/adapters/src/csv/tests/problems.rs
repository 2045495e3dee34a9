//! Every problem code at its line and column; several problems at once; the cap.

use super::{errors, nodes, orders, places, stock, O};
use crate::csv::MAX_PROBLEMS;
use crate::Problem;
use std::fmt::Write as _;

#[derive(Clone, Copy, Debug)]
enum Kind {
    Nodes,
    Stock,
    Orders,
}

fn run(kind: Kind, text: &[u8]) -> Vec<Problem> {
    match kind {
        Kind::Nodes => errors(nodes(text)),
        Kind::Stock => errors(stock(text)),
        Kind::Orders => errors(orders(text)),
    }
}

const N: &str = "node_id,lat,lon";

#[test]
fn each_problem_class_has_its_code_line_and_column() {
    use Kind::{Nodes, Orders, Stock};
    #[rustfmt::skip]
    let cases: Vec<(Kind, String, (&str, u64, u64))> = vec![
        (Nodes, String::new(), ("E1001", 0, 0)),
        (Nodes, "\n\n".into(), ("E1001", 0, 0)),
        (Nodes, format!("{N}\n"), ("E1001", 0, 0)),
        (Stock, "node_id,sku,qty\r\n".into(), ("E1001", 0, 0)),
        (Nodes, format!("{N},city\nW1,48.1,11.6,M\u{1}nchen\n"), ("E1002", 2, 4)),
        (Nodes, "node_id;lat;lon\nW1;28.6;77.2\n".into(), ("E1003", 1, 1)),
        (Orders, format!("{}\nA1\tX\t1\t0\t0\n", O.replace(',', "\t")), ("E1003", 1, 1)),
        (Nodes, "node_id,lon\nW1,77.2\n".into(), ("E1004", 1, 0)),
        (Stock, "node_id,sku\nW1,X\n".into(), ("E1004", 1, 0)),
        (Nodes, format!("{N},LAT\nW1,28.6,77.2,28.6\n"), ("E1005", 1, 4)),
        (Stock, "node_id,sku,qty,on_hand\nW1,X,1,1\n".into(), ("E1005", 1, 4)),
        (Nodes, format!("{N}\nW1,28.6\n"), ("E1006", 2, 0)),
        (Orders, format!("{O}\nA1,X,1,0,0,\n"), ("E1006", 2, 0)),
        (Nodes, format!("{N}\n  ,28.6,77.2\n"), ("E1007", 2, 1)),
        (Stock, "node_id,sku,qty\nW1,,1\n".into(), ("E1007", 2, 2)),
        (Orders, format!("{O}\nA1,X,,0,0\n"), ("E1007", 2, 3)),
        (Nodes, format!("{N}\nW1,28.6N,77.2\n"), ("E1008", 2, 2)),
        (Stock, "node_id,sku,qty\nW1,X,1.5\n".into(), ("E1008", 2, 3)),
        (Orders, format!("{O},unit_price_cents\nA1,X,1,0,0,9.99\n"), ("E1008", 2, 6)),
        (Nodes, format!("{N},capacity_units\nW1,28.6,77.2,-5\n"), ("E1009", 2, 4)),
        (Nodes, format!("{N},margin_bps,kind\nW1,28.6,77.2,10001,dealer\n"), ("E1009", 2, 4)),
        (Nodes, format!("{N},per_km_cents\nW1,28.6,77.2,inf\n"), ("E1009", 2, 4)),
        (Stock, "node_id,sku,qty\nW1,X,4294967296\n".into(), ("E1009", 2, 3)),
        (Orders, format!("{O},max_shipments\nA1,X,1,0,0,0\n"), ("E1009", 2, 6)),
        (Nodes, format!("{N}\nW1,91,77.2\n"), ("E1010", 2, 2)),
        (Nodes, format!("{N}\nW1,28.6,NaN\n"), ("E1010", 2, 3)),
        (Orders, format!("{O}\nA1,X,1,0,-inf\n"), ("E1010", 2, 5)),
        (Orders, format!("{O}\nA1,X,0,0,0\n"), ("E1011", 2, 3)),
        (Orders, format!("{O}\nA1,X,-2,0,0\n"), ("E1011", 2, 3)),
        (Stock, "node_id,sku,qty,reserved\nW1,X,0,-1\n".into(), ("E1011", 2, 4)),
        (Nodes, format!("{N},active\nW1,28.6,77.2,maybe\n"), ("E1012", 2, 4)),
        (Orders, format!("{O},allow_split\nA1,X,1,0,0,y\n"), ("E1012", 2, 6)),
        (Nodes, format!("{N},cutoff_local\nW1,28.6,77.2,25:00\n"), ("E1013", 2, 4)),
        (Nodes, format!("{N},cutoff_local\nW1,28.6,77.2,2pm\n"), ("E1013", 2, 4)),
        (Nodes, format!("{N},holidays\nW1,28.6,77.2,2025-01-26;2025-13-01\n"), ("E1014", 2, 4)),
        (Orders, format!("{O},created_at\nA1,X,1,0,0,2025-03-31 09:30\n"), ("E1014", 2, 6)),
        (Orders, format!("{O},created_at\nA1,X,1,0,0,2025-03-31T09:30:00+25:00\n"), ("E1014", 2, 6)),
        (Orders, format!("{O},promised_by\nA1,X,1,0,0,31/03/2025\n"), ("E1014", 2, 6)),
        (Nodes, format!("{N},kind\nW1,28.6,77.2,shop\n"), ("E1015", 2, 4)),
        (Nodes, format!("{N},timezone\nW1,28.6,77.2,Mars/Olympus\n"), ("E1016", 2, 4)),
        (Nodes, format!("{N},closed_weekdays\nW1,28.6,77.2,sat;funday\n"), ("E1017", 2, 4)),
        (Orders, format!("{O},service_level\nA1,X,1,0,0,teleport\n"), ("E1018", 2, 6)),
        (Nodes, format!("{N}\nW1,28.6,77.2\nS1,1,1\nW1,0,0\n"), ("E1019", 4, 1)),
        (Stock, "node_id,sku,qty\nX9,X,1\n".into(), ("E1020", 2, 1)),
        (Stock, "node_id,sku,qty\nW1,X,1\nS1,X,1\nW1,X,2\n".into(), ("E1021", 4, 2)),
        (Orders, format!("{O}\nA1,X,1,10,20\nA1,Y,1,10.5,20\n"), ("E1022", 3, 4)),
        (Orders, format!("{O},service_level\nA1,X,1,0,0,same_day\nA1,Y,1,0,0,\n"), ("E1022", 3, 6)),
        (Orders, format!("{O}\nA1,X,1,0,0\nB1,X,1,0,0\nA1,Y,1,0,0\nA1,Z,1,0,0\n"), ("E1023", 4, 1)),
        (Orders, format!("line_no,{O}\n1,A1,X,1,0,0\n2,A1,Y,1,0,0\n1,A1,Z,1,0,0\n"), ("E1024", 4, 1)),
    ];
    for (i, (kind, text, expected)) in cases.into_iter().enumerate() {
        let problems = run(kind, &latin1(text.as_bytes()));
        assert_eq!(
            places(&problems),
            vec![expected],
            "case {i} ({kind:?}): {problems:#?}"
        );
        let p = &problems[0];
        assert!(
            ["nodes.csv", "stock.csv", "orders.csv"].contains(&p.file.as_str())
                && !p.message.is_empty()
                && !p.hint.is_empty(),
            "{p}"
        );
    }
}

/// The bytes with every `\x01` replaced by `ü` in Latin-1 (0xFC): not UTF-8.
fn latin1(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .map(|&b| if b == 1 { 0xFC } else { b })
        .collect()
}

#[test]
fn several_problems_in_one_file_are_all_reported() {
    let text = "node_id,lat,lon,kind,tags\nW1,95,200,shop,\"two\nlines\"\nW2,28.6,77.2,,\nW1,0,0,store,\nW3,1\n";
    let problems = errors(nodes(text.as_bytes()));
    let expected = vec![
        ("E1010", 2, 2),
        ("E1010", 2, 3),
        ("E1015", 2, 4),
        ("E1019", 5, 1),
        ("E1006", 6, 0),
    ];
    assert_eq!(places(&problems), expected);
    assert!(problems[3].message.contains("line 2"), "{}", problems[3]);

    let text =
        format!("{O},service_level\nA1,X,0,0,0,\nA1,Y,1,1,0,express\nB1,X,1,0,0,\nA1,Z,1,0,0,\n");
    let problems = errors(orders(text.as_bytes()));
    let expected = vec![
        ("E1011", 2, 3),
        ("E1022", 3, 4),
        ("E1022", 3, 6),
        ("E1023", 5, 1),
    ];
    assert_eq!(places(&problems), expected);
}

/// An order met again names the first line of its last run, also when its first run had a bad
/// order-level cell (an order without a head, kept aside from the orders read).
#[test]
fn an_order_met_again_names_where_its_last_run_started() {
    let text =
        format!("{O}\nA1,X,1,999,0\nB1,X,1,0,0\nA1,Y,1,0,0\nC1,X,1,0,0\nA1,Z,1,0,0\nB1,Z,1,0,0\n");
    let problems = errors(orders(text.as_bytes()));
    let expected = vec![
        ("E1010", 2, 4),
        ("E1023", 4, 1),
        ("E1023", 6, 1),
        ("E1023", 7, 1),
    ];
    assert_eq!(places(&problems), expected);
    let starts: Vec<bool> = ["line 2)", "line 4)", "line 3)"]
        .iter()
        .zip(&problems[1..])
        .map(|(start, p)| p.message.ends_with(start))
        .collect();
    assert_eq!(starts, [true; 3], "{problems:?}");
}

#[test]
fn problems_are_capped_and_the_rest_counted() {
    let mut text = String::from("node_id,sku,qty\n");
    for i in 0..1500 {
        writeln!(text, "W1,SKU{i},-1").unwrap();
    }
    let problems = errors(stock(text.as_bytes()));
    assert_eq!(problems.len(), MAX_PROBLEMS + 1);
    assert_eq!(
        places(&problems[MAX_PROBLEMS - 1..]),
        vec![("E1011", 1001, 3), ("E1025", 0, 0)]
    );
}

#[test]
fn line_numbers_count_crlf_cr_blank_lines_and_quoted_newlines() {
    let text = "node_id,lat,lon\r\n\r\nW1,1,2\r\n\"W\r\n2\",91,2\r\nW3,1,x\r\n";
    assert_eq!(
        places(&errors(nodes(text.as_bytes()))),
        vec![("E1010", 4, 2), ("E1008", 6, 3)]
    );
    let text = "node_id,lat,lon\rW1,1,2\r\rW2,91,2\r";
    assert_eq!(
        places(&errors(nodes(text.as_bytes()))),
        vec![("E1010", 4, 2)]
    );
    let text = "node_id,lat,lon\n\nW1,1,2\n\n\nW2,1,2,3\n";
    assert_eq!(
        places(&errors(nodes(text.as_bytes()))),
        vec![("E1006", 6, 0)]
    );
}

#[test]
fn a_header_of_200_000_columns_is_read_in_linear_time() {
    // Finding repeated names by scanning the columns before each one took 5.7 s for 100,000
    // columns in release (quadratic); this size took minutes in a debug build.
    const N: usize = 200_000;
    let mut header = String::from("node_id,sku,qty");
    for i in 0..N {
        write!(header, ",x{i}").unwrap();
    }
    header.push_str(",x7");
    let row = format!("W1,A,1{}", ",".repeat(N + 1));
    let start = std::time::Instant::now();
    let problems = errors(stock(format!("{header}\n{row}\n").as_bytes()));
    let took = start.elapsed();
    assert_eq!(places(&problems), vec![("E1005", 1, N as u64 + 4)]);
    assert!(took.as_secs_f64() < 20.0, "took {took:?}");
}

#[test]
fn each_line_of_an_order_has_its_own_order_level_problems() {
    // A later line that repeats the order-level cells of the line its order's fields were read
    // from is not read again; any other is read, its problems at its own line and column.
    let text = format!(
        "{O},created_at,priority\n\
         A1,X,1,0,0,2026-03-31T09:30:00Z,1\n\
         A1,Y,1,0,0,2026-03-31T09:30:00Z,1\n\
         A1,Z,1,0,0,2026-03-31T25:30:00Z,1\n\
         A1,W,1,0,0, 2026-03-31T09:30:00Z ,2\n\
         B1,X,1,0,0,yesterday,1\n\
         B1,Y,1,0,0,yesterday,1\n\
         B1,Z,1,0,0,2026-03-31T09:30:00Z,1\n\
         B1,V,1,0,0,2026-03-31T09:30:00Z,x\n"
    );
    assert_eq!(
        places(&errors(orders(text.as_bytes()))),
        vec![
            ("E1014", 4, 6),
            ("E1022", 5, 7),
            ("E1014", 6, 6),
            ("E1014", 7, 6),
            ("E1008", 9, 7),
        ]
    );
}
