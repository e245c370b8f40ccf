//! libFuzzer drives the invariant model of `protocol_tests::invariants` with its own bytes:
//! each input decodes into up to `STEPS` actions by random actors, run on the WASM builds with
//! every SPEC §12 invariant checked after each step. A violation aborts with its details.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol_tests::invariants::run_bytes;

/// Steps per input (longer inputs are cut).
const STEPS: usize = 64;

fuzz_target!(|data: &[u8]| {
    let (_, found) = run_bytes(data, STEPS);
    assert!(found.is_empty(), "invariant violations: {found:#?}");
});
