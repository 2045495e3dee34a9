//! Policy files as versions: every problem between them with its code, file, line and column,
//! and the orders no version applies to.

use crate::{InputError, Inputs, Policies, PolicyFile, Source};

fn files(texts: &[(&str, &str)]) -> Vec<PolicyFile> {
    texts
        .iter()
        .map(|(name, text)| PolicyFile::read(&Source::text(name, *text)).unwrap())
        .collect()
}

fn problems(texts: &[(&str, &str)]) -> Vec<(&'static str, String, u64, u64)> {
    Policies::new(&files(texts))
        .unwrap_err()
        .problems()
        .into_iter()
        .map(|p| (p.code, p.file, p.line, p.column))
        .collect()
}

fn first_message(texts: &[(&str, &str)]) -> (String, String) {
    let p = Policies::new(&files(texts))
        .unwrap_err()
        .problems()
        .remove(0);
    (p.message, p.hint)
}

const JAN: &str = "effective_from = \"2026-01-01T00:00:00Z\"\n";

#[test]
fn versions_are_sorted_and_keep_their_files() {
    let p = Policies::new(&files(&[
        (
            "b.toml",
            "effective_from = 2026-02-01T00:00:00Z\nsla = \"soft\"\n",
        ),
        ("a.toml", JAN),
        ("base.toml", ""),
    ]))
    .unwrap();
    assert_eq!(p.files, ["base.toml", "a.toml", "b.toml"]);
    assert_eq!(p.versions.get(2).sla, omniroute_core::Sla::Soft);
    assert_eq!(p.versions.starts(), None);
}

#[test]
fn every_conflict_is_reported_at_its_key() {
    // E2016 at the level the second file defines; E2017 at the key in the file that sets it
    // (the second when both do, else the first); E2018 at the second file's effective_from.
    let levels = "effective_from = \"2026-02-01T00:00:00Z\"\n\n[levels.express]\ntransit = [{ max_km = 100, days = 0 }]\n";
    let capped = "[kinds.store]\ncapacity_units = 40\n";
    let same = "sla = \"soft\"\neffective_from = \"2026-01-01T00:00:00Z\"\n[kinds.warehouse]\nsafety_stock = 2\n";
    assert_eq!(
        problems(&[
            ("a.toml", capped),
            ("b.toml", levels),
            ("c.toml", JAN),
            ("d.toml", same)
        ]),
        [
            ("E2016", "b.toml".into(), 3, 9),
            ("E2017", "a.toml".into(), 2, 1),
            ("E2017", "a.toml".into(), 2, 1),
            ("E2017", "d.toml".into(), 4, 1),
            ("E2017", "a.toml".into(), 2, 1),
            ("E2018", "d.toml".into(), 2, 1),
        ]
    );
}

#[test]
fn conflict_messages_name_both_files_and_what_to_do() {
    let (m, h) = first_message(&[
        ("a.toml", "[kinds.store]\ncapacity_units = 40\n"),
        (
            "b.toml",
            "effective_from = \"2026-02-01T00:00:00Z\"\n[kinds.store]\ncapacity_units = 50\n",
        ),
    ]);
    assert_eq!(
        m,
        "`kinds.store.capacity_units` is 40 in a.toml but 50 in b.toml: safety stock and capacities are shared by every policy version"
    );
    assert!(h.contains("nodes.csv's capacity_units column"), "{h}");
    let (m, h) = first_message(&[
        ("a.toml", "[kinds.dealer]\nsafety_stock = 1\n"),
        ("b.toml", JAN),
    ]);
    assert!(m.contains("is 1 in a.toml but 0 in b.toml"), "{m}");
    assert!(h.contains("stock.csv's safety_stock column"), "{h}");
    let (m, h) = first_message(&[("a.toml", ""), ("b.toml", "sla = \"soft\"\n")]);
    assert_eq!(
        m,
        "a.toml and b.toml both have no effective_from: both would apply from the beginning of time"
    );
    assert!(h.contains("effective_from"), "{h}");
    let (m, _) = first_message(&[
        (
            "a.toml",
            "[levels.express]\ntransit = [{ max_km = 100, days = 0 }]\n",
        ),
        ("b.toml", JAN),
    ]);
    assert_eq!(
        m,
        "policy versions define different service levels: a.toml has same_day, next_day, standard, express, b.toml has same_day, next_day, standard"
    );
    // No files at all: the default policy, as the CLI without `--policy`.
    assert_eq!(Policies::new(&[]).unwrap(), Policies::default());
}

