//! Effective node terms: node columns merged over the policy's per-kind defaults, resolved once
//! per router so the hot loop reads plain numbers (an order's terms: `order_terms.rs`). Money, per-km cost, margin and priority are clamped to the
//! input limits ([`crate::MAX_MONEY_CENTS`] and the rest) here, so no sum over an order's terms
//! can overflow.

use crate::index::NodeTree;
use crate::{limits, Network, Node, NodeIdx, NodeKind, Policy, ServiceLevel};
use jiff::civil::Time;
use rstar::{Envelope, AABB};
use std::sync::OnceLock;

/// A node's effective terms under a policy.
#[derive(Debug, Clone)]
pub(crate) struct NodeTerms {
    pub fixed_cents: i64,
    pub per_unit_cents: i64,
    pub priority_cents: i64,
    /// Expected cost of a refusal, for dealers ([`crate::reject_risk_cents`]).
    pub reject_risk_cents: i64,
    pub margin_bps: u32,
    /// Per level: per-km cost.
    pub per_km_cents: Vec<f64>,
    /// Per level: reach in km (0 = not offered).
    pub reach_km: Vec<f64>,
    /// Per level: the largest squared chord (as the spatial index computes it) of a destination
    /// within reach, with slack for rounding.
    pub reach_chord2: Vec<f64>,
    pub handling_days: u8,
    pub cutoff_local: Time,
    pub capacity_units: Option<u32>,
    pub capacity_shipments: Option<u32>,
    pub safety_stock: u32,
    /// The node's activity and kind, copied here so bounds read one small record per node.
    pub active: bool,
    pub kind: NodeKind,
    /// The node's group in [`NetworkTerms::profiles`] (`u32::MAX` for an inactive node).
    pub profile: u32,
    /// The calendar certainly opens within the promise model's horizon (not every weekday
    /// closed, fewer than 300 holidays), so a promise can be computed for chosen nodes only.
    pub always_ships: bool,
}

impl NodeTerms {
    pub(crate) fn resolve(node: &Node, policy: &Policy) -> Self {
        let kind = policy.kind(node.kind);
        let levels = policy.levels.len();
        let per_km_cents = (0..levels)
            .map(|l| {
                let level = ServiceLevel(l as u8);
                limits::per_km(
                    node.costs
                        .per_km_cents
                        .or(policy.level(level).per_km_cents)
                        .unwrap_or(kind.per_km_cents),
                )
            })
            .collect();
        let reach_km: Vec<f64> = (0..levels)
            .map(|l| {
                let level = ServiceLevel(l as u8);
                node.reach_override_km(level)
                    .unwrap_or_else(|| kind.reach_km.get(l).copied().unwrap_or(0.0))
            })
            .collect();
        Self {
            fixed_cents: limits::money(node.costs.fixed_cents.unwrap_or(kind.fixed_cents)),
            per_unit_cents: limits::money(node.costs.per_unit_cents.unwrap_or(kind.per_unit_cents)),
            priority_cents: limits::money(policy.costs.priority_step_cents)
                * i64::from(limits::priority(node.priority)),
            reject_risk_cents: crate::reject_risk_cents(node, &policy.dealers),
            margin_bps: node.margin_bps().min(limits::MAX_MARGIN_BPS),
            per_km_cents,
            reach_chord2: reach_km
                .iter()
                .map(|&km| crate::index::ChordSlack::chord2_upper_bound(km))
                .collect(),
            reach_km,
            handling_days: node.handling_days.unwrap_or(kind.handling_days),
            cutoff_local: node.cutoff_local.unwrap_or(kind.cutoff_local),
            capacity_units: node.capacity_units.or(kind.capacity_units),
            capacity_shipments: node.capacity_shipments.or(kind.capacity_shipments),
            safety_stock: kind.safety_stock,
            active: node.active,
            kind: node.kind,
            profile: u32::MAX,
            always_ships: node.calendar.closed_weekdays & 0x7f != 0x7f
                && node.calendar.holidays.len() < 300,
        }
    }

    /// The node's daily capacities.
    pub(crate) fn capacity(&self) -> Capacity {
        Capacity {
            units: self.capacity_units,
            shipments: self.capacity_shipments,
        }
    }

    /// The fixed part of a shipment's cost from this node (fixed + priority + reject risk).
    pub(crate) fn base_cents(&self) -> i64 {
        self.fixed_cents + self.priority_cents + self.reject_risk_cents
    }
}

