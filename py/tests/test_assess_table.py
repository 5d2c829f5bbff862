"""assess_table: many areas assessed at once by the compiled plan; agreement
with the JSON ``assess`` on random rows of every built-in rulebook with
assessment rules; bad values named by column; unusable tables; pandas and Polars."""

from __future__ import annotations

import datetime
import json
import math
import random
from typing import Any, Dict, List, Optional, Set, Tuple

import pytest

import jindu
from test_gil import ticks_during

pa = pytest.importorskip("pyarrow")

ASSESSMENT_BOOKS = [
    "hengyang-county-2018-work-plan",
    "pingxiang-2018-demonstration-city",
    "sinan-county-20xx-assessment",
    "qianxinan-2018-dispatch",
    "guiyang-2018-goal-frame",
]
WORK_PLAN = "hengyang-county-2018-work-plan"


def section(rulebook: str) -> Dict[str, Any]:
    out: Dict[str, Any] = json.loads(jindu.rulebook_text(rulebook))["assessment"]
    return out


def thresholds(a: Dict[str, Any]) -> List[float]:
    out = [0.0, 1.0, 2.0, 150.0, 300.0]
    for i in a.get("indicators", []):
        t = (i.get("comparison") or {}).get("threshold") or {}
        if "value" in t:
            out.append(float(t["value"]))
    for v in a.get("vetoes", []):
        out.extend(float(c["value"]) for c in v.get("any_of", []))
    out.extend(float(b["from"]) for b in a.get("brackets", []))
    return out


def good_value(a: Dict[str, Any], key: str, unit: str) -> float:
    """A value that meets its standard (the path to "met")."""
    for i in a.get("indicators", []):
        if i["key"] != key or not i.get("comparison"):
            continue
        c = i["comparison"]
        t = c["threshold"]
        if "value" in t:
            v = float(t["value"])
            return {"gte": v, "eq": v, "gt": min(v + 1, 100.0) if unit == "percent" else v + 1}.get(c["op"], 0.0 if c["op"] in ("lte", "lt") else v)
        return 100.0 if c["op"] in ("gte", "gt") else 0.0
    return 50.0 if unit == "percent" else 150.0


def random_rows(rulebook: str, n: int, seed: int) -> Tuple[Dict[str, List[Any]], List[Dict[str, Any]]]:
    """``n`` random rows as columns, and the same rows as ``assess`` requests."""
    rng = random.Random(seed)
    a = section(rulebook)
    cols = jindu.assess_table_columns(rulebook)
    ths = thresholds(a)
    data: Dict[str, List[Any]] = {c["column"]: [] for c in cols}
    requests: List[Dict[str, Any]] = []
    trends = a.get("trends", [])
    for _ in range(n):
        kind = rng.random()
        good = kind < 0.45  # every value meets its standard...
        sparse = 0.25 < kind < 0.45  # ...but some are not supplied
        values: Dict[str, float] = {}
        series: Dict[str, List[float]] = {}
        judgements: Dict[str, bool] = {}
        for c in cols:
            if c["kind"] not in ("indicator", "input"):
                continue
            unit = c["unit"]
            v: Optional[float]
            if good:
                v = None if sparse and rng.random() < 0.3 else good_value(a, c["key"], unit)
            elif rng.random() < 0.15:
                v = None
            else:
                near = rng.choice(ths)
                v = rng.choice([near, near + 1, max(near - 1, 0.0), rng.randrange(0, 240) / 2])
                if unit == "percent":
                    v = min(v, 100.0)
                if unit == "count":
                    v = float(round(v))
            data[c["column"]].append(v)
            if v is not None:
                values[c["key"]] = v
        for t in trends:
            if sparse and rng.random() < 0.5:
                s = []
            elif good:
                s = {("level", "rise"): [1.0, 10.0], ("level", "fall"): [100.0, 40.0], ("growth_rate", "rise"): [1.0, 2.0, 6.0],
                     ("growth_rate", "fall"): [1.0, 4.0, 5.0]}[(t["measure"], t["direction"])]
            else:
                s = [float(rng.randrange(0, 6)) for _ in range(rng.randrange(0, 5))]
            slots: List[Optional[float]] = [None, None, None]
            for k, x in enumerate(s[-3:][::-1]):
                slots[2 - k] = x
            for k, suffix in enumerate(("@-2", "@-1", "@0")):
                data[t["key"] + suffix].append(slots[k])
            if s:
                series[t["key"]] = s
        for j in a.get("judgements", []):
            b = False if good else rng.choice([None, True, False])
            data[j["key"]].append(b)
            if b is not None:
                judgements[j["key"]] = b
        score = None if rng.random() < 0.3 else float(rng.randrange(0, 101))
        data["score"].append(score)
        req: Dict[str, Any] = {"area": {"name": "某区", "level": "county"}, "on": "2019-06-30",
                               "values": values, "series": series, "judgements": judgements}
        if score is not None:
            req["score"] = score
        requests.append(req)
    return data, requests