const NODES: &str = "node_id,lat,lon\nS1,28.6,77.2\n";
const STOCK: &str = "node_id,sku,qty\nS1,TEE,5\n";

fn load(orders: &str, policies: &[(&str, &str)]) -> Result<Inputs, InputError> {
    let policies: Vec<Source> = policies.iter().map(|(n, t)| Source::text(n, *t)).collect();
    Inputs::load(
        &Source::text("nodes.csv", NODES).into(),
        &Source::text("stock.csv", STOCK).into(),
        Some(&Source::text("orders.csv", orders).into()),
        &policies,
    )
}

#[test]
fn an_order_before_every_version_is_reported_at_its_created_at() {
    let orders = "order_id,sku,qty,dest_lat,dest_lon,created_at\n\
                  O1,TEE,1,28.6,77.2,2026-01-15T00:00:00Z\n\
                  O2,TEE,1,28.6,77.2,2025-12-31T23:59:59Z\n\
                  O2,TEE,1,28.6,77.2,2025-12-31T23:59:59Z\n\
                  O3,TEE,1,28.6,77.2,\n";
    let feb = "effective_from = \"2026-02-01T00:00:00Z\"\n";
    let err = load(orders, &[("feb.toml", feb), ("jan.toml", JAN)]).unwrap_err();
    let p = err.problems();
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(
        (p[0].code, p[0].file.as_str(), p[0].line, p[0].column),
        ("E2019", "orders.csv", 3, 6)
    );
    assert_eq!(
        p[0].message,
        "order \"O2\" was created at 2025-12-31T23:59:59Z, before every policy version (the earliest, jan.toml, takes effect at 2026-01-01T00:00:00Z)"
    );
    // An undated version covers every order.
    let ok = load(orders, &[("feb.toml", feb), ("base.toml", "")]).unwrap();
    assert_eq!(ok.policies.files, ["base.toml", "feb.toml"]);
    // O3 has no created_at: judged against the reference time before routing.
    let fixed = orders.replace("2025-12-31T23:59:59Z", "2026-01-01T00:00:00Z");
    let inputs = load(&fixed, &[("jan.toml", JAN)]).unwrap();
    inputs
        .check_now("2026-01-01T00:00:00Z".parse().unwrap())
        .unwrap();
    let p = inputs
        .check_now("2025-12-01T00:00:00Z".parse().unwrap())
        .unwrap_err()
        .problems();
    assert_eq!((p.len(), p[0].line, p[0].column), (1, 5, 0));
    assert!(p[0].message.starts_with("order \"O3\" has no created_at and is routed at the reference time 2025-12-01T00:00:00Z"), "{}", p[0].message);
    assert!(p[0].hint.contains("--now"), "{}", p[0].hint);
}

#[test]
fn many_early_orders_are_listed_then_counted() {
    let orders: String = std::iter::once("order_id,sku,qty,dest_lat,dest_lon,created_at\n".into())
        .chain((0..25).map(|i| format!("O{i},TEE,1,28.6,77.2,2025-06-01T00:00:00Z\n")))
        .collect();
    let p = load(&orders, &[("jan.toml", JAN)]).unwrap_err().problems();
    assert_eq!(p.len(), 21);
    assert_eq!(p[19].line, 21);
    assert_eq!((p[20].line, p[20].code), (0, "E2019"));
    assert!(
        p[20].message.starts_with("5 more orders"),
        "{}",
        p[20].message
    );
}
