"""Report formats: each snapshot-tested against the one shared Report, then read back."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import ROOT, assert_golden, documented_fields, json_keys
from leadspec.conformance.report import Report, ReportFormatError
from leadspec.render.markdown import escape
from leadspec.render.report_json import as_dict, as_json
from leadspec.render.report_junit import as_junit
from leadspec.render.report_markdown import as_markdown
from leadspec.render.report_text import as_text
from leadspec.spec.printable import printable
from report_fixture import HOSTILE_DETAIL, HOSTILE_LEAD_ID, empty_report, sample_report

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "reports"

FORMATS: dict[str, Callable[[Report], str]] = {
    "report.txt": as_text,
    "report.json": as_json,
    "report.junit.xml": as_junit,
    "report.md": as_markdown,
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_golden(name: str, update_goldens: bool) -> None:
    assert_golden(GOLDEN / name, FORMATS[name](sample_report()), update_goldens)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_same_report_gives_same_bytes(name: str) -> None:
    assert FORMATS[name](sample_report()) == FORMATS[name](sample_report())


def test_empty_junit_golden(update_goldens: bool) -> None:
    assert_golden(GOLDEN / "empty.junit.xml", as_junit(empty_report()), update_goldens)


def test_text_without_color_is_plain() -> None:
    text = as_text(sample_report())
    assert "\x1b" not in text
    assert all(line == line.rstrip() for line in text.splitlines())
    assert text.endswith("1 rule failed, 1 warned, 4 passed, 2 skipped for lack of data; exit status 1\n")


def test_text_with_color_marks_status() -> None:
    assert "\x1b[" in as_text(sample_report(), color=True)


def test_text_lists_failing_and_warning_rules_first() -> None:
    rows = [
        line.split()[0]
        for line in as_text(sample_report()).splitlines()
        if line.endswith(("PASS", "FAIL", "WARN"))
    ]
    assert rows == [
        "first_response_met",
        "stage_response_met",
        "consent_recorded",
        "marketing_qualified.score_reached",
        "nurture_track_present",
        "stale_marketing_leads",
    ]


def test_text_keeps_a_hostile_detail_on_one_line() -> None:
    text = as_text(sample_report())
    assert f"{HOSTILE_LEAD_ID}: {printable(HOSTILE_DETAIL)}" in text
    assert "\\nthen | split" in text


def test_printable_escapes_terminal_control() -> None:
    assert printable("L-1\x1b[31m\u202e") == "L-1\\u001b[31m\\u202e"


def test_json_round_trip() -> None:
    report = sample_report()
    document = json.loads(as_json(report))
    statuses = [r.status for r in report.rules]
    assert document["format_version"] == report.format_version
    assert document["summary"] == {
        "rules": len(report.rules),
        "passed": statuses.count("pass"),
        "failed": statuses.count("fail"),
        "warned": statuses.count("warn"),
        "skipped": 2,
        "violations": sum(r.violations for r in report.rules),
        "exit_status": 1,
        "strict": False,
    }
    assert [r["id"] for r in document["rules"]] == [r.id for r in report.rules]
    first = document["rules"][1]
    assert first["status"] == "fail" and first["rate"] == 0.175
    assert first["samples"][2] == {
        "lead_id": HOSTILE_LEAD_ID,
        "detail": HOSTILE_DETAIL,
        "stage": None,
        "owner_id": None,
        "source_category": None,
        "age_days": None,
    }
    assert [f["code"] for f in document["data_findings"]] == ["unmapped_status", "unparseable_timestamp"]
    assert [m["happening"] for m in document["failure_modes"]] == [True, None]


def test_the_json_report_reads_back_as_the_same_report() -> None:
    for report in (sample_report(), empty_report()):
        assert Report.from_json(as_json(report)) == report
        assert Report.from_json(as_dict(report)) == report


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("not json", "is not JSON"),
        ("[]", "is a JSON object"),
        ('{"format_version": 1}', "conformance report format 1 is not 2"),
        ('{"format_version": 2, "rules": []}', "is not complete"),
    ],
)
def test_a_document_that_is_no_report_is_refused(document: str, message: str) -> None:
    with pytest.raises(ReportFormatError, match=message):
        Report.from_json(document)


def test_no_renderer_imports_another() -> None:
    """Every report format is a sibling over the records, sharing only wording and escaping."""
    import ast
    from pathlib import Path

    import leadspec.render as render

    shared = {"wording", "terminal", "markdown", "diagrams"}
    folder = Path(render.__file__).parent
    for path in sorted(folder.glob("*.py")):
        if not path.stem.startswith(("report_", "pilot_")) and path.stem != "findings":
            continue
        imported = {
            node.module
            for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        }
        assert imported <= shared, (path.name, imported - shared)


def test_json_empty_report_exits_zero() -> None:
    document = json.loads(as_json(empty_report()))
    assert document["rules"] == [] and document["summary"]["exit_status"] == 0


def _suite(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1 and suites[0].get("name") == "leadspec"
    return suites[0]


def test_junit_failures_are_error_rules_over_threshold() -> None:
    report = sample_report()
    suite = _suite(as_junit(report))
    cases = suite.findall("testcase")
    failing = [c.get("name") for c in cases if c.find("failure") is not None]
    assert failing == [r.id for r in report.rules if r.severity == "error" and r.violations > r.allowed]
    assert suite.get("tests") == str(len(cases)) == str(len(report.rules) + 1)
    assert suite.get("failures") == str(len(failing))
    assert suite.get("skipped") == "3"  # no leads in scope, and two rules the export cannot show
    failure = cases[1].find("failure")
    assert failure is not None and failure.get("message") == "7 violations, 4 allowed"
    assert failure.get("type") == "response_window"
    assert cases[1].get("classname") == "leadspec.response_window"
    assert HOSTILE_LEAD_ID in (failure.text or "")


def test_junit_warning_is_output_not_failure() -> None:
    cases = {c.get("name"): c for c in _suite(as_junit(sample_report())).findall("testcase")}
    warning = cases["stage_response_met"]
    assert warning.find("failure") is None
    assert "L-0021" in (warning.findtext("system-out") or "")
    assert "unmapped_status" in (cases["data"].findtext("system-out") or "")


def test_junit_empty_report_has_one_passing_case() -> None:
    suite = _suite(as_junit(empty_report()))
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["leadspec"]
    assert list(cases[0]) == []
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("1", "0", "0")


def test_markdown_escapes_hostile_values() -> None:
    markdown = as_markdown(sample_report())
    for raw in ("<b>", "<script>", "<i>", "&co", "then | split", "Lost | Other"):
        assert raw not in markdown
    assert "<br>then \\| split &amp; lost |" in markdown
    assert escape(HOSTILE_LEAD_ID) == "L-0042\\|&lt;b&gt;bold&lt;/b&gt;&amp;co"
    assert escape("a\nb") == "a<br>b"


def test_markdown_renders_hostile_values_as_text() -> None:
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(as_markdown(sample_report()))
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html
    rows = [row for row in html.split("<tr>")[1:] if "<td" in row]
    assert all(row.count("<td") in (5, 6) for row in rows)
    assert sum("<td" in row and row.count("<td") == 6 for row in rows) == 2


def test_markdown_title_and_links() -> None:
    markdown = as_markdown(sample_report(), site_url="https://playbook.example/")
    assert markdown.startswith("## leadspec: Failed, 2 rules not measured\n")
    assert "[first_response_met](https://playbook.example/reference/checks/#first_response_met)" in markdown
    assert as_markdown(empty_report()).startswith("## leadspec: Passed\n")


def test_every_json_field_is_documented() -> None:
    doc = (ROOT / "docs" / "reference" / "report-format.md").read_text(encoding="utf-8")
    document = as_dict(sample_report())
    rule = document["rules"][1]
    objects = [
        document,
        document["process"],
        document["inputs"][0],
        document["summary"],
        rule,
        rule["samples"][0],
        document["data_findings"][0],
        document["failure_modes"][0],
    ]
    prefixes = {id(document["process"]): "process."}
    for obj in objects:
        for key in obj:
            assert f"| `{prefixes.get(id(obj), '')}{key}` |" in doc, key


def test_strict_fails_on_warnings_and_on_rules_not_measured() -> None:
    report = sample_report()
    lenient = replace(report, rules=tuple(r for r in report.rules if r.status != "fail"))
    assert {r.status for r in lenient.rules} == {"pass", "warn", "skipped"}
    assert not lenient.failed and replace(lenient, strict=True).failed
    passing = replace(lenient, rules=tuple(r for r in lenient.rules if r.status == "pass"), strict=True)
    assert not passing.failed and passing.exit_status == 0


def test_every_field_of_the_json_report_is_documented() -> None:
    page = ROOT / "docs" / "reference" / "report-format.md"
    missing = json_keys(as_dict(sample_report())) - documented_fields(page)
    assert missing == set(), f"add these fields to {page.name}: {missing}"
