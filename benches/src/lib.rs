//! Shared set-up for omniroute's benchmarks: seeded instances from the generator, loaded through
//! the same readers the CLI uses, so the benches measure the real code path on real-sized data.

use omniroute_adapters::{
    countries_cities, country_cities, generate, india_cities, City, GenConfig, Inputs,
};
use omniroute_core::{Order, Router, StockTable};
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The allocator the `omniroute` CLI uses (crates/cli/src/main.rs), so every bench and example
/// measures the router as the CLI runs it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The router-latency instance of docs/design.md §9: 10,000 nodes (40 warehouses, 1,960 stores, 8,000
/// dealers), 50,000 SKUs, `orders` orders of up to 5 lines, seed 7.
pub fn network_10k(orders: u32) -> Inputs {
    let cfg = GenConfig {
        seed: 7,
        warehouses: 40,
        stores: 1_960,
        dealers: 8_000,
        skus: 50_000,
        orders,
        categories: 50,
        store_min_population: 50_000,
        ..GenConfig::demo()
    };
    load(&cfg)
}

/// 2,000 nodes (20 warehouses, 380 stores, 1,600 dealers), 20,000 SKUs, `orders` orders, seed
/// 11: the shape of the batch and comparison instances.
fn config_2k(orders: u32) -> GenConfig {
    scaled_config(1, orders)
}

/// The batch and comparison instances' shape (2,000 nodes: 20 warehouses, 380 stores, 1,600
/// dealers; 20,000 SKUs; seed 11) with `scale` times its nodes (the world network of
/// `route_scale` is scale 10: 20,000 nodes).
pub fn scaled_config(scale: u32, orders: u32) -> GenConfig {
    GenConfig {
        seed: 11,
        warehouses: 20 * scale,
        stores: 380 * scale,
        dealers: 1_600 * scale,
        skus: 20_000,
        orders,
        ..GenConfig::demo()
    }
}

/// The 24 countries on every continent the world network is placed in.
pub const WORLD: &str = "US,CA,MX,BR,AR,CL,CO,GB,FR,DE,ES,IT,PL,SE,TR,EG,NG,ZA,KE,IN,CN,JP,ID,AU";

/// The embedded places of comma-separated ISO country codes.
///
/// # Errors
///
/// When a code has no embedded places.
pub fn places(codes: &str) -> Result<Vec<City>, String> {
    countries_cities(codes).map_err(|code| format!("no places for {code}"))
}

/// The batch instance of docs/design.md §9: 2,000 nodes (20 warehouses, 380 stores, 1,600 dealers),
/// 20,000 SKUs, `orders` orders, seed 11.
pub fn network_2k(orders: u32) -> Inputs {
    let cfg = GenConfig {
        categories: 40,
        ..config_2k(orders)
    };
    load(&cfg)
}

/// The comparison instance of `benches/compare/run.sh` as `omniroute gen` makes it, on
/// `$COUNTRY`'s embedded places (default US): 2,000 nodes (20 warehouses, 380 stores, 1,600
/// dealers), 20,000 SKUs, `$OPT_ORDERS` orders (default 20,000), seed 11; and the order count.
/// `COUNTRY=world` is `route_scale`'s world network instead: [`WORLD`]'s places and ten times
/// the nodes (`$SCALE`).
///
/// # Errors
///
/// When `$COUNTRY` has no embedded places or `$OPT_ORDERS` is not a count.
pub fn comparison_instance() -> Result<(Inputs, u32), Box<dyn std::error::Error>> {
    let orders: u32 = std::env::var("OPT_ORDERS").map_or(Ok(20_000), |v| v.parse())?;
    let country = std::env::var("COUNTRY").unwrap_or_else(|_| "US".into());
    let (cities, cfg) = if country == "world" {
        let scale = u32::try_from(env("SCALE", 10))?;
        (places(WORLD)?, scaled_config(scale, orders))
    } else {
        let cities = country_cities(&country).ok_or("no embedded places for COUNTRY")?;
        (cities, config_2k(orders))
    };
    Ok((
        Inputs::from_instance("bench", &generate(&cities, &cfg))?,
        orders,
    ))
}

/// The router of `inputs`' (earliest) policy and the stock table it routes against, as the CLI
/// builds them.
pub fn router(inputs: &Inputs) -> (Router, StockTable) {
    let router = Router::new(
        Arc::clone(&inputs.network),
        inputs.policies.versions.earliest().clone(),
    );
    let stock = router.stock_table(inputs.routable_positions());
    (router, stock)
}

/// The reference time of every bench: orders without `created_at` are routed as of it
/// (`benches/compare/run.sh` passes the same `--now`).
pub fn now() -> jiff::Timestamp {
    "2026-11-26T12:00:00Z".parse().expect("a valid instant")
}

/// The *route* bench's orders (docs/design.md §9: one 3-line order): every 3-line order of `inputs`.
pub fn three_line_orders(inputs: &Inputs) -> Vec<&Order> {
    inputs
        .orders
        .iter()
        .filter(|o| o.lines.len() == 3)
        .collect()
}

fn load(cfg: &GenConfig) -> Inputs {
    let inst = generate(&india_cities(), cfg);
    Inputs::from_instance("bench", &inst).expect("generated instances are valid")
}

/// Line-level columns of orders.csv; every other column is the order's.
const LINE_COLUMNS: [&str; 4] = ["sku", "qty", "line_no", "unit_price_cents"];

/// This process's CPU time so far (user + system, `/proc/self/stat`, 10 ms ticks), seconds.
pub fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at the last ')'.
    let rest = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<f64> = rest
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name and state.
    f.get(10)
        .zip(f.get(11))
        .map_or(0.0, |(u, s)| (u + s) / 100.0)
}

/// The environment variable `name` as a count, else `default`.
pub fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// orders.csv rows as JSON orders (same names; `dest_lat`/`dest_lon` nested under `dest`), with
/// each order's rows as CSV text for the CLI.
pub fn orders(csv_text: &str) -> (String, Vec<(Value, String)>) {
    let mut lines = csv_text.lines();
    let header = lines.next().expect("a header").to_owned();
    let cols: Vec<&str> = header.split(',').collect();
    let mut out: Vec<(Value, String)> = Vec::new();
    for row in lines {
        let cells: Vec<&str> = row.split(',').collect();
        let get = |name: &str| cols.iter().position(|c| *c == name).map(|i| cells[i]);
        let id = get("order_id").expect("order_id");
        if out.last().is_none_or(|(o, _)| o["order_id"] != id) {
            let mut top = Map::new();
            for (c, v) in cols.iter().zip(&cells) {
                if !LINE_COLUMNS.contains(c) && !c.starts_with("dest_") && !v.is_empty() {
                    top.insert((*c).to_owned(), json!(v));
                }
            }
            top.insert(
                "dest".into(),
                json!({"lat": get("dest_lat").unwrap(), "lon": get("dest_lon").unwrap()}),
            );
            top.insert("lines".into(), json!([]));
            out.push((Value::Object(top), String::new()));
        }
        let (order, rows) = out.last_mut().expect("pushed");
        let mut line = Map::new();
        for c in LINE_COLUMNS {
            if let Some(v) = get(c).filter(|v| !v.is_empty()) {
                line.insert(c.to_owned(), json!(v));
            }
        }
        order["lines"]
            .as_array_mut()
            .unwrap()
            .push(Value::Object(line));
        rows.push_str(row);
        rows.push('\n');
    }
    (header, out)
}
