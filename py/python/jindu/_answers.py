"""Typed answers: the core's answer JSON as Python objects.

Each answer keeps the exact dict the core returned (``to_dict()``) and
exposes its fields as attributes, with dates as ``datetime.date``. A field the
core adds later is reachable at once as ``answer["field"]``.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Union

Val = Union[bool, str, int, None]


def _date(v: Any) -> datetime.date:
    return datetime.date.fromisoformat(str(v))


def _opt_date(v: Any) -> Optional[datetime.date]:
    return None if v is None else _date(v)


def _strs(v: Any) -> List[str]:
    return [str(x) for x in (v or [])]


@dataclass(frozen=True)
class Text:
    """Words in Chinese and English."""

    zh: str
    en: str

    @staticmethod
    def of(v: Any) -> "Text":
        """Reads ``{"zh", "en"}``."""
        return Text(zh=str(v.get("zh", "")), en=str(v.get("en", "")))


def _opt_text(v: Any) -> Optional[Text]:
    return None if v is None else Text.of(v)


@dataclass(frozen=True)
class Deadline:
    """The last day of a term: as counted, and after the statutory-holiday shift."""

    nominal: datetime.date
    effective: datetime.date

    @staticmethod
    def of(v: Any) -> Optional["Deadline"]:
        """Reads ``{"nominal", "effective"}``, or None."""
        if v is None:
            return None
        return Deadline(nominal=_date(v["nominal"]), effective=_date(v["effective"]))


@dataclass(frozen=True)
class Note:
    """A note: a silence of the text, a reading, a fact not supplied."""

    code: str
    rule: Optional[str]
    zh: str
    en: str

    @staticmethod
    def of(v: Any) -> "Note":
        """Reads a note."""
        return Note(code=str(v["code"]), rule=v.get("rule"), zh=str(v.get("zh", "")), en=str(v.get("en", "")))


@dataclass(frozen=True)
class Step:
    """One step of the explanation trail."""

    rule: str
    citation: str
    inputs: Dict[str, Val]
    result: str
    zh: str
    en: str

    @staticmethod
    def of(v: Any) -> "Step":
        """Reads a step."""
        return Step(
            rule=str(v["rule"]),
            citation=str(v.get("citation", "")),
            inputs=dict(v.get("inputs") or {}),
            result=str(v.get("result", "")),
            zh=str(v.get("zh", "")),
            en=str(v.get("en", "")),
        )


@dataclass(frozen=True)
class Receipt:
    """What an answer was decided under: equal requests give equal receipts."""

    rulebook: str
    rulebook_hash: str
    library_version: str
    request_hash: str

    @staticmethod
    def of(v: Any) -> "Receipt":
        """Reads a receipt."""
        return Receipt(
            rulebook=str(v["rulebook"]),
            rulebook_hash=str(v["rulebook_hash"]),
            library_version=str(v["library_version"]),
            request_hash=str(v["request_hash"]),
        )


@dataclass(frozen=True)
class Measure:
    """A measure that follows (a duty, an accountability measure), cited."""

    measure: str
    rule: str
    citation: str
    modality: str
    status: str
    target: str
    officials: List[str]
    text: Text

    @staticmethod
    def of(v: Any) -> "Measure":
        """Reads a measure."""
        return Measure(
            measure=str(v["measure"]),
            rule=str(v["rule"]),
            citation=str(v.get("citation", "")),
            modality=str(v.get("modality", "")),
            status=str(v.get("status", "")),
            target=str(v.get("target", "")),
            officials=_strs(v.get("officials")),
            text=Text.of(v.get("text") or {}),
        )


@dataclass(frozen=True)
class Condition:
    """A delisting condition's result (第十四条)."""

    condition: str
    rule: str
    status: str
    unmet_sub_points: List[str]
    missing_sub_points: List[str]

    @staticmethod
    def of(v: Any) -> "Condition":
        """Reads a condition result."""
        return Condition(
            condition=str(v["condition"]),
            rule=str(v["rule"]),
            status=str(v["status"]),
            unmet_sub_points=_strs(v.get("unmet_sub_points")),
            missing_sub_points=_strs(v.get("missing_sub_points")),
        )


@dataclass(frozen=True)
class Action:
    """An action open to the deciding body."""

    action: str
    modality: str
    rule: str

    @staticmethod
    def of(v: Any) -> "Action":
        """Reads an option."""
        return Action(action=str(v["action"]), modality=str(v["modality"]), rule=str(v["rule"]))


