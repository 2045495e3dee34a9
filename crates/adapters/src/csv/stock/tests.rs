//! A file read in chunks and parts on several threads gives what one thread reading it whole
//! gives: records, SKU ids, problems and their lines.

use super::stream::read_stream;
use super::{read_whole, NetworkSoon, Threads, PARTS_PER_CORE};
use crate::csv::sheet::Sheet;
use crate::{read_nodes, InputError, Loaded, Problem};
use omniroute_core::{Network, ServiceLevels, Skus};
use proptest::prelude::*;
use std::fmt::Write;

pub(super) fn network() -> Network {
    let nodes = "node_id,lat,lon\nW1,28.6,77.2\nS1,19.1,72.9\nD1,12.9,77.6\n";
    read_nodes(nodes.as_bytes(), "nodes.csv", &ServiceLevels::default())
        .unwrap()
        .value
}

/// The records and warnings, or the problems; with the SKU table's names in id order.
pub(super) type Outcome = (
    Result<(Vec<super::StockRecord>, Vec<Problem>), Vec<Problem>>,
    Vec<String>,
);

/// A read's [`Outcome`], with `skus` as it left them.
pub(super) fn outcome(out: Result<Loaded<super::Stock>, InputError>, skus: &Skus) -> Outcome {
    let out = out
        .map(|Loaded { value, warnings }| (value.records().collect(), warnings))
        .map_err(|e| e.problems());
    let names = (0..skus.len() as u32)
        .map(|i| skus.name(omniroute_core::SkuId(i)).to_owned())
        .collect();
    (out, names)
}

/// Reads `data` in chunks of `chunk` bytes and parts on `count` threads, or (`count` 0) whole
/// on this thread: [`PARTS_PER_CORE`] parts a thread when `chunk` is odd, else one (a thread
/// claims the next part when it is done with one, so either cut reads the same).
fn read_with(data: &[u8], count: usize, chunk: usize) -> Outcome {
    let mut skus = Skus::default();
    skus.intern("KNOWN");
    let net = network();
    let out = if count == 0 {
        let sheet = Sheet::over(data, "stock.csv").expect("a header");
        read_whole(sheet, Some(&net), &mut skus)
    } else {
        let threads = Threads {
            count,
            parts: if chunk % 2 == 1 {
                PARTS_PER_CORE * count
            } else {
                count
            },
            min_bytes: 1,
            chunk_bytes: chunk,
            file_bytes: Some(data.len() as u64),
        };
        read_stream(
            data,
            "stock.csv",
            &NetworkSoon::Known(Some(&net)),
            &mut skus,
            threads,
        )
    };
    outcome(out, &skus)
}

