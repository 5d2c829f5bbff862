"""A typed tour of the API (checked with ``mypy --strict``)."""

from __future__ import annotations

import datetime

import jindu
from jindu.types import Listing, ReviewRequest


def main() -> None:
    """Reviews a listing, prints the outcome with its citations, and shows an input error."""
    listing: Listing = {
        "area": {"name": "三湖镇", "level": "township"},
        "issuer": {"level": "county"},
        "tier": "rectify",
        "listed_on": datetime.date(2018, 6, 1),
    }
    request: ReviewRequest = {"listing": listing, "on": "2020-06-01", "facts": {"goal_met": False, "special_circumstances": True}}
    answer: jindu.ReviewAnswer = jindu.review(request)
    deadline = answer.deadline.effective if answer.deadline else None
    print(f"{answer.outcome} under {answer.rule}; new deadline {deadline}; cites {', '.join(answer.cited)}")
    for step in answer.trail or []:
        print(f"  {step.rule}: {step.zh}")
    if answer.receipt is not None:  # None only when asked for none (receipt=False)
        print(f"receipt {answer.receipt.request_hash[:16]}…")

    try:
        jindu.review({"listing": listing, "on": "2019-02-29"})
    except jindu.InputError as e:
        for err in e.errors():
            print(f"error {err['code']} at {err['path']}: {err['msg_zh']} / {err['msg_en']}")

    responses = jindu.evaluate_many([{"operation": "review", "rulebook": jindu.DEFAULT_RULEBOOK, "request": request}] * 3)
    print([r["ok"] for r in responses])


if __name__ == "__main__":
    main()
