//! Random operation sequences checked against a plain single-threaded model of the ledger.

use super::*;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

type Key = (u32, u32);

#[derive(Debug, Clone)]
enum Op {
    Snapshot(Vec<(u32, u32, u32, u32, u32)>),
    NodeSnapshot(u32, Vec<(u32, u32, u32, u32)>, bool),
    Deltas(Vec<(u32, u64, u32, i64)>),
    Reserve(u64, Vec<(u32, u32, u32)>, i64, i64),
    Commit(u64, i64),
    Release(u64),
    Expire(i64),
    Return(u32, u32, u32),
}

fn op() -> impl Strategy<Value = Op> {
    let id = 0..6u64;
    let time = 0..100i64;
    let stock = (0..8u32, 0..3u32, 0..3u32);
    prop_oneof![
        1 => prop::collection::vec((0..3u32, 0..3u32, stock.clone()), 0..6).prop_map(|rows| {
            Op::Snapshot(rows.into_iter().map(|(n, s, (q, r, ss))| (n, s, q, r, ss)).collect())
        }),
        1 => (0..3u32, prop::collection::vec((0..3u32, stock), 0..4), prop::bool::weighted(0.2))
            .prop_map(|(n, rows, stray)| {
                let rows = rows.into_iter().map(|(s, (q, r, ss))| (s, q, r, ss)).collect();
                Op::NodeSnapshot(n, rows, stray)
            }),
        3 => prop::collection::vec((0..3u32, 0..12u64, 0..3u32, -6..6i64), 1..4)
            .prop_map(Op::Deltas),
        4 => (id.clone(), prop::collection::vec((0..3u32, 0..3u32, 0..5u32), 0..4), time.clone(), 0..50i64)
            .prop_map(|(id, lines, now, ttl)| Op::Reserve(id, lines, now, ttl)),
        2 => (id.clone(), time.clone()).prop_map(|(id, now)| Op::Commit(id, now)),
        1 => id.prop_map(Op::Release),
        1 => time.prop_map(Op::Expire),
        1 => (0..3u32, 0..3u32, 0..4u32).prop_map(|(n, s, q)| Op::Return(n, s, q)),
    ]
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct MPos {
    on_hand: i64,
    live: i64,
    ext: i64,
    safety: i64,
    shipped: i64,
    returned: i64,
    delta_in: i64,
    snapshot_in: i64,
}

impl MPos {
    fn routable(&self) -> i64 {
        (self.on_hand - self.live - self.ext - self.safety).max(0)
    }
    fn set(&mut self, on_hand: u32, ext: u32, safety: u32) {
        self.snapshot_in += i64::from(on_hand) - self.on_hand;
        (self.on_hand, self.ext, self.safety) = (on_hand.into(), ext.into(), safety.into());
    }
}

/// The obvious sequential ledger: what the concurrent one must agree with.
#[derive(Debug, Clone, Default)]
struct Model {
    pos: BTreeMap<Key, MPos>,
    res: BTreeMap<u64, (Vec<(Key, i64)>, i64)>,
    seq: BTreeMap<u32, (u64, BTreeSet<u64>)>,
}

impl Model {
    fn free(&mut self, id: u64) {
        let (lines, _) = self.res.remove(&id).unwrap();
        for (key, qty) in lines {
            self.pos.get_mut(&key).unwrap().live -= qty;
        }
    }

    fn deltas(&mut self, deltas: &[(u32, u64, u32, i64)]) -> Result<String, &'static str> {
        let mut next = self.clone();
        let mut out = Vec::new();
        for &(n, seq, s, change) in deltas {
            // Per node: the first number and every number applied since; the lowest missing
            // number above the first decides between Applied and Gap.
            let outcome = match next.seq.get(&n) {
                Some((start, applied)) if seq <= *start || applied.contains(&seq) => {
                    DeltaOutcome::Duplicate
                }
                Some((start, applied)) => {
                    let missing = (start + 1..=u64::MAX)
                        .find(|m| !applied.contains(m))
                        .unwrap();
                    if missing == seq {
                        DeltaOutcome::Applied
                    } else {
                        DeltaOutcome::Gap {
                            expected: missing,
                            got: seq,
                        }
                    }
                }
                None => DeltaOutcome::Applied,
            };
            if outcome != DeltaOutcome::Duplicate {
                let p = next.pos.entry((n, s)).or_default();
                if p.on_hand + change < 0 {
                    return Err("E3001");
                }
                p.on_hand += change;
                p.delta_in += change;
                next.seq
                    .entry(n)
                    .or_insert((seq, BTreeSet::new()))
                    .1
                    .insert(seq);
            }
            out.push(outcome);
        }
        *self = next;
        Ok(format!("{out:?}"))
    }

    fn reserve(
        &mut self,
        id: u64,
        lines: &[(u32, u32, u32)],
        expires: i64,
    ) -> Result<(), &'static str> {
        if self.res.contains_key(&id) {
            return Err("E3004");
        }
        let mut wanted: Vec<(Key, i64)> = Vec::new();
        for &(n, s, q) in lines.iter().filter(|l| l.2 > 0) {
            match wanted.iter_mut().find(|w| w.0 == (n, s)) {
                Some(w) => w.1 += i64::from(q),
                None => wanted.push(((n, s), q.into())),
            }
        }
        for &(key, qty) in &wanted {
            if qty > self.pos.get(&key).map_or(0, MPos::routable) {
                return Err("E3003");
            }
        }
        for &(key, qty) in &wanted {
            self.pos.get_mut(&key).unwrap().live += qty;
        }
        self.res.insert(id, (wanted, expires));
        Ok(())
    }

    /// Applies `op`; returns the error code or a description of the success.
    fn apply(&mut self, op: &Op) -> Result<String, &'static str> {
        match op {
            Op::Snapshot(rows) => {
                self.pos.values_mut().for_each(|p| p.set(0, 0, 0));
                for &(n, s, q, r, ss) in rows {
                    self.pos.entry((n, s)).or_default().set(q, r, ss);
                }
            }
            Op::NodeSnapshot(node, rows, stray) => {
                if *stray {
                    return Err("E3008");
                }
                self.pos
                    .iter_mut()
                    .filter(|(k, _)| k.0 == *node)
                    .for_each(|(_, p)| p.set(0, 0, 0));
                for &(s, q, r, ss) in rows {
                    self.pos.entry((*node, s)).or_default().set(q, r, ss);
                }
            }
            Op::Deltas(deltas) => return self.deltas(deltas),
            Op::Reserve(id, lines, now, ttl) => self.reserve(*id, lines, now + ttl)?,
            Op::Commit(id, now) => {
                let Some((lines, expires)) = self.res.get(id).cloned() else {
                    return Err("E3005");
                };
                if expires <= *now {
                    self.free(*id);
                    return Err("E3006");
                }
                if lines.iter().any(|(key, qty)| self.pos[key].on_hand < *qty) {
                    return Err("E3007");
                }
                self.res.remove(id);
                for (key, qty) in lines {
                    let p = self.pos.get_mut(&key).unwrap();
                    (p.on_hand, p.live, p.shipped) =
                        (p.on_hand - qty, p.live - qty, p.shipped + qty);
                }
            }
            Op::Release(id) => {
                if !self.res.contains_key(id) {
                    return Err("E3005");
                }
                self.free(*id);
            }
            Op::Expire(now) => {
                let due: Vec<u64> = self
                    .res
                    .iter()
                    .filter(|(_, r)| r.1 <= *now)
                    .map(|(id, _)| *id)
                    .collect();
                for &id in &due {
                    self.free(id);
                }
                return Ok(format!("{due:?}"));
            }
            Op::Return(n, s, q) => {
                let p = self.pos.entry((*n, *s)).or_default();
                p.on_hand += i64::from(*q);
                p.returned += i64::from(*q);
            }
        }
        Ok(String::new())
    }
}

