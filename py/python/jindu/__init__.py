"""jindu: rules-as-code for China's drug-control key-rectification rules.

The Python binding of the jindu Rust core. Every answer is decided by the
core (the same code as the CLI and the WASM package); this package only
marshals Python values in and typed answers out.

>>> import jindu
>>> a = jindu.review({
...     "listing": {"area": {"name": "三湖镇", "level": "township"},
...                 "issuer": {"level": "county"}, "tier": "rectify",
...                 "listed_on": "2018-06-01"},
...     "on": "2020-06-01",
...     "facts": {"goal_met": False, "special_circumstances": True},
... })
>>> a.outcome, a.deadline.nominal.isoformat(), "art13.p1.rectify_extension" in a.cited
('extend', '2021-06-01', True)
"""

from __future__ import annotations

import datetime
import itertools
import json
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Union

from . import _jindu
from ._answers import (
    Action,
    Answer,
    Condition,
    ConsequencesAnswer,
    Criterion,
    Deadline,
    ListAnswer,
    Measure,
    Note,
    Procedure,
    Receipt,
    Refusal,
    ReviewAnswer,
    Step,
    Text,
    TimelineAnswer,
    TimelineStep,
    Validation,
)
from ._assess_table import AssessColumn, assess_table, assess_table_columns
from ._batch import batch_columns, batch_output_columns, evaluate_rows, polars_result_dtype
from ._errors import InputError
from .types import (
    CatalogueEntry,
    ConsequencesRequest,
    ListRequest,
    ReviewRequest,
    RulebookDescription,
    TimelineRequest,
)

__version__: str = _jindu.__version__
"""The library version (as written in receipts)."""

DEFAULT_RULEBOOK = "hengyang-county-2018-rectification"
"""The built-in rulebook: 衡阳县禁毒重点整治工作办法 (2018)."""

OPERATIONS: List[str] = list(_jindu.OPERATIONS)
"""The operations of a call (list, review, consequences, timeline, assess, rank, duties, validate)."""

Request = Mapping[str, Any]
DateArg = Union[str, datetime.date, None]


def _envelope(
    operation: str,
    request: Any,
    rulebook: Optional[str],
    jurisdiction: Optional[str],
    as_of: DateArg,
    explain: Optional[bool],
    target: Optional[str] = None,
    receipt: bool = True,
) -> Dict[str, Any]:
    call: Dict[str, Any] = {"operation": operation}
    if target is not None:
        call["target"] = target
    if rulebook is not None:
        call["rulebook"] = rulebook
    elif jurisdiction is None:
        call["rulebook"] = DEFAULT_RULEBOOK
    if jurisdiction is not None:
        call["jurisdiction"] = jurisdiction
    if as_of is not None:
        call["as_of"] = as_of
    if explain is not None:
        call["explain"] = explain
    if not receipt:
        call["receipt"] = False
    call["request"] = request
    return call


def _answer(response: Mapping[str, Any]) -> Dict[str, Any]:
    if not response.get("ok"):
        raise InputError(list(response.get("errors") or []))
    answer: Dict[str, Any] = response["answer"]
    return answer


def call(call: Mapping[str, Any]) -> Dict[str, Any]:
    """Runs one call of the JSON call layer and returns its response.

    ``call`` is ``{"operation", "request", "rulebook"?, "jurisdiction"?,
    "as_of"?, "explain"?, "receipt"?, "target"?}``, as in ``spec/README.md``. The response
    is ``{"ok": True, "answer": {...}}`` or ``{"ok": False, "errors": [...]}``:
    this function never raises for a bad request. Python values without a
    JSON form (NaN, a set, a datetime) are errors at their path.

    >>> r = call({"operation": "review", "request": {}})
    >>> r["ok"], sorted({e["code"] for e in r["errors"]})
    (False, ['missing_field'])
    """
    response: Dict[str, Any] = _jindu.call(call)
    return response


def call_json(text: str) -> str:
    """Runs one call given as JSON text and returns the response as JSON text
    (exactly the core's ``call_json``)."""
    return _jindu.call_json(text)


def list_area(
    request: Union[ListRequest, Request],
    *,
    rulebook: Optional[str] = None,
    jurisdiction: Optional[str] = None,
    as_of: DateArg = None,
    explain: bool = True,
    receipt: bool = True,
) -> ListAnswer:
    """``list``: whether and at which tier an area is listed (第十条、第十一条).

    Named ``list_area`` because ``list`` is a Python builtin. The rulebook is
    ``rulebook`` (an id; the built-in Hengyang rulebook by default) or the one
    in force for ``jurisdiction`` on ``as_of`` (or the request's date).
    Raises :class:`InputError` with every error of the request.
    """
    return ListAnswer(_answer(call(_envelope("list", request, rulebook, jurisdiction, as_of, explain, receipt=receipt))))


