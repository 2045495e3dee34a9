//! Node filters and groups in `policy.toml`: what they read into, and what is refused.

use super::read_policy;
use omniroute_core::{GroupCondition, NodeKind};

const POLICY: &str = r#"
[[rules]]
name = "marketplace: regional warehouses, then stores in the state"
when = { channel = "marketplace" }
set = { excluded_tags = ["outlet"] }

[[rules.groups]]
name = "regional warehouses"
kinds = ["warehouse"]
tags_any = ["regional"]
ship_complete = true

[[rules.groups]]
name = "stores in Delhi"
kinds = ["store"]
region = [[28.4, 76.8], [28.9, 76.8], [28.9, 77.5], [28.4, 77.5]]
within_km = 50
by_promise = true

[[rules]]
name = "web: own nodes only"
when = { channel = "web" }
set = { allowed_tags = ["own"] }
groups = [{ name = "pinned", nodes = ["WH-1", "S-2"] }]
"#;

#[test]
fn filters_and_groups_read_in_order() {
    let p = read_policy(POLICY, "policy.toml").unwrap();
    let first = &p.rules[0];
    assert_eq!(first.set.excluded_tags, ["outlet"]);
    assert_eq!(first.set.allowed_tags, None);
    assert_eq!(first.groups.len(), 2);
    let g = &first.groups[0];
    assert_eq!(g.name, "regional warehouses");
    assert_eq!(g.select.kinds, [NodeKind::Warehouse]);
    assert_eq!(g.select.tags_any, ["regional"]);
    assert!(g.require.ship_complete);
    let g = &first.groups[1];
    assert_eq!(
        g.require,
        GroupCondition {
            ship_complete: false,
            within_km: Some(50.0),
            by_promise: true,
        }
    );
    let ring = &g.select.region.as_ref().unwrap().exterior().0;
    // x is the longitude; the ring closes itself.
    assert_eq!((ring[0].x, ring[0].y), (76.8, 28.4));
    assert_eq!(ring.len(), 5);
    let second = &p.rules[1];
    assert_eq!(
        second.set.allowed_tags.as_deref(),
        Some(&["own".to_owned()][..])
    );
    assert_eq!(second.groups[0].select.node_ids, ["WH-1", "S-2"]);
}

#[test]
fn bad_filters_and_groups_are_refused_with_codes() {
    // (text, code, line, a piece of the message)
    let cases: &[(&str, &str, u64, &str)] = &[
        ("[[rules]]\nname = \"r\"\nset = { allowed_tags = [] }\n", "E2020", 3, "is empty"),
        ("[[rules]]\nname = \"r\"\nset = { excluded_tags = [\" \"] }\n", "E2020", 3, "`rules[0].set.excluded_tags[0]` is empty"),
        ("[[rules]]\nname = \"r\"\nset = { allowed_tags = [\"a\"], excluded_tags = [\"a\"] }\n", "E2020", 3, "both allowed and excluded"),
        ("[[rules]]\nname = \"r\"\n[[rules.groups]]\nkinds = [\"store\"]\n", "E2021", 3, "`rules[0].groups[0].name` is required"),
        ("[[rules]]\nname = \"r\"\n[[rules.groups]]\nname = \"g\"\n[[rules.groups]]\nname = \"g\"\n", "E2021", 6, "named twice"),
        ("[[rules]]\nname = \"r\"\n[[rules.groups]]\nname = \"*\"\n", "E2021", 4, "is reserved"),
        ("[[rules]]\nname = \"r\"\n[[rules.groups]]\nname = \"g\"\nregion = [[1, 2], [3, 4]]\n", "E2022", 5, "at least 3"),
        ("[[rules]]\nname = \"r\"\n[[rules.groups]]\nname = \"g\"\nregion = [[1, 2], [3, 4], [95, 4]]\n", "E2022", 5, "outside"),
        ("[[rules]]\nname = \"r\"\n[[rules.groups]]\nname = \"g\"\nwithin_km = 0\n", "E2023", 5, "above 0"),
        ("[[rules]]\nname = \"r\"\n[[rules.groups]]\nname = \"g\"\nkinds = [\"kiosk\"]\n", "E2006", 5, "kiosk"),
        ("[[rules]]\nname = \"r\"\n[[rules.groups]]\nname = \"g\"\nwithin = 5\n", "E2002", 5, "`rules[0].groups[0].within`"),
    ];
    for &(text, code, line, piece) in cases {
        let err = read_policy(text, "bad.toml").expect_err(text);
        let p = &err.problems()[0];
        assert_eq!((p.code, p.line), (code, line), "{text}\n{p:?}");
        assert!(p.message.contains(piece), "{text}\n{}", p.message);
    }
}

#[test]
fn a_group_naming_an_unknown_node_is_e2026_once_the_network_is_known() {
    use crate::{Inputs, Source};
    let policy =
        "[[rules]]\nname = \"r\"\n[[rules.groups]]\nname = \"g\"\nnodes = [\"W1\", \"W9\"]\n";
    let err = Inputs::load(
        &Source::text("nodes.csv", "node_id,lat,lon\nW1,28.6,77.2\n".to_owned()).into(),
        &Source::text("stock.csv", "node_id,sku,qty\nW1,T,1\n".to_owned()).into(),
        None,
        &[Source::text("policy.toml", policy.to_owned())],
    )
    .unwrap_err();
    let p = &err.problems()[0];
    assert_eq!((p.code, p.file.as_str()), ("E2026", "policy.toml"));
    assert!(p.message.contains("\"W9\""), "{}", p.message);
}
