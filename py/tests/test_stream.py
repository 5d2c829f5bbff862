"""evaluate_stream: responses in order, lazily, one chunk in memory at a time."""

from __future__ import annotations

import itertools
from typing import Any, Dict, Iterator, List

import pytest

import jindu

RB = "hengyang-county-2018-rectification"


def review(on: str) -> Dict[str, Any]:
    return {
        "operation": "review",
        "rulebook": RB,
        "explain": False,
        "request": {
            "listing": {
                "area": {"name": "三湖镇", "level": "township"},
                "issuer": {"level": "county"},
                "tier": "rectify",
                "listed_on": "2018-06-01",
            },
            "on": on,
            "facts": {"goal_met": False, "special_circumstances": True},
        },
    }


def mixed(n: int) -> List[Dict[str, Any]]:
    """Good calls with bad ones between them (a day that does not exist, an unknown operation, a wrong type)."""
    out: List[Dict[str, Any]] = []
    for i in range(n):
        k = i % 5
        if k == 1:
            out.append(review("2019-02-29"))
        elif k == 3:
            out.append({"operation": "predict", "rulebook": RB, "request": {}})
        elif k == 4:
            out.append({"operation": "duties", "rulebook": "qianxinan-2018-dispatch", "request": {"on": 20181115}})
        else:
            out.append(review("2020-06-%02d" % (1 + i % 28)))
    return out


@pytest.mark.parametrize("chunk", [1, 3, 7, 1024])
def test_responses_in_order_equal_to_evaluate_many(chunk: int) -> None:
    calls = mixed(50)
    streamed = list(jindu.evaluate_stream(iter(calls), chunk=chunk))
    assert streamed == jindu.evaluate_many(calls)
    assert [r["ok"] for r in streamed[:5]] == [True, False, True, False, False]
    assert streamed[1]["errors"][0]["code"] == "no_such_day"
    assert streamed[3]["errors"][0]["code"] == "unknown_operation"
    assert streamed[4]["errors"][0]["code"] == "wrong_type"
    assert streamed[0]["answer"]["outcome"] == "extend"


def test_reads_lazily_one_chunk_ahead_at_most() -> None:
    pulled = 0

    def endless() -> Iterator[Dict[str, Any]]:
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield review("2020-06-%02d" % (1 + i % 28))

    rs = jindu.evaluate_stream(endless(), chunk=16)
    for k, r in enumerate(itertools.islice(rs, 40), start=1):
        assert r["ok"] is True
        assert pulled - k < 16, f"{pulled} calls read for {k} responses"
    assert pulled == 48


def test_empty_stream_and_bad_chunk() -> None:
    assert list(jindu.evaluate_stream([])) == []
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError):
            next(jindu.evaluate_stream([review("2020-06-01")], chunk=bad))  # type: ignore[arg-type]


def test_an_unconvertible_value_is_that_calls_error_only() -> None:
    calls = [review("2020-06-01"), {**review("2020-06-01"), "as_of": object()}, review("2020-06-02")]
    rs = list(jindu.evaluate_stream(calls, chunk=2))
    assert [r["ok"] for r in rs] == [True, False, True]
