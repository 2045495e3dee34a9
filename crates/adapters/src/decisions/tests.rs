//! decisions.csv written and read back.

use crate::{read_decisions, read_decisions_file, write_decisions, DecisionsFile};
use omniroute_core::{
    check, LatLng, Network, Node, NodeIdx, NodeKind, Order, OrderLine, Plan, Policy,
    PolicyVersions, Router, Skus, StockTable,
};

struct World {
    orders: Vec<Order>,
    network: Network,
    skus: Skus,
    policy: PolicyVersions,
    stock: StockTable,
}

fn world() -> World {
    let mut skus = Skus::default();
    let (tee, mug, glove) = (skus.intern("TEE"), skus.intern("MUG"), skus.intern("GLOVE"));
    let p = |lat, lon| LatLng::new(lat, lon).unwrap();
    let network = Network::new(vec![
        Node::new("WH", NodeKind::Warehouse, p(28.61, 77.21)),
        Node::new("ST", NodeKind::Store, p(28.46, 77.03)),
    ])
    .unwrap();
    let line = |line_no, sku, qty| OrderLine {
        line_no,
        sku,
        qty,
        unit_price_cents: Some(49_900),
    };
    let mut orders = vec![
        Order::new("O1", p(28.5, 77.1), vec![line(1, tee, 2), line(2, mug, 1)]),
        Order::new("O2", p(28.6, 77.2), vec![line(1, glove, 1)]),
    ];
    for o in &mut orders {
        o.created_at = Some("2026-11-26T04:00:00Z".parse().unwrap());
    }
    let stock = StockTable::from_positions([(NodeIdx(0), tee, 5), (NodeIdx(1), mug, 1)]);
    World {
        orders,
        network,
        skus,
        policy: PolicyVersions::default(),
        stock,
    }
}

fn now() -> jiff::Timestamp {
    "2026-11-26T06:00:00Z".parse().unwrap()
}

/// Reads a decisions file written for `w` back.
fn read_back(w: &World, text: &str) -> DecisionsFile {
    read_decisions_file(
        &crate::Source::text("d.csv", text).into(),
        &w.orders,
        &w.network,
        &w.skus,
        &w.policy,
        now(),
    )
    .unwrap()
}

fn routed(w: &World) -> (Plan, String) {
    let plan = Router::versioned(w.network.clone(), &w.policy).route_sequential(
        &w.orders,
        &w.stock,
        now(),
    );
    let mut out = Vec::new();
    write_decisions(&mut out, &w.orders, &plan, &w.network, &w.skus).unwrap();
    (plan, String::from_utf8(out).unwrap())
}

fn read(w: &World, text: &str) -> Result<Plan, crate::InputError> {
    read_decisions(
        text.as_bytes(),
        "d.csv",
        &w.orders,
        &w.network,
        &w.skus,
        &w.policy,
        now(),
    )
}

#[test]
fn a_written_plan_reads_back_with_the_same_costs_and_passes_the_checker() {
    let w = world();
    let (plan, text) = routed(&w);
    let back = read(&w, &text).unwrap();
    assert_eq!(back.totals, plan.totals);
    for (a, b) in plan.decisions.iter().zip(&back.decisions) {
        assert_eq!(a.shipments, b.shipments);
        assert_eq!(a.unfilled, b.unfilled);
        assert_eq!(a.cost, b.cost);
    }
    let v = check(&back, &w.orders, &w.network, &w.policy, &w.stock, now());
    assert!(v.is_empty(), "{v:?}");
}

/// Each order is re-priced under its own policy version: O2 (created after the second version
/// takes effect) pays that version's fixed cost.
#[test]
fn each_order_is_repriced_under_its_policy_version() {
    let mut w = world();
    w.orders[1].created_at = Some("2026-11-26T05:00:00Z".parse().unwrap());
    let mut dearer = Policy {
        effective_from: Some("2026-11-26T04:30:00Z".parse().unwrap()),
        ..Policy::default()
    };
    dearer.kinds[NodeKind::Warehouse.index()].fixed_cents = 900;
    w.policy = PolicyVersions::new(vec![Policy::default(), dearer]).unwrap();
    w.stock.add(NodeIdx(0), w.skus.get("GLOVE").unwrap(), 1);
    let (plan, text) = routed(&w);
    assert_eq!(plan.decisions[1].shipments[0].cost.fixed_cents, 900);
    assert_eq!(plan.decisions[0].shipments[0].cost.fixed_cents, 500);
    let file = read_back(&w, &text);
    assert!(file.disagreements.is_empty(), "{:?}", file.disagreements);
    assert_eq!(file.plan.totals, plan.totals);
    assert!(check(
        &file.plan,
        &w.orders,
        &w.network,
        &w.policy,
        &w.stock,
        now()
    )
    .is_empty());
}

