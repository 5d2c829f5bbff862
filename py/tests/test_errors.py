"""Structured errors: InputError, Python values without a JSON form, panics."""

from __future__ import annotations

import datetime
import decimal
from typing import Any, Dict, List

import pytest

import jindu

LISTING: Dict[str, Any] = {
    "area": {"name": "三湖镇", "level": "township"},
    "issuer": {"level": "county"},
    "tier": "rectify",
    "listed_on": "2018-06-01",
}


def errors_of(request: Dict[str, Any]) -> List[Dict[str, Any]]:
    with pytest.raises(jindu.InputError) as e:
        jindu.review(request)
    return [dict(x) for x in e.value.errors()]


def codes_at(errors: List[Dict[str, Any]]) -> Dict[str, str]:
    return {e["path"]: e["code"] for e in errors}


def test_input_error_is_value_error_with_every_error() -> None:
    errs = errors_of({"listing": {**LISTING, "listed_on": "2019-02-29"}, "on": "2019-1-01"})
    assert codes_at(errs) == {"listing.listed_on": "no_such_day", "on": "invalid_date"}
    for e in errs:
        assert set(e) == {"code", "loc", "path", "msg_zh", "msg_en"}
        assert e["msg_zh"] and e["msg_en"]
    assert errs[0]["loc"] == ["listing", "listed_on"]
    with pytest.raises(ValueError):
        jindu.review({})


@pytest.mark.parametrize(
    "value,code",
    [
        (None, "missing_field"),
        (20180601, "wrong_type"),
        (True, "wrong_type"),
        (float("nan"), "out_of_range"),
        (datetime.datetime(2018, 6, 1, 12, 0), "invalid_date"),
        ("June 1st", "invalid_date"),
        ({1, 2}, "wrong_type"),
        (object(), "wrong_type"),
    ],
)
def test_bad_python_values_for_a_date(value: Any, code: str) -> None:
    errs = errors_of({"listing": LISTING, "on": value})
    assert codes_at(errs) == {"on": code}


@pytest.mark.parametrize(
    "value,code",
    [
        (True, "wrong_type"),
        ("1", "wrong_type"),
        (-1, "out_of_range"),
        (256, "out_of_range"),
        (10**30, "out_of_range"),
        (10**400, "out_of_range"),
        (1.5, "out_of_range"),
        (float("inf"), "out_of_range"),
        (float("nan"), "out_of_range"),
        (decimal.Decimal(1), "wrong_type"),
    ],
)
def test_bad_python_values_for_a_number(value: Any, code: str) -> None:
    errs = errors_of({"listing": {**LISTING, "extensions_used": value}, "on": "2020-06-01"})
    assert codes_at(errs) == {"listing.extensions_used": code}


@pytest.mark.parametrize("value", [1, "yes", float("nan"), [True]])
def test_bad_python_values_for_a_bool(value: Any) -> None:
    errs = errors_of({"listing": LISTING, "on": "2020-06-01", "facts": {"goal_met": value}})
    assert [e["path"] for e in errs] == ["facts.goal_met"]


def test_numpy_scalars_count_as_their_python_kind() -> None:
    np = pytest.importorskip("numpy")
    a = jindu.review({"listing": {**LISTING, "extensions_used": np.int64(0)}, "on": "2020-06-01", "facts": {"goal_met": np.bool_(True)}})
    b = jindu.review({"listing": {**LISTING, "extensions_used": 0}, "on": "2020-06-01", "facts": {"goal_met": True}})
    assert a.to_dict() == b.to_dict()


def test_non_string_keys_and_deep_nesting() -> None:
    errs = errors_of({"listing": LISTING, "on": "2020-06-01", 3: "x"})  # type: ignore[dict-item]
    assert errs[0]["code"] == "wrong_type"
    deep: Any = []
    for _ in range(200):
        deep = [deep]
    errs = errors_of({"listing": LISTING, "on": "2020-06-01", "officials": deep})
    assert errs and all(e["code"] in ("wrong_type",) for e in errs)


def test_same_errors_as_json() -> None:
    # a Python value with a JSON form gives exactly the JSON call's errors
    import json

    req = {"listing": {**LISTING, "tier": "none", "status": "extended"}, "on": "2017-01-01", "facts": {"goal_met": "no"}}
    call = {"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "request": req}
    assert jindu.call(call) == json.loads(jindu.call_json(json.dumps(call)))


def test_validate_reports_marshalling_errors() -> None:
    v = jindu.validate("review", {"listing": LISTING, "on": float("nan")})
    assert not v.valid
    assert [e["code"] for e in v.errors] == ["out_of_range"]


def test_panic_never_reaches_python() -> None:
    r = jindu._jindu._panic_for_test()
    assert r["ok"] is False
    assert r["errors"][0]["code"] == "internal_error"
    assert "deliberate panic" in r["errors"][0]["msg_en"]


def test_error_paths_parse_like_the_core() -> None:
    e = jindu.InputError([{"code": "x", "path": "officials[1].name", "msg_zh": "", "msg_en": ""}])
    assert e.errors()[0]["loc"] == ["officials", 1, "name"]
    assert "officials[1].name" in str(e)
