//! Parquet in: any bytes give CSV text for the readers or coded problems, never a panic that
//! escapes the reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use omniroute_adapters::{parquet_to_csv, read_nodes};
use omniroute_core::ServiceLevels;

fuzz_target!(
    init: {
        // The reader catches the panics of the Parquet and Arrow decoders on damaged files
        // (E1201); libfuzzer-sys's hook would abort on those too. With the default hook a panic
        // that escapes is still a crash (libfuzzer-sys aborts after catching it), with its message.
        drop(std::panic::take_hook());
    },
    |data: &[u8]| {
        if let Ok(csv) = parquet_to_csv(data.to_vec(), "nodes.parquet") {
            let _ = read_nodes(csv.as_slice(), "nodes.parquet", &ServiceLevels::default());
        }
    }
);
