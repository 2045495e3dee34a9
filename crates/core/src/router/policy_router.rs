//! [`PolicyRouter`]: routing under one policy. [`Router`](super::Router) keeps one per policy
//! version and hands each order to its version's; nothing here knows of versions.

use super::filter::RuleSets;
use super::terms::NetworkTerms;
use super::{margin_cents, Limits, Load, StockTable};
use crate::{Network, NodeIdx, Order, OrderLine, Policy};
use jiff::Timestamp;
use std::sync::Arc;

/// The network, one policy and every node's terms under it, resolved once.
#[derive(Debug, Clone)]
pub(crate) struct PolicyRouter {
    pub(super) network: Arc<Network>,
    pub(super) policy: Arc<Policy>,
    pub(super) terms: NetworkTerms,
    /// The node sets of the policy rules' tag filters and groups.
    pub(super) sets: RuleSets,
    pub(super) limits: Limits,
    /// What [`super::reach::Reach::of`] keeps across orders.
    pub(super) reach_memo: super::reach::ReachCell,
}

impl PolicyRouter {
    pub(super) fn new(network: Arc<Network>, policy: Arc<Policy>) -> Self {
        Self {
            terms: NetworkTerms::new(&network, &policy),
            sets: RuleSets::new(&network, &policy),
            network,
            policy,
            limits: Limits::DEFAULT,
            reach_memo: super::reach::ReachCell::default(),
        }
    }

    /// `order`'s floor under this policy (see `Router::floor_cents`).
    pub(super) fn floor_under(
        &self,
        order: &Order,
        stock: &StockTable,
        load: &Load,
        now: Timestamp,
    ) -> i64 {
        let terms = super::order_terms::OrderTerms::resolve(order, &self.policy);
        self.search(order, &terms, stock, load, now, None, None, |search| {
            search.floor_cents()
        })
    }

    /// Handling, margin and inventory balance (against `stock`) of each of `order`'s lines at
    /// `node`, into `out`.
    pub(super) fn line_cents(
        &self,
        node: NodeIdx,
        order: &Order,
        stock: &StockTable,
        out: &mut [i64],
    ) {
        let t = &self.terms.nodes[node.0 as usize];
        for (slot, line) in out.iter_mut().zip(&order.lines) {
            *slot = t.per_unit_cents * i64::from(line.qty)
                + margin_cents(t.margin_bps, line.value_cents());
        }
        if self.policy.balance.is_some() {
            for (slot, line) in out.iter_mut().zip(&order.lines) {
                *slot += self.balance_cents(node, line, stock);
            }
        }
    }

    /// The inventory balance of shipping `line` from `node` against `stock` (0 when the policy
    /// has no balance term).
    pub(super) fn balance_cents(&self, node: NodeIdx, line: &OrderLine, stock: &StockTable) -> i64 {
        self.policy
            .balance
            .map_or(0, |b| b.cents(stock.qty(node, line.sku), line.qty))
    }
}
