#!/usr/bin/env bash
# Issues the timelock steps of a governance proposal (format: docs/GOVERNANCE.md) with
# stellar-cli: `queue` records every change and its earliest time (admin), `apply` makes them live
# once the delay has passed (anyone), `cancel` drops them (admin). Calls are sent in the order of
# the proposal; contract names (`margin-account`, `vault:XLM`, `@token:XLM` in arguments) are
# looked up in the deployment file that scripts/deploy.sh wrote.
#
# Usage: scripts/governance.sh queue|apply|cancel --proposal FILE --network NAME --source ACCOUNT
#                              [--deployment FILE] [--only N[,N...]] [--dry-run] [--confirm-mainnet]
#   --proposal FILE     the proposal (example: scripts/governance/example-proposal.json)
#   --network NAME      stellar-cli network: testnet, mainnet, local or a configured name
#   --source ACCOUNT    stellar-cli identity that signs (the admin for queue and cancel)
#   --deployment FILE   contract ids (default scripts/deploy/out/NETWORK.json)
#   --only N[,N...]     only these changes (numbered from 1 in the file's order)
#   --dry-run           print the exact calls, send nothing (no stellar-cli, network or keys;
#                       names missing from the deployment file are shown as <name id>)
#   --confirm-mainnet   required to send on mainnet
#
# stellar-cli 27 syntax relied on (checked against its manual):
#   stellar contract invoke --id C --source-account S --network N -- fn --arg value ...
#   (a struct or enum argument is one JSON value; i128 inside JSON is a string)
set -euo pipefail
cd "$(dirname "$0")/.."

step=
proposal=
network=
source_account=
deployment=
only=
dry_run=0
confirm_mainnet=0
while [ $# -gt 0 ]; do
  case "$1" in
    queue|apply|cancel)
      [ -z "$step" ] || { echo "governance: two steps given ('$step', '$1')" >&2; exit 2; }
      step="$1"; shift ;;
    --proposal|--network|--source|--deployment|--only)
      if [ $# -lt 2 ] || [ -z "$2" ]; then echo "governance: $1 needs a value (see --help)" >&2; exit 2; fi
      case "$1" in
        --proposal) proposal="$2" ;;
        --network) network="$2" ;;
        --source) source_account="$2" ;;
        --deployment) deployment="$2" ;;
        --only) only="$2" ;;
      esac
      shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    --confirm-mainnet) confirm_mainnet=1; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "governance: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

missing=()
[ -n "$step" ] || missing+=("queue|apply|cancel")
[ -n "$proposal" ] || missing+=("--proposal FILE")
[ -n "$network" ] || missing+=("--network NAME")
[ -n "$source_account" ] || missing+=("--source ACCOUNT")
if [ ${#missing[@]} -gt 0 ]; then
  echo "governance: missing ${missing[*]} (see --help)" >&2
  exit 2
fi
[ -f "$proposal" ] || { echo "governance: proposal file '$proposal' not found" >&2; exit 2; }
deployment="${deployment:-scripts/deploy/out/$network.json}"
if [ "$network" = mainnet ] && [ "$dry_run" = 0 ] && [ "$confirm_mainnet" = 0 ]; then
  echo "governance: refusing to send on mainnet without --confirm-mainnet" >&2
  exit 2
fi
if [ "$dry_run" = 0 ] && ! command -v stellar >/dev/null 2>&1; then
  echo "governance: stellar-cli is not installed (README: Deploying to a network); try --dry-run" >&2
  exit 2
fi

args=("$step" --proposal "$proposal" --network "$network" --source "$source_account"
  --deployment "$deployment")
[ -z "$only" ] || args+=(--only "$only")
[ "$dry_run" = 0 ] || args+=(--dry-run)
exec python3 -B scripts/lib/governance_plan.py "${args[@]}"
