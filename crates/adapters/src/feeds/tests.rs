use super::*;
use omniroute_core::{
    Inventory, LatLng, Network, Node, NodeIdx, NodeKind, ReturnRules, Skus, StockOp, StockRow,
};

fn network() -> Network {
    let at = LatLng::new(28.6, 77.2).unwrap();
    Network::new(vec![
        Node::new("ST-01", NodeKind::Store, at),
        Node::new("DL-01", NodeKind::Dealer, at),
    ])
    .unwrap()
}

fn read(text: &str) -> Vec<Result<FeedEvent, Vec<crate::Problem>>> {
    let net = network();
    FeedReader::new(text.as_bytes(), "feed.ndjson", &net).collect()
}

#[test]
fn reads_every_op_with_its_place() {
    let got = read(concat!(
        "{\"op\":\"adjust\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":-2,\"seq\":1,\"at\":\"2026-12-05T09:00:00Z\"}\n",
        "\n",
        "{\"op\":\"set\",\"node_id\":\"ST-01\",\"sku\":\" TEE \",\"qty\":7,\"seq\":2}\r\n",
        "{\"op\":\"reserve\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":1,\"seq\":3}\n",
        "{\"op\":\"release\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":1,\"seq\":4}\n",
        "{\"op\":\"ship\",\"node_id\":\"DL-01\",\"sku\":\"CAP\",\"qty\":3,\"seq\":9}\n",
        "{\"op\":\"return\",\"node_id\":\"DL-01\",\"sku\":\"CAP\",\"qty\":1,\"seq\":10}\n",
        "{\"node_id\":\"DL-01\",\"sku\":\"CAP\",\"change\":-1,\"seq\":11}",
    ));
    let events: Vec<FeedEvent> = got.into_iter().map(Result::unwrap).collect();
    let ops: Vec<(StockOp, u64, u64, &str)> = events
        .iter()
        .map(|e| (e.op, e.seq, e.line, e.sku.as_str()))
        .collect();
    assert_eq!(
        ops,
        [
            (StockOp::Adjust(-2), 1, 1, "TEE"),
            (StockOp::Set(7), 2, 3, "TEE"),
            (StockOp::Reserve(1), 3, 4, "TEE"),
            (StockOp::Release(1), 4, 5, "TEE"),
            (StockOp::Ship(3), 9, 6, "CAP"),
            (StockOp::Return(1), 10, 7, "CAP"),
            (StockOp::Adjust(-1), 11, 8, "CAP"),
        ]
    );
    assert_eq!(events[0].at, Some("2026-12-05T09:00:00Z".parse().unwrap()));
    assert_eq!(events[1].at, None);
    assert_eq!(events[4].node, NodeIdx(1));
}

#[test]
fn a_malformed_line_is_coded_and_the_stream_goes_on() {
    let got = read(concat!(
        "{\"op\":\"adjust\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":1,\"seq\":1}\n",
        "{\"op\":\"adjust\",\"node_id\":\"ST-01\"\n",
        "{\"op\":\"teleport\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":1,\"seq\":2}\n",
        "{\"op\":\"ship\",\"node_id\":\"XX\",\"sku\":\"\",\"qty\":-1,\"seq\":\"3\",\"at\":\"noon\"}\n",
        "{\"op\":\"ship\",\"op\":\"set\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":1,\"seq\":3}\n",
        "[1]\n",
        "\u{ff}\n",
        "{\"op\":\"return\",\"sku\":\"TEE\",\"qty\":1.5,\"seq\":4}\n",
        "{\"op\":\"return\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":2,\"seq\":5}\n",
    ));
    let codes: Vec<Vec<(&str, u64, u64)>> = got
        .iter()
        .map(|r| match r {
            Ok(e) => vec![("ok", e.line, e.seq)],
            Err(ps) => ps.iter().map(|p| (p.code, p.line, p.column)).collect(),
        })
        .collect();
    assert_eq!(
        codes,
        [
            vec![("ok", 1, 1)],
            vec![("E3201", 2, 32)],
            vec![("E3202", 3, 2)],
            vec![
                ("E3204", 4, 14),
                ("E3209", 4, 29),
                ("E3205", 4, 47),
                ("E3208", 4, 57),
                ("E3206", 4, 38)
            ],
            vec![("E3207", 5, 17)],
            vec![("E3205", 6, 1)],
            vec![("E3201", 7, 1)],
            vec![("E3203", 8, 1), ("E3205", 8, 28)],
            vec![("ok", 9, 5)],
        ]
    );
    let Err(ps) = &got[3] else { panic!() };
    assert_eq!(ps[0].message, "node `XX` is not in the network");
}

#[test]
fn a_negative_quantity_is_refused_except_for_an_adjust() {
    let got =
        read("{\"op\":\"ship\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":-1,\"seq\":1}\n");
    let Err(ps) = &got[0] else { panic!() };
    assert_eq!((ps[0].code, ps[0].column), ("E3206", 44));
}

