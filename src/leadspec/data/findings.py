"""Problems in the data found while mapping it: a closed set of codes, counted in SQL.

A data finding never stops a run; it explains why some rules have little or nothing
to look at. Examples are the most frequent values, at most three, and never come
from a column that feeds a personal (pii) field.
"""

from __future__ import annotations

from typing import Any

import duckdb

from .records import DataFinding

CODES: dict[str, str] = {
    "unmapped_status": "A CRM status that no stage claims and the mapping does not translate; "
                       "those leads have no stage.",
    "unknown_source": "A source value that values.source_category does not translate; those "
                      "leads have no source category.",
    "unmapped_value": "A value of another translated field that its value map does not list; "
                      "the field is empty for those leads.",
    "unparseable_timestamp": "A time that none of timestamps.formats reads; the field is empty "
                             "for those rows.",
    "unparseable_value": "A number or yes/no value that cannot be read as one; the field is "
                         "empty for those rows.",
    "duplicate_lead_id": "Lead ids that appear on more than one row; each row counts as a lead.",
    "missing_lead_id": "Rows without a lead id; they are left out, since no rule could name them.",
    "missing_column": "An optional column is not in this export; its field is empty for every lead.",
    "no_history": "No history file was given, so rules on stage changes, owners and activities "
                  "cannot run.",
    "missing_history": "The history covers no lead, or starts after the earliest lead was "
                       "created, so those leads' histories are incomplete.",
    "stage_never_reached": "No lead is in a stage or entered it in the history, so rules about "
                           "that stage pass only for lack of data.",
    "missing_join_file": "A join the mapping declares was given no file (--join NAME=PATH); "
                         "the fields it feeds are empty or read from the leads file's own columns.",
    "unmatched_join_rows": "Rows of a joined file whose key matches no lead; they are not read.",
    "several_join_rows": "Leads that several rows of a joined file match; one is used, the "
                         "earliest by the join's first_by column.",
}


def finding(code: str, column: str, count: int, message: str,
            examples: tuple[str, ...] = ()) -> DataFinding:
    assert code in CODES, code
    return DataFinding(code, column, count, message, examples)


def scalar(con: duckdb.DuckDBPyConnection, query: str) -> Any:
    """The single value a query returns (NULL as None)."""
    row = con.execute(query).fetchone()
    return row[0] if row else None


def examples(con: duckdb.DuckDBPyConnection, table: str, column: str) -> tuple[str, ...]:
    """The three most frequent values of `column` in `table`, NULLs aside."""
    rows = con.execute(f"SELECT CAST({column} AS VARCHAR) AS v, COUNT(*) AS n FROM {table} "
                       f"WHERE {column} IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT 3").fetchall()
    return tuple(str(v) for v, _ in rows)


def sort_key(item: DataFinding) -> tuple[str, str, str]:
    return item.code, item.column, item.message
