"""A larger export, read in parallel by DuckDB, still gives the rows in the file's order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from data_support import load, reference_spec
from leadspec.data import sql
from leadspec.rules.tables import lead_columns

ROWS = 120_000


def write_export(folder: Path) -> tuple[Path, Path]:
    """Leads with translated, boolean and time columns, a few blank ids; a history of each lead."""
    leads, events = folder / "leads.csv", folder / "events.csv"
    duckdb.sql(f"""
        COPY (SELECT CASE WHEN i % 5000 = 7 THEN ' ' ELSE 'L' || (({ROWS} - i) * 7919 % 1000003) END AS lead_id,
                     strftime(TIMESTAMP '2026-01-01' + INTERVAL (i % 300) MINUTE, '%Y-%m-%dT%H:%M:%SZ')
                         AS created_at,
                     ['inquiry', 'Sales Accepted ', 'nurture', 'converted', 'disqualified', 'On Hold'][1 + i % 6]
                         AS stage,
                     ['inbound', 'outbound', 'partner', 'reactivation', 'webinar'][1 + i % 5] AS source_category,
                     ['yes', 'no', 'TRUE', 'f', '1', 'maybe'][1 + i % 6] AS budget_confirmed
              FROM range({ROWS}) AS t(i)) TO '{leads}' (HEADER)""")
    duckdb.sql(f"""
        COPY (SELECT 'L' || (({ROWS} - i // 2) * 7919 % 1000003) AS lead_id,
                     strftime(TIMESTAMP '2026-02-01' + INTERVAL (i % 7) HOUR, '%Y-%m-%dT%H:%M:%SZ') AS "at",
                     ['stage', 'owner'][1 + i % 2] AS kind, NULL AS from_value,
                     ['marketing_qualified', '005A'][1 + i % 2] AS to_value
              FROM range({ROWS}) AS t(i)) TO '{events}' (HEADER)""")
    return leads, events


def test_a_large_export_keeps_the_files_order_and_leaves_only_the_canonical_tables(tmp_path: Path) -> None:
    leads_path, events_path = write_export(tmp_path)
    con, loaded = load(leads_path, events_path)
    expected = [
        row[0]
        for row in duckdb.sql(
            f"SELECT lead_id FROM read_csv('{leads_path}', all_varchar = true) WHERE TRIM(lead_id) <> ''"
        ).fetchall()
    ]
    assert [row[0] for row in con.execute("SELECT lead_id FROM leads").fetchall()] == expected
    assert [(c[0], c[1]) for c in con.execute("DESCRIBE leads").fetchall()] == list(
        lead_columns(reference_spec()).items()
    )
    events = con.execute('SELECT lead_id, "at", kind, to_value FROM lead_events').fetchall()
    history = duckdb.sql(f"""SELECT lead_id, strptime("at", '%Y-%m-%dT%H:%M:%SZ'), kind, to_value
                             FROM read_csv('{events_path}', all_varchar = true)""").fetchall()
    # NOTE: the history starts on 1 February; earlier events are the entries added at creation.
    assert sorted(e for e in events if e[1] >= dt.datetime(2026, 2, 1)) == sorted(history)
    tables = con.execute(
        "SELECT table_name FROM duckdb_tables() UNION ALL "
        "SELECT view_name FROM duckdb_views() WHERE NOT internal"
    ).fetchall()
    assert sorted(name for (name,) in tables) == ["lead_events", "leads"]
    counts = {(f.code, f.column): f.count for f in loaded.findings}
    assert counts[("missing_lead_id", "lead_id")] == ROWS // 5000
    assert counts[("unmapped_status", "stage")] == ROWS // 6  # 'On Hold'; 'Sales Accepted ' is claimed
    assert counts[("unknown_source", "source_category")] == ROWS // 5
    assert counts[("unparseable_value", "budget_confirmed")] == ROWS // 6
    assert [i.rows for i in loaded.inputs] == [ROWS, ROWS]


def test_value_lists_are_not_turned_into_joins() -> None:
    """DuckDB plans `x IN (five or more values)` as a join, which may reorder a scan's rows."""
    condition = sql.in_list("v", ["a", "b", "c", "d", "e", "f"])
    plan = duckdb.sql(f"EXPLAIN SELECT {condition} FROM (SELECT 'a' AS v)").fetchall()[0][1]
    assert "JOIN" not in plan.upper()
    assert duckdb.sql(f"SELECT {condition} FROM (VALUES ('a'), ('z'), (NULL)) AS t(v)").fetchall() == [
        (True,),
        (False,),
        (False,),
    ]
