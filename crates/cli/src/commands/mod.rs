//! One module per command, each with its `Args` and `run`.

pub mod check;
pub mod completions;
#[cfg(feature = "postgres")]
pub mod db;
pub mod demo;
pub mod explain;
pub mod gen;
pub mod position;
pub mod report;
pub mod reroute;
pub mod route;
pub mod serve;
mod serve_dealers;
pub mod simulate;
pub mod validate;
pub mod watch;
