#!/usr/bin/env bash
# Generates the TypeScript client packages wallets use, one per contract, from the optimised
# WASM in target/wasm (the contract spec is embedded in the WASM: no network is needed). The
# packages take the contract id at run time; ids per network are in scripts/deploy/out/*.json.
#
# Usage: scripts/bindings.sh [--out DIR] [--dry-run]
#   --out DIR    where to write the packages (default target/bindings), one directory per contract
#   --dry-run    print the commands, run nothing (no stellar-cli needed)
#
# stellar-cli 27 syntax relied on (checked against its manual):
#   stellar contract bindings typescript --wasm FILE --output-dir DIR --overwrite
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/bindings
dry_run=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out)
      if [ $# -lt 2 ] || [ -z "$2" ]; then echo "bindings: --out needs a directory (see --help)" >&2; exit 2; fi
      out="$2"; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "bindings: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [ "$dry_run" = 0 ] && ! command -v stellar >/dev/null 2>&1; then
  echo "bindings: stellar-cli is not installed (README: Deploying to a network); try --dry-run" >&2
  exit 2
fi

# The contracts wallets talk to (SPEC §1); a crate that does not exist yet is reported, not faked.
generated=0
for contract in margin-account vault oracle-adapter liquidation-auction; do
  if [ ! -f "contracts/$contract/Cargo.toml" ]; then
    echo "# $contract: not part of this release (contracts/$contract does not exist yet)"
    continue
  fi
  wasm="target/wasm/${contract//-/_}.wasm"
  if [ ! -f "$wasm" ]; then
    if [ "$dry_run" = 0 ]; then
      echo "bindings: $wasm is missing: run scripts/build-optimized.sh first" >&2
      exit 1
    fi
    echo "# $wasm is not built yet (scripts/build-optimized.sh)"
  fi
  cmd=(stellar contract bindings typescript --wasm "$wasm" --output-dir "$out/$contract" --overwrite)
  echo "${cmd[*]}"
  [ "$dry_run" = 1 ] || "${cmd[@]}"
  generated=$((generated + 1))
done
[ "$dry_run" = 1 ] || echo "wrote $generated TypeScript packages to $out/ (npm install && npm run build in each)"
