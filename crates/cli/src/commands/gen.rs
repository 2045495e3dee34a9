//! `omniroute gen`: a seeded, realistic instance written as nodes.csv, stock.csv and orders.csv.

use crate::failure::Failure;
use crate::Global;
use anyhow::Context;
use omniroute_adapters::{
    countries_cities, generate, india_cities, read_cities, write_instance, GenConfig, GenError,
    Source,
};
use omniroute_core::codes::InputCode;
use std::path::PathBuf;

/// Arguments of `omniroute gen`. Every count defaults to the embedded demo scenario's.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  omniroute gen --out day1 --seed 7 --orders 1000\n  omniroute gen --out fr --country FR --warehouses 3\n  omniroute gen --out eu --country FR,DE,ES,IT --stores 200\n  omniroute gen --out mine --cities cities.csv"
)]
pub struct Args {
    /// Folder to write nodes.csv, stock.csv and orders.csv into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Seed of every random draw: the same seed gives byte-identical files [default: 42].
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of warehouses [default: 6].
    #[arg(long, visible_alias = "nodes-warehouses", value_name = "N")]
    pub warehouses: Option<u32>,
    /// Number of stores [default: 60].
    #[arg(long, value_name = "N")]
    pub stores: Option<u32>,
    /// Number of dealers [default: 400].
    #[arg(long, value_name = "N")]
    pub dealers: Option<u32>,
    /// Number of SKUs [default: 2000].
    #[arg(long, value_name = "N")]
    pub skus: Option<u32>,
    /// Number of orders [default: 5000].
    #[arg(long, value_name = "N")]
    pub orders: Option<u32>,
    /// Most lines in an order [default: 5].
    #[arg(long, value_name = "N")]
    pub max_lines: Option<u8>,
    /// The day of the orders, YYYY-MM-DD [default: 2026-11-26].
    #[arg(long, value_name = "DATE")]
    pub day: Option<jiff::civil::Date>,
    /// Places to draw from (GeoNames-style CSV: name, lat, lon, population, timezone…) instead
    /// of the embedded ones.
    #[arg(long, value_name = "PATH")]
    pub cities: Option<String>,
    /// Draw from these countries' places (ISO 3166 codes, comma-separated: FR, or US,CA,MX…):
    /// the embedded world city list, or, with --cities, that file's rows of those countries
    /// (needs a `country` column) [default: IN, the embedded Indian cities].
    #[arg(long, value_name = "CC[,CC…]")]
    pub country: Option<String>,
}

/// Generates and writes the instance.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let d = GenConfig::demo();
    let cfg = GenConfig {
        seed: args.seed.unwrap_or(d.seed),
        warehouses: args.warehouses.unwrap_or(d.warehouses),
        stores: args.stores.unwrap_or(d.stores),
        dealers: args.dealers.unwrap_or(d.dealers),
        skus: args.skus.unwrap_or(d.skus),
        orders: args.orders.unwrap_or(d.orders),
        max_lines: args.max_lines.unwrap_or(d.max_lines).max(1),
        day: args.day.unwrap_or(d.day),
        ..d
    };
    cfg.check().map_err(|e| match e {
        GenError::Empty { .. } => Failure::new(
            InputCode::GenEmpty.id(),
            e.to_string(),
            "ask for at least one node, one SKU and one order",
        ),
        _ => Failure::new(
            InputCode::GenTooLarge.id(),
            e.to_string(),
            "generate less (docs/errors.md lists the limits), or several instances",
        ),
    })?;
    let cities = match (&args.cities, &args.country) {
        (None, None) => india_cities(),
        (None, Some(codes)) => countries_cities(codes).map_err(|code| {
            Failure::new(
                InputCode::NoPlaceInCountry.id(),
                format!("no embedded places for country `{code}`"),
                "give a two-letter ISO 3166 code such as FR, US or BR, or your own places with --cities FILE",
            )
        })?,
        (Some(path), _) => {
            let src = Source::open(path)?;
            read_cities(src.bytes.as_slice(), args.country.as_deref())?
        }
    };
    if cities.is_empty() && cfg.warehouses + cfg.stores + cfg.dealers > 0 {
        return Err(Failure::new(
            InputCode::CommandLine.id(),
            "no places to put nodes in",
            "check the --cities file and the --country code",
        )
        .into());
    }
    let inst = generate(&cities, &cfg);
    write_instance(&args.out, &inst)
        .with_context(|| format!("cannot write into {}", args.out.display()))?;
    if !global.quiet {
        crate::note!(
            "wrote {dir}/nodes.csv ({} nodes), {dir}/stock.csv ({} positions), {dir}/orders.csv ({} orders) with seed {}",
            inst.nodes_csv.lines().count().saturating_sub(1),
            inst.stock_csv.lines().count().saturating_sub(1),
            cfg.orders,
            cfg.seed,
            dir = args.out.display(),
        );
    }
    Ok(crate::EXIT_OK)
}
