"""`leadspec check` end to end on small generic exports: outputs, exit codes, privacy."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from conftest import ROOT, salesforce_export
from leadspec.cli import main
from leadspec.sample import write_sample
from leadspec.spec import load_spec

SPEC = load_spec(ROOT).spec
CLEAN = {
    "lead_id": "00Q2",
    "stage": "sales_qualified",
    "motion": "b2b",
    "source_category": "inbound",
    "created_at": "2026-06-01T14:00:00Z",
    "email": "ana.lima@example.com",
    "last_name": "Lima",
    "first_name": "Ana",
    "phone": "+1 555 0100",
    "consent_status": "opted_in",
    "consent_at": "2026-06-01T14:00:00Z",
    "fit_grade": "A",
    "intent_score": "80",
    "readiness": "decision_ready",
    "owner_id": "005B",
    "routed_at": "2026-06-02T14:00:00Z",
    "first_contact_at": "2026-06-02T14:30:00Z",
    "mql_at": "2026-06-02T13:00:00Z",
    "sal_at": "2026-06-03T14:00:00Z",
    "sql_at": "2026-06-10T14:00:00Z",
    "last_activity_at": "2026-06-11T14:00:00Z",
    "need_confirmed": "true",
    "authority_confirmed": "true",
    "budget_confirmed": "true",
    "timeline": "this_quarter",
    "company": "Acme",
}
NEW_YORK = ZoneInfo("America/New_York")
WEAK = {
    **CLEAN,
    "lead_id": "00Q1",
    "fit_grade": "D",
    "email": "bo.berg@example.com",
    "last_name": "Berg",
    "first_name": "Bo",
}


def export(tmp_path: Path, rows: list[dict[str, str]], name: str = "leads.csv") -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=[f.id for f in SPEC.fields])
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args, "--spec", str(ROOT)])
    return result.exit_code, result.output


def test_clean_export_exits_0(tmp_path: Path) -> None:
    code, output = run(str(export(tmp_path, [CLEAN])), "--as-of", "2026-06-30")
    assert code == 0, output
    assert "0 rules failed" in output


def test_violations_exit_1_and_every_output_is_written(tmp_path: Path) -> None:
    leads = export(tmp_path, [CLEAN, WEAK])
    outputs = {name: tmp_path / name for name in ("r.json", "r.xml", "r.md", "v.csv")}
    code, output = run(
        str(leads),
        "--as-of",
        "2026-06-30",
        "--json",
        str(outputs["r.json"]),
        "--junit",
        str(outputs["r.xml"]),
        "--markdown",
        str(outputs["r.md"]),
        "--violations",
        str(outputs["v.csv"]),
    )
    assert code == 1
    report = json.loads(outputs["r.json"].read_text())
    failing = {r["id"] for r in report["rules"] if r["status"] == "fail"}
    assert "inquiry.inq_meets_mql_threshold" in failing
    assert report["as_of"] == "2026-06-30T00:00:00Z"
    suite = ET.parse(outputs["r.xml"]).getroot()
    assert suite.find(".//testcase[@name='inquiry.inq_meets_mql_threshold']/failure") is not None
    rows = list(csv.DictReader(outputs["v.csv"].open()))
    assert {r["lead_id"] for r in rows} == {"00Q1"}
    for path in outputs.values():
        text = path.read_text()
        for personal in ("example.com", "Lima", "Berg", "555 0100"):
            assert personal not in text, (path.name, personal)
    for personal in ("example.com", "Lima", "Berg"):
        assert personal not in output


def test_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    leads = export(tmp_path, [WEAK, CLEAN])
    texts = []
    for attempt in ("a", "b"):
        out = tmp_path / f"{attempt}.json"
        run(str(leads), "--as-of", "2026-06-30", "--json", str(out))
        texts.append(out.read_text().replace(f"{attempt}.json", ""))
    assert texts[0] == texts[1]


def test_as_of_defaults_to_the_latest_time_in_the_data(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    run(str(export(tmp_path, [CLEAN])), "--json", str(out))
    assert json.loads(out.read_text())["as_of"] == "2026-06-11T14:00:00Z"


def test_missing_required_column_exits_2_naming_file_and_column(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("lead_idd,stage\n00Q1,inquiry\n", encoding="utf-8")
    code, output = run(str(path))
    assert code == 2
    assert "leads.csv" in output and "lead_id" in output


def test_broken_encoding_exits_2_with_the_fix(tmp_path: Path) -> None:
    path = export(tmp_path, [{**CLEAN, "company": "Caf\u00e9 S\u00e3o Jo\u00e3o"}])
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    code, output = run(str(path))
    assert code == 2
    assert "latin-1" in output
    code, _ = run(str(path), "--encoding", "latin-1", "--as-of", "2026-06-30")
    assert code == 0


def test_broken_mapping_exits_2_with_file_and_line(tmp_path: Path) -> None:
    mapping = tmp_path / "mine.yaml"
    mapping.write_text("name: mine\nleads:\n  lead_id: Id\n  colums: {}\n", encoding="utf-8")
    code, output = run(str(export(tmp_path, [CLEAN])), "--mapping", str(mapping))
    assert code == 2
    assert "mine.yaml:4:" in output


def test_outputs_are_not_written_when_the_input_is_unusable(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("nothing,useful\n1,2\n", encoding="utf-8")
    out = tmp_path / "r.json"
    code, _ = run(str(path), "--json", str(out))
    assert code == 2 and not out.exists()


@pytest.mark.parametrize("as_of", ["2026-06-30", "2026-06-30T12:00:00"])
def test_as_of_accepts_a_date_or_a_time(tmp_path: Path, as_of: str) -> None:
    code, _ = run(str(export(tmp_path, [CLEAN])), "--as-of", as_of)
    assert code == 0


def test_mapping_init_drafts_from_the_header(tmp_path: Path) -> None:
    source = tmp_path / "Lead.csv"
    source.write_text("Id,LastName,Email,Status,OwnerId,CreatedDate,Rating__c\n", encoding="utf-8")
    out = tmp_path / "draft.yaml"
    result = CliRunner().invoke(
        main, ["mapping", "init", str(source), "--out", str(out), "--spec", str(ROOT)]
    )
    assert result.exit_code == 0, result.output
    assert "OwnerId" in out.read_text()
    again = CliRunner().invoke(main, ["mapping", "init", str(source), "--out", str(out)])
    assert again.exit_code == 2


def test_bundled_example_gives_exactly_its_planted_violations(tmp_path: Path) -> None:
    example = ROOT / "examples" / "generic"
    out = tmp_path / "v.csv"
    code, output = run(
        str(example / "leads.csv"),
        "--events",
        str(example / "events.csv"),
        "--as-of",
        "2026-10-30",
        "--violations",
        str(out),
    )
    assert code == 1, output
    found = {(r["lead_id"], r["rule_id"]) for r in csv.DictReader(out.open())}
    expected = {
        (r["lead_id"], r["rule_id"]) for r in csv.DictReader((example / "expected_violations.csv").open())
    }
    assert found == expected


def test_rules_the_export_has_no_data_for_are_skipped_not_judged(tmp_path: Path) -> None:
    """No column for consent: neither a failure for every lead nor a pass from empty values."""
    leads = tmp_path / "leads.csv"
    columns = [f.id for f in SPEC.fields if f.id not in ("consent_status", "consent_at")]
    with leads.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows([CLEAN, WEAK])
    report_path = tmp_path / "r.json"
    code, output = run(str(leads), "--as-of", "2026-06-30", "--json", str(report_path))
    report = json.loads(report_path.read_text(encoding="utf-8"))
    rules = {r["id"]: r for r in report["rules"]}
    consent = rules["consent_recorded"]
    assert (consent["status"], consent["checked"], consent["violations"]) == ("skipped", 0, 0)
    assert consent["skipped_because"] == "the export gives no data for consent_status"
    assert rules["consent_before_contact"]["skipped_because"] == (
        "the export gives no data for consent_at, consent_status"
    )
    # judged by the history alone, so skipped too: no history file was given
    assert rules["transitions_follow_lifecycle"]["status"] == "skipped"
    assert rules["one_owner"]["status"] == "pass"  # the current owner is there to check
    assert rules["inquiry.inq_meets_mql_threshold"]["status"] == "fail"  # WEAK has grade D
    assert report["summary"]["skipped"] == sum(r["status"] == "skipped" for r in report["rules"])
    assert code == 1
    assert "Not measured: the export lacks the data" in output
    assert "consent_recorded" in output.split("Not measured")[1]


def test_an_export_without_times_asks_for_as_of(tmp_path: Path) -> None:
    code, output = run(str(export(tmp_path, [{"lead_id": "00Q9", "stage": "inquiry"}], name="no-times.csv")))
    assert code == 2
    assert "no-times.csv: no row holds a time" in output and "give --as-of" in output


@pytest.mark.parametrize(
    "given", ["2026-06-30T12:00:00Z", "2026-06-30T14:00:00+02:00", "2026-06-30T12:00", "2026-06-30 12:00:00"]
)
def test_as_of_reads_iso_times_as_utc(tmp_path: Path, given: str) -> None:
    out = tmp_path / "r.json"
    code, output = run(str(export(tmp_path, [CLEAN])), "--as-of", given, "--json", str(out))
    assert code == 0, output
    assert json.loads(out.read_text(encoding="utf-8"))["as_of"] == "2026-06-30T12:00:00Z"


def test_as_of_that_is_not_a_time_is_a_usage_error(tmp_path: Path) -> None:
    code, output = run(str(export(tmp_path, [CLEAN])), "--as-of", "yesterday")
    assert code == 2 and "2026-06-30T12:00:00Z" in output


def test_windows_are_judged_without_a_source_column(tmp_path: Path) -> None:
    """Per-source windows only refine the motion's: without sources, the motion's window holds."""
    written = write_sample(tmp_path / "export", "generic", 200, 5, spec_root=ROOT)
    with written.export.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = [c for c in rows[0] if c != "source_category"]
    with written.export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "r.json"
    run(
        str(written.export),
        "--events",
        str(written.history),
        "--as-of",
        f"{written.as_of:%Y-%m-%dT%H:%M:%S}",
        "--json",
        str(out),
    )
    rules = {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))["rules"]}
    assert rules["first_response_met"]["status"] != "skipped"
    assert rules["first_response_met"]["checked"] > 0
    assert rules["source_known"]["status"] == "skipped"  # judged by the source alone


def test_salesforce_report_footers_change_nothing_and_name_no_one(tmp_path: Path) -> None:
    """The bundled Salesforce export as a Classic report writes it: each file ends in a footer."""
    example = ROOT / "examples" / "salesforce"
    footer = (
        '\r\n""\r\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\r\n'
        '"Confidential Information - Do Not Distribute"\r\n'
        '"Generated By:  Quillon Vask  11/2/2026 11:00 AM"\r\n"Zembla Widgets"\r\n'
    )
    files = []
    for name in ("Lead.csv", "LeadHistory.csv"):
        (tmp_path / name).write_bytes((example / name).read_bytes() + footer.encode())
        files.append(str(tmp_path / name))
    out, report = tmp_path / "v.csv", tmp_path / "r.json"
    code, output = run(
        files[0],
        "--events",
        files[1],
        "--mapping",
        "salesforce",
        "--as-of",
        "2026-11-02T11:00:00",
        "--violations",
        str(out),
        "--json",
        str(report),
    )
    assert code == 1, output
    found = {(r["lead_id"], r["rule_id"]) for r in csv.DictReader(out.open())}
    assert found == {
        (r["lead_id"], r["rule_id"]) for r in csv.DictReader((example / "expected_violations.csv").open())
    }
    footers = [f for f in json.loads(report.read_text())["data_findings"] if f["code"] == "report_footer"]
    assert [(f["message"].split()[0], f["count"]) for f in footers] == [
        ("Lead.csv", 6),
        ("LeadHistory.csv", 6),
    ]
    for text in (output, report.read_text(), out.read_text()):
        assert "Quillon" not in text and "Zembla" not in text


LABELS = {
    "Id": "Lead ID",
    "CreatedDate": "Create Date",
    "FirstName": "First Name",
    "LastName": "Last Name",
    "Company": "Company / Account",
    "LeadSource": "Lead Source",
    "Status": "Lead Status",
    "OwnerId": "Lead Owner",
    "ConvertedDate": "Converted Date",
    "LastActivityDate": "Last Activity",
    "AnnualRevenue": "Annual Revenue",
    "NumberOfEmployees": "No. of Employees",
    "MobilePhone": "Mobile",
}


def as_report_cell(value: str) -> str:
    """A Data Loader value as a Lightning report shows it: local time, US order, 12-hour clock."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        day = dt.date.fromisoformat(value)
        return f"{day.month}/{day.day}/{day.year}"
    if re.fullmatch(r"\d{4}-\d\d-\d\dT.*\+0000", value):
        local = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(NEW_YORK)
        return (
            f"{local.month}/{local.day}/{local.year}, {local.hour % 12 or 12}:"
            f"{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
        )
    return value


