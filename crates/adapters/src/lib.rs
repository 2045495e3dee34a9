//! omniroute-adapters: file formats and generators.
