"""A draft mapping from an export's header: obvious columns filled in, the rest as comments."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from conftest import ROOT
from data_support import DATALOADER_LEADS, FIXTURES, load, needs_shared, reference_spec
from leadspec.data import draft_mapping, load_mapping
from leadspec.data.validate import check_mapping


@needs_shared
def test_salesforce_header_prefills_the_known_columns(tmp_path: Path) -> None:
    text = draft_mapping(DATALOADER_LEADS, reference_spec())
    data = yaml.safe_load(text)
    assert data["leads"]["lead_id"] == "Id"
    columns = data["leads"]["columns"]
    assert {k: columns[k] for k in ("email", "stage", "owner_id", "created_at")} == {
        "email": "Email",
        "stage": "Status",
        "owner_id": "OwnerId",
        "created_at": "CreatedDate",
    }
    assert "    # <field>: IsDeleted" in text and "    # <field>: Gender__c" in text
    path = tmp_path / "draft.yaml"
    path.write_text(text, encoding="utf-8")
    assert check_mapping(load_mapping(path, ROOT), reference_spec()) == []
    con, _ = load(DATALOADER_LEADS, name=path)
    assert con.execute("SELECT COUNT(*), COUNT(stage) FROM leads").fetchone() == (60, 0)


def test_hubspot_header_without_a_spec_uses_known_names() -> None:
    data = yaml.safe_load(draft_mapping(FIXTURES / "hubspot_contacts.csv"))
    assert data["name"] == "hubspot_contacts"
    assert data["leads"]["lead_id"] == "Record ID"
    assert (
        data["leads"]["columns"].items()
        >= {
            "created_at": "Create Date",
            "stage": "Lifecycle Stage",
            "owner_id": "Contact owner",
            "mql_at": "Became a Marketing Qualified Lead Date",
            "first_name": "First Name",
            "country": "Country/Region",
            "intent_score": "HubSpot Score",
        }.items()
    )


def test_spreadsheet_and_semicolon_headers(tmp_path: Path) -> None:
    data = yaml.safe_load(draft_mapping(FIXTURES / "generic_leads.xlsx", reference_spec()))
    assert data["leads"]["columns"]["routed_at"] == "routed_at"
    semi = tmp_path / "export 2024.csv"
    semi.write_text('Lead ID;"Created: Date";Status\n1;2;3\n', encoding="utf-8")
    data = yaml.safe_load(draft_mapping(semi, reference_spec()))
    assert data["name"] == "export_2024" and data["leads"]["lead_id"] == "Lead ID"
    assert data["leads"]["columns"] == {"created_at": "Created: Date", "stage": "Status"}


def test_salesforce_report_labels_and_lightning_dates(tmp_path: Path) -> None:
    """A report export names columns by label and writes Lightning's `3/5/2024, 2:22 PM`."""
    export = tmp_path / "report.csv"
    export.write_text(
        "Lead ID,Company / Account,Lead Status,Lead Owner,Create Date,Last Activity\n"
        '00Q1,Acme,Working - Contacted,Jane Doe,"3/5/2024, 2:22 PM",3/6/2024\n',
        encoding="utf-8",
    )
    text = draft_mapping(export, reference_spec())
    assert yaml.safe_load(text)["leads"]["columns"] == {
        "company": "Company / Account",
        "stage": "Lead Status",
        "owner_id": "Lead Owner",
        "created_at": "Create Date",
        "last_activity_at": "Last Activity",
    }
    path = tmp_path / "report.yaml"
    path.write_text(text, encoding="utf-8")
    con, _ = load(export, name=path)
    assert con.execute("SELECT created_at, stage FROM leads").fetchone() == (
        dt.datetime(2024, 3, 5, 14, 22),
        "sales_accepted",
    )


def test_a_history_export_drafts_the_events_section(tmp_path: Path) -> None:
    example = ROOT / "examples" / "salesforce"
    text = draft_mapping(example / "Lead.csv", reference_spec(), events=example / "LeadHistory.csv")
    data = yaml.safe_load(text)
    assert data["events"] == {
        "lead_id": "LeadId",
        "at": "CreatedDate",
        "field": "Field",
        "old_value": "OldValue",
        "new_value": "NewValue",
        "stage_fields": ["Status"],
        "owner_fields": ["Owner"],
        "created_fields": ["created"],
        "activity_fields": [],
        "owner_rows": {"column": "DataType", "equals": "EntityId"},
    }
    assert data["derived"] == {"routed_at": "first_owner_assignment"}
    assert "  #   Last_Touch_Date__c" in text  # offered as an activity
    path = tmp_path / "draft.yaml"
    path.write_text(text, encoding="utf-8")
    assert check_mapping(load_mapping(path, ROOT), reference_spec()) == []
    con, loaded = load(example / "Lead.csv", example / "LeadHistory.csv", name=path)
    assert (
        loaded.history
        and con.execute("SELECT COUNT(*) FROM lead_events WHERE kind = 'owner'").fetchone()[0] > 0
    )


def test_a_history_without_a_field_column_gets_the_template(tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    history.write_text("lead_id,at,old,new\nL1,2026-03-02T09:00:00Z,a,b\n", encoding="utf-8")
    text = draft_mapping(FIXTURES / "generic_leads.csv", reference_spec(), events=history)
    assert "# history.csv has no column that looks like field: name the columns below," in text
    assert "#   field: <column>" in text and "#   old_value: old" in text
    assert "events" not in yaml.safe_load(text)
