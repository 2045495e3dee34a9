//! Real places (from `GeoNames`) that the generator draws node and customer locations from.

use crate::{InputError, Problem};
use jiff::tz::TimeZone;
use omniroute_core::codes::InputCode;
use std::collections::BTreeMap;
use std::io::Read;

/// India's places with population ≥ 5,000 (`GeoNames`, CC BY 4.0); see
/// `crates/adapters/data/README.md`.
const CITIES_IN: &str = include_str!("../../data/cities-in.csv");

/// The name used for the input in problems reported by [`read_cities`].
const FILE: &str = "cities.csv";

/// A populated place.
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    /// Name as `GeoNames` spells it (UTF-8, may carry diacritics).
    pub name: String,
    /// First-level administrative code (a state or province), possibly empty.
    pub region: String,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Inhabitants.
    pub population: u64,
    /// IANA time zone, for example `Asia/Kolkata`.
    pub timezone: String,
}

/// Reads places from CSV with a header row.
///
/// Accepts the full shared format (`geonameid,name,country,admin1,lat,lon,population,timezone`)
/// and the trimmed embedded one (`name,admin1,lat,lon,population,timezone`): `name`, `lat` and
/// `lon` are required, `admin1` (the [`City::region`]), `population` (default 0) and `timezone`
/// (default `UTC`) are optional and other columns are ignored. With `country` (ISO 3166 codes,
/// comma-separated, case-insensitive) only rows of those countries are kept and checked, and a
/// `country` column is required. Every problem is reported at once: `E1901` a required column is missing, `E1902` a
/// number or coordinate is invalid, `E1903` the time zone is unknown, `E1904` a row cannot be read.
///
/// ```
/// # use omniroute_adapters::read_cities;
/// let csv = "geonameid,name,country,admin1,lat,lon,population,timezone\n\
///            1,Pune,IN,16,18.51957,73.85535,3124458,Asia/Kolkata\n\
///            2,Lyon,FR,84,45.74846,4.84671,522228,Europe/Paris\n";
/// let cities = read_cities(csv.as_bytes(), Some("IN"))?;
/// assert_eq!(cities.len(), 1);
/// assert_eq!(cities[0].region, "16");
/// # Ok::<(), omniroute_adapters::InputError>(())
/// ```
pub fn read_cities(input: impl Read, country: Option<&str>) -> Result<Vec<City>, InputError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(input);
    let headers = reader.headers().map_err(|e| io_error(&e))?.clone();
    let mut problems = Vec::new();
    let Some(cols) = Columns::find(&headers, country.is_some(), &mut problems) else {
        return Err(InputError::Invalid(problems));
    };
    let mut zones: BTreeMap<String, bool> = BTreeMap::new();
    let mut cities = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) if e.is_io_error() => return Err(io_error(&e)),
            Err(e) => {
                problems.push(problem(
                    InputCode::CitiesRow.id(),
                    line,
                    0,
                    format!("unreadable row: {e}"),
                    "fix the row's quoting and encoding (UTF-8)",
                ));
                continue;
            }
        };
        if let (Some(want), Some(c)) = (country, cols.country) {
            let have = cell(&record, Some(c));
            if !want.split(',').any(|w| have.eq_ignore_ascii_case(w.trim())) {
                continue;
            }
        }
        if let Some(city) = cols.city(&record, line, &mut zones, &mut problems) {
            cities.push(city);
        }
    }
    if problems.is_empty() {
        Ok(cities)
    } else {
        Err(InputError::Invalid(problems))
    }
}

/// Positions of the columns [`read_cities`] uses.
struct Columns {
    name: usize,
    lat: usize,
    lon: usize,
    country: Option<usize>,
    region: Option<usize>,
    population: Option<usize>,
    timezone: Option<usize>,
}

impl Columns {
    /// Finds the columns, reporting each missing required one (`country` when filtering).
    fn find(
        headers: &::csv::StringRecord,
        need_country: bool,
        problems: &mut Vec<Problem>,
    ) -> Option<Self> {
        let col = |name: &str| headers.iter().position(|h| h.trim() == name);
        let mut required = |name: &str| {
            let found = col(name);
            if found.is_none() {
                problems.push(problem(
                    InputCode::CitiesColumn.id(),
                    1,
                    0,
                    format!("missing column `{name}`"),
                    "add the column to the header row",
                ));
            }
            found
        };
        let (name, lat, lon) = (required("name"), required("lat"), required("lon"));
        let country = if need_country {
            Some(required("country")?)
        } else {
            None
        };
        Some(Self {
            name: name?,
            lat: lat?,
            lon: lon?,
            country,
            region: col("admin1"),
            population: col("population"),
            timezone: col("timezone"),
        })
    }