HISTORY_LABELS = {
    "LeadId": "Lead ID",
    "CreatedById": "Edited By",
    "CreatedDate": "Edit Date",
    "Field": "Field / Event",
    "OldValue": "Old Value",
    "NewValue": "New Value",
}
FIELD_LABELS = {
    "Status": "Lead Status",
    "Owner": "Lead Owner",
    "created": "Created.",
    "Last_Touch_Date__c": "Last Touch Date",
}


def write_report(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A Salesforce report export: every cell quoted, local times, CRLF, the footer."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([as_report_cell(value) for value in row] for row in rows)
        out.write(
            '\r\n""\r\n"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."\r\n'
            '"Confidential Information - Do Not Distribute"\r\n'
        )
    return path


def test_salesforce_reports_read_as_the_data_loader_export(tmp_path: Path) -> None:
    """A leads report and a Lead History report of the bundled sample: the same results."""
    example = ROOT / "examples" / "salesforce"
    with (example / "Lead.csv").open(encoding="utf-8-sig", newline="") as source:
        leads = list(csv.DictReader(source))
    with (example / "LeadHistory.csv").open(encoding="utf-8-sig", newline="") as source:
        # A report shows each owner change once, and has no DataType column.
        changes = [
            row for row in csv.DictReader(source) if row.pop("DataType") != "Text" or row["Field"] != "Owner"
        ]
    lead_report = write_report(
        tmp_path / "report1700000000000.csv",
        [LABELS.get(c, c.removesuffix("__c").replace("_", " ")) for c in leads[0]],
        [list(row.values()) for row in leads],
    )
    history_report = write_report(
        tmp_path / "report1700000000001.csv",
        [HISTORY_LABELS.get(c, c) for c in changes[0]],
        [[FIELD_LABELS.get(v, v) if c == "Field" else v for c, v in row.items()] for row in changes],
    )
    outputs = []
    for files in ((example / "Lead.csv", example / "LeadHistory.csv"), (lead_report, history_report)):
        out = tmp_path / f"{files[0].stem}.json"
        code, output = run(
            str(files[0]),
            "--events",
            str(files[1]),
            "--mapping",
            "salesforce",
            "--as-of",
            "2026-11-02T11:00:00",
            "--json",
            str(out),
        )
        assert code == 1, output
        outputs.append(json.loads(out.read_text()))
    loader_report, label_report = outputs
    assert label_report["rules"] == loader_report["rules"]
    assert label_report["summary"] == loader_report["summary"]
    # The columns are named differently, by design; the footers are the reports' own.
    assert [
        (f["code"], f["count"], f["message"], f["examples"])
        for f in label_report["data_findings"]
        if f["code"] != "report_footer"
    ] == [(f["code"], f["count"], f["message"], f["examples"]) for f in loader_report["data_findings"]]
    assert [f["count"] for f in label_report["data_findings"] if f["code"] == "report_footer"] == [4, 4]


def test_a_date_only_last_activity_counts_the_whole_day(tmp_path: Path) -> None:
    """LastActivityDate is a day: work on the day of acceptance is after it, the day before is not."""
    leads, history = salesforce_export(
        tmp_path,
        "00QA,Working,2026-03-02T13:00:00.000+0000,005A,2026-03-03\n"
        "00QB,Working,2026-03-02T13:00:00.000+0000,005A,2026-03-02\n",
        "".join(
            f"{lead},2026-03-03T15:00:00.000+0000,Status,Text,Open - Not Contacted,Working\n"
            for lead in ("00QA", "00QB")
        ),
    )  # both accepted at 10:00 in New York on March 3rd
    out = tmp_path / "v.csv"
    run(
        str(leads),
        "--events",
        str(history),
        "--mapping",
        "salesforce",
        "--as-of",
        "2026-03-04",
        "--violations",
        str(out),
    )
    flagged = {
        r["lead_id"] for r in csv.DictReader(out.open()) if r["rule_id"] == "worked_leads_have_activity"
    }
    assert flagged == {"00QB"}


def test_end_of_day_takes_only_timestamp_fields(tmp_path: Path) -> None:
    mapping = tmp_path / "mine.yaml"
    mapping.write_text(
        "name: mine\ndescription: Mine.\ntimestamps:\n  formats: ['%Y-%m-%d']\n"
        "  end_of_day: [company]\nleads:\n  lead_id: Id\n",
        encoding="utf-8",
    )
    code, output = run(str(export(tmp_path, [CLEAN])), "--mapping", str(mapping))
    assert code == 2
    assert "mine.yaml:5:" in output and "'company' is not a timestamp field" in output


def test_strict_fails_on_a_rule_the_export_cannot_show(tmp_path: Path) -> None:
    """CLEAN passes every rule it can be judged on; without a history, some cannot be."""
    leads, out = export(tmp_path, [CLEAN]), tmp_path / "r.json"
    code, output = run(str(leads), "--as-of", "2026-06-30")
    assert code == 0 and "skipped for lack of data" in output
    code, output = run(str(leads), "--as-of", "2026-06-30", "--strict", "--json", str(out))
    assert code == 1, output
    assert "exit status 1 (--strict" in output
    summary = json.loads(out.read_text())["summary"]
    assert (summary["failed"], summary["exit_status"], summary["strict"]) == (0, 1, True)


def test_trace_prints_each_statement_with_its_time_and_rows(tmp_path: Path) -> None:
    leads = export(tmp_path, [CLEAN, WEAK])
    result = CliRunner().invoke(
        main, ["check", str(leads), "--as-of", "2026-06-30", "--trace", "--spec", str(ROOT)]
    )
    traced = re.findall(r"^-- (.+): (\d+\.\d{3})s, ([\d,]+|\?) rows$", result.stderr, re.M)
    labels = {label: rows for label, _, rows in traced}
    # The weak lead alone breaks row rules: the scan keeps it and its details are written.
    assert labels[next(k for k in labels if k.startswith("row rules ("))] == "1"
    assert int(labels[next(k for k in labels if k.startswith("row rules: details"))]) >= 1
    assert "working_clock" in labels and "SELECT" in result.stderr