def arrow_table(rulebook: str, data: Dict[str, List[Any]], seed: int) -> Any:
    """The columns as Arrow, each numeric column of a randomly chosen numeric type."""
    rng = random.Random(seed)
    units = {c["column"]: (c["kind"], c["unit"]) for c in jindu.assess_table_columns(rulebook)}
    arrays = {}
    for name, vals in data.items():
        kind, unit = units[name]
        if kind == "judgement":
            arrays[name] = pa.array(vals, type=pa.bool_())
        elif unit == "count" and all(v is None or float(v).is_integer() for v in vals):
            t = rng.choice([pa.int64(), pa.int32(), pa.uint16(), pa.float64(), pa.float32()])
            arrays[name] = pa.array([None if v is None else (int(v) if pa.types.is_integer(t) else v) for v in vals], type=t)
        else:
            # multiples of 0.5 are exact in float32 as in float64
            arrays[name] = pa.array(vals, type=rng.choice([pa.float64(), pa.float64(), pa.float32()]))
    return pa.table(arrays)


def expected(answer: Dict[str, Any]) -> Dict[str, Any]:
    """What assess_table gives for a row, from the JSON answer."""
    return {
        "verdict": answer["verdict"],
        "unmet": {i["indicator"] for i in answer["indicators"] if i["status"] == "unmet"}
        | {t["trend"] for t in answer["trends"] if t["status"] in ("unmet", "unchanged")},
        "missing": set(answer["missing"]),
        "vetoes": {(v["veto"], v["status"]) for v in answer["vetoes"] if v["status"] != "does_not_apply"},
        "outcomes": {(o["outcome"], o["status"]) for o in answer["outcomes"]},
        "brackets": {b["bracket"] for b in answer.get("brackets", [])},
        "score": answer.get("score"),
        "points": answer.get("points"),
    }


def got(row: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "verdict": row["verdict"],
        "unmet": set(row["unmet"]),
        "missing": set(row["missing"]),
        "vetoes": {(v["veto"], v["status"]) for v in row["vetoes"]},
        "outcomes": {(o["outcome"], o["status"]) for o in row["outcomes"]},
        "brackets": set(row["brackets"]),
        "score": row["score"],
        "points": row["points"],
    }


def assert_lists_in_order(out: Any) -> None:
    """Every row's key lists follow their dictionary's order (the plan's:
    columns, then trends; vetoes, outcomes and brackets as the rulebook lists
    them), each key at most once."""
    for name, field in [("unmet", None), ("missing", None), ("vetoes", "veto"), ("outcomes", "outcome"), ("brackets", None)]:
        for chunk in out.column(name).chunks:
            values = chunk.values if field is None else chunk.values.field(field)
            keys = values.indices.to_pylist()
            offsets = chunk.offsets.to_pylist()
            for a, b in zip(offsets, offsets[1:]):
                row = keys[a:b]
                assert row == sorted(set(row)), (name, row)


