"""Throughput of ``jindu.assess_table`` for 1M rows, next to the native figure.

Builds the records of ``core/examples/plan_bench.rs`` (record ``i`` from
``i`` alone, same formulas, see there) as a pyarrow Table with numpy (a
value not supplied is null), times ``jindu.assess_table`` on it with one
thread and with all cores, and through pandas and Polars (each the fastest
of three runs); then runs the
native example on the same records, checks that both count the same
verdicts, and prints the ratios. Prints figures; asserts only the agreement
of the verdict counts.

Run: ``python py/bench/bench_assess.py [N] [RULEBOOK] [--no-native]`` (needs a
release build of the package for meaningful figures, and cargo for the
native figure).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pyarrow as pa

import jindu

REPO = Path(__file__).resolve().parents[2]
VERDICTS = ["met", "unmet", "vetoed", "incomplete", "not_provided"]


def rows(n: int, rulebook: str) -> Any:
    """The benchmark records as a pyarrow Table (vectorised: no Python object per row)."""
    i = np.arange(n, dtype=np.int64)
    good = i % 4 == 0
    cols: Dict[str, Any] = {}
    spec = jindu.assess_table_columns(rulebook)
    values = [c for c in spec if c["kind"] in ("indicator", "input")]
    for c, col in enumerate(values):
        unit = col["unit"]
        if unit == "percent":
            v = np.where(good, 100.0, 80.0 + ((37 * i + 11 * c) % 201) / 10.0)
        elif unit == "count":
            v = np.where(good, 0.0, ((7 * i + 3 * c) % 5 == 0).astype(np.float64))
        else:
            v = np.where(good, (4 + i % 10).astype(np.float64), ((13 * i + c) % 40).astype(np.float64))
        cols[col["column"]] = pa.array(v, mask=((i + 3 * c) % 17 == 0))
    trends = list(dict.fromkeys(c["key"] for c in spec if c["kind"] == "series"))
    for t, key in enumerate(trends):
        for s, suffix in enumerate(("@-2", "@-1", "@0")):
            v = np.where(good, [100.0, 60.0, 30.0][s], (((s + 3) * i + 5 * t) % 50).astype(np.float64))
            cols[key + suffix] = pa.array(v, mask=((i + s) % 11 == 0))
    judgements = [c["column"] for c in spec if c["kind"] == "judgement"]
    for j, key in enumerate(judgements):
        k = (i + j) % 3
        cols[key] = pa.array(k == 1, mask=(k == 0))
    cols["score"] = pa.array((i % 101).astype(np.float64), mask=(i % 10 == 0))
    return pa.table(cols)


def counts(out: Any) -> List[int]:
    v = out.column("verdict").to_pylist() if hasattr(out, "column") else out["verdict"].to_list()
    return [v.count(x) for x in VERDICTS] + [v.count(None)]


def timed(label: str, n: int, f: Any, repeat: int = 3) -> Tuple[float, Any]:
    """The fastest of ``repeat`` runs (as the native example times its fastest of three)."""
    dt = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        dt = min(dt, time.perf_counter() - t0)
    rate = n / dt
    print(f"python  {label:<48} {n} rows in {dt:6.3f} s = {rate:>10,.0f} rows/s")
    return rate, out


def native(n: int, rulebook: str) -> Tuple[Optional[float], Optional[List[int]]]:
    cmd = ["cargo", "run", "-q", "--release", "-p", "jindu-core", "--example", "plan_bench", "--", str(n), rulebook]
    try:
        out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True, timeout=1800).stdout
    except (OSError, subprocess.SubprocessError) as e:
        print(f"native  (not run: {e})")
        return None, None
    print("native  " + out.strip())
    m = re.search(r"= (\d+) records/s", out)
    c = re.search(r"met (\d+), unmet (\d+), vetoed (\d+), incomplete (\d+), not_provided (\d+), errors (\d+)", out)
    return (float(m.group(1)) if m else None), ([int(x) for x in c.groups()] if c else None)


def main(argv: List[str]) -> int:
    n = next((int(a) for a in argv if a.isdigit()), 1_000_000)
    rulebook = next((a for a in argv if not a.isdigit() and not a.startswith("--")), "hengyang-county-2018-work-plan")
    t0 = time.perf_counter()
    table = rows(n, rulebook)
    print(f"built {n} rows x {table.num_columns} columns as Arrow in {time.perf_counter() - t0:.2f} s; cores: {os.cpu_count()}; {rulebook}")
    r1, out = timed("assess_table, pyarrow, 1 thread", n, lambda: jindu.assess_table(table, rulebook, threads=1))
    ra, _ = timed("assess_table, pyarrow, all cores", n, lambda: jindu.assess_table(table, rulebook))
    mine = counts(out)
    df = table.to_pandas()
    timed("assess_table, pandas in and out, all cores", n, lambda: jindu.assess_table(df, rulebook))
    try:
        import polars as pl

        pf = pl.from_arrow(table)
        timed("assess_table, Polars in and out, all cores", n, lambda: jindu.assess_table(pf, rulebook))
    except ImportError:
        pass
    print("python  verdicts " + ", ".join(f"{k} {c}" for k, c in zip(VERDICTS + ["errors"], mine)))
    if "--no-native" in argv:
        return 0
    nr, theirs = native(n, rulebook)
    if theirs is not None and theirs != mine:
        print(f"MISMATCH: native verdict counts {theirs} != python {mine}")
        return 1
    if nr:
        print(f"ratio   1 thread {r1 / nr:.2f} x native, all cores {ra / nr:.2f} x native (native is 1 thread; same verdicts)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
