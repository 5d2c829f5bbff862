#!/usr/bin/env python3
"""Builds the seed corpora and the dictionary of the fuzz targets from spec/.

    python3 fuzz/seed.py            # writes fuzz/corpus/<target>/ and fuzz/corpus/jindu.dict

Seeds (one file per input, named by the hash of its content):
- fuzz_<op>: `[selector] request-json` for every case of spec/cases/ whose
  operation (or validate target) is <op>;
- fuzz_validate: `[selector] [target] request-json` for every case;
- fuzz_call: the call of every case, as the spec runner builds it;
- fuzz_tree: the call of every case (indented), and edges of the JSON grammar
  and of numbers;
- fuzz_plan: batches of numbers for each built-in rulebook's plan;
- fuzz_rulebook: every rulebook of spec/rulebooks/ and spec/samples/ alone,
  and followed by `NUL [selector] request-json` for cases of its rulebook
  (or of the rulebook it extends);
- fuzz/regressions/<target>/*: inputs that once crashed, kept in git.

The selector byte is decoded by fuzz/src/lib.rs (`Selector`): bits 0-2 index
the rulebooks sorted by id (bit 6 says "among all", as written here), bit 3
explain, bits 4-5 as_of, bit 7 select by jurisdiction. Only the standard
library is used.
"""
import hashlib
import json
import pathlib
import shutil

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
SPEC = ROOT / "spec"
OUT = FUZZ / "corpus"

TARGETS = ["list", "review", "consequences", "timeline", "assess", "rank", "duties"]
AS_OF = [None, "2018-06-01", "2020-02-29", "2019-12-31"]
RULEBOOK_CASES = 40  # cases paired with each rulebook in fuzz_rulebook


def dumps(v):
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


def load(p):
    return json.loads(p.read_text(encoding="utf-8"))


builtins = {}
for p in sorted((SPEC / "rulebooks").glob("*.json")):
    b = load(p)
    builtins[b["id"]] = b
ids = sorted(builtins)
assert len(ids) <= 8, "the selector has 3 bits for the rulebook"
by_jurisdiction = {b["jurisdiction"]["key"]: i for i, b in builtins.items()}

cases = []
for p in sorted((SPEC / "cases").glob("*.json")):
    cases.extend(load(p))


def selector(case, index_of=None):
    """The selector byte of a case (None when its rulebook is not a built-in)."""
    rb = case.get("rulebook")
    b = 0x40
    if rb is None:
        rb = by_jurisdiction.get(case.get("jurisdiction"))
        b |= 0x80
    if rb not in ids:
        return None
    b |= ids.index(rb) if index_of is None else index_of
    if case.get("explain", True):
        b |= 0x08
    if case.get("as_of") in AS_OF:
        b |= AS_OF.index(case.get("as_of")) << 4
    return b


def call_of(case):
    keys = ["operation", "target", "rulebook", "jurisdiction", "as_of", "explain", "receipt", "request"]
    return {k: case[k] for k in keys if case.get(k) is not None}


corpora = {}


def add(target, data):
    corpora.setdefault(target, set()).add(data)


for c in cases:
    req = dumps(c["request"]).encode()
    op = c["operation"]
    target = c.get("target") if op == "validate" else op
    add("fuzz_call", dumps(call_of(c)).encode())
    add("fuzz_tree", json.dumps(call_of(c), ensure_ascii=False, indent=1).encode())
    sel = selector(c)
    if sel is None:
        continue
    if target in TARGETS:
        add(f"fuzz_{target}", bytes([sel]) + req)
        add("fuzz_validate", bytes([sel, TARGETS.index(target)]) + req)

