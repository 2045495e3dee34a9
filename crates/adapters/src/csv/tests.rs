//! Tests of the three CSV readers: good files, warnings, BOM, CRLF; problem codes in
//! `tests/problems.rs`.

use super::*;
use jiff::civil::{Date, Time, Weekday};
use omniroute_core::{Network, NodeKind, Order, ServiceLevel, ServiceLevels, Skus};

mod order_nodes;
mod problems;
mod table;

fn levels() -> ServiceLevels {
    let mut levels = ServiceLevels::default();
    levels.define("express");
    levels
}

fn nodes(text: &[u8]) -> Result<Loaded<Network>, InputError> {
    read_nodes(text, "nodes.csv", &levels())
}

fn network() -> Network {
    nodes(b"node_id,lat,lon,kind\nW1,28.6,77.2,warehouse\nS1,19.1,72.9,store\n")
        .unwrap()
        .value
}

fn stock(text: &[u8]) -> Result<Loaded<Vec<StockRecord>>, InputError> {
    read_stock(text, "stock.csv", &network(), &mut Skus::default())
}

fn orders(text: &[u8]) -> Result<Loaded<Vec<Order>>, InputError> {
    read_orders(text, "orders.csv", &mut Skus::default(), &levels())
}

/// (code, line, column) of every problem.
fn places(problems: &[Problem]) -> Vec<(&'static str, u64, u64)> {
    problems
        .iter()
        .map(|p| (p.code, p.line, p.column))
        .collect()
}

fn errors<T: std::fmt::Debug>(result: Result<Loaded<T>, InputError>) -> Vec<Problem> {
    result.expect_err("the input should be rejected").problems()
}

/// The required columns of `orders.csv`.
const O: &str = "order_id,sku,qty,dest_lat,dest_lon";

const GOOD_NODES: &str = "\
node_id,lat,lon,kind,capacity_units,capacity_shipments,max_km_same_day,max_km_express,timezone,cutoff_local,handling_days,fixed_cents,per_km_cents,per_unit_cents,margin_bps,acceptance_rate,priority,active,tags,closed_weekdays,holidays
 W1 , 28.6139 , 77.2090 ,warehouse,5000,400,30,12.5,Asia/Kolkata,14:30,1,450,0.75,20,,,1,true, north ; big ,sun,2025-01-26;2025-08-15
S1,19.0760,72.8777,,,,,,,,,,,,,,,,,,
D1,12.97,77.59,Dealer,,,,,,,,,,,800,0.9,-2,no,,sat;Sunday,
D2,13.0,77.6,dealer,,,,,,,,,,,,,,0,,,
";

#[test]
fn good_nodes_file_parses_with_values_and_defaults() {
    let loaded = nodes(GOOD_NODES.as_bytes()).unwrap();
    assert_eq!(loaded.warnings, vec![]);
    let net = loaded.value;
    assert_eq!(net.len(), 4);
    let w1 = net.node(net.find("W1").unwrap());
    assert_eq!(
        (w1.kind, w1.location.lat_deg(), w1.location.lon_deg()),
        (NodeKind::Warehouse, 28.6139, 77.2090)
    );
    assert_eq!(
        (w1.capacity_units, w1.capacity_shipments),
        (Some(5000), Some(400))
    );
    let express = levels().get("express").unwrap();
    assert_eq!(
        w1.reach_km,
        vec![(ServiceLevel::SAME_DAY, 30.0), (express, 12.5)]
    );
    assert_eq!(
        w1.timezone,
        jiff::tz::TimeZone::get("Asia/Kolkata").unwrap()
    );
    assert_eq!(w1.cutoff_local, Some(Time::new(14, 30, 0, 0).unwrap()));
    assert_eq!(w1.handling_days, Some(1));
    assert_eq!(
        (
            w1.costs.fixed_cents,
            w1.costs.per_km_cents,
            w1.costs.per_unit_cents
        ),
        (Some(450), Some(0.75), Some(20))
    );
    assert_eq!(
        (w1.priority, w1.active, w1.dealer.is_none()),
        (1, true, true)
    );
    assert_eq!(w1.tags, vec!["north", "big"]);
    assert!(
        !w1.calendar.is_open(Date::new(2025, 3, 30).unwrap()),
        "a sunday"
    );
    assert!(
        !w1.calendar.is_open(Date::new(2025, 8, 15).unwrap()),
        "a holiday"
    );
    assert!(w1.calendar.is_open(Date::new(2025, 3, 31).unwrap()));

    let s1 = net.node(net.find("S1").unwrap());
    let mut expected = omniroute_core::Node::new("S1", NodeKind::Store, s1.location);
    expected.active = true;
    assert_eq!(s1, &expected, "empty cells take the defaults of Node::new");

    let d1 = net.node(net.find("D1").unwrap());
    let terms = d1.dealer.as_ref().unwrap();
    assert_eq!((terms.margin_bps, terms.acceptance_rate), (800, Some(0.9)));
    assert_eq!((d1.priority, d1.active), (-2, false));
    assert_eq!(
        d1.calendar.closed_weekdays,
        (1 << Weekday::Saturday.to_monday_zero_offset()) | (1 << 6)
    );
    let d2 = net.node(net.find("D2").unwrap());
    assert_eq!(
        d2.dealer
            .as_ref()
            .map(|t| (t.margin_bps, t.acceptance_rate)),
        Some((0, None))
    );
    assert!(!d2.active);
}

