use super::*;
use omniroute_core::{in_territory, DealerTerms, LatLng, Node};

fn network() -> Network {
    let at = LatLng::new(28.6, 77.2).unwrap();
    let mut d = Node::new("D1", NodeKind::Dealer, at);
    d.dealer = Some(DealerTerms {
        margin_bps: 500,
        territory: None,
        acceptance_timeout_s: None,
        acceptance_rate: None,
    });
    let mut d2 = d.clone();
    d2.id = "D2".into();
    Network::new(vec![d, Node::new("W1", NodeKind::Warehouse, at), d2]).unwrap()
}

fn feature(id: &str, geometry: &str) -> String {
    format!(r#"{{"type": "Feature", "properties": {{"node_id": "{id}"}}, "geometry": {geometry}}}"#)
}

const SQUARE: &str =
    r#"{"type": "Polygon", "coordinates": [[[77, 28], [78, 28], [78, 29], [77, 29], [77, 28]]]}"#;

fn collection(features: &[String]) -> Source {
    Source::text(
        "territories.geojson",
        format!(
            r#"{{"type": "FeatureCollection", "features": [{}]}}"#,
            features.join(",\n")
        ),
    )
}

#[test]
fn polygons_and_multipolygons_become_territories() {
    let multi = r#"{"type": "MultiPolygon", "coordinates": [
        [[[70, 20], [71, 20], [71, 21], [70, 20]]],
        [[[72, 20], [73, 20], [73, 21], [72, 20]]]]}"#;
    let source = collection(&[
        feature("D1", SQUARE),
        feature("D2", multi),
        feature("D1", multi),
    ]);
    let t = read_territories(&source, &network()).unwrap();
    assert_eq!(t[&NodeIdx(0)].0.len(), 3, "two features of D1 add up");
    assert_eq!(t[&NodeIdx(2)].0.len(), 2);
    let net = with_territories(&network(), &t);
    let p = |lat, lon| LatLng::new(lat, lon).unwrap();
    assert_eq!(
        in_territory(net.node(NodeIdx(0)), p(28.5, 77.5)),
        Some(true)
    );
    assert_eq!(
        in_territory(net.node(NodeIdx(2)), p(28.5, 77.5)),
        Some(false)
    );
    assert_eq!(in_territory(net.node(NodeIdx(1)), p(28.5, 77.5)), None);
}

#[test]
fn each_problem_has_its_code() {
    let open_ring =
        r#"{"type": "Polygon", "coordinates": [[[77, 28], [78, 28], [78, 29], [77, 29]]]}"#;
    let swapped =
        r#"{"type": "Polygon", "coordinates": [[[28, 77], [28, 78], [29, 200], [28, 77]]]}"#;
    let point = r#"{"type": "Point", "coordinates": [77, 28]}"#;
    let no_id = r#"{"type": "Feature", "properties": {}, "geometry": null}"#.to_owned();
    let source = collection(&[
        no_id,
        feature("NOPE", SQUARE),
        feature("W1", SQUARE),
        feature("D1", point),
        feature("D1", open_ring),
        feature("D2", swapped),
    ]);
    let problems = read_territories(&source, &network())
        .unwrap_err()
        .problems();
    let got: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.code, p.message.split(':').next().unwrap_or("")))
        .collect();
    assert_eq!(
        got,
        [
            ("E4011", "features[0] has no string properties.node_id"),
            ("E4012", "features[1]"),
            ("E4013", "features[2]"),
            (
                "E4014",
                "features[3] has Point, not a Polygon or MultiPolygon"
            ),
            ("E4015", "features[4]"),
            ("E4016", "features[5]"),
        ]
    );
    assert!(problems.iter().all(|p| p.file == "territories.geojson"));
}

#[test]
fn malformed_json_is_placed_and_other_geojson_refused() {
    let broken = Source::text(
        "t.geojson",
        "{\"type\": \"FeatureCollection\",\n \"features\": [,]}",
    );
    let p = &read_territories(&broken, &network())
        .unwrap_err()
        .problems()[0];
    assert_eq!((p.code, p.line), ("E4010", 2));
    let lone = Source::text("t.geojson", SQUARE);
    let p = &read_territories(&lone, &network()).unwrap_err().problems()[0];
    assert_eq!(p.code, "E4010");
    assert!(
        p.message.contains("not a FeatureCollection"),
        "{}",
        p.message
    );
}
