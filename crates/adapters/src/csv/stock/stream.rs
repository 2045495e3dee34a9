//! `stock.csv` read as a stream: chunks of whole lines go through two reused buffers, each cut
//! into parts read by every core into reused part buffers, and appended in file order to the
//! one output. Only the output grows with the file.
//!
//! The chunks are pipelined: while the other cores' threads read the parts of one chunk, the
//! calling thread appends the rows of the chunk before (copying them into the output touches its
//! new memory), scans them for repeated pairs (`repeats.rs`) and reads the chunk after from the
//! input, then reads parts too. Each thread claims the next part not claimed yet, and the parts
//! get shorter towards the chunk's end (`Sheet::split`), so no core waits long at the chunk's
//! end. A chunk's parts look SKUs up in the names staged by the chunks before it, taken back in
//! order before they start.
//!
//! A chunk that quotes a field ends the stream: the rest of the input is read whole and on one
//! thread, through the csv crate (a quoted field may hold a line end, so the input cannot be cut
//! at any line end). Chunks before it read the same as the csv crate would (`sheet/plain.rs`).

use super::positions::{Positions, Repeat};
use super::repeats::Repeats;
use super::rows::{read_rows, Cols, Rows};
use super::{finish, read_whole, NetworkSoon, Stock, Threads, KNOWN};
use crate::csv::sheet::{PartRead, Sheet, BOM};
use crate::csv::{Loaded, Rename, SkuStage};
use crate::InputError;
use memchr::{memchr, memrchr};
use omniroute_core::{Network, NodeIdx, SkuId, Skus, StockRow};
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The stock read so far: the output, the SKUs it named first, and (with a network) the scan
/// for repeated pairs of the rows appended so far.
pub(super) struct Acc {
    stock: Stock,
    pub positions: Positions,
    pub stage: SkuStage,
    repeats: Option<Repeats>,
}

impl Acc {
    /// The stock of `network`, its rows to go in `rows` (empty, with room).
    pub fn new(skus: &Skus, network: Option<&Network>, rows: Vec<StockRow>) -> Self {
        Acc {
            stock: Stock {
                rows,
                incoming: Vec::new(),
            },
            positions: Positions::new(),
            stage: SkuStage::new(skus),
            repeats: network.map(|n| Repeats::new(n.len())),
        }
    }

    /// Appends the rows of `part` (read above this stage, its lines `offset` below the file's),
    /// leaving `part`'s buffers empty for the next chunk. The rows of a first part whose SKU
    /// ids stay as they are become the output's, not copied (with the room its reader reserved).
    pub fn absorb(&mut self, part: &mut Rows, offset: u64, skus: &Skus) {
        let rename = self.stage.absorb_from(skus, &mut part.stage);
        if self.stock.rows.is_empty() && rename.keeps_all() {
            std::mem::swap(&mut self.stock.rows, &mut part.kept);
            self.stock.incoming.append(&mut part.incoming);
            self.positions
                .append(&mut part.positions, offset, |s| rename.get(s));
            return;
        }
        append(
            (&mut self.stock, &mut self.positions),
            part,
            offset,
            &rename,
        );
    }

    /// The stock, the SKUs first named here, and (with a network) the repeated pairs, see
    /// [`Repeats::finish`].
    pub fn into_parts(self) -> (Stock, SkuStage, Option<Vec<Repeat>>) {
        let repeats = self
            .repeats
            .map(|r| r.finish(self.stock.rows(), &self.positions));
        (self.stock, self.stage, repeats)
    }
}

/// Writes into `rows`' room, a page apart, while `ready` is false: the kernel zeroes each page
/// of new memory as it is first touched, and this does it while another thread reads nodes.csv
/// (rather than when the rows are appended, beside the parts on every core). The writes are
/// not rows: `rows` stays empty.
fn touch(rows: &mut Vec<StockRow>, ready: impl Fn() -> bool) {
    const PAGE_ROWS: usize = 4096 / std::mem::size_of::<StockRow>();
    for slot in rows.spare_capacity_mut().iter_mut().step_by(PAGE_ROWS) {
        if ready() {
            return;
        }
        slot.write(StockRow {
            node: NodeIdx(0),
            sku: SkuId(0),
            on_hand: 0,
            reserved: 0,
            safety_stock: 0,
        });
    }
}

