//! omniroute-adapters: file formats, generators, inventory feeds and (later) dealer channels.
//!
//! Adapters read and validate outside data, report every problem at once with a stable code, and
//! hand the core plain values. Nothing here prices or chooses.

pub mod channel;
mod csv;
mod decision_json;
mod decisions;
mod events;
mod explain;
#[cfg(test)]
mod extreme_tests;
mod feeds;
mod gen;
mod inputs;
mod json_unique;
mod kpi_tables;
mod ndjson;
mod order_json;
mod parquet;
mod policy;
#[cfg(feature = "postgres")]
pub mod postgres;
mod problem;
mod refusal;
mod report;
mod reroute;
mod table_input;
mod territories;
#[cfg(any(test, feature = "test-arrow"))]
#[doc(hidden)]
pub mod test_arrow;

pub use self::csv::{
    read_nodes, read_nodes_input, read_orders, read_orders_in, read_orders_input,
    read_orders_placed, read_stock, read_stock_input, read_stock_rows, CustomerFields, Loaded,
    OrderPlaces, Stock, StockRecord, Table, MAX_CUSTOMER_CHARS, MAX_PROBLEMS,
};
pub use self::parquet::{
    decisions_record_batch, decisions_schema, is_parquet_path, read_parquet,
    write_decisions_parquet, ParquetFile,
};
pub use decision_json::{
    cost_json, decision_json, incoming_why, line_nos, position_json, reason_counts_json, round3,
    totals_json, write_plan_json, DecisionNames,
};
pub use decisions::{
    decision_rows, read_decisions, read_decisions_file, write_decisions, DecisionRow,
    DecisionsFile, Disagreement, DECISIONS_HEADER, GROUP_DEFAULT, SOURCE_INCOMING, SOURCE_ON_HAND,
};
pub use events::{read_event_values, read_events};
pub use explain::{amount, reference_time_hint, unfilled_breakdown, write_explanation};
pub use feeds::{
    feed_outcomes_json, parse_feed_object, read_feed_array, read_feed_line, read_sale_events,
    FeedEvent, FeedReader, FeedTally, SaleFields, SeqReport, FEED_OPS,
};
pub use gen::{
    countries_cities, country_cities, demo_instance, generate, india_cities, read_cities,
    temp_file_in, write_instance, City, GenConfig, GenError, GenLimits, Instance, GEN_LIMITS,
};
pub use inputs::{Inputs, Source, DEMO_POLICY};
pub use json_unique::parse_json_unique;
pub use kpi_tables::{csv_cell, kpi_csv_table, kpi_text_table};
pub use order_json::{read_order_json, read_order_json_in, FieldProblem, JsonOrder, ORDER_JSON};
pub use policy::{read_policy, Policies, PolicyFile};
pub use problem::{InputError, Problem};
pub use refusal::refusal_message;
pub use report::{report_data, report_html, ReportPage, LOAD_NODES, MAP_DELIVERIES};
pub use reroute::{event_lines, reroute_problem};
pub use table_input::{StockSource, TableInput};
pub use territories::{read_territories, with_territories, Territories};
