//! Writing an instance's three files to a folder.

use super::Instance;
use std::path::Path;

/// Writes `nodes.csv`, `stock.csv` and `orders.csv` into `dir` (created if missing), replacing
/// files of those names.
///
/// ```no_run
/// # fn main() -> std::io::Result<()> {
/// let instance = omniroute_adapters::demo_instance();
/// omniroute_adapters::write_instance(std::path::Path::new("demo"), &instance)?;
/// # Ok(())
/// # }
/// ```
pub fn write_instance(dir: &Path, inst: &Instance) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("nodes.csv"), &inst.nodes_csv)?;
    std::fs::write(dir.join("stock.csv"), &inst.stock_csv)?;
    std::fs::write(dir.join("orders.csv"), &inst.orders_csv)
}
