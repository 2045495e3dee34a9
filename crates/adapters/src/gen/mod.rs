//! A seeded generator of realistic routing instances, and the embedded default scenario.
//!
//! [`generate`] turns a list of real places ([`City`], for example [`india_cities`] or
//! [`country_cities`]) and a [`GenConfig`] into the three CSV files of docs/design.md §7
//! ([`Instance`]). The same seed gives byte-identical output: every draw comes from one
//! `ChaCha8Rng` in a fixed order and nothing is read back from a hash map.
//!
//! Realism choices, each a plain constant in its file:
//! - **Warehouses** (`network.rs`) sit in the most populous cities, no two within 300 km (the
//!   spacing halves until the requested number fits), so they cover the country's big markets.
//! - **Stores** are in cities of at least [`GenConfig::store_min_population`] (100,000 by default),
//!   drawn in proportion to population, so a megacity gets several. **Dealers** are in the
//!   smaller towns, drawn in proportion to population among the places below that threshold.
//! - **Locations**: every node and customer is jittered uniformly in a disc around the city
//!   centre whose radius grows with √population, from 1 km (towns) to 8 km (megacities).
//!   A node's time zone is its city's.
//! - **Ids**: `WH-MUM-01`, `ST-DEL-03`, `DL-KOT-12` (three ASCII letters of the city name,
//!   diacritics folded, and a counter), `SKU-000001`, `ORD-0000001`.
//! - **Node terms**: warehouses get a daily capacity of about twice their share of the day's
//!   units; stores 20–120 units; dealers 3–15 shipments and a margin of 800–1,500 bps. Reach and
//!   costs are mostly left empty (the policy's default for the kind) with a few overrides: 30 %
//!   of warehouses pay 0.4 ¢/km, 10 % of stores have a 19:00 cut-off and 5 % no same-day service,
//!   20 % of dealers need a handling day, 10 % ship standard only within 300 km, 2 % are
//!   inactive. Tags: `dc`, `metro` (city ≥ 1 M), `state-<admin1>`, dealers' `cat-NN`.
//! - **Catalogue** (`stock.rs`): popularity is Zipf-like (share ∝ 1 / rank^1.1) over a random
//!   order unrelated to the ids; unit prices are log-uniform between ₹299 and ₹9,999, ending in
//!   99, in paise; each SKU is in one of [`GenConfig::categories`] categories.
//! - **Stock**: warehouses list ~92 % of SKUs, deep (their share of the day's expected demand
//!   × 0.3–2, plus 2–30); stores carry the popular head (the top 10 % of SKUs, at most 2,500, each
//!   with probability 85 % falling to 50 % down the list), shallow (0–30); dealers carry one or
//!   two categories (≈ 250 SKUs of each), 1–5 units. 3 % of SKUs are out of stock at every
//!   warehouse and 2 % of warehouse positions are zero, so some orders are hard to fill; a few
//!   positions carry reservations or a safety stock of 1.
//! - **Orders** (`orders.rs`): destinations drawn in proportion to population; 1…`max_lines`
//!   distinct SKUs with each extra line 0.45 times as likely (≈ 83 % of orders have 1–2 lines);
//!   quantity 1 (85 %), 2 (10 %) or 3 (5 %); service levels 10 % same day, 25 % next day, 65 %
//!   standard; channels web 45 %, app 35 %, marketplace 20 %; 10 % refuse splits, 18 % allow
//!   at most 2 shipments. `created_at` follows an hourly curve in the customer's local time
//!   (quiet nights, evening peak at 21:00), written in UTC; rows are in `created_at` order.
//!
//! Cost: O((nodes + SKUs) · log + warehouses × SKUs + orders · lines · log SKUs) — a
//! 2,000-node, 50,000-SKU, 100,000-order instance takes well under a few seconds in release.

mod cities;
mod network;
mod orders;
mod sample;
mod stock;
mod world;
mod write;

