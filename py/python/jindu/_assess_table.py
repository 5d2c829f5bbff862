"""Assessment of many areas at once: a table of numbers in, a verdict per row out.

The rows are judged in Rust by the compiled assessment plan of the core
(``jindu::plan::AssessPlan``), with the GIL released, on all cores. See
``py/README.md`` for the column contract.
"""

from __future__ import annotations

import datetime
from typing import Any, List, Optional, Sequence, TypedDict, Union, cast

from . import _jindu
from ._batch import _as_input_kind, _module_of, _pandas_to_arrow
from ._errors import InputError


class AssessColumn(TypedDict):
    """One input column of :func:`assess_table`."""

    column: str
    kind: str
    key: str
    unit: Optional[str]


LIST_COLUMNS = ("unmet", "missing", "vetoes", "outcomes", "brackets", "errors")
"""The result columns that hold lists (pandas: ``ArrowDtype``)."""


def _to_pandas(table: Any) -> Any:
    """The result as a pandas DataFrame: the list columns stay Arrow
    (``pd.ArrowDtype``, no Python object per row: a million rows convert in
    milliseconds instead of seconds); the others are converted as usual."""
    import pandas as pd

    ext = getattr(getattr(pd, "arrays", None), "ArrowExtensionArray", None)
    if ext is None:  # pragma: no cover (pandas < 1.5)
        return table.to_pandas()
    frame = table.drop_columns(list(LIST_COLUMNS)).to_pandas()
    for name in LIST_COLUMNS:
        frame[name] = pd.Series(ext(table.column(name)), index=frame.index)
    return frame[table.column_names]


def assess_table_columns(rulebook: str, *, score: str = "score") -> List[AssessColumn]:
    """The input columns :func:`assess_table` reads under a rulebook, in order.

    Each is ``{column, kind, key, unit}``: ``kind`` is ``indicator`` or
    ``input`` (a number; ``unit`` is ``percent``, ``count``, ``hours``,
    ``points`` or ``number``), ``series`` (one period of a trend: columns
    ``<trend>@-2``, ``<trend>@-1``, ``<trend>@0``, oldest first), ``judgement``
    (a boolean) or ``score``. An unknown rulebook (or one without assessment
    rules) gives an empty list.

    >>> cols = assess_table_columns("sinan-county-20xx-assessment")
    >>> [(c["column"], c["kind"]) for c in cols]
    [('cadres_involved', 'input'), ('students_using', 'input'), ('not_seriously_performing', 'judgement'), ('score', 'score')]
    """
    return cast(List[AssessColumn], _jindu.assess_table_columns(rulebook, score=score))


