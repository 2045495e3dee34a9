//! A reader that goes away early (`omniroute route … | head`) ends the run quietly.

use crate::{bin, omniroute};
use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn a_closed_stdout_ends_quietly_with_the_routing_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    // Enough decisions (~200 KB) to fill the pipe before the reader leaves.
    omniroute()
        .args(["gen", "--seed", "3", "--orders", "3000", "--out"])
        .arg(dir.path())
        .assert()
        .success();
    let mut child = Command::new(bin())
        .current_dir(dir.path())
        .args([
            "route",
            "--no-progress",
            "--nodes",
            "nodes.csv",
            "--stock",
            "stock.csv",
        ])
        .args(["--orders", "orders.csv", "--now", "2026-11-26T12:00:00Z"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut head = [0u8; 64];
    out.read_exact(&mut head).unwrap();
    assert!(head.starts_with(b"order_id,line_no,"));
    drop(out);
    let result = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&result.stderr);
    assert!(
        matches!(result.status.code(), Some(0 | 1)),
        "exit {:?}, stderr: {err}",
        result.status
    );
    for bad in ["panicked", "Broken pipe", "error"] {
        assert!(!err.contains(bad), "stderr mentions {bad:?}: {err}");
    }
}
