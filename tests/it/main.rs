//! End-to-end tests (one binary): the built `omniroute` CLI driven with `assert_cmd`.

mod cli;
mod docs;
mod fingerprint;
mod partition;
mod pg;
mod serve;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The `omniroute` binary, built once per test run with the same profile as this test binary
/// (the binary lives in another package, so cargo does not build it for us).
pub fn bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("test binary path");
        // target/<profile>/deps/it-<hash>
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target profile dir");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = std::process::Command::new(cargo);
        build
            .args([
                "build",
                "--quiet",
                "-p",
                "omniroute-cli",
                "--bin",
                "omniroute",
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let status = build.status().expect("run cargo build");
        assert!(status.success(), "cargo build -p omniroute-cli failed");
        profile_dir.join(format!("omniroute{}", std::env::consts::EXE_SUFFIX))
    })
}

/// The `omniroute` binary as an `assert_cmd` command.
pub fn omniroute() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(bin());
    cmd.env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100");
    cmd
}

/// The three input files of a folder as flags (run in that folder).
pub const FILES: [&str; 6] = [
    "--nodes",
    "nodes.csv",
    "--stock",
    "stock.csv",
    "--orders",
    "orders.csv",
];

/// `omniroute ARGS… --nodes nodes.csv --stock stock.csv --orders orders.csv`, run in `dir`.
pub fn on_files(dir: impl AsRef<Path>, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = omniroute();
    cmd.current_dir(dir).args(args).args(FILES);
    cmd
}

/// [`on_files`] in the hand-written fixture `small`.
pub fn on_small(args: &[&str]) -> assert_cmd::Command {
    on_files(fixture("small"), args)
}

/// `omniroute check` of `decisions` against the fixture `small`.
pub fn check_small(decisions: &Path) -> assert_cmd::Command {
    let mut cmd = on_small(&["check"]);
    cmd.arg("--decisions").arg(decisions);
    cmd
}

/// The folder of the hand-written fixture `name` under `it/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("it/fixtures")
        .join(name)
}

/// Stdout of an assert as text.
pub fn stdout(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

/// Stderr of an assert as text.
pub fn stderr(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}
