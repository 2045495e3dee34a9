//! Placing warehouses, stores and dealers on real cities, and writing `nodes.csv`.

use super::sample::{jitter, spread_km, Cumulative};
use super::{City, GenConfig};
use omniroute_core::{LatLng, NodeKind};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Warehouses are first placed at least this far apart (then the spacing is halved until the
/// requested number fits).
const WAREHOUSE_SPACING_KM: f64 = 300.0;
/// Cities above this population are tagged `metro`.
const METRO_POPULATION: u64 = 1_000_000;
/// `nodes.csv` header, in the names of `docs/design.md` §7.
const HEADER: &str = "node_id,kind,lat,lon,timezone,cutoff_local,handling_days,capacity_units,\
capacity_shipments,max_km_same_day,max_km_next_day,max_km_standard,fixed_cents,per_km_cents,\
margin_bps,priority,active,tags\n";

/// One generated node. `None` cells are written empty: the policy's default for the kind.
#[derive(Debug, Clone)]
pub(super) struct GenNode {
    pub id: String,
    pub kind: NodeKind,
    pub city: usize,
    pub lat: f64,
    pub lon: f64,
    pub cutoff_local: Option<&'static str>,
    pub handling_days: Option<u8>,
    pub capacity_units: Option<u32>,
    pub capacity_shipments: Option<u32>,
    /// Reach overrides for same day, next day and standard, km.
    pub reach_km: [Option<u32>; 3],
    pub per_km_cents: Option<&'static str>,
    pub margin_bps: Option<u32>,
    pub active: bool,
    /// Product categories a dealer carries (empty for other kinds).
    pub categories: Vec<u32>,
}

/// Places every node: warehouses, then stores, then dealers (the order of `nodes.csv`).
/// `units_per_day` is the expected number of units ordered in the day, which sizes capacities.
pub(super) fn place_nodes(
    cities: &[City],
    cfg: &GenConfig,
    units_per_day: f64,
    rng: &mut ChaCha8Rng,
) -> Vec<GenNode> {
    let mut by_population: Vec<usize> = (0..cities.len()).collect();
    by_population.sort_by(|&a, &b| {
        cities[b]
            .population
            .cmp(&cities[a].population)
            .then(a.cmp(&b))
    });
    let weight = |&i: &usize| cities[i].population.max(1) as f64;
    let (big, small): (Vec<usize>, Vec<usize>) =
        (0..cities.len()).partition(|&i| cities[i].population >= cfg.store_min_population);
    let big = if big.is_empty() { &small } else { &big };
    let small = if small.is_empty() { big } else { &small };
    let store_table = Cumulative::new(big.iter().map(weight));
    let dealer_table = Cumulative::new(small.iter().map(weight));

    let mut ids = IdMaker::default();
    let mut nodes = Vec::new();
    let wh_cities = warehouse_cities(cities, &by_population, cfg.warehouses as usize);
    let per_wh = 2.0 * units_per_day / f64::from(cfg.warehouses.max(1));
    for city in wh_cities {
        let mut node = new_node(cities, city, NodeKind::Warehouse, &mut ids, rng);
        let units = ((per_wh * rng.gen_range(0.7..1.3) / 10.0).ceil() as u32 * 10).max(100);
        node.capacity_units = Some(units);
        node.capacity_shipments = Some(units * 2 / 3);
        if rng.gen_bool(0.3) {
            node.per_km_cents = Some("0.4");
        }
        nodes.push(node);
    }
    for _ in 0..cfg.stores {
        let city = big[store_table.sample(rng)];
        let mut node = new_node(cities, city, NodeKind::Store, &mut ids, rng);
        let units = rng.gen_range(4..=24) * 5;
        node.capacity_units = Some(units);
        node.capacity_shipments = Some(units * 3 / 4);
        if rng.gen_bool(0.1) {
            node.cutoff_local = Some("19:00");
        }
        if rng.gen_bool(0.05) {
            node.reach_km[0] = Some(0);
        }
        nodes.push(node);
    }
    for _ in 0..cfg.dealers {
        let city = small[dealer_table.sample(rng)];
        let mut node = new_node(cities, city, NodeKind::Dealer, &mut ids, rng);
        node.capacity_shipments = Some(rng.gen_range(3..=15));
        node.margin_bps = Some(rng.gen_range(16..=30) * 50);
        if rng.gen_bool(0.2) {
            node.handling_days = Some(1);
        }
        if rng.gen_bool(0.1) {
            node.reach_km[2] = Some(300);
        }
        node.active = !rng.gen_bool(0.02);
        let first = rng.gen_range(0..cfg.categories.max(1));
        node.categories.push(first);
        if cfg.categories > 1 && rng.gen_bool(0.4) {
            let second = (first + rng.gen_range(1..cfg.categories)) % cfg.categories;
            node.categories.push(second);
            node.categories.sort_unstable();
        }
        nodes.push(node);
    }
    nodes
}

/// The most populous cities, no two closer than the spacing; the spacing halves until enough
/// are found, and with more warehouses than cities the big cities take several.
fn warehouse_cities(cities: &[City], by_population: &[usize], n: usize) -> Vec<usize> {
    let mut chosen: Vec<usize> = Vec::with_capacity(n);
    let mut spacing_km = WAREHOUSE_SPACING_KM;
    while chosen.len() < n && !by_population.is_empty() {
        for &c in by_population {
            if chosen.len() == n {
                break;
            }
            let here = location(&cities[c]);
            let far = chosen.iter().all(|&o| {
                spacing_km == 0.0
                    || (o != c && here.distance_km(location(&cities[o])) >= spacing_km)
            });
            if far {
                chosen.push(c);
            }
        }
        spacing_km = if spacing_km < 1.0 {
            0.0
        } else {
            spacing_km / 2.0
        };
    }
    chosen
}

fn location(city: &City) -> LatLng {
    LatLng::new(city.lat, city.lon).unwrap_or_else(|_| LatLng::new(0.0, 0.0).expect("valid"))
}

fn new_node(
    cities: &[City],
    city: usize,
    kind: NodeKind,
    ids: &mut IdMaker,
    rng: &mut ChaCha8Rng,
) -> GenNode {
    let c = &cities[city];
    let (lat, lon) = jitter(rng, c.lat, c.lon, spread_km(c.population));
    GenNode {
        id: ids.next(kind, &c.name),
        kind,
        city,
        lat,
        lon,
        cutoff_local: None,
        handling_days: None,
        capacity_units: None,
        capacity_shipments: None,
        reach_km: [None; 3],
        per_km_cents: None,
        margin_bps: None,
        active: true,
        categories: Vec::new(),
    }
}

/// Makes ids `WH-MUM-01`, `ST-DEL-03`, `DL-KOT-12`: kind, three ASCII letters of the city's
/// name (diacritics folded), and a counter per (kind, letters).
#[derive(Default)]
struct IdMaker {
    counters: BTreeMap<(NodeKind, String), u32>,
}

impl IdMaker {
    fn next(&mut self, kind: NodeKind, city: &str) -> String {
        let prefix = match kind {
            NodeKind::Warehouse => "WH",
            NodeKind::Store => "ST",
            _ => "DL",
        };
        let mut code: String = city.chars().filter_map(fold).take(3).collect();
        while code.len() < 3 {
            code.push('X');
        }
        let n = self.counters.entry((kind, code.clone())).or_insert(0);
        *n += 1;
        format!("{prefix}-{code}-{n:02}")
    }
}

/// The upper-case ASCII letter a Latin letter (with or without diacritics) stands for.
fn fold(c: char) -> Option<char> {
    let base = match c {
        'a'..='z' | 'A'..='Z' => c,
        'à'..='å' | 'À'..='Å' | 'ā' | 'Ā' | 'ă' | 'Ă' | 'ą' | 'Ą' => 'a',
        'ç' | 'Ç' | 'ć' | 'č' => 'c',
        'è'..='ë' | 'È'..='Ë' | 'ē' | 'Ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' | 'ī' | 'Ī' | 'ı' => 'i',
        'ñ' | 'Ñ' | 'ń' | 'ň' => 'n',
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'ō' | 'Ō' | 'ő' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' | 'ū' | 'Ū' | 'ů' | 'ű' => 'u',
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => 's',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ž' | 'ź' | 'ż' | 'Ž' => 'z',
        _ => return None,
    };
    Some(base.to_ascii_uppercase())
}

/// `nodes.csv` text (docs/design.md §7), one row per node in generation order.
pub(super) fn nodes_csv(cities: &[City], nodes: &[GenNode]) -> String {
    let mut out = String::with_capacity(HEADER.len() + nodes.len() * 120);
    out.push_str(HEADER);
    for n in nodes {
        let city = &cities[n.city];
        let _ = write!(
            out,
            "{},{},{:.5},{:.5},{},{},{},{},{},{},{},{},,{},{},,{},",
            n.id,
            n.kind.as_str(),
            n.lat,
            n.lon,
            city.timezone,
            n.cutoff_local.unwrap_or(""),
            Cell(n.handling_days),
            Cell(n.capacity_units),
            Cell(n.capacity_shipments),
            Cell(n.reach_km[0]),
            Cell(n.reach_km[1]),
            Cell(n.reach_km[2]),
            n.per_km_cents.unwrap_or(""),
            Cell(n.margin_bps),
            n.active,
        );
        let mut tags: Vec<String> = Vec::new();
        if n.kind == NodeKind::Warehouse {
            tags.push("dc".into());
        }
        if city.population >= METRO_POPULATION {
            tags.push("metro".into());
        }
        if city.region.bytes().all(|b| b.is_ascii_alphanumeric()) && !city.region.is_empty() {
            tags.push(format!("state-{}", city.region));
        }
        tags.extend(n.categories.iter().map(|c| format!("cat-{c:02}")));
        out.push_str(&tags.join(";"));
        out.push('\n');
    }
    out
}

/// An optional number written as an empty cell when absent.
struct Cell<T>(Option<T>);

impl<T: std::fmt::Display> std::fmt::Display for Cell<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Some(v) => v.fmt(f),
            None => Ok(()),
        }
    }
}
