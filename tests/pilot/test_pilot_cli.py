"""`leadspec pilot` end to end: the bundled example, exit codes, inputs it cannot use, privacy."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from click.testing import CliRunner

from conftest import ROOT, assert_golden, copy_spec
from leadspec.cli import main

SALESFORCE = ROOT / "examples" / "salesforce"
DEMO = [
    str(SALESFORCE / "Lead.csv"),
    "--events",
    str(SALESFORCE / "LeadHistory.csv"),
    "--mapping",
    "salesforce",
    "--as-of",
    "2026-11-02T11:00:00",
]
HISTORY_KPIS = ("days_in_stage", "stage_conversion")


def run(*args: str, spec: Path = ROOT) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["pilot", *args, "--spec", str(spec)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def kpis(path: Path) -> dict[str, dict]:
    return {k["id"]: k for k in json.loads(path.read_text(encoding="utf-8"))["kpis"]}


def test_the_demo_report_on_the_bundled_example(tmp_path: Path, update_goldens: bool) -> None:
    json_out, markdown_out = tmp_path / "pilot.json", tmp_path / "pilot.md"
    code, output = run(*DEMO, "--json", str(json_out), "--markdown", str(markdown_out))
    assert code == 1, output
    assert output.endswith("exit status 1\n")
    assert markdown_out.read_text(encoding="utf-8").startswith("## leadspec pilot: ")
    assert_golden(
        ROOT / "tests" / "golden" / "pilot" / "salesforce.json",
        json_out.read_text(encoding="utf-8"),
        update_goldens,
    )
    found = kpis(json_out)
    assert {k for k, v in found.items() if v["status"] != "not_measurable"} == {
        "leads_per_month",
        "source_mix",
        "speed_to_first_contact",
        "qualification_rate",
        "days_in_stage",
        "lead_velocity",
        "stage_conversion",
        "mql_acceptance_rate",
        "disqualification_rate",
    }


def test_the_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    run(*DEMO, "--json", str(first))
    run(*DEMO, "--json", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_no_personal_value_reaches_any_output(tmp_path: Path) -> None:
    json_out, markdown_out = tmp_path / "pilot.json", tmp_path / "pilot.md"
    _, output = run(*DEMO, "--json", str(json_out), "--markdown", str(markdown_out))
    texts = [output, json_out.read_text(encoding="utf-8"), markdown_out.read_text(encoding="utf-8")]
    with (SALESFORCE / "Lead.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    personal = {row[c].strip() for row in rows for c in ("Email", "Phone", "Name") if row[c].strip()}
    surnames = {row["LastName"] for row in rows if row["LastName"]}
    for text in texts:
        assert not [value for value in personal if value in text]
        words = set(re.findall(r"[A-Za-z][A-Za-z'-]+", text))
        assert not words & surnames - {"Lead", "Stage"}


def test_every_measured_kpi_met_exits_0(tmp_path: Path) -> None:
    spec = copy_spec(ROOT, tmp_path / "spec")
    kpis_file = spec / "definitions" / "kpis.yaml"
    text = re.sub(
        r"    target:\n(      m(in|ax): .*\n)+",
        "    target: {min: 0, max: 100000}\n",
        kpis_file.read_text(encoding="utf-8"),
    )
    kpis_file.write_text(text, encoding="utf-8")
    out = tmp_path / "pilot.json"
    code, output = run(*DEMO, "--json", str(out), spec=spec)
    assert code == 0, output
    assert {k["status"] for k in kpis(out).values()} == {"met", "not_measurable"}


def test_without_a_history_the_history_measures_say_why(tmp_path: Path) -> None:
    out = tmp_path / "pilot.json"
    run(str(SALESFORCE / "Lead.csv"), "--mapping", "salesforce", "--json", str(out))
    found = kpis(out)
    for kpi in HISTORY_KPIS:
        assert found[kpi]["status"] == "not_measurable"
        assert "no history file was given (--events)" in found[kpi]["reason"]
    assert found["source_mix"]["status"] != "not_measurable"
    assert found["qualification_rate"]["reason"] == (
        "the mapping 'salesforce' derives mql_at from the history, and no history was read"
    )
    assert json.loads(out.read_text(encoding="utf-8"))["funnel"]["history"] is False


def test_a_field_the_mapping_leaves_empty_makes_its_kpis_not_measurable(tmp_path: Path) -> None:
    spec = copy_spec(ROOT, tmp_path / "spec")
    mapping = spec / "checks" / "mappings" / "salesforce.yaml"
    text = mapping.read_text(encoding="utf-8")
    for line, kept in (
        ("    first_contact_at: [First_Contact_Date__c, First Contact Date]\n", ""),
        (" first_contact_at, fit_grade,", " fit_grade,"),
    ):
        assert text.count(line) == 1, line  # the edit must take, or the test proves nothing
        text = text.replace(line, kept)
    mapping.write_text(text, encoding="utf-8")
    out = tmp_path / "pilot.json"
    run(*DEMO, "--json", str(out), spec=spec)
    speed = kpis(out)["speed_to_first_contact"]
    assert speed["status"] == "not_measurable" and speed["value"] is None
    assert speed["reason"] == (
        "the mapping 'salesforce' gives first_contact_at no column, constant or derivation"
    )


def test_a_kpi_without_a_measure_is_not_measurable(tmp_path: Path) -> None:
    spec = copy_spec(ROOT, tmp_path / "spec")
    kpis_file = spec / "definitions" / "kpis.yaml"
    text = kpis_file.read_text(encoding="utf-8")
    text = text.replace("    measure:\n      kind: share\n      by: source_category\n", "")
    kpis_file.write_text(text, encoding="utf-8")
    out = tmp_path / "pilot.json"
    run(*DEMO, "--json", str(out), spec=spec)
    assert kpis(out)["source_mix"]["status"] == "not_measurable"
    assert "no measure" in kpis(out)["source_mix"]["reason"]


def test_a_team_and_a_period(tmp_path: Path) -> None:
    team = tmp_path / "team.txt"
    team.write_text(
        "# the two pilot SDRs\n005Ec0000000GWZIA2\n005Ec0000000GWgIAM, 005Ec0000000GWZIA2\n", encoding="utf-8"
    )
    out = tmp_path / "pilot.json"
    run(*DEMO, "--team", str(team), "--from", "2026-06-01", "--to", "2026-08-31", "--json", str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["team"] == ["005Ec0000000GWZIA2", "005Ec0000000GWgIAM"]
    assert document["period"] == {"from": "2026-06-01", "to": "2026-08-31"}
    months = [(i["key"], i["complete"]) for i in kpis(out)["leads_per_month"]["breakdown"]]
    assert months == [("2026-06", True), ("2026-07", True), ("2026-08", True)]
    everyone = tmp_path / "all.json"
    run(*DEMO, "--from", "2026-06-01", "--to", "2026-08-31", "--json", str(everyone))
    assert 0 < document["leads"] < json.loads(everyone.read_text(encoding="utf-8"))["leads"]


def test_unusable_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "pilot.json"
    code, output = run(str(SALESFORCE / "Lead.csv"), "--mapping", "no_such_crm", "--json", str(out))
    assert code == 2 and not out.exists()
    code, output = run(*DEMO, "--from", "2026-09-01", "--to", "2026-08-01", "--json", str(out))
    assert code == 2 and "ends before it starts" in output and not out.exists()
    code, output = run(*DEMO, "--team", " , ", "--json", str(out))
    assert code == 2 and not out.exists()
    broken = copy_spec(ROOT, tmp_path / "spec")
    kpis_file = broken / "definitions" / "kpis.yaml"
    kpis_file.write_text(
        kpis_file.read_text(encoding="utf-8").replace(
            "      kind: stage_days\n", "      kind: stage_weeks\n"
        ),
        encoding="utf-8",
    )
    code, output = run(*DEMO, "--json", str(out), spec=broken)
    assert code == 2 and "LS012" in output and not out.exists()


def test_an_earlier_as_of_time_ends_the_period_there(tmp_path: Path) -> None:
    out = tmp_path / "pilot.json"
    args = [a if a != "2026-11-02T11:00:00" else "2026-06-30T12:00:00" for a in DEMO]
    run(*args, "--from", "2026-03-01", "--json", str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["period"] == {"from": "2026-03-01", "to": "2026-06-30"}
    months = [(i["key"], i["complete"]) for i in kpis(out)["leads_per_month"]["breakdown"]]
    assert months == [("2026-03", True), ("2026-04", True), ("2026-05", True), ("2026-06", False)]
    with (SALESFORCE / "Lead.csv").open(encoding="utf-8-sig") as handle:
        created = [row["CreatedDate"][:10] for row in csv.DictReader(handle)]
    assert document["funnel"]["leads"] <= sum("2026-03-01" <= day <= "2026-06-30" for day in created)
