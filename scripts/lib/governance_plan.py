"""Governance proposals (docs/GOVERNANCE.md): reading, checking and issuing their timelock steps.

A proposal is a list of changes; each names a contract and the `queue`, `apply` and `cancel`
calls of one timelocked change. References `@name` (a string equal to `@` + a name of the
deployment file's `contracts`) stand for that contract's id, so a proposal written before or
independently of a deployment (the calibration command writes them) stays valid for any network.
"""

import argparse
import os
import re
import sys

import netlib

STEPS = ("queue", "apply", "cancel")

# The timelocked changes of the contracts as they exist: change -> (contract kinds, queue, apply,
# cancel). "custom" skips this check (an entry point added later); the `check_commands` test still
# checks every call of the example against the contract sources.
GOVERNED = ("price-feed", "oracle-adapter", "vault", "margin-account", "liquidation-auction")
CHANGES = {
    "asset-config": (("margin-account",), "queue_asset", "apply_asset", "cancel_asset"),
    "venue": (("margin-account",), "queue_venue", "apply_venue", "cancel_venue"),
    "margin-params": (("margin-account",), "queue_params", "apply_params", "cancel_params"),
    "liquidator": (("margin-account",), "queue_liquidator", "apply_liquidator",
                   "cancel_liquidator"),
    "oracle-source": (("oracle-adapter",), "queue_source", "apply_source", "cancel_source"),
    "vault-params": (("vault",), "queue_params", "apply_params", "cancel_params"),
    "vault-borrower": (("vault",), "queue_borrower", "apply_borrower", "cancel_borrower"),
    "claim-reserves": (("vault",), "queue_claim_reserves", "apply_claim_reserves",
                       "cancel_claim_reserves"),
    "feed-reporter": (("price-feed",), "queue_reporter", "apply_reporter", "cancel_reporter"),
    "auction-params": (("liquidation-auction",), "queue_params", "apply_params",
                       "cancel_params"),
    "insurance-move": (("liquidation-auction",), "queue_insurance", "apply_insurance",
                       "cancel_insurance"),
    "upgrade": (GOVERNED, "queue_upgrade", "apply_upgrade", "cancel_upgrade"),
    "guardian": (GOVERNED, "queue_guardian", "apply_guardian", "cancel_guardian"),
    "delay": (GOVERNED, "queue_delay", "apply_delay", "cancel_delay"),
    "admin": (GOVERNED, "propose_admin", "accept_admin", "cancel_admin"),
}

REF = re.compile(r"@([A-Za-z0-9][A-Za-z0-9:._-]*)")


def kind_of(name):
    """The contract kind of a deployment name: `vault:XLM` -> `vault`."""
    return name.split(":", 1)[0]


def placeholder(name):
    return f"<{name} id>"


def resolve(value, refs):
    """Replaces every `@name` string by the `<name id>` placeholder, recording the name."""
    if isinstance(value, dict):
        return {k: resolve(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, refs) for v in value]
    if isinstance(value, str):
        m = REF.fullmatch(value)
        if m:
            refs.add(m.group(1))
            return placeholder(m.group(1))
    return value


def contract_ref(contract, refs):
    """The `contract` of a change: a C... id as it is, else a deployment name (`@` optional)."""
    if netlib.is_strkey(contract, netlib.CONTRACT_ID):
        return contract
    name = contract[1:] if contract.startswith("@") else contract
    refs.add(name)
    return placeholder(name)