#[test]
fn gaps_duplicates_and_late_events_are_reported_once_each() {
    let net = network();
    let inv = Inventory::new();
    let mut skus = Skus::default();
    let tee = skus.intern("TEE");
    inv.replace_snapshot([StockRow {
        node: NodeIdx(0),
        sku: tee,
        on_hand: 10,
        reserved: 0,
        safety_stock: 0,
    }]);
    let line = |seq, n| {
        format!("{{\"op\":\"adjust\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":{n},\"seq\":{seq}}}\n")
    };
    let text = [
        line(1, 1),
        line(2, 1),
        line(2, 1),
        line(5, 1),
        line(3, 1),
        line(4, 1),
    ]
    .concat();
    let mut report = SeqReport::default();
    let mut problems = Vec::new();
    for event in FeedReader::new(text.as_bytes(), "f", &net) {
        let event = event.unwrap();
        let outcome = inv
            .apply_changes(&[event.change(&mut skus, ReturnRules::default())])
            .unwrap()[0];
        problems.extend(report.note(&event, outcome, "f", &net));
    }
    let seen: Vec<(&str, u64, &str)> = problems
        .iter()
        .map(|p| (p.code, p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("E3210", 4, "node `ST-01`: seq 5 applied, 3..4 missing"),
            ("E3211", 5, "node `ST-01`: seq 3 applied after seq 5"),
            ("E3211", 6, "node `ST-01`: seq 4 applied after seq 5"),
        ]
    );
    assert_eq!(
        report.tally,
        FeedTally {
            applied: 5,
            duplicates: 1,
            gaps: 1,
            out_of_order: 2,
            malformed: 0,
            refused: 0
        }
    );
    assert_eq!(inv.position(NodeIdx(0), tee).on_hand, 15);
    assert_eq!(inv.last_seq(NodeIdx(0)), Some(5));
}

#[test]
fn a_return_is_held_when_the_policy_inspects_returns() {
    let net = network();
    let text = "{\"op\":\"return\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":2,\"seq\":1}\n";
    let event = FeedReader::new(text.as_bytes(), "f", &net)
        .next()
        .unwrap()
        .unwrap();
    let mut skus = Skus::default();
    let at_once = event.change(&mut skus, ReturnRules::default()).op;
    let inspected = event.change(&mut skus, ReturnRules { inspect: true }).op;
    assert_eq!(
        (at_once, inspected),
        (StockOp::Return(2), StockOp::ReturnHeld(2))
    );
}

#[test]
fn sale_fields_are_read_and_bad_ones_coded() {
    use omniroute_core::SalesChannel;
    let got = read(concat!(
        "{\"op\":\"ship\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":2,\"seq\":1,\"order_id\":\" R-9 \",\"unit_price_cents\":1299}\n",
        "{\"op\":\"return\",\"node_id\":\"DL-01\",\"sku\":\"TEE\",\"qty\":1,\"seq\":2,\"sold_via\":\"online\",\"order_id\":\"o1\"}\n",
        "{\"op\":\"return\",\"node_id\":\"DL-01\",\"sku\":\"TEE\",\"qty\":1,\"seq\":3,\"sold_via\":\"web\"}\n",
        "{\"op\":\"ship\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":1,\"seq\":4,\"sold_via\":\"store\",\"unit_price_cents\":-5}\n",
        "{\"op\":\"return\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":1,\"seq\":5,\"order_id\":\"\",\"unit_price_cents\":100}\n",
        "{\"op\":\"adjust\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":1,\"seq\":6,\"order_id\":\"PO-7\"}\n",
    ));
    let ok = |i: usize| got[i].as_ref().unwrap();
    assert_eq!(
        ok(0).sale,
        SaleFields {
            order_id: Some("R-9".into()),
            sold_via: None,
            unit_price_cents: Some(1299),
        }
    );
    assert_eq!(ok(1).sale.sold_via, Some(SalesChannel::Online));
    assert_eq!(ok(1).sale.order_id.as_deref(), Some("o1"));
    let sale = ok(1).sale_event().unwrap();
    assert!(sale.is_return);
    assert_eq!((sale.node, sale.units), (NodeIdx(1), 1));
    // An `order_id` on another op is kept (a till may name its receipt) and makes no sale.
    assert_eq!(ok(5).sale.order_id.as_deref(), Some("PO-7"));
    assert_eq!(ok(5).sale_event(), None);
    let codes = |i: usize| -> Vec<(&str, u64)> {
        got[i]
            .as_ref()
            .unwrap_err()
            .iter()
            .map(|p| (p.code, p.column))
            .collect()
    };
    assert_eq!(codes(2), [("E3270", 62)]);
    assert_eq!(codes(3), [("E3270", 60), ("E3272", 79)]);
    assert_eq!(codes(4), [("E3271", 62), ("E3272", 76)]);
}

#[test]
fn a_whole_feed_reads_into_sales_once_per_sequence_number() {
    let net = network();
    let text = concat!(
        "{\"op\":\"ship\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":2,\"seq\":1}\n",
        "{\"op\":\"ship\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":2,\"seq\":1}\n",
        "{\"op\":\"adjust\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":5,\"seq\":2}\n",
        "{\"op\":\"return\",\"node_id\":\"DL-01\",\"sku\":\"TEE\",\"qty\":1,\"seq\":1,\"sold_via\":\"store\"}\n",
    );
    let sales = read_sale_events(text.as_bytes(), "feed.ndjson", &net).unwrap();
    let got: Vec<(u32, bool, u32)> = sales
        .iter()
        .map(|s| (s.node.0, s.is_return, s.units))
        .collect();
    assert_eq!(got, [(0, false, 2), (1, true, 1)]);
    let bad = "{\"op\":\"ship\",\"node_id\":\"ST-01\",\"sku\":\"TEE\",\"qty\":2,\"seq\":1}\nnope\n{\"op\":\"ship\"}\n";
    let problems = read_sale_events(bad.as_bytes(), "feed.ndjson", &net)
        .unwrap_err()
        .problems();
    let lines: Vec<(&str, u64)> = problems.iter().map(|p| (p.code, p.line)).collect();
    assert_eq!(lines[0], ("E3201", 2));
    // `node_id`, `sku`, `seq` and `qty` missing on line 3.
    assert_eq!(lines[1..], [("E3203", 3); 4]);
}
