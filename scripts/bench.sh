#!/usr/bin/env bash
# The resource benchmark: measures every entry point on the optimised WASM builds in the real host
# and writes the markdown table (default: BENCHMARKS.md at the repository root).
#
# Usage: scripts/bench.sh [--out FILE] [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

out=BENCHMARKS.md
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [ "$build" = 1 ]; then
  scripts/setup.sh
  scripts/build-wasm.sh
fi
cargo run -q -p protocol-tests --bin bench -- --out "$out"
