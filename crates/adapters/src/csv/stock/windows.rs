//! A table's stock (a Parquet file's, a frame's) read as windows of its rows, one after the
//! other: a table in memory is one window; a Parquet file is decoded a window at a time on a
//! thread of its own while the window before is read, so its decoded columns take a few
//! windows' memory, reused, not the whole file's (the kernel zeroes every page of new memory:
//! decoding the bench's 1.44 M rows whole took 40–50 ms of CPU, a window at a time about 10 ms,
//! `benches/README.md`).
//!
//! On one core for the rows (two cores, one reading the orders), every window's rows go on in
//! one buffer with room for all of them, which becomes the output. On more, each window is cut
//! into parts read on their own threads ([`Sheet::split_table`]) and appended in order, as a
//! CSV file's chunks are (`stream.rs`).

use super::rows::{read_more_rows, Cols, Rows};
use super::stream::{read_parts, Acc};
use super::{finish, Stock, KNOWN};
use crate::csv::sheet::Sheet;
use crate::csv::Loaded;
use crate::{InputError, ParquetFile, Table};
use omniroute_core::{Network, Skus};

/// The fewest rows of a table read on a thread of their own.
pub(super) const MIN_PART_ROWS: usize = 1 << 15;

/// Reads the stock of the Parquet `file` (see the module head), in up to `parts` parts a window.
pub(super) fn read_file(
    file: &ParquetFile,
    network: Option<&Network>,
    skus: &mut Skus,
    parts: usize,
) -> Result<Loaded<Stock>, InputError> {
    let header = file.header();
    let window_rows = parts.max(2) * MIN_PART_ROWS;
    let read = |windows: &mut dyn Iterator<Item = _>, skus: &mut Skus| {
        read_windows(
            &header,
            windows,
            file.rows(),
            network,
            skus,
            (parts, MIN_PART_ROWS),
        )
    };
    if file.rows() <= window_rows {
        return read(&mut file.windows(window_rows), skus);
    }
    std::thread::scope(|s| {
        // One window waiting beside the one being read and the one being decoded.
        let (give, take) = std::sync::mpsc::sync_channel(1);
        s.spawn(move || {
            for window in file.windows(window_rows) {
                if give.send(window).is_err() {
                    break;
                }
            }
        });
        read(&mut take.into_iter(), skus)
    })
}

/// Reads the stock of `table`, in memory (one window), in up to `parts` parts.
pub(super) fn read_table(
    table: &Table,
    network: Option<&Network>,
    skus: &mut Skus,
    parts: usize,
) -> Result<Loaded<Stock>, InputError> {
    let windows = &mut std::iter::once(Ok(table.clone()));
    let parts = (parts, MIN_PART_ROWS);
    read_windows(&table.header(), windows, table.rows(), network, skus, parts)
}

/// Reads the rows of `windows`, tables with `header`'s columns and `rows` rows in all, one
/// after the other (see the module head), in up to `parts` parts a window of at least
/// `min_rows` rows. A window that cannot be decoded ends the read with its error; a window
/// whose problems fill the list ends it with them.
pub(super) fn read_windows(
    header: &Table,
    windows: &mut dyn Iterator<Item = Result<Table, InputError>>,
    rows: usize,
    network: Option<&Network>,
    skus: &mut Skus,
    (parts, min_rows): (usize, usize),
) -> Result<Loaded<Stock>, InputError> {
    let mut sheet = Sheet::table(header)?;
    let cols = Cols::claim(&mut sheet);
    sheet.end_header(KNOWN);
    let mut acc = Acc::new(skus, network, Vec::new());
    // The first part's rows become the output's ([`Acc::absorb`]): room for every row. A
    // file's count is its footer's word, which a damaged file may inflate past any memory: the
    // rows then grow as they are read.
    let mut pool = vec![Rows::new(skus)];
    if network.is_some() {
        let _ = pool[0].kept.try_reserve(rows);
    }
    pool[0].restart(&acc.stage);
    for window in windows {
        let window = window?;
        let mut one = sheet.window(&window);
        if parts < 2 {
            read_more_rows(&mut one, &cols, network, (skus, &acc.stage), &mut pool[0])?;
            sheet.join_window(vec![one]);
        } else {
            let mut split = one.split_table(parts, min_rows);
            if split.is_empty() {
                split.push(one);
            }
            while pool.len() < split.len() {
                pool.push(Rows::new(skus));
            }
            let pool = &mut pool[..split.len()];
            read_parts(&mut split, &cols, network, (skus, &acc.stage), pool)?;
            sheet.join_window(split);
            for part in pool {
                acc.absorb(part, 0, skus);
            }
        }
        if sheet.is_full() {
            break;
        }
    }
    if parts < 2 {
        acc.absorb(&mut pool[0], 0, skus);
    }
    sheet.end_windows(rows);
    finish(sheet, &cols, acc, network, skus)
}
