"""The batch entry points release the GIL while Rust works: another Python
thread runs during the call (a functional check, not a timing one).

The switch interval is raised for the duration, so the interpreter never
takes the GIL from the calling thread by itself: the other thread can run
inside the call only if the binding lets go of the GIL."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any, Callable, List

import pytest

import jindu


def ticks_during(work: Callable[[], Any]) -> int:
    stamps: List[float] = []
    stop = threading.Event()

    def spin() -> None:
        while not stop.is_set():
            stamps.append(time.perf_counter())
            time.sleep(0)

    old = sys.getswitchinterval()
    t = threading.Thread(target=spin)
    t.start()
    time.sleep(0.05)
    sys.setswitchinterval(1000.0)
    try:
        start = time.perf_counter()
        work()
        end = time.perf_counter()
    finally:
        sys.setswitchinterval(old)
        stop.set()
        t.join()
    return sum(1 for s in stamps if start < s < end)


def test_evaluate_rows_releases_the_gil() -> None:
    pa = pytest.importorskip("pyarrow")
    n = 150_000
    t = pa.table({
        "area": ["三湖镇"] * n, "level": ["township"] * n, "issuer_level": ["county"] * n,
        "tier": ["rectify"] * n, "listed_on": ["2018-06-01"] * n, "review_on": ["2020-06-01"] * n,
        "goal_met": [False] * n,
    })
    assert ticks_during(lambda: jindu.evaluate_rows(t, threads=1)) > 0


def test_evaluate_many_releases_the_gil() -> None:
    call = {"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "explain": False, "request": {
        "listing": {"area": {"name": "三湖镇", "level": "township"}, "issuer": {"level": "county"},
                    "tier": "rectify", "listed_on": "2018-06-01"}, "on": "2020-06-01"}}
    calls = [call] * 20_000
    assert ticks_during(lambda: jindu.evaluate_many(calls, threads=1)) > 0
