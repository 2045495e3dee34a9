//! A day of customer orders (`orders.csv`): where, when, what and how they want it.

use super::sample::{jitter, spread_km, Cumulative};
use super::stock::Catalogue;
use super::{City, GenConfig};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Relative order intake per local hour 0…23: quiet nights, a climb through the morning, a
/// lunchtime plateau and the evening peak (20:00–22:00) typical of Indian e-commerce.
const HOURLY: [f64; 24] = [
    1.5, 0.8, 0.5, 0.3, 0.3, 0.5, 1.2, 2.5, 3.5, 4.5, 5.5, 6.0, 6.5, 6.5, 6.0, 5.5, 5.5, 6.0, 6.5,
    7.5, 8.5, 9.0, 7.0, 4.0,
];
/// Orders with k + 1 lines are this many times rarer than orders with k lines.
pub(super) const LINES_DECAY: f64 = 0.45;
/// Quantity of a line: 1, 2 or 3 units.
pub(super) const QTY_WEIGHTS: [f64; 3] = [0.85, 0.10, 0.05];
const LEVELS: [(&str, f64); 3] = [("same_day", 0.10), ("next_day", 0.25), ("standard", 0.65)];
const CHANNELS: [(&str, f64); 3] = [("web", 0.45), ("app", 0.35), ("marketplace", 0.20)];
/// `orders.csv` header, in the names of `docs/design.md` §7.
const HEADER: &str = "order_id,line_no,sku,qty,dest_lat,dest_lon,service_level,created_at,\
unit_price_cents,channel,allow_split,max_shipments\n";

struct GenOrder {
    created_at: Timestamp,
    lat: f64,
    lon: f64,
    level: &'static str,
    channel: &'static str,
    allow_split: bool,
    max_shipments: Option<u8>,
    /// (SKU index, quantity).
    lines: Vec<(u32, u8)>,
}

/// `orders.csv` text (docs/design.md §7): `cfg.orders` orders on `cfg.day`, in `created_at` order (ids
/// follow that order). With an empty catalogue there are no lines and so no rows.
pub(super) fn orders_csv(
    cities: &[City],
    cfg: &GenConfig,
    cat: &Catalogue,
    rng: &mut ChaCha8Rng,
) -> String {
    if cat.len() == 0 || cities.is_empty() {
        return HEADER.to_owned();
    }
    let (zones, zone_of) = city_zones(cities);
    let places = Cumulative::new(cities.iter().map(|c| c.population.max(1) as f64));
    let hours = Cumulative::new(HOURLY);
    let lines = Cumulative::new((0..cfg.max_lines.max(1)).map(|k| LINES_DECAY.powi(i32::from(k))));
    let qty = Cumulative::new(QTY_WEIGHTS);
    let levels = Cumulative::new(LEVELS.map(|(_, w)| w));
    let channels = Cumulative::new(CHANNELS.map(|(_, w)| w));

    let mut orders = Vec::with_capacity(cfg.orders as usize);
    for _ in 0..cfg.orders {
        let city = places.sample(rng);
        let c = &cities[city];
        let (lat, lon) = jitter(rng, c.lat, c.lon, spread_km(c.population));
        let hour = hours.sample(rng) as i8;
        let local = cfg
            .day
            .at(hour, rng.gen_range(0..60), rng.gen_range(0..60), 0);
        let tz = &zones[zone_of[city]];
        let created_at = tz
            .to_ambiguous_timestamp(local)
            .compatible()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let n_lines = (lines.sample(rng) + 1).min(cat.len());
        let mut order_lines: Vec<(u32, u8)> = Vec::with_capacity(n_lines);
        for _ in 0..n_lines {
            // Redraw a SKU already in the order a few times; popular SKUs collide often.
            for _ in 0..16 {
                let sku = cat.by_rank[cat.zipf.sample(rng)];
                if order_lines.iter().all(|&(s, _)| s != sku) {
                    order_lines.push((sku, qty.sample(rng) as u8 + 1));
                    break;
                }
            }
        }
        let allow_split = !rng.gen_bool(0.1);
        let max_shipments = match (allow_split, rng.gen_bool(0.2)) {
            (false, _) => Some(1),
            (true, true) => Some(2),
            (true, false) => None,
        };
        orders.push(GenOrder {
            created_at,
            lat,
            lon,
            level: LEVELS[levels.sample(rng)].0,
            channel: CHANNELS[channels.sample(rng)].0,
            allow_split,
            max_shipments,
            lines: order_lines,
        });
    }
    // Stable: orders created in the same second keep their generation order.
    orders.sort_by_key(|o| o.created_at);

    let width = orders.len().to_string().len().max(7);
    let mut out = String::with_capacity(HEADER.len() + orders.len() * 2 * 130);
    out.push_str(HEADER);
    let mut created = String::new();
    for (i, o) in orders.iter().enumerate() {
        created.clear();
        let _ = write!(created, "{}", o.created_at);
        for (line_no, &(sku, qty)) in o.lines.iter().enumerate() {
            let _ = write!(
                out,
                "ORD-{:0width$},{},{},{qty},{:.5},{:.5},{},{created},{},{},{},",
                i + 1,
                line_no + 1,
                cat.ids[sku as usize],
                o.lat,
                o.lon,
                o.level,
                cat.price_cents[sku as usize],
                o.channel,
                o.allow_split,
            );
            if let Some(m) = o.max_shipments {
                let _ = write!(out, "{m}");
            }
            out.push('\n');
        }
    }
    out
}

/// Each distinct time zone once (unknown names fall back to UTC), and each city's zone index.
fn city_zones(cities: &[City]) -> (Vec<TimeZone>, Vec<usize>) {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut zones = Vec::new();
    let zone_of = cities
        .iter()
        .map(|c| {
            *index.entry(c.timezone.as_str()).or_insert_with(|| {
                zones.push(TimeZone::get(&c.timezone).unwrap_or(TimeZone::UTC));
                zones.len() - 1
            })
        })
        .collect();
    (zones, zone_of)
}
