//! Parquet in: any bytes give a table the readers read, or coded problems, never a panic that
//! escapes the reader; read as a stock file too, decoded a window at a time beside its reading.
#![no_main]

use libfuzzer_sys::fuzz_target;
use omniroute_adapters::{
    read_nodes_input, read_parquet, Inputs, ParquetFile, Source, StockSource, TableInput,
};
use omniroute_core::ServiceLevels;

fuzz_target!(
    init: {
        // The reader catches the panics of the Parquet and Arrow decoders on damaged files
        // (E1201); libfuzzer-sys's hook would abort on those too. With the default hook a panic
        // that escapes is still a crash (libfuzzer-sys aborts after catching it), with its message.
        drop(std::panic::take_hook());
    },
    |data: &[u8]| {
        if let Ok(table) = read_parquet(data.to_vec(), "nodes.parquet") {
            let _ = read_nodes_input(&table.into(), &ServiceLevels::default());
        }
        if let Ok(file) = ParquetFile::open(data.to_vec(), "stock.parquet") {
            let nodes = "node_id,lat,lon\nW1,28.6,77.2\n";
            let nodes = TableInput::from(Source::text("nodes.csv", nodes));
            let _ = Inputs::load_stock_source(&nodes, &StockSource::Parquet(file), None, &[]);
        }
    }
);