#[cfg(test)]
mod tests;

pub use cities::{india_cities, read_cities, City};
pub use world::{countries_cities, country_cities};
pub use write::{temp_file_in, write_instance};

use jiff::civil::Date;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What to generate. Build [`GenConfig::demo`] and change the fields you need.
#[derive(Debug, Clone, PartialEq)]
pub struct GenConfig {
    /// Seed of every random draw: the same seed (and cities) gives byte-identical files.
    pub seed: u64,
    /// Number of warehouses.
    pub warehouses: u32,
    /// Number of stores.
    pub stores: u32,
    /// Number of dealers.
    pub dealers: u32,
    /// Number of SKUs in the catalogue.
    pub skus: u32,
    /// Number of orders (none when `skus` is 0).
    pub orders: u32,
    /// Most lines in an order (at least 1).
    pub max_lines: u8,
    /// The day the orders are created, in each customer's local time.
    pub day: Date,
    /// Number of product categories (dealers carry one or two).
    pub categories: u32,
    /// Stores go to places with at least this population, dealers to the others.
    pub store_min_population: u64,
    /// Exponent of the Zipf popularity of SKUs (share ∝ 1 / rank^s).
    pub zipf_s: f64,
}

impl GenConfig {
    /// The embedded default scenario: 6 warehouses, 60 stores, 400 dealers, 2,000 SKUs in 20
    /// categories, 5,000 orders of up to 5 lines on 2026-11-26, seed 42.
    ///
    /// ```
    /// let cfg = omniroute_adapters::GenConfig::demo();
    /// assert_eq!((cfg.warehouses, cfg.stores, cfg.dealers), (6, 60, 400));
    /// ```
    pub fn demo() -> Self {
        Self {
            seed: 42,
            warehouses: 6,
            stores: 60,
            dealers: 400,
            skus: 2_000,
            orders: 5_000,
            max_lines: 5,
            day: jiff::civil::date(2026, 11, 26),
            categories: 20,
            store_min_population: 100_000,
            zipf_s: 1.1,
        }
    }
}

/// The largest counts [`GenConfig::check`] accepts: beyond them the files would take gigabytes
/// (and the allocation could fail). Warehouses list ~92 % of the SKUs, so their product is
/// limited too.
pub const GEN_LIMITS: GenLimits = GenLimits {
    nodes: 200_000,
    skus: 1_000_000,
    orders: 1_000_000,
    warehouse_positions: 10_000_000,
};

/// Limits on a generated instance's size (see [`GEN_LIMITS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenLimits {
    /// Most warehouses + stores + dealers.
    pub nodes: u64,
    /// Most SKUs.
    pub skus: u64,
    /// Most orders.
    pub orders: u64,
    /// Most warehouses × SKUs.
    pub warehouse_positions: u64,
}

/// A [`GenConfig`] that [`generate`] should not be given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GenError {
    /// A count is above its limit in [`GEN_LIMITS`].
    #[error("{what} is {value}, above the limit of {limit}")]
    TooLarge {
        /// What was counted (for example `orders`).
        what: &'static str,
        /// The count asked for.
        value: u64,
        /// The limit.
        limit: u64,
    },
    /// A count is 0, so a file would have no rows and the readers would reject it.
    #[error("{what} is 0: {file} would have no rows, which the readers reject")]
    Empty {
        /// What was counted.
        what: &'static str,
        /// The file left without rows.
        file: &'static str,
    },
}

