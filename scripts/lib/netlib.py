"""Shared machinery of the network scripts (deploy.sh, governance.sh): printing and running
stellar-cli commands, placeholders for values not known yet, and the deployment file.

A command is a list of arguments. Arguments may hold placeholders such as `<margin-account id>`
or `<vault wasm hash>`: values that an earlier command produces. A dry run prints every command
with the placeholders left in and runs nothing, so it needs neither stellar-cli, nor a network,
nor keys. A real run substitutes each placeholder by the captured value, refuses to run a command
that still holds one, and checks that every captured value looks like what it should be (a
contract id, a wasm hash, an account address) before anything uses it.

stellar-cli 27 facts relied on here (from its manual and argument parser):
- `stellar contract invoke --id C... --source-account NAME --network NAME -- fn --arg value`;
  `stellar contract deploy ... -- --arg value` passes constructor arguments the same way.
- Inside a JSON argument an i128 must be a JSON *string* and a u32/u64 a JSON *number*; a struct
  is an object keyed by field names; a union variant is `"Name"` or `{"Name": value}`; an integer
  enum is a number; an Address is a strkey (identity names are only resolved at the top level).
- Commands print their result (contract id, wasm hash, return value) on stdout, logs on stderr.
"""

import json
import os
import re
import shlex
import subprocess
import sys

# Networks stellar-cli knows by name; the keeper needs the RPC URL and passphrase.
NETWORKS = {
    "testnet": ("https://soroban-testnet.stellar.org", "Test SDF Network ; September 2015"),
    "futurenet": ("https://rpc-futurenet.stellar.org", "Test SDF Future Network ; October 2022"),
    "mainnet": (None, "Public Global Stellar Network ; September 2015"),
    "local": ("http://localhost:8000/rpc", "Standalone Network ; February 2017"),
}

PLACEHOLDER = re.compile(r"<[^<>\n]+>")
CONTRACT_ID = r"C[A-Z2-7]{55}"
ACCOUNT_ID = r"G[A-Z2-7]{55}"
WASM_HASH = r"[0-9a-f]{64}"


class Failure(Exception):
    """A problem with the input or a failed command: printed, exit status 1."""


def fail(message):
    raise Failure(message)


def network_info(name):
    rpc_url, passphrase = NETWORKS.get(name, (None, None))
    return {"name": name, "rpc_url": rpc_url, "passphrase": passphrase}


def is_strkey(value, pattern):
    return isinstance(value, str) and re.fullmatch(pattern, value) is not None


def cli_value(value):
    """A JSON value as one stellar-cli argument: strings as they are, the rest as compact JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))


def invoke(contract, function, args, source, network, send=None):
    """`stellar contract invoke` of `function` with `args` (a dict, in the order given)."""
    argv = ["stellar", "contract", "invoke", "--id", contract,
            "--source-account", source, "--network", network]
    if send:
        argv += ["--send", send]
    argv += ["--", function]
    for name, value in args.items():
        argv += ["--" + name, cli_value(value)]
    return argv


class Runner:
    """Prints commands and, unless dry, runs them, capturing their results as named values."""

    def __init__(self, dry_run, values=None, on_capture=None):
        self.dry_run = dry_run
        self.values = dict(values or {})
        self.on_capture = on_capture

    def resolve(self, text):
        return PLACEHOLDER.sub(lambda m: self.values.get(m.group(0)[1:-1], m.group(0)), text)

    def note(self, text=""):
        print(("# " + text) if text else "")

    def known(self, name):
        return name in self.values

    def run(self, argv, capture=None, expect=None):
        """Runs `argv`; with `capture`, stores its last stdout line under that placeholder name."""
        argv = [self.resolve(a) for a in argv]
        print(shlex.join(argv), flush=True)
        if self.dry_run:
            return None
        left = [a for a in argv if PLACEHOLDER.search(a)]
        if left:
            fail("internal: unresolved value in a command to run: " + ", ".join(left))
        done = subprocess.run(argv, stdout=subprocess.PIPE, text=True, check=False)
        if done.returncode != 0:
            fail(f"command failed with status {done.returncode}: {shlex.join(argv)}")
        lines = [line.strip() for line in done.stdout.splitlines() if line.strip()]
        out = lines[-1] if lines else ""
        if expect and not re.fullmatch(expect, out):
            fail(f"unexpected output {out!r} (wanted {expect}) from: {shlex.join(argv)}")
        if capture:
            self.values[capture] = out
            if self.on_capture:
                self.on_capture(capture, out)
        return out


def load_json(path, what):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        fail(f"{what} {path} does not exist")
    except json.JSONDecodeError as e:
        fail(f"{what} {path}: invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}")


def save_json(path, data):
    """Writes atomically, so an interrupted run never leaves half a deployment file."""
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)


def main(body):
    """Runs `body()`, turning a Failure into a message on stderr and status 1."""
    try:
        body()
    except Failure as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(1)
