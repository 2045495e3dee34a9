//! Tests of the `omniroute` command line.

mod dealers;
mod demo_gen;
mod explain;
mod help;
mod hostile;
mod incoming;
mod limits;
mod parquet;
mod pipe;
mod position;
mod report;
mod reroute;
mod route;
mod validate;
mod versions;
mod watch;
