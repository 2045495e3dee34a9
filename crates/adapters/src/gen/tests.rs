use super::*;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use omniroute_core::LatLng;
use std::collections::{BTreeMap, BTreeSet};

/// A parsed CSV text: rows as maps from column name to cell.
fn table(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            assert_eq!(r.len(), headers.len(), "every row has every column");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

fn small() -> GenConfig {
    GenConfig {
        seed: 7,
        warehouses: 4,
        stores: 20,
        dealers: 50,
        skus: 500,
        orders: 400,
        ..GenConfig::demo()
    }
}

fn num(row: &BTreeMap<String, String>, col: &str) -> f64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?}", row[col]))
}

#[test]
fn same_seed_gives_byte_identical_files() {
    let cities = india_cities();
    assert_eq!(generate(&cities, &small()), generate(&cities, &small()));
    assert_eq!(demo_instance(), demo_instance());
}

#[test]
fn different_seeds_give_different_files() {
    let cities = india_cities();
    let a = generate(&cities, &small());
    let b = generate(&cities, &GenConfig { seed: 8, ..small() });
    assert_ne!(a.nodes_csv, b.nodes_csv);
    assert_ne!(a.stock_csv, b.stock_csv);
    assert_ne!(a.orders_csv, b.orders_csv);
}

#[test]
fn headers_are_designs_column_names() {
    let inst = generate(&india_cities(), &small());
    let header = |t: &str| t.lines().next().unwrap().to_owned();
    assert_eq!(
        header(&inst.nodes_csv),
        "node_id,kind,lat,lon,timezone,cutoff_local,handling_days,capacity_units,\
         capacity_shipments,max_km_same_day,max_km_next_day,max_km_standard,fixed_cents,\
         per_km_cents,margin_bps,priority,active,tags"
    );
    assert_eq!(
        header(&inst.stock_csv),
        "node_id,sku,qty,reserved,safety_stock"
    );
    assert_eq!(
        header(&inst.orders_csv),
        "order_id,line_no,sku,qty,dest_lat,dest_lon,service_level,created_at,\
         unit_price_cents,channel,allow_split,max_shipments"
    );
}

#[test]
fn demo_counts_match_the_config() {
    let cfg = GenConfig::demo();
    let inst = demo_instance();
    let nodes = table(&inst.nodes_csv);
    let count = |kind: &str| nodes.iter().filter(|n| n["kind"] == kind).count();
    assert_eq!(count("warehouse"), cfg.warehouses as usize);
    assert_eq!(count("store"), cfg.stores as usize);
    assert_eq!(count("dealer"), cfg.dealers as usize);
    let lines = table(&inst.orders_csv);
    let orders: BTreeSet<&str> = lines.iter().map(|l| l["order_id"].as_str()).collect();
    assert_eq!(orders.len(), cfg.orders as usize);
    let skus: BTreeSet<&str> = lines.iter().map(|l| l["sku"].as_str()).collect();
    assert!(skus.len() <= cfg.skus as usize);
    assert!(lines
        .iter()
        .all(|l| (1..=cfg.max_lines).contains(&l["line_no"].parse().unwrap())));
    let node_ids: BTreeSet<&str> = nodes.iter().map(|n| n["node_id"].as_str()).collect();
    let stock = table(&inst.stock_csv);
    assert!(stock
        .iter()
        .all(|s| node_ids.contains(s["node_id"].as_str())));
    assert!(stock.iter().all(|s| num(s, "reserved") <= num(s, "qty")));
}

#[test]
fn node_ids_are_unique_ascii_and_well_formed() {
    let nodes = table(&demo_instance().nodes_csv);
    let ids: BTreeSet<&str> = nodes.iter().map(|n| n["node_id"].as_str()).collect();
    assert_eq!(ids.len(), nodes.len());
    for n in &nodes {
        let id = &n["node_id"];
        let prefix = match n["kind"].as_str() {
            "warehouse" => "WH-",
            "store" => "ST-",
            _ => "DL-",
        };
        assert!(id.starts_with(prefix) && id.len() >= 9, "{id}");
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'));
        assert!(TimeZone::get(&n["timezone"]).is_ok());
    }
}