#[test]
fn good_stock_file_parses_with_values_and_defaults() {
    let net = network();
    let mut skus = Skus::default();
    let known = skus.intern("CAP");
    let text =
        "sku,node_id,on_hand,reserved,safety_stock\nTEE-M,W1,12,2,1\n CAP ,S1,0,,\nTEE-M,S1,3,,4\n";
    let loaded = read_stock(text.as_bytes(), "stock.csv", &net, &mut skus).unwrap();
    let tee = skus.get("TEE-M").unwrap();
    let (w1, s1) = (net.find("W1").unwrap(), net.find("S1").unwrap());
    let record = |node, sku, on_hand, reserved, safety_stock| StockRecord {
        node,
        sku,
        on_hand,
        reserved,
        safety_stock,
        incoming: omniroute_core::Incoming::default(),
    };
    assert_eq!(
        loaded.value,
        vec![
            record(w1, tee, 12, 2, 1),
            record(s1, known, 0, 0, 0),
            record(s1, tee, 3, 0, 4)
        ]
    );
    assert_eq!((skus.len(), loaded.warnings.len()), (2, 0));
}

#[test]
fn good_orders_file_parses_with_values_and_defaults() {
    let text = "\
order_id,line_no,sku,qty,dest_lat,dest_lon,service_level,created_at,promised_by,unit_price_cents,priority,channel,allow_split,max_shipments,ship_complete,tags
A1,,TEE-M,2,28.6,77.2,express,2025-03-31T09:30:00+05:30,2025-04-02,1999,3,web,false,2,yes,gift;vip
A1,,CAP,1,28.6,77.2,express,2025-03-31T04:00:00Z,2025-04-02,,3,web,false,2,yes,gift; vip
B7,10,CAP,5,19.1,72.9,,,,,,,,,,
B7,20,TEE-M,1,19.1,72.9,,,,,,,,,,
";
    let mut skus = Skus::default();
    let loaded = read_orders(text.as_bytes(), "orders.csv", &mut skus, &levels()).unwrap();
    let [a1, b7] = loaded.value.as_slice() else {
        panic!("two orders expected")
    };
    let (tee, cap) = (skus.get("TEE-M").unwrap(), skus.get("CAP").unwrap());
    assert_eq!(a1.id, "A1");
    assert_eq!(
        a1.lines
            .iter()
            .map(|l| (l.line_no, l.sku, l.qty, l.unit_price_cents))
            .collect::<Vec<_>>(),
        vec![(1, tee, 2, Some(1999)), (2, cap, 1, None)]
    );
    assert_eq!(
        (a1.destination.lat_deg(), a1.destination.lon_deg()),
        (28.6, 77.2)
    );
    assert_eq!(a1.service_level, levels().get("express").unwrap());
    assert_eq!(a1.created_at, Some("2025-03-31T04:00:00Z".parse().unwrap()));
    assert_eq!(a1.promised_by, Some(Date::new(2025, 4, 2).unwrap()));
    assert_eq!(
        (a1.priority, a1.channel.as_deref(), a1.tags.clone()),
        (3, Some("web"), vec!["gift".to_owned(), "vip".to_owned()])
    );
    assert_eq!(
        a1.split,
        omniroute_core::SplitRule {
            allow_split: Some(false),
            max_shipments: Some(2),
            ship_complete: Some(true)
        }
    );

    let mut expected = Order::new("B7", b7.destination, b7.lines.clone());
    expected.service_level = ServiceLevel::STANDARD;
    assert_eq!(b7, &expected, "empty cells take the defaults of Order::new");
    assert_eq!(
        b7.lines.iter().map(|l| l.line_no).collect::<Vec<_>>(),
        vec![10, 20]
    );
}

#[test]
fn a_rejected_file_interns_no_skus() {
    let mut skus = Skus::default();
    let text = "node_id,sku,qty\nW1,NEW-1,1\nW1,NEW-2,x\n";
    assert!(read_stock(text.as_bytes(), "stock.csv", &network(), &mut skus).is_err());
    let text = format!("{O}\nA1,NEW-1,1,0,0\nA1,NEW-2,0,0,0\n");
    assert!(read_orders(text.as_bytes(), "orders.csv", &mut skus, &levels()).is_err());
    assert!(skus.is_empty());
}

