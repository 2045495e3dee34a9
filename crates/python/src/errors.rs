//! The one place where Rust failures become Python exceptions, and the boundary every call into
//! the core goes through ([`guard`]): the GIL is released and a panic becomes `OmnirouteError`.
//!
//! The exception classes are defined in Python (`omniroute/_errors.py`) so that users can subclass
//! and pickle them; this module only looks them up and fills them.

use omniroute_adapters::InputError;
use omniroute_core::codes::Family;
use omniroute_core::InventoryError;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Why a call failed.
pub enum Failure {
    /// Rejected input (`E1xxx`), or a rejected policy (every problem `E2xxx`).
    Input(InputError),
    /// A refused inventory event (`E3xxx`), its message naming nodes and SKUs by id where the
    /// caller could name them (`NetData::refused`).
    Inventory {
        /// The stable code.
        code: &'static str,
        /// What was refused.
        message: String,
    },
    /// The caller broke a precondition of the API (objects from different networks, a bad mode).
    Usage(String),
    /// A panic in Rust: a bug, reported as `OmnirouteError` instead of crashing Python.
    Panic(String),
}

impl From<InputError> for Failure {
    fn from(e: InputError) -> Self {
        Failure::Input(e)
    }
}

impl From<InventoryError> for Failure {
    fn from(e: InventoryError) -> Self {
        Failure::Inventory {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
    py.import("omniroute._errors")?.getattr(name)
}

impl Failure {
    fn into_pyerr(self, py: Python<'_>) -> PyResult<PyErr> {
        Ok(match self {
            Failure::Input(e) => {
                let problems = e.problems();
                let policy = problems.iter().all(|p| p.family() == Some(Family::Policy));
                let list = problems
                    .iter()
                    .map(|p| {
                        let d = PyDict::new(py);
                        d.set_item("code", p.code)?;
                        d.set_item("file", &p.file)?;
                        d.set_item("line", p.line)?;
                        d.set_item("column", p.column)?;
                        d.set_item("message", &p.message)?;
                        d.set_item("hint", &p.hint)?;
                        Ok(d)
                    })
                    .collect::<PyResult<Vec<_>>>()?;
                let cls = class(py, if policy { "PolicyError" } else { "InputError" })?;
                PyErr::from_value(cls.call1((e.to_string(), list))?)
            }
            Failure::Inventory { code, message } => {
                PyErr::from_value(class(py, "InventoryError")?.call1((message, code))?)
            }
            Failure::Usage(m) => PyValueError::new_err(m),
            Failure::Panic(m) => PyErr::from_value(class(py, "OmnirouteError")?.call1((
                format!("internal error (a bug in omniroute, please report it): {m}"),
            ))?),
        })
    }
}

impl From<Failure> for PyErr {
    fn from(f: Failure) -> Self {
        Python::attach(|py| f.into_pyerr(py).unwrap_or_else(|e| e))
    }
}

/// Runs `f` with the GIL released, turning a panic into [`Failure::Panic`].
pub fn guard<T: Send>(
    py: Python<'_>,
    f: impl FnOnce() -> Result<T, Failure> + Send,
) -> PyResult<T> {
    py.detach(|| catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| Err(panic_failure(&p))))
        .map_err(PyErr::from)
}

/// How often a long call looks for a signal (Ctrl-C) while the core works.
const SIGNAL_CHECK: std::time::Duration = std::time::Duration::from_millis(50);

/// [`guard`] for long calls: runs `f` on a worker thread and, with the GIL released, waits for
/// it, taking the GIL back every 50 ms to run Python's signal handlers. A handler that raises
/// (Ctrl-C: `KeyboardInterrupt`) ends the call at once with its exception; the core cannot be
/// stopped part-way, so the worker runs to its end in the background (for optimise mode at most
/// its time limit) and its result is dropped.
pub fn interruptible<T: Send + 'static>(
    py: Python<'_>,
    f: impl FnOnce() -> Result<T, Failure> + Send + 'static,
) -> PyResult<T> {
    use std::sync::mpsc::{channel, RecvTimeoutError};
    let (tx, rx) = channel();
    let worker = std::thread::Builder::new()
        .name("omniroute-call".into())
        .spawn(move || {
            let out = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| Err(panic_failure(&p)));
            // The caller may have gone (a signal): then nobody wants the result.
            let _ = tx.send(out);
        });
    if let Err(e) = worker {
        return Err(Failure::Panic(format!("cannot start a thread: {e}")).into());
    }
    // A `Receiver` is not `Sync`: the wait borrows it across the GIL release through a mutex.
    let rx = std::sync::Mutex::new(rx);
    let wait = || {
        rx.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .recv_timeout(SIGNAL_CHECK)
    };
    loop {
        match py.detach(wait) {
            Ok(out) => return out.map_err(PyErr::from),
            Err(RecvTimeoutError::Timeout) => py.check_signals()?,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(
                    Failure::Panic("the worker thread ended without a result".into()).into(),
                )
            }
        }
    }
}

fn panic_failure(payload: &Box<dyn std::any::Any + Send>) -> Failure {
    let m = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    Failure::Panic(m)
}

/// Test hook: panics inside [`guard`], so the suite can show a panic arrives as `OmnirouteError`.
#[pyfunction]
pub fn _panic_for_test(py: Python<'_>, message: String) -> PyResult<()> {
    guard(py, move || -> Result<(), Failure> { panic!("{message}") })
}
