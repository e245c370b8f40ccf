#!/usr/bin/env bash
# Tests the network scripts without stellar-cli, a network or keys (CI runs it from
# scripts/test.sh): every script's --help and argument errors; the dry runs of deploy.sh (on
# scripts/deploy/testnet.json), governance.sh (on scripts/governance/example-proposal.json),
# bindings.sh and build-optimized.sh, whose printed calls are checked against the contract
# sources (entry points, argument names, value forms: scripts/lib/check_commands.py); and a real
# run of deploy.sh and governance.sh against a stand-in `stellar` that records its arguments,
# which checks capture, the deployment file, resuming and id substitution.
#
# Usage: scripts/test-scripts.sh
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
  "") ;;
  *) echo "test-scripts: unknown argument '$1' (see --help)" >&2; exit 2 ;;
esac

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# A `stellar` that must not be called: dry runs run nothing.
mkdir -p "$tmp/forbidden"
printf '#!/bin/sh\necho "stellar called during a dry run: $*" >&2\nexit 99\n' > "$tmp/forbidden/stellar"
chmod +x "$tmp/forbidden/stellar"
dry_path="$tmp/forbidden:$PATH"

expect_status() { # expect_status STATUS DESCRIPTION COMMAND...
  local want="$1" what="$2" got=0
  shift 2
  "$@" > "$tmp/out" 2> "$tmp/err" || got=$?
  if [ "$got" = "$want" ]; then pass "$what"; else fail "$what: exit $got, wanted $want"; cat "$tmp/err" >&2; fi
}
count() { grep -c -- "$1" "$2" || true; }
expect_count() { # expect_count N PATTERN FILE DESCRIPTION
  local n
  n="$(count "$2" "$3")"
  if [ "$n" = "$1" ]; then pass "$4"; else fail "$4: $n lines match '$2', wanted $1"; fi
}
line_of() { grep -n -m1 -- "$1" "$2" | cut -d: -f1; }

echo "== --help and argument errors"
for s in build-optimized deploy bindings governance test-scripts; do
  expect_status 0 "$s.sh --help" "scripts/$s.sh" --help
  grep -q "Usage: scripts/$s.sh" "$tmp/out" || fail "$s.sh --help prints no usage line"
  expect_status 2 "$s.sh rejects an unknown argument" "scripts/$s.sh" --bogus
done
expect_status 2 "deploy.sh needs --source" scripts/deploy.sh --dry-run
expect_status 2 "deploy.sh needs a value after --network" scripts/deploy.sh --source a --network
expect_status 2 "deploy.sh refuses mainnet without --confirm-mainnet" \
  scripts/deploy.sh --network mainnet --source a
grep -q -- --confirm-mainnet "$tmp/err" || fail "the mainnet refusal names --confirm-mainnet"
expect_status 2 "governance.sh needs a step" scripts/governance.sh --proposal x --dry-run
expect_status 2 "governance.sh names every missing argument" scripts/governance.sh queue
grep -q -- "--proposal FILE --network NAME --source ACCOUNT" "$tmp/err" ||
  fail "governance.sh lists the missing arguments"
echo '{"changes": [{"contract": "vault:XLM", "change": "asset-config"}]}' > "$tmp/bad.json"
expect_status 1 "governance.sh rejects a malformed proposal" env PATH="$dry_path" \
  scripts/governance.sh queue --proposal "$tmp/bad.json" --network testnet --source a --dry-run
grep -q 'change 1' "$tmp/err" || fail "a malformed proposal's error names the change"

echo "== deploy.sh --dry-run on scripts/deploy/testnet.json"
dep="$tmp/deploy.txt"
expect_status 0 "deploy dry run" env PATH="$dry_path" scripts/deploy.sh --network testnet \
  --source alice --out "$tmp/dry/testnet.json" --dry-run
cp "$tmp/out" "$dep"
[ ! -e "$tmp/dry" ] || fail "a dry run wrote files"
assets="$(python3 -c 'import json; print(len(json.load(open("scripts/deploy/testnet.json"))["assets"]))')"
pools="$(python3 -c 'import json; print(len(json.load(open("scripts/deploy/testnet.json"))["pools"]))')"
expect_count 1 '^scripts/build-optimized.sh$' "$dep" "the deployment builds the optimised WASM"
expect_count "$assets" "deploy --wasm-hash '<vault wasm hash>'" "$dep" "one vault per asset"
expect_count "$pools" "deploy --wasm-hash '<amm_pool wasm hash>'" "$dep" "one AMM pool per config pool"
expect_count "$assets" " -- set_borrower --borrower '<margin-account id>'$" "$dep" \
  "every vault names margin-account as its borrower"
