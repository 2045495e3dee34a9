//! Shared helpers for omniroute benchmarks.