#[test]
fn every_location_is_valid_and_near_a_real_indian_city() {
    let cities = india_cities();
    let inst = generate(&cities, &small());
    let mut points: Vec<(f64, f64)> = table(&inst.nodes_csv)
        .iter()
        .map(|n| (num(n, "lat"), num(n, "lon")))
        .collect();
    points.extend(
        table(&inst.orders_csv)
            .iter()
            .map(|l| (num(l, "dest_lat"), num(l, "dest_lon"))),
    );
    assert!(points.len() > 500);
    for (lat, lon) in points {
        let p = LatLng::new(lat, lon).expect("valid lat/lon");
        let nearest = cities
            .iter()
            .filter(|c| (c.lat - lat).abs() < 0.2 && (c.lon - lon).abs() < 0.2)
            .map(|c| p.distance_km(LatLng::new(c.lat, c.lon).unwrap()))
            .fold(f64::INFINITY, f64::min);
        assert!(
            nearest <= 8.01,
            "({lat}, {lon}) is {nearest} km from any city"
        );
    }
}

#[test]
fn warehouses_are_in_big_cities_and_far_apart() {
    let nodes = table(&demo_instance().nodes_csv);
    let wh: Vec<LatLng> = nodes
        .iter()
        .filter(|n| n["kind"] == "warehouse")
        .map(|n| LatLng::new(num(n, "lat"), num(n, "lon")).unwrap())
        .collect();
    for (i, a) in wh.iter().enumerate() {
        for b in &wh[i + 1..] {
            assert!(a.distance_km(*b) > 280.0);
        }
    }
    let first: Vec<&str> = nodes
        .iter()
        .take(3)
        .map(|n| n["node_id"].as_str())
        .collect();
    assert_eq!(first, ["WH-MUM-01", "WH-DEL-01", "WH-BEN-01"]);
}

#[test]
fn orders_are_contiguous_and_in_created_at_order() {
    let cfg = GenConfig::demo();
    let lines = table(&demo_instance().orders_csv);
    let mut seen = BTreeSet::new();
    let mut last: Option<(String, Timestamp, u32)> = None;
    let kolkata = TimeZone::get("Asia/Kolkata").unwrap();
    for l in &lines {
        let at: Timestamp = l["created_at"].parse().unwrap();
        assert!(l["created_at"].ends_with('Z'));
        let line_no: u32 = l["line_no"].parse().unwrap();
        match &last {
            Some((id, prev_at, prev_no)) if *id == l["order_id"] => {
                assert_eq!(line_no, prev_no + 1);
                assert_eq!(at, *prev_at);
            }
            prev => {
                assert!(
                    seen.insert(l["order_id"].clone()),
                    "order {} split",
                    l["order_id"]
                );
                assert_eq!(line_no, 1);
                if let Some((_, prev_at, _)) = prev {
                    assert!(at >= *prev_at, "not in created_at order");
                }
                if l["dest_lon"].parse::<f64>().unwrap() > 75.0 {
                    assert_eq!(at.to_zoned(kolkata.clone()).date(), cfg.day);
                }
            }
        }
        last = Some((l["order_id"].clone(), at, line_no));
    }
    let ids: Vec<&String> = seen.iter().collect();
    assert_eq!(ids.first().map(|s| s.as_str()), Some("ORD-0000001"));
}

#[test]
fn zipf_skew_is_visible() {
    let cfg = GenConfig::demo();
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for l in table(&demo_instance().orders_csv) {
        *counts.entry(l["sku"].clone()).or_default() += 1;
    }
    let mut per_sku: Vec<u32> = counts.values().copied().collect();
    per_sku.resize(cfg.skus as usize, 0);
    per_sku.sort_unstable();
    let top = *per_sku.last().unwrap();
    let median = per_sku[per_sku.len() / 2].max(1);
    assert!(top >= 100 * median, "top {top}, median {median}");
}

