//! The C ABI's tests, one binary: the entry points called as C calls them, and the header.

mod abi;
mod header;
