//! Crossing the boundary: every entry point runs its body through [`call`], which catches any
//! panic (nothing unwinds into C) and hands the error out; arguments come in through the checked
//! readers below (null pointers, invalid UTF-8 and bad times are errors, never crashes).

use crate::error::{c_string, AbiCode, OmError};
use crate::router::OmRouter;
use jiff::Timestamp;
use std::ffi::{c_char, c_int, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

/// What an entry point returns on success.
pub const OMNIROUTE_OK: c_int = 0;
/// What an entry point returns on failure (the error is in `*err`).
pub const OMNIROUTE_ERROR: c_int = 1;

/// Runs `f`, catching a panic as an `E7009` error. On success `*err` is set to null, on failure
/// to a new error handle (dropped when `err` is null).
///
/// # Safety
///
/// `err` is null or valid for writing one pointer.
pub(crate) unsafe fn call<T>(
    err: *mut *mut OmError,
    f: impl FnOnce() -> Result<T, OmError>,
) -> Option<T> {
    let result = catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|p| Err(OmError::panic(&*p)));
    let (value, error) = match result {
        Ok(v) => (Some(v), ptr::null_mut()),
        Err(e) => (None, Box::into_raw(Box::new(e))),
    };
    if err.is_null() {
        if !error.is_null() {
            // SAFETY: `error` came from `Box::into_raw` just above and was given to no one.
            drop(unsafe { Box::from_raw(error) });
        }
    } else {
        // SAFETY: the caller guarantees a non-null `err` is valid for writing one pointer.
        unsafe { err.write(error) };
    }
    value
}

/// [`call`] for an entry point that returns a status: [`OMNIROUTE_OK`] or [`OMNIROUTE_ERROR`].
///
/// # Safety
///
/// As [`call`].
pub(crate) unsafe fn status(
    err: *mut *mut OmError,
    f: impl FnOnce() -> Result<(), OmError>,
) -> c_int {
    // SAFETY: passed on from this function's own contract.
    match unsafe { call(err, f) } {
        Some(()) => OMNIROUTE_OK,
        None => OMNIROUTE_ERROR,
    }
}

/// The body of an entry point on a router: `f` runs on the router behind `router` (null: `E7001`),
/// through [`status`].
///
/// # Safety
///
/// `router` is null or a live handle for the whole call; `err` as [`call`].
pub(crate) unsafe fn on_router(
    router: *const OmRouter,
    err: *mut *mut OmError,
    f: impl FnOnce(&OmRouter) -> Result<(), OmError>,
) -> c_int {
    let body = || {
        // SAFETY: null or a live handle (this function's contract).
        let router = unsafe { handle(router, "router") }?;
        f(router)
    };
    // SAFETY: passed on from this function's own contract.
    unsafe { status(err, body) }
}

/// [`on_router`] for a call that answers JSON: `*out_json` gets what `f` returns (a string to free
/// with `omniroute_string_free`). `out_json` is checked before `f` runs.
///
/// # Safety
///
/// As [`on_router`]; `out_json` is null or valid for writing a pointer.
pub(crate) unsafe fn json_out(
    router: *const OmRouter,
    out_json: *mut *mut c_char,
    err: *mut *mut OmError,
    f: impl FnOnce(&OmRouter) -> Result<String, OmError>,
) -> c_int {
    let body = |router: &OmRouter| {
        // SAFETY: null or valid for writing a pointer (this function's contract).
        let out_json = unsafe { out(out_json, "out_json") }?;
        *out_json = give(f(router)?);
        Ok(())
    };
    // SAFETY: passed on from this function's own contract.
    unsafe { on_router(router, err, body) }
}

/// The UTF-8 text at `p`, the argument named `arg`.
///
/// # Safety
///
/// `p` is null or points to a NUL-terminated string that outlives `'a` and is not written
/// meanwhile.
pub(crate) unsafe fn text<'a>(p: *const c_char, arg: &str) -> Result<&'a str, OmError> {
    if p.is_null() {
        return Err(OmError::null(arg));
    }
    // SAFETY: non-null, and the caller guarantees a NUL-terminated string living for 'a.
    let bytes = unsafe { CStr::from_ptr(p) };
    bytes.to_str().map_err(|e| {
        OmError::new(
            AbiCode::InvalidUtf8.id(),
            format!(
                "`{arg}` is not valid UTF-8 (byte {} is not)",
                e.valid_up_to()
            ),
            "pass UTF-8 text (convert from the platform's encoding first)",
        )
        .at(arg)
    })
}

/// The time at `p` (RFC 3339, for example `2026-11-26T06:00:00Z`), or the clock's now when `p`
/// is null.
///
/// # Safety
///
/// As [`text`].
pub(crate) unsafe fn time(p: *const c_char, arg: &str) -> Result<Timestamp, OmError> {
    if p.is_null() {
        return Ok(Timestamp::now());
    }
    // SAFETY: passed on from this function's own contract.
    let s = unsafe { text(p, arg) }?;
    s.parse().map_err(|e| {
        OmError::new(
            AbiCode::InvalidTime.id(),
            format!("`{arg}` {s:?} is not an RFC 3339 time: {e}"),
            "write it like 2026-11-26T06:00:00Z (or pass NULL for now)",
        )
        .at(arg)
    })
}

/// The place an out-argument named `arg` points to, checked before any work is done (so no
/// reservation is made that the caller could not be told about).
///
/// # Safety
///
/// `p` is null or valid for writing a `T`, and not used by anything else for `'a`.
pub(crate) unsafe fn out<'a, T>(p: *mut T, arg: &str) -> Result<&'a mut T, OmError> {
    // SAFETY: the caller guarantees a non-null `p` is valid and unaliased for 'a.
    unsafe { p.as_mut() }.ok_or_else(|| OmError::null(arg))
}

/// The object behind a handle.
///
/// # Safety
///
/// `p` is null or a live handle of this library that outlives `'a`.
pub(crate) unsafe fn handle<'a, T>(p: *const T, arg: &str) -> Result<&'a T, OmError> {
    // SAFETY: the caller guarantees a non-null `p` is a live handle for 'a.
    unsafe { p.as_ref() }.ok_or_else(|| OmError::null(arg))
}

/// `s` handed to C; freed by `omniroute_string_free`.
pub(crate) fn give(s: String) -> *mut c_char {
    c_string(s).into_raw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_not_an_unwind() {
        let mut err: *mut OmError = ptr::null_mut();
        // SAFETY: `err` is a valid place for one pointer.
        let code = unsafe { status(&raw mut err, || panic!("boom")) };
        assert_eq!(code, OMNIROUTE_ERROR);
        // SAFETY: `call` set `err` to a live handle from `Box::into_raw`.
        let e = unsafe { Box::from_raw(err) };
        assert_eq!(e.code(), "E7009");
        assert!(e.message().ends_with("boom"), "{}", e.message());
        // And without an error place, the error is dropped, not leaked or written.
        // SAFETY: a null `err` is allowed.
        assert_eq!(unsafe { status(ptr::null_mut(), || Ok(())) }, OMNIROUTE_OK);
    }
}