fn row() -> impl Strategy<Value = String> {
    let node = prop::sample::select(vec!["W1", "S1", "D1", "X9", ""]);
    let sku = prop::sample::select(vec!["A", "B", "C", "D", "KNOWN", "E", ""]);
    let qty = prop::sample::select(vec!["1", "7", "0", "-1", "x", ""]);
    prop_oneof![
        40 => (node, sku, qty).prop_map(|(n, s, q)| format!("{n},{s},{q}")),
        2 => Just(String::new()),
        2 => Just("W1,A".to_owned()),
        1 => Just("S1,\"B\",3".to_owned()),
        1 => Just("D1,E,4,2026-03-09".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn chunks_and_parts_read_as_one(
        rows in prop::collection::vec(row(), 1..40),
        crlf in any::<bool>(),
        incoming in any::<bool>(),
        count in 1usize..6,
        chunk in 1usize..64,
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = if incoming {
            format!("node_id,sku,qty,incoming_date{end}")
        } else {
            format!("node_id,sku,qty{end}")
        };
        for r in &rows {
            text.push_str(r);
            if incoming && r.matches(',').count() == 2 {
                text.push_str(",2026-03-09");
            }
            text.push_str(end);
        }
        let one = read_with(text.as_bytes(), 0, 0);
        let streamed = read_with(text.as_bytes(), count, chunk);
        prop_assert_eq!(streamed, one);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Every row kept (the scan for repeated pairs runs chunk by chunk as the rows are
    /// appended), grouped by node or not, blank lines or not: the same repeats, at the same
    /// lines, as one thread reading the file whole.
    #[test]
    fn clean_chunks_find_the_repeats_of_one_read(
        rows in prop::collection::vec((0usize..3, 0usize..6, 0usize..8), 1..60),
        grouped in any::<bool>(),
        count in 1usize..4,
        chunk in 1usize..96,
    ) {
        let mut rows = rows;
        if grouped {
            rows.sort_by_key(|r| r.0);
        }
        let mut text = "node_id,sku,qty\n".to_owned();
        for &(node, sku, blank) in &rows {
            writeln!(text, "{},S{sku},1", ["W1", "S1", "D1"][node]).unwrap();
            if blank == 0 {
                text.push('\n');
            }
        }
        let one = read_with(text.as_bytes(), 0, 0);
        let streamed = read_with(text.as_bytes(), count, chunk);
        prop_assert_eq!(streamed, one);
    }
}

/// Thousands of rows (many batches of SKU lookups), names of every length (some sharing
/// their first 15 bytes, some new in each chunk), a bad row among them: every row names its
/// own SKU, and the SKUs get ids in the order the rows first name them, as a map would give.
#[test]
fn batched_sku_lookups_give_first_seen_ids() {
    let nodes = ["W1", "S1", "D1"];
    let name = |k: usize| match k % 4 {
        0 => format!("S{k}"),
        1 => format!("SKU-{k:06}"),
        2 => format!("LONG-SKU-NAME-{k:08}"),
        _ => format!("LONG-SKU-NAME-0{k:012}-{}", "x".repeat(k % 7)),
    };
    // 1,000 SKUs each at the three nodes, shuffled: distinct (node, SKU) pairs since i < 3,000
    // and 919 is prime to 1,000.
    let rows: Vec<(usize, String)> = (0..3_000).map(|i| (i % 3, name(i * 919 % 1_000))).collect();
    let mut text = "node_id,sku,qty\n".to_owned();
    for (n, sku) in &rows {
        writeln!(text, "{},{sku},1", nodes[*n]).unwrap();
    }
    let mut want = vec!["KNOWN".to_owned()];
    for (_, sku) in &rows {
        if !want.contains(sku) {
            want.push(sku.clone());
        }
    }
    let one = read_with(text.as_bytes(), 0, 0);
    for (count, chunk) in [(1, 100_000), (2, 4_096), (3, 700)] {
        assert_eq!(
            read_with(text.as_bytes(), count, chunk),
            one,
            "{count} {chunk}"
        );
    }
    let (records, _) = one.0.expect("accepted");
    assert_eq!(one.1, want);
    for (r, (n, sku)) in records.iter().zip(&rows) {
        assert_eq!((r.node.0 as usize, &one.1[r.sku.0 as usize]), (*n, sku));
    }
    // Bad rows (every 300th), and the pair of the first one given again at the end: the
    // repeat names the bad row's SKU and line, read whole or in parts.
    let mut bad = "node_id,sku,qty\n".to_owned();
    for (i, (n, sku)) in rows.iter().enumerate() {
        let qty = if i % 300 == 299 { "x" } else { "1" };
        writeln!(bad, "{},{sku},{qty}", nodes[*n]).unwrap();
    }
    let (n, sku) = &rows[299];
    writeln!(bad, "{},{sku},2", nodes[*n]).unwrap();
    let one = read_with(bad.as_bytes(), 0, 0);
    assert_eq!(read_with(bad.as_bytes(), 2, 4_096), one);
    let problems = one.0.expect_err("rejected");
    assert_eq!(problems.len(), 11);
    let repeat = &problems[10];
    assert_eq!((repeat.code, repeat.line), ("E1021", 3_002));
    assert!(
        repeat.message.contains(&format!("{sku:?}")),
        "{}",
        repeat.message
    );
    assert!(repeat.message.ends_with("line 301"), "{}", repeat.message);
}

#[test]
fn a_bom_and_a_long_header_read_as_in_one_go() {
    let text = "\u{feff}node_id,sku,qty\r\nW1,A,1\r\n\r\nS1,B,x\r\nW1,A,2\r\n";
    let one = read_with(text.as_bytes(), 0, 0);
    for chunk in [1, 3, 16, 100] {
        assert_eq!(read_with(text.as_bytes(), 2, chunk), one, "chunk {chunk}");
    }
    let problems = one.0.expect_err("rejected");
    let found: Vec<(&str, u64)> = problems.iter().map(|p| (p.code, p.line)).collect();
    assert_eq!(found, [("E1008", 4), ("E1021", 5)]);
}

#[test]
fn a_split_file_really_is_read_in_parts() {
    let text = "node_id,sku,qty\nW1,A,1\nS1,B,2\nW1,B,3\nD1,C,4\n";
    let sheet = Sheet::over(text.as_bytes(), "stock.csv").unwrap();
    // 28 bytes of rows: four parts of at least 1 byte (fewer where two ends fall in one row),
    // two of at least 14, none (one thread) at 15.
    assert!((3..=4).contains(&sheet.split(4, 1).len()));
    assert_eq!(sheet.split(4, 14).len(), 2);
    assert!(sheet.split(4, 15).is_empty());
}

/// A file whose errors reach the cap of problems, read in chunks and parts (the chunk after the
/// one reaching it already read, or not), stops where one thread stops, and says so (`E1025`)
/// only when rows are left unread.
#[test]
fn chunks_stop_at_the_cap_as_one_thread_does() {
    use crate::csv::MAX_PROBLEMS;
    for (clean_after, blank_after) in [(0, 0), (0, 3), (1, 0), (1, 200), (5, 0), (300, 0)] {
        let mut text = String::from("node_id,sku,qty\n");
        text.extend((0..MAX_PROBLEMS).map(|i| format!("X9,S{i},1\n")));
        text.extend((0..blank_after).map(|_| "\n"));
        text.extend((0..clean_after).map(|i| format!("W1,T{i},1\n")));
        let one = read_with(text.as_bytes(), 0, 0);
        for (count, chunk) in [(1, 64), (2, 100), (2, 999), (3, 4096), (2, 1 << 20)] {
            let streamed = read_with(text.as_bytes(), count, chunk);
            assert_eq!(streamed, one, "{clean_after} {count} {chunk}");
        }
        let problems = one.0.expect_err("rejected");
        let too_many = problems.iter().any(|p| p.code == "E1025");
        assert_eq!(too_many, clean_after > 0, "{clean_after}");
    }
}

/// The lines of chunks and parts ending in every way (LF, CRLF, a lone CR, blank lines, a last
/// line without its end) are counted as one thread counts them: a repeated pair names the
/// lines of both its rows.
#[test]
fn lines_are_counted_across_chunks_however_they_end() {
    for end in ["\n", "\r\n", "\r"] {
        for last in ["", end] {
            let mut text = format!("node_id,sku,qty{end}");
            for i in 0..60 {
                write!(text, "W1,S{},1{end}", i % 50).unwrap();
                if i % 7 == 0 {
                    text.push_str(end);
                }
            }
            text.push_str("W1,S0,1");
            text.push_str(last);
            let one = read_with(text.as_bytes(), 0, 0);
            assert!(one.0.is_err(), "repeats are errors");
            for (count, chunk) in [(1, 10), (2, 37), (3, 64), (2, 300)] {
                let streamed = read_with(text.as_bytes(), count, chunk);
                assert_eq!(streamed, one, "{end:?} {last:?} {count} {chunk}");
            }
        }
    }
}

#[test]
fn incoming_columns_are_read_both_or_neither() {
    let text = "node_id,sku,qty,incoming_qty,incoming_date\n\
                W1,A,1,5,2026-03-09\n\
                S1,A,2,,\n";
    let (out, _) = read_with(text.as_bytes(), 1, 8);
    let (records, _) = out.expect("accepted");
    let incoming = omniroute_core::Incoming {
        qty: 5,
        expected: Some(jiff::civil::date(2026, 3, 9)),
    };
    assert_eq!(records[0].incoming, incoming);
    assert_eq!(records[1].incoming, omniroute_core::Incoming::default());
}

#[test]
fn bad_incoming_cells_give_their_codes_at_line_and_column() {
    let text = "node_id,sku,incoming_date,qty,incoming_qty\n\
                W1,A,2026-03-09,1,-2\n\
                W1,B,9 March,1,3\n\
                W1,C,,1,3\n\
                W1,D,2026-03-09,1,\n\
                W1,E,2026-02-30,1,x\n";
    let (out, _) = read_with(text.as_bytes(), 2, 20);
    let found: Vec<(&str, u64, u64)> = out
        .as_ref()
        .expect_err("rejected")
        .iter()
        .map(|p| (p.code, p.line, p.column))
        .collect();
    assert_eq!(
        found,
        [
            ("E3250", 2, 5),
            ("E3251", 3, 3),
            ("E3252", 4, 3),
            ("E3252", 5, 5),
            ("E3250", 6, 5),
            ("E3251", 6, 3),
        ]
    );
    // Without an incoming_qty column, a date alone points at itself.
    let (out, _) = read_with(
        b"node_id,sku,qty,incoming_date\nW1,A,1,2026-03-09\n",
        1,
        4096,
    );
    let p = &out.expect_err("rejected")[0];
    assert_eq!((p.code, p.line, p.column), ("E3252", 2, 4));
}

/// Any cell of a stock.csv row: the fast path takes the plain ones, and must leave every other
/// to the row checks.
fn any_cell() -> impl Strategy<Value = Vec<u8>> {
    let cells: Vec<&[u8]> = vec![
        b"W1",
        b"S1",
        b"D1",
        b"X9",
        b" W1",
        b"W1 ",
        b"W 1",
        b"",
        b" ",
        b"\t",
        b"W\xc3\xa9",
        b"\xff",
        b"A",
        b"KNOWN",
        b"B C",
        b"1",
        b"0",
        b"0042",
        b"999999999",
        b"1000000000",
        b"4294967295",
        b"4294967296",
        b"99999999999999999999",
        b"-1",
        b"-0",
        b"+3",
        b" 3",
        b"3 ",
        b"x",
        b"1.5",
        b"\xd9\xa3",
        b"2026-03-09",
    ];
    prop::sample::select(cells).prop_map(<[u8]>::to_vec)
}

/// A plain row (the fast path's), a row of any cells, a short or long row, or a blank line.
fn fast_row(columns: usize) -> impl Strategy<Value = Vec<u8>> {
    let plain = prop::sample::select(vec![&b"W1,A,1"[..], b"S1,B,22", b"D1,KNOWN,0", b"W1,C,7"]);
    prop_oneof![
        6 => plain.prop_map(<[u8]>::to_vec),
        6 => prop::collection::vec(any_cell(), columns).prop_map(|c| c.join(&b","[..])),
        1 => prop::collection::vec(any_cell(), 0..columns + 2).prop_map(|c| c.join(&b","[..])),
        1 => Just(Vec::new()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Rows read by the fast path where it can, in chunks and parts, give what reading every
    /// row through the row checks gives: records, SKU ids, problems, lines and columns.
    #[test]
    fn the_fast_path_reads_as_the_row_checks(
        (header, rows) in prop::sample::select(vec![
            "node_id,sku,qty",
            "sku,qty,node_id",
            "node_id,sku,qty,reserved,safety_stock",
            "qty,safety_stock,node,node_id,sku,reserved",
            "node_id,sku,on_hand,incoming_qty,incoming_date",
            "node_id,sku,qty,reserved,incoming_date,safety_stock,incoming_qty",
            "node_id,sku",
        ])
        .prop_flat_map(|h| {
            let columns = h.split(',').count();
            (Just(h), prop::collection::vec(fast_row(columns), 1..30))
        }),
        crlf in any::<bool>(),
        last_end in any::<bool>(),
        count in 1usize..4,
        chunk in 1usize..96,
    ) {
        // The plain rows hold three cells: pad them to the header with plain cells.
        let columns = header.split(',').count();
        let end: &[u8] = if crlf { b"\r\n" } else { b"\n" };
        let mut data = header.as_bytes().to_vec();
        for row in &rows {
            data.extend_from_slice(end);
            data.extend_from_slice(row);
            let fields = row.split(|&b| b == b',').count();
            if !row.is_empty() && fields == 3 && columns > 3 {
                data.extend(std::iter::repeat_n(&b",0"[..], columns - 3).flatten());
            }
        }
        if last_end {
            data.extend_from_slice(end);
        }
        super::fast::OFF.with(|off| off.set(true));
        let slow = read_with(&data, 0, 0);
        super::fast::OFF.with(|off| off.set(false));
        prop_assert_eq!(read_with(&data, 0, 0), slow.clone());
        prop_assert_eq!(read_with(&data, count, chunk), slow);
    }
}

#[test]
fn fast_and_checked_rows_mix_in_one_file() {
    use crate::csv::stock::rows::{read_rows, Cols, Rows};
    let data = b"node_id,sku,qty,reserved\nW1,A,1,\nS1,B,2,3\nX9,C,1,0\n W1,D,1,0\nW1,E,-1,0\n";
    let mut sheet = Sheet::over(data, "stock.csv").unwrap();
    let cols = Cols::claim(&mut sheet);
    let (net, skus) = (network(), Skus::default());
    let mut out = Rows::new(&skus);
    let under = crate::csv::SkuStage::new(&skus);
    read_rows(&mut sheet, &cols, Some(&net), (&skus, &under), &mut out).unwrap();
    // The padded id is read by the row checks, trimmed; an unknown node and a sign are reported.
    assert_eq!(out.kept.len(), 3);
    assert_eq!((out.kept[0].on_hand, out.kept[0].reserved), (1, 0));
    assert_eq!((out.kept[1].on_hand, out.kept[1].reserved), (2, 3));
    assert_eq!(out.kept[2].node, out.kept[0].node);
    let problems: Vec<(&str, u64, u64)> = match sheet.finish() {
        Err(e) => e
            .problems()
            .iter()
            .map(|p| (p.code, p.line, p.column))
            .collect(),
        Ok(_) => Vec::new(),
    };
    assert_eq!(problems, [("E1020", 4, 1), ("E1011", 6, 3)]);
}
