//! Loading the optimised WASM builds written by `scripts/build-wasm.sh`.

use std::path::PathBuf;

/// Directory holding `<crate_name>.wasm` for every contract: `target/wasm`, or the directory named
/// by the `PROTOCOL_WASM_DIR` environment variable (a frozen copy of the builds, so a long
/// simulator run is not affected by a rebuild beside it).
pub fn wasm_dir() -> PathBuf {
    match std::env::var_os("PROTOCOL_WASM_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/wasm"),
    }
}

/// The bytes of a contract's optimised WASM build, by crate name (`"oracle-adapter"` or
/// `"oracle_adapter"`).
///
/// # Panics
/// When the file is missing: the message says how to build it.
pub fn load(crate_name: &str) -> Vec<u8> {
    let file = wasm_dir().join(format!("{}.wasm", crate_name.replace('-', "_")));
    std::fs::read(&file).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); build the contracts first with scripts/build-wasm.sh",
            file.display()
        )
    })
}
