//! Where data goes: `--out PATH` or stdout, buffered. A file is written to a temporary file in
//! its folder and renamed into place by [`Output::finish`], so a write that fails part-way (file
//! size limit, disk full) leaves the previous file whole.

use crate::failure::Failure;
use omniroute_adapters::temp_file_in;
use omniroute_core::codes::InputCode;
use std::io::{BufWriter, StdoutLock, Write};
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// An open output: stdout, or a file being written beside its final path.
pub enum Output {
    /// Standard output.
    Stdout(BufWriter<StdoutLock<'static>>),
    /// A temporary file in the target's folder, renamed to `path` on [`Output::finish`].
    File(Staged),
}

/// A file written to a temporary name in its folder; dropped without [`Staged::finish`], the
/// temporary file is removed and the target is untouched.
pub struct Staged {
    file: BufWriter<NamedTempFile>,
    path: PathBuf,
}

impl Staged {
    /// Flushes and renames the file into place (`E1103` on failure).
    pub fn finish(self) -> anyhow::Result<()> {
        let path = self.path;
        let file = self
            .file
            .into_inner()
            .map_err(|e| cannot_write(&path, e.error()))?;
        file.as_file()
            .sync_all()
            .map_err(|e| cannot_write(&path, &e))?;
        file.persist(&path)
            .map_err(|e| cannot_write(&path, &e.error))?;
        Ok(())
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.file.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Output {
    /// Flushes, and renames a file into place.
    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            Output::Stdout(mut out) => Ok(out.flush()?),
            Output::File(staged) => staged.finish(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Output::Stdout(out) => out.write(buf),
            Output::File(staged) => staged.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(out) => out.flush(),
            Output::File(staged) => staged.flush(),
        }
    }
}

/// Opens `--out` (stdout when it is `None` or `-`).
pub fn open(out: Option<&Path>) -> anyhow::Result<Output> {
    match out {
        Some(p) if p != Path::new("-") => Ok(Output::File(create(p)?)),
        _ => Ok(Output::Stdout(BufWriter::new(std::io::stdout().lock()))),
    }
}

/// Starts writing the file `p`: a temporary file in its folder (`E1103` when it cannot be made).
pub fn create(p: &Path) -> anyhow::Result<Staged> {
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let file = temp_file_in(dir).map_err(|e| cannot_write(p, &e))?;
    Ok(Staged {
        file: BufWriter::new(file),
        path: p.to_owned(),
    })
}

/// `E1103`: the output `p` cannot be written.
pub fn cannot_write(p: &Path, e: &std::io::Error) -> anyhow::Error {
    Failure::new(
        InputCode::CannotWrite.id(),
        format!("cannot write {}: {e}", p.display()),
        "check that the folder exists and is writable, and that the disk has room",
    )
    .into()
}

/// Cents for people in the policy's currency (`₹12,345.67`, `CHF 0.05`), or `N cents` without
/// one.
pub use omniroute_adapters::amount;

/// Formats an integer with thousands separators.
pub use omniroute_core::group_thousands as group;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(999), "999");
    }

    #[test]
    fn a_file_appears_only_when_finished() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "previous\n").unwrap();
        let mut out = open(Some(&path)).unwrap();
        out.write_all(b"new\n").unwrap();
        out.flush().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "previous\n");
        out.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        let dropped = open(Some(&path)).unwrap();
        drop(dropped);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "the temporary file is removed when dropped");
    }
}