fn at(second: i64) -> Timestamp {
    Timestamp::from_second(1_700_000_000 + second).unwrap()
}

/// Runs `op` on the real ledger, answering in the model's terms.
fn run(inv: &Inventory, op: &Op) -> Result<String, &'static str> {
    let code = |e: InventoryError| e.code();
    let (n, s) = (NodeIdx, SkuId);
    match op {
        Op::Snapshot(rows) => {
            inv.replace_snapshot(rows.iter().map(|&(node, sku, q, r, ss)| StockRow {
                node: n(node),
                sku: s(sku),
                on_hand: q,
                reserved: r,
                safety_stock: ss,
            }));
        }
        Op::NodeSnapshot(node, rows, stray) => {
            let mut rows: Vec<StockRow> = rows
                .iter()
                .map(|&(sku, q, r, ss)| StockRow {
                    node: n(*node),
                    sku: s(sku),
                    on_hand: q,
                    reserved: r,
                    safety_stock: ss,
                })
                .collect();
            if *stray {
                rows.push(StockRow {
                    node: n(node + 1),
                    sku: s(0),
                    on_hand: 1,
                    reserved: 0,
                    safety_stock: 0,
                });
            }
            inv.replace_node_snapshot(n(*node), rows).map_err(code)?;
        }
        Op::Deltas(deltas) => {
            let deltas: Vec<Delta> = deltas
                .iter()
                .map(|&(node, seq, sku, change)| Delta {
                    node: n(node),
                    seq,
                    sku: s(sku),
                    change,
                })
                .collect();
            return Ok(format!("{:?}", inv.apply_deltas(&deltas).map_err(code)?));
        }
        Op::Reserve(id, lines, now, ttl) => {
            let lines: Vec<ReserveLine> = lines
                .iter()
                .map(|&(node, sku, qty)| ReserveLine {
                    node: n(node),
                    sku: s(sku),
                    qty,
                })
                .collect();
            let ttl = SignedDuration::from_secs(*ttl);
            inv.reserve(ReservationId(*id), &lines, at(*now), ttl)
                .map_err(code)?;
        }
        Op::Commit(id, now) => inv.commit(ReservationId(*id), at(*now)).map_err(code)?,
        Op::Release(id) => inv.release(ReservationId(*id)).map_err(code)?,
        Op::Expire(now) => {
            let ids: Vec<u64> = inv.expire(at(*now)).into_iter().map(|id| id.0).collect();
            return Ok(format!("{ids:?}"));
        }
        Op::Return(node, sku, q) => inv.return_units(n(*node), s(*sku), *q).map_err(code)?,
    }
    Ok(String::new())
}

