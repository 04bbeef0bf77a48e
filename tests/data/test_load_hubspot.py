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
    first = con.execute(
        "SELECT created_at, mql_at, sql_at, owner_id, employee_count, intent_score "
        "FROM leads WHERE lead_id = '53'"
    ).fetchone()
    assert first == (
        dt.datetime(2024, 3, 8, 21, 40),
        dt.datetime(2024, 3, 8, 22, 0),
        dt.datetime(2024, 3, 12, 14, 30),
        "Sam Patel",
        1200,
        70,
    )
    found = codes(loaded)
    assert [(f.column, f.count, f.examples) for f in found["unmapped_status"]] == [
        ("Lifecycle Stage", 1, ("other",))
    ]
    assert [(f.column, f.examples) for f in found["unknown_source"]] == [("Original Source", ("TRADE_SHOW",))]
    assert "no_history" in found
    assert loaded.latest == dt.datetime(2024, 3, 12, 14, 30)


def test_api_times_ending_in_z_are_utc_whatever_the_mappings_zone(tmp_path) -> None:
    header = (FIXTURES / "hubspot_contacts.csv").read_text(encoding="utf-8").splitlines()[0]
    columns = header.split(",")

    def row(lead_id: str, created: str) -> str:
        values = {"Record ID": lead_id, "Create Date": created, "Lifecycle Stage": "lead"}
        return ",".join(values.get(column, "") for column in columns)

    export = tmp_path / "contacts.csv"
    export.write_text(
        "\n".join([header, row("61", "2024-03-05T14:22:31.000Z"), row("62", "2024-03-05 14:22")]) + "\n",
        encoding="utf-8",
    )
    con, _ = load(export, name="hubspot")
    # The mapping's zone is New York: 14:22 written without a zone is 19:22 UTC.
    assert rows(con, "lead_id, created_at") == [
        ("61", dt.datetime(2024, 3, 5, 14, 22, 31)),
        ("62", dt.datetime(2024, 3, 5, 19, 22)),
    ]
