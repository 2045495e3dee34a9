//! The store's one error family: `E6xxx` for the database, the ledger's own `E3xxx` for a
//! refusal (a reservation that does not fit, a feed event that would take on-hand below 0).

use omniroute_core::codes::DatabaseCode;
use omniroute_core::InventoryError;
use thiserror::Error;

/// Why a database operation failed. Every variant but [`DbError::Refused`] is about the
/// database; a refusal changed nothing, as the in-memory ledger's do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DbError {
    /// The server could not be reached or refused the connection (`E6001`).
    #[error("cannot connect to the database: {message}")]
    Connect {
        /// The driver's message.
        message: String,
    },
    /// A statement failed (`E6002`).
    #[error("database error: {message}")]
    Query {
        /// The driver's message, with the server's when there is one.
        message: String,
    },
    /// The database has no omniroute schema, or another version of it (`E6003`).
    #[error("the database has {} (this omniroute reads version {want})", found.map_or_else(|| "no omniroute schema".to_owned(), |v| format!("schema version {v}")))]
    Schema {
        /// The version found, if any.
        found: Option<i32>,
        /// The version this build reads.
        want: i32,
    },
    /// A feed event's sequence number is above what PostgreSQL's bigint holds (`E6004`).
    #[error(
        "node `{node_id}`: seq {seq} is above 9223372036854775807, the largest the database keeps"
    )]
    SeqTooLarge {
        /// The node.
        node_id: String,
        /// The sequence number.
        seq: u64,
    },
    /// The database holds a node the nodes file does not have (`E6005`).
    #[error("the database has node `{node_id}`, which is not in the nodes file")]
    UnknownNode {
        /// The node.
        node_id: String,
    },
    /// No database was named: neither `--database` nor `DATABASE_URL` (`E6006`).
    #[error("no database: give --database URL or set DATABASE_URL")]
    NoUrl,
    /// The ledger refused the change; nothing was written.
    #[error(transparent)]
    Refused(InventoryError),
}

impl DbError {
    /// The stable code (`docs/errors.md`).
    pub fn code(&self) -> &'static str {
        match self {
            DbError::Refused(e) => e.code(),
            _ => self.database_code().map_or("", DatabaseCode::id),
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            DbError::Refused(_) => {
                "the change was not applied; see the ledger's code in docs/errors.md"
            }
            _ => self.database_code().map_or("", DatabaseCode::hint),
        }
    }

    /// The `E6xxx` code, for every variant but a refusal (which carries the ledger's).
    fn database_code(&self) -> Option<DatabaseCode> {
        Some(match self {
            DbError::Connect { .. } => DatabaseCode::Connect,
            DbError::Query { .. } => DatabaseCode::Query,
            DbError::Schema { .. } => DatabaseCode::Schema,
            DbError::SeqTooLarge { .. } => DatabaseCode::SeqTooLarge,
            DbError::UnknownNode { .. } => DatabaseCode::UnknownNode,
            DbError::NoUrl => DatabaseCode::NoUrl,
            DbError::Refused(_) => return None,
        })
    }

    /// Whether the transaction lost a race the server resolves by retrying (serialization
    /// failure, deadlock).
    /// The connection was lost: closed, an I/O error, or the server shutting down or starting.
    pub(super) fn lost(e: &tokio_postgres::Error) -> bool {
        use tokio_postgres::error::SqlState;
        e.is_closed()
            || e.code().is_some_and(|c| {
                *c == SqlState::ADMIN_SHUTDOWN
                    || *c == SqlState::CRASH_SHUTDOWN
                    || *c == SqlState::CANNOT_CONNECT_NOW
            })
            || std::error::Error::source(e)
                .is_some_and(<dyn std::error::Error>::is::<std::io::Error>)
    }

    pub(super) fn retryable(e: &tokio_postgres::Error) -> bool {
        e.code().is_some_and(|c| {
            *c == tokio_postgres::error::SqlState::T_R_SERIALIZATION_FAILURE
                || *c == tokio_postgres::error::SqlState::T_R_DEADLOCK_DETECTED
        })
    }
}

impl From<tokio_postgres::Error> for DbError {
    fn from(e: tokio_postgres::Error) -> Self {
        let message = match e.as_db_error() {
            Some(db) => format!("{}: {}", db.code().code(), db.message()),
            None => e.to_string(),
        };
        if e.is_closed() {
            DbError::Connect { message }
        } else {
            DbError::Query { message }
        }
    }
}

impl From<InventoryError> for DbError {
    fn from(e: InventoryError) -> Self {
        DbError::Refused(e)
    }
}
