//! [`PolicyRouter`]: routing under one policy. [`Router`](super::Router) keeps one per policy
//! version and hands each order to its version's; nothing here knows of versions.

use super::terms::NetworkTerms;
use super::{margin_cents, Decision, Limits, Load, Prices, StockTable};
use crate::{Network, NodeIdx, Order, Policy};
use jiff::Timestamp;
use std::sync::Arc;

/// The network, one policy and every node's terms under it, resolved once.
#[derive(Debug, Clone)]
pub(crate) struct PolicyRouter {
    pub(super) network: Arc<Network>,
    pub(super) policy: Arc<Policy>,
    pub(super) terms: NetworkTerms,
    pub(super) limits: Limits,
}

impl PolicyRouter {
    pub(super) fn new(network: Arc<Network>, policy: Arc<Policy>) -> Self {
        Self {
            terms: NetworkTerms::new(&network, &policy),
            network,
            policy,
            limits: Limits::DEFAULT,
        }
    }

    /// Routes `order` under this policy (see `Router::route_priced`).
    pub(super) fn route_under(
        &self,
        order: &Order,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
        prices: Option<&Prices>,
    ) -> Decision {
        self.search(order, stock, load, now, prices, |mut search, rules| {
            if !order.lines.is_empty() {
                search.run();
            }
            search.finish(rules)
        })
    }

    /// `order`'s floor under this policy (see `Router::floor_cents`).
    pub(super) fn floor_under(
        &self,
        order: &Order,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
    ) -> i64 {
        self.search(order, stock, load, now, None, |search, _| {
            search.floor_cents()
        })
    }

    /// Handling and margin of each of `order`'s lines at `node`, into `out`.
    pub(super) fn line_cents(&self, node: NodeIdx, order: &Order, out: &mut [i64]) {
        let t = &self.terms.nodes[node.0 as usize];
        for (slot, line) in out.iter_mut().zip(&order.lines) {
            *slot = t.per_unit_cents * i64::from(line.qty)
                + margin_cents(t.margin_bps, line.value_cents());
        }
    }
}