/// Every node's terms plus the lower-bound constants of the candidate walk.
#[derive(Debug, Clone)]
pub(crate) struct NetworkTerms {
    pub nodes: Vec<NodeTerms>,
    /// Per node, what the per-line floors read, packed so that a scan over a posting list
    /// touches one small record per holder.
    pub floors: Vec<FloorTerms>,
    /// Per level and node (`level * nodes + node`: one level's are together, as an order's
    /// line floors read them): the node's `reach_chord2`, or -1 when it is inactive or does not
    /// offer the level.
    pub offers: Vec<f64>,
    /// The smallest base cost (fixed + priority) of any node.
    pub min_base_cents: i64,
    /// Per node, its kind ([`NodeKind::index`]), or [`INACTIVE`] (an inactive node ships
    /// nothing): a byte, so the whole table stays in cache while the line floors look up the
    /// kinds of a long list's holders.
    pub kinds: Vec<u8>,
    /// Per kind ([`NodeKind::index`]), the least per-unit handling and the extreme margin rates
    /// of its active nodes: what a line costs at least at any holder of that kind, before the
    /// floors read the holders themselves.
    pub kind_floors: [FloorRange; NodeKind::ALL.len()],
    /// Per level and kind ([`NodeKind::index`]), the largest `reach_chord2` of an active node
    /// of the kind that offers the level (-1 when none does).
    pub kind_reach_chord2: Vec<[f64; NodeKind::ALL.len()]>,
    /// Per kind, its active nodes in a tree of their own ([`NetworkTerms::kind_trees`]).
    kind_trees: OnceLock<Vec<NodeTree>>,
    /// Per level: the smallest per-km cost of any node.
    pub min_per_km_cents: Vec<f64>,
    /// Per level: no active node serves a destination further than this (the largest reach of
    /// an active node, capped by the level's last transit band).
    pub max_reach_km: Vec<f64>,
    /// Groups of active nodes that promise alike (same zone, cut-off, handling days, calendar).
    pub profiles: Vec<Profile>,
}

/// The terms of a node that the per-line cost floors read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FloorTerms {
    pub per_unit_cents: i64,
    pub margin_bps: u32,
    /// See [`NodeTerms::profile`].
    pub profile: u32,
    pub capacity: Capacity,
}

/// [`NetworkTerms::kinds`] of an inactive node.
pub(crate) const INACTIVE: u8 = u8::MAX;

/// The least per-unit handling and the extreme margin rates of some nodes (the margin is
/// monotone in the rate, so the two extremes bound it from below).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FloorRange {
    pub per_unit_cents: i64,
    pub low_bps: u32,
    pub high_bps: u32,
}

impl FloorRange {
    /// Of no node yet.
    pub(crate) const EMPTY: Self = Self {
        per_unit_cents: i64::MAX,
        low_bps: u32::MAX,
        high_bps: 0,
    };

    /// With the nodes of `other`.
    pub(crate) fn merge(&mut self, other: &Self) {
        self.per_unit_cents = self.per_unit_cents.min(other.per_unit_cents);
        self.low_bps = self.low_bps.min(other.low_bps);
        self.high_bps = self.high_bps.max(other.high_bps);
    }

    /// With a node of terms `t`.
    pub(crate) fn add(&mut self, t: &FloorTerms) {
        self.merge(&Self {
            per_unit_cents: t.per_unit_cents,
            low_bps: t.margin_bps,
            high_bps: t.margin_bps,
        });
    }
}

/// A node's daily capacities.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Capacity {
    pub units: Option<u32>,
    pub shipments: Option<u32>,
}

impl Capacity {
    /// [`Capacity::has_room`] at a node nothing is loaded on yet.
    pub(crate) fn has_room_idle(self, units: u32) -> bool {
        self.fits((0, 0), units)
    }

    /// True when the node can still take one more shipment of `units` units today.
    pub(crate) fn has_room(self, load: &super::Load, node: crate::NodeIdx, units: u32) -> bool {
        self.units.is_none() && self.shipments.is_none() || self.fits(load.used(node), units)
    }

    /// One more shipment of `units` units fits beside `used` (units, shipments).
    fn fits(self, (used_units, used_shipments): (u32, u32), units: u32) -> bool {
        self.shipments.is_none_or(|cap| used_shipments < cap)
            && self
                .units
                .is_none_or(|cap| cap.saturating_sub(used_units) >= units)
    }
}

/// Active nodes sharing everything the promise depends on except distance.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    /// A node of the group (its zone and calendar stand for all).
    pub node: NodeIdx,
    /// The first profile of the same time zone (itself when it is the first, or its zone has
    /// no name): local times are converted once per zone.
    pub zone: u32,
    pub cutoff_local: Time,
    pub handling_days: u8,
    /// Per level: the largest reach of the group's nodes.
    pub max_reach_km: Vec<f64>,
    /// A box around the group's nodes' unit vectors: no node of the group is nearer to a
    /// destination than [`box_chord2`](crate::index::box_chord2) of it.
    pub area: AABB<[f64; 3]>,
}