def review(
    request: Union[ReviewRequest, Request],
    *,
    rulebook: Optional[str] = None,
    jurisdiction: Optional[str] = None,
    as_of: DateArg = None,
    explain: bool = True,
    receipt: bool = True,
) -> ReviewAnswer:
    """``review``: a listing reviewed on a day (第十三条、第十四条、第三十一条).

    Returns the outcome, the deadline and tier after the review, each
    delisting condition, the measures triggered, the cited rules, notes, the
    explanation trail (``explain=True``) and the receipt (``receipt=True``;
    ``receipt=False`` skips hashing the request, for an answer that is not
    kept, and gives ``receipt`` None). Raises :class:`InputError` with every
    error of the request.
    """
    return ReviewAnswer(_answer(call(_envelope("review", request, rulebook, jurisdiction, as_of, explain, receipt=receipt))))


def consequences(
    request: Union[ConsequencesRequest, Request],
    *,
    rulebook: Optional[str] = None,
    jurisdiction: Optional[str] = None,
    as_of: DateArg = None,
    explain: bool = True,
    receipt: bool = True,
) -> ConsequencesAnswer:
    """``consequences``: every measure that follows from a listing on a day
    (第二十一条 to 第三十三条), each cited and with its modality. Raises
    :class:`InputError` with every error of the request."""
    return ConsequencesAnswer(_answer(call(_envelope("consequences", request, rulebook, jurisdiction, as_of, explain, receipt=receipt))))


def timeline(
    request: Union[TimelineRequest, Request],
    *,
    rulebook: Optional[str] = None,
    jurisdiction: Optional[str] = None,
    as_of: DateArg = None,
    explain: bool = True,
    receipt: bool = True,
) -> TimelineAnswer:
    """``timeline``: a listing through its reviews in date order, each step
    a review answer. Raises :class:`InputError` with every error of the request."""
    return TimelineAnswer(_answer(call(_envelope("timeline", request, rulebook, jurisdiction, as_of, explain, receipt=receipt))))


def assess(
    request: Request,
    *,
    rulebook: Optional[str] = None,
    jurisdiction: Optional[str] = None,
    as_of: DateArg = None,
    explain: bool = True,
    receipt: bool = True,
) -> Answer:
    """``assess``: an area's indicator values for a period under an assessment
    rulebook (every indicator met or unmet, with its threshold and the text's
    comparison word). The answer's fields are read with ``answer["field"]``
    or ``to_dict()``. Raises :class:`InputError` with every error."""
    return Answer(_answer(call(_envelope("assess", request, rulebook, jurisdiction, as_of, explain, receipt=receipt))))


def rank(
    request: Request,
    *,
    rulebook: Optional[str] = None,
    jurisdiction: Optional[str] = None,
    as_of: DateArg = None,
    explain: bool = True,
    receipt: bool = True,
) -> Answer:
    """``rank``: areas ranked under an assessment rulebook (explicit tie rule,
    cut-offs). Fields via ``answer["field"]`` or ``to_dict()``. Raises
    :class:`InputError` with every error."""
    return Answer(_answer(call(_envelope("rank", request, rulebook, jurisdiction, as_of, explain, receipt=receipt))))


def duties(
    request: Request,
    *,
    rulebook: Optional[str] = None,
    jurisdiction: Optional[str] = None,
    as_of: DateArg = None,
    explain: bool = True,
    receipt: bool = True,
) -> Answer:
    """``duties``: the dated duties of a work plan and how they stand on a day.
    Fields via ``answer["field"]`` or ``to_dict()``. Raises
    :class:`InputError` with every error."""
    return Answer(_answer(call(_envelope("duties", request, rulebook, jurisdiction, as_of, explain, receipt=receipt))))


def validate(
    operation: str,
    request: Request,
    *,
    rulebook: Optional[str] = None,
    jurisdiction: Optional[str] = None,
    as_of: DateArg = None,
) -> Validation:
    """``validate``: whether ``operation`` would accept ``request``, with every
    error and the fields still needed (``missing``). Never raises for a bad
    request or call: the errors are in the answer.

    >>> v = validate("review", {"on": "2020-06-01"})
    >>> v.valid, v.missing
    (False, ['listing'])
    """
    return Validation(_answer(call(_envelope("validate", request, rulebook, jurisdiction, as_of, None, target=operation))))


def evaluate_many(calls: Iterable[Mapping[str, Any]], *, threads: Optional[int] = None) -> List[Dict[str, Any]]:
    """Runs many calls in Rust with the GIL released, on up to ``threads``
    threads (all cores by default). Returns one response per call, in order;
    a bad call gives its errors in place and the others are evaluated.

    >>> rs = evaluate_many([{"operation": "review", "request": {}}, {"operation": "nope", "request": {}}])
    >>> [r["ok"] for r in rs], rs[1]["errors"][0]["code"]
    ([False, False], 'unknown_operation')
    """
    out: List[Dict[str, Any]] = _jindu.evaluate_many(calls, threads=threads)
    return out


