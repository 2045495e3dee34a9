//! The entry points. Each checks its arguments, runs its body through [`boundary::call`] (no
//! panic crosses) and returns `OMNIROUTE_OK` or `OMNIROUTE_ERROR` with `*err` set. Strings
//! given out are the library's: free them with `omniroute_string_free`.

use crate::boundary::{self, give, out, text, time};
use crate::error::OmError;
use crate::router::OmRouter;
use std::ffi::{c_char, c_int, CString};
use std::ptr;

/// Loads nodes and stock (CSV, or Parquet for a path ending in `.parquet`) and a policy file,
/// builds the router once and the live ledger. Returns NULL on failure, with `*err` set: the
/// first problem's code (`E1xxx`, `E2xxx`) and every problem in the message, one a line.
///
/// # Safety
///
/// `nodes_path` and `stock_path` are NUL-terminated strings; `policy_path` is one or NULL (the
/// default policy); `err` is NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn omniroute_router_from_csv(
    nodes_path: *const c_char,
    stock_path: *const c_char,
    policy_path: *const c_char,
    err: *mut *mut OmError,
) -> *mut OmRouter {
    let body = || {
        // SAFETY: the paths are NUL-terminated strings or NULL (the contract).
        let (nodes, stock) = unsafe {
            (
                text(nodes_path, "nodes_path")?,
                text(stock_path, "stock_path")?,
            )
        };
        let policy = if policy_path.is_null() {
            None
        } else {
            // SAFETY: non-null, so a NUL-terminated string (the contract).
            Some(unsafe { text(policy_path, "policy_path") }?)
        };
        OmRouter::from_files(nodes, stock, policy)
    };
    // SAFETY: `err` is NULL or valid for writing a pointer (the contract).
    let router = unsafe { boundary::call(err, body) };
    router.map_or(ptr::null_mut(), |r| Box::into_raw(Box::new(r)))
}

/// Frees a router (NULL is ignored). No call may be using it.
///
/// # Safety
///
/// `router` is NULL or a handle from `omniroute_router_from_csv`, not freed before and used by
/// no other thread now or later.
#[no_mangle]
pub unsafe extern "C" fn omniroute_router_free(router: *mut OmRouter) {
    if !router.is_null() {
        // SAFETY: a live handle from `Box::into_raw`, freed once (the contract).
        let router = unsafe { Box::from_raw(router) };
        // Dropping runs no user code that could panic; catch anyway so nothing unwinds.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(router)));
    }
}

/// Routes one order (JSON, as the service's `POST /v1/quote` takes it) against the live stock;
/// nothing is reserved. `*out_json` gets the decision, exactly `omniroute route --format json`'s
/// for the order. `now_rfc3339` is the reference time for an order without `created_at` (NULL:
/// now). Safe to call from many threads at once on one router.
///
/// # Safety
///
/// `router` is a live handle; `order_json` a NUL-terminated string; `now_rfc3339` one or NULL;
/// `out_json` valid for writing a pointer; `err` NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn omniroute_route_json(
    router: *const OmRouter,
    order_json: *const c_char,
    now_rfc3339: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut OmError,
) -> c_int {
    // SAFETY: as `route`.
    unsafe { route(router, order_json, now_rfc3339, out_json, err, false) }
}

/// As `omniroute_route_json`, with every considered node and why it won, lost or was filtered
/// (`omniroute explain --format json`).
///
/// # Safety
///
/// As `omniroute_route_json`.
#[no_mangle]
pub unsafe extern "C" fn omniroute_explain_json(
    router: *const OmRouter,
    order_json: *const c_char,
    now_rfc3339: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut OmError,
) -> c_int {
    // SAFETY: as `route`.
    unsafe { route(router, order_json, now_rfc3339, out_json, err, true) }
}

/// # Safety
///
/// As `omniroute_route_json`.
unsafe fn route(
    router: *const OmRouter,
    order_json: *const c_char,
    now_rfc3339: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut OmError,
    candidates: bool,
) -> c_int {
    let f = |router: &OmRouter| {
        // SAFETY: a string, and a string or NULL (the contract).
        let (order, now) = unsafe {
            (
                text(order_json, "order_json")?,
                time(now_rfc3339, "now_rfc3339")?,
            )
        };
        router.route(order, now, candidates)
    };
    // SAFETY: a live handle and places for the answer and the error (the contract).
    unsafe { boundary::json_out(router, out_json, err, f) }
}