@dataclass(frozen=True)
class Refusal:
    """An action asked for and refused, with why."""

    action: str
    reason: str
    rule: str
    zh: str
    en: str

    @staticmethod
    def of(v: Any) -> "Refusal":
        """Reads a refusal."""
        return Refusal(
            action=str(v["action"]), reason=str(v["reason"]), rule=str(v["rule"]), zh=str(v.get("zh", "")), en=str(v.get("en", ""))
        )


@dataclass(frozen=True)
class Criterion:
    """A listing criterion's result (第十一条)."""

    rule: str
    tier: str
    status: str
    missing: List[str]

    @staticmethod
    def of(v: Any) -> "Criterion":
        """Reads a criterion result."""
        return Criterion(rule=str(v["rule"]), tier=str(v["tier"]), status=str(v["status"]), missing=_strs(v.get("missing")))


@dataclass(frozen=True)
class Procedure:
    """Who proposes a listing and who decides."""

    basis: str
    rule: str
    modality: Optional[str]
    proposer: Text
    decider: Text

    @staticmethod
    def of(v: Any) -> "Procedure":
        """Reads a procedure."""
        return Procedure(
            basis=str(v["basis"]),
            rule=str(v["rule"]),
            modality=v.get("modality"),
            proposer=Text.of(v.get("proposer") or {}),
            decider=Text.of(v.get("decider") or {}),
        )


class _Raw:
    """Keeps the answer dict; ``to_dict()`` and ``obj["key"]`` read it."""

    _raw: Dict[str, Any]

    def to_dict(self) -> Dict[str, Any]:
        """The answer exactly as the core returned it (a deep copy)."""
        return copy.deepcopy(self._raw)

    def __getitem__(self, key: str) -> Any:
        """A field of the answer dict, including fields without an attribute."""
        return self._raw[key]

    def get(self, key: str, default: Any = None) -> Any:
        """A field of the answer dict, or ``default``."""
        return self._raw.get(key, default)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and isinstance(other, _Raw) and other._raw == self._raw

    __hash__ = None  # type: ignore[assignment]


class _Explained(_Raw):
    """Cited rules, notes and the explanation trail."""

    cited: List[str]
    notes: List[Note]
    trail: Optional[List[Step]]

    def _read_explained(self, v: Mapping[str, Any]) -> None:
        self.cited = _strs(v.get("cited"))
        self.notes = [Note.of(n) for n in v.get("notes") or []]
        t = v.get("trail")
        self.trail = None if t is None else [Step.of(s) for s in t]


class Answer(_Explained):
    """An answer of any operation: the rulebook, the receipt, cited rules, notes, trail.

    ``receipt`` is ``None`` only when the call asked for none (``receipt=False``).
    """

    operation: str
    rulebook: str
    rulebook_title: Text
    receipt: Optional[Receipt]

    def __init__(self, raw: Dict[str, Any]) -> None:
        self._raw = raw
        self.operation = str(raw.get("operation", ""))
        rb = raw.get("rulebook") or {}
        self.rulebook = str(rb.get("id", ""))
        self.rulebook_title = Text.of(rb.get("title") or {})
        self.receipt = Receipt.of(raw["receipt"]) if raw.get("receipt") is not None else None
        self._read_explained(raw)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._summary()})"

    def _summary(self) -> str:
        return f"rulebook={self.rulebook!r}"


class _ReviewFields(_Explained):
    """The fields of a review's result (a ``review`` answer, a timeline step)."""

    outcome: str
    modality: Optional[str]
    rule: str
    on: datetime.date
    expired: bool
    previous_deadline: Optional[datetime.date]
    deadline: Optional[Deadline]
    tier: str
    tier_name: Optional[Text]
    status: str
    extensions_used: int
    conditions_met: bool
    conditions: List[Condition]
    unmet_conditions: List[str]
    options: List[Action]
    refused: List[Refusal]
    missing_facts: List[str]
    measures: List[Measure]
    listing: Dict[str, Any]

    def _read_review(self, v: Mapping[str, Any]) -> None:
        self.outcome = str(v["outcome"])
        self.modality = v.get("modality")
        self.rule = str(v["rule"])
        self.on = _date(v["on"])
        self.expired = bool(v["expired"])
        self.previous_deadline = _opt_date(v.get("previous_deadline"))
        self.deadline = Deadline.of(v.get("deadline"))
        self.tier = str(v["tier"])
        self.tier_name = _opt_text(v.get("tier_name"))
        self.status = str(v["status"])
        self.extensions_used = int(v["extensions_used"])
        self.conditions_met = bool(v["conditions_met"])
        self.conditions = [Condition.of(c) for c in v.get("conditions") or []]
        self.unmet_conditions = _strs(v.get("unmet_conditions"))
        self.options = [Action.of(o) for o in v.get("options") or []]
        self.refused = [Refusal.of(r) for r in v.get("refused") or []]
        self.missing_facts = _strs(v.get("missing_facts"))
        self.measures = [Measure.of(m) for m in v.get("measures") or []]
        self.listing = copy.deepcopy(dict(v.get("listing") or {}))


