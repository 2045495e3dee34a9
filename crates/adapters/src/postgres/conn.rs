//! Connections to the database: opening them, opening a lost one again, and running a
//! transaction again after a serialization race, a deadlock or (when it may run twice) a lost
//! server.

use super::ledger::PgStore;
use super::DbError;
use omniroute_core::InventoryError;
use std::sync::atomic::Ordering;
use tokio_postgres::{Client, NoTls};

/// How long a feed event waits for a lost server (a restart) before it fails with `E6001`.
pub const WAIT_FOR_SERVER: std::time::Duration = std::time::Duration::from_secs(30);

/// Opens one connection; its driver runs on the current tokio runtime.
pub(super) async fn connect_one(url: &str) -> Result<Client, DbError> {
    let (client, connection) =
        tokio_postgres::connect(url, NoTls)
            .await
            .map_err(|e| DbError::Connect {
                message: e.to_string(),
            })?;
    // A dropped connection shows up as an error on the client's next statement.
    tokio::spawn(async move { drop(connection.await) });
    Ok(client)
}

impl PgStore {
    /// Runs `f` on a connection, again (up to 20 times) when the transaction lost a
    /// serialization race or a deadlock.
    pub(super) async fn retrying<'s, T, F, Fut>(&'s self, f: F) -> Result<T, DbError>
    where
        F: Fn(tokio::sync::MutexGuard<'s, Client>) -> Fut,
        Fut: std::future::Future<Output = Result<T, Failure>>,
    {
        self.run(f, false).await
    }

    /// [`PgStore::retrying`] for a transaction that may run twice (applying feed events, whose
    /// (node, seq) makes a second run a duplicate; sweeping expired reservations): when the
    /// connection is lost (a server restart), it waits for the server, up to
    /// [`WAIT_FOR_SERVER`], and runs `f` again on a new connection.
    pub(super) async fn retrying_through_loss<'s, T, F, Fut>(&'s self, f: F) -> Result<T, DbError>
    where
        F: Fn(tokio::sync::MutexGuard<'s, Client>) -> Fut,
        Fut: std::future::Future<Output = Result<T, Failure>>,
    {
        self.run(f, true).await
    }

    async fn run<'s, T, F, Fut>(&'s self, f: F, through_loss: bool) -> Result<T, DbError>
    where
        F: Fn(tokio::sync::MutexGuard<'s, Client>) -> Fut,
        Fut: std::future::Future<Output = Result<T, Failure>>,
    {
        let started = std::time::Instant::now();
        let mut pause = std::time::Duration::from_millis(50);
        let mut attempt = 0;
        loop {
            match f(self.client().await).await {
                Ok(v) => return Ok(v),
                Err(Failure::Db(e)) if DbError::retryable(&e) && attempt < 20 => attempt += 1,
                Err(Failure::Db(e))
                    if through_loss && DbError::lost(&e) && started.elapsed() < WAIT_FOR_SERVER =>
                {
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(std::time::Duration::from_secs(1));
                }
                Err(Failure::Db(e)) => return Err(e.into()),
                Err(Failure::Other(e)) => return Err(e),
            }
        }
    }

    /// One of the connections, opened again first if it was lost (a server restart): if that
    /// fails, the lost one is handed out and its next statement fails with `E6001`.
    pub(super) async fn client(&self) -> tokio::sync::MutexGuard<'_, Client> {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.clients.len();
        let mut client = self.clients[i].lock().await;
        if client.is_closed() {
            if let Ok(fresh) = connect_one(&self.url).await {
                *client = fresh;
            }
        }
        client
    }
}

/// A failed attempt: the driver's error (maybe retryable) or a final one.
pub(super) enum Failure {
    Db(tokio_postgres::Error),
    Other(DbError),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Failure::Db(e)
    }
}

impl From<DbError> for Failure {
    fn from(e: DbError) -> Self {
        Failure::Other(e)
    }
}

impl From<InventoryError> for Failure {
    fn from(e: InventoryError) -> Self {
        Failure::Other(DbError::Refused(e))
    }
}
