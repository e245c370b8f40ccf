#!/usr/bin/env bash
# The main job: builds the contract WASM if it is missing or older than the contract sources
# (scripts/build-wasm.sh), then runs the protocol simulator (offchain/simulator) in the `sim`
# cargo profile and writes the report to target/sim (report.json and SVG charts).
#
# Usage: scripts/simulate.sh [simulator arguments]   (scripts/simulate.sh --help lists them)
#   With no arguments: the default scenario (a -50 % crash of asset 0, 40 traders, 4 lenders,
#   three competing keepers, a haircut change through the timelock mid-run, 6 h of 60 s steps).
#   SIM_PROFILE=dev runs the unoptimised build instead (faster to compile, slower to run).
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help) sed -n '2,9p' "$0"; echo; exec cargo run -q --profile "${SIM_PROFILE:-sim}" -p simulator -- --help ;;
esac

# Rebuild the WASM when a contract or library source is newer than the oldest build.
stale=0
if ! ls target/wasm/*.wasm >/dev/null 2>&1; then
  stale=1
else
  oldest=$(ls -tr target/wasm/*.wasm | head -n 1)
  if [ -n "$(find contracts libs tests/contracts -name '*.rs' -newer "$oldest" -print -quit)" ] \
    || [ -n "$(find contracts libs tests/contracts -name Cargo.toml -newer "$oldest" -print -quit)" ]; then
    stale=1
  fi
fi
if [ "$stale" = 1 ]; then
  echo "simulate: building the contracts (scripts/build-wasm.sh)" >&2
  scripts/build-wasm.sh
fi

exec cargo run -q --profile "${SIM_PROFILE:-sim}" -p simulator -- "$@"
