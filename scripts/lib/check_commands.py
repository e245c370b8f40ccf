"""Checks printed stellar-cli calls (a dry run's output, on stdin) against the contract sources.

For every `stellar contract deploy` (the constructor) and `stellar contract invoke` whose target
is one of the project's contracts (known from the `<vault wasm hash>` / `<vault:XLM id>`
placeholders of a dry run), it checks that the entry point exists, that the arguments are exactly
its parameters, and that each value has the form stellar-cli parses into the parameter's type:
the mistakes a dry run cannot reveal and a real run would only reveal on the network.

Sources are read, not compiled: entry points are the `pub fn` whose first parameter is `Env`
(plus the `Governed` trait's functions in crates that implement it), types are the `struct` and
`enum` definitions of the crate and of libs/sep40.
"""

import glob
import json
import os
import re
import shlex
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLACEHOLDER = re.compile(r"<[^<>]+>")
STRKEY = re.compile(r"[CG][A-Z2-7]{55}")


def split_top(text, sep=","):
    """Splits at `sep` outside brackets."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch in "<([{"
        depth -= ch in ">)]}"
        if ch == sep and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts if p.strip()]


def params(text, start):
    """The `name: Type` list of the parameter list opening at text[start] == '('."""
    depth = 0
    for i in range(start, len(text)):
        depth += text[i] == "("
        depth -= text[i] == ")"
        if depth == 0:
            return [tuple(s.strip() for s in p.split(":", 1)) for p in split_top(text[start + 1:i])]
    return []


class Crate:
    def __init__(self, directory):
        self.functions, self.types = {}, {}
        files = glob.glob(os.path.join(directory, "src", "**", "*.rs"), recursive=True)
        sources = {f: open(f, encoding="utf-8").read() for f in files}
        governed = any(re.search(r"Governed for \w+", s) for s in sources.values())
        lib_files = glob.glob(os.path.join(ROOT, "libs", "sep40", "src", "*.rs"))
        if governed:
            lib_files.append(os.path.join(ROOT, "libs", "governance", "src", "governed.rs"))
        for f in lib_files:
            sources[f] = open(f, encoding="utf-8").read()
        for path, text in sources.items():
            trait = path.endswith("governed.rs")
            for m in re.finditer(r"(pub )?fn (\w+)\s*(<[^>]*>)?\s*\(", text):
                ps = params(text, m.end() - 1)
                if ps and ps[0][-1] in ("Env", "&soroban_sdk::Env") and (m.group(1) or trait):
                    self.functions[m.group(2)] = ps[1:]
            for m in re.finditer(r"(#\[repr\(u32\)\]\s*)?pub (struct|enum) (\w+)\s*\{", text):
                body = text[m.end():text.index("\n}", m.end())]
                body = re.sub(r"//[^\n]*", "", body)
                self.types[m.group(3)] = (m.group(2), bool(m.group(1)), split_top(body))


def check(value, ty, crate, where, json_level):
    """Returns a list of problems of `value` (a JSON value, or a raw string at the top level)."""
    ty = ty.replace("soroban_sdk::", "").replace("sep40::", "").strip()
    bad = [f"{where}: {value!r} is not a {ty}"]
    if isinstance(value, str) and PLACEHOLDER.fullmatch(value):
        return []
    if ty == "Address":
        return [] if isinstance(value, str) and STRKEY.fullmatch(value) else bad
    if ty == "i128":
        return [] if isinstance(value, str) and re.fullmatch(r"-?\d+", value) else bad
    if ty in ("u32", "u64"):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        ok = ok or (not json_level and isinstance(value, str) and value.isdigit())
        return [] if ok else bad
    if ty == "bool":
        return [] if value in (True, False) or (not json_level and value in ("true", "false")) \
            else bad
    if ty in ("String", "Symbol"):
        return [] if isinstance(value, str) else bad
    if ty == "BytesN<32>":
        return [] if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value) else bad
    if not json_level and isinstance(value, str):  # a composite value is one JSON argument
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            return [f"{where}: {value!r} is not JSON"]
    if ty.startswith("Option<"):
        return [] if value is None else check(value, ty[7:-1], crate, where, True)
    if ty.startswith("Vec<"):
        if not isinstance(value, list):
            return bad
        return [e for i, v in enumerate(value) for e in check(v, ty[4:-1], crate,
                                                              f"{where}[{i}]", True)]
    if ty.startswith("("):
        types = split_top(ty[1:-1])
        if not isinstance(value, list) or len(value) != len(types):
            return bad
        return [e for i, (v, t) in enumerate(zip(value, types))
                for e in check(v, t, crate, f"{where}.{i}", True)]
    if ty not in crate.types:
        return [f"{where}: type {ty} not found in the sources"]
    kind, int_enum, items = crate.types[ty]
    if kind == "struct":
        fields = dict(tuple(s.strip() for s in f.replace("pub ", "", 1).split(":", 1))
                      for f in items if ":" in f)
        if not isinstance(value, dict) or set(value) != set(fields):
            return [f"{where}: {ty} needs exactly the fields {sorted(fields)}"]
        return [e for k, t in fields.items() for e in check(value[k], t, crate,
                                                            f"{where}.{k}", True)]
    if int_enum:
        return [] if isinstance(value, int) and not isinstance(value, bool) else bad
    variants = {}
    for item in items:
        m = re.fullmatch(r"(\w+)\s*(\((.*)\))?", item.strip(), re.S)
        if m:
            variants[m.group(1)] = split_top(m.group(3) or "")
    if isinstance(value, str):
        return [] if variants.get(value) == [] else bad
    if not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in variants:
        return [f"{where}: {value!r} is not a variant of {ty} ({', '.join(variants)})"]
    name, inner = next(iter(value.items()))
    types = variants[name]
    if len(types) == 1:
        return check(inner, types[0], crate, f"{where}.{name}", True)
    return check(inner, "(" + ", ".join(types) + ")", crate, f"{where}.{name}", True)


def target(argv):
    """(crate directory, function, argument list) of a printed command, or None."""
    if argv[:3] == ["stellar", "contract", "deploy"] and "--wasm-hash" in argv:
        m = re.fullmatch(r"<(\w+) wasm hash>", argv[argv.index("--wasm-hash") + 1])
        return (m.group(1).replace("_", "-"), "__constructor",
                argv[argv.index("--") + 1:]) if m else None
    if argv[:3] == ["stellar", "contract", "invoke"]:
        m = re.fullmatch(r"<([\w-]+)(:[^>]*)? id>", argv[argv.index("--id") + 1])
        slop = argv[argv.index("--") + 1:]
        return (m.group(1), slop[0], slop[1:]) if m and m.group(1) != "token" else None
    return None


def main():
    crates, problems, checked = {}, [], 0
    for line in sys.stdin:
        if not line.startswith("stellar contract "):
            continue
        found = target(shlex.split(line))
        if not found:
            continue
        name, function, rest = found
        directory = os.path.join(ROOT, "contracts", name)
        if not os.path.isdir(directory):
            problems.append(f"{name}: no contracts/{name} for: {line.strip()[:100]}")
            continue
        crate = crates.setdefault(name, Crate(directory))
        where = f"{name}.{function}"
        if function not in crate.functions:
            problems.append(f"{where}: no such entry point in contracts/{name}")
            continue
        given = dict(zip(rest[0::2], rest[1::2]))
        wanted = dict(crate.functions[function])
        if [k[2:] for k in given] != list(wanted):
            problems.append(f"{where}: arguments {[k[2:] for k in given]}, "
                            f"entry point takes {list(wanted)}")
            continue
        for flag, value in given.items():
            problems += check(value, wanted[flag[2:]], crate, f"{where}({flag[2:]})", False)
        checked += 1
    for p in problems:
        print("check_commands: " + p, file=sys.stderr)
    if checked == 0:
        print("check_commands: no contract call found in the input", file=sys.stderr)
    print(f"check_commands: {checked} calls checked against the sources, "
          f"{len(problems)} problems")
    sys.exit(1 if problems or checked == 0 else 0)


if __name__ == "__main__":
    main()