#[test]
fn a_wrong_cost_is_a_disagreement_not_an_error() {
    let w = world();
    let (plan, text) = routed(&w);
    let first = plan.decisions[0].shipments[0].cost.total_cents();
    let text = text.replacen(&format!(",{first},"), ",1,", 1);
    let file = read_back(&w, &text);
    assert_eq!(file.plan.totals, plan.totals);
    assert_eq!(file.disagreements.len(), 1);
    assert_eq!(file.disagreements[0].order, 0);
    assert_eq!(
        file.disagreements[0].message,
        format!("shipment 1: file says 1 cents, expected {first}")
    );
}

#[test]
fn every_problem_has_its_code_and_place() {
    let w = world();
    let head =
        "order_id,line_no,sku,qty,node_id,shipment,distance_km,promised_date,cost_cents,reason\n";
    let rows = "\
O9,1,TEE,2,WH,1,12.000,2026-11-27,510,
O1,7,TEE,2,WH,1,12.000,2026-11-27,510,
O1,1,MUG,2,WH,1,12.000,2026-11-27,510,
O1,x,TEE,2,WH,1,12.000,2026-11-27,510,
O1,1,TEE,2,XX,one,12.000,2026-11-27,510,
O1,1,TEE,2,WH,1,12.000,2026-11-27,510,
O2,1,GLOVE,1,,,,,3000,NO_LUCK
O1,2,MUG,1,ST,1,5.0,2026-11-27,500,
";
    let places = |text: &str| -> Vec<(&'static str, u64, u64)> {
        let err = read(&w, &format!("{head}{text}")).unwrap_err();
        err.problems()
            .iter()
            .map(|p| (p.code, p.line, p.column))
            .collect()
    };
    assert_eq!(
        places(rows),
        vec![
            ("E1105", 2, 1),
            ("E1107", 3, 2),
            ("E1107", 4, 3),
            ("E1110", 5, 2),
            ("E1106", 6, 5),
            ("E1110", 6, 6),
            ("E1108", 7, 2),
            ("E1111", 8, 10),
        ]
    );
    let two_nodes = "\
O1,1,TEE,2,WH,1,12.000,2026-11-27,510,
O1,2,MUG,1,ST,1,5.000,2026-11-27,500,
";
    assert_eq!(places(two_nodes), vec![("E1112", 3, 5), ("E1109", 0, 0)]);
    let err = read(&w, "order_id,line_no\nO1,1\n").unwrap_err();
    assert!(err.problems().iter().all(|p| p.code == "E1104"));
    assert_eq!(err.problems().len(), 6);
}

#[test]
fn a_long_cell_is_echoed_cut_to_80_characters() {
    let w = world();
    let long = "Z".repeat(10_000);
    let text = format!(
        "order_id,line_no,node_id,shipment,distance_km,promised_date,cost_cents,reason\n\
         {long},1,WH,1,12.000,2026-11-27,510,\n\
         O1,1,{long},1,12.000,2026-11-27,510,\n\
         O1,2,,,,,3000,{long}\n"
    );
    let err = read(&w, &text).unwrap_err();
    let problems = &err.problems()[..3];
    let codes: Vec<_> = problems.iter().map(|p| p.code).collect();
    assert_eq!(codes, ["E1105", "E1106", "E1111"]);
    for p in problems {
        assert!(p.message.chars().count() < 200, "{}", p.message);
        assert!(
            p.message.contains(&format!("{}…", "Z".repeat(80))),
            "{}",
            p.message
        );
    }
}

