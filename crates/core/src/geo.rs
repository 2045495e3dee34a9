//! Points on the Earth and great-circle distance.

use thiserror::Error;

/// Mean Earth radius in km used by every distance in omniroute (IUGG mean radius).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A validated WGS84 position in degrees: latitude in [-90, 90], longitude in [-180, 180], both finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLng {
    lat_deg: f64,
    lon_deg: f64,
}

/// Why a latitude/longitude pair was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Error)]
#[non_exhaustive]
pub enum LatLngError {
    /// Latitude is NaN, infinite or outside [-90, 90].
    #[error("latitude {0} is not a finite number in [-90, 90]")]
    Latitude(f64),
    /// Longitude is NaN, infinite or outside [-180, 180].
    #[error("longitude {0} is not a finite number in [-180, 180]")]
    Longitude(f64),
}

impl LatLng {
    /// Validates and builds a position.
    ///
    /// ```
    /// # use omniroute_core::LatLng;
    /// let delhi = LatLng::new(28.6139, 77.2090)?;
    /// assert!(LatLng::new(91.0, 0.0).is_err());
    /// # Ok::<(), omniroute_core::LatLngError>(())
    /// ```
    pub fn new(lat_deg: f64, lon_deg: f64) -> Result<Self, LatLngError> {
        if !lat_deg.is_finite() || !(-90.0..=90.0).contains(&lat_deg) {
            return Err(LatLngError::Latitude(lat_deg));
        }
        if !lon_deg.is_finite() || !(-180.0..=180.0).contains(&lon_deg) {
            return Err(LatLngError::Longitude(lon_deg));
        }
        Ok(Self { lat_deg, lon_deg })
    }

    /// Latitude in degrees.
    pub fn lat_deg(self) -> f64 {
        self.lat_deg
    }

    /// Longitude in degrees.
    pub fn lon_deg(self) -> f64 {
        self.lon_deg
    }

    /// The point on the unit sphere (x, y, z) for this position.
    pub fn unit_vector(self) -> [f64; 3] {
        let (lat, lon) = (self.lat_deg.to_radians(), self.lon_deg.to_radians());
        let (slat, clat) = lat.sin_cos();
        let (slon, clon) = lon.sin_cos();
        [clat * clon, clat * slon, slat]
    }

    /// Great-circle distance in km (haversine, R = [`EARTH_RADIUS_KM`]).
    ///
    /// ```
    /// # use omniroute_core::LatLng;
    /// let a = LatLng::new(0.0, 0.0)?;
    /// let b = LatLng::new(0.0, 1.0)?;
    /// assert!((a.distance_km(b) - 111.195).abs() < 0.001);
    /// # Ok::<(), omniroute_core::LatLngError>(())
    /// ```
    pub fn distance_km(self, other: LatLng) -> f64 {
        let (lat1, lat2) = (self.lat_deg.to_radians(), other.lat_deg.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon_deg - self.lon_deg).to_radians();
        let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
    }
}

/// Chord length on the unit sphere for a great-circle distance in km.
pub fn chord_for_km(distance_km: f64) -> f64 {
    2.0 * (distance_km / (2.0 * EARTH_RADIUS_KM))
        .min(std::f64::consts::FRAC_PI_2)
        .sin()
}

/// Great-circle distance in km for a chord length on the unit sphere.
pub fn km_for_chord(chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * (chord / 2.0).clamp(0.0, 1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_out_of_range_and_non_finite() {
        assert!(LatLng::new(f64::NAN, 0.0).is_err());
        assert!(LatLng::new(0.0, f64::INFINITY).is_err());
        assert!(LatLng::new(-90.1, 0.0).is_err());
        assert!(LatLng::new(0.0, 180.5).is_err());
        assert!(LatLng::new(90.0, -180.0).is_ok());
    }

    #[test]
    fn chord_and_km_round_trip() {
        for km in [0.0, 1.0, 100.0, 5000.0, 20000.0] {
            assert!((km_for_chord(chord_for_km(km)) - km).abs() < 1e-6, "{km}");
        }
    }

    #[test]
    fn delhi_mumbai_is_about_1150_km() {
        let delhi = LatLng::new(28.6139, 77.2090).unwrap();
        let mumbai = LatLng::new(19.0760, 72.8777).unwrap();
        let d = delhi.distance_km(mumbai);
        assert!((1145.0..1160.0).contains(&d), "{d}");
    }
}
