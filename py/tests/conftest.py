"""Shared helpers of the Python tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Tuple

REPO = Path(__file__).resolve().parents[2]
SPEC_CASES = REPO / "spec" / "cases"


def spec_cases() -> List[Tuple[str, Dict[str, Any]]]:
    """Every case of every ``spec/cases/*.json`` file, found afresh on each run."""
    out: List[Tuple[str, Dict[str, Any]]] = []
    for f in sorted(SPEC_CASES.glob("*.json")):
        for case in json.loads(f.read_text(encoding="utf-8")):
            out.append((f.name, case))
    return out


def call_of(case: Dict[str, Any]) -> Dict[str, Any]:
    """The call a case stands for, built as spec/README.md says."""
    call: Dict[str, Any] = {"operation": case["operation"]}
    for k in ("target", "rulebook", "jurisdiction", "as_of", "explain", "receipt"):
        if case.get(k) is not None:
            call[k] = case[k]
    call["request"] = case["request"]
    return call


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def match(expected: Any, actual: Any, path: str, why: List[str], present: bool = True) -> bool:
    """The spec's pattern matcher (spec/README.md, "Matching expected").

    ``present`` is False when the key is absent from the actual object.
    """
    if expected is None:
        ok = (not present) or actual is None
        if not ok:
            why.append(f"{path}: expected absent or null, got {json.dumps(actual, ensure_ascii=False)}")
        return ok
    if not present:
        why.append(f"{path}: expected {json.dumps(expected, ensure_ascii=False)}, got nothing")
        return False
    if isinstance(expected, dict) and any(k in expected for k in ("$includes", "$excludes", "$len")):
        if not isinstance(actual, list):
            why.append(f"{path}: expected an array, got {json.dumps(actual, ensure_ascii=False)}")
            return False
        ok = True
        for item in expected.get("$includes", []):
            if not any(match(item, x, path, []) for x in actual):
                why.append(f"{path}: no element matches {json.dumps(item, ensure_ascii=False)}")
                ok = False
        for item in expected.get("$excludes", []):
            if any(match(item, x, path, []) for x in actual):
                why.append(f"{path}: an element matches excluded {json.dumps(item, ensure_ascii=False)}")
                ok = False
        if "$len" in expected and len(actual) != expected["$len"]:
            why.append(f"{path}: expected {expected['$len']} elements, got {len(actual)}")
            ok = False
        return ok
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            why.append(f"{path}: expected an object, got {json.dumps(actual, ensure_ascii=False)}")
            return False
        ok = True
        for k, v in expected.items():
            ok &= match(v, actual.get(k), f"{path}.{k}", why, present=k in actual)
        return ok
    if isinstance(expected, list):
        if not isinstance(actual, list):
            why.append(f"{path}: expected an array, got {json.dumps(actual, ensure_ascii=False)}")
            return False
        if len(actual) != len(expected):
            why.append(f"{path}: expected {len(expected)} elements, got {len(actual)}: {json.dumps(actual, ensure_ascii=False)}")
            return False
        ok = True
        for i, (e, a) in enumerate(zip(expected, actual)):
            ok &= match(e, a, f"{path}[{i}]", why)
        return ok
    if _is_number(expected) and _is_number(actual):
        ok = float(expected) == float(actual)
    else:
        ok = type(expected) is type(actual) and expected == actual
    if not ok:
        why.append(f"{path}: expected {json.dumps(expected, ensure_ascii=False)}, got {json.dumps(actual, ensure_ascii=False)}")
    return ok
