"""Typed shapes of requests and plain-data results, as ``TypedDict``.

They are exactly the spec's JSON (``spec/schema/``): a request may be written
as a plain dict or with these types; both are the same object at run time.
Dates may be ``YYYY-MM-DD`` strings or ``datetime.date`` objects.
"""

from __future__ import annotations

import datetime
from typing import Dict, List, TypedDict, Union

DateLike = Union[str, datetime.date]
"""A date: ``"2018-06-01"`` or ``datetime.date(2018, 6, 1)``."""

Level = str
"""national, province, prefecture, county, township, village."""
Tier = str
"""none, watch, supervise, rectify."""


class Area(TypedDict, total=False):
    """An area: ``{"name": "三湖镇", "level": "township"}`` (name and level required)."""

    id: str
    name: str
    level: Level


class Issuer(TypedDict, total=False):
    """The listing committee: ``{"level": "county"}`` (level required)."""

    level: Level
    name: str


class Listing(TypedDict, total=False):
    """A listing (area, issuer, tier, listed_on required)."""

    id: str
    area: Area
    issuer: Issuer
    tier: Tier
    categories: List[str]
    listed_on: DateLike
    deadline: DateLike
    extensions_used: int
    status: str


class Official(TypedDict, total=False):
    """An official (name, role, in_post_since required)."""

    name: str
    role: str
    in_post_since: DateLike
    neglect_led_to_severity: bool


class ReviewFacts(TypedDict, total=False):
    """The facts of a review; absent means not supplied."""

    goal_met: bool
    special_circumstances: bool
    negligence: bool
    conditions: Dict[str, Union[bool, Dict[str, bool]]]


class ReviewRequest(TypedDict, total=False):
    """``review``: a listing reviewed on a day (listing and on required)."""

    listing: Listing
    on: DateLike
    facts: ReviewFacts
    application: str
    officials: List[Official]


class Rebound(TypedDict, total=False):
    """An earlier removal (第二十条)."""

    removed_on: DateLike
    removed_tier: Tier
    removed_by: Level
    serious: bool


class ListRequest(TypedDict, total=False):
    """``list``: whether and at which tier an area is listed."""

    area: Area
    issuer: Issuer
    on: DateLike
    basis: str
    categories: List[str]
    facts: Dict[str, bool]
    rebound: Rebound


class ConsequenceFacts(TypedDict, total=False):
    """Facts for ``consequences``."""

    goal_met: bool
    negligence: bool
    failed_annual_assessment: bool


class ConsequencesRequest(TypedDict, total=False):
    """``consequences``: the measures that follow from a listing on a day."""

    listing: Listing
    on: DateLike
    officials: List[Official]
    facts: ConsequenceFacts


class TimelineReview(TypedDict, total=False):
    """One review of a timeline."""

    on: DateLike
    facts: ReviewFacts
    application: str


class TimelineRequest(TypedDict, total=False):
    """``timeline``: a listing and its reviews in date order."""

    listing: Listing
    officials: List[Official]
    reviews: List[TimelineReview]


class Call(TypedDict, total=False):
    """A call of the JSON call layer (operation and request required)."""

    operation: str
    target: str
    rulebook: str
    jurisdiction: str
    as_of: DateLike
    explain: bool
    request: object


class ErrorDetail(TypedDict):
    """One input error."""

    code: str
    loc: List[Union[str, int]]
    path: str
    msg_zh: str
    msg_en: str


class CatalogueEntry(TypedDict):
    """One error code and its meaning."""

    code: str
    zh: str
    en: str


class ColumnSpec(TypedDict):
    """One input column of the batch path."""

    column: str
    kind: str
    required: bool
    path: str
    doc: str


class TextDict(TypedDict):
    """Words in Chinese and English."""

    zh: str
    en: str


class RulebookDescription(TypedDict, total=False):
    """A built-in rulebook, described (see :func:`jindu.rulebooks`)."""

    id: str
    title: TextDict
    document: Dict[str, object]
    issuer: Dict[str, object]
    jurisdiction: Dict[str, object]
    in_force: Dict[str, object]
    hash: str
    tiers: List[Dict[str, object]]


Response = Dict[str, object]
"""A response: ``{"ok": True, "answer": …}`` or ``{"ok": False, "errors": […]}``."""

__all__ = [
    "Area",
    "Call",
    "CatalogueEntry",
    "ColumnSpec",
    "ConsequenceFacts",
    "ConsequencesRequest",
    "DateLike",
    "ErrorDetail",
    "Issuer",
    "Level",
    "ListRequest",
    "Listing",
    "Official",
    "Rebound",
    "Response",
    "ReviewFacts",
    "ReviewRequest",
    "RulebookDescription",
    "TextDict",
    "Tier",
    "TimelineRequest",
    "TimelineReview",
]
