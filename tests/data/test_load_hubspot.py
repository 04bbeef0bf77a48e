"""The HubSpot mapping on a contacts export: two columns decide the stage."""

from __future__ import annotations

import datetime as dt

from data_support import FIXTURES, codes, load, rows


def test_hubspot_contacts_load_to_canonical_leads() -> None:
    con, loaded = load(FIXTURES / "hubspot_contacts.csv", name="hubspot")
    assert rows(con, "lead_id, stage, source_category, motion") == [
        ("51", "marketing_qualified", "inbound", "b2b"),  # Lead Status NEW defers to the lifecycle
        ("52", "disqualified", "inbound", "b2b"),  # Lead Status UNQUALIFIED decides
        ("53", "sales_qualified", "inbound", "b2b"),
        ("54", None, None, "b2b"),
        ("55", "converted", "outbound", "b2b"),
    ]
    first = con.execute("SELECT created_at, mql_at, sql_at, owner_id, employee_count, intent_score "
                        "FROM leads WHERE lead_id = '53'").fetchone()
    assert first == (dt.datetime(2024, 3, 8, 21, 40), dt.datetime(2024, 3, 8, 22, 0),
                     dt.datetime(2024, 3, 12, 14, 30), "Sam Patel", 1200, 70)
    found = codes(loaded)
    assert [(f.column, f.count, f.examples) for f in found["unmapped_status"]] == [
        ("Lifecycle Stage", 1, ("other",))]
    assert [(f.column, f.examples) for f in found["unknown_source"]] == [("Original Source", ("TRADE_SHOW",))]
    assert "no_history" in found
    assert loaded.latest == dt.datetime(2024, 3, 12, 14, 30)
