//! Inventory ledger (stub: replaced by the concurrent ledger).

/// The live inventory of every (node, SKU) position.
#[derive(Debug, Default)]
pub struct Inventory {}
