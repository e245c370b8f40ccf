#!/usr/bin/env bash
# The project's test command (README; .ci/run calls it): sets up the toolchain, builds the
# optimised WASM of every contract, checks formatting and lints, runs every test, then runs the
# resource benchmark to a scratch file so a change that breaks it fails here.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build-wasm.sh
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo test --workspace
# The keeper's embedded-host backend and its strategy tests sit behind a feature.
cargo clippy -p keeper --all-targets --features embedded -- -D warnings
cargo test -p keeper --features embedded --test strategy
SIM_PROFILE=dev scripts/simulate.sh --traders 5 --hours 1 --step 300 --out target/sim-ci --quiet
scripts/test-scripts.sh
scripts/bench.sh --out target/BENCHMARKS.check.md
