//! `include/omniroute.h` is what cbindgen makes of this crate now: a stale header fails here.
//! `OMNIROUTE_BLESS=1 cargo test -p omniroute-ffi --test it header` rewrites it.

use std::path::Path;

#[test]
fn header_is_current() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml")).unwrap();
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen reads the crate")
        .write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let path = crate_dir.join("../../include/omniroute.h");
    if std::env::var_os("OMNIROUTE_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "include/omniroute.h is stale: run `OMNIROUTE_BLESS=1 cargo test -p omniroute-ffi --test it header` and commit it"
    );
}
