"""The columnar batch path: pandas, Polars and Arrow data in and out.

The columns are read in Rust (through the Arrow PyCapsule interface), one
typed ``review`` request is built per row, and the rows are evaluated with
the GIL released, without a Python object per row. See ``py/README.md`` for
the column contract.
"""

from __future__ import annotations

import datetime
import json
import math
from typing import Any, Callable, List, Optional, Tuple, Union

from . import _jindu
from ._errors import InputError
from .types import ColumnSpec

DEFAULT_RULEBOOK = "hengyang-county-2018-rectification"


def batch_columns(rulebook: Optional[str] = None) -> List[ColumnSpec]:
    """The input columns of :func:`evaluate_rows` under a rulebook.

    Each is ``{column, kind, required, path, doc}``: ``path`` is the field of
    the ``review`` request the column fills, so a row's errors name both.

    >>> [c["column"] for c in batch_columns() if c["required"]]
    ['area', 'level', 'issuer_level', 'tier', 'listed_on', 'review_on']
    """
    cols: List[ColumnSpec] = _jindu.batch_columns(rulebook or DEFAULT_RULEBOOK)
    return cols


def batch_output_columns() -> List[str]:
    """The names of the columns :func:`evaluate_rows` returns, in order."""
    return list(_jindu.batch_output_columns())


def _module_of(obj: Any) -> str:
    return type(obj).__module__.split(".")[0]


def _json_default(v: Any) -> Any:
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    item = getattr(v, "item", None)
    if callable(item):
        return item()
    tolist = getattr(v, "tolist", None)
    if callable(tolist):
        return tolist()
    return repr(v)


def _json_cell(v: Any) -> Optional[str]:
    """One cell of a column pyarrow cannot type, as JSON text (``None`` for missing)."""
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    try:
        return json.dumps(v, default=_json_default, allow_nan=True)
    except (TypeError, ValueError):
        return json.dumps(repr(v))


def _pandas_to_arrow(df: Any) -> Tuple[Any, List[str]]:
    """A pandas DataFrame as a pyarrow Table; columns of mixed Python types
    (which Arrow cannot type) are sent as JSON text, so that each bad cell
    becomes that row's error rather than failing the frame."""
    import pyarrow as pa

    try:
        return pa.Table.from_pandas(df, preserve_index=False), []
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError, ValueError, TypeError):
        pass
    arrays = []
    names = []
    json_columns: List[str] = []
    for name in df.columns:
        col = df[name]
        try:
            arr = pa.array(col, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError, ValueError, TypeError):
            arr = pa.array([_json_cell(v) for v in col.tolist()], type=pa.large_string())
            json_columns.append(str(name))
        arrays.append(arr)
        names.append(str(name))
    return pa.Table.from_arrays(arrays, names=names), json_columns


def evaluate_rows(
    data: Any,
    *,
    rulebook: Optional[str] = None,
    as_of: Union[str, datetime.date, None] = None,
    consequences: bool = True,
    extra: str = "error",
    threads: Optional[int] = None,
) -> Any:
    """Reviews every row of a table and returns a table of results, row for row.

    ``data`` is a pandas DataFrame, a Polars DataFrame, a Polars Series of
    structs (as ``map_batches`` passes it), a pyarrow Table or RecordBatch, or
    any object with ``__arrow_c_stream__`` / ``__arrow_c_array__``; the result
    is of the same kind (a pyarrow Table for other Arrow objects).

    One row is one listing reviewed on ``review_on``; the columns are listed
    by :func:`batch_columns` (``area``, ``level``, ``issuer_level``, ``tier``,
    ``listed_on``, ``review_on`` are required). A row that cannot be evaluated
    has ``ok`` false and its errors in ``errors``; every other row is
    evaluated, in order. With ``consequences`` (the default) the measures that
    follow from the listing after the review are added, as the core's report
    does. ``extra="ignore"`` skips columns outside the contract (by default
    they are an error, so that a misspelt column is never silently ignored).

    Raises :class:`InputError` only when the table itself is unusable (an
    unknown or missing column, an unknown rulebook).

    >>> import pyarrow as pa
    >>> t = pa.table({"area": ["三湖镇"], "level": ["township"], "issuer_level": ["county"],
    ...               "tier": ["rectify"], "listed_on": ["2018-06-01"], "review_on": ["2020-06-01"],
    ...               "goal_met": [False], "special_circumstances": [True]})
    >>> out = evaluate_rows(t)
    >>> out.column("outcome").to_pylist(), str(out.column("deadline")[0])
    (['extend'], '2021-06-01')
    """
    rb = rulebook or DEFAULT_RULEBOOK
    if isinstance(as_of, datetime.date):
        as_of = as_of.isoformat()
    kind = _module_of(data)
    json_columns: List[str] = []
    source: Any = data
    if kind == "pandas":
        source, json_columns = _pandas_to_arrow(data)
    elif kind == "polars":
        import polars as pl

        if isinstance(data, pl.Series):
            frame = data.struct.unnest()
            out = evaluate_rows(frame, rulebook=rb, as_of=as_of, consequences=consequences, extra=extra, threads=threads)
            return out.to_struct(data.name or "jindu")
        if isinstance(data, pl.LazyFrame):
            source = data.collect()
    table, errors = _jindu.evaluate_arrow(
        source,
        rulebook=rb,
        as_of=as_of,
        consequences=consequences,
        extra=extra,
        json_columns=json_columns,
        threads=threads,
    )
    if errors is not None:
        raise InputError(errors)
    return _as_input_kind(kind, data, table, lambda t: t.to_pandas(date_as_object=False))


def _as_input_kind(kind: str, data: Any, table: Any, to_pandas: Callable[[Any], Any]) -> Any:
    """The result table in the kind of the caller's input: a Polars
    DataFrame, pandas (by ``to_pandas``), a RecordBatch, or a pyarrow Table."""
    if kind == "polars":
        import polars as pl

        return pl.DataFrame(table)
    import pyarrow as pa

    out_table = pa.table(table)
    if kind == "pandas":
        return to_pandas(out_table)
    if isinstance(data, pa.RecordBatch):
        return out_table.combine_chunks().to_batches()[0] if out_table.num_rows else pa.RecordBatch.from_pylist([], schema=out_table.schema)
    return out_table


def polars_result_dtype() -> Any:
    """The Polars dtype of :func:`evaluate_rows` on a Series of structs, for
    ``map_batches(..., return_dtype=jindu.polars_result_dtype())``."""
    import polars as pl
    import pyarrow as pa

    schema = _output_schema()
    frame = pl.DataFrame(pa.Table.from_batches([], schema=schema))
    return frame.to_struct("jindu").dtype


def _output_schema() -> Any:
    import pyarrow as pa

    tiny = pa.table(
        {
            "area": ["x"],
            "level": ["township"],
            "issuer_level": ["county"],
            "tier": ["rectify"],
            "listed_on": ["2018-06-01"],
            "review_on": ["2018-06-02"],
        }
    )
    table, errors = _jindu.evaluate_arrow(tiny, rulebook=DEFAULT_RULEBOOK, consequences=False, threads=1)
    if errors is not None:
        raise InputError(errors)
    return pa.table(table).schema
