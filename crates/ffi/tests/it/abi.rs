//! The entry points called as C calls them: raw pointers, NUL-terminated strings, out-pointers.
//! Null pointers and invalid UTF-8 are errors with codes, never crashes.

use omniroute::*;
use std::ffi::{c_char, CStr, CString};
use std::ptr;

/// An error handle read into (code, field) and freed.
fn take(err: *mut OmError) -> (String, Option<String>) {
    assert!(!err.is_null(), "an error was set");
    // SAFETY: a live handle from the library; the strings live until it is freed below.
    unsafe {
        let code = CStr::from_ptr(omniroute_error_code(err))
            .to_str()
            .unwrap()
            .to_owned();
        let field = omniroute_error_field(err);
        let field = (!field.is_null()).then(|| CStr::from_ptr(field).to_str().unwrap().to_owned());
        assert!(!omniroute_error_message(err).is_null());
        assert!(!omniroute_error_hint(err).is_null());
        omniroute_error_free(err);
        (code, field)
    }
}

fn files() -> (tempfile::TempDir, CString, CString) {
    let dir = tempfile::tempdir().unwrap();
    let nodes = dir.path().join("nodes.csv");
    let stock = dir.path().join("stock.csv");
    std::fs::write(&nodes, "node_id,lat,lon\nA,28.60,77.20\n").unwrap();
    std::fs::write(&stock, "node_id,sku,qty\nA,TEE,3\n").unwrap();
    let c = |p: std::path::PathBuf| CString::new(p.to_str().unwrap()).unwrap();
    (dir, c(nodes), c(stock))
}

#[test]
fn a_router_routes_reserves_and_is_freed() {
    let (_dir, nodes, stock) = files();
    let mut err: *mut OmError = ptr::null_mut();
    // SAFETY: valid strings, a NULL policy, a place for the error.
    let router = unsafe {
        omniroute_router_from_csv(nodes.as_ptr(), stock.as_ptr(), ptr::null(), &raw mut err)
    };
    assert!(!router.is_null() && err.is_null());
    let order =
        c"{\"order_id\": \"O1\", \"dest\": {\"lat\": 28.61, \"lon\": 77.21}, \"lines\": [{\"sku\": \"TEE\", \"qty\": 2}]}";
    let now = c"2026-11-26T06:00:00Z";
    let mut json: *mut c_char = ptr::null_mut();
    let mut id = 0u64;
    // SAFETY: a live router, valid strings and out-places.
    let status = unsafe {
        omniroute_reserve_json(
            router,
            order.as_ptr(),
            now.as_ptr(),
            900,
            &raw mut id,
            &raw mut json,
            &raw mut err,
        )
    };
    assert_eq!(status, OMNIROUTE_OK);
    assert!(id > 0 && err.is_null());
    // SAFETY: a string the library gave out, freed once.
    let decision = unsafe { CStr::from_ptr(json) }.to_str().unwrap().to_owned();
    // SAFETY: as above.
    unsafe { omniroute_string_free(json) };
    let d: serde_json::Value = serde_json::from_str(&decision).unwrap();
    assert_eq!(d["shipments"][0]["node_id"], "A");
    // SAFETY: a live router, a valid string and a place for the error.
    let committed = unsafe { omniroute_commit(router, id, now.as_ptr(), &raw mut err) };
    assert_eq!(committed, OMNIROUTE_OK);
    // SAFETY: as above.
    let released = unsafe { omniroute_release(router, id, &raw mut err) };
    assert_eq!(released, OMNIROUTE_ERROR);
    assert_eq!(take(err).0, "E3005");
    // SAFETY: the router is used by no one else; freed once.
    unsafe { omniroute_router_free(router) };
}

#[test]
fn null_pointers_and_bad_utf8_are_errors() {
    let (_dir, nodes, stock) = files();
    let mut err: *mut OmError = ptr::null_mut();
    // SAFETY: NULL where a string is wanted: the library must refuse it.
    let router = unsafe {
        omniroute_router_from_csv(ptr::null(), stock.as_ptr(), ptr::null(), &raw mut err)
    };
    assert!(router.is_null());
    assert_eq!(take(err), ("E7001".into(), Some("nodes_path".into())));
    let latin1 = [b'n', 0xE9, 0];
    // SAFETY: a NUL-terminated string that is not UTF-8.
    let router = unsafe {
        omniroute_router_from_csv(
            latin1.as_ptr().cast(),
            stock.as_ptr(),
            ptr::null(),
            &raw mut err,
        )
    };
    assert!(router.is_null());
    assert_eq!(take(err).0, "E7002");
    // SAFETY: valid strings.
    let router = unsafe {
        omniroute_router_from_csv(nodes.as_ptr(), stock.as_ptr(), ptr::null(), &raw mut err)
    };
    let mut json: *mut c_char = ptr::null_mut();
    // SAFETY: a NULL router, then a NULL out-pointer: both refused.
    unsafe {
        let status = omniroute_route_json(
            ptr::null(),
            c"{}".as_ptr(),
            ptr::null(),
            &raw mut json,
            &raw mut err,
        );
        assert_eq!(status, OMNIROUTE_ERROR);
        assert_eq!(take(err).1.as_deref(), Some("router"));
        let order = c"{\"order_id\": \"O1\", \"dest\": {\"lat\": 28.6, \"lon\": 77.2}, \"lines\": [{\"sku\": \"TEE\", \"qty\": 1}]}";
        let mut id = 0;
        let status = omniroute_reserve_json(
            router,
            order.as_ptr(),
            ptr::null(),
            900,
            &raw mut id,
            ptr::null_mut(),
            &raw mut err,
        );
        assert_eq!(status, OMNIROUTE_ERROR);
        assert_eq!(take(err).1.as_deref(), Some("out_json"));
        let mut out = ptr::null_mut();
        omniroute_stock_json(
            router,
            c"A".as_ptr(),
            c"TEE".as_ptr(),
            &raw mut out,
            ptr::null_mut(),
        );
        let position = CStr::from_ptr(out).to_str().unwrap().to_owned();
        omniroute_string_free(out);
        assert!(
            position.contains("\"reserved\":0"),
            "no reservation was made: {position}"
        );
        let status = omniroute_route_json(
            router,
            c"{}".as_ptr(),
            c"yesterday".as_ptr(),
            &raw mut json,
            &raw mut err,
        );
        assert_eq!(status, OMNIROUTE_ERROR);
        assert_eq!(take(err), ("E7004".into(), Some("now_rfc3339".into())));
        // Freeing NULL is allowed; a NULL error reads as NULL.
        omniroute_string_free(ptr::null_mut());
        omniroute_error_free(ptr::null_mut());
        assert!(omniroute_error_code(ptr::null()).is_null());
        omniroute_router_free(router);
    }
}

#[test]
fn the_version_is_the_crates() {
    // SAFETY: a static string.
    let v = unsafe { CStr::from_ptr(omniroute_version()) };
    assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}