#[test]
fn warehouses_hold_more_units_than_stores_and_dealers() {
    let inst = demo_instance();
    let kind: BTreeMap<String, String> = table(&inst.nodes_csv)
        .into_iter()
        .map(|n| (n["node_id"].clone(), n["kind"].clone()))
        .collect();
    let mut units: BTreeMap<&str, (f64, BTreeSet<String>)> = BTreeMap::new();
    let stock = table(&inst.stock_csv);
    for s in &stock {
        let entry = units.entry(kind[&s["node_id"]].as_str()).or_default();
        entry.0 += num(s, "qty");
        entry.1.insert(s["node_id"].clone());
    }
    let avg = |k: &str| units[k].0 / units[k].1.len() as f64;
    assert!(avg("warehouse") > 10.0 * avg("store"), "{units:?}");
    assert!(avg("store") > avg("dealer"));
    assert!(
        stock.iter().any(|s| s["qty"] == "0"),
        "some positions are empty"
    );
}

#[test]
fn mixes_prices_and_margins_are_in_their_ranges() {
    let inst = demo_instance();
    let lines = table(&inst.orders_csv);
    let share = |col: &str, value: &str| {
        lines.iter().filter(|l| l[col] == value).count() as f64 / lines.len() as f64
    };
    assert!((0.07..0.13).contains(&share("service_level", "same_day")));
    assert!((0.21..0.29).contains(&share("service_level", "next_day")));
    assert!((0.40..0.50).contains(&share("channel", "web")));
    assert!(share("qty", "1") > 0.8);
    for l in &lines {
        assert!((29_900.0..=999_900.0).contains(&num(l, "unit_price_cents")));
    }
    for n in table(&inst.nodes_csv) {
        let margin = &n["margin_bps"];
        if n["kind"] == "dealer" {
            assert!((800.0..=1500.0).contains(&num(&n, "margin_bps")));
        } else {
            assert!(margin.is_empty());
        }
    }
}

#[test]
fn write_instance_writes_the_three_files() {
    let dir = tempfile::tempdir().unwrap();
    let inst = generate(&india_cities(), &small());
    write_instance(dir.path(), &inst).unwrap();
    let read = |f: &str| std::fs::read_to_string(dir.path().join(f)).unwrap();
    assert_eq!(read("nodes.csv"), inst.nodes_csv);
    assert_eq!(read("stock.csv"), inst.stock_csv);
    assert_eq!(read("orders.csv"), inst.orders_csv);
}

#[test]
fn tiny_and_empty_configs_do_not_panic() {
    let cities = india_cities();
    let none = GenConfig {
        warehouses: 0,
        stores: 0,
        dealers: 0,
        skus: 0,
        orders: 5,
        ..small()
    };
    let inst = generate(&cities, &none);
    assert_eq!(inst.orders_csv.lines().count(), 1);
    let one = GenConfig {
        warehouses: 3,
        skus: 1,
        orders: 3,
        max_lines: 4,
        ..none
    };
    let inst = generate(&cities[..2], &one);
    assert_eq!(table(&inst.nodes_csv).len(), 3);
    assert_eq!(table(&inst.orders_csv).len(), 3);
}

/// The benchmark size; run with `cargo test --release -p omniroute-adapters -- --ignored`.
#[test]
#[ignore = "large; for timing in release"]
fn benchmark_sized_instance() {
    let cfg = GenConfig {
        warehouses: 40,
        stores: 460,
        dealers: 1_500,
        skus: 50_000,
        orders: 100_000,
        ..GenConfig::demo()
    };
    let start = std::time::Instant::now();
    let inst = generate(&india_cities(), &cfg);
    let took = start.elapsed();
    assert_eq!(inst.nodes_csv.lines().count(), 2_001);
    assert!(took.as_secs_f64() < 5.0, "took {took:?}");
}
