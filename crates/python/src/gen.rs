//! `omniroute.generate`: the seeded instance generator, every unset field taken from
//! `GenConfig::demo()` (6 warehouses, 60 stores, 400 dealers, 2,000 SKUs, 5,000 orders).

use crate::errors::{guard, Failure};
use crate::model::Scenario;
use omniroute_adapters::{generate as gen, india_cities, write_instance, GenConfig, Inputs};
use pyo3::prelude::*;
use std::path::PathBuf;

/// Generates a day on the embedded Indian cities (same seed, same data) and loads it under the
/// default policy; with `out`, also writes nodes.csv, stock.csv and orders.csv there.
#[pyfunction]
#[pyo3(signature = (*, seed=None, warehouses=None, stores=None, dealers=None, skus=None, orders=None, max_lines=None, day=None, categories=None, out=None))]
#[allow(clippy::too_many_arguments)]
pub fn generate(
    py: Python<'_>,
    seed: Option<u64>,
    warehouses: Option<u32>,
    stores: Option<u32>,
    dealers: Option<u32>,
    skus: Option<u32>,
    orders: Option<u32>,
    max_lines: Option<u8>,
    day: Option<jiff::civil::Date>,
    categories: Option<u32>,
    out: Option<PathBuf>,
) -> PyResult<Scenario> {
    let d = GenConfig::demo();
    let cfg = GenConfig {
        seed: seed.unwrap_or(d.seed),
        warehouses: warehouses.unwrap_or(d.warehouses),
        stores: stores.unwrap_or(d.stores),
        dealers: dealers.unwrap_or(d.dealers),
        skus: skus.unwrap_or(d.skus),
        orders: orders.unwrap_or(d.orders),
        max_lines: max_lines.unwrap_or(d.max_lines),
        day: day.unwrap_or(d.day),
        categories: categories.unwrap_or(d.categories),
        ..d
    };
    let inputs = guard(py, move || {
        let inst = gen(&india_cities(), &cfg);
        if let Some(dir) = &out {
            write_instance(dir, &inst).map_err(|e| {
                Failure::Input(omniroute_adapters::InputError::Io {
                    file: dir.display().to_string(),
                    message: e.to_string(),
                })
            })?;
        }
        Ok(Inputs::from_instance("generated", &inst)?)
    })?;
    Scenario::new(py, inputs)
}