def assess_table(
    data: Any,
    rulebook: str,
    *,
    keep: Sequence[str] = (),
    extra: str = "error",
    score: str = "score",
    on: Union[str, datetime.date, None] = None,
    threads: Optional[int] = None,
) -> Any:
    """``assess`` for every row of a table, row for row, by the core's compiled plan.

    ``data`` is a pandas DataFrame, a Polars DataFrame or LazyFrame, a Polars
    Series of structs (as ``map_batches`` passes it), a pyarrow Table or
    RecordBatch, or any object with ``__arrow_c_stream__`` /
    ``__arrow_c_array__``; the result is of the same kind (a pyarrow Table
    for other Arrow objects). One row is one area; its columns
    (:func:`assess_table_columns` lists them):

    - ``<key>`` for each indicator and input of the rulebook: numbers of any
      numeric type (read as float). Null means "not supplied", never zero;
      **NaN also means not supplied** (as in pandas, where a missing number
      is NaN). A value out of range for its unit (negative, infinite, a
      percentage above 100, a count with a fraction) is that row's error.
    - ``<trend>@-2``, ``<trend>@-1``, ``<trend>@0`` for the periods of a trend,
      oldest first (``@0`` is the period assessed); give as many as you have.
      The series is the run of supplied periods ending at ``@0``: a null
      period cuts it there.
    - ``<judgement>`` for each judgement the text leaves to people: booleans,
      null = not supplied (never false).
    - ``score`` (or the column named by ``score=``): the area's score.

    Every other column is an error naming it, unless it is in ``keep`` (then
    it is copied to the front of the result as it is, e.g. an area name or
    code) or ``extra="ignore"``. A column may be both read and kept.

    The result has the kept columns, then: ``ok``; ``verdict`` (``met``,
    ``unmet``, ``vetoed``, ``incomplete``, ``not_provided``); ``unmet`` (the
    keys of indicators unmet and of trends not met, an unchanged trend
    included); ``missing`` (keys not supplied that the verdict needed, as
    the answer's ``missing``); ``vetoes`` (``{veto, status}`` for each veto
    that ``applies``, ``requires_judgement`` or is ``missing`` its facts);
    ``outcomes`` (``{outcome, status}`` for each outcome that follows, status
    as in the answer: ``applies``, ``applies_in_principle``, ``available``,
    ``requires_judgement``); ``brackets`` (count brackets the row falls in);
    ``score`` (after vetoes), ``points`` (graded points); and ``errors``
    (``[{code, path, column, msg_zh, msg_en}]``). Keys and statuses are
    dictionary-encoded (pandas ``category``, Polars ``Categorical``). A bad
    row keeps its place with ``ok`` false, ``verdict`` null and every bad
    value in ``errors``; no row is dropped and no value is clipped. In a
    pandas result the list columns are ``pd.ArrowDtype`` (``out["unmet"][i]``
    is a Python list; ``out["unmet"].list.len()``, ``.explode()`` work), as
    a Python object per row would cost more than the assessment.

    The answers are those of :func:`jindu.assess` (the tests hold the two to
    the same verdict, unmet, missing, vetoes and outcomes on random rows of
    every built-in rulebook with assessment rules), without the citations
    and wording: ask :func:`jindu.assess` for the rows a person will read.
    The plan does not read dates: pass ``on`` to check that the rulebook is
    in force on that day.

    Raises :class:`InputError` when the table itself is unusable (an unknown
    rulebook or column, a column of the wrong type, a rulebook not in force
    on ``on``). Rows are judged in Rust with the GIL released, on up to
    ``threads`` threads (all cores by default); a ``Float64`` column is read
    in place.

    >>> import pyarrow as pa
    >>> t = pa.table({"area": ["西渡镇", "台源镇", "井头镇"],
    ...               "compulsory_rehab_rate": [90.0, 84.0, 101.0],   # 达到85%以上
    ...               "cultivation_cases": [0, 0, 0]})
    >>> out = assess_table(t, "hengyang-county-2018-work-plan", keep=["area"])
    >>> out.column("verdict").to_pylist()
    ['incomplete', 'unmet', None]
    >>> out.column("unmet")[1].as_py()
    ['compulsory_rehab_rate']
    >>> e = out.column("errors")[2].as_py()[0]
    >>> e["column"], e["code"]
    ('compulsory_rehab_rate', 'out_of_range')
    """
    if isinstance(on, datetime.date):
        on = on.isoformat()
    if isinstance(keep, str):
        keep = [keep]
    kind = _module_of(data)
    source: Any = data
    if kind == "pandas":
        source, _ = _pandas_to_arrow(data)
    elif kind == "polars":
        import polars as pl

        if isinstance(data, pl.Series):
            frame = data.struct.unnest()
            out = assess_table(frame, rulebook, keep=keep, extra=extra, score=score, on=on, threads=threads)
            return out.to_struct(data.name or "jindu")
        if isinstance(data, pl.LazyFrame):
            source = data.collect()
    table, errors = _jindu.assess_arrow(
        source,
        rulebook=rulebook,
        keep=list(keep),
        extra=extra,
        score=score,
        on=on,
        threads=threads,
    )
    if errors is not None:
        raise InputError(errors)
    return _as_input_kind(kind, data, table, _to_pandas)
