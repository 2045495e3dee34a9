//! omniroute-server: `omniroute serve`, the HTTP service of `docs/design.md` §8.
//!
//! One [`Service`] holds the network, the policy versions, a router built once and the live
//! ledger with the router's stock table kept in step ([`omniroute_core::LiveStock`]); [`app`] is
//! its axum router and [`serve`] runs it until a shutdown signal, finishing the requests in
//! flight. Orders are read by the adapters' orders reader and decisions written by the CLI's
//! writer, so both are the CLI's.

mod dealers;
mod error;
mod http;
mod metrics;
mod openapi;
mod orders;
mod service;
mod store;

pub use dealers::{Dealers, Desk, WebhookSecrets, KEEP_WEBHOOK_IDS};
pub use error::ApiError;
pub use http::app;
pub use orders::KEEP_SETTLED_ORDERS;
pub use service::{Service, MAX_BATCH_SECONDS};
pub use store::{Ledger, LedgerError};

use jiff::Timestamp;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// The environment variable holding the bearer token every `/v1` request must carry.
pub const TOKEN_VAR: &str = "OMNIROUTE_API_TOKEN";

/// How the service runs.
#[derive(Clone)]
pub struct Config {
    /// The bearer token (`OMNIROUTE_API_TOKEN`), never empty.
    pub token: String,
    /// Largest request body, bytes (larger: 413).
    pub max_body_bytes: usize,
    /// Longest a request may take (longer: 408).
    pub timeout: Duration,
    /// How often expired reservations are swept (released).
    pub sweep_every: Duration,
    /// Dealer offers on WhatsApp (`None`: no `/v1/offers`, no `/webhooks/whatsapp`).
    pub dealers: Option<Dealers>,
}

impl fmt::Debug for Config {
    /// Everything but the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("token", &"<hidden>")
            .field("max_body_bytes", &self.max_body_bytes)
            .field("timeout", &self.timeout)
            .field("sweep_every", &self.sweep_every)
            .field("dealers", &self.dealers.is_some())
            .finish()
    }
}

impl Config {
    /// A config with `token` and the defaults: 1 MiB bodies, 60 s per request (a batch may
    /// optimise for up to [`MAX_BATCH_SECONDS`]), expired reservations swept every second.
    pub fn new(token: impl Into<String>) -> Self {
        Config {
            token: token.into(),
            max_body_bytes: 1 << 20,
            timeout: Duration::from_secs(60),
            sweep_every: Duration::from_secs(1),
            dealers: None,
        }
    }
}

/// Serves `service` on `listener` until `shutdown` completes, then lets the requests in flight
/// finish. Expired reservations are swept meanwhile ([`Config::sweep_every`]).
pub async fn serve(
    listener: TcpListener,
    service: Arc<Service>,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let sweeper = {
        let service = Arc::clone(&service);
        let every = config.sweep_every;
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(every);
            loop {
                tick.tick().await;
                let n = service.expire(Timestamp::now());
                if n > 0 {
                    tracing::info!(expired = n, "reservations expired");
                }
            }
        })
    };
    let timeouts = config
        .dealers
        .clone()
        .map(|d| tokio::spawn(dealers::run_timeouts(d, config.sweep_every)));
    // With a database, the mirror follows the other processes' changes.
    #[cfg(feature = "postgres")]
    let follower = tokio::spawn(store::follow(Arc::clone(&service)));
    let result = axum::serve(listener, app(service, config))
        .with_graceful_shutdown(shutdown)
        .await;
    sweeper.abort();
    if let Some(t) = timeouts {
        t.abort();
    }
    #[cfg(feature = "postgres")]
    follower.abort();
    result
}

/// Completes on SIGTERM or Ctrl-C (SIGINT).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, wait for SIGTERM alone.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing the requests in flight");
}
