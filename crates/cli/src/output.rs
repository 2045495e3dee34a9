//! Where data goes: `--out PATH` or stdout, buffered.

use crate::failure::Failure;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Opens `--out` (created or replaced) or stdout when it is `None` or `-`.
pub fn open(out: Option<&Path>) -> anyhow::Result<Box<dyn Write>> {
    match out {
        Some(p) if p != Path::new("-") => Ok(Box::new(create(p)?)),
        _ => Ok(Box::new(BufWriter::new(std::io::stdout().lock()))),
    }
}

/// Creates (or replaces) the file `p`, buffered.
pub fn create(p: &Path) -> anyhow::Result<BufWriter<std::fs::File>> {
    let file = std::fs::File::create(p).map_err(|e| {
        Failure::new(
            "E1103",
            format!("cannot write {}: {e}", p.display()),
            "check that the folder exists and is writable",
        )
    })?;
    Ok(BufWriter::new(file))
}

/// Formats cents as rupees with two decimals and thousands separators: `1234567` → `12,345.67`.
pub fn rupees(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    format!("{sign}{}.{:02}", group(c / 100), c % 100)
}

/// Formats an integer with thousands separators.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_money() {
        assert_eq!(rupees(1_234_567), "12,345.67");
        assert_eq!(rupees(5), "0.05");
        assert_eq!(rupees(-250), "-2.50");
        assert_eq!(group(1_000), "1,000");
        assert_eq!(group(999), "999");
    }
}
