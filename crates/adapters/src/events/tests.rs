use super::*;
use omniroute_core::{LatLng, Node, NodeKind, OrderLine};

fn world() -> (Vec<Order>, Network, Skus) {
    let mut skus = Skus::default();
    let tee = skus.intern("TEE");
    let at = LatLng::new(28.6, 77.2).unwrap();
    let network = Network::new(vec![
        Node::new("WH", NodeKind::Warehouse, at),
        Node::new("DL", NodeKind::Dealer, at),
    ])
    .unwrap();
    let line = OrderLine {
        line_no: 1,
        sku: tee,
        qty: 1,
        unit_price_cents: None,
    };
    (vec![Order::new("O1", at, vec![line])], network, skus)
}

fn read(text: &str) -> Result<Vec<Event>, InputError> {
    let (orders, network, skus) = world();
    read_events(text.as_bytes(), "e.ndjson", &orders, &network, &skus)
}

#[test]
fn reads_every_event_type() {
    let events = read(concat!(
        "{\"type\":\"node_down\",\"node_id\":\"WH\"}\n",
        "\n",
        "{\"type\":\"node_up\",\"node_id\":\"WH\",\"at\":\"2026-11-26T10:00:00Z\"}\r\n",
        "{\"type\":\"dealer_rejected\",\"order_id\":\"O1\",\"node_id\":\"DL\"}\n",
        "{\"type\":\"dealer_timed_out\",\"order_id\":\"O1\",\"node_id\":\"DL\"}\n",
        "{\"type\":\"stock_correction\",\"node_id\":\"WH\",\"sku\":\"TEE\",\"routable\":3}\n",
        "{\"type\":\"stock_arrival\",\"node_id\":\"WH\",\"sku\":\"TEE\",\"qty\":10}",
    ))
    .unwrap();
    let (wh, dl, tee) = (NodeIdx(0), NodeIdx(1), SkuId(0));
    assert_eq!(
        events,
        vec![
            Event::NodeDown(wh),
            Event::NodeUp(wh),
            Event::Rejected { order: 0, node: dl },
            Event::TimedOut { order: 0, node: dl },
            Event::StockCorrection {
                node: wh,
                sku: tee,
                routable: 3
            },
            Event::StockArrival {
                node: wh,
                sku: tee,
                qty: 10
            },
        ]
    );
}

#[test]
fn reports_every_problem_with_its_place() {
    let err = read(concat!(
        "{\"type\":\"node_down\",\"node_id\":\"WH\"\n",
        "{\"type\":\"explode\",\"node_id\":\"WH\"}\n",
        "{\"type\":\"node_down\",\"node_id\":\"XX\"}\n",
        "{\"type\":\"stock_arrival\",\"node_id\":\"WH\",\"sku\":\"TEE\",\"qty\":-2}\n",
        "{\"type\":\"stock_arrival\",\"node_id\":\"WH\",\"sku\":\"TEE\",\"qty\":2.5}\n",
        "{\"type\":\"dealer_rejected\",\"node_id\":\"DL\"}\n",
        "[1]\n",
    ))
    .unwrap_err();
    let got: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.code, p.line, p.column))
        .collect();
    assert_eq!(
        got,
        vec![
            ("E3101", 1, 34),
            ("E3102", 2, 2),
            ("E3104", 3, 21),
            ("E3107", 4, 52),
            ("E3108", 5, 52),
            ("E3103", 6, 1),
            ("E3108", 7, 1),
        ]
    );
}

#[test]
fn a_repeated_key_is_an_error_at_the_key() {
    let err = read(concat!(
        "{\"type\":\"node_down\",\"node_id\":\"XX\",\"node_id\":\"WH\"}\n",
        "{\"type\":\"node_up\",\"node_id\":\"WH\",\"extra\":{\"a\":1,\"a\":2}}\n",
    ))
    .unwrap_err();
    let got: Vec<_> = err
        .problems()
        .iter()
        .map(|p| (p.code, p.line, p.column, p.message.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "E3111",
                1,
                44,
                "key `node_id` appears twice in one object".to_owned()
            ),
            (
                "E3111",
                2,
                51,
                "key `a` appears twice in one object".to_owned()
            ),
        ]
    );
}

/// Events given as values read as the same lines of a file do, with the same codes and messages,
/// without columns.
#[test]
fn values_read_as_lines_do() {
    let lines = [
        r#"{"type":"node_down","node_id":"WH"}"#,
        r#"{"type":"explode","node_id":"WH"}"#,
        r#"{"type":"stock_arrival","node_id":"XX","sku":"NOPE","qty":-2}"#,
        r#"{"type":"stock_correction","node_id":"WH","sku":"TEE","routable":"3"}"#,
        r#"{"type":"dealer_rejected","node_id":"DL"}"#,
        r#"{"type":"dealer_timed_out","order_id":"O1","node_id":"DL"}"#,
        "[1]",
    ];
    let (orders, network, skus) = world();
    let values = lines.iter().map(|l| serde_json::from_str(l).unwrap());
    let from_values = read_event_values(values, "<events>", &orders, &network, &skus).unwrap_err();
    let from_text = read(&lines.join("\n")).unwrap_err();
    let places = |e: &InputError| -> Vec<_> {
        e.problems()
            .iter()
            .map(|p| (p.code, p.line, p.column, p.message.clone()))
            .collect()
    };
    let (got, want) = (places(&from_values), places(&from_text));
    assert_eq!(got.len(), 7, "{got:?}");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!((g.0, g.1, g.2), (w.0, w.1, 0), "{g:?} {w:?}");
        if g.0 != "E3108" || g.1 != 7 {
            assert_eq!(g.3, w.3);
        }
    }
    assert_eq!(got[6].3, "event 7 is not an object");
    let fine = lines[..1].iter().chain(&lines[5..6]);
    let values = fine.map(|l| serde_json::from_str(l).unwrap());
    let events = read_event_values(values, "<events>", &orders, &network, &skus).unwrap();
    let dl = NodeIdx(1);
    assert_eq!(
        events,
        [
            Event::NodeDown(NodeIdx(0)),
            Event::TimedOut { order: 0, node: dl }
        ]
    );
}
