//! Route the embedded demo day in the library (no files) and print the plan's totals; then check
//! the plan with the independent checker.

use omniroute_adapters::Inputs;
use omniroute_core::{check, Router};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs = Inputs::demo()?;
    let router = Router::versioned(inputs.network.clone(), &inputs.policies.versions);
    let stock = router.stock_table(inputs.routable_positions());
    let now = "2026-11-26T12:00:00Z".parse()?;
    let plan = router.route_sequential(&inputs.orders, &stock, now);
    let t = plan.totals;
    println!(
        "{} orders, fill rate {:.2} %, {} shipments, {:.0} km, {} cents",
        t.orders,
        100.0 * t.fill_rate(),
        t.shipments,
        t.distance_km,
        t.cost_cents
    );
    let violations = check(
        &plan,
        &inputs.orders,
        &inputs.network,
        &inputs.policies.versions,
        &stock,
        now,
    );
    assert!(violations.is_empty(), "{violations:?}");
    Ok(())
}