/// Appends the rows of `part` (its lines `offset` below the file's, its SKUs renamed by `rename`)
/// to `stock` and `positions`, leaving `part`'s buffers empty for the next chunk.
fn append(
    (stock, positions): (&mut Stock, &mut Positions),
    part: &mut Rows,
    offset: u64,
    rename: &Rename,
) {
    let first = stock.rows.len();
    stock.rows.extend(part.kept.drain(..).map(|mut r| {
        r.sku = rename.get(r.sku);
        r
    }));
    stock
        .incoming
        .extend(part.incoming.drain(..).map(|(i, inc)| (first + i, inc)));
    positions.append(&mut part.positions, offset, |s| rename.get(s));
}

/// Reads `stock.csv` from `input` (see the module head).
pub(super) fn read_stream(
    mut input: impl Read,
    file: &str,
    network: &NetworkSoon<'_, '_>,
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
        let network = network.wait();
        return read_whole(Sheet::over(&buf, file)?, network, skus);
    }
    let bom = if buf.starts_with(BOM) { BOM.len() } else { 0 };
    let at = bom + Sheet::over(&buf, file)?.rows_at();
    let mut sheet = Sheet::open(&buf[..at], file)?;
    let cols = Cols::claim(&mut sheet);
    sheet.end_header(KNOWN);
    buf.drain(..at);
    let mut rows = Vec::new();
    if let (Some(end), Some(bytes), true) =
        (memrchr(b'\n', &buf), threads.file_bytes, network.may_give())
    {
        // The first chunk's rows tell about how many the file holds.
        let per_chunk = sheet.part(&buf[..=end]).rows_hint() as u64;
        rows.reserve((per_chunk * bytes / (end as u64 + 1)) as usize);
        touch(&mut rows, || network.ready());
    }
    let network = network.wait();
    let mut acc = Acc::new(skus, network, rows);
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
    input: impl Read,
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
    let mut chunks = Chunks {
        input,
        eof: false,
        bytes: threads.chunk_bytes,
    };
    let mut offset = sheet.lines_before_rows();
    // The chunk being read and the next; the part buffers of the chunk being read and of the
    // one before, whose rows are appended meanwhile (each part's line offset and renaming).
    let mut bufs = [first, Vec::new()];
    let mut pools: [Vec<Rows>; 2] = [Vec::new(), Vec::new()];
    let mut before: Vec<(u64, Rename)> = Vec::new();
    let mut cut = chunks.cut(&mut bufs[0]).map_err(io)?;
    let Acc {
        stock,
        positions,
        stage,
        repeats,
    } = acc;
    while let Some(chunk) = cut {
        let ([now], [next]) = bufs.split_at_mut(1) else {
            unreachable!("two buffers")
        };
        let ([pool], [pool_before]) = pools.split_at_mut(1) else {
            unreachable!("two pools")
        };
        let whole = sheet.part(&now[..chunk.end]);
        let mut parts = if chunk.quoted {
            Vec::new()
        } else {
            // The first chunk (no rows before it to append) names SKUs none staged yet: each
            // part stages those it names, taken back part after part on this thread once the
            // parts are read, so it is cut in one part a core.
            let parts = if before.is_empty() {
                threads.count
            } else {
                threads.parts
            };
            whole.split(parts, threads.min_bytes)
        };
        if parts.is_empty() {
            parts.push(whole);
        }
        while pool.len() < parts.len() {
            pool.push(Rows::new(skus));
        }
        // The other cores' threads, when there are parts for them or rows to append here.
        let workers = if parts.len() > 1 || !before.is_empty() {
            (threads.count - 1).min(parts.len())
        } else {
            0
        };
        let (read, next_cut) = read_beside(
            (parts, workers),
            (cols, network, (skus, stage)),
            pool,
            || {
                for (part, (at, rename)) in pool_before.iter_mut().zip(before.drain(..)) {
                    append((stock, positions), part, at, &rename);
                }
                if let Some(repeats) = repeats.as_mut() {
                    repeats.scan(stock.rows(), positions);
                }
                next.clear();
                next.extend_from_slice(&now[chunk.end..]);
                chunks.cut(next)
            },
        );
        let next_cut = next_cut.map_err(io)?;
        let offsets = sheet.join_read(read?, &mut offset);
        before = pool
            .iter()
            .zip(offsets)
            .map(|(part, at)| (at, stage.absorb(skus, &part.stage)))
            .collect();
        if sheet.is_full() {
            for (part, (at, rename)) in pool.iter_mut().zip(before.drain(..)) {
                append((stock, positions), part, at, &rename);
            }
            if rows_follow(&mut chunks, next, next_cut).map_err(io)? {
                sheet.stop(true);
            }
            return Ok(());
        }
        bufs.swap(0, 1);
        pools.swap(0, 1);
        cut = next_cut;
    }
    for (part, (at, rename)) in pools[1].iter_mut().zip(before.drain(..)) {
        append((stock, positions), part, at, &rename);
    }
    Ok(())
}

