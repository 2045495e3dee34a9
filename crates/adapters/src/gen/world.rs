//! The embedded world city list behind `omniroute gen --country XX`.

use super::cities::{india_cities, read_cities, City};
use flate2::read::GzDecoder;
use std::io::Read;

/// Every country's 1,000 most populous places with population ≥ 5,000, India excepted
/// (`GeoNames`, CC BY 4.0): gzip of `country,name,admin1,lat,lon,population,timezone`, degrees
/// rounded to 3 decimals. How it was made: `crates/adapters/data/README.md`.
const WORLD_GZ: &[u8] = include_bytes!("../../data/cities-world.csv.gz");

/// The embedded places of one country (ISO 3166-1 alpha-2 code, case-insensitive): for `IN`
/// India's full list ([`india_cities`], the demo's), for any other country the embedded world
/// list's (its 1,000 most populous places with population ≥ 5,000; data from `GeoNames`, CC BY
/// 4.0). `None` when the code names no country of the list.
///
/// ```
/// let fr = omniroute_adapters::country_cities("fr").unwrap();
/// assert!(fr.iter().any(|c| c.name == "Paris" && c.timezone == "Europe/Paris"));
/// assert!(omniroute_adapters::country_cities("XX").is_none());
/// ```
pub fn country_cities(code: &str) -> Option<Vec<City>> {
    let code = code.trim();
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    if code.eq_ignore_ascii_case("IN") {
        return Some(india_cities());
    }
    let mut text = Vec::new();
    GzDecoder::new(WORLD_GZ)
        .read_to_end(&mut text)
        .expect("the embedded world list is valid gzip");
    let cities =
        read_cities(text.as_slice(), Some(code)).expect("the embedded world list is valid");
    (!cities.is_empty()).then_some(cities)
}

/// The embedded places of comma-separated country codes, in the order given (each as
/// [`country_cities`]); `Err` names the first code with no places.
///
/// ```
/// let two = omniroute_adapters::countries_cities("FR, de").unwrap();
/// assert!(two.iter().any(|c| c.name == "Paris") && two.iter().any(|c| c.name == "Berlin"));
/// assert_eq!(omniroute_adapters::countries_cities("FR,XX"), Err("XX"));
/// ```
pub fn countries_cities(codes: &str) -> Result<Vec<City>, &str> {
    let mut out = Vec::new();
    for code in codes.split(',') {
        out.extend(country_cities(code).ok_or(code.trim())?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_country_of_the_list_reads_and_unknown_codes_do_not() {
        let mut text = String::new();
        GzDecoder::new(WORLD_GZ).read_to_string(&mut text).unwrap();
        let all = read_cities(text.as_bytes(), None).unwrap();
        assert_eq!(all.len(), 40_966);
        let us = country_cities("US").unwrap();
        assert_eq!(us.len(), 1_000);
        assert!(us.iter().any(|c| c.name == "New York City"));
        assert!(us.iter().all(|c| c.population >= 5_000));
        let br = country_cities(" br ").unwrap();
        assert!(br
            .iter()
            .any(|c| c.name == "São Paulo" && c.timezone == "America/Sao_Paulo"));
        assert_eq!(country_cities("in"), Some(india_cities()));
        for bad in ["", "X", "XX", "FRA", "1A", "é"] {
            assert_eq!(country_cities(bad), None, "{bad:?}");
        }
    }
}
