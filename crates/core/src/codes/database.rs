//! The `E6xxx` family: the PostgreSQL ledger (`serve --database`, `omniroute db`).

use super::family_codes;

family_codes! {
    /// The PostgreSQL ledger's failures (`E6xxx`).
    DatabaseCode: Database {
        /// The server could not be reached or refused the connection.
        Connect = "E6001" => "check the URL (postgresql://user@host:port/db) and that the server is running",
        /// A statement failed.
        Query = "E6002" => "check the server's log; run `omniroute db migrate` if tables are missing",
        /// The database has no omniroute schema, or another version of it.
        Schema = "E6003" => "run `omniroute db migrate --database URL` first",
        /// A feed event's sequence number is above what PostgreSQL's bigint holds.
        SeqTooLarge = "E6004" => "restart the node's numbering (a snapshot) below 2^63",
        /// The database holds a node the nodes file does not have.
        UnknownNode = "E6005" => "load the database from the same nodes file (`omniroute db load`), or add the node",
        /// No database was named: neither `--database` nor `DATABASE_URL`.
        NoUrl = "E6006" => "for example --database postgresql://omniroute@127.0.0.1:5432/omniroute",
    }
}
