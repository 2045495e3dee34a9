//! omniroute-adapters: file formats, generators and (later) inventory feeds and dealer channels.
//!
//! Adapters read and validate outside data, report every problem at once with a stable code, and
//! hand the core plain values. Nothing here prices or chooses.

mod policy;
mod problem;

pub use policy::read_policy;
pub use problem::{InputError, Problem};
