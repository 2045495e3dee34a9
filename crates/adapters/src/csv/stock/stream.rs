//! `stock.csv` read as a stream: chunks of whole lines go through one reused buffer, each read
//! in parts on every core into reused part buffers, and appended in file order to the one
//! output. Only the output grows with the file.
//!
//! A chunk that quotes a field ends the stream: the rest of the input is read whole and on one
//! thread, through the csv crate (a quoted field may hold a line end, so the input cannot be cut
//! at any line end). Chunks before it read the same as the csv crate would (`sheet/plain.rs`).

use super::positions::Positions;
use super::rows::{read_rows, Cols, Rows};
use super::{finish, read_whole, Stock, Threads, KNOWN};
use crate::csv::sheet::{Sheet, BOM};
use crate::csv::{Loaded, SkuStage};
use crate::InputError;
use memchr::{memchr, memrchr};
use omniroute_core::{Network, Skus};
use std::io::Read;

/// The stock read so far: the output, and the SKUs it named first.
pub(super) struct Acc {
    stock: Stock,
    pub positions: Positions,
    pub stage: SkuStage,
}

impl Acc {
    pub fn new(skus: &Skus) -> Self {
        Acc {
            stock: Stock::default(),
            positions: Positions::new(),
            stage: SkuStage::new(skus),
        }
    }

    /// Room for about `rows` rows in all (capacity never written to costs no memory).
    pub fn reserve(&mut self, rows: usize) {
        let more = rows.saturating_sub(self.stock.rows.len());
        self.stock.rows.reserve(more);
    }

    /// Appends the rows of `part` (read above this stage, its lines `offset` below the file's),
    /// leaving `part`'s buffers empty for the next chunk.
    pub fn absorb(&mut self, part: &mut Rows, offset: u64, skus: &Skus) {
        let rename = self.stage.absorb(skus, &part.stage);
        let first = self.stock.rows.len();
        self.stock.rows.extend(part.kept.drain(..).map(|mut r| {
            r.sku = rename(r.sku);
            r
        }));
        self.stock
            .incoming
            .extend(part.incoming.drain(..).map(|(i, inc)| (first + i, inc)));
        self.positions.append(&mut part.positions, offset, &rename);
    }

    /// The stock, the pair of every row and the SKUs first named here.
    pub fn into_parts(self) -> (Stock, Positions, SkuStage) {
        (self.stock, self.positions, self.stage)
    }
}

/// Reads `stock.csv` from `input` (see the module head).
pub(super) fn read_stream(
    mut input: impl Read,
    file: &str,
    network: Option<&Network>,
    skus: &mut Skus,
    threads: Threads,
) -> Result<Loaded<Stock>, InputError> {
    let io = |e: std::io::Error| InputError::Io {
        file: file.to_owned(),
        message: e.to_string(),
    };
    // The header, and a chunk past it.
    let mut buf = Vec::new();
    let mut eof = false;
    while !eof && memchr(b'\n', &buf).is_none() {
        let target = buf.len() + threads.chunk_bytes;
        eof = fill(&mut input, &mut buf, target).map_err(io)?;
    }
    if memchr(b'"', &buf).is_some() {
        input.read_to_end(&mut buf).map_err(io)?;
        return read_whole(Sheet::over(&buf, file)?, network, skus);
    }
    let bom = if buf.starts_with(BOM) { BOM.len() } else { 0 };
    let at = bom + Sheet::over(&buf, file)?.rows_at();
    let mut sheet = Sheet::open(&buf[..at], file)?;
    let cols = Cols::claim(&mut sheet);
    sheet.end_header(KNOWN);
    buf.drain(..at);
    let mut acc = Acc::new(skus);
    read_chunks(
        input,
        buf,
        (&mut sheet, &cols),
        network,
        (skus, &mut acc),
        threads,
    )?;
    finish(sheet, &cols, acc, network, skus)
}