@pytest.mark.parametrize("rulebook", ASSESSMENT_BOOKS)
def test_random_rows_agree_with_assess(rulebook: str) -> None:
    n = 600
    data, requests = random_rows(rulebook, n, seed=ASSESSMENT_BOOKS.index(rulebook))
    table = arrow_table(rulebook, data, seed=7)
    out = jindu.assess_table(table, rulebook, threads=1).to_pylist()
    answers = jindu.evaluate_many([{"operation": "assess", "rulebook": rulebook, "explain": False, "request": r} for r in requests])
    assert len(out) == n
    assert_lists_in_order(jindu.assess_table(table, rulebook, threads=1))
    verdicts = set()
    for k, (row, resp, req) in enumerate(zip(out, answers, requests)):
        assert resp["ok"], (k, req, resp)
        assert row["ok"] and row["errors"] is None, (k, row)
        assert got(row) == expected(resp["answer"]), (k, req)
        verdicts.add(row["verdict"])
    # not agreement on one easy case
    assert len(verdicts) >= (1 if rulebook == "guiyang-2018-goal-frame" else 3), verdicts


def test_the_random_rows_reach_every_verdict() -> None:
    seen: Set[str] = set()
    for rb in ASSESSMENT_BOOKS:
        data, _ = random_rows(rb, 300, seed=1)
        seen |= set(jindu.assess_table(pa.table(data), rb).column("verdict").to_pylist())
    assert seen == {"met", "unmet", "vetoed", "incomplete", "not_provided"}


def test_threads_and_chunks_keep_the_order() -> None:
    data, requests = random_rows(WORK_PLAN, 2000, seed=3)
    one = pa.table(data)
    chunked = pa.Table.from_batches(one.to_batches(max_chunksize=333) * 20)
    a = jindu.assess_table(chunked, WORK_PLAN, threads=1)
    b = jindu.assess_table(chunked, WORK_PLAN, threads=4)
    assert a.num_rows == b.num_rows == 40_000
    assert a.to_pylist() == b.to_pylist()
    assert a.slice(0, 2000).to_pylist() == jindu.assess_table(one, WORK_PLAN).to_pylist()


def test_bad_values_are_row_errors_naming_the_column() -> None:
    rows = {
        "area": ["a", "b", "c", "d", "e", "f", "g"],
        "compulsory_rehab_rate": [90.0, -1.0, 100.5, math.inf, 90.0, math.nan, None],
        "cultivation_cases": [0.0, 0.0, 0.0, 0.0, 1.5, 0.0, 2.0],
        "outflow_trafficker_arrests@-1": [10.0, None, None, None, -3.0, None, None],
        "outflow_trafficker_arrests@0": [5.0, None, None, None, 2.0, None, None],
        "score": [80.0, None, None, None, -1.0, None, None],
    }
    out = jindu.assess_table(pa.table(rows), WORK_PLAN, keep=["area"]).to_pylist()
    assert [r["area"] for r in out] == rows["area"]  # no row dropped, order kept
    assert [r["ok"] for r in out] == [True, False, False, False, False, True, True]
    for r in out:
        if not r["ok"]:
            assert r["verdict"] is None and r["unmet"] is None and r["score"] is None
    cols = [[(e["column"], e["code"]) for e in (r["errors"] or [])] for r in out]
    assert cols[1] == [("compulsory_rehab_rate", "out_of_range")]
    assert cols[2] == [("compulsory_rehab_rate", "out_of_range")]
    assert cols[3] == [("compulsory_rehab_rate", "out_of_range")]
    # every bad value of a row, each with its column
    assert set(cols[4]) == {("cultivation_cases", "out_of_range"), ("outflow_trafficker_arrests@-1", "out_of_range"), ("score", "out_of_range")}
    e = out[1]["errors"][0]
    assert e["path"] == "values.compulsory_rehab_rate" and "负数" in e["msg_zh"] and "negative" in e["msg_en"]
    assert "0 到 100" in out[2]["errors"][0]["msg_zh"] and "100.5" in out[2]["errors"][0]["msg_en"]
    assert "有限" in out[3]["errors"][0]["msg_zh"]
    whole = next(x for x in out[4]["errors"] if x["column"] == "cultivation_cases")
    assert "整数" in whole["msg_zh"] and "1.5" in whole["msg_en"]
    # NaN is "not supplied", as null is
    assert "compulsory_rehab_rate" in out[5]["missing"] and "compulsory_rehab_rate" in out[6]["missing"]
    # the same values through the JSON call layer are errors at the same field
    r = jindu.call({"operation": "assess", "rulebook": WORK_PLAN, "request": {
        "area": {"name": "b", "level": "county"}, "on": "2019-06-30", "values": {"compulsory_rehab_rate": -1.0}}})
    assert [(x["path"], x["code"]) for x in r["errors"]] == [("values.compulsory_rehab_rate", "out_of_range")]