class ReviewAnswer(Answer, _ReviewFields):
    """The answer of ``review``: outcome, new deadline and tier, conditions, measures."""

    def __init__(self, raw: Dict[str, Any]) -> None:
        Answer.__init__(self, raw)
        self._read_review(raw)

    def _summary(self) -> str:
        return f"outcome={self.outcome!r}, rule={self.rule!r}, tier={self.tier!r}, deadline={self.deadline}"


class TimelineStep(_ReviewFields):
    """One review of a timeline: the same fields as a ``review`` answer."""

    def __init__(self, raw: Dict[str, Any]) -> None:
        self._raw = raw
        self._read_explained(raw)
        self._read_review(raw)

    def __repr__(self) -> str:
        return f"TimelineStep(on={self.on}, outcome={self.outcome!r}, tier={self.tier!r})"


class ListAnswer(Answer):
    """The answer of ``list``: whether and at which tier the area is listed."""

    outcome: str
    tier: str
    tier_name: Optional[Text]
    modality: Optional[str]
    rule: Optional[str]
    deadline: Optional[Deadline]
    procedure: Procedure
    criteria: List[Criterion]
    missing_facts: List[str]
    listing: Optional[Dict[str, Any]]

    def __init__(self, raw: Dict[str, Any]) -> None:
        super().__init__(raw)
        self.outcome = str(raw["outcome"])
        self.tier = str(raw["tier"])
        self.tier_name = _opt_text(raw.get("tier_name"))
        self.modality = raw.get("modality")
        self.rule = raw.get("rule")
        self.deadline = Deadline.of(raw.get("deadline"))
        self.procedure = Procedure.of(raw["procedure"])
        self.criteria = [Criterion.of(c) for c in raw.get("criteria") or []]
        self.missing_facts = _strs(raw.get("missing_facts"))
        lst = raw.get("listing")
        self.listing = None if lst is None else copy.deepcopy(dict(lst))

    def _summary(self) -> str:
        return f"outcome={self.outcome!r}, tier={self.tier!r}, rule={self.rule!r}"


class ConsequencesAnswer(Answer):
    """The answer of ``consequences``: every measure that follows, cited."""

    on: datetime.date
    tier: str
    tier_name: Optional[Text]
    status: str
    deadline: Optional[datetime.date]
    expired: bool
    measures: List[Measure]

    def __init__(self, raw: Dict[str, Any]) -> None:
        super().__init__(raw)
        self.on = _date(raw["on"])
        self.tier = str(raw["tier"])
        self.tier_name = _opt_text(raw.get("tier_name"))
        self.status = str(raw["status"])
        self.deadline = _opt_date(raw.get("deadline"))
        self.expired = bool(raw["expired"])
        self.measures = [Measure.of(m) for m in raw.get("measures") or []]

    def _summary(self) -> str:
        return f"tier={self.tier!r}, measures={len(self.measures)}"


class TimelineAnswer(Answer):
    """The answer of ``timeline``: each review in turn, and the final listing."""

    standing_measures: List[Measure]
    steps: List[TimelineStep]
    final_listing: Dict[str, Any]

    def __init__(self, raw: Dict[str, Any]) -> None:
        super().__init__(raw)
        self.standing_measures = [Measure.of(m) for m in raw.get("standing_measures") or []]
        self.steps = [TimelineStep(s) for s in raw.get("steps") or []]
        self.final_listing = copy.deepcopy(dict(raw.get("final_listing") or {}))

    def _summary(self) -> str:
        return f"steps={len(self.steps)}"


class Validation(_Raw):
    """The answer of ``validate``: whether evaluation would accept the request."""

    valid: bool
    errors: List[Dict[str, Any]]
    missing: List[str]

    def __init__(self, raw: Dict[str, Any]) -> None:
        self._raw = raw
        self.valid = bool(raw["valid"])
        self.errors = copy.deepcopy(list(raw.get("errors") or []))
        self.missing = _strs(raw.get("missing"))

    def __repr__(self) -> str:
        return f"Validation(valid={self.valid}, errors={len(self.errors)}, missing={self.missing})"


ANSWER_TYPES = {
    "list": ListAnswer,
    "review": ReviewAnswer,
    "consequences": ConsequencesAnswer,
    "timeline": TimelineAnswer,
}
