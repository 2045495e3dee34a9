//! The `E8xxx` family: reports, replays and analytics (`report`, `simulate`, `position`,
//! partitioning a batch by region).

use super::family_codes;

family_codes! {
    /// Reports, replays and analytics (`E8xxx`).
    ReportCode: Report {
        /// `omniroute report` refuses decisions that break their inputs' rules.
        BrokenPlan = "E8001" => "run `omniroute check` with the same files and --now; report a plan that fits its inputs",
        /// More `--events` files than days.
        TooManyEvents = "E8010" => "give one --orders file per day, in order, and at most one --events file per day",
        /// A region grid's cell is not a number of degrees above 0 and at most 180.
        BadCell = "E8011" => "give a cell size above 0 and at most 180 degrees",
        /// A region's nodes do not make a network.
        RegionNetwork = "E8012" => "fix the network's own error (the nodes of a valid network make valid regions)",
    }
}