def check(proposal, where):
    """Checks the proposal's shape; returns its changes. Every problem is named with its place."""
    if not isinstance(proposal, dict) or not isinstance(proposal.get("changes"), list):
        netlib.fail(f"{where}: a proposal is an object with a \"changes\" list")
    if not proposal["changes"]:
        netlib.fail(f"{where}: \"changes\" is empty")
    for i, change in enumerate(proposal["changes"], 1):
        at = f"{where}: change {i}"
        if not isinstance(change, dict):
            netlib.fail(f"{at} is not an object")
        contract, kind = change.get("contract"), change.get("change")
        if not isinstance(contract, str) or not contract:
            netlib.fail(f"{at}: \"contract\" must name a deployed contract or be a C... id")
        if kind not in CHANGES and kind != "custom":
            netlib.fail(f"{at}: unknown change {kind!r} (known: {', '.join(CHANGES)}, custom)")
        for step in STEPS:
            call = change.get(step)
            if not isinstance(call, dict) or not isinstance(call.get("function"), str):
                netlib.fail(f"{at}: \"{step}\" must be {{\"function\": ..., \"args\": {{...}}}}")
            if not isinstance(call.get("args", {}), dict):
                netlib.fail(f"{at}: {step}.args must be an object of named arguments")
        if kind == "custom":
            continue
        kinds, *functions = CHANGES[kind]
        contract_kind = change.get("kind") or (
            None if netlib.is_strkey(contract, netlib.CONTRACT_ID)
            else kind_of(contract.lstrip("@")))
        if contract_kind is not None and contract_kind not in kinds:
            netlib.fail(f"{at}: a {kind!r} change applies to {' or '.join(kinds)}, "
                        f"not {contract_kind!r}")
        for step, function in zip(STEPS, functions):
            if change[step]["function"] != function:
                netlib.fail(f"{at}: {step} of a {kind!r} change calls {function}, "
                            f"not {change[step]['function']}")
    return proposal["changes"]


def select(changes, only):
    """The changes picked by `--only 1,3` (1-based), or all of them."""
    if not only:
        return list(enumerate(changes, 1))
    picked = []
    for item in only.split(","):
        if not item.isdigit() or not 1 <= int(item) <= len(changes):
            netlib.fail(f"--only: {item!r} is not a change number between 1 and {len(changes)}")
        picked.append((int(item), changes[int(item) - 1]))
    return picked


def references(changes):
    refs = set()
    for change in changes:
        contract_ref(change["contract"], refs)
        for step in STEPS:
            resolve(change[step].get("args", {}), refs)
    return refs


def issue(runner, changes, step, source, network, footer=True):
    """Prints (and unless dry, sends) the `step` call of every change, in order."""
    for number, change in changes:
        refs = set()
        contract = contract_ref(change["contract"], refs)
        call = change[step]
        args = resolve(call.get("args", {}), refs)
        runner.note(f"change {number}: {change['change']} on {change['contract']}"
                    + (f" - {change['summary']}" if change.get("summary") else ""))
        signer = call.get("source", source)
        out = runner.run(netlib.invoke(contract, call["function"], args, signer, network))
        if step == "queue" and out:
            runner.note(f"queued: earliest apply time (eta) {out}")
    if step == "queue" and footer:
        runner.note("apply each change after the timelock delay (and within the 14-day grace")
        runner.note("period) with the same proposal: scripts/governance.sh apply ...")


def run(args):
    """Entry point of governance.sh (args: the parsed command line)."""
    proposal = netlib.load_json(args.proposal, "proposal")
    changes = select(check(proposal, args.proposal), args.only)
    values = {}
    deployment = None
    if not args.dry_run or os.path.exists(args.deployment):
        deployment = netlib.load_json(args.deployment, "deployment file")
    if deployment:
        for name, cid in deployment.get("contracts", {}).items():
            values[placeholder(name)[1:-1]] = cid
    missing = sorted(r for r in references([c for _, c in changes])
                     if placeholder(r)[1:-1] not in values)
    if missing and not args.dry_run:
        netlib.fail(f"{args.deployment} has no contract named: {', '.join(missing)}")
    runner = netlib.Runner(args.dry_run, values)
    if proposal.get("title"):
        runner.note(f"proposal: {proposal['title']}")
    if missing:
        runner.note(f"not in {args.deployment}, shown as placeholders: {', '.join(missing)}")
    issue(runner, changes, args.step, args.source, args.network)


def parse(argv):
    p = argparse.ArgumentParser(prog="governance_plan.py")
    p.add_argument("step", choices=STEPS)
    for flag in ("--proposal", "--network", "--source", "--deployment"):
        p.add_argument(flag, required=True)
    p.add_argument("--only")
    p.add_argument("--dry-run", action="store_true")
    return p.parse_args(argv)


if __name__ == "__main__":
    netlib.main(lambda: run(parse(sys.argv[1:])))