#[test]
fn column_order_is_free() {
    let net = nodes(b"lon,kind,node_id,lat\n77.2,dealer,D1,28.6\n")
        .unwrap()
        .value;
    let d1 = net.node(net.find("D1").unwrap());
    assert_eq!(
        (d1.kind, d1.location.lat_deg(), d1.location.lon_deg()),
        (NodeKind::Dealer, 28.6, 77.2)
    );
    let records = stock(b"qty,sku,node_id\n7,X,S1\n").unwrap().value;
    assert_eq!((records[0].node, records[0].on_hand), (net_find("S1"), 7));
    let orders = orders(b"dest_lon,qty,dest_lat,sku,order_id\n77.2,3,28.6,X,A1\n")
        .unwrap()
        .value;
    assert_eq!(
        (
            orders[0].id.as_str(),
            orders[0].lines[0].qty,
            orders[0].destination.lat_deg()
        ),
        ("A1", 3, 28.6)
    );
}

fn net_find(id: &str) -> omniroute_core::NodeIdx {
    network().find(id).unwrap()
}

#[test]
fn unknown_columns_and_dealer_values_on_other_kinds_warn() {
    let text = "node_id,lat,lon,Colour,max_km_xyz,,margin_bps,kind\nS1,1,2,red,5,,100,store\nD1,1,2,,,,100,dealer\n";
    let loaded = nodes(text.as_bytes()).unwrap();
    let expected = vec![
        ("W1001", 1, 5),
        ("W1001", 1, 4),
        ("W1001", 1, 6),
        ("W1002", 2, 7),
    ];
    assert_eq!(places(&loaded.warnings), expected);
    assert!(
        loaded.warnings[0].hint.contains("max_km_express"),
        "{}",
        loaded.warnings[0]
    );
    assert!(
        loaded.warnings[1].message.contains("\"colour\""),
        "{}",
        loaded.warnings[1]
    );
    assert_eq!(
        loaded.value.node(loaded.value.find("S1").unwrap()).dealer,
        None
    );
    let warnings = stock(b"node_id,sku,qty,bin\nW1,X,1,A-3\n")
        .unwrap()
        .warnings;
    assert_eq!(places(&warnings), vec![("W1001", 1, 4)]);
    let warnings = orders(format!("{O},note\nA1,X,1,0,0,hi\n").as_bytes())
        .unwrap()
        .warnings;
    assert_eq!(places(&warnings), vec![("W1001", 1, 6)]);
}

#[test]
fn bom_and_crlf_are_accepted() {
    for prefix in ["", "\u{feff}"] {
        let net =
            nodes(format!("{prefix}node_id,lat,lon\r\nW1,1,2\r\nW2,3,4\r\n").as_bytes()).unwrap();
        assert_eq!(
            (net.value.len(), net.warnings.len()),
            (2, 0),
            "prefix {prefix:?}"
        );
        let w2 = net.value.node(net.value.find("W2").unwrap());
        assert_eq!((w2.id.as_str(), w2.location.lon_deg()), ("W2", 4.0));
        let records =
            stock(format!("{prefix}\"node_id\",sku,qty\r\nW1,X,5\r\n").as_bytes()).unwrap();
        assert_eq!((records.value[0].on_hand, records.warnings.len()), (5, 0));
        let text = format!("{prefix}{O}\r\nA1,X,1,0,0\r\nA1,Y,2,0,0\r\n");
        let loaded = orders(text.as_bytes()).unwrap();
        assert_eq!((loaded.value[0].lines.len(), loaded.warnings.len()), (2, 0));
    }
    let problems = errors(nodes(b"\xEF\xBB\xBFnode_id,lat,lon\r\nW1,91,2\r\n"));
    assert_eq!(places(&problems), vec![("E1010", 2, 2)]);
}

#[test]
fn problems_display_with_place_code_and_hint() {
    let problems = errors(stock(b"node_id,sku,qty\nX9,X,1\n"));
    let shown = problems[0].to_string();
    assert!(
        shown.starts_with("stock.csv:2:1: E1020 node \"X9\" is not in the network (hint: "),
        "{shown}"
    );
}

#[test]
fn every_repeated_stock_position_names_its_first_line_in_line_order() {
    // Rows out of key order (the reader sorts to find repeats), a pair given three times, and
    // a repeat whose other cell is bad too.
    let text = b"node_id,sku,qty\nS1,B,1\nW1,A,1\nS1,B,2\nW1,B,1\nW1,A,-1\nS1,B,3\n";
    let problems = errors(stock(text));
    let found: Vec<_> = problems
        .iter()
        .map(|p| (p.code, p.line, p.column, p.message.clone()))
        .collect();
    assert_eq!(
        found,
        vec![
            ("E1011", 6, 3, "qty -1 is negative".to_owned()),
            (
                "E1021",
                4,
                2,
                "stock of sku \"B\" at node \"S1\" is already given on line 2".to_owned()
            ),
            (
                "E1021",
                6,
                2,
                "stock of sku \"A\" at node \"W1\" is already given on line 3".to_owned()
            ),
            (
                "E1021",
                7,
                2,
                "stock of sku \"B\" at node \"S1\" is already given on line 2".to_owned()
            ),
        ]
    );
}
