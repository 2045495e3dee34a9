//! Writing an instance's three files to a folder.

use super::Instance;
use std::io::Write;
use std::path::Path;

/// Writes `nodes.csv`, `stock.csv` and `orders.csv` into `dir` (created if missing), replacing
/// files of those names. Each file is written to a temporary file in `dir` and renamed into
/// place, so a write that fails part-way leaves the previous file whole.
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
    for (name, text) in [
        ("nodes.csv", &inst.nodes_csv),
        ("stock.csv", &inst.stock_csv),
        ("orders.csv", &inst.orders_csv),
    ] {
        let mut file = temp_file_in(dir)?;
        file.write_all(text.as_bytes())?;
        file.as_file().sync_all()?;
        file.persist(dir.join(name))?;
    }
    Ok(())
}

/// A new temporary file in `dir`, to be renamed over its target once written whole (the same
/// folder, so the rename is atomic). Readable as a file created with `File::create` is (mode
/// 0o666 less the umask; tempfile's default is 0o600).
pub fn temp_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(dir)
}
