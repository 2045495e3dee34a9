//! The `E3xxx` family: the inventory ledger (`E30xx`), events files for re-routing (`E31xx`)
//! and the stock delta stream (`E32xx`).

use super::family_codes;

family_codes! {
    /// The inventory ledger, events files and the stock delta stream (`E3xxx`).
    InventoryCode: Inventory {
        /// A delta would make a position's on-hand negative.
        NegativeOnHand = "E3001" => "check the feed for a lost positive delta, or send a fresh snapshot of the node",
        /// A delta or a return would push on-hand above `u32::MAX`.
        QuantityOverflow = "E3002" => "the event is almost certainly corrupt; check its quantity",
        /// A reservation asked for more units than are routable.
        InsufficientStock = "E3003" => "route the order again against current stock",
        /// A live reservation already uses this id.
        DuplicateReservation = "E3004" => "use a new id, or commit or release the existing reservation first",
        /// No live reservation has this id.
        UnknownReservation = "E3005" => "check the id; after an expiry, reserve again",
        /// The reservation expired before it was committed.
        Expired = "E3006" => "route and reserve the order again, or use a longer time to live",
        /// A commit found fewer units on hand than the reservation holds.
        ShortOnCommit = "E3007" => "release the reservation and route the order again",
        /// A snapshot for one node contained a row for another node.
        SnapshotNodeMismatch = "E3008" => "split the rows by node, or replace the whole snapshot",
        /// A line of the events file is not valid JSON (or not UTF-8).
        EventJson = "E3101" => "write one JSON object per line",
        /// An unknown event type.
        UnknownEventType = "E3102" => "use one of node_down, node_up, dealer_rejected, dealer_timed_out, \
            dealer_accepted, stock_correction, stock_arrival",
        /// An event lacks a field its type needs.
        EventMissingField = "E3103" => "add the field (see docs/formats.md)",
        /// An event names a node that is not in the nodes file.
        EventUnknownNode = "E3104" => "use a node_id of the nodes file the plan was made with",
        /// A dealer event names an order that is not in the orders file.
        EventUnknownOrder = "E3105" => "use an order_id of the orders file the plan was made with",
        /// A stock event names a SKU in neither the stock nor the orders file.
        EventUnknownSku = "E3106" => "check the spelling (SKUs are case-sensitive)",
        /// A stock event's `routable` or `qty` is negative.
        EventNegative = "E3107" => "write 0 or more",
        /// A field of an event has the wrong type.
        EventWrongType = "E3108" => "write the value as docs/formats.md shows",
        /// A dealer event names a node that is not a dealer.
        EventNotADealer = "E3109" => "check the node_id (a warehouse or store that cannot ship is a node_down)",
        /// A dealer event names a dealer that does not ship the order at that point.
        EventNotOffered = "E3110" => "check the order_id and node_id",
        /// An object in the events file gives the same key twice.
        EventRepeatedKey = "E3111" => "give each key once",
        /// A refusal by a dealer that accepted the order earlier in the events.
        EventAlreadyAccepted = "E3112" => "check the order of the events, or drop the accept",
        /// A line of the delta stream is not valid JSON or not UTF-8.
        FeedJson = "E3201" => "write one JSON object per line",
        /// An unknown `op`.
        UnknownOp = "E3202" => "use one of adjust, set, reserve, release, ship, return",
        /// An event of the stream lacks a field it needs.
        FeedMissingField = "E3203" => "add the field (see docs/formats.md)",
        /// An event of the stream names a node that is not in the network.
        FeedUnknownNode = "E3204" => "check the node_id against nodes.csv (ids are case-sensitive)",
        /// A field of the stream has the wrong type.
        FeedWrongType = "E3205" => "write the value as docs/formats.md shows",
        /// A negative `qty` where only `adjust` is signed.
        FeedNegative = "E3206" => "write 0 or more",
        /// An object in the stream gives the same key twice.
        FeedRepeatedKey = "E3207" => "give each key once",
        /// An event's `at` is not an RFC 3339 time with an offset.
        BadEventTime = "E3208" => "write a time with its offset, for example 2026-12-05T09:00:00Z",
        /// An event's `sku` is empty.
        EmptySku = "E3209" => "name the SKU the event is about",
        /// A report: an event applied while lower sequence numbers of its node are missing.
        SeqGap = "E3210" => "the missing events are applied if they come; if they are lost, send a snapshot of the node",
        /// A report: an event applied after a higher sequence number of its node.
        SeqLate = "E3211" => "the feed reorders events; they are applied once each, whatever their order",
        /// A `release` frees more units than are held outside omniroute.
        ReleaseBeyondHeld = "E3220" => "check the feed for a lost reserve, or send a snapshot of the node",
        /// stock.csv: an `incoming_qty` that is not a whole number of units.
        IncomingQty = "E3250" => "write incoming_qty as a whole number from 0, or leave both incoming cells empty",
        /// stock.csv: an `incoming_date` that is not a date.
        IncomingDate = "E3251" => "write incoming_date as YYYY-MM-DD, or leave both incoming cells empty",
        /// stock.csv: `incoming_qty` without `incoming_date`, or the other way round.
        IncomingPair = "E3252" => "give both incoming_qty and incoming_date, or neither",
        /// A `sold_via` that is not a sales channel, or on an event other than a `return`.
        BadSoldVia = "E3270" => "use one of online, store, dealer on a return, or leave it out",
        /// An `order_id` that is not a non-empty string.
        BadOrderId = "E3271" => "write the order's id (or the till's receipt) in double quotes, or leave it out",
        /// A `unit_price_cents` that is not whole cents from 0 up, or on an event other than a `ship`.
        BadUnitPrice = "E3272" => "write the unit price in cents without quotes on a ship, or leave it out",
    }
}