/// `w` with a third node, FAR, holding the GLOVE that O2 wants but beyond its reach.
fn with_far_glove(mut w: World) -> World {
    let p = |lat, lon| LatLng::new(lat, lon).unwrap();
    let mut far = Node::new("FAR", NodeKind::Store, p(12.97, 77.59));
    far.reach_km = vec![(w.orders[1].service_level, 10.0)];
    w.network = Network::new(vec![
        Node::new("WH", NodeKind::Warehouse, p(28.61, 77.21)),
        Node::new("ST", NodeKind::Store, p(28.46, 77.03)),
        far,
    ])
    .unwrap();
    w.stock.add(NodeIdx(2), w.skus.get("GLOVE").unwrap(), 3);
    w
}

/// Each tampering of a routed decisions file is caught: by the reader (a code) or by the
/// checker (a violation).
#[test]
fn every_tampering_of_a_routed_file_is_caught() {
    let w = with_far_glove(world());
    let (plan, text) = routed(&w);
    let rows: Vec<&str> = text.lines().collect();
    // The file as route wrote it: O1's two lines ship, O2's GLOVE is out of reach.
    let row = |start: &str| rows.iter().position(|r| r.starts_with(start)).unwrap();
    let (tee, glove) = (row("O1,1,TEE,2,WH,"), row("O2,1,GLOVE,1,,"));
    assert!(rows[glove].ends_with(",OUT_OF_REACH,,,"), "{text}");
    let v = check(&plan, &w.orders, &w.network, &w.policy, &w.stock, now());
    assert!(v.is_empty(), "{v:?}");
    let per_unit = plan.decisions[1].cost.unfilled_cents;
    // Rewrites cell `column` (0-based) of row `row` (header = 0).
    let cell = |row: usize, column: usize, value: &str| {
        let mut out: Vec<String> = rows.iter().map(|r| (*r).to_owned()).collect();
        let mut cells: Vec<&str> = rows[row].split(',').collect();
        cells[column] = value;
        out[row] = cells.join(",");
        out.join("\n") + "\n"
    };
    // As many fields as the header (group, source, arrival_date empty).
    let pad = ",".repeat(rows[0].split(',').count() - 10);
    let unshipped = format!("O1,1,TEE,2,,,,,{},NO_STOCK{pad}", 2 * per_unit);
    let cases: Vec<(&str, String, &str)> = vec![
        ("distance NaN", cell(tee, 6, "NaN"), "E1110"),
        ("distance inf", cell(tee, 6, "inf"), "E1110"),
        ("distance negative", cell(tee, 6, "-1"), "E1110"),
        ("shipment 0", cell(tee, 5, "0"), "E1110"),
        ("qty + 1", cell(tee, 3, "3"), "E1107"),
        ("qty 0", cell(tee, 3, "0"), "E1107"),
        ("qty empty", cell(tee, 3, ""), "E1107"),
        ("shipped with a reason", cell(tee, 9, "NO_STOCK"), "E1111"),
        (
            "shipped line rewritten as unfilled NO_STOCK",
            text.replacen(rows[tee], &unshipped, 1),
            "REASON",
        ),
        (
            "OUT_OF_REACH swapped for NO_STOCK",
            cell(glove, 9, "NO_STOCK"),
            "REASON",
        ),
        (
            "OUT_OF_REACH swapped for SHIP_COMPLETE",
            cell(glove, 9, "SHIP_COMPLETE"),
            "REASON",
        ),
        (
            "OUT_OF_REACH swapped for SPLIT_LIMIT",
            cell(glove, 9, "SPLIT_LIMIT"),
            "REASON",
        ),
        (
            "OUT_OF_REACH swapped for KIND_NOT_ALLOWED",
            cell(glove, 9, "KIND_NOT_ALLOWED"),
            "REASON",
        ),
    ];
    let mut missed = Vec::new();
    for (what, tampered, code) in cases {
        let found: Vec<&str> = match read(&w, &tampered) {
            Err(e) => e.problems().iter().map(|p| p.code).collect(),
            Ok(back) => check(&back, &w.orders, &w.network, &w.policy, &w.stock, now())
                .iter()
                .map(|v| v.code)
                .collect(),
        };
        if !found.contains(&code) {
            missed.push(format!("{what}: wanted {code}, got {found:?}"));
        }
    }
    assert!(missed.is_empty(), "{missed:#?}");
}

