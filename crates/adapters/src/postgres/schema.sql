-- omniroute's PostgreSQL schema, version 1 (docs/postgres.md). Applied by `omniroute db migrate`;
-- every statement is idempotent, so migrating twice changes nothing.

CREATE TABLE IF NOT EXISTS omniroute_schema (
    version integer NOT NULL
);

-- The network's nodes, by id (the rest of a node lives in nodes.csv).
CREATE TABLE IF NOT EXISTS nodes (
    node_id text PRIMARY KEY,
    kind    text NOT NULL,
    lat     double precision NOT NULL,
    lon     double precision NOT NULL,
    active  boolean NOT NULL DEFAULT true
);

-- One row per (node, SKU): the ledger's position. `reserved` is the sum of the live
-- reservations' lines; `external_reserved` is held outside omniroute (the snapshot's `reserved`,
-- a till's `reserve`). Routable = on_hand - reserved - external_reserved - safety_stock.
CREATE TABLE IF NOT EXISTS stock_positions (
    node_id           text NOT NULL REFERENCES nodes ON DELETE CASCADE,
    sku               text NOT NULL,
    on_hand           bigint NOT NULL DEFAULT 0 CHECK (on_hand BETWEEN 0 AND 4294967295),
    reserved          bigint NOT NULL DEFAULT 0 CHECK (reserved >= 0),
    external_reserved bigint NOT NULL DEFAULT 0 CHECK (external_reserved BETWEEN 0 AND 4294967295),
    safety_stock      bigint NOT NULL DEFAULT 0 CHECK (safety_stock BETWEEN 0 AND 4294967295),
    incoming_qty      bigint NOT NULL DEFAULT 0 CHECK (incoming_qty >= 0),
    incoming_date     date,
    shipped           bigint NOT NULL DEFAULT 0,
    returned          bigint NOT NULL DEFAULT 0,
    delta_in          bigint NOT NULL DEFAULT 0,
    snapshot_in       bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (node_id, sku)
);

-- Live reservations: all lines of one order, held until `expires_at`. One per order at a time.
CREATE TABLE IF NOT EXISTS reservations (
    reservation_id bigint PRIMARY KEY,
    order_id       text NOT NULL UNIQUE,
    expires_at     timestamptz NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS reservation_lines (
    reservation_id bigint NOT NULL REFERENCES reservations ON DELETE CASCADE,
    node_id        text NOT NULL,
    sku            text NOT NULL,
    qty            bigint NOT NULL CHECK (qty > 0),
    PRIMARY KEY (reservation_id, node_id, sku),
    FOREIGN KEY (node_id, sku) REFERENCES stock_positions
);

-- Every decision a serve process reserved, and what became of it.
CREATE TABLE IF NOT EXISTS decisions (
    reservation_id bigint PRIMARY KEY,
    order_id       text NOT NULL,
    status         text NOT NULL CHECK (status IN ('reserved', 'committed', 'released', 'expired')),
    decided_at     timestamptz NOT NULL DEFAULT now(),
    decision       jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS decisions_order ON decisions (order_id);

-- Every feed event applied, once per (node, seq): a repeat is a duplicate.
CREATE TABLE IF NOT EXISTS applied_deltas (
    node_id    text NOT NULL REFERENCES nodes ON DELETE CASCADE,
    seq        bigint NOT NULL CHECK (seq >= 0),
    sku        text NOT NULL,
    op         text NOT NULL,
    qty        bigint NOT NULL,
    at         timestamptz,
    applied_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (node_id, seq)
);

-- Each feeding node's applied run: every seq up to `contiguous` counts as applied; the numbers
-- applied above it are the node's rows of applied_deltas above it (the core's SeqState).
CREATE TABLE IF NOT EXISTS feed_seqs (
    node_id    text PRIMARY KEY REFERENCES nodes ON DELETE CASCADE,
    contiguous bigint NOT NULL
);

-- The change log followers read: one row per position a committed transaction changed, in
-- commit order (writers append under one advisory lock, taken just before commit).
CREATE TABLE IF NOT EXISTS stock_changes (
    change_id  bigserial PRIMARY KEY,
    node_id    text NOT NULL,
    sku        text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now()
);

-- Each serve process takes a number: its reservation ids are (number << 32) + 1, + 2, ...
CREATE SEQUENCE IF NOT EXISTS serve_instances;

INSERT INTO omniroute_schema (version)
SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM omniroute_schema);