/// True when a line that is not blank is left: in the chunk `cut` of `buf`, or in the rest of
/// the input (read only as far as the first such line).
fn rows_follow<R: Read>(
    chunks: &mut Chunks<R>,
    buf: &mut Vec<u8>,
    mut cut: Option<Chunk>,
) -> std::io::Result<bool> {
    while let Some(chunk) = cut {
        if buf[..chunk.end].iter().any(|&b| b != b'\n' && b != b'\r') {
            return Ok(true);
        }
        buf.drain(..chunk.end);
        cut = chunks.cut(buf)?;
    }
    Ok(false)
}

/// The input after the header, cut into chunks of whole lines.
struct Chunks<R> {
    input: R,
    eof: bool,
    /// A chunk's size, but for the end of its last line.
    bytes: usize,
}

/// A chunk: `end` bytes of its buffer, the rest carried to the next.
#[derive(Clone, Copy)]
struct Chunk {
    end: usize,
    /// Some field is quoted: the chunk is all the rest of the input.
    quoted: bool,
}

impl<R: Read> Chunks<R> {
    /// Fills `buf` (the bytes read past the chunk before) to a chunk, cut after its last line
    /// end; `None` once the input is all read.
    fn cut(&mut self, buf: &mut Vec<u8>) -> std::io::Result<Option<Chunk>> {
        while !self.eof && buf.len() < self.bytes {
            self.eof = fill(&mut self.input, buf, self.bytes)?;
        }
        let end = loop {
            match memrchr(b'\n', buf) {
                Some(i) if !self.eof => break i + 1,
                _ if self.eof => break buf.len(),
                _ => {
                    // A line longer than a chunk: read on until it ends.
                    let more = buf.len() + self.bytes;
                    self.eof = fill(&mut self.input, buf, more)?;
                }
            }
        };
        if end == 0 {
            return Ok(None);
        }
        if memchr(b'"', &buf[..end]).is_some() {
            self.input.read_to_end(buf)?;
            self.eof = true;
            let end = buf.len();
            return Ok(Some(Chunk { end, quoted: true }));
        }
        Ok(Some(Chunk { end, quoted: false }))
    }
}

/// Reads `parts` into `out` (one each, in order) on `workers` threads and on this one, while
/// `beside` runs here first: each thread claims the next part not claimed yet until none is
/// left, so no thread waits at the end while parts are left. Returns each part's [`PartRead`]
/// (the first error in file order, every part read all the same), and what `beside` returned.
fn read_beside<T>(
    (parts, workers): (Vec<Sheet<'_>>, usize),
    (cols, network, known): (&Cols, Option<&Network>, (&Skus, &SkuStage)),
    out: &mut [Rows],
    beside: impl FnOnce() -> T,
) -> (Result<Vec<PartRead>, InputError>, T) {
    let slots: Vec<Mutex<Slot<'_, '_>>> = parts
        .into_iter()
        .zip(out.iter_mut())
        .map(|(part, out)| Mutex::new(Slot::Unread(part, out)))
        .collect();
    let next = AtomicUsize::new(0);
    let work = || {
        while let Some(slot) = slots.get(next.fetch_add(1, Ordering::Relaxed)) {
            let mut slot = slot.lock().expect("a stock.csv part panicked");
            let Slot::Unread(mut part, out) = std::mem::replace(&mut *slot, Slot::Claimed) else {
                unreachable!("a part is claimed once")
            };
            let read = read_rows(&mut part, cols, network, known, out).map(|()| part.into_read());
            *slot = Slot::Read(read);
        }
    };
    let other = std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(work);
        }
        let other = beside();
        work();
        other
    });
    let read = slots
        .into_iter()
        .map(
            |slot| match slot.into_inner().expect("a stock.csv part panicked") {
                Slot::Read(read) => read,
                _ => unreachable!("every part is read"),
            },
        )
        .collect();
    (read, other)
}

/// A part of [`read_beside`]: not claimed yet (with its output), being read, or read.
#[allow(clippy::large_enum_variant)] // a few a chunk, each replaced in place, never moved
enum Slot<'a, 'b> {
    Unread(Sheet<'a>, &'b mut Rows),
    Claimed,
    Read(Result<PartRead, InputError>),
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
