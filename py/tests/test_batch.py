"""The columnar batch path: pandas, Arrow, Polars; bad rows; agreement with the call layer."""

from __future__ import annotations

import datetime
import random
from typing import Any, Dict, List, Optional

import pytest

import jindu

pa = pytest.importorskip("pyarrow")
pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

CONDITIONS = [c["column"] for c in jindu.batch_columns() if c["column"].count(".") == 1]


def base_rows() -> Dict[str, List[Any]]:
    return {
        "area": ["西渡镇", "三湖镇", "台源镇", "井头镇"],
        "level": ["township"] * 4,
        "issuer_level": ["county"] * 4,
        "tier": ["rectify", "rectify", "supervise", "supervise"],
        "listed_on": ["2018-06-01", "2018-06-01", "2019-02-29", "2018-06-01"],
        "extensions_used": [0, 1, 0, 0],
        "status": ["active", "extended", "active", "active"],
        "review_on": ["2020-06-01", "2021-06-01", "2020-01-01", "2019-06-01"],
        "goal_met": [False, False, None, True],
        "special_circumstances": [True, None, None, None],
        "application": [None, "extend", None, "cancel"],
    }


def row_request(row: Dict[str, Any]) -> Dict[str, Any]:
    """The JSON request a row stands for, built independently of the Rust reader."""

    def put(d: Dict[str, Any], path: str, v: Any) -> None:
        keys = path.split(".")
        for k in keys[:-1]:
            d = d.setdefault(k, {})
        d[keys[-1]] = v

    req: Dict[str, Any] = {}
    spec = {c["column"]: c["path"] for c in jindu.batch_columns()}
    for col, v in row.items():
        if v is None or (isinstance(v, float) and np.isnan(v)):
            continue
        if col == "failed_annual_assessment":
            continue
        path = spec[col]
        if isinstance(v, (datetime.date, pd.Timestamp)):
            v = v.strftime("%Y-%m-%d")
        if isinstance(v, np.generic):
            v = v.item()
        put(req, path, v)
    return req


def test_pandas_frame_row_for_row() -> None:
    df = pd.DataFrame(base_rows())
    out = jindu.evaluate_rows(df)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == jindu.batch_output_columns()
    assert len(out) == len(df)
    assert out["ok"].tolist() == [True, True, False, True]
    assert out["outcome"].tolist()[:2] == ["extend", "continue_listing"]
    assert out["outcome"].tolist()[3] == "cancel" or out["ok"][3]
    assert pd.Timestamp(out["deadline"][0]).date() == datetime.date(2021, 6, 1)
    bad = out["errors"][2]
    assert [e["code"] for e in bad] == ["no_such_day"]
    assert bad[0]["path"] == "listing.listed_on" and bad[0]["column"] == "listed_on"
    assert out["errors"][0] is None
    assert "art13.p1.rectify_extension" in list(out["cited"][0])


