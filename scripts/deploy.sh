#!/usr/bin/env bash
# Deploys and wires the whole protocol on a network with stellar-cli (SPEC §1): price feed(s) →
# oracle-adapter → one vault per asset → AMM pool(s) → margin-account → liquidation-auction
# (+ keeper-receiver); then the first wiring (vault set_borrower, adapter set_subscriber, margin-account set_liquidator,
# feed add_assets) and the timelocked listing (oracle sources, asset configs, venues), which is
# queued now and applied after the delay by a separate governance step (scripts/governance.sh).
#
# Usage: scripts/deploy.sh --network NAME --source ACCOUNT [--config FILE] [--out FILE]
#                          [--dry-run] [--no-build] [--fresh] [--confirm-mainnet]
#   --network NAME      stellar-cli network: testnet (default), mainnet, local or a configured name
#   --source ACCOUNT    stellar-cli identity that pays and signs; it is the admin while wiring
#   --config FILE       deployment config (default scripts/deploy/testnet.json; format in
#                       docs/GOVERNANCE.md)
#   --out FILE          contract ids, read by governance.sh and the keeper
#                       (default scripts/deploy/out/NETWORK.json); the listing proposal is
#                       written next to it as NAME-listing.json
#   --dry-run           print the exact commands, run nothing (no stellar-cli, network or keys)
#   --no-build          use the WASM already in target/wasm instead of scripts/build-optimized.sh
#   --fresh             ignore the steps an interrupted earlier run recorded in --out
#   --confirm-mainnet   required to deploy on mainnet for real
#
# A run that stops half-way (network error, fees) can be started again: every id is saved to
# --out as soon as it is known and the steps already done are skipped.
#
# stellar-cli 27 syntax relied on (checked against its manual):
#   stellar keys address NAME                    -> G... (alias of `stellar keys public-key`)
#   stellar contract id asset --asset native --network N                 -> C... (XLM's SAC)
#   stellar contract asset deploy --asset CODE:ISSUER --source-account S --network N -> C...
#   stellar contract upload --wasm FILE --source-account S --network N   -> wasm hash (hex)
#   stellar contract deploy --wasm-hash H --source-account S --network N -- --arg value ...
#       (constructor arguments after `--`, named as in __constructor)    -> C...
#   stellar contract invoke --id C --source-account S --network N -- fn --arg value ...
set -euo pipefail
cd "$(dirname "$0")/.."

network=testnet
source_account=
config=scripts/deploy/testnet.json
out=
flags=()
confirm_mainnet=0
dry_run=0
while [ $# -gt 0 ]; do
  case "$1" in
    --network|--source|--config|--out)
      if [ $# -lt 2 ] || [ -z "$2" ]; then echo "deploy: $1 needs a value (see --help)" >&2; exit 2; fi
      case "$1" in
        --network) network="$2" ;;
        --source) source_account="$2" ;;
        --config) config="$2" ;;
        --out) out="$2" ;;
      esac
      shift 2 ;;
    --dry-run) dry_run=1; flags+=(--dry-run); shift ;;
    --no-build|--fresh) flags+=("$1"); shift ;;
    --confirm-mainnet) confirm_mainnet=1; shift ;;
    -h|--help) sed -n '2,34p' "$0"; exit 0 ;;
    *) echo "deploy: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

[ -n "$source_account" ] || { echo "deploy: --source ACCOUNT is required (see --help)" >&2; exit 2; }
[ -f "$config" ] || { echo "deploy: config file '$config' not found" >&2; exit 2; }
out="${out:-scripts/deploy/out/$network.json}"
if [ "$network" = mainnet ] && [ "$dry_run" = 0 ] && [ "$confirm_mainnet" = 0 ]; then
  echo "deploy: refusing to deploy on mainnet without --confirm-mainnet" >&2
  exit 2
fi
if [ "$dry_run" = 0 ] && ! command -v stellar >/dev/null 2>&1; then
  echo "deploy: stellar-cli is not installed (README: Deploying to a network); try --dry-run" >&2
  exit 2
fi

exec python3 -B scripts/lib/deploy_plan.py --config "$config" --network "$network" \
  --source "$source_account" --out "$out" "${flags[@]}"