expect_count "$assets" " -- queue_source " "$dep" "one oracle source queued per asset"
expect_count "$assets" " -- queue_asset " "$dep" "one margin-account asset listing queued per asset"
expect_count "$pools" " -- queue_venue " "$dep" "every pool queued as a venue"
expect_count 1 " -- add_assets " "$dep" "the feed quotes the assets"
order=(price_feed oracle_adapter vault amm_pool margin_account)
if [ -f contracts/liquidation-auction/Cargo.toml ]; then
  order+=(liquidation_auction)
  expect_count 1 " -- set_liquidator --liquidator '<liquidation-auction id>'$" "$dep" \
    "margin-account names liquidation-auction as its liquidator"
else
  expect_count 1 "liquidation-auction: NOT PART OF THIS RELEASE" "$dep" \
    "a missing liquidation-auction is reported, not faked"
  expect_count 0 "set_liquidator" "$dep" "no liquidator is wired without liquidation-auction"
fi
previous=0
for crate in "${order[@]}"; do
  at="$(line_of "deploy --wasm-hash '<$crate wasm hash>'" "$dep")"
  if [ -z "$at" ] || [ "$at" -le "$previous" ]; then fail "deploy order: $crate out of the SPEC §1 order"; fi
  previous="${at:-$previous}"
