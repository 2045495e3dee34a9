//! `territories.geojson`: dealers' territories (docs/formats.md). A GeoJSON FeatureCollection;
//! each feature carries `properties.node_id` (a dealer of nodes.csv) and a Polygon or
//! MultiPolygon geometry in WGS84 longitude, latitude. Several features for one dealer add up.
//! Every problem is reported at once (`E4010`–`E4016`), placed at the feature
//! (`features[3]`) where the JSON parsed; nothing is applied from a rejected file.

use crate::problem::clip;
use crate::{InputError, Problem, Source};
use geo::{LineString, MultiPolygon, Polygon};
use geojson::{GeoJson, Value};
use omniroute_core::codes::ChannelCode;
use omniroute_core::{Network, NodeIdx, NodeKind};
use std::collections::BTreeMap;

/// The territories of a file, by dealer.
pub type Territories = BTreeMap<NodeIdx, MultiPolygon<f64>>;

/// Reads the territories of `source` for the dealers of `network`.
pub fn read_territories(source: &Source, network: &Network) -> Result<Territories, InputError> {
    let problem = |(code, message, hint, (line, column)): Refusal| Problem {
        code,
        file: source.name.clone(),
        line,
        column,
        message,
        hint: hint.to_owned(),
    };
    let features = features(source).map_err(|r| InputError::Invalid(vec![problem(r)]))?;
    let mut out = Territories::new();
    let mut problems = Vec::new();
    for (k, feature) in features.into_iter().enumerate() {
        match territory(feature, network)
            .map_err(|(code, why, hint, place)| (code, format!("features[{k}]{why}"), hint, place))
        {
            Ok((node, ps)) => out
                .entry(node)
                .or_insert_with(|| MultiPolygon(Vec::new()))
                .0
                .extend(ps),
            Err(r) => problems.push(problem(r)),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(InputError::Invalid(problems))
    }
}

/// A refusal: code, message, hint and (line, column).
type Refusal = (&'static str, String, &'static str, (u64, u64));

/// The features of the file, which must be a FeatureCollection (`E4010`).
fn features(source: &Source) -> Result<Vec<geojson::Feature>, Refusal> {
    match String::from_utf8_lossy(&source.bytes).parse::<GeoJson>() {
        Ok(GeoJson::FeatureCollection(c)) => Ok(c.features),
        Ok(_) => Err((
            ChannelCode::NotACollection.id(),
            "the file is GeoJSON but not a FeatureCollection".into(),
            HINT_COLLECTION,
            (0, 0),
        )),
        Err(e) => {
            let place = match &e {
                geojson::Error::MalformedJson(j) => (j.line() as u64, j.column() as u64),
                _ => (0, 0),
            };
            Err((
                ChannelCode::NotACollection.id(),
                format!("the file is not GeoJSON: {e}"),
                HINT_COLLECTION,
                place,
            ))
        }
    }
}

/// The dealer and polygons of one feature; the message of a refusal continues the feature's
/// path (`features[3]`).
fn territory(
    feature: geojson::Feature,
    network: &Network,
) -> Result<(NodeIdx, Vec<Polygon<f64>>), Refusal> {
    let refuse = |code, why: String, hint| Err((code, why, hint, (0, 0)));
    let id = feature
        .properties
        .as_ref()
        .and_then(|p| p.get("node_id"))
        .and_then(|v| v.as_str());
    let Some(id) = id else {
        return refuse(
            ChannelCode::NoNodeId.id(),
            " has no string properties.node_id".into(),
            ChannelCode::NoNodeId.hint(),
        );
    };
    let node = match network.find(id) {
        None => {
            return refuse(
                ChannelCode::UnknownTerritoryNode.id(),
                format!(": node_id {:?} is not in the nodes file", clip(id)),
                ChannelCode::UnknownTerritoryNode.hint(),
            )
        }
        Some(n) if network.node(n).kind != NodeKind::Dealer => {
            return refuse(
                ChannelCode::TerritoryNotADealer.id(),
                format!(
                    ": node {:?} is a {}, and only dealers have territories",
                    clip(id),
                    network.node(n).kind
                ),
                ChannelCode::TerritoryNotADealer.hint(),
            )
        }
        Some(n) => n,
    };
    let polygons = match feature.geometry.map(|g| g.value) {
        Some(Value::Polygon(rings)) => vec![rings],
        Some(Value::MultiPolygon(polygons)) => polygons,
        other => {
            let found = other.as_ref().map_or("no geometry", Value::type_name);
            return refuse(
                ChannelCode::NotAPolygon.id(),
                format!(" has {found}, not a Polygon or MultiPolygon"),
                ChannelCode::NotAPolygon.hint(),
            );
        }
    };
    let polygons = polygons
        .iter()
        .map(|p| polygon(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|(code, why, hint)| (code, format!(": {why}"), hint, (0, 0)))?;
    Ok((node, polygons))
}

const HINT_COLLECTION: &str = ChannelCode::NotACollection.hint();

/// A GeoJSON polygon (exterior ring, then holes) as a `geo` polygon, each ring closed with at
/// least four positions of finite longitude in [-180, 180] and latitude in [-90, 90].
fn polygon(rings: &[Vec<Vec<f64>>]) -> Result<Polygon<f64>, (&'static str, String, &'static str)> {
    let mut lines = Vec::with_capacity(rings.len());
    for (r, ring) in rings.iter().enumerate() {
        if ring.len() < 4 || ring.first() != ring.last() {
            return Err((
                ChannelCode::OpenRing.id(),
                format!("ring {r} is not closed with at least 4 positions"),
                ChannelCode::OpenRing.hint(),
            ));
        }
        let mut points = Vec::with_capacity(ring.len());
        for p in ring {
            let (lon, lat) = (
                p.first().copied().unwrap_or(f64::NAN),
                p.get(1).copied().unwrap_or(f64::NAN),
            );
            if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0) {
                return Err((
                    ChannelCode::OutsideWorld.id(),
                    format!("ring {r} has position [{lon}, {lat}] outside the world"),
                    ChannelCode::OutsideWorld.hint(),
                ));
            }
            points.push((lon, lat));
        }
        lines.push(LineString::from(points));
    }
    let mut lines = lines.into_iter();
    let exterior = lines.next().ok_or((
        ChannelCode::OpenRing.id(),
        "a polygon has no ring".to_owned(),
        "give every polygon an exterior ring",
    ))?;
    Ok(Polygon::new(exterior, lines.collect()))
}

/// `network` with each dealer's territory set from `territories` (a dealer not listed keeps
/// the one it had).
pub fn with_territories(network: &Network, territories: &Territories) -> Network {
    let mut nodes = network.nodes().to_vec();
    for (node, territory) in territories {
        if let Some(d) = nodes[node.0 as usize].dealer.as_mut() {
            d.territory = Some(territory.clone());
        }
    }
    Network::new(nodes).expect("the same nodes, so still valid")
}

#[cfg(test)]
mod tests;
