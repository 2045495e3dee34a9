//! omniroute-py: the PyO3 module `omniroute._omniroute` behind the `omniroute` Python package.
//!
//! Thin by design: convert inputs, release the GIL, call `omniroute-core` / `omniroute-adapters`,
//! convert outputs. No pricing, filtering or defaults live here. Every call into the core goes
//! through `errors::guard` (GIL released, panics caught); every failure becomes a Python
//! exception in `errors.rs`, the one place that maps them.

mod decision;
mod errors;
mod frame;
mod gen;
mod kpis;
mod model;
mod plan;
mod pool;
mod reroute;
mod router;
mod table;

use pyo3::prelude::*;

/// The allocator of the `omniroute` CLI: the router allocates a few short-lived buffers per
/// order, which mimalloc serves faster than the system allocator (benches/README.md). It serves
/// this module's Rust allocations only; Python objects keep Python's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[pymodule]
fn _omniroute(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<model::Policy>()?;
    m.add_class::<model::Network>()?;
    m.add_class::<model::Inventory>()?;
    m.add_class::<model::Orders>()?;
    m.add_class::<model::Order>()?;
    m.add_class::<model::Scenario>()?;
    m.add_class::<router::Router>()?;
    m.add_class::<plan::Plan>()?;
    m.add_class::<reroute::Rerouted>()?;
    m.add_class::<decision::Decision>()?;
    m.add_class::<decision::Shipment>()?;
    m.add_class::<decision::Line>()?;
    m.add_class::<decision::UnfilledLine>()?;
    m.add_class::<decision::Candidate>()?;
    m.add_class::<decision::CostBreakdown>()?;
    m.add_class::<decision::PlanTotals>()?;
    m.add_class::<decision::Violation>()?;
    m.add_function(wrap_pyfunction!(model::load, m)?)?;
    m.add_function(wrap_pyfunction!(model::demo, m)?)?;
    m.add_function(wrap_pyfunction!(gen::generate, m)?)?;
    m.add_function(wrap_pyfunction!(kpis::kpis, m)?)?;
    m.add_function(wrap_pyfunction!(kpis::business, m)?)?;
    m.add_function(wrap_pyfunction!(pool::num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(pool::_after_fork_in_child, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_panic_for_test, m)?)?;
    Ok(())
}