done
pass "contracts deployed in the SPEC §1 order (${order[*]})"
if [ "$(line_of ' -- set_borrower ' "$dep")" -lt "$(line_of "<margin_account wasm hash>' --source" "$dep")" ]; then
  fail "wiring before margin-account is deployed"
fi
grep -q "NEXT (governance, after the timelock delay" "$dep" || fail "the dry run tells how to apply the listing"

echo "== governance.sh --dry-run on scripts/governance/example-proposal.json"
gov="$tmp/governance.txt"
: > "$gov"
changes="$(python3 -c 'import json; print(len(json.load(open("scripts/governance/example-proposal.json"))["changes"]))')"
for step in queue apply cancel; do
  expect_status 0 "governance $step dry run" env PATH="$dry_path" scripts/governance.sh "$step" \
    --proposal scripts/governance/example-proposal.json --network testnet --source alice \
    --deployment "$tmp/none.json" --dry-run
  expect_count "$changes" " -- ${step}_\| -- propose_admin\| -- accept_admin" "$tmp/out" \
    "governance $step: one ${step} call per change"
  cat "$tmp/out" >> "$gov"
done
expect_status 0 "governance --only" env PATH="$dry_path" scripts/governance.sh apply --only 2 \
  --proposal scripts/governance/example-proposal.json --network testnet --source alice --dry-run
expect_count 1 "^stellar contract invoke" "$tmp/out" "--only 2 issues one call"

echo "== governance.sh --dry-run on the calibration proposals (docs/calibration, written by calibrate)"
for p in docs/calibration/*.proposal.json; do
  [ -e "$p" ] || continue
  name="$(basename "$p")"
  cal="$tmp/calibration.txt"
  : > "$cal"
  n="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["changes"]))' "$p")"
  for step in queue apply cancel; do
    expect_status 0 "$name $step dry run" env PATH="$dry_path" scripts/governance.sh "$step" \
      --proposal "$p" --network testnet --source alice --deployment "$tmp/none.json" --dry-run
    expect_count "$n" " -- ${step}_" "$tmp/out" "$name $step: one call per change"
    cat "$tmp/out" >> "$cal"
  done
  expect_count 1 "^stellar contract invoke --id '<margin-account id>' .* -- queue_asset --asset '<token:ETH id>' --config '{\"vault\":\"<vault:ETH id>\",\"asset_weight_init\":\"[0-9]*\"" \
    "$cal" "$name: ETH's whole asset config is queued on margin-account"
  expect_count 1 "^stellar contract invoke --id '<liquidation-auction id>' .* -- queue_params --params '{\"buf\":\"[0-9]*\",\"curve\":{\"StairstepExp\"" \
    "$cal" "$name: the calibrated stairstep auction is queued on liquidation-auction"
  cat "$cal" >> "$gov"
done

echo "== printed calls against the contract sources"
if cat "$dep" "$gov" | python3 scripts/lib/check_commands.py; then
  pass "every printed call names a real entry point with well-formed arguments"
else
  fail "printed calls do not match the contract sources"
fi

echo "== bindings.sh and build-optimized.sh --dry-run"
expect_status 0 "bindings dry run" env PATH="$dry_path" scripts/bindings.sh --dry-run --out "$tmp/b"
for c in margin-account vault oracle-adapter liquidation-auction; do
  if [ -f "contracts/$c/Cargo.toml" ]; then
    expect_count 1 "^stellar contract bindings typescript --wasm target/wasm/${c//-/_}.wasm --output-dir $tmp/b/$c --overwrite$" \
      "$tmp/out" "bindings for $c"
  else
    expect_count 1 "$c: not part of this release" "$tmp/out" "$c reported as not in this release"
  fi
done
[ ! -e "$tmp/b" ] || fail "the bindings dry run wrote files"
expect_status 0 "build-optimized dry run" scripts/build-optimized.sh --dry-run
expect_count 1 "^scripts/build-wasm.sh$" "$tmp/out" "build-optimized builds with build-wasm.sh"

echo "== a real run against a stand-in stellar (records calls, returns made-up ids)"
mkdir -p "$tmp/fake"
cat > "$tmp/fake/stellar" <<'EOF'
#!/usr/bin/env bash
# Stand-in for stellar-cli: logs its arguments and prints a result of the right form.
echo "$*" >> "$FAKE_LOG"
n=$(( $(wc -l < "$FAKE_LOG") ))
id() { printf '%s%055d\n' "$1" "$n" | tr '0-9' 'A-J'; }
case "$1 $2 $3" in
  "keys address "*) id G ;;
  "contract upload "*) printf '%064x\n' "$n" ;;
  "contract deploy "*|"contract id asset"|"contract asset deploy") id C ;;
  "contract invoke "*) case "$*" in *" -- queue_"*) echo 1767225600 ;; esac ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
EOF
chmod +x "$tmp/fake/stellar"
export FAKE_LOG="$tmp/calls.log"
: > "$FAKE_LOG"
real=(env PATH="$tmp/fake:$PATH" scripts/deploy.sh --network testnet --source alice --no-build
  --out "$tmp/real/testnet.json")
expect_status 0 "deploy against the stand-in" "${real[@]}"
calls="$(wc -l < "$FAKE_LOG")"
if grep -q '<' "$FAKE_LOG"; then fail "a placeholder reached stellar-cli"; else pass "every placeholder was substituted"; fi
python3 - "$tmp/real/testnet.json" "$assets" <<'EOF' || fail "deployment file content"
import json, re, sys
d = json.load(open(sys.argv[1]))
ids = d["contracts"]
assert all(re.fullmatch(r"C[A-Z2-7]{55}", v) for v in ids.values()), ids
for name in ("oracle-adapter", "margin-account", "price-feed:main"):
    assert name in ids, name
assert sum(k.startswith("vault:") for k in ids) == int(sys.argv[2])
assert d["network"]["passphrase"] == "Test SDF Network ; September 2015"
assert re.fullmatch(r"G[A-Z2-7]{55}", d["roles"]["admin"])
print("ok: deployment file holds every contract id, the network and the roles")
EOF
[ -f "$tmp/real/testnet-listing.json" ] || fail "the listing proposal was not written"
expect_status 0 "a second deploy resumes and sends nothing" "${real[@]}"
[ "$(wc -l < "$FAKE_LOG")" = "$calls" ] || fail "the resumed deploy called stellar again"
expect_status 0 "apply the listing with the deployment's ids" env PATH="$tmp/fake:$PATH" \
  scripts/governance.sh apply --proposal "$tmp/real/testnet-listing.json" --network testnet \
  --source alice --deployment "$tmp/real/testnet.json"
applied="$(tail -n +"$((calls + 1))" "$FAKE_LOG")"
if echo "$applied" | grep -q '<'; then fail "apply sent a placeholder"; fi
[ "$(echo "$applied" | grep -c ' -- apply_')" = "$(grep -c '"apply"' "$tmp/real/testnet-listing.json")" ] ||
  fail "apply sent one call per listed change"
python3 - "$tmp/doge.json" <<'EOF'
import json, sys
p = json.load(open("scripts/governance/example-proposal.json"))
p["changes"] = p["changes"][3:4]
p["changes"][0]["contract"] = "vault:DOGE"
json.dump(p, open(sys.argv[1], "w"))
EOF
expect_status 1 "governance refuses a name missing from the deployment file" \
  env PATH="$tmp/fake:$PATH" scripts/governance.sh queue --proposal "$tmp/doge.json" \
  --network testnet --source alice --deployment "$tmp/real/testnet.json"
grep -q 'no contract named: vault:DOGE' "$tmp/err" || fail "the refusal names vault:DOGE"

if [ "$failures" -gt 0 ]; then
  echo "test-scripts: $failures failure(s)" >&2
  exit 1
fi
echo "test-scripts: all passed"
