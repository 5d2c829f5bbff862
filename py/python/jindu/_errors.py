"""The input error raised by the typed functions."""

from __future__ import annotations

import copy
from typing import Any, List, Mapping, Sequence, Union

from .types import ErrorDetail

LocSeg = Union[str, int]


class InputError(ValueError):
    """A request the rules cannot evaluate: every error of it at once.

    Each error is a dict ``{code, loc, path, msg_zh, msg_en}``: ``code`` is a
    stable snake_case code (see :func:`jindu.error_catalogue`), ``loc`` the path
    to the field as segments (``["listing", "listed_on"]``), ``path`` the same
    as text (``listing.listed_on``), and the message in Chinese and English.

    >>> import jindu
    >>> try:
    ...     jindu.review({"on": "2019-02-29"})
    ... except jindu.InputError as e:
    ...     sorted({x["code"] for x in e.errors()})
    ['missing_field', 'no_such_day']
    """

    def __init__(self, errors: Sequence[Mapping[str, Any]]) -> None:
        self._errors: List[ErrorDetail] = [_complete(e) for e in errors]
        first = self._errors[0] if self._errors else None
        head = f"{len(self._errors)} input error(s)"
        if first is not None:
            where = first["path"] or "(the request)"
            head += f"; first: {where}: [{first['code']}] {first['msg_en']}"
        super().__init__(head)

    def errors(self) -> List[ErrorDetail]:
        """Every error: a list of ``{code, loc, path, msg_zh, msg_en}`` (a copy)."""
        return copy.deepcopy(self._errors)

    @property
    def codes(self) -> List[str]:
        """The codes of the errors, in order."""
        return [e["code"] for e in self._errors]


def _complete(e: Mapping[str, Any]) -> ErrorDetail:
    """Makes sure an error has every key (the batch path has no ``loc``)."""
    path = str(e.get("path", ""))
    loc = e.get("loc")
    if loc is None:
        loc = _parse_path(path)
    return {
        "code": str(e.get("code", "")),
        "loc": list(loc),
        "path": path,
        "msg_zh": str(e.get("msg_zh", "")),
        "msg_en": str(e.get("msg_en", "")),
    }


def _parse_path(path: str) -> List[LocSeg]:
    """``officials[1].name`` → ``["officials", 1, "name"]``, as the core does."""
    out: List[LocSeg] = []
    for part in filter(None, path.split(".")):
        head, _, rest = part.partition("[")
        if head:
            out.append(head)
        if rest:
            for chunk in filter(None, ("[" + rest).split("[")):
                n = chunk.rstrip("]")
                out.append(int(n) if n.isdigit() else n)
    return out
