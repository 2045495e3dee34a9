//! [`KindsHeld`]: what the line floors know of a long list they leave unread
//! ([`LineFloors::unread`](super::LineFloors)).

use crate::router::search::Search;
use crate::router::terms::INACTIVE;

/// Of one line's holders, how many hold enough units and the kinds of those that are active:
/// one pass over the list's units and a byte per holder from a table of a byte per node, where
/// reading the holders themselves (their locations, reach and terms) costs a cache line or
/// more each.
pub(super) struct KindsHeld {
    pub enough: usize,
    /// Bit [`NodeKind::index`](crate::NodeKind::index) set: an active holder of that kind
    /// holds enough.
    pub mask: u8,
}

impl KindsHeld {
    /// Of line `l`'s holders; `None` once more than an eighth of them are of a kind whose
    /// reach is limited (the floors read the list then: which holders are within reach decides
    /// much, how far a line may come from and how long its list is).
    pub(super) fn of(s: &Search<'_>, l: usize) -> Option<Self> {
        let line = &s.ctx.order.lines[l];
        let (holders, held) = s.stock.posting(line.sku);
        let terms = &s.router.terms;
        let level = usize::from(s.ctx.order.service_level.0);
        let reach = &terms.kind_reach_chord2[level];
        let mut enough = 0;
        let mut limited = 0;
        let mut mask = 0u8;
        for (&n, &units) in holders.iter().zip(held) {
            if units >= line.qty {
                // What the floors make of the line changes when one of these stops holding
                // enough (none can start to during a batch), the one that ends the pass early
                // included: marked before that.
                s.stock.read_at(n);
                enough += 1;
                let k = terms.kinds[n.0 as usize];
                if k != INACTIVE {
                    mask |= 1 << k;
                }
                // The squared diameter: every destination.
                if k == INACTIVE || reach[usize::from(k)] < 4.0 {
                    limited += 1;
                    if limited * 8 > holders.len() {
                        return None;
                    }
                }
            }
        }
        (limited * 8 <= enough).then_some(Self { enough, mask })
    }
}
