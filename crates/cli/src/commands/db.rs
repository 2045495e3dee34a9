//! `omniroute db`: the PostgreSQL store (docs/postgres.md). `db migrate` creates the schema;
//! `db load` writes the nodes and a stock snapshot, and applies a stock delta stream.

use crate::failure::Failure;
use crate::inputs::{self, Files};
use crate::{Global, EXIT_OK, EXIT_UNFILLED};
use anyhow::Context;
use jiff::Timestamp;
use omniroute_adapters::postgres::{DbError, PgEvent, PgStore, DATABASE_VAR};

/// Arguments of `omniroute db`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  export DATABASE_URL=postgresql://omniroute@127.0.0.1:5432/omniroute\n  omniroute db migrate\n  omniroute db load --nodes nodes.csv --stock stock.csv --deltas feed.ndjson\n  OMNIROUTE_API_TOKEN=secret omniroute serve --database \"$DATABASE_URL\" --nodes nodes.csv --stock stock.csv\n\nThe schema, and how serve processes share the database: docs/postgres.md."
)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// `db migrate` or `db load`.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Create (or check) the schema: idempotent.
    Migrate(Database),
    /// Write the nodes and replace the stock with a snapshot; then apply a delta stream.
    #[command(
        after_help = "Example:\n  omniroute db load --database postgresql://omniroute@127.0.0.1/omniroute --nodes nodes.csv --stock stock.csv --deltas feed.ndjson\n\nThe delta stream (docs/formats.md) is applied event by event: a malformed line or a refused\nevent is reported on stderr with its line and code and the stream goes on; a summary goes to\nstdout. Exit 1 when any line was reported."
    )]
    Load(Load),
}

/// `--database URL`, else `DATABASE_URL`.
#[derive(Debug, Clone, clap::Args)]
pub struct Database {
    /// The PostgreSQL database (`postgresql://user@host:port/db`) [default: `$DATABASE_URL`].
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
}

impl Database {
    /// The URL given, else `DATABASE_URL`'s (`E6006` without either).
    pub fn url(&self) -> anyhow::Result<String> {
        self.database
            .clone()
            .or_else(|| std::env::var(DATABASE_VAR).ok())
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| failure(&DbError::NoUrl).into())
    }
}

/// Arguments of `db load`.
#[derive(Debug, clap::Args)]
pub struct Load {
    /// The database.
    #[command(flatten)]
    pub database: Database,
    /// The nodes, stock and policy files.
    #[command(flatten)]
    pub files: Files,
    /// A stock delta stream (NDJSON, docs/formats.md) to apply after the snapshot, or `-` for
    /// stdin.
    #[arg(long, value_name = "FILE")]
    pub deltas: Option<String>,
}

/// A database error as the CLI reports it.
pub fn failure(e: &DbError) -> Failure {
    Failure::new(e.code(), e.to_string(), e.hint())
}

/// Runs `db migrate` or `db load`.
pub fn run(args: &Args, global: Global) -> anyhow::Result<u8> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    match &args.action {
        Action::Migrate(db) => {
            let url = db.url()?;
            runtime
                .block_on(async {
                    let store = PgStore::connect(&url, 1).await?;
                    store.migrate().await?;
                    store.check_schema().await
                })
                .map_err(|e| failure(&e))?;
            crate::note!(
                "schema version {} is in place",
                omniroute_adapters::postgres::SCHEMA_VERSION
            );
            Ok(EXIT_OK)
        }
        Action::Load(load) => run_load(load, global, &runtime),
    }
}

fn run_load(args: &Load, global: Global, runtime: &tokio::runtime::Runtime) -> anyhow::Result<u8> {
    let url = args.database.url()?;
    let mut inputs = inputs::load(&args.files, None, global, Timestamp::now())?;
    let store = runtime
        .block_on(async {
            let store = PgStore::connect(&url, 1).await?;
            store.check_schema().await?;
            Ok::<_, DbError>(store)
        })
        .map_err(|e| failure(&e))?;
    let written = runtime
        .block_on(store.load(
            &inputs.network,
            &inputs.skus,
            &inputs.stock.records().collect::<Vec<_>>(),
        ))
        .map_err(|e| failure(&e))?;
    crate::note!(
        "{} nodes and {written} stock positions written",
        inputs.network.len()
    );
    let Some(path) = &args.deltas else {
        return Ok(EXIT_OK);
    };
    let now = Timestamp::now();
    let network = std::sync::Arc::clone(&inputs.network);
    let skus = std::cell::RefCell::new(std::mem::take(&mut inputs.skus));
    let t = crate::feed::follow(path, &network, &|| skus.borrow().clone(), |event| {
        let change = event.change_under(&mut skus.borrow_mut(), &inputs.policies.versions, now);
        let pg = PgEvent {
            change,
            node_id: network.node(event.node).id.clone(),
            sku: event.sku.clone(),
            at: event.at,
        };
        match runtime.block_on(store.apply(&[pg])) {
            Ok((outcomes, _)) => Ok(Ok(outcomes[0])),
            Err(DbError::Refused(e)) => Ok(Err(e)),
            Err(e) => Err(failure(&e).into()),
        }
    })?;
    println!(
        "{}",
        serde_json::json!({
            "applied": t.applied, "duplicates": t.duplicates, "gaps": t.gaps,
            "out_of_order": t.out_of_order, "malformed": t.malformed, "refused": t.refused,
        })
    );
    Ok(if t.malformed + t.refused > 0 {
        EXIT_UNFILLED
    } else {
        EXIT_OK
    })
}

/// Replaces the stock of `inputs` with the positions of the database at `url` (units held by
/// reservations and outside omniroute count as reserved).
pub fn stock_from_database(
    inputs: &mut omniroute_adapters::Inputs,
    url: &str,
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    let (_, positions) = runtime
        .block_on(async {
            let store = PgStore::connect(url, 1).await?;
            store.check_schema().await?;
            store.positions().await
        })
        .map_err(|e| failure(&e))?;
    let mut stock = Vec::with_capacity(positions.len());
    for p in positions {
        let node = inputs.network.find(&p.node_id).ok_or_else(|| {
            failure(&DbError::UnknownNode {
                node_id: p.node_id.clone(),
            })
        })?;
        stock.push(omniroute_adapters::StockRecord {
            node,
            sku: inputs.skus.intern(&p.sku),
            on_hand: p.position.on_hand,
            reserved: p.position.reserved,
            safety_stock: p.position.safety_stock,
            incoming: p.position.incoming,
        });
    }
    inputs.stock = stock.into_iter().collect();
    Ok(())
}
