//! `/metrics` in the Prometheus text format: requests by route and status, request latency,
//! orders routed, live reservations and stock deltas applied.

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// The labels of a request.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub(crate) struct RequestLabels {
    /// The matched route (`/v1/reservations/{id}/commit`), not the raw path.
    pub route: String,
    /// The HTTP status code.
    pub status: u16,
}

/// Every metric the service keeps.
#[derive(Debug)]
pub(crate) struct Metrics {
    registry: Registry,
    pub requests: Family<RequestLabels, Counter>,
    pub latency: Family<RequestLabels, Histogram>,
    pub orders_routed: Counter,
    pub deltas_applied: Counter,
    pub live_reservations: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        let requests = Family::<RequestLabels, Counter>::default();
        // 25 µs to about 0.8 s.
        let latency = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(25e-6, 2.0, 16))
        });
        let (orders_routed, deltas_applied) = (Counter::default(), Counter::default());
        let live_reservations = Gauge::default();
        let mut registry = Registry::with_prefix("omniroute");
        registry.register(
            "http_requests",
            "HTTP requests by route and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route and status",
            latency.clone(),
        );
        registry.register(
            "orders_routed",
            "Orders routed (quotes, reservations and batch orders)",
            orders_routed.clone(),
        );
        registry.register(
            "stock_deltas_applied",
            "Stock deltas applied (duplicates not counted)",
            deltas_applied.clone(),
        );
        registry.register(
            "live_reservations",
            "Reservations held now",
            live_reservations.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            orders_routed,
            deltas_applied,
            live_reservations,
        }
    }
}

impl Metrics {
    /// Counts one request.
    pub fn observe(&self, route: &str, status: u16, seconds: f64) {
        let labels = RequestLabels {
            route: route.to_owned(),
            status,
        };
        self.requests.get_or_create(&labels).inc();
        self.latency.get_or_create(&labels).observe(seconds);
    }

    /// The text exposition, with the live reservations gauge set to `live`.
    pub fn render(&self, live: usize) -> String {
        self.live_reservations
            .set(i64::try_from(live).unwrap_or(i64::MAX));
        let mut out = String::new();
        // Writing to a String cannot fail.
        encode(&mut out, &self.registry).expect("in memory");
        out
    }
}
