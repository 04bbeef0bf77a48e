"""The canonical tables every rule is compiled against.

`leads`: one row per lead, one column per field of the data dictionary, typed by
the field's type. `lead_events`: one row per change in a lead's history.
Readers of CRM exports (the data step) produce exactly these tables; the tables
that rules derive from them (`derived_statements`) are built before the rules run.
"""

from __future__ import annotations

from ..spec.models import Spec
from .base import RuleContext
from .stage_time import derived_tables

SQL_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "number": "DOUBLE",
    "boolean": "BOOLEAN",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
}

EVENT_COLUMNS = {
    "lead_id": "VARCHAR",
    "at": "TIMESTAMP",  # UTC
    "kind": "VARCHAR",  # 'stage', 'owner' or 'activity'
    "from_value": "VARCHAR",  # the stage or owner before; NULL for an activity
    "to_value": "VARCHAR",  # the stage or owner after; the activity type for an activity
}


def lead_columns(spec: Spec) -> dict[str, str]:
    return {f.id: SQL_TYPES[f.type] for f in spec.fields}


def create_statements(spec: Spec) -> list[str]:
    """DDL for empty canonical tables (identifiers quoted, types from the dictionary)."""

    def table(name: str, columns: dict[str, str]) -> str:
        cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
        return f"CREATE TABLE {name} ({cols})"

    return [table("leads", lead_columns(spec)), table("lead_events", EVENT_COLUMNS)]


def derived_statements(ctx: RuleContext, lead_times: tuple[str, ...] = ()) -> dict[str, str]:
    """DDL for the tables several rules read, computed once from the canonical tables, by name.

    `lead_times`: timestamp fields of `leads` the working clock must also cover.
    """
    return derived_tables(ctx, lead_times)