impl GenConfig {
    /// Checks the counts: at most [`GEN_LIMITS`], and at least one node, SKU and order (a file
    /// without rows is rejected by the readers).
    ///
    /// ```
    /// use omniroute_adapters::{GenConfig, GenError};
    /// assert_eq!(GenConfig::demo().check(), Ok(()));
    /// let huge = GenConfig { orders: u32::MAX, ..GenConfig::demo() };
    /// assert!(matches!(huge.check(), Err(GenError::TooLarge { what: "orders", .. })));
    /// ```
    pub fn check(&self) -> Result<(), GenError> {
        let nodes = u64::from(self.warehouses) + u64::from(self.stores) + u64::from(self.dealers);
        let l = GEN_LIMITS;
        for (what, value, limit) in [
            ("the number of nodes", nodes, l.nodes),
            ("skus", u64::from(self.skus), l.skus),
            ("orders", u64::from(self.orders), l.orders),
            (
                "warehouses × skus",
                u64::from(self.warehouses) * u64::from(self.skus),
                l.warehouse_positions,
            ),
        ] {
            if value > limit {
                return Err(GenError::TooLarge { what, value, limit });
            }
        }
        for (what, value, file) in [
            ("the number of nodes", nodes, "nodes.csv"),
            ("skus", u64::from(self.skus), "stock.csv"),
            ("orders", u64::from(self.orders), "orders.csv"),
        ] {
            if value == 0 {
                return Err(GenError::Empty { what, file });
            }
        }
        Ok(())
    }
}

impl Default for GenConfig {
    /// [`GenConfig::demo`].
    fn default() -> Self {
        Self::demo()
    }
}

/// A generated instance: the text of the three input files of docs/design.md §7.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// `nodes.csv`: warehouses, then stores, then dealers.
    pub nodes_csv: String,
    /// `stock.csv`: each node's positions, nodes in `nodes.csv` order, SKUs by id.
    pub stock_csv: String,
    /// `orders.csv`: one row per line, orders contiguous and in `created_at` order.
    pub orders_csv: String,
}

/// Generates an instance on `cities` (the `gen` module docs say the choices made).
///
/// # Panics
/// If `cities` is empty and nodes are asked for.
///
/// ```
/// use omniroute_adapters::{generate, india_cities, GenConfig};
/// let cfg = GenConfig { warehouses: 2, stores: 3, dealers: 4, skus: 50, orders: 10, ..GenConfig::demo() };
/// let inst = generate(&india_cities(), &cfg);
/// assert_eq!(inst.nodes_csv.lines().count(), 1 + 9);
/// assert!(inst.orders_csv.starts_with("order_id,line_no,sku,qty,"));
/// ```
pub fn generate(cities: &[City], cfg: &GenConfig) -> Instance {
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let units = expected_units(cfg);
    let catalogue = stock::Catalogue::new(cfg.skus, cfg.categories, cfg.zipf_s, &mut rng);
    let nodes = network::place_nodes(cities, cfg, units, &mut rng);
    Instance {
        nodes_csv: network::nodes_csv(cities, &nodes),
        stock_csv: stock::stock_csv(&nodes, &catalogue, units, &mut rng),
        orders_csv: orders::orders_csv(cities, cfg, &catalogue, &mut rng),
    }
}

/// The embedded default scenario: [`generate`] on [`india_cities`] with [`GenConfig::demo`].
///
/// ```
/// let demo = omniroute_adapters::demo_instance();
/// assert!(demo.nodes_csv.contains("WH-MUM-01,warehouse,"));
/// ```
pub fn demo_instance() -> Instance {
    generate(&india_cities(), &GenConfig::demo())
}

/// Expected units ordered in the day: orders × mean lines × mean quantity.
fn expected_units(cfg: &GenConfig) -> f64 {
    let weights: Vec<f64> = (0..cfg.max_lines.max(1))
        .map(|k| orders::LINES_DECAY.powi(i32::from(k)))
        .collect();
    let total: f64 = weights.iter().sum();
    let mean_lines: f64 = weights
        .iter()
        .enumerate()
        .map(|(k, w)| (k + 1) as f64 * w / total)
        .sum();
    let mean_qty: f64 = orders::QTY_WEIGHTS
        .iter()
        .enumerate()
        .map(|(q, w)| (q + 1) as f64 * w)
        .sum();
    f64::from(cfg.orders) * mean_lines * mean_qty
}
