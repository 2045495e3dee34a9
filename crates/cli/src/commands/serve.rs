//! `omniroute serve`: loads the nodes, stock and policy once and answers JSON over HTTP
//! (`docs/design.md` §8, crates/server) until SIGTERM or Ctrl-C.

use crate::failure::Failure;
use crate::inputs::{self, Files};
use crate::{Global, EXIT_OK};
use anyhow::Context;
use jiff::{SignedDuration, Timestamp};
use omniroute_core::codes::ServeCode;
use omniroute_server::{serve, shutdown_signal, Config, Service, TOKEN_VAR};
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// Arguments of `omniroute serve`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  OMNIROUTE_API_TOKEN=secret omniroute serve --nodes nodes.csv --stock stock.csv --listen 127.0.0.1:8080\n\nEvery /v1 request needs `Authorization: Bearer $OMNIROUTE_API_TOKEN`; serve refuses to start\nwithout the variable. Logs go to stderr (RUST_LOG=debug for more). SIGTERM or Ctrl-C stops\naccepting and lets the requests in flight finish."
)]
pub struct Args {
    /// The nodes, stock and policy files.
    #[command(flatten)]
    pub files: Files,
    /// Address to listen on (port 0: any free port, logged at start).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Worker threads [default: every core].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Seconds a reservation holds its units unless committed or released.
    #[arg(long, value_name = "SECONDS", default_value_t = 900, value_parser = clap::value_parser!(u32).range(1..))]
    pub reservation_ttl: u32,
    /// Largest request body, bytes (larger: 413).
    #[arg(long, value_name = "BYTES", default_value_t = 1 << 20)]
    pub max_body: usize,
    /// Offer dealer shipments on WhatsApp (/v1/offers, /webhooks/whatsapp): needs the access
    /// token, phone number id, app secret and verify token in the environment (README,
    /// "Dealers") and dealers' numbers in the nodes file's whatsapp column.
    #[arg(long)]
    pub dealers: bool,
    /// Where WhatsApp messages are posted (the Graph API, or a stand-in).
    #[arg(long, value_name = "URL", default_value = omniroute_adapters::channel::whatsapp::DEFAULT_BASE_URL)]
    pub whatsapp_base_url: String,
    /// Keep the ledger in this PostgreSQL database (migrated and loaded with `omniroute db`),
    /// shared with every serve process on it; the stock file is then read for validation only.
    /// Without it, the ledger lives in memory.
    #[cfg(feature = "postgres")]
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
}

/// Loads the inputs and serves until a shutdown signal.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let token = std::env::var(TOKEN_VAR).unwrap_or_default();
    if token.trim().is_empty() {
        return Err(Failure::new(
            ServeCode::NoToken.id(),
            format!("{TOKEN_VAR} is not set"),
            format!("export {TOKEN_VAR}=<a long random secret>; clients send it as a bearer token"),
        )
        .into());
    }
    let level = if global.quiet { "warn" } else { "info" };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .init();
    let inputs = inputs::load(&args.files, None, global, Timestamp::now())?;
    let ttl = SignedDuration::from_secs(i64::from(args.reservation_ttl));
    let desk_inputs = args.dealers.then(|| {
        (
            Arc::clone(&inputs.network),
            inputs.skus.clone(),
            inputs.policies.clone(),
        )
    });
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = args.threads {
        runtime.worker_threads(usize::from(n));
    }
    let runtime = runtime
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    runtime.block_on(async {
        let service = Arc::new(service(args, inputs, ttl).await?);
        let dealers = match desk_inputs {
            Some(parts) => Some(super::serve_dealers::dealers(args, &service, parts)?),
            None => None,
        };
        let config = Config {
            max_body_bytes: args.max_body,
            timeout: Duration::from_secs(60),
            dealers,
            ..Config::new(token)
        };
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        let addr = listener.local_addr()?;
        tracing::info!(%addr, "listening");
        serve(listener, service, &config, shutdown_signal())
            .await
            .context("the server stopped")
    })?;
    Ok(EXIT_OK)
}

/// The service, its ledger in memory or in the database of `--database`.
async fn service(
    args: &Args,
    inputs: omniroute_adapters::Inputs,
    ttl: SignedDuration,
) -> anyhow::Result<Service> {
    #[cfg(feature = "postgres")]
    if let Some(url) = &args.database {
        let service = Service::with_database(inputs, ttl, url)
            .await
            .map_err(|e| crate::commands::db::failure(&e))?;
        tracing::info!("ledger in the database");
        return Ok(service);
    }
    let _ = args;
    Ok(Service::new(inputs, ttl))
}
