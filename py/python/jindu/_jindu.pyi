"""Stubs of the compiled module ``jindu._jindu`` (hand-written)."""

from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple

from .types import CatalogueEntry, ColumnSpec, RulebookDescription

__all__ = [
    "__version__",
    "OPERATIONS",
    "INTERNAL_ERROR",
    "call",
    "call_json",
    "evaluate_many",
    "rulebooks",
    "rulebook_text",
    "error_catalogue",
    "sample",
    "report",
    "evaluate_arrow",
    "assess_arrow",
    "assess_table_columns",
    "batch_columns",
    "batch_output_columns",
    "_panic_for_test",
]

__version__: str
OPERATIONS: List[str]
INTERNAL_ERROR: str

def call(call: Any) -> Dict[str, Any]: ...
def call_json(text: str) -> str: ...
def evaluate_many(calls: Iterable[Mapping[str, Any]], *, threads: Optional[int] = None) -> List[Dict[str, Any]]: ...
def rulebooks() -> List[RulebookDescription]: ...
def rulebook_text(id: str) -> Optional[str]: ...
def error_catalogue() -> List[CatalogueEntry]: ...
def sample() -> Dict[str, Any]: ...
def report(doc: Any) -> Dict[str, Any]: ...
def evaluate_arrow(
    data: Any,
    *,
    rulebook: str,
    as_of: Optional[str] = None,
    consequences: bool = True,
    extra: str = "error",
    json_columns: List[str] = ...,
    threads: Optional[int] = None,
) -> Tuple[Optional[Any], Optional[List[Dict[str, Any]]]]: ...
def assess_arrow(
    data: Any,
    *,
    rulebook: str,
    keep: List[str] = ...,
    extra: str = "error",
    score: str = "score",
    on: Optional[str] = None,
    threads: Optional[int] = None,
) -> Tuple[Optional[Any], Optional[List[Dict[str, Any]]]]:
    """``assess`` for every row of Arrow data by the compiled plan (see ``jindu.assess_table``).

    Returns ``(table, None)`` (an Arrow table, row for row: the kept columns,
    then ``ok, verdict, unmet, missing, vetoes, outcomes, brackets, score,
    points, errors``) or ``(None, errors)`` when the table itself is unusable.

    >>> import pyarrow as pa
    >>> t, errors = assess_arrow(pa.table({"cadres_involved": [2]}), rulebook="sinan-county-20xx-assessment")
    >>> pa.table(t).column("verdict").to_pylist(), errors
    (['incomplete'], None)
    """

def assess_table_columns(rulebook: str, *, score: str = "score") -> List[Dict[str, Any]]:
    """The input columns of ``assess_arrow``: ``{column, kind, key, unit}``."""

def batch_columns(rulebook: str) -> List[ColumnSpec]: ...
def batch_output_columns() -> List[str]: ...
def _panic_for_test() -> Dict[str, Any]: ...
