//! The rayon pool behind `Router.quote` and `Router.route_batch` (the core's parallel batch and
//! optimise mode run inside it, never on rayon's global pool), built once on first use with
//! `OMNIROUTE_NUM_THREADS` threads (unset or 0: one per core; 1: no parallelism), and safe after
//! `fork`.
//!
//! A forked child has none of its parent's threads, so a pool inherited from the parent would
//! wait forever. As huggingface/tokenizers does, the package registers a hook with
//! `os.register_at_fork(after_in_child=...)` (in `__init__.py`); the hook drops the child's
//! reference to the dead pool without touching its threads, and the child builds a fresh pool on
//! first use. If the pool's lock was held at the instant of the fork (another thread was
//! fetching the pool), the child cannot rebuild it safely and runs serially instead.

use rayon::{ThreadPool, ThreadPoolBuilder};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

static POOL: Mutex<Option<Arc<ThreadPool>>> = Mutex::new(None);
static SERIAL: AtomicBool = AtomicBool::new(false);

/// The pool, or `None` when work must run serially in this thread.
pub fn get() -> Result<Option<Arc<ThreadPool>>, String> {
    if SERIAL.load(Ordering::Acquire) {
        return Ok(None);
    }
    let mut slot = POOL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(p) = slot.as_ref() {
        return Ok(Some(p.clone()));
    }
    let threads = match std::env::var("OMNIROUTE_NUM_THREADS") {
        Err(_) => 0,
        Ok(v) => v.trim().parse::<usize>().map_err(|_| {
            format!("OMNIROUTE_NUM_THREADS must be a whole number of threads, not {v:?}")
        })?,
    };
    let pool = ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("omniroute-{i}"))
        .build()
        .map_err(|e| format!("cannot start the thread pool: {e}"))?;
    let pool = Arc::new(pool);
    *slot = Some(pool.clone());
    Ok(Some(pool))
}

/// The number of threads `quote` and `route_batch` use (builds the pool if needed).
#[pyo3::pyfunction]
pub fn num_threads() -> pyo3::PyResult<usize> {
    get()
        .map(|p| p.map_or(1, |p| p.current_num_threads()))
        .map_err(pyo3::exceptions::PyValueError::new_err)
}

/// Called in a forked child (registered by `__init__.py`): forget the parent's pool.
#[pyo3::pyfunction]
pub fn _after_fork_in_child() {
    match POOL.try_lock() {
        Ok(mut slot) => {
            // Its threads do not exist here: leak it rather than run its drop.
            std::mem::forget(slot.take());
        }
        Err(_) => SERIAL.store(true, Ordering::Release),
    }
}