def evaluate_stream(
    calls: Iterable[Mapping[str, Any]], *, chunk: int = 1024, threads: Optional[int] = None
) -> Iterator[Dict[str, Any]]:
    """Yields the response to each call, in order, reading ``calls`` lazily
    ``chunk`` calls at a time: memory holds one chunk of calls and responses,
    whatever the length of the stream (a generator, a database cursor, rows
    read from a file as they come). Each chunk is evaluated in Rust with the GIL released,
    on up to ``threads`` threads (all cores by default), as by
    :func:`evaluate_many`. A bad call gives its errors in place and the others
    are evaluated; ``enumerate`` the responses to join them back to the calls.

    >>> calls = ({"operation": "duties", "rulebook": "qianxinan-2018-dispatch",
    ...           "request": {"on": "2018-11-%02d" % d}} for d in range(1, 31))
    >>> rs = evaluate_stream(calls, chunk=8)
    >>> [r["ok"] for r in itertools.islice(rs, 3)]
    [True, True, True]
    >>> next(evaluate_stream([{"operation": "nope", "request": {}}]))["errors"][0]["code"]
    'unknown_operation'
    """
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise ValueError(f"chunk must be a positive number of calls, not {chunk!r}")
    it = iter(calls)
    while True:
        block = list(itertools.islice(it, chunk))
        if not block:
            return
        out: List[Dict[str, Any]] = _jindu.evaluate_many(block, threads=threads)
        del block
        yield from out


def rulebooks() -> List[RulebookDescription]:
    """The built-in rulebooks: id, title, document (with its source), issuer,
    jurisdiction, the dates in force, hash and tiers.

    >>> [r["in_force"].get("from") for r in rulebooks() if r["id"] == DEFAULT_RULEBOOK]
    ['2018-05-02']
    """
    out: List[RulebookDescription] = _jindu.rulebooks()
    return out


def rulebook_text(rulebook: str = DEFAULT_RULEBOOK) -> str:
    """The JSON text of a built-in rulebook. Raises ``KeyError`` for an unknown id."""
    text = _jindu.rulebook_text(rulebook)
    if text is None:
        raise KeyError(rulebook)
    return text


def error_catalogue() -> List[CatalogueEntry]:
    """Every error code the library can return, with its meaning in Chinese and English.

    >>> "no_such_day" in [e["code"] for e in error_catalogue()]
    True
    """
    out: List[CatalogueEntry] = _jindu.error_catalogue()
    return out


def sample() -> Dict[str, Any]:
    """The built-in sample document: fictional townships of Hengyang county
    with listings, officials and review facts (``spec/samples/``)."""
    out: Dict[str, Any] = _jindu.sample()
    return out


def report(document: Mapping[str, Any]) -> Dict[str, Any]:
    """The core's batch report of a document ``{rulebook, areas: [...]}`` (see
    :func:`sample`): one row per area with tier, deadline, outcome, unmet
    conditions, consequences and cited rules. A bad area gives a row with
    ``ok: False`` and its errors; raises :class:`InputError` only when the
    document itself is unusable."""
    return _answer(_jindu.report(document))


def rule(rule_id: str, rulebook: str = DEFAULT_RULEBOOK) -> Optional[Dict[str, Any]]:
    """A rule of a built-in rulebook by id (``art14.i1``): its citation and
    wording, from the rulebook's text; ``None`` for an unknown id."""
    book = json.loads(rulebook_text(rulebook))
    for r in book.get("rules", []):
        if r.get("id") == rule_id:
            found: Dict[str, Any] = r
            return found
    return None


__all__ = [
    "Action",
    "Answer",
    "AssessColumn",
    "CatalogueEntry",
    "Condition",
    "ConsequencesAnswer",
    "Criterion",
    "DEFAULT_RULEBOOK",
    "Deadline",
    "InputError",
    "ListAnswer",
    "Measure",
    "Note",
    "OPERATIONS",
    "Procedure",
    "Receipt",
    "Refusal",
    "ReviewAnswer",
    "Step",
    "Text",
    "TimelineAnswer",
    "TimelineStep",
    "Validation",
    "__version__",
    "assess",
    "assess_table",
    "assess_table_columns",
    "batch_columns",
    "batch_output_columns",
    "call",
    "call_json",
    "consequences",
    "duties",
    "error_catalogue",
    "evaluate_many",
    "evaluate_rows",
    "evaluate_stream",
    "list_area",
    "polars_result_dtype",
    "rank",
    "report",
    "review",
    "rule",
    "rulebook_text",
    "rulebooks",
    "sample",
    "timeline",
    "validate",
]