# Rulebooks, alone and with calls.
books = [(p, load(p)) for p in sorted((SPEC / "rulebooks").glob("*.json"))]
books += [(p, b) for p in sorted((SPEC / "samples").glob("*.json")) if isinstance((b := load(p)), dict) and "format" in b]
for p, book in books:
    text = p.read_bytes()
    add("fuzz_rulebook", text)
    base = book.get("extends") or book["id"]
    mine = [c for c in cases if c.get("rulebook") == base and (c.get("target") or c["operation"]) in TARGETS]
    # Spread the choice over the operations.
    mine.sort(key=lambda c: (TARGETS.index(c.get("target") or c["operation"]), c["id"]))
    step = max(1, len(mine) // RULEBOOK_CASES)
    for c in mine[::step][:RULEBOOK_CASES]:
        op = c.get("target") or c["operation"]
        b = TARGETS.index(op)
        if c["operation"] == "validate":
            b |= 0x40
        if c.get("explain", True):
            b |= 0x08
        if c.get("as_of") in AS_OF:
            b |= AS_OF.index(c.get("as_of")) << 4
        add("fuzz_rulebook", text + b"\0" + bytes([b]) + dumps(c["request"]).encode())

# Small rulebooks that extend a built-in and restate one of its sections (for
# assessment, one part of it): mutations then land in that section's checks
# and in the merge, not in 60 kB of rule texts.
HEADER = {"format", "id", "title", "document", "issuer", "jurisdiction", "in_force", "rules", "extends"}
for base_id, base in builtins.items():
    parts = []
    for k, v in base.items():
        if k in HEADER:
            continue
        parts.append((k, {k: v}))
        if k == "assessment" and isinstance(v, dict):
            parts += [(f"assessment-{sub}", {"assessment": {sub: x}}) for sub, x in v.items()]
    mine = [c for c in cases if c.get("rulebook") == base_id and c["operation"] in TARGETS][:6]
    for name, part in parts:
        child = {
            "format": 1,
            "id": f"fuzz-{name}",
            "extends": base_id,
            "title": {"zh": "模糊测试", "en": "fuzz"},
            "document": {"title": {"zh": "模糊测试", "en": "fuzz"}, "source": "fuzz"},
            "issuer": base["issuer"],
            "jurisdiction": {"key": "fuzz", "name": {"zh": "模糊测试", "en": "fuzz"}},
            "in_force": base["in_force"],
            **part,
            "rules": [],
        }
        text = json.dumps(child, ensure_ascii=False, indent=1).encode()
        add("fuzz_rulebook", text)
        for c in mine:
            b = TARGETS.index(c["operation"]) | (0x08 if c.get("explain", True) else 0)
            add("fuzz_rulebook", text + b"\0" + bytes([b]) + dumps(c["request"]).encode())

# The JSON reader: every edge of the grammar and of numbers, and the calls above.
for t in [
    "", " ", "null", "true", "false", "nul", "[]", "{}", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{1:1}", "\ufeff{}", "\"\\u00e9\\ud83d\\ude00\"",
    "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\\qb\"", "\"\x01\"", "-0", "-0.0", "01", "1.", "1e", "1e+", ".5", "-", "18446744073709551615",
    "18446744073709551616", "-9223372036854775808", "-9223372036854775809", "9007199254740993", "0.30000000000000004", "1.7976931348623157e308",
    "1.7976931348623159e308", "1e400", "1e-400", "4.9406564584124654e-324", "2.4703282292062328e-324", "1e2147483648", "1e-2147483648",
    "1" * 30 + "e-330", "0." + "0" * 20 + "1" * 30, "[" * 127 + "]" * 127, "[" * 128 + "]" * 128, "{\"a\":" * 130, "[1]\n\n  x",
]:
    add("fuzz_tree", t.encode())

# The plan's paths: each built-in rulebook (selector byte), batches of every
# kind of number a byte stands for (fuzz/src/lib.rs, `plan_number`), one
# block and more than one.
for sel in range(8):
    add("fuzz_plan", bytes([sel]) + bytes(range(256)))
    add("fuzz_plan", bytes([sel]) + bytes((i * 37 + sel) % 256 for i in range(4000)))
    add("fuzz_plan", bytes([sel]) + bytes([1, 85 << 2 & 255, 4 * 24 + 1, 0]) * 300)

# Inputs that once crashed.
for d in sorted((FUZZ / "regressions").glob("fuzz_*")):
    for f in sorted(d.iterdir()):
        add(d.name, f.read_bytes())

# Existing files are kept: libFuzzer adds what it finds to the same folders.
for target, inputs in sorted(corpora.items()):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    for data in inputs:
        (d / ("seed-" + hashlib.sha1(data).hexdigest())).write_bytes(data)

# The dictionary: every key and short string value of the cases and rulebooks,
# plus edge values (fuzz/dict/edge.dict).
tokens = set()


def walk(v):
    if isinstance(v, dict):
        for k, x in v.items():
            tokens.add(dumps(k))
            walk(x)
    elif isinstance(v, list):
        for x in v:
            walk(x)
    elif isinstance(v, str) and len(v.encode()) <= 40:
        tokens.add(dumps(v))
    elif isinstance(v, (int, float)) and not isinstance(v, bool):
        tokens.add(dumps(v))


walk(cases)
for _, b in books:
    walk(b)
for op in TARGETS + ["validate"]:
    tokens.add(dumps(op))


def dict_line(tok):
    out = []
    for byte in tok.encode():
        ch = chr(byte)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= byte < 0x7F:
            out.append(ch)
        else:
            out.append(f"\\x{byte:02X}")
    return '"' + "".join(out) + '"'


lines = [(FUZZ / "dict" / "edge.dict").read_text(encoding="utf-8").rstrip("\n")]
lines += [dict_line(t) for t in sorted(tokens)]
(OUT / "jindu.dict").write_text("\n".join(lines) + "\n", encoding="utf-8")

total = sum(len(v) for v in corpora.values())
print(f"seeded {total} inputs into {OUT.relative_to(ROOT)}/: " + ", ".join(f"{t} {len(v)}" for t, v in sorted(corpora.items())))
print(f"dictionary: {len(lines)} lines in {(OUT / 'jindu.dict').relative_to(ROOT)}")
