//! Weighted sampling and location jitter: the generator's two random primitives.

use rand::Rng;

/// Km per degree of latitude (and of longitude at the equator) on the mean-radius sphere.
const KM_PER_DEG: f64 = omniroute_core::EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

/// Draws indices in proportion to their weights: a cumulative table searched by bisection, so
/// a draw costs O(log n) whatever the number of items.
#[derive(Debug, Clone)]
pub(super) struct Cumulative {
    ends: Vec<f64>,
}

impl Cumulative {
    /// A table over `weights` (non-negative; items of weight 0 are never drawn).
    pub(super) fn new(weights: impl IntoIterator<Item = f64>) -> Self {
        let mut total = 0.0;
        let ends = weights
            .into_iter()
            .map(|w| {
                total += w.max(0.0);
                total
            })
            .collect();
        Self { ends }
    }

    /// Number of items.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// An index drawn in proportion to its weight.
    ///
    /// # Panics
    /// If the table is empty.
    pub(super) fn sample(&self, rng: &mut impl Rng) -> usize {
        let total = *self.ends.last().expect("a non-empty weight table");
        let x = rng.gen::<f64>() * total;
        self.ends
            .partition_point(|&end| end <= x)
            .min(self.len() - 1)
    }
}

/// A point drawn uniformly in a disc of `radius_km` around (`lat`, `lon`), in degrees.
pub(super) fn jitter(rng: &mut impl Rng, lat: f64, lon: f64, radius_km: f64) -> (f64, f64) {
    let r = radius_km * rng.gen::<f64>().sqrt();
    let (sin, cos) = (rng.gen::<f64>() * std::f64::consts::TAU).sin_cos();
    let new_lat = (lat + r * cos / KM_PER_DEG).clamp(-90.0, 90.0);
    let lon_scale = (KM_PER_DEG * lat.to_radians().cos()).max(1e-6);
    let mut new_lon = lon + r * sin / lon_scale;
    if new_lon > 180.0 {
        new_lon -= 360.0;
    } else if new_lon < -180.0 {
        new_lon += 360.0;
    }
    (new_lat, new_lon)
}

/// How far around a city's centre its addresses spread, in km: grows with the square root of
/// the population (a proxy for the built-up radius), from 1 km for a town to 8 km for a
/// megacity.
pub(super) fn spread_km(population: u64) -> f64 {
    ((population as f64).sqrt() / 250.0).clamp(1.0, 8.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn cumulative_draws_in_proportion_and_skips_zero_weights() {
        let table = Cumulative::new([1.0, 0.0, 3.0]);
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut counts = [0u32; 3];
        for _ in 0..40_000 {
            counts[table.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        let ratio = f64::from(counts[2]) / f64::from(counts[0]);
        assert!((2.7..3.3).contains(&ratio), "ratio {ratio}");
    }

    #[test]
    fn jitter_stays_within_the_radius() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let centre = omniroute_core::LatLng::new(19.07, 72.88).unwrap();
        for _ in 0..1000 {
            let (lat, lon) = jitter(&mut rng, 19.07, 72.88, 5.0);
            let p = omniroute_core::LatLng::new(lat, lon).unwrap();
            assert!(centre.distance_km(p) <= 5.01);
        }
    }
}