/// Reads the rows of `input` after its header, whose sheet is `sheet` (over the header alone):
/// problems go to `sheet`, rows to `acc`. `first` holds the bytes read past the header.
fn read_chunks(
    mut input: impl Read,
    first: Vec<u8>,
    (sheet, cols): (&mut Sheet<'_>, &Cols),
    network: Option<&Network>,
    (skus, acc): (&Skus, &mut Acc),
    threads: Threads,
) -> Result<(), InputError> {
    let file = sheet.file().to_owned();
    let io = |e: std::io::Error| InputError::Io {
        file: file.clone(),
        message: e.to_string(),
    };
    let mut buf = first;
    let mut eof = false;
    let mut offset = sheet.lines_before_rows();
    let mut pool: Vec<Rows> = Vec::new();
    let mut sized = false;
    loop {
        // Fill the buffer to a chunk, then cut it after its last line end.
        while !eof && buf.len() < threads.chunk_bytes {
            eof = fill(&mut input, &mut buf, threads.chunk_bytes).map_err(io)?;
        }
        let mut end = match memrchr(b'\n', &buf) {
            Some(i) if !eof => i + 1,
            _ if eof => buf.len(),
            _ => {
                // A line longer than a chunk: read on until it ends.
                let more = buf.len() + threads.chunk_bytes;
                eof = fill(&mut input, &mut buf, more).map_err(io)?;
                continue;
            }
        };
        if memchr(b'"', &buf[..end]).is_some() {
            input.read_to_end(&mut buf).map_err(io)?;
            (end, eof) = (buf.len(), true);
        }
        {
            let chunk = sheet.part(&buf[..end]);
            if network.is_some() && !sized {
                // The first chunk's rows tell about how many the file holds, when its size is
                // known.
                acc.reserve(threads.file_bytes.map_or(0, |bytes| {
                    let per_chunk = chunk.rows_hint() as u64;
                    (per_chunk * bytes / end.max(1) as u64) as usize
                }));
                sized = true;
            }
            let mut parts = chunk.split(threads.count, threads.min_bytes);
            if parts.is_empty() {
                parts.push(chunk);
            }
            while pool.len() < parts.len() {
                pool.push(Rows::new(skus));
            }
            read_parts(&mut parts, cols, network, (skus, &acc.stage), &mut pool)?;
            let offsets = sheet.join_at(parts, &mut offset);
            for (part, &at) in pool.iter_mut().zip(&offsets) {
                acc.absorb(part, at, skus);
            }
        }
        buf.drain(..end);
        if sheet.is_full() {
            let more = !buf.is_empty() || (!eof && input.read(&mut [0u8]).map_err(io)? > 0);
            if more {
                sheet.stop(true);
            }
            return Ok(());
        }
        if eof && buf.is_empty() {
            return Ok(());
        }
    }
}

/// Reads `parts` into `out` (one each, in order), on their own threads when there are several.
pub(super) fn read_parts(
    parts: &mut [Sheet<'_>],
    cols: &Cols,
    network: Option<&Network>,
    known: (&Skus, &SkuStage),
    out: &mut [Rows],
) -> Result<(), InputError> {
    if let [part] = parts {
        return read_rows(part, cols, network, known, &mut out[0]);
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .iter_mut()
            .zip(out.iter_mut())
            .map(|(part, out)| s.spawn(move || read_rows(part, cols, network, known, out)))
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().expect("a stock.csv part panicked"))
    })
}

/// Reads from `input` until `buf` holds `target` bytes or the input ends; true at its end. The
/// bytes are read into `buf`'s spare room, not zeroed first.
fn fill(input: &mut impl Read, buf: &mut Vec<u8>, target: usize) -> std::io::Result<bool> {
    let want = target.max(buf.len() + 1) - buf.len();
    buf.reserve_exact(want);
    let got = input.by_ref().take(want as u64).read_to_end(buf)?;
    Ok(got < want)
}