def test_a_null_is_not_supplied_whatever_lies_under_it() -> None:
    """Arrow leaves the value under a null unspecified: NaN (as from pandas,
    read in place), a bad number or a good one (copied), it is never read."""
    n = 200
    nulls = [i % 3 == 0 for i in range(n)]
    validity = pa.array([not x for x in nulls]).buffers()[1]
    nan_under = [math.nan] * n
    mixed = list(nan_under)
    mixed[150] = -5.0  # a bad number under a null in the last block
    mixed[189] = 95.0  # and a good one
    for under in (nan_under, mixed):
        values = [90.0 if i % 3 else under[i] for i in range(n)]
        col = pa.Array.from_buffers(pa.float64(), n, [validity, pa.array(values, type=pa.float64()).buffers()[1]])
        assert col.null_count == 67 and col.to_pylist()[150] is None
        for c in (col, col.slice(1), col.slice(64 * 2 + 5)):
            out = jindu.assess_table(pa.table({"compulsory_rehab_rate": c}), WORK_PLAN, threads=1).to_pylist()
            assert all(r["ok"] for r in out)
            assert [("compulsory_rehab_rate" in r["missing"]) for r in out] == nulls[n - len(c):]


def test_nothing_is_clipped() -> None:
    out = jindu.assess_table(pa.table({"compulsory_rehab_rate": [100.0, 0.0], "class_hours": [1e12, 0.0]}), WORK_PLAN).to_pylist()
    assert all(r["ok"] for r in out)
    assert "compulsory_rehab_rate" not in out[0]["unmet"] and "compulsory_rehab_rate" in out[1]["unmet"]


def frame_errors(data: Any, rulebook: str = WORK_PLAN, **kw: Any) -> List[Tuple[str, str]]:
    with pytest.raises(jindu.InputError) as e:
        jindu.assess_table(data, rulebook, **kw)
    assert isinstance(e.value, ValueError)
    return [(x["path"], x["code"]) for x in e.value.errors()]


def test_unknown_and_mistyped_columns_raise() -> None:
    t = pa.table({"area": ["a"], "compulsory_rehab_rat": [90.0], "cultivation_cases": [0]})
    errs = frame_errors(t)
    assert ("area", "unknown_field") in errs and ("compulsory_rehab_rat", "unknown_field") in errs and len(errs) == 2
    with pytest.raises(jindu.InputError) as e:
        jindu.assess_table(t, WORK_PLAN)
    assert "keep=" in e.value.errors()[0]["msg_en"] and "assess_table_columns" in e.value.errors()[0]["msg_en"]
    # kept, or ignored
    out = jindu.assess_table(t, WORK_PLAN, keep=["area"], extra="ignore")
    assert out.column_names[:2] == ["area", "ok"] and "compulsory_rehab_rat" not in out.column_names
    assert "compulsory_rehab_rate" in out.column("missing")[0].as_py()
    # a read column may be kept too
    out = jindu.assess_table(t.drop(["compulsory_rehab_rat"]), WORK_PLAN, keep=["cultivation_cases", "area"])
    assert out.column_names[:3] == ["cultivation_cases", "area", "ok"]
    assert frame_errors(t.drop(["compulsory_rehab_rat"]), keep=["area", "nope"]) == [("keep[1]", "unknown_field")]
    assert frame_errors(pa.table({"score": [1.0]}), keep=["score"]) == [("keep[0]", "inconsistent")]
    assert frame_errors(pa.table({"cultivation_cases": ["0"]})) == [("cultivation_cases", "wrong_type")]
    assert frame_errors(pa.table({"listed_by_city": [1]})) == [("listed_by_city", "wrong_type")]
    assert frame_errors(pa.table({"x": [1]}), extra="nope") == [("extra", "unknown_value")]
    assert frame_errors(pa.table({"x": [1]}), rulebook="nope")[0] == ("rulebook", "unknown_rulebook")
    assert frame_errors(pa.table({"x": [1]}), rulebook="hengyang-county-2018-rectification")[0] == ("rulebook", "not_in_rulebook")


