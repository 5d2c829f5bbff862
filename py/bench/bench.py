"""Throughput of the batch path for 1M review rows, next to the native Rust figure.

Builds the same rows as ``core/examples/batch_native.rs`` (row ``i`` from ``i``
alone, see there), as a pyarrow Table with numpy, and times
``jindu.evaluate_rows`` on it (review only, and review + consequences), with
one thread and with all cores; then runs the native example for the same
rows and prints both figures. Prints figures only; asserts nothing.

Run: ``python py/bench/bench.py [N] [--no-native]`` (needs a release build of
the package for meaningful figures, and cargo for the native figure).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import numpy as np
import pyarrow as pa

import jindu

REPO = Path(__file__).resolve().parents[2]


def rows(n: int) -> Any:
    """The benchmark rows as a pyarrow Table (vectorised: no Python object per row)."""
    i = np.arange(n, dtype=np.int64)
    base = np.datetime64("2018-06-01", "D")
    listed = base + (i % 365).astype("timedelta64[D]")
    ext = ((i // 2) % 2).astype(np.uint8)
    review = listed + (200 + i % 700).astype("timedelta64[D]")
    goal = pa.array(np.where(i % 3 == 0, True, False), mask=(i % 3 == 2))
    app_codes = (i % 4).astype(np.int8)
    application = pa.DictionaryArray.from_arrays(
        pa.array(app_codes, mask=(app_codes == 0)), pa.array(["none", "extend", "lower", "cancel"])
    )
    names = pa.array([f"镇{k}" for k in range(1000)])
    cols: Dict[str, Any] = {
        "area": pa.DictionaryArray.from_arrays(pa.array((i % 1000).astype(np.int32)), names),
        "level": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int8)), pa.array(["township"])),
        "issuer_level": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int8)), pa.array(["county"])),
        "tier": pa.DictionaryArray.from_arrays(pa.array((i % 2).astype(np.int8)), pa.array(["supervise", "rectify"])),
        "listed_on": pa.array(listed),
        "extensions_used": pa.array(ext),
        "status": pa.DictionaryArray.from_arrays(pa.array(ext.astype(np.int8)), pa.array(["active", "extended"])),
        "review_on": pa.array(review),
        "goal_met": goal,
        "special_circumstances": pa.array(i % 5 == 0),
        "negligence": pa.array(i % 7 == 0),
        "application": application,
    }
    met = pa.array(i % 11 != 0)
    for c in jindu.batch_columns():
        if c["column"].count(".") == 1:
            cols[c["column"]] = met
    return pa.table(cols)


def timed(label: str, table: Any, **kw: Any) -> float:
    t0 = time.perf_counter()
    out = jindu.evaluate_rows(table, **kw)
    dt = time.perf_counter() - t0
    ok = out.column("ok").to_numpy().sum()
    rate = table.num_rows / dt
    print(f"python  {label:<44} {table.num_rows} rows in {dt:6.3f} s = {rate:>10,.0f} rows/s ({ok} ok)")
    return rate


def native(n: int, consequences: bool) -> Optional[float]:
    cmd = ["cargo", "run", "-q", "--release", "-p", "jindu-core", "--example", "batch_native", "--", str(n)]
    if consequences:
        cmd.append("--consequences")
    try:
        out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True, timeout=1800).stdout
    except (OSError, subprocess.SubprocessError) as e:
        print(f"native  (not run: {e})")
        return None
    print("native  " + out.strip())
    m = re.search(r"= (\d+) rows/s", out)
    return float(m.group(1)) if m else None


def main(argv: List[str]) -> int:
    n = next((int(a) for a in argv if a.isdigit()), 1_000_000)
    t0 = time.perf_counter()
    table = rows(n)
    print(f"built {n} rows as Arrow in {time.perf_counter() - t0:.2f} s; cores: {os.cpu_count()}")
    ra1 = timed("review, 1 thread", table, consequences=False, threads=1)
    ra = timed("review, all cores", table, consequences=False)
    rc1 = timed("review + consequences, 1 thread", table, threads=1)
    rc = timed("review + consequences, all cores", table)
    df = table.to_pandas()
    t1 = time.perf_counter()
    jindu.evaluate_rows(df, consequences=False)
    print(f"python  {'review via pandas (incl. conversion), all cores':<44} {n} rows in {time.perf_counter() - t1:6.3f} s")
    if "--no-native" in argv:
        return 0
    nr = native(n, False)
    nc = native(n, True)
    if nr:
        print(f"ratio   review:                 1 thread {ra1 / nr:.2f} x native, all cores {ra / nr:.2f} x native (native is 1 thread)")
    if nc:
        print(f"ratio   review + consequences:  1 thread {rc1 / nc:.2f} x native, all cores {rc / nc:.2f} x native")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
