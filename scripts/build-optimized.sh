#!/usr/bin/env bash
# Builds the WASM that scripts/deploy.sh uploads: the size-optimised builds of
# scripts/build-wasm.sh (wasm-opt -Oz, in target/wasm/), checked against the network's 128 KiB
# contract-size limit, with each file's SHA-256 — the wasm hash `stellar contract upload` returns
# and `queue_upgrade(wasm_hash)` takes — written to target/wasm/release.json.
#
# Usage: scripts/build-optimized.sh [--dry-run] [--no-build]
#   --dry-run    print the commands, run nothing
#   --no-build   only check and hash the WASM already in target/wasm
set -euo pipefail
cd "$(dirname "$0")/.."

dry_run=0
build=1
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run=1 ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "build-optimized: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

# The deployable contracts: every crate under contracts/ (tests/contracts are test-only).
names=()
for manifest in contracts/*/Cargo.toml; do
  grep -q 'cdylib' "$manifest" || continue
  name="$(sed -n 's/^name *= *"\(.*\)"/\1/p' "$manifest" | head -n 1)"
  names+=("${name//-/_}")
done

if [ "$dry_run" = 1 ]; then
  [ "$build" = 0 ] || echo "scripts/setup.sh"
  [ "$build" = 0 ] || echo "scripts/build-wasm.sh"
  for name in "${names[@]}"; do echo "sha256sum target/wasm/$name.wasm"; done
  echo "# then check each size against 131072 bytes and write target/wasm/release.json"
  exit 0
fi

if [ "$build" = 1 ]; then
  scripts/setup.sh
  scripts/build-wasm.sh
fi

limit=131072 # bytes: the network's maximum contract size (SPEC §10)
too_big=0
entries=()
for name in "${names[@]}"; do
  file="target/wasm/$name.wasm"
  [ -f "$file" ] || { echo "build-optimized: $file is missing (run without --no-build)" >&2; exit 1; }
  bytes="$(wc -c < "$file" | tr -d ' ')"
  hash="$(sha256sum "$file" | cut -d' ' -f1)"
  printf '%-26s %7d bytes  %3d%% of the limit  %s\n' "$name.wasm" "$bytes" $((bytes * 100 / limit)) "$hash"
  if [ "$bytes" -gt "$limit" ]; then
    echo "build-optimized: $file is above the $limit-byte contract size limit" >&2
    too_big=1
  fi
  entries+=("\"$name\": {\"file\": \"$file\", \"bytes\": $bytes, \"sha256\": \"$hash\"}")
done
[ "$too_big" = 0 ] || exit 1

{
  echo "{"
  for i in "${!entries[@]}"; do
    sep=","
    [ "$i" -eq $((${#entries[@]} - 1)) ] && sep=""
    echo "  ${entries[$i]}$sep"
  done
  echo "}"
} > target/wasm/release.json
echo "wrote target/wasm/release.json"