/// Routes one order and reserves its shipped lines in the live ledger, atomically, until now +
/// `ttl_seconds` (1 to 4294967295). `*out_reservation_id` gets the reservation's id (for
/// `omniroute_commit` / `omniroute_release`) and `*out_json` the decision, the one
/// `omniroute_route_json` gives at that moment. Two threads never reserve the same unit.
///
/// # Safety
///
/// As `omniroute_route_json`; `out_reservation_id` valid for writing a `uint64_t`.
#[no_mangle]
pub unsafe extern "C" fn omniroute_reserve_json(
    router: *const OmRouter,
    order_json: *const c_char,
    now_rfc3339: *const c_char,
    ttl_seconds: u64,
    out_reservation_id: *mut u64,
    out_json: *mut *mut c_char,
    err: *mut *mut OmError,
) -> c_int {
    let f = |router: &OmRouter| {
        // SAFETY: strings or NULL and places for the answers (the contract).
        let (order, now, out_id, out_json) = unsafe {
            (
                text(order_json, "order_json")?,
                time(now_rfc3339, "now_rfc3339")?,
                out(out_reservation_id, "out_reservation_id")?,
                out(out_json, "out_json")?,
            )
        };
        let (id, json) = router.reserve(order, now, ttl_seconds)?;
        *out_id = id;
        *out_json = give(json);
        Ok(())
    };
    // SAFETY: a live handle and a place for the error (the contract).
    unsafe { boundary::on_router(router, err, f) }
}

/// Ships reservation `reservation_id`: its units leave on-hand. Committed at or after its expiry,
/// it is released instead (`E3006`); unknown, `E3005`.
///
/// # Safety
///
/// `router` is a live handle; `now_rfc3339` a NUL-terminated string or NULL (now); `err` NULL or
/// valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn omniroute_commit(
    router: *const OmRouter,
    reservation_id: u64,
    now_rfc3339: *const c_char,
    err: *mut *mut OmError,
) -> c_int {
    let f = |router: &OmRouter| {
        // SAFETY: a string or NULL (the contract).
        let now = unsafe { time(now_rfc3339, "now_rfc3339") }?;
        router.commit(reservation_id, now)
    };
    // SAFETY: a live handle and a place for the error (the contract).
    unsafe { boundary::on_router(router, err, f) }
}

/// Frees reservation `reservation_id`: its units are routable again (unknown: `E3005`).
///
/// # Safety
///
/// `router` is a live handle; `err` NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn omniroute_release(
    router: *const OmRouter,
    reservation_id: u64,
    err: *mut *mut OmError,
) -> c_int {
    let f = |router: &OmRouter| router.release(reservation_id);
    // SAFETY: a live handle and a place for the error (the contract).
    unsafe { boundary::on_router(router, err, f) }
}

/// Releases every reservation expired at `now_rfc3339` (NULL: now); `*out_count` gets how many.
///
/// # Safety
///
/// `router` is a live handle; `now_rfc3339` a NUL-terminated string or NULL; `out_count` valid
/// for writing a `uint64_t`; `err` NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn omniroute_expire(
    router: *const OmRouter,
    now_rfc3339: *const c_char,
    out_count: *mut u64,
    err: *mut *mut OmError,
) -> c_int {
    let f = |router: &OmRouter| {
        // SAFETY: a string or NULL and a place for the count (the contract).
        let (now, out_count) = unsafe {
            (
                time(now_rfc3339, "now_rfc3339")?,
                out(out_count, "out_count")?,
            )
        };
        *out_count = router.expire(now) as u64;
        Ok(())
    };
    // SAFETY: a live handle and a place for the error (the contract).
    unsafe { boundary::on_router(router, err, f) }
}

/// Applies stock feed events, all or none: `deltas_json` is a JSON array of the stock delta
/// stream's objects (`{"op", "node_id", "sku", "qty", "seq", "at"?}` with `op` one of adjust,
/// set, reserve, release, ship, return; `{"node_id", "seq", "sku", "change"}` is an adjust;
/// per-node sequence numbers: a duplicate is ignored, a gap applied and reported). `*out_json` gets `{"applied", "duplicates", "gaps": [{"node_id", "expected",
/// "got"}]}`, as the service's `POST /v1/stock/deltas` answers.
///
/// # Safety
///
/// `router` is a live handle; `deltas_json` a NUL-terminated string; `out_json` valid for
/// writing a pointer; `err` NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn omniroute_apply_deltas_json(
    router: *const OmRouter,
    deltas_json: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut OmError,
) -> c_int {
    let f = |router: &OmRouter| {
        // SAFETY: a string (the contract).
        let deltas = unsafe { text(deltas_json, "deltas_json") }?;
        router.apply_deltas(deltas)
    };
    // SAFETY: a live handle and places for the answer and the error (the contract).
    unsafe { boundary::json_out(router, out_json, err, f) }
}

