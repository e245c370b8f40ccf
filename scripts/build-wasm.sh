#!/usr/bin/env bash
# Builds every contract of the workspace for wasm32v1-none and writes the deployable,
# size-optimised copies (wasm-opt -Oz, as `stellar contract build --optimize` does) to
# target/wasm/<crate_name>.wasm. Integration tests, benchmarks and the simulator load them there.
#
# Usage: scripts/build-wasm.sh [--no-opt]
#   --no-opt   copy the unoptimised build (for a machine without binaryen; costs are then higher)
#
# Then the governed contracts are built once more with their `upgrade-v2` feature (one extra
# cargo invocation) into target/wasm/<crate_name>_v2.wasm: the code tests/tests/upgrades.rs
# installs through the timelocked upgrade.
set -euo pipefail
cd "$(dirname "$0")/.."

opt=1
for arg in "$@"; do
  case "$arg" in
    --no-opt) opt=0 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
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

# install <crate name> <suffix>: the built wasm, optimised unless --no-opt, as
# target/wasm/<crate_name><suffix>.wasm.
install() {
  local name="${1//-/_}"
  local src="target/wasm32v1-none/release/${name}.wasm"
  local dst="target/wasm/${name}$2.wasm"
  if [ "$opt" = 1 ]; then
    wasm-opt -Oz --enable-mutable-globals --enable-sign-ext "$src" -o "$dst"
  else
    cp "$src" "$dst"
  fi
  printf '%-28s %7d bytes\n' "${name}$2.wasm" "$(wc -c < "$dst")"
}

mkdir -p target/wasm
for p in "${packages[@]}"; do install "$p" ""; done

# The second build of the governed contracts; only these crates recompile (the feature adds one
# entry point and touches no dependency).
governed=(vault oracle-adapter margin-account liquidation-auction price-feed)
args=()
features=()
for p in "${governed[@]}"; do args+=(-p "$p"); features+=("$p/upgrade-v2"); done
cargo build --release --target wasm32v1-none "${args[@]}" --features "$(IFS=,; echo "${features[*]}")"
for p in "${governed[@]}"; do install "$p" _v2; done
