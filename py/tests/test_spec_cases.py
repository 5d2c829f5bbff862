"""Every conformance case of spec/cases through the Python package.

The cases are discovered at collection time, so a case added to any
``spec/cases/*.json`` file is run with no change here.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List

import pytest

import jindu
from conftest import SPEC_CASES, call_of, match, spec_cases

CASES = spec_cases()


def test_cases_found() -> None:
    assert SPEC_CASES.is_dir()
    assert len(CASES) > 0
    ids = [c["id"] for _, c in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique across files"


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[f"{f}::{c['id']}" for f, c in CASES])
def test_case(case: Dict[str, Any]) -> None:
    call = call_of(case)
    response = jindu.call(call)
    why: List[str] = []
    assert match(case["expected"], response, "response", why), "\n".join(why)
    # Exactly the Rust answer: the Python call gives the very response the
    # core's JSON text entry point gives for the same call.
    assert response == json.loads(jindu.call_json(json.dumps(call, ensure_ascii=False)))


def test_matcher_rules() -> None:
    why: List[str] = []
    assert match({"a": 1}, {"a": 1.0, "b": 2}, "r", why)
    assert match({"a": None}, {}, "r", why)
    assert match({"a": None}, {"a": None}, "r", why)
    assert not match({"a": None}, {"a": 0}, "r", why)
    assert not match({"a": 1}, {}, "r", why)
    assert not match([1, 2], [1, 2, 3], "r", why)
    assert match([{"x": 1}], [{"x": 1, "y": 2}], "r", why)
    assert match({"$includes": [1, {"k": "v"}]}, [{"k": "v", "z": 0}, 3, 1], "r", why)
    assert not match({"$includes": [9]}, [1], "r", why)
    assert match({"$excludes": [{"k": "w"}]}, [{"k": "v"}], "r", why)
    assert not match({"$excludes": [{"k": "v"}]}, [{"k": "v", "z": 1}], "r", why)
    assert match({"$len": 2}, [0, 0], "r", why)
    assert not match({"$len": 1}, [0, 0], "r", why)
    assert not match({"$len": 0}, "not a list", "r", why)
    assert not match(True, 1, "r", why)
    assert not match("a", "b", "r", why)
