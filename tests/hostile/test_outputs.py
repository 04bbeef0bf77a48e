"""Hostile values in every field of an export that reaches an output: spreadsheet formulas,
HTML, terminal escapes, rich markup, addresses and phone numbers. The bundled Salesforce
sample is poisoned, checked with every report, measured as a pilot and published; each
output must stay inert where it is read, and personal data must not reach any of them."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from bounded import Outcome, assert_outcome, run_bounded
from conftest import copy_project

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\tTAB",
    "\rCR",
]
MARKUP = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\x1b[31mred\x1b[0m",
    "[bold red]rich[/]",
    "**bold** | pipe `code`",
    "bell\x07",
]
PERSONAL = ["call jane.doe@example.net", "+1 (415) 555-0134", "ring 020 7946 0958"]
POISONS = FORMULAS + MARKUP + PERSONAL
POISONED = [
    "OwnerId",
    "Disqualification_Reason__c",
    "Recycle_Reason__c",
    "LeadSource",
    "Nurture_Track__c",
    "Campaign__c",
    "Fit_Grade__c",
    "Readiness__c",
    "Timeline__c",
]
LEAKS = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+\.example\.(com|net|org)|555-01\d\d|7946 0958")
AS_OF = "2026-11-02T11:00:00"


@dataclass(frozen=True)
class Published:
    check: Outcome
    pilot: Outcome
    build: Outcome
    build_dir: Path
    site: Path


def poison(source: Path, target: Path, *, every: int) -> None:
    """Every field of POISONED, on every `every`-th lead, and the lead id of some, poisoned."""
    text = source.read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text, newline="")))
    index = {name: table[0].index(name) for name in ["Id", "Status", *POISONED]}
    for n, row in enumerate(table[1:]):
        value = POISONS[n // every % len(POISONS)]
        if n % every == 0:
            for name in POISONED:
                row[index[name]] = value
        if n % 25 == 0:
            row[index["Id"]] = f"{FORMULAS[n // 25 % len(FORMULAS)]}{n}"
        if n % 40 == 0:
            row[index["Status"]] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(table)
    target.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    project = copy_project(tmp_path_factory.mktemp("poisoned") / "project", "examples")
    sample = project / "examples" / "salesforce"
    poison(sample / "Lead.csv", sample / "Lead.csv", every=3)
    build = project / "build"
    export = [
        str(sample / "Lead.csv"),
        "--events",
        str(sample / "LeadHistory.csv"),
        "--mapping",
        "salesforce",
        "--as-of",
        AS_OF,
        "--spec",
        str(project),
    ]
    checked = run_bounded(
        [
            "check",
            *export,
            "--json",
            str(build / "conformance.json"),
            "--junit",
            str(build / "conformance.xml"),
            "--markdown",
            str(build / "conformance.md"),
            "--violations",
            str(build / "violations.csv"),
        ],
        cwd=project,
    )
    piloted = run_bounded(
        ["pilot", *export, "--json", str(build / "pilot.json"), "--markdown", str(build / "pilot.md")],
        cwd=project,
    )
    built = run_bounded(["build", str(project)], cwd=project, seconds=90, megabytes=900)
    return Published(checked, piloted, built, build, project / "site")


def violations(published: Published) -> list[dict[str, str]]:
    with (published.build_dir / "violations.csv").open(encoding="utf-8", newline="") as text:
        return list(csv.DictReader(text))


def outputs(published: Published) -> dict[str, str]:
    texts = {"check terminal": published.check.text, "pilot terminal": published.pilot.text}
    texts |= {p.name: p.read_text(encoding="utf-8") for p in sorted(published.build_dir.iterdir())}
    texts |= {
        f"site/{p.relative_to(published.site)}": p.read_text(encoding="utf-8")
        for p in sorted(published.site.rglob("*.html"))
    }
    return texts


def test_every_command_ends_as_it_should(published: Published) -> None:
    assert_outcome(published.check, 1, re.compile(r"\| 300 leads checked"))
    assert_outcome(published.pilot, 1, "KPI")
    assert_outcome(published.build, 0, "built the playbook")


def test_no_personal_value_reaches_any_output(published: Published) -> None:
    texts = outputs(published)
    assert len([name for name in texts if name.startswith("site/")]) > 10
    leaks = {name: LEAKS.search(text).group() for name, text in texts.items() if LEAKS.search(text)}
    assert leaks == {}
    everything = "".join(texts.values())
    assert "<email>" in everything and "<phone>" in everything  # the poison did reach them


def test_no_terminal_or_report_carries_a_control_character(published: Published) -> None:
    for name, text in outputs(published).items():
        if name not in ("violations.csv",):
            assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text), name


def test_the_json_report_keeps_values_exact(published: Published) -> None:
    report = json.loads((published.build_dir / "conformance.json").read_text(encoding="utf-8"))
    shown = json.dumps(report)
    assert any(f.split("(")[0] in shown for f in FORMULAS[:1])
    owners = {s["owner_id"] for r in report["rules"] for s in r["samples"] if s["owner_id"]}
    assert owners & set(POISONS), owners
    assert not any(o.startswith("'") for o in owners)


def test_junit_is_well_formed_xml(published: Published) -> None:
    root = ET.fromstring((published.build_dir / "conformance.xml").read_text(encoding="utf-8"))
    assert root.tag == "testsuites" and root.find(".//failure") is not None


def test_markdown_and_the_site_hold_no_live_markup(published: Published) -> None:
    for name, text in outputs(published).items():
        if name.endswith((".md", ".html")):
            assert "<script>alert" not in text and "<img src=x" not in text, name


def test_the_violations_csv_starts_no_formula(published: Published) -> None:
    table = violations(published)
    starts = tuple("=+-@\t\r")
    assert table and not [c for row in table for c in row.values() if c.startswith(starts)]
    neutralised = {
        column: [row[column] for row in table if row[column].startswith("'")]
        for column in ("lead_id", "owner_id", "detail")
    }
    assert all(v[1:].startswith(starts) for values in neutralised.values() for v in values)
    assert neutralised["lead_id"] and neutralised["owner_id"], neutralised


def test_no_violation_is_lost_on_the_way_to_the_csv(published: Published) -> None:
    """Per rule, the CSV names as many leads as the report counts, poisoned ids included."""
    report = json.loads((published.build_dir / "conformance.json").read_text(encoding="utf-8"))
    leads: dict[str, set[str]] = {}
    for row in violations(published):
        leads.setdefault(row["rule_id"], set()).add(row["lead_id"])
    counted = {r["id"]: r["violations"] for r in report["rules"] if r["violations"]}
    assert {rule: len(ids) for rule, ids in leads.items()} == counted
