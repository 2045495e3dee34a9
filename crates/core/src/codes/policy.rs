//! The `E2xxx` family: problems of `policy.toml` and of policy versions.

use super::family_codes;

family_codes! {
    /// Problems of `policy.toml` and of policy versions (`E2xxx`).
    PolicyCode: Policy {
        /// The text is not valid TOML.
        Syntax = "E2001" => "fix the TOML syntax at this place (see docs/policy.md)",
        /// A key the policy does not know.
        UnknownKey = "E2002" => "remove the key or correct its spelling (see docs/policy.md)",
        /// A value of the wrong type.
        WrongType = "E2003" => "write a value of the expected type (see docs/policy.md)",
        /// A negative cost.
        NegativeCost = "E2004" => "costs are cents and cannot be negative; write 0 or more",
        /// A number that is NaN or (where not allowed) infinite.
        NotFinite = "E2005" => "write a finite number (nan and inf are not allowed here)",
        /// An unknown node kind.
        UnknownKind = "E2006" => "use warehouse, store, dealer, supplier or locker",
        /// An unknown service level.
        UnknownLevel = "E2007" => "use same_day, next_day, standard or a level defined under [levels.<name>]",
        /// A time of day that is not `HH:MM`.
        BadTime = "E2008" => "write a local time as \"HH:MM\", for example \"14:00\"",
        /// Transit bands empty or not strictly ascending.
        BadTransit = "E2009" => "list at least one band, with max_km strictly ascending, e.g. \
             [ { max_km = 100, days = 1 }, { max_km = \"inf\", days = 3 } ]",
        /// `max_shipments = 0`.
        ZeroShipments = "E2010" => "max_shipments must be at least 1",
        /// An invalid region box.
        BadRegion = "E2011" => "write [min_lat, min_lon, max_lat, max_lon] in degrees, latitudes in \
             [-90, 90], longitudes in [-180, 180], min <= max",
        /// An invalid `effective_from` timestamp.
        BadTimestamp = "E2012" => "write an RFC 3339 instant with an offset, e.g. \"2026-01-01T00:00:00Z\"",
        /// An unknown SLA treatment.
        UnknownSla = "E2013" => "use \"hard\" or \"soft\"",
        /// A number outside the range its key allows.
        OutOfRange = "E2014" => "write a value within the range given in the message",
        /// A required key is missing.
        MissingKey = "E2015" => "add the key (see docs/policy.md)",
        /// Policy versions define different service levels.
        VersionLevels = "E2016" => "define the same service levels in every policy version",
        /// Policy versions differ in a safety stock or capacity.
        VersionResource = "E2017" => "keep safety stock and capacities equal in every policy version",
        /// Two policy versions take effect at the same time.
        VersionStart = "E2018" => "give each policy version its own effective_from",
        /// An order is older than every policy version.
        BeforeVersions = "E2019" => "add a policy version that applies to the order",
        /// A tag filter that is empty or contradicts itself.
        BadTagFilter = "E2020" => "list one or more non-empty tags, none both allowed and excluded (see \
             docs/policy.md, \"Node filters\")",
        /// A node group without a name, named `*`, or named twice in a rule.
        BadGroup = "E2021" => "give every [[rules.groups]] its own non-empty `name` (see docs/policy.md, \
             \"Node groups and fallback\")",
        /// A group region that is not a polygon of [lat, lon] points.
        BadPolygon = "E2022" => "write at least 3 [lat, lon] points in degrees, e.g. \
             [[28.4, 76.8], [28.9, 76.8], [28.9, 77.5]]",
        /// A group condition out of range.
        BadGroupCondition = "E2023" => "write within_km as a finite number of km above 0",
        /// A currency that is not an ISO 4217 code.
        BadCurrency = "E2024" => "write an ISO 4217 code such as \"EUR\", \"USD\" or \"INR\"",
        /// Policy versions name different currencies.
        VersionCurrency = "E2025" => "give every policy version the same `currency`",
        /// A node group names a node the network does not have.
        UnknownGroupNode = "E2026" => "name nodes by their node_id in nodes.csv, or remove the id",
        /// Dealer rules that contradict each other.
        DealerConflict = "E2040" => "set territory_required = false to price the outside of a territory, or drop \
             outside_territory_cents to require territories",
        /// `[incoming] horizon_days` outside 1 to 366.
        IncomingHorizon = "E2050" => "write horizon_days from 1 to 366: the days after the order date an incoming \
             promise may deliver when the order has no deadline",
    }
}