    /// The city on one row, or `None` after reporting its problems.
    fn city(
        &self,
        record: &::csv::StringRecord,
        line: u64,
        zones: &mut BTreeMap<String, bool>,
        problems: &mut Vec<Problem>,
    ) -> Option<City> {
        let mut number = |c: usize, lo: f64, hi: f64| {
            let text = cell(record, Some(c));
            match text.parse::<f64>() {
                Ok(v) if v.is_finite() && (lo..=hi).contains(&v) => Some(v),
                _ => {
                    let msg = format!("`{text}` is not a number in [{lo}, {hi}]");
                    let hint = "write decimal degrees (WGS84)";
                    problems.push(bad_value(line, c, msg, hint));
                    None
                }
            }
        };
        let (lat, lon) = (
            number(self.lat, -90.0, 90.0),
            number(self.lon, -180.0, 180.0),
        );
        let population = match self.population.map(|c| (c, cell(record, Some(c)))) {
            None | Some((_, "")) => Some(0),
            Some((c, text)) => text.parse::<u64>().ok().or_else(|| {
                let msg = format!("population `{text}` is not a whole number");
                let hint = "write the population as digits, or leave the cell empty";
                problems.push(bad_value(line, c, msg, hint));
                None
            }),
        };
        let zone = match cell(record, self.timezone) {
            "" => "UTC",
            z => z,
        };
        let known = *zones
            .entry(zone.to_owned())
            .or_insert_with(|| TimeZone::get(zone).is_ok());
        if !known {
            let column = self.timezone.map_or(0, |c| c as u64 + 1);
            let msg = format!("unknown time zone `{zone}`");
            let hint = "use an IANA time zone name such as Asia/Kolkata";
            problems.push(problem(
                InputCode::CitiesTimeZone.id(),
                line,
                column,
                msg,
                hint,
            ));
        }
        Some(City {
            name: cell(record, Some(self.name)).to_owned(),
            region: cell(record, self.region).to_owned(),
            lat: lat?,
            lon: lon?,
            population: population?,
            timezone: known.then(|| zone.to_owned())?,
        })
    }
}

/// The trimmed text of a column (empty when the column or the cell is missing).
fn cell(record: &::csv::StringRecord, column: Option<usize>) -> &str {
    column.and_then(|c| record.get(c)).unwrap_or("").trim()
}

/// India's 6,523 places with population ≥ 5,000, embedded in the library (data from
/// `GeoNames`, CC BY 4.0; see `crates/adapters/data/README.md`).
///
/// ```
/// let cities = omniroute_adapters::india_cities();
/// assert_eq!(cities.len(), 6523);
/// assert!(cities.iter().any(|c| c.name == "Mumbai" && c.timezone == "Asia/Kolkata"));
/// ```
pub fn india_cities() -> Vec<City> {
    read_cities(CITIES_IN.as_bytes(), None).expect("the embedded cities file is valid")
}

/// A bad value (`E1902`, `CitiesValue`) in column `c` (0-based) of `line`.
fn bad_value(line: u64, c: usize, message: String, hint: &str) -> Problem {
    problem(
        InputCode::CitiesValue.id(),
        line,
        c as u64 + 1,
        message,
        hint,
    )
}

fn problem(code: &'static str, line: u64, column: u64, message: String, hint: &str) -> Problem {
    Problem {
        code,
        file: FILE.to_owned(),
        line,
        column,
        message,
        hint: hint.to_owned(),
    }
}

fn io_error(e: &::csv::Error) -> InputError {
    InputError::Io {
        file: FILE.to_owned(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_cities_filters_by_country() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/cities-in.csv"))
                .unwrap();
        let embedded = read_cities(text.as_bytes(), None).unwrap();
        assert_eq!(embedded.len(), 6523);
        assert_eq!(embedded, india_cities());
        let full = "geonameid,name,country,admin1,lat,lon,population,timezone\n\
                    1,Pune,in,16,18.5,73.8,3124458,Asia/Kolkata\n\
                    2,Lyon,FR,84,45.7,4.8,522228,Europe/Paris\n\
                    3,Bad,FR,84,99,4.8,1,Nowhere/Else\n";
        let pune = read_cities(full.as_bytes(), Some("IN")).unwrap();
        assert_eq!(pune.len(), 1);
        assert_eq!(
            (pune[0].name.as_str(), pune[0].population),
            ("Pune", 3_124_458)
        );
    }

    #[test]
    fn read_cities_reports_every_problem() {
        let bad = "name,lat,lon,population,timezone\n\
                   A,91,10,5,UTC\n\
                   B,10,10,many,Mars/Base\n";
        let Err(InputError::Invalid(problems)) = read_cities(bad.as_bytes(), None) else {
            panic!("expected problems");
        };
        let found: Vec<(&str, u64, u64)> = problems
            .iter()
            .map(|p| (p.code, p.line, p.column))
            .collect();
        assert_eq!(found, [("E1902", 2, 2), ("E1902", 3, 4), ("E1903", 3, 5)]);
        let Err(InputError::Invalid(problems)) =
            read_cities("name,lat\nA,1\n".as_bytes(), Some("IN"))
        else {
            panic!("expected problems");
        };
        let codes: Vec<&str> = problems.iter().map(|p| p.code).collect();
        assert_eq!(codes, ["E1901", "E1901"]);
    }
}