/// The model's positions as the ledger reports them, empty positions left out.
fn expected(model: &Model) -> Vec<(NodeIdx, SkuId, Position)> {
    let mut out: Vec<_> = model
        .pos
        .iter()
        .map(|(&(n, s), p)| {
            let u = |v: i64| u32::try_from(v).unwrap();
            let position = Position {
                on_hand: u(p.on_hand),
                reserved: u(p.live + p.ext),
                external_reserved: u(p.ext),
                safety_stock: u(p.safety),
                incoming: Incoming::default(),
                shipped: p.shipped as u64,
                returned: p.returned as u64,
                delta_in: p.delta_in,
                snapshot_in: p.snapshot_in,
            };
            assert_eq!(i64::from(position.routable()), p.routable());
            (NodeIdx(n), SkuId(s), position)
        })
        .filter(|(_, _, p)| *p != Position::default())
        .collect();
    out.sort_by_key(|&(n, s, _)| (s, n));
    out
}

proptest! {
    #[test]
    fn random_operations_match_the_model(ops in prop::collection::vec(op(), 1..40)) {
        let inv = Inventory::with_shards(2);
        let mut model = Model::default();
        for (i, op) in ops.iter().enumerate() {
            let want = model.apply(op);
            let got = run(&inv, op);
            prop_assert_eq!(&got, &want, "op {} {:?}", i, op);
            let mut seen = inv.positions();
            for (_, _, p) in &seen {
                prop_assert_eq!(p.unaccounted_units(), 0);
            }
            seen.retain(|(_, _, p)| *p != Position::default());
            prop_assert_eq!(seen, expected(&model), "after op {} {:?}", i, op);
            prop_assert_eq!(inv.live_reservations(), model.res.len());
        }
    }
}

/// Deltas numbered `1..=changes.len()` per node, each `copies` times, in a shuffled order.
fn shuffled_feed() -> impl Strategy<Value = (Vec<Vec<i64>>, Vec<Delta>)> {
    let changes = prop::collection::vec(prop::collection::vec(-9..10i64, 1..25), 1..3);
    (changes, prop::collection::vec(1..4usize, 50)).prop_flat_map(|(changes, copies)| {
        let mut feed = Vec::new();
        for (node, node_changes) in changes.iter().enumerate() {
            for (i, &change) in node_changes.iter().enumerate() {
                let d = Delta {
                    node: NodeIdx(node as u32),
                    seq: i as u64 + 1,
                    sku: SkuId(0),
                    change,
                };
                feed.extend(std::iter::repeat_n(d, copies[i]));
            }
        }
        (Just(changes), Just(feed).prop_shuffle())
    })
}

proptest! {
    #[test]
    fn any_order_of_a_feed_with_duplicates_applies_each_number_once(
        (changes, feed) in shuffled_feed(),
        batch in 1..5usize,
    ) {
        let inv = Inventory::with_shards(2);
        let nodes = 0..changes.len() as u32;
        inv.replace_snapshot(nodes.clone().map(|node| super::tests::row(node, 0, 1_000)));
        for node in nodes {
            inv.reset_seq(NodeIdx(node), Some(0));
        }
        let mut applied = 0;
        for chunk in feed.chunks(batch) {
            let outcomes = inv.apply_deltas(chunk).unwrap();
            applied += outcomes.iter().filter(|o| **o != DeltaOutcome::Duplicate).count();
        }
        prop_assert_eq!(applied, changes.iter().map(Vec::len).sum::<usize>());
        for (node, node_changes) in changes.iter().enumerate() {
            let node = NodeIdx(node as u32);
            let want = 1_000 + node_changes.iter().sum::<i64>();
            prop_assert_eq!(i64::from(inv.position(node, SkuId(0)).on_hand), want);
            prop_assert_eq!(inv.last_seq(node), Some(node_changes.len() as u64));
        }
    }
}
