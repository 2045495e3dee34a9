//! Parquet in: any bytes give a table the readers read, or coded problems, never a panic that
//! escapes the reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use omniroute_adapters::{read_nodes_input, read_parquet};
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
    }
);