def test_agrees_with_call_layer_on_the_same_rows() -> None:
    df = pd.DataFrame(base_rows())
    out = jindu.evaluate_rows(df, consequences=False)
    for i, row in enumerate(df.to_dict("records")):
        r = jindu.call({"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "explain": False, "request": row_request(row)})
        assert bool(out["ok"][i]) == r["ok"], i
        if r["ok"]:
            a = r["answer"]
            assert out["outcome"][i] == a["outcome"]
            assert out["rule"][i] == a["rule"]
            assert out["tier"][i] == a["tier"]
            assert list(out["cited"][i]) == a["cited"]
            assert list(out["unmet_conditions"][i]) == a["unmet_conditions"]
        else:
            assert [(e["code"], e["path"]) for e in out["errors"][i]] == [(e["code"], e["path"]) for e in r["errors"]]


CORRUPTIONS: List[Any] = [
    ("area", " "),
    ("level", "village"),
    ("level", "county"),
    ("level", "galaxy"),
    ("issuer_level", "township"),
    ("issuer_level", "province"),
    ("tier", "watch"),
    ("tier", "none"),
    ("tier", "bogus"),
    ("listed_on", "2019-02-29"),
    ("listed_on", "2018/06/01"),
    ("extensions_used", 2),
    ("extensions_used", 300),
    ("extensions_used", -1),
    ("status", "cancelled"),
    ("status", "odd"),
    ("status", "extended"),
    ("status", "continued"),
    ("application", "upgrade"),
    ("categories", ["drug_abuse", "drug_abuse"]),
    ("categories", ["nonsense"]),
    ("review_on", "2018-01-01"),
    ("deadline", "2017-01-01"),
]


def random_rows(n: int, seed: int) -> List[Dict[str, Any]]:
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        listed = datetime.date(2018, 5, 2) + datetime.timedelta(days=rnd.randrange(0, 800))
        ext = rnd.choice([0, 0, 1])
        row: Dict[str, Any] = {
            "area": rnd.choice(["三湖镇", "西渡镇", "井头镇"]),
            "level": "township",
            "issuer_level": "county",
            "tier": rnd.choice(["rectify", "supervise"]),
            "listed_on": listed.isoformat(),
            "deadline": rnd.choice([None] * 8 + [(listed + datetime.timedelta(days=rnd.randrange(0, 900))).isoformat()]),
            "extensions_used": ext,
            "status": rnd.choice([None, "active"]) if ext == 0 else "extended",
            "review_on": (listed + datetime.timedelta(days=rnd.randrange(0, 1200))).isoformat(),
            "goal_met": rnd.choice([None, True, False]),
            "special_circumstances": rnd.choice([None, True, False]),
            "negligence": rnd.choice([None, True, False]),
            "application": rnd.choice([None, None, "extend", "lower", "cancel"]),
            "categories": rnd.choice([None, ["drug_abuse"], [], ["outflow_trafficking", "other"]]),
        }
        for c in CONDITIONS:
            row[c] = rnd.choice([None, True, True, True, False])
        if rnd.random() < 0.4:
            for _ in range(rnd.choice([1, 1, 2])):
                k, v = rnd.choice(CORRUPTIONS)
                row[k] = v
        rows.append(row)
    return rows


def test_random_rows_agree_with_call_layer() -> None:
    rows = random_rows(600, seed=5)
    df = pd.DataFrame(rows)
    out = jindu.evaluate_rows(df, consequences=False)
    oks = 0
    for i, row in enumerate(rows):
        r = jindu.call({"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "explain": False, "request": row_request(row)})
        assert bool(out["ok"][i]) == r["ok"], (i, row, r, out["errors"][i])
        if r["ok"]:
            oks += 1
            a = r["answer"]
            got = out.iloc[i]
            assert (got["outcome"], got["rule"], got["tier"], got["status"], int(got["extensions_used"])) == (
                a["outcome"], a["rule"], a["tier"], a["status"], a["extensions_used"]), (i, row)
            assert list(got["cited"]) == a["cited"]
            assert list(got["unmet_conditions"]) == a["unmet_conditions"]
            assert list(got["refused"]) == [x["action"] for x in a["refused"]]
            want_deadline = a.get("deadline", {}) or {}
            got_deadline = None if pd.isna(got["deadline"]) else pd.Timestamp(got["deadline"]).date().isoformat()
            assert got_deadline == want_deadline.get("effective")
            assert [m["measure"] for m in got["consequences"]] == [m["measure"] for m in a["measures"]]
        else:
            want = sorted((e["code"], e["path"]) for e in r["errors"])
            have = sorted((e["code"], e["path"]) for e in out["errors"][i])
            assert have == want, (i, row)
    assert 150 < oks < 550, oks  # both kinds of row are exercised


def test_arrow_table_and_record_batch() -> None:
    t = pa.table(base_rows())
    out = jindu.evaluate_rows(t)
    assert isinstance(out, pa.Table) and out.num_rows == 4
    assert out.column("ok").to_pylist() == [True, True, False, True]
    rb = t.to_batches()[0]
    out2 = jindu.evaluate_rows(rb)
    assert isinstance(out2, pa.RecordBatch) and out2.num_rows == 4
    assert out2.to_pylist() == out.to_pylist()
    assert out.schema.field("deadline").type == pa.date32()


def test_arrow_native_types() -> None:
    rows = base_rows()
    t = pa.table(
        {
            **rows,
            "listed_on": pa.array([datetime.date(2018, 6, 1)] * 4, pa.date32()),
            "review_on": pa.array([datetime.datetime(2020, 6, 1)] * 4, pa.timestamp("ns")),
            "extensions_used": pa.array([0, 1, 0, None], pa.uint8()),
            "area": pa.array(rows["area"]).dictionary_encode(),
            "tier": pa.array(rows["tier"], pa.large_string()),
        }
    )
    out = jindu.evaluate_rows(t)
    assert out.column("ok").to_pylist() == [True, True, True, True]
    t2 = t.set_column(t.schema.get_field_index("review_on"), "review_on", pa.array([datetime.datetime(2020, 6, 1, 8)] * 4, pa.timestamp("s")))
    out2 = jindu.evaluate_rows(t2)
    assert {e["code"] for es in out2.column("errors").to_pylist() for e in es} == {"invalid_date"}


def test_frame_level_errors_raise() -> None:
    df = pd.DataFrame(base_rows())
    with pytest.raises(jindu.InputError) as e:
        jindu.evaluate_rows(df.assign(goal_mte=True))
    assert e.value.codes == ["unknown_field"] and e.value.errors()[0]["path"] == "goal_mte"
    out = jindu.evaluate_rows(df.assign(county="衡阳县"), extra="ignore")
    assert len(out) == 4
    with pytest.raises(jindu.InputError) as e2:
        jindu.evaluate_rows(df.drop(columns=["review_on"]))
    assert e2.value.codes == ["missing_field"]
    with pytest.raises(jindu.InputError) as e3:
        jindu.evaluate_rows(df, rulebook="nope")
    assert e3.value.codes == ["unknown_rulebook"]
    cond = CONDITIONS[0]
    with pytest.raises(jindu.InputError) as e4:
        jindu.evaluate_rows(df.assign(**{cond: True, cond + "." + "leaders_attentive": True}))
    assert e4.value.codes == ["inconsistent"]


def test_mixed_python_types_give_row_errors() -> None:
    rows = base_rows()
    rows["goal_met"] = [False, "no", None, 1]
    rows["extensions_used"] = [0, 10**30, 0, True]
    rows["review_on"] = [datetime.date(2020, 6, 1), "2021-06-01", 20200101, "2019-06-01"]
    df = pd.DataFrame(rows)
    out = jindu.evaluate_rows(df)
    errs = [sorted((e["code"], e["path"]) for e in (es if es is not None else [])) for es in out["errors"]]
    assert errs[0] == []
    assert ("wrong_type", "facts.goal_met") in errs[1] and ("out_of_range", "listing.extensions_used") in errs[1]
    assert ("wrong_type", "on") in errs[2]
    assert ("wrong_type", "facts.goal_met") in errs[3] and ("wrong_type", "listing.extensions_used") in errs[3]
    assert out["ok"].tolist() == [True, False, False, False]


def test_pandas_missing_values_are_absent() -> None:
    rows = base_rows()
    rows["extensions_used"] = [0.0, 1.0, np.nan, np.nan]  # an int column with NaN is float in pandas
    df = pd.DataFrame(rows)
    out = jindu.evaluate_rows(df)
    assert out["ok"].tolist() == [True, True, False, True]
    df2 = pd.DataFrame({**base_rows(), "extensions_used": [0.5, 1, 0, 0]})
    assert jindu.evaluate_rows(df2)["errors"][0][0]["code"] == "out_of_range"


def test_pandas_datetime_columns() -> None:
    rows = base_rows()
    rows["listed_on"] = ["2018-06-01"] * 4
    df = pd.DataFrame(rows)
    df["listed_on"] = pd.to_datetime(df["listed_on"])
    df["review_on"] = pd.to_datetime(df["review_on"])
    out = jindu.evaluate_rows(df)
    assert out["ok"].all()


def test_condition_and_sub_point_columns() -> None:
    rows = base_rows()
    df = pd.DataFrame(rows).iloc[[0]]
    df = df.assign(application="cancel", goal_met=True, special_circumstances=None)
    whole = df.assign(**{c: True for c in CONDITIONS})
    out = jindu.evaluate_rows(whole, consequences=False)
    assert out["conditions_met"][0] and list(out["unmet_conditions"][0]) == []
    subs = {c["column"]: True for c in jindu.batch_columns() if c["column"].count(".") == 2}
    first_sub = sorted(subs)[0]
    subs[first_sub] = False
    out2 = jindu.evaluate_rows(df.assign(**subs), consequences=False)
    assert not out2["conditions_met"][0]
    unmet = list(out2["unmet_conditions"][0])
    assert len(unmet) == 1
    r = jindu.call({"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "explain": False, "request": {
        **row_request(df.to_dict("records")[0]),
        "facts": {"goal_met": True, "conditions": {k: {s: v for (kk, s), v in [((c.split(".")[1], c.split(".")[2]), vv) for c, vv in subs.items()] if kk == k}
                                                    for k in {c.split(".")[1] for c in subs}}}}})
    assert r["answer"]["unmet_conditions"] == unmet


def test_officials_and_categories_columns() -> None:
    officials = [
        [{"name": "周建国", "role": "first_responsible", "in_post_since": "2016-05-31", "neglect_led_to_severity": True}],
        [{"name": "李明", "role": "first_responsible", "in_post_since": "2022-01-01", "neglect_led_to_severity": None}],
        None,
        [{"name": "王芳", "role": "boss", "in_post_since": "2016-01-01", "neglect_led_to_severity": None}],
    ]
    rows = base_rows()
    rows["listed_on"] = ["2018-06-01"] * 4
    t = pa.table({**rows, "officials": officials, "categories": [["drug_abuse"], ["drug_abuse", "other"], None, ["other"]]})
    out = jindu.evaluate_rows(t).to_pylist()
    as_text = t.set_column(t.schema.get_field_index("categories"), "categories", pa.array(["drug_abuse", "drug_abuse, other", None, "bad"]))
    text_out = jindu.evaluate_rows(as_text).to_pylist()
    assert [r["ok"] for r in text_out[:3]] == [True, False, True]
    assert [(e["code"], e["path"]) for e in text_out[3]["errors"]][0] == ("unknown_value", "listing.categories[0]")
    assert out[0]["ok"]
    assert any(m["officials"] == ["周建国"] for m in out[0]["consequences"]) or out[0]["ok"]
    assert [(e["code"], e["path"]) for e in out[1]["errors"]] == [("date_out_of_order", "officials[0].in_post_since")]
    assert out[2]["ok"]
    assert [(e["code"], e["path"]) for e in out[3]["errors"]] == [("unknown_value", "officials[0].role")]


def test_consequences_flag() -> None:
    df = pd.DataFrame(base_rows())
    with_c = jindu.evaluate_rows(df)
    without = jindu.evaluate_rows(df, consequences=False)
    assert len(with_c["consequences"][0]) > len(without["consequences"][0])
    assert with_c["outcome"].tolist()[:2] == without["outcome"].tolist()[:2]
    # same as the core's report for the same area
    doc = {"rulebook": jindu.DEFAULT_RULEBOOK, "areas": [{
        "listing": {"area": {"name": "西渡镇", "level": "township"}, "issuer": {"level": "county"}, "tier": "rectify", "listed_on": "2018-06-01"},
        "review": {"on": "2020-06-01", "facts": {"goal_met": False, "special_circumstances": True}},
        "consequences": {"facts": {"goal_met": False}},
    }]}
    rep = jindu.report(doc)["rows"][0]
    assert [m["measure"] for m in with_c["consequences"][0]] == [m["measure"] for m in rep["consequences"]]
    assert list(with_c["cited"][0]) == rep["cited"]


def test_as_of_and_rulebook_in_force() -> None:
    df = pd.DataFrame(base_rows())
    out = jindu.evaluate_rows(df, as_of="2017-01-01")
    assert not out["ok"].any()
    assert all(es[0]["code"] == "rulebook_not_in_force" and es[0]["path"] == "as_of" for es in out["errors"])
    with pytest.raises(jindu.InputError):
        jindu.evaluate_rows(df, as_of="someday")


def test_many_rows_threads_keep_order() -> None:
    n = 40_000
    i = np.arange(n)
    base = np.datetime64("2018-06-01")
    listed = base + (i % 365).astype("timedelta64[D]")
    t = pa.table({
        "area": pa.array(np.array([f"镇{k}" for k in range(1000)])[i % 1000]),
        "level": pa.array(["township"] * n),
        "issuer_level": pa.array(["county"] * n),
        "tier": pa.array(np.where(i % 2 == 0, "supervise", "rectify")),
        "listed_on": pa.array(listed),
        "review_on": pa.array(listed + (200 + i % 700).astype("timedelta64[D]")),
        "goal_met": pa.array(np.where(i % 3 == 0, True, False)),
    })
    one = jindu.evaluate_rows(t, threads=1)
    two = jindu.evaluate_rows(t, threads=2)
    assert one.num_rows == two.num_rows == n
    assert one.column("outcome").to_pylist() == two.column("outcome").to_pylist()
    assert one.column("deadline").to_pylist() == two.column("deadline").to_pylist()


polars = pytest.importorskip("polars")


def test_polars_dataframe_and_lazy() -> None:
    pl = polars
    df = pl.DataFrame(base_rows())
    out = jindu.evaluate_rows(df)
    assert isinstance(out, pl.DataFrame)
    assert out["ok"].to_list() == [True, True, False, True]
    assert out.columns == jindu.batch_output_columns()
    assert jindu.evaluate_rows(df.lazy())["ok"].to_list() == [True, True, False, True]


def test_polars_map_batches() -> None:
    pl = polars
    df = pl.DataFrame(base_rows())
    # The example of py/README.md: evaluate inside a Polars query.
    result = df.with_columns(
        pl.struct(pl.all())
        .map_batches(jindu.evaluate_rows, return_dtype=jindu.polars_result_dtype())
        .alias("jindu")
    ).with_columns(
        pl.col("jindu").struct.field("outcome").alias("outcome"),
        pl.col("jindu").struct.field("deadline").alias("new_deadline"),
        pl.col("jindu").struct.field("ok").alias("ok"),
    )
    assert result["outcome"].to_list()[:2] == ["extend", "continue_listing"]
    assert result["ok"].to_list() == [True, True, False, True]
    assert result["new_deadline"][0] == datetime.date(2021, 6, 1)
