//! The `omniroute` command-line tool.
fn main() {}
