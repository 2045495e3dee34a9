//! Routing rules against a brute force: tag filters, per-order exclusions and pins, and node
//! groups with fallback. The brute force prices every assignment with the checker's functions
//! (which know the filters and pins), restricted to each group's nodes in turn, and takes the
//! first group whose least-cost assignments all meet its condition.

use super::tests::{arb_case, check_alone, feasible_assignments, now, Case};
use crate::*;
use proptest::prelude::*;

const TAGS: [&str; 3] = ["outlet", "regional", "fragile"];

/// The rule a case gets: tag filters and up to two groups.
#[derive(Debug, Clone)]
struct RuleSpec {
    allowed: Option<usize>,
    excluded: Option<usize>,
    /// Per group: (select kind index or tag index, by tag?, ship complete, within km).
    groups: Vec<(usize, bool, bool, Option<f64>)>,
}

fn arb_rule() -> impl Strategy<Value = RuleSpec> {
    let group = (
        0usize..3,
        any::<bool>(),
        any::<bool>(),
        prop::option::of(20.0..300.0f64),
    );
    (
        prop::option::weighted(0.3, 0usize..3),
        prop::option::weighted(0.3, 0usize..3),
        prop::collection::vec(group, 0..3),
    )
        .prop_map(|(allowed, excluded, groups)| RuleSpec {
            allowed,
            excluded,
            groups,
        })
}

/// `case` with tags on its nodes, pins and exclusions on its orders, and `spec` as a rule that
/// matches every order.
fn with_rules(mut case: Case, spec: &RuleSpec, tag_bits: &[u8], lists: &[(u8, u8)]) -> Case {
    let mut nodes: Vec<Node> = case.network.nodes().to_vec();
    for (i, n) in nodes.iter_mut().enumerate() {
        let bits = tag_bits.get(i).copied().unwrap_or(0);
        n.tags = (0..3)
            .filter(|b| bits >> b & 1 == 1)
            .map(|b| TAGS[b].to_owned())
            .collect();
    }
    let count = nodes.len() as u8;
    case.network = Network::new(nodes).unwrap();
    for (o, &(pin, ex)) in case.orders.iter_mut().zip(lists) {
        // 0 = none, else node (k - 1) mod count.
        if pin % 4 == 1 {
            o.pinned = vec![NodeIdx(u32::from(pin / 4 % count)), NodeIdx(0)];
        }
        if ex % 3 == 1 {
            o.excluded = vec![NodeIdx(u32::from(ex / 3 % count))];
        }
    }
    let groups = spec
        .groups
        .iter()
        .enumerate()
        .map(|(i, &(k, by_tag, complete, km))| NodeGroup {
            name: format!("G{i}"),
            select: GroupSelect {
                kinds: if by_tag {
                    Vec::new()
                } else {
                    vec![NodeKind::ALL[k]]
                },
                tags_any: if by_tag {
                    vec![TAGS[k].into()]
                } else {
                    Vec::new()
                },
                ..GroupSelect::default()
            },
            require: GroupCondition {
                ship_complete: complete,
                within_km: km,
                by_promise: false,
            },
        })
        .collect();
    case.policy.rules.push(Rule {
        name: "R".into(),
        set: Overrides {
            allowed_tags: spec.allowed.map(|t| vec![TAGS[t].to_owned()]),
            excluded_tags: spec
                .excluded
                .map(|t| TAGS[t].to_owned())
                .into_iter()
                .collect(),
            ..Overrides::default()
        },
        groups,
        ..Rule::default()
    });
    case
}

/// What the brute force expects: the cost and the group taken (`None`: the default), or `None`
/// when ties make the group taken depend on the router's tie-break.
fn expected(case: &Case, order: &Order) -> Option<(i64, Option<String>)> {
    let rules = OrderRules::of(order, &case.policy);
    let all = feasible_assignments(case, order, &rules);
    let unfilled_all: i64 = order
        .lines
        .iter()
        .map(|l| rules.unfilled_per_unit_cents * i64::from(l.qty))
        .sum();
    let best = |keep: &dyn Fn(usize) -> bool| {
        let within: Vec<&(i64, Vec<usize>)> = all
            .iter()
            .filter(|(_, a)| a.iter().all(|&n| n == usize::MAX || keep(n)))
            .collect();
        let min = within.iter().map(|(c, _)| *c).fold(unfilled_all, i64::min);
        let ties: Vec<&Vec<usize>> = within
            .iter()
            .filter(|(c, _)| *c == min)
            .map(|(_, a)| a)
            .collect();
        (min, ties)
    };
    let Some((_, groups)) = &rules.groups else {
        return Some((best(&|_| true).0, None));
    };
    for g in groups {
        let member = |n: usize| g.select.contains(case.network.node(NodeIdx(n as u32)));
        let (min, ties) = best(&member);
        let meets = |a: &Vec<usize>| {
            let shipped: Vec<usize> = a.iter().copied().filter(|&n| n != usize::MAX).collect();
            !shipped.is_empty()
                && (!g.require.ship_complete || shipped.len() == a.len())
                && g.require.within_km.is_none_or(|km| {
                    shipped.iter().all(|&n| {
                        let at = case.network.node(NodeIdx(n as u32)).location;
                        order.destination.distance_km(at) <= km
                    })
                })
        };
        // Shipping nothing is always an assignment; it ties only when nothing is cheaper.
        let outcomes: Vec<bool> = if ties.is_empty() {
            vec![false]
        } else {
            ties.iter().map(|a| meets(a)).collect()
        };
        if outcomes.iter().all(|&m| m) {
            return Some((min, Some(g.name.clone())));
        }
        if outcomes.iter().any(|&m| m) {
            return None;
        }
    }
    Some((best(&|_| true).0, None))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1_000, ..ProptestConfig::default() })]

    /// Under tag filters, pins, exclusions and groups, every decision passes the checker, costs
    /// the brute-force optimum and names the group the brute force takes.
    #[test]
    fn rules_equal_brute_force(
        case in arb_case(8, 3, 3),
        spec in arb_rule(),
        tag_bits in prop::collection::vec(0u8..8, 8),
        lists in prop::collection::vec((0u8..40, 0u8..30), 3),
    ) {
        let case = with_rules(case, &spec, &tag_bits, &lists);
        let router = Router::new(case.network.clone(), case.policy.clone());
        for order in &case.orders {
            let d = router.route(order, &case.stock, &Load::default(), now());
            let v = check_alone(&case, order, &d);
            prop_assert!(v.is_empty(), "violations: {v:?}\n{d:#?}");
            if let Some((cost, group)) = expected(&case, order) {
                prop_assert_eq!(d.cost_cents(), cost, "{:#?}", d);
                let taken = d.group.as_ref().and_then(|c| c.group.clone());
                prop_assert_eq!(taken, group, "{:#?}", d);
            }
        }
    }
}