def test_score_column_name_and_judgements() -> None:
    t = pa.table({"cadres_involved": [2, 2, 2, 0], "not_seriously_performing": [True, None, False, True], "total": [91.0, 91.0, 91.0, 91.0]})
    out = jindu.assess_table(t, "sinan-county-20xx-assessment", score="total").to_pylist()
    assert [r["verdict"] for r in out] == ["vetoed", "incomplete", "not_provided", "incomplete"]
    assert [r["score"] for r in out] == [0.0, 91.0, 91.0, 91.0]
    assert out[0]["vetoes"] == [{"veto": "cadres_or_students", "status": "applies"}]
    assert out[1]["outcomes"] == [{"outcome": "veto_score_zero", "status": "requires_judgement"}]
    assert frame_errors(t, rulebook="sinan-county-20xx-assessment")[0] == ("total", "unknown_field")


def test_series_columns() -> None:
    # 下降50%: 100 -> 50 meets it; a null period cuts the series
    t = pa.table({
        "outflow_trafficker_arrests@-2": [None, None, 7.0, None],
        "outflow_trafficker_arrests@-1": [100.0, 100.0, None, 100.0],
        "outflow_trafficker_arrests@0": [50.0, 51.0, 50.0, 100.0],
    })
    out = jindu.assess_table(t, WORK_PLAN).to_pylist()
    assert ["outflow_trafficker_arrests" in r["unmet"] for r in out] == [False, True, False, True]
    assert ["outflow_trafficker_arrests" in r["missing"] for r in out] == [False, False, True, False]


def test_on_checks_the_rulebook_is_in_force() -> None:
    t = pa.table({"compulsory_rehab_rate": [90.0]})
    assert jindu.assess_table(t, WORK_PLAN, on=datetime.date(2019, 6, 30)).num_rows == 1
    assert frame_errors(t, on="2020-06-01") == [("on", "rulebook_not_in_force")]
    assert frame_errors(t, on="2019-02-29") == [("on", "invalid_date")]


def test_empty_tables() -> None:
    empty = pa.table({"compulsory_rehab_rate": pa.array([], pa.float64()), "area": pa.array([], pa.string())})
    out = jindu.assess_table(empty, WORK_PLAN, keep=["area"])
    assert out.num_rows == 0
    assert out.column_names == ["area", "ok", "verdict", "unmet", "missing", "vetoes", "outcomes", "brackets", "score", "points", "errors"]
    batch = jindu.assess_table(empty.to_batches()[0] if empty.to_batches() else pa.RecordBatch.from_pylist([], schema=empty.schema), WORK_PLAN, keep=["area"])
    assert isinstance(batch, pa.RecordBatch) and batch.num_rows == 0
    # no column at all: every row is judged on nothing supplied
    out = jindu.assess_table(pa.table({"area": ["a", "b"]}), WORK_PLAN, keep=["area"])
    assert out.column("verdict").to_pylist() == ["incomplete", "incomplete"]