/// Adds `qty` returned units of `sku` to on-hand at `node_id` at once (an in-store return).
///
/// # Safety
///
/// `router` is a live handle; `node_id` and `sku` NUL-terminated strings; `err` NULL or valid
/// for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn omniroute_return_units(
    router: *const OmRouter,
    node_id: *const c_char,
    sku: *const c_char,
    qty: u32,
    err: *mut *mut OmError,
) -> c_int {
    let f = |router: &OmRouter| {
        // SAFETY: strings (the contract).
        let (node_id, sku) = unsafe { (text(node_id, "node_id")?, text(sku, "sku")?) };
        router.return_units(node_id, sku, qty)
    };
    // SAFETY: a live handle and a place for the error (the contract).
    unsafe { boundary::on_router(router, err, f) }
}

/// One stock position: `*out_json` gets `{"node_id", "sku", "on_hand", "reserved",
/// "safety_stock", "routable"}` (`routable`: the units the router may use now).
///
/// # Safety
///
/// `router` is a live handle; `node_id` and `sku` NUL-terminated strings; `out_json` valid for
/// writing a pointer; `err` NULL or valid for writing a pointer.
#[no_mangle]
pub unsafe extern "C" fn omniroute_stock_json(
    router: *const OmRouter,
    node_id: *const c_char,
    sku: *const c_char,
    out_json: *mut *mut c_char,
    err: *mut *mut OmError,
) -> c_int {
    let f = |router: &OmRouter| {
        // SAFETY: strings (the contract).
        let (node_id, sku) = unsafe { (text(node_id, "node_id")?, text(sku, "sku")?) };
        router.stock(node_id, sku)
    };
    // SAFETY: a live handle and places for the answer and the error (the contract).
    unsafe { boundary::json_out(router, out_json, err, f) }
}

/// Frees a string the library gave out (NULL is ignored).
///
/// # Safety
///
/// `s` is NULL or a string from this library, not freed before.
#[no_mangle]
pub unsafe extern "C" fn omniroute_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: a string from `CString::into_raw` (`give`), freed once (the contract).
        drop(unsafe { CString::from_raw(s) });
    }
}

/// The error's stable code, for example `E1008` (`docs/errors.md`). Valid until the error is
/// freed; NULL for a NULL error.
///
/// # Safety
///
/// `err` is NULL or a live error handle.
#[no_mangle]
pub unsafe extern "C" fn omniroute_error_code(err: *const OmError) -> *const c_char {
    // SAFETY: NULL or a live handle (the contract).
    unsafe { err.as_ref() }.map_or(ptr::null(), OmError::code_ptr)
}

/// What went wrong, lowercase (for a rejected file: every problem, one a line). Valid until the
/// error is freed; NULL for a NULL error.
///
/// # Safety
///
/// `err` is NULL or a live error handle.
#[no_mangle]
pub unsafe extern "C" fn omniroute_error_message(err: *const OmError) -> *const c_char {
    // SAFETY: NULL or a live handle (the contract).
    unsafe { err.as_ref() }.map_or(ptr::null(), OmError::message_ptr)
}

/// What to do about it. Valid until the error is freed; NULL for a NULL error.
///
/// # Safety
///
/// `err` is NULL or a live error handle.
#[no_mangle]
pub unsafe extern "C" fn omniroute_error_hint(err: *const OmError) -> *const c_char {
    // SAFETY: NULL or a live handle (the contract).
    unsafe { err.as_ref() }.map_or(ptr::null(), OmError::hint_ptr)
}

/// The JSON field (`lines[1].qty`) or argument (`order_json`) the error is about, or NULL when
/// it is about no one field. Valid until the error is freed.
///
/// # Safety
///
/// `err` is NULL or a live error handle.
#[no_mangle]
pub unsafe extern "C" fn omniroute_error_field(err: *const OmError) -> *const c_char {
    // SAFETY: NULL or a live handle (the contract).
    unsafe { err.as_ref() }.map_or(ptr::null(), OmError::field_ptr)
}

/// Frees an error (NULL is ignored).
///
/// # Safety
///
/// `err` is NULL or an error handle from this library, not freed before.
#[no_mangle]
pub unsafe extern "C" fn omniroute_error_free(err: *mut OmError) {
    if !err.is_null() {
        // SAFETY: a handle from `Box::into_raw` (`boundary::call`), freed once (the contract).
        drop(unsafe { Box::from_raw(err) });
    }
}

/// The library's version, for example `0.1.0` (static: never free it).
#[no_mangle]
pub extern "C" fn omniroute_version() -> *const c_char {
    const VERSION: &std::ffi::CStr = match std::ffi::CStr::from_bytes_with_nul(
        concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes(),
    ) {
        Ok(v) => v,
        Err(_) => panic!("the version has no NUL inside"),
    };
    VERSION.as_ptr()
}
