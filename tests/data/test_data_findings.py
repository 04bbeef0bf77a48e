"""Problems in the data come back as counted findings, never as crashes, and never quote PII."""

from __future__ import annotations

import csv
from pathlib import Path

from data_support import FIXTURES, codes, load
from leadspec.data import CODES
from leadspec.data.findings import sort_key

SALESFORCE = [
    "Id",
    "Email",
    "Phone",
    "FirstName",
    "LastName",
    "Company",
    "Title",
    "Industry",
    "NumberOfEmployees",
    "AnnualRevenue",
    "LeadSource",
    "Status",
    "OwnerId",
    "ConvertedDate",
    "ConvertedOpportunityId",
    "LastActivityDate",
    "CreatedDate",
]


def salesforce_file(path: Path, leads: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, SALESFORCE)
        writer.writeheader()
        for lead in leads:
            writer.writerow(
                {
                    "Email": f"{lead.get('Id') or 'x'}@example.com",
                    "LastName": "Silva",
                    "OwnerId": "005A",
                    **lead,
                }
            )
    return path


def messy(tmp_path: Path) -> Path:
    return salesforce_file(
        tmp_path / "Lead.csv",
        [
            {
                "Id": "00Q1",
                "Status": "Open - Not Contacted",
                "LeadSource": "Web",
                "CreatedDate": "2026-03-02T09:00:00.000+0000",
            },
            {"Id": "00Q2", "Status": "On Hold", "LeadSource": "Webinar", "CreatedDate": "yesterday"},
            {"Id": "00Q2", "Status": "On Hold", "LeadSource": "Webinar", "CreatedDate": "03/02/26 09:15 AM"},
            {
                "Id": "00Q3",
                "Status": "Parked",
                "LeadSource": "Other",
                "NumberOfEmployees": "about 50",
                "CreatedDate": "2026-03-02T11:00:00.000+0000",
            },
            {"Id": "", "Status": "New", "LeadSource": "Web"},
        ],
    )


def test_data_problems_are_counted_with_examples(tmp_path: Path) -> None:
    con, loaded = load(messy(tmp_path), name="salesforce")
    found = codes(loaded)
    summary = {code: [(f.column, f.count, f.examples) for f in items] for code, items in found.items()}
    assert summary["unmapped_status"] == [("Status", 3, ("On Hold", "Parked"))]
    assert summary["unknown_source"] == [("LeadSource", 2, ("Webinar",))]
    assert summary["unparseable_timestamp"] == [("CreatedDate", 1, ("yesterday",))]
    assert summary["unparseable_value"] == [("NumberOfEmployees", 1, ("about 50",))]
    assert summary["duplicate_lead_id"] == [("Id", 1, ("00Q2",))]
    assert summary["missing_lead_id"] == [("Id", 1, ())]
    assert "2 rows" in found["duplicate_lead_id"][0].message
    assert con.execute("SELECT COUNT(*) FROM leads").fetchone() == (4,)
    assert set(found) <= set(CODES)
    assert list(loaded.findings) == sorted(loaded.findings, key=sort_key)


def test_examples_never_come_from_personal_fields(tmp_path: Path) -> None:
    mapping = tmp_path / "pii.yaml"
    mapping.write_text(
        """\
name: pii
description: A value map on a personal field, whose misses must not be quoted.
timestamps: {formats: ["%Y-%m-%d"]}
leads:
  lead_id: Id
  columns: {first_name: FirstName, last_name: LastName, email: Email, stage: Status}
values:
  first_name: {"n/a": null}
""",
        encoding="utf-8",
    )
    path = salesforce_file(
        tmp_path / "Lead.csv",
        [
            {"Id": "00Q1", "FirstName": "Ana", "Status": "Open - Not Contacted"},
            {"Id": "00Q2", "FirstName": "Ben", "Status": "Open - Not Contacted"},
        ],
    )
    _, loaded = load(path, name=mapping)
    [unmapped] = codes(loaded)["unmapped_value"]
    assert (unmapped.column, unmapped.count, unmapped.examples) == ("FirstName", 2, ())
    text = repr(loaded.findings)
    assert "Ana" not in text and "@example.com" not in text


def test_no_history_file_means_history_rules_cannot_run() -> None:
    _, loaded = load(FIXTURES / "generic_leads.csv")
    [finding] = codes(loaded)["no_history"]
    assert finding.count == 3 and "cannot run" in finding.message
    unreached = {f.message.split("'")[1] for f in codes(loaded)["stage_never_reached"]}
    assert unreached == {"disqualified", "nurture", "sales_accepted", "sales_qualified"}


def test_a_history_of_other_leads_covers_none(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_text(
        "lead_id,at,kind,from_value,to_value\nX9,2026-03-02T09:00:00Z,stage,,inquiry\n", encoding="utf-8"
    )
    _, loaded = load(FIXTURES / "generic_leads.csv", events)
    [finding] = codes(loaded)["missing_history"]
    assert finding.count == 3 and "no change for any lead" in finding.message


def test_a_history_that_starts_late_is_reported(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_text(
        "lead_id,at,kind,from_value,to_value\nL3,2026-03-03T08:40:00Z,stage,inquiry,marketing_qualified\n",
        encoding="utf-8",
    )
    con, loaded = load(FIXTURES / "generic_leads.csv", events)
    [finding] = codes(loaded)["missing_history"]
    assert finding.count == 3 and "2026-03-03 08:40" in finding.message
    assert con.execute("SELECT COUNT(*) FROM lead_events").fetchone() == (1,)


def test_a_full_history_reaches_the_stages_it_enters() -> None:
    _, loaded = load(FIXTURES / "generic_leads.csv", FIXTURES / "generic_events.csv")
    assert "missing_history" not in codes(loaded) and "no_history" not in codes(loaded)
    unreached = {f.message.split("'")[1] for f in codes(loaded)["stage_never_reached"]}
    assert unreached == {"disqualified", "nurture"}
