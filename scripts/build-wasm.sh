#!/usr/bin/env bash
# Builds every contract of the workspace for wasm32v1-none and writes the deployable,
# size-optimised copies (wasm-opt -Oz, as `stellar contract build --optimize` does) to
# target/wasm/<crate_name>.wasm. Integration tests, benchmarks and the simulator load them there.
#
# Usage: scripts/build-wasm.sh [--no-opt]
#   --no-opt   copy the unoptimised build (for a machine without binaryen; costs are then higher)
set -euo pipefail
cd "$(dirname "$0")/.."

opt=1
for arg in "$@"; do
  case "$arg" in
    --no-opt) opt=0 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "build-wasm: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

# Every crate that ships a contract: the protocol's contracts and the test-only contracts.
packages=()
for manifest in contracts/*/Cargo.toml tests/contracts/*/Cargo.toml; do
  [ -f "$manifest" ] || continue
  grep -q 'cdylib' "$manifest" || continue
  packages+=("$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$manifest" | head -n 1)")
done

args=()
for p in "${packages[@]}"; do args+=(-p "$p"); done
cargo build --release --target wasm32v1-none "${args[@]}"

mkdir -p target/wasm
for p in "${packages[@]}"; do
  name="${p//-/_}"
  src="target/wasm32v1-none/release/${name}.wasm"
  dst="target/wasm/${name}.wasm"
  if [ "$opt" = 1 ]; then
    wasm-opt -Oz --enable-mutable-globals --enable-sign-ext "$src" -o "$dst"
  else
    cp "$src" "$dst"
  fi
  printf '%-28s %7d bytes\n' "$name.wasm" "$(wc -c < "$dst")"
done
