"""The typed API: operations, answers, rulebooks, catalogue, batch of calls."""

from __future__ import annotations

import copy
import datetime
import json
import threading
from typing import Any, Dict

import pytest

import jindu
from jindu.types import ReviewRequest

LISTING: Dict[str, Any] = {
    "area": {"name": "三湖镇", "level": "township"},
    "issuer": {"level": "county"},
    "tier": "rectify",
    "listed_on": "2018-06-01",
}


def review_request(**facts: Any) -> ReviewRequest:
    return {"listing": copy.deepcopy(LISTING), "on": "2020-06-01", "facts": dict(facts)}  # type: ignore[typeddict-item]


def test_review_typed_answer() -> None:
    a = jindu.review(review_request(goal_met=False, special_circumstances=True))
    assert isinstance(a, jindu.ReviewAnswer)
    assert a.operation == "review"
    assert a.outcome == "extend"
    assert a.deadline == jindu.Deadline(datetime.date(2021, 6, 1), datetime.date(2021, 6, 1))
    assert a.on == datetime.date(2020, 6, 1)
    assert a.tier == "rectify" and a.tier_name is not None and a.tier_name.zh == "重点整治"
    assert a.status == "extended" and a.extensions_used == 1
    assert "art13.p1.rectify_extension" in a.cited
    assert all(isinstance(n, jindu.Note) for n in a.notes)
    assert a.trail and all(isinstance(s, jindu.Step) for s in a.trail)
    assert a.trail[0].rule and a.trail[0].zh and a.trail[0].en
    assert isinstance(a.receipt, jindu.Receipt) and len(a.receipt.request_hash) == 64
    assert a.rulebook == jindu.DEFAULT_RULEBOOK
    assert [c.rule for c in a.conditions][:1] == ["art14.i1"]
    # to_dict is exactly the core's answer
    raw = jindu.call({"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "request": review_request(goal_met=False, special_circumstances=True)})
    assert a.to_dict() == raw["answer"]
    assert a["outcome"] == "extend" and a.get("nope", 1) == 1
    assert "extend" in repr(a)


def test_explain_false_has_no_trail_same_receipt() -> None:
    a = jindu.review(review_request(goal_met=True), explain=False)
    b = jindu.review(review_request(goal_met=True))
    assert a.trail is None and b.trail is not None
    assert a.receipt == b.receipt
    assert a.cited == b.cited


def test_receipt_false_leaves_out_the_receipt_and_nothing_else() -> None:
    for explain in (True, False):
        a = jindu.review(review_request(goal_met=True), explain=explain, receipt=False)
        b = jindu.review(review_request(goal_met=True), explain=explain)
        assert a.receipt is None and isinstance(b.receipt, jindu.Receipt)
        full = b.to_dict()
        del full["receipt"]
        assert a.to_dict() == full
    lean = jindu.assess({"area": {"name": "某区", "level": "county"}, "on": "2019-06-30", "values": {}},
                        rulebook="hengyang-county-2018-work-plan", receipt=False)
    assert lean.receipt is None and "receipt" not in lean.to_dict()
    r = jindu.call({"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "receipt": 0, "request": review_request(goal_met=True)})
    assert not r["ok"] and [e["path"] for e in r["errors"]] == ["receipt"]


def test_dates_as_python_dates() -> None:
    req = review_request(goal_met=False, special_circumstances=True)
    req["on"] = datetime.date(2020, 6, 1)
    req["listing"]["listed_on"] = datetime.date(2018, 6, 1)
    assert jindu.review(req).to_dict() == jindu.review(review_request(goal_met=False, special_circumstances=True)).to_dict()


def test_list_area() -> None:
    a = jindu.list_area(
        {
            "area": {"name": "三湖镇", "level": "township"},
            "issuer": {"level": "county"},
            "on": "2018-06-01",
            "basis": "application",
            "categories": ["outflow_trafficking"],
            "facts": {"hard_to_make_progress": True},
        }
    )
    assert isinstance(a, jindu.ListAnswer)
    assert a.tier == "rectify" and a.outcome == "list"
    assert a.deadline is not None and a.deadline.nominal == datetime.date(2020, 6, 1)
    assert isinstance(a.procedure, jindu.Procedure)
    assert all(isinstance(c, jindu.Criterion) for c in a.criteria)
    assert a.listing is not None and a.listing["tier"] == "rectify"


def test_consequences() -> None:
    a = jindu.consequences({"listing": LISTING, "on": "2018-07-01"})
    assert isinstance(a, jindu.ConsequencesAnswer)
    assert any(m.rule == "art30.i1" for m in a.measures)
    assert all(isinstance(m, jindu.Measure) and isinstance(m.text, jindu.Text) for m in a.measures)


def test_timeline() -> None:
    a = jindu.timeline(
        {
            "listing": LISTING,
            "reviews": [
                {"on": "2019-06-01", "facts": {"goal_met": False}},
                {"on": "2020-06-01", "facts": {"goal_met": False, "special_circumstances": True}},
            ],
        }
    )
    assert isinstance(a, jindu.TimelineAnswer)
    assert len(a.steps) == 2 and all(isinstance(s, jindu.TimelineStep) for s in a.steps)
    assert a.steps[1].outcome == "extend"
    assert a.final_listing["status"] == "extended"


def test_validate() -> None:
    v = jindu.validate("review", {"listing": LISTING})
    assert isinstance(v, jindu.Validation)
    assert not v.valid and "on" in v.missing
    ok = jindu.validate("review", review_request(goal_met=True))
    assert ok.valid and ok.errors == []
    bad = jindu.validate("nope", {})
    assert not bad.valid and [e["code"] for e in bad.errors] == ["unknown_operation"]


def test_jurisdiction_selection() -> None:
    a = jindu.review(review_request(goal_met=True), jurisdiction="cn-hn-hengyang-county")
    assert a.rulebook == jindu.DEFAULT_RULEBOOK
    with pytest.raises(jindu.InputError) as e:
        jindu.review(review_request(goal_met=True), rulebook="no-such-book")
    assert e.value.codes == ["unknown_rulebook"]
    with pytest.raises(jindu.InputError) as e2:
        jindu.review(review_request(goal_met=True), as_of="2017-01-01")
    assert "rulebook_not_in_force" in e2.value.codes


def test_call_never_raises_and_matches_call_json() -> None:
    calls = [
        {"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "request": review_request(goal_met=True)},
        {"operation": "review", "request": {}},
        {"operation": "frobnicate", "request": {}},
        {"request": 3},
    ]
    for c in calls:
        r = jindu.call(c)
        assert r == json.loads(jindu.call_json(json.dumps(c)))
    assert jindu.call("not a call")["ok"] is False  # type: ignore[arg-type]
    assert json.loads(jindu.call_json("{not json"))["errors"][0]["code"] == "invalid_json"


def test_evaluate_many_order_and_errors_in_place() -> None:
    good = {"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "request": review_request(goal_met=False, special_circumstances=True)}
    bad = {"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "request": {"on": "2019-02-29"}}
    nan = {"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "request": {"on": float("nan")}}
    calls = [good, bad, good, nan] * 300
    rs = jindu.evaluate_many(calls)
    assert len(rs) == len(calls)
    for c, r in zip(calls, rs):
        assert r == jindu.call(c)
    assert rs[0]["ok"] and not rs[1]["ok"] and rs[0]["answer"]["outcome"] == "extend"
    assert jindu.evaluate_many(calls[:8], threads=1) == rs[:8]
    assert jindu.evaluate_many([]) == []
    assert jindu.evaluate_many(iter([good]))[0]["ok"]


def test_evaluate_many_from_threads() -> None:
    call = {"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "request": review_request(goal_met=True)}
    want = jindu.call(call)
    results: list = []

    def work() -> None:
        results.append(jindu.evaluate_many([call] * 200))

    ts = [threading.Thread(target=work) for _ in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert len(results) == 4 and all(r == [want] * 200 for r in results)


def test_rulebooks_and_text() -> None:
    rbs = jindu.rulebooks()
    ids = [r["id"] for r in rbs]
    assert jindu.DEFAULT_RULEBOOK in ids
    hy = rbs[ids.index(jindu.DEFAULT_RULEBOOK)]
    assert hy["in_force"]["from"] == "2018-05-02"
    assert hy["document"]["source"]
    assert len(hy["hash"]) == 64
    text = jindu.rulebook_text(jindu.DEFAULT_RULEBOOK)
    assert json.loads(text)["id"] == jindu.DEFAULT_RULEBOOK
    with pytest.raises(KeyError):
        jindu.rulebook_text("nope")
    r = jindu.rule("art14.i1")
    assert r is not None and r["id"] == "art14.i1"
    assert jindu.rule("nope") is None


def test_error_catalogue() -> None:
    cat = jindu.error_catalogue()
    codes = [e["code"] for e in cat]
    for c in ("missing_field", "wrong_type", "no_such_day", "out_of_range", "unknown_rulebook", "internal_error"):
        assert c in codes
    assert all(e["zh"] and e["en"] for e in cat)
    assert len(codes) == len(set(codes))


def test_report_and_sample() -> None:
    doc = jindu.sample()
    out = jindu.report(doc)
    assert len(out["rows"]) == len(doc["areas"])
    assert all("ok" in r for r in out["rows"])
    with pytest.raises(jindu.InputError):
        jindu.report({"areas": []})


def test_version_and_operations() -> None:
    assert jindu.__version__
    for op in ("list", "review", "consequences", "timeline", "validate"):
        assert op in jindu.OPERATIONS
