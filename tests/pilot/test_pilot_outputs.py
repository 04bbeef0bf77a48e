"""Pilot report formats, the playbook page and its funnel diagram, pinned on one shared report."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from markdown_it import MarkdownIt

from conftest import PAGES, ROOT, assert_golden, documented_fields, fake_svg, json_keys
from leadspec.pilot.report import PilotReport
from leadspec.render.pages import build_pages, page_paths
from leadspec.render.pilot_json import as_dict, as_json
from leadspec.render.pilot_markdown import as_markdown
from leadspec.render.pilot_page import funnel_dot
from leadspec.render.pilot_text import as_text
from leadspec.spec import load_spec
from pilot_fixture import HOSTILE_REASON, sample_pilot, without_history

GOLDEN = ROOT / "tests" / "golden" / "pilot"
SPEC = load_spec(ROOT).spec
assert SPEC is not None

FORMATS: dict[str, Callable[[PilotReport], str]] = {
    "pilot.txt": as_text,
    "pilot.json": as_json,
    "pilot.md": as_markdown,
    "pilot-no-history.md": lambda r: as_markdown(without_history()),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_golden(name: str, update_goldens: bool) -> None:
    assert_golden(GOLDEN / name, FORMATS[name](sample_pilot()), update_goldens)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_same_report_gives_same_bytes(name: str) -> None:
    assert FORMATS[name](sample_pilot()) == FORMATS[name](sample_pilot())


def test_json_keeps_the_release_gate_contract() -> None:
    document = json.loads(as_json(sample_pilot()))
    assert list(document)[:7] == ["format_version", "process", "version", "as_of", "period", "team", "inputs"]
    assert document["format_version"] == 1
    assert document["process"] == "Northwind Lead Management Process"
    assert document["version"] == "1.0"
    assert document["period"] == {"from": "2026-02-16", "to": "2026-05-04"}
    assert document["team"] == ["005A", "005B"]
    assert {"kpis", "funnel"} <= set(document)
    for kpi in document["kpis"]:
        assert {"id", "name", "unit", "status", "value", "target", "reason", "breakdown"} <= set(kpi)
        assert kpi["status"] in ("met", "missed", "not_measurable")
        assert set(kpi["target"]) == {"min", "max"}
        assert kpi["value"] is None or isinstance(kpi["value"], (int, float))
        assert isinstance(kpi["reason"], str) and kpi["reason"]
    assert document["summary"] == {"kpis": 11, "met": 4, "missed": 3, "not_measurable": 4, "exit_status": 1}


def test_json_reads_back_into_the_same_report() -> None:
    report = sample_pilot()
    assert PilotReport.from_json(as_dict(report)) == report
    assert PilotReport.from_json(json.loads(as_json(without_history()))) == without_history()


def test_text_is_plain_and_ends_with_the_verdict() -> None:
    text = as_text(sample_pilot())
    assert "\x1b" not in text
    assert all(line == line.rstrip() for line in text.splitlines())
    assert text.endswith("3 KPIs missed, 4 met, 4 not measurable; exit status 1\n")
    assert "\x1b[" in as_text(sample_pilot(), color=True)


def test_markdown_escapes_values_from_the_export() -> None:
    markdown = as_markdown(sample_pilot())
    assert HOSTILE_REASON not in markdown and "<b>" not in markdown
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    assert "<b>" not in html and "&lt;b&gt;budget&lt;/b&gt;" in html
    rows = [row for row in html.split("<tr>")[1:] if "<td" in row]
    assert rows and all(row.count("<td") in (3, 4, 5) for row in rows)


def test_funnel_dot_golden(update_goldens: bool) -> None:
    dot = funnel_dot(SPEC, as_dict(sample_pilot()), link_prefix="../")
    assert_golden(GOLDEN / "funnel.dot", dot, update_goldens)


def test_funnel_dot_labels_each_transition_with_its_move() -> None:
    dot = funnel_dot(SPEC, as_dict(sample_pilot()))
    assert '"inquiry" -> "marketing_qualified" [label="40 (41.67%)"' in dot
    assert '"marketing_qualified" -> "sales_accepted" [label="10 (33.33%)"' in dot
    assert '"sales_accepted" -> "nurture" [label="0"' in dot  # in the lifecycle, taken by none
    assert '"marketing_qualified" -> "converted"' not in dot  # not a transition: not drawn
    assert 'label="Inquiry\\n(INQ)\\n96 entered, 1 now"' in dot
    assert '"engagement" -> "inquiry" [tooltip=' in dot  # before a lead exists: no count
    bare = funnel_dot(SPEC, as_dict(without_history()))
    assert 'label="Inquiry\\n(INQ)\\n1 now"' in bare and "(41.67%)" not in bare


def test_pilot_page_golden(update_goldens: bool) -> None:
    pilot = as_dict(sample_pilot())
    pages = build_pages(SPEC, PAGES, fake_svg, pilot=pilot)
    assert list(pages) == page_paths(SPEC, pilot=pilot) and "pilot.md" in pages
    page = pages["pilot.md"]
    expected = funnel_dot(SPEC, pilot, link_prefix="../")
    assert fake_svg(expected) in page
    assert "&lt;b&gt;budget&lt;/b&gt;" in page and "<b>budget" not in page
    assert_golden(ROOT / "tests" / "golden" / "pages" / "pilot.md", page, update_goldens)


def test_no_pilot_report_no_page() -> None:
    assert "pilot.md" not in page_paths(SPEC)
    assert "pilot.md" not in build_pages(SPEC, PAGES, fake_svg)


def test_every_json_field_is_documented() -> None:
    doc = (ROOT / "docs" / "reference" / "kpi-measures.md").read_text(encoding="utf-8")
    document = as_dict(sample_pilot())
    kpis = {k["id"]: k for k in document["kpis"]}
    items = [i for k in document["kpis"] for i in k["breakdown"]]
    funnel = document["funnel"]
    for obj in [document, *document["kpis"], funnel]:
        for key in obj:
            assert f"| `{key}` |" in doc, key
    for item in items:
        for key in set(item) - {"key", "value", "count"}:
            assert f"| `{key}` |" in doc, key
    for kpi in kpis.values():
        for key in kpi["statistics"]:
            assert f"`{key}`" in doc, key
    for part in (funnel["stages"][0], funnel["moves"][0]):
        for key in part:
            assert f"`{key}`" in doc, key


def test_every_field_of_the_json_report_is_documented() -> None:
    page = ROOT / "docs" / "reference" / "kpi-measures.md"
    missing = json_keys(as_dict(sample_pilot())) - documented_fields(page)
    assert missing == set(), f"add these fields to {page.name}: {missing}"