/// Under a rule with groups, each order's rows name the group that decided; reading the file
/// back takes it, so `check` judges the named group, and a cell that does not fit is `E1043`.
#[test]
fn the_deciding_group_is_written_and_read_back() {
    use omniroute_core::{GroupChoice, GroupCondition, GroupFailure, GroupSelect, NodeGroup, Rule};
    let mut w = world();
    let group = |name: &str, kind, ship_complete| NodeGroup {
        name: name.into(),
        select: GroupSelect {
            kinds: vec![kind],
            ..GroupSelect::default()
        },
        require: GroupCondition {
            ship_complete,
            ..GroupCondition::default()
        },
    };
    let mut policy = Policy::default();
    policy.rules.push(Rule {
        name: "stores first".into(),
        groups: vec![
            group("stores", NodeKind::Store, true),
            group("warehouses", NodeKind::Warehouse, false),
        ],
        ..Rule::default()
    });
    w.policy = policy.into();
    let (plan, text) = routed(&w);
    // O1: the store lacks the TEEs, the warehouse ships them; O2's GLOVE is nowhere: default.
    let groups: Vec<&str> = text
        .lines()
        .map(|l| l.split(',').nth(10).unwrap())
        .collect();
    assert_eq!(groups, ["group", "warehouses", "warehouses", "*"], "{text}");
    let file = read_back(&w, &text);
    assert_eq!(
        file.plan.decisions[0].group,
        Some(GroupChoice {
            rule: "stores first".into(),
            group: Some("warehouses".into()),
            failed: vec![("stores".into(), GroupFailure::Unrecorded)],
        })
    );
    assert_eq!(file.plan.decisions[1].group.as_ref().unwrap().group, None);
    assert_eq!(file.plan.totals, plan.totals);
    let checked = |plan: &Plan| check(plan, &w.orders, &w.network, &w.policy, &w.stock, now());
    assert!(checked(&file.plan).is_empty());
    // Naming the stores for O1 (both rows): the checker finds WH outside that group.
    let stores = text.replace(",warehouses", ",stores");
    let v = checked(&read_back(&w, &stores).plan);
    assert!(v.iter().any(|v| v.order == 0 && v.code == "GROUP"), "{v:?}");
    // A group the rule does not have, or two groups for one order: E1043 at the row.
    for bad in [
        text.replace(",warehouses", ",nope"),
        text.replacen(",warehouses", ",stores", 1),
        text.replace(",*", ","),
    ] {
        let err = read(&w, &bad).unwrap_err();
        let codes: Vec<_> = err.problems().iter().map(|p| (p.code, p.column)).collect();
        assert_eq!(codes, [("E1043", 11)], "{bad}");
    }
}

/// A batch of many parts in two rounds (two threads, 2 × 2,048 orders a round), written on
/// several threads, is the header then every order's rows in order, the same bytes as one part
/// formatted on one thread, and reads back.
#[test]
fn a_batch_written_in_parts_on_threads_is_its_rows_in_order() {
    let mut w = world();
    let two = std::mem::take(&mut w.orders);
    w.orders = (0..2 * super::ORDERS_PER_PART + 7)
        .map(|i| {
            let mut o = two[i % 2].clone();
            o.id = format!("O{i}");
            o
        })
        .collect();
    let plan = Router::versioned(w.network.clone(), &w.policy).route_sequential(
        &w.orders,
        &w.stock,
        now(),
    );
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let mut out = Vec::new();
    pool.install(|| write_decisions(&mut out, &w.orders, &plan, &w.network, &w.skus))
        .unwrap();
    let whole = super::csv_rows(&w.orders, &plan.decisions, &w.network, &w.skus).unwrap();
    let text = String::from_utf8(out).unwrap();
    let (head, rows) = text.split_once('\n').unwrap();
    assert_eq!(head, super::DECISIONS_HEADER);
    assert_eq!(rows.as_bytes(), &whole[..]);
    let lines: usize = w.orders.iter().map(|o| o.lines.len()).sum();
    assert_eq!(rows.lines().count(), lines);
    assert!(rows
        .lines()
        .last()
        .unwrap()
        .starts_with(&format!("O{},", w.orders.len() - 1)));
    let back = read(&w, &text).unwrap();
    assert_eq!(back.totals, plan.totals);
}
