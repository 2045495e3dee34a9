//! Tests of the `omniroute` command line.

mod demo_gen;
mod explain;
mod help;
mod route;
mod validate;