/// Groups the active nodes into profiles and records each node's group in its terms.
fn profiles(network: &Network, nodes: &mut [NodeTerms], levels: usize) -> Vec<Profile> {
    let mut out: Vec<Profile> = Vec::new();
    for (i, (n, t)) in network.nodes().iter().zip(nodes.iter_mut()).enumerate() {
        if !n.active {
            continue;
        }
        let same = |p: &Profile| {
            let rep = network.node(p.node);
            p.cutoff_local == t.cutoff_local
                && p.handling_days == t.handling_days
                && rep.calendar == n.calendar
                && rep.timezone.iana_name().is_some()
                && rep.timezone.iana_name() == n.timezone.iana_name()
        };
        let unit = network.index().unit(NodeIdx(i as u32));
        let k = out.iter().position(same).unwrap_or_else(|| {
            let zone = n.timezone.iana_name().and_then(|name| {
                out.iter()
                    .position(|p| network.node(p.node).timezone.iana_name() == Some(name))
            });
            out.push(Profile {
                node: NodeIdx(i as u32),
                zone: u32::try_from(zone.unwrap_or(out.len())).expect("fewer than 2^32 nodes"),
                cutoff_local: t.cutoff_local,
                handling_days: t.handling_days,
                max_reach_km: vec![0.0; levels],
                area: AABB::from_point(unit),
            });
            out.len() - 1
        });
        t.profile = u32::try_from(k).expect("fewer than 2^32 nodes");
        let p = &mut out[k];
        p.area.merge(&AABB::from_point(unit));
        for (m, &r) in p.max_reach_km.iter_mut().zip(&t.reach_km) {
            *m = m.max(r);
        }
    }
    out
}

impl NetworkTerms {
    /// Per kind ([`NodeKind::index`]), the active nodes of `network` (these terms') in a tree of
    /// their own, built the first time they are asked for: the line floors of an order with a
    /// reach limit read each kind's nodes within that kind's reach
    /// ([`NetworkTerms::kind_reach_chord2`]), fewer than the nodes within the limit.
    pub(crate) fn kind_trees(&self, network: &Network) -> &[NodeTree] {
        self.kind_trees.get_or_init(|| {
            let index = network.index();
            (0..NodeKind::ALL.len())
                .map(|k| {
                    let of_kind = (self.kinds.iter().enumerate())
                        .filter(|&(_, &kind)| usize::from(kind) == k)
                        .map(|(i, _)| NodeIdx(i as u32));
                    index.subtree(of_kind)
                })
                .collect()
        })
    }

    pub(crate) fn new(network: &Network, policy: &Policy) -> Self {
        let mut nodes: Vec<NodeTerms> = network
            .nodes()
            .iter()
            .map(|n| NodeTerms::resolve(n, policy))
            .collect();
        let min_base_cents = nodes.iter().map(NodeTerms::base_cents).min().unwrap_or(0);
        let min_per_km_cents = (0..policy.levels.len())
            .map(|l| {
                nodes
                    .iter()
                    .map(|t| t.per_km_cents[l])
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();
        let max_reach_km = (0..policy.levels.len())
            .map(|l| {
                let reach = nodes
                    .iter()
                    .zip(network.nodes())
                    .filter(|(_, n)| n.active)
                    .map(|(t, _)| t.reach_km[l])
                    .fold(0.0, f64::max);
                let band = policy
                    .level(ServiceLevel(l as u8))
                    .transit
                    .last()
                    .map_or(0.0, |b| b.max_km);
                reach.min(band)
            })
            .collect();
        let profiles = profiles(network, &mut nodes, policy.levels.len());
        let floors: Vec<FloorTerms> = nodes
            .iter()
            .map(|t| FloorTerms {
                per_unit_cents: t.per_unit_cents,
                margin_bps: t.margin_bps,
                profile: t.profile,
                capacity: t.capacity(),
            })
            .collect();
        let mut kind_floors = [FloorRange::EMPTY; NodeKind::ALL.len()];
        let kinds = (nodes.iter().zip(&floors))
            .map(|(t, f)| {
                if !t.active {
                    return INACTIVE;
                }
                let kind = t.kind.index();
                kind_floors[kind].add(f);
                #[allow(clippy::cast_possible_truncation)] // five kinds
                let byte = kind as u8;
                byte
            })
            .collect();
        let offers: Vec<f64> = (0..policy.levels.len())
            .flat_map(|l| {
                nodes.iter().map(move |t| {
                    if t.active && t.reach_km[l] > 0.0 {
                        t.reach_chord2[l]
                    } else {
                        -1.0
                    }
                })
            })
            .collect();
        // Each kind's largest offer at each level (an inactive node offers -1).
        let kind_reach_chord2 = (0..policy.levels.len())
            .map(|l| {
                let mut reach = [-1.0_f64; NodeKind::ALL.len()];
                let level = &offers[l * nodes.len()..][..nodes.len()];
                for (t, &offer) in nodes.iter().zip(level) {
                    let r = &mut reach[t.kind.index()];
                    *r = r.max(offer);
                }
                reach
            })
            .collect();
        Self {
            nodes,
            floors,
            offers,
            min_base_cents,
            kinds,
            kind_floors,
            kind_reach_chord2,
            kind_trees: OnceLock::new(),
            min_per_km_cents,
            max_reach_km,
            profiles,
        }
    }
}