def test_record_batch_in_record_batch_out() -> None:
    b = pa.RecordBatch.from_pydict({"compulsory_rehab_rate": [84.0, 85.0]})
    out = jindu.assess_table(b, WORK_PLAN)
    assert isinstance(out, pa.RecordBatch)
    assert ["compulsory_rehab_rate" in u for u in out.column(out.schema.get_field_index("unmet")).to_pylist()] == [True, False]


def test_pandas_frame() -> None:
    pd = pytest.importorskip("pandas")
    np = pytest.importorskip("numpy")
    df = pd.DataFrame({
        "area": ["西渡镇", "台源镇", "井头镇"],
        "compulsory_rehab_rate": [84.0, np.nan, 101.0],  # NaN: not supplied
        "cultivation_cases": pd.array([0, None, 1], dtype="Int64"),
        "listed_by_city": pd.array([True, None, False], dtype="boolean"),
    })
    out = jindu.assess_table(df, WORK_PLAN, keep=["area"])
    assert isinstance(out, pd.DataFrame)
    assert list(out["area"]) == ["西渡镇", "台源镇", "井头镇"]
    assert str(out["verdict"].dtype) == "category"
    assert out["verdict"].tolist()[:2] == ["unmet", "incomplete"] and pd.isna(out["verdict"][2])
    assert "compulsory_rehab_rate" in list(out["unmet"][0]) and "compulsory_rehab_rate" in list(out["missing"][1])
    # the list columns stay Arrow (no Python object per row)
    assert isinstance(out["unmet"].dtype, pd.ArrowDtype)
    assert out["unmet"].list.len().tolist()[:2] == [1, 0] and out["unmet"].tolist()[1] == []
    assert list(out["outcomes"][0]) == [{"outcome": "accountability_listed_by_city", "status": "applies"}]
    assert out["errors"][2][0]["column"] == "compulsory_rehab_rate"


def test_polars_frames() -> None:
    pl = pytest.importorskip("polars")
    df = pl.DataFrame({"area": ["西渡镇", "台源镇"], "compulsory_rehab_rate": [84.0, None], "listed_by_county": [True, None]})
    out = jindu.assess_table(df, WORK_PLAN, keep=["area"])
    assert isinstance(out, pl.DataFrame)
    assert out["area"].to_list() == ["西渡镇", "台源镇"]
    assert out["verdict"].cast(pl.String).to_list() == ["unmet", "incomplete"]
    assert out["unmet"].to_list()[0] == ["compulsory_rehab_rate"]
    lazy = jindu.assess_table(df.lazy(), WORK_PLAN, keep=["area"])
    assert lazy["verdict"].cast(pl.String).to_list() == ["unmet", "incomplete"]
    s = jindu.assess_table(df.drop("area").to_struct("x"), WORK_PLAN)
    assert isinstance(s, pl.Series) and s.struct.field("ok").to_list() == [True, True]


def test_the_column_contract() -> None:
    cols = jindu.assess_table_columns(WORK_PLAN)
    names = [c["column"] for c in cols]
    assert names[:2] == ["cultivation_cases", "production_cases"]
    assert ["outflow_trafficker_arrests@-2", "outflow_trafficker_arrests@-1", "outflow_trafficker_arrests@0"] == [c["column"] for c in cols if c["kind"] == "series"]
    assert {c["kind"] for c in cols} == {"indicator", "series", "judgement", "score"}
    assert next(c for c in cols if c["column"] == "compulsory_rehab_rate")["unit"] == "percent"
    assert jindu.assess_table_columns("nope") == []
    for rb in ASSESSMENT_BOOKS:  # no name has two meanings in a built-in rulebook
        names = [c["column"] for c in jindu.assess_table_columns(rb)]
        assert len(names) == len(set(names)), rb


def test_assess_table_releases_the_gil() -> None:
    np = pytest.importorskip("numpy")
    n = 1_000_000
    t = pa.table({"compulsory_rehab_rate": np.arange(n, dtype=np.float64) % 100, "cultivation_cases": np.zeros(n)})
    assert ticks_during(lambda: jindu.assess_table(t, WORK_PLAN, threads=1)) > 0
