//! A ledger refusal as a front end shows it: nodes and SKUs by id, not by the core's index.

use omniroute_core::{InventoryError, Network, SkuId, Skus};

/// `e`'s message with each node and SKU named by its id (a SKU the table does not know, which
/// only a bug could produce, keeps its index).
pub fn refusal_message(e: &InventoryError, network: &Network, skus: &Skus) -> String {
    e.describe(&|n| network.node(n).id.clone(), &|s: SkuId| {
        if (s.0 as usize) < skus.len() {
            skus.name(s).to_owned()
        } else {
            format!("#{}", s.0)
        }
    })
}
