"""The reporting example runs, and its numbers are the evaluation's; the README snippet runs."""

from __future__ import annotations

import csv
import datetime
import re
import runpy
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Dict, List

import jindu

PY = Path(__file__).resolve().parents[1]


def test_report_example(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, str(PY / "examples" / "report.py"), "--out", str(tmp_path), "--as-of", "2019-01-01"],
                         capture_output=True, text=True, check=True)
    html_path, csv_path = (Path(p) for p in out.stdout.split())
    page = html_path.read_text(encoding="utf-8")
    rows: List[Dict[str, Any]] = jindu.report(jindu.sample())["rows"]
    assert f'data-rows="{len(rows)}"' in page

    # tier counts in the chart = the evaluation's
    bars = re.findall(r'class="bar" data-county="([^"]*)" data-tier="([^"]*)" data-count="(\d+)"', page)
    assert bars
    ns = runpy.run_path(str(PY / "examples" / "report.py"))
    want = Counter(ns["tier_label"](r) for r in rows if r["ok"])
    got = Counter({t: int(n) for _, t, n in bars})
    assert +got == want
    assert {c for c, _, _ in bars} == {"湖南省衡阳市衡阳县"} or len({c for c, _, _ in bars}) == 1

    # every upcoming deadline on the calendar, none other
    marks = re.findall(r'class="deadline" data-area="([^"]*)" data-deadline="([^"]*)"', page)
    as_of = datetime.date(2019, 1, 1)
    want_marks = sorted(
        (str(r["area"]), str(r["deadline"])) for r in rows
        if r["ok"] and r.get("deadline") and r.get("status") != "cancelled" and datetime.date.fromisoformat(r["deadline"]) >= as_of
    )
    assert sorted(marks) == want_marks and want_marks
    assert f'id="upcoming" data-count="{len(want_marks)}"' in page

    # unmet conditions per listing, each with its rule
    for r in rows:
        if r["ok"] and r.get("unmet_conditions"):
            m = re.search(rf'class="unmet" data-area="{re.escape(str(r["area"]))}" data-count="(\d+)"', page)
            assert m and int(m.group(1)) == len(r["unmet_conditions"])
            for u in r["unmet_conditions"]:
                assert f'data-rule="{u}"' in page

    # bad rows are listed
    assert page.count('class="error"') == sum(1 for r in rows if not r["ok"])

    # the CSV beside it carries the same numbers
    with csv_path.open(encoding="utf-8-sig") as f:
        lines = list(csv.DictReader(f))
    assert len(lines) == len(rows)
    for line, r in zip(lines, rows):
        assert line["area"] == str(r["area"])
        assert line["deadline"] == (r.get("deadline") or "")
        assert line["outcome"] == (r.get("outcome") or "")
        assert line["unmet_conditions"].split() == list(r.get("unmet_conditions") or [])


def test_quickstart_runs() -> None:
    out = subprocess.run([sys.executable, str(PY / "examples" / "quickstart.py")], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("extend under art13.p1.rectify_extension")
    assert "error no_such_day at on" in out.stdout


def test_readme_snippets_run() -> None:
    text = (PY / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has a Python example"
    for b in blocks:
        exec(compile(b, "README.md", "exec"), {"__name__": "readme"})


def test_top_level_readme_python_section_runs() -> None:
    # The repository's README has a Python section too; its example must run.
    text = (PY.parent / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the top-level README has a Python example"
    for b in blocks:
        exec(compile(b, "README.md", "exec"), {"__name__": "readme"})
