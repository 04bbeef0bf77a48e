"""The Salesforce mapping on real exports in both shapes, and on a LeadHistory file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import salesforce_export
from data_support import (
    DATALOADER_LEADS,
    EXCEL_LEADS,
    FIXTURES,
    codes,
    load,
    needs_shared,
    reference_spec,
    rows,
)
from leadspec.rules.tables import EVENT_COLUMNS, lead_columns

HISTORY = FIXTURES / "LeadHistory.csv"


@needs_shared
def test_dataloader_export_gives_the_canonical_leads_table() -> None:
    con, loaded = load(DATALOADER_LEADS, name="salesforce")
    columns = con.execute("DESCRIBE leads").fetchall()
    assert [(c[0], c[1]) for c in columns] == list(lead_columns(reference_spec()).items())
    events = con.execute("DESCRIBE lead_events").fetchall()
    assert [(c[0], c[1]) for c in events] == list(EVENT_COLUMNS.items())
    assert loaded.inputs[0].rows == 60 and loaded.inputs[0].role == "leads"
    stages = dict(rows(con, "stage, COUNT(*)", "leads GROUP BY stage"))
    assert stages == {"inquiry": 21, "sales_accepted": 15, "sales_qualified": 24}
    first = con.execute(
        "SELECT created_at, source_category, source_detail, motion, owner_id, "
        "last_activity_at FROM leads WHERE lead_id = '00QEc00000BBaeYMAT'"
    ).fetchone()
    assert first == (
        dt.datetime(2024, 1, 22, 20, 36, 47),
        "outbound",
        "Cold Call",
        "b2b",
        "005Ec000004oBPNIA2",
        dt.datetime(2023, 3, 30, 3, 59, 59),
    )  # end of 3/29 in New York
    assert loaded.latest == dt.datetime(2024, 1, 22, 20, 36, 47)
    assert set(codes(loaded)) == {"missing_column", "no_history", "stage_never_reached"}


@needs_shared
def test_excel_shaped_export_reads_two_digit_years_in_the_users_time_zone() -> None:
    con, loaded = load(EXCEL_LEADS, name="salesforce")
    stages = dict(rows(con, "stage, COUNT(*)", "leads GROUP BY stage"))
    assert stages == {"converted": 8, "disqualified": 3, "inquiry": 2, "sales_accepted": 9}
    converted = con.execute(
        "SELECT converted_at, opportunity_id, annual_revenue, source_category "
        "FROM leads WHERE lead_id = '00Qbm00000Orxk5EAB'"
    ).fetchone()
    assert converted == (dt.datetime(2026, 2, 24, 5, 0), "006bm00000LKgOnAAL", 900750000.0, "inbound")
    [missing] = codes(loaded)["missing_column"]
    assert "created_at (CreatedDate)" in missing.message and missing.count == 22
    assert "Partner Referral" not in str(codes(loaded).get("unknown_source"))


@needs_shared
def test_lead_history_becomes_stage_and_owner_events() -> None:
    con, loaded = load(DATALOADER_LEADS, HISTORY, name="salesforce")
    assert [i.role for i in loaded.inputs] == ["leads", "events"] and loaded.inputs[1].rows == 8
    events = rows(con, '"at", kind, from_value, to_value', "lead_events WHERE lead_id = '00QEc00000BBaeXMAT'")
    assert events == [
        (dt.datetime(2024, 1, 22, 20, 36, 47), "stage", None, "inquiry"),
        (dt.datetime(2024, 1, 23, 14, 5), "owner", None, "005Ec000004oBPNIA2"),  # from a queue
        (dt.datetime(2024, 1, 23, 15, 10), "stage", "inquiry", "sales_accepted"),
        (dt.datetime(2024, 1, 26, 9, 30), "stage", "sales_accepted", "sales_qualified"),
    ]
    derived = con.execute(
        "SELECT routed_at, sal_at, sql_at, mql_at FROM leads WHERE lead_id = '00QEc00000BBaeXMAT'"
    ).fetchone()
    assert derived == (
        dt.datetime(2024, 1, 23, 14, 5),
        dt.datetime(2024, 1, 23, 15, 10),
        dt.datetime(2024, 1, 26, 9, 30),
        None,
    )
    untouched = rows(con, "kind, to_value", "lead_events WHERE lead_id = '00QEc00000BBaeZMAT'")
    assert untouched == [("stage", "inquiry")]
    assert loaded.latest == dt.datetime(2024, 1, 26, 9, 30)


@needs_shared
def test_history_problems_are_findings() -> None:
    _, loaded = load(DATALOADER_LEADS, HISTORY, name="salesforce")
    found = codes(loaded)
    assert {(f.column, f.count, f.examples) for f in found["unmapped_status"]} == {
        ("NewValue", 1, ("On Hold",)),
        ("OldValue", 1, ("On Hold",)),
    }
    [stamp] = found["unparseable_timestamp"]
    assert (stamp.column, stamp.count, stamp.examples) == ("CreatedDate", 1, ("24/01/2024 12:00",))
    assert "no_history" not in found and "missing_history" not in found


def test_a_queue_is_no_owner_in_the_leads_and_in_the_history(tmp_path: Path) -> None:
    leads, history = salesforce_export(
        tmp_path,
        "00QA,Working,2024-01-22T20:36:47.000+0000,005Ec000009xYzAAA,\n"
        "00QB,New,2024-01-22T20:36:47.000+0000,00GEc000001QueueAA,\n",
        "00QA,2024-01-23T09:00:00.000+0000,Owner,EntityId,005Ec000004oBPNIA2,00GEc000001QueueAA\n"
        "00QA,2024-01-24T10:00:00.000+0000,Owner,EntityId,00GEc000001QueueAA,005Ec000009xYzAAA\n",
    )
    con, loaded = load(leads, history, name="salesforce")
    owners = rows(con, "from_value, to_value", "lead_events WHERE kind = 'owner'")
    assert owners == [("005Ec000004oBPNIA2", None), (None, "005Ec000009xYzAAA")]
    assert rows(con, "lead_id, owner_id, routed_at") == [
        ("00QA", "005Ec000009xYzAAA", dt.datetime(2024, 1, 24, 10, 0)),  # the first assignment to a person
        ("00QB", None, None),
    ]
    [finding] = codes(loaded)["queue_owner"]
    assert (finding.column, finding.count, finding.examples) == ("OwnerId", 1, ("00GEc000001QueueAA",))


def test_a_day_read_as_its_end_does_not_set_the_default_as_of(tmp_path: Path) -> None:
    leads, _ = salesforce_export(tmp_path, "00QA,Working,2026-03-02T13:00:00.000+0000,005A,2026-03-05\n", "")
    con, loaded = load(leads, name="salesforce")
    assert rows(con, "last_activity_at") == [(dt.datetime(2026, 3, 6, 4, 59, 59),)]
    assert loaded.latest == dt.datetime(2026, 3, 2, 13, 0)
