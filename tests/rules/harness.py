"""Run one check on a handful of canonical leads in an in-memory DuckDB."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import duckdb

from conftest import ROOT
from leadspec.rules import RuleContext, query
from leadspec.rules.tables import EVENT_COLUMNS, create_statements, derived_statements, lead_columns
from leadspec.spec import Spec, load_spec
from leadspec.spec.models import Check

DEFAULT_AS_OF = dt.datetime(2026, 11, 23, 12, 0)


@functools.cache
def reference_spec() -> Spec:
    spec = load_spec(ROOT).spec
    assert spec is not None
    return spec


def canonical_db(
    spec: Spec, leads: list[dict[str, Any]], events: list[dict[str, Any]] = ()
) -> duckdb.DuckDBPyConnection:  # type: ignore[assignment]
    """An in-memory DuckDB holding the canonical tables with the given rows."""
    con = duckdb.connect()
    for statement in create_statements(spec):
        con.execute(statement)
    _insert(con, "leads", list(lead_columns(spec)), leads)
    _insert(con, "lead_events", list(EVENT_COLUMNS), list(events))
    return con


def run_check(case: dict[str, Any], spec: Spec | None = None) -> list[dict[str, str]]:
    spec = spec or reference_spec()
    con = canonical_db(spec, case.get("leads", []), case.get("events", []))
    check = Check.model_validate({"description": "A case.", **case["check"]})
    as_of = case.get("as_of", DEFAULT_AS_OF)
    ctx = RuleContext(spec, as_of)
    for statement in derived_statements(ctx).values():
        con.execute(statement)
    sql = query(check, ctx).sql(dialect="duckdb")
    rows = con.execute(sql).fetchall()
    return [{"lead_id": lead_id, "detail": detail} for lead_id, detail in rows]


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[dict[str, Any]]
) -> None:
    for row in rows:
        unknown = set(row) - set(columns)
        assert not unknown, f"{table} has no columns {sorted(unknown)}"
        names = ", ".join(f'"{c}"' for c in row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))
