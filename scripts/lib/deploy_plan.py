"""The deployment of the whole set (SPEC §1), driven by a config file (scripts/deploy/*.json).

Order: tokens → wasm uploads → price feed(s) → oracle-adapter → one vault per asset → AMM
pool(s) → margin-account → liquidation-auction (+ keeper-receiver); then the first wiring, which
each contract allows its admin to do once, directly (vault `set_borrower`, oracle-adapter
`set_subscriber`, margin-account `set_liquidator`, price-feed `add_assets`); then the timelocked listing (oracle sources, asset
configs, venues), which is written as a governance proposal and queued: applying it after the
delay is a separate governance step.

Every captured value is saved to the output file as soon as it is known, so a run that stops
half-way resumes where it stopped (steps already done are skipped; `--fresh` starts over).
"""

import argparse
import os
import sys

import governance_plan
import netlib

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Contracts deployed by this script whose crates may not exist yet: name -> crate directory.
LATER = {"liquidation-auction": "contracts/liquidation-auction",
         "keeper-receiver": "contracts/keeper-receiver"}


def exists(crate_dir):
    return os.path.isfile(os.path.join(ROOT, crate_dir, "Cargo.toml"))


class Deployment:
    def __init__(self, args, config):
        self.args, self.config = args, config
        self.out_path = args.out
        self.listing_path = os.path.splitext(args.out)[0] + "-listing.json"
        state = {}
        if os.path.exists(self.out_path) and not args.fresh:
            state = netlib.load_json(self.out_path, "deployment file").get("state", {})
        self.done = list(state.get("done", []))
        self.runner = netlib.Runner(args.dry_run, state.get("values", {}), self.saved)
        self.roles = {}
        self.this_run = set()  # values this run has already got (or, dry, shown how to get)
        self.governed = []  # deployed contracts with an admin, for the handover

    # --- state -------------------------------------------------------------------------------
    def saved(self, *_):
        if not self.args.dry_run:
            netlib.save_json(self.out_path, self.summary())

    def summary(self):
        values = self.runner.values
        contracts = {k[:-3]: v for k, v in values.items() if k.endswith(" id")}
        return {
            "network": netlib.network_info(self.args.network),
            "config": self.args.config,
            "source": {"identity": self.args.source,
                       "address": values.get(f"{self.args.source} address")},
            "roles": {r: self.runner.resolve(v) for r, v in self.roles.items()},
            "timelock_delay": self.config["timelock_delay"],
            "wasm": {k[:-10]: v for k, v in values.items() if k.endswith(" wasm hash")},
            "contracts": contracts,
            "assets": {sym: {"token": contracts.get(f"token:{sym}"),
                             "decimals": a.get("decimals"),
                             "vault": contracts.get(f"vault:{sym}"),
                             "feeds": a["feeds"]}
                       for sym, a in self.config["assets"].items()},
            "not_in_release": {n: f"{d} does not exist" for n, d in LATER.items()
                               if not exists(d)},
            "listing_proposal": self.listing_path,
            "state": {"values": values, "done": self.done},
        }

    def step(self, key, argv, capture=None, expect=None):
        """Runs one step unless an earlier run did it."""
        if capture in self.this_run:
            return
        if (capture and self.runner.known(capture)) or key in self.done:
            self.runner.note(f"done by an earlier run: {key}")
            return
        self.runner.run(argv, capture, expect)
        if capture:
            self.this_run.add(capture)
        else:
            self.done.append(key)
            self.saved()

    # --- building blocks ---------------------------------------------------------------------
    def net(self):
        return ["--network", self.args.network]

    def signed(self):
        return ["--source-account", self.args.source, "--network", self.args.network]

    def address(self, value, role):
        """A role's address: `@source`, a G.../C... strkey, or a stellar-cli identity name."""
        if not isinstance(value, str) or not value:
            netlib.fail(f"config: {role} must be \"@source\", an address or an identity name")
        if netlib.is_strkey(value, netlib.ACCOUNT_ID) or netlib.is_strkey(
                value, netlib.CONTRACT_ID):
            return value
        identity = self.args.source if value == "@source" else value
        self.step(f"address of {identity}", ["stellar", "keys", "address", identity],
                  f"{identity} address", netlib.ACCOUNT_ID)
        return f"<{identity} address>"

    def deploy(self, name, crate, args):
        argv = ["stellar", "contract", "deploy", "--wasm-hash", f"<{crate} wasm hash>",
                *self.signed(), "--"]
        for arg, value in args.items():
            argv += ["--" + arg, netlib.cli_value(value)]
        self.step(f"deploy {name}", argv, f"{name} id", netlib.CONTRACT_ID)
        if "admin" in args:
            self.governed.append(name)
        return f"<{name} id>"

    def invoke(self, key, contract, function, args):
        self.step(key, netlib.invoke(contract, function, args, self.args.source,
                                     self.args.network))

    # --- the plan ----------------------------------------------------------------------------
    def tokens(self):
        self.runner.note("tokens: a Stellar Asset Contract per asset")
        for sym, asset in self.config["assets"].items():
            token = asset.get("token")
            name = f"token:{sym}"
            if token == "native":
                self.step(f"id of {name}", ["stellar", "contract", "id", "asset", "--asset",
                                            "native", *self.net()],
                          f"{name} id", netlib.CONTRACT_ID)
            elif isinstance(token, dict) and isinstance(token.get("issue"), str):
                issuer = self.address("@source", "roles.admin")
                self.step(f"deploy {name}", ["stellar", "contract", "asset", "deploy", "--asset",
                                             f"{token['issue']}:{issuer}", *self.signed()],
                          f"{name} id", netlib.CONTRACT_ID)
            elif netlib.is_strkey(token, netlib.CONTRACT_ID):
                self.runner.values[f"{name} id"] = token
                self.runner.note(f"{name} is the existing contract {token}")
            else:
                netlib.fail(f"config: assets.{sym}.token must be \"native\", a C... id or "
                            "{\"issue\": \"CODE\"} (a test token issued by the source account)")

    def uploads(self, crates):
        self.runner.note("upload each contract's optimised wasm once (vaults share one)")
        for crate in crates:
            wasm = f"target/wasm/{crate}.wasm"
            self.step(f"upload {crate}", ["stellar", "contract", "upload", "--wasm", wasm,
                                          *self.signed()],
                      f"{crate} wasm hash", netlib.WASM_HASH)

    def run(self):
        c, r = self.config, self.runner
        if c.get("roles", {}).get("admin") != "@source":
            netlib.fail("config: roles.admin must be \"@source\": the first wiring is signed by "
                        "the admin; hand over to the final admin with \"handover_admin\"")
        later = {n: exists(d) for n, d in LATER.items()}
        r.note(f"deploy on {self.args.network} as {self.args.source} from {self.args.config}")
        if not self.args.no_build:
            r.run(["scripts/build-optimized.sh"])
        roles = self.roles
        for role in ("admin", "guardian", "reporter"):
            roles[role] = self.address(c["roles"][role], f"roles.{role}")
        gov = {"admin": roles["admin"], "guardian": roles["guardian"]}
        delay = c["timelock_delay"]
        self.tokens()
        crates = ["price_feed", "oracle_adapter", "vault", "amm_pool", "margin_account"]
        crates += [n.replace("-", "_") for n, ok in later.items()
                   if ok and (n != "keeper-receiver" or c.get("keeper_receiver"))]
        self.uploads(crates)

        r.note("price feed(s)")
        for feed, f in c["feeds"].items():
            self.deploy(f"price-feed:{feed}", "price_feed", {
                **gov, "delay": delay, "reporter": roles["reporter"], "base": f["base"],
                "decimals": f["decimals"], "resolution": f["resolution"], "history": f["history"]})
            quoted = [{"Stellar": f"<token:{sym} id>"} for sym, a in c["assets"].items()
                      if feed in a["feeds"]]
            self.invoke(f"add_assets on price-feed:{feed}", f"<price-feed:{feed} id>",
                        "add_assets", {"assets": quoted})

        o = c["oracle"]
        r.note("oracle-adapter")
        adapter = self.deploy("oracle-adapter", "oracle_adapter", {
            **gov, "delay": delay, "base": o["base"], "decimals": o["decimals"],
            "resolution": o["resolution"]})

        r.note("one vault per asset")
        for sym, a in c["assets"].items():
            v = a["vault"]
            self.deploy(f"vault:{sym}", "vault", {
                **gov, "timelock_delay": delay, "asset": f"<token:{sym} id>",
                "name": v["name"], "symbol": v["symbol"], "params": v["params"]})

        r.note("AMM pool(s)")
        for pool, p in c.get("pools", {}).items():
            self.deploy(f"amm-pool:{pool}", "amm_pool", {
                "token_a": f"<token:{p['token_a']} id>", "token_b": f"<token:{p['token_b']} id>",
                "fee": p["fee"]})

        r.note("margin-account")
        margin = self.deploy("margin-account", "margin_account", {
            **gov, "delay": delay, "adapter": adapter, "params": c["margin_account"]["params"]})

        self.later_contracts(later, gov, delay, margin, adapter)

        r.note("first wiring: each vault names margin-account as its borrower (once, admin)")
        for sym in c["assets"]:
            self.invoke(f"set_borrower on vault:{sym}", f"<vault:{sym} id>", "set_borrower",
                        {"borrower": margin})
        r.note("first wiring: oracle-adapter names margin-account as its subscriber (quote cache)")
        self.invoke("set_subscriber on oracle-adapter", adapter, "set_subscriber",
                    {"subscriber": margin})
        if later["liquidation-auction"]:
            r.note("first wiring: margin-account names liquidation-auction as its liquidator")
            self.invoke("set_liquidator on margin-account", margin, "set_liquidator",
                        {"liquidator": "<liquidation-auction id>"})
        self.listing()
        self.handover()
        self.saved()
        self.closing_notes()

    def later_contracts(self, later, gov, delay, margin, adapter):
        """liquidation-auction and keeper-receiver, when their crates exist."""
        for name, ok in later.items():
            if not ok:
                self.runner.note(f"{name}: NOT PART OF THIS RELEASE ({LATER[name]} does not "
                                 "exist yet); nothing is deployed for it")
        if not later["liquidation-auction"]:
            self.runner.note("without liquidation-auction margin-account has no liquidator: no "
                             "account can be liquidated on this deployment")
            return
        self.runner.note("liquidation-auction")
        auction = self.deploy("liquidation-auction", "liquidation_auction", {
            **gov, "delay": delay, "margin": margin, "adapter": adapter,
            "params": self.config["liquidation_auction"]["params"]})
        receiver = self.config.get("keeper_receiver")
        if later["keeper-receiver"] and receiver:
            self.runner.note("keeper-receiver (flash-take helper owned by a keeper)")
            owner = self.address(receiver["owner"], "keeper_receiver.owner")
            self.deploy("keeper-receiver", "keeper_receiver", {"owner": owner,
                                                               "auction": auction})

    def listing(self):
        """The timelocked part of the wiring, as a proposal in the governance format."""
        c = self.config
        changes = []
        for sym, a in c["assets"].items():
            feeds = [{"contract": f"@price-feed:{f}", "asset": {"Stellar": f"@token:{sym}"}}
                     for f in a["feeds"]]
            subject = {"asset": f"@token:{sym}"}
            changes.append(change("oracle-adapter", "oracle-source", f"{sym} price source",
                                  subject, {"config": {"feeds": feeds, **a["source"]}}))
        for sym, a in c["assets"].items():
            config = {"vault": f"@vault:{sym}", **a["risk"]}
            changes.append(change("margin-account", "asset-config", f"list {sym}",
                                  {"asset": f"@token:{sym}"}, {"config": config}))
        for pool, p in c.get("pools", {}).items():
            if p.get("venue"):
                changes.append(change("margin-account", "venue", f"list the {pool} pool",
                                      {"venue": f"@amm-pool:{pool}"}, {"listed": True}))
        proposal = {"title": f"initial listing of the {self.args.network} deployment",
                    "description": "Written by scripts/deploy.sh from " + self.args.config,
                    "changes": changes}
        governance_plan.check(proposal, self.listing_path)
        if self.args.dry_run:
            self.runner.note(f"would write the listing proposal {self.listing_path}")
        else:
            netlib.save_json(self.listing_path, proposal)
        self.runner.note("timelocked listing: queue now, apply after the delay (separate step)")
        for number, ch in enumerate(changes, 1):
            if f"queue listing {number}" in self.done:
                self.runner.note(f"done by an earlier run: queue listing {number}")
                continue
            governance_plan.issue(self.runner, [(number, ch)], "queue", self.args.source,
                                  self.args.network, footer=False)
            self.done.append(f"queue listing {number}")
            self.saved()

    def handover(self):
        final = self.config.get("handover_admin")
        if not final:
            return
        new_admin = self.address(final, "handover_admin")
        self.runner.note("admin handover (two-step, timelocked): the new admin accepts after "
                         "the delay with accept_admin on each contract")
        for name in self.governed:
            self.invoke(f"propose_admin on {name}", f"<{name} id>", "propose_admin",
                        {"new_admin": new_admin})

    def closing_notes(self):
        a, r = self.args, self.runner
        r.note()
        r.note(f"contract ids: {a.out}" + (" (not written: dry run)" if a.dry_run else ""))
        r.note(f"NEXT (governance, after the timelock delay of {self.config['timelock_delay']} s):")
        r.note(f"  scripts/governance.sh apply --proposal {self.listing_path} --deployment "
               f"{a.out} --network {a.network} --source {a.source}")
        r.note("then the reporter publishes prices (price-feed set_prices), lenders fill the "
               "vaults and liquidity providers the pools")


def change(contract, kind, summary, subject, value):
    _, queue, apply_, cancel = governance_plan.CHANGES[kind]
    return {"contract": contract, "change": kind, "summary": summary,
            "queue": {"function": queue, "args": {**subject, **value}},
            "apply": {"function": apply_, "args": dict(subject)},
            "cancel": {"function": cancel, "args": dict(subject)}}


def parse(argv):
    p = argparse.ArgumentParser(prog="deploy_plan.py")
    for flag in ("--config", "--network", "--source", "--out"):
        p.add_argument(flag, required=True)
    for flag in ("--dry-run", "--no-build", "--fresh"):
        p.add_argument(flag, action="store_true")
    return p.parse_args(argv)


def main():
    args = parse(sys.argv[1:])
    config = netlib.load_json(args.config, "config")
    try:
        Deployment(args, config).run()
    except KeyError as e:
        netlib.fail(f"config {args.config}: missing field {e}")


if __name__ == "__main__":
    netlib.main(main)
