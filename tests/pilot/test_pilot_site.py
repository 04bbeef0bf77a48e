"""The playbook with a pilot report configured: a Pilot results page with the annotated funnel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import copy_project
from leadspec.site import SiteError, build_site


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", "examples")


def test_a_configured_pilot_report_adds_the_pilot_page(reported_site: Path) -> None:
    site = reported_site
    report = json.loads((site.parent / "build" / "pilot.json").read_text(encoding="utf-8"))
    page = (site / "pilot" / "index.html").read_text(encoding="utf-8")
    assert "KPIs against their targets" in page and "<svg" in page
    inquiry = next(s for s in report["funnel"]["stages"] if s["id"] == "inquiry")
    assert f"{inquiry['entered']} entered, {inquiry['current']} now" in page
    move = next(
        m for m in report["funnel"]["moves"] if (m["from"], m["to"]) == ("inquiry", "marketing_qualified")
    )
    assert f"{move['count']} ({move['rate']:g}%)" in page
    funnel = (site / "diagrams" / "pilot-funnel.svg").read_text(encoding="utf-8")
    assert funnel.startswith("<?xml") and f"{move['count']} ({move['rate']:g}%)" in funnel
    assert "@example.com" not in page
    assert 'href="pilot/"' in (site / "index.html").read_text(encoding="utf-8")  # in the navigation


def test_without_a_pilot_report_there_is_no_pilot_page(reference_site: Path) -> None:
    assert not (reference_site / "pilot").exists()


def test_a_report_of_another_format_stops_the_build(project: Path) -> None:
    report = project / "build" / "pilot.json"
    report.parent.mkdir(parents=True)
    report.write_text(json.dumps({"format_version": 99, "kpis": []}), encoding="utf-8")
    with pytest.raises(SiteError, match="pilot report format 99"):
        build_site(project / "mkdocs.yml", project / "site")
