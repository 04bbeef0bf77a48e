"""The MkDocs plugin path: a real `mkdocs build` of a copy of the repository's site."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT, copy_project
from leadspec.cli import main
from leadspec.mkdocs_plugin import LeadspecPlugin
from leadspec.site import SiteError, build_site

DEFINITION = "is a newly captured"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def html(site: Path, page: str) -> str:
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_every_stage_and_role_has_a_page_with_an_inline_diagram(reference_site: Path) -> None:
    site = reference_site
    for stage in sorted((ROOT / "stages").glob("*.yaml")):
        page = html(site, f"stages/{stage.stem}")
        assert "<svg" in page and "<?xml" not in page, stage.stem
        assert (site / "diagrams" / f"{stage.stem}.svg").read_text().startswith("<?xml")
    assert "<svg" in html(site, "")
    assert "Sales Development Representative" in html(site, "roles/sdr")
    assert (site / "job-aids" / "qualification-call-guide" / "index.html").exists()


def test_a_yaml_edit_shows_in_the_rebuilt_page(project: Path, reference_site: Path) -> None:
    site = project / "site"
    shutil.copytree(reference_site, site)
    assert DEFINITION in html(site, "stages/inquiry")
    edit(project / "stages" / "inquiry.yaml", DEFINITION, "is a freshly captured")
    build_site(project / "mkdocs.yml", site)
    assert "is a freshly captured" in html(site, "stages/inquiry")


def test_spec_text_with_template_syntax_and_html_stays_text(project: Path) -> None:
    edit(
        project / "stages" / "inquiry.yaml",
        DEFINITION,
        "is {{ not_a_macro }} {% if x %} <b>bold</b> a newly captured",
    )
    site = project / "site"
    build_site(project / "mkdocs.yml", site)
    page = html(site, "stages/inquiry")
    assert "{{ not_a_macro }} {% if x %} &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<b>bold</b>" not in page


def test_a_spec_error_stops_the_build_and_keeps_the_old_site(project: Path, reference_site: Path) -> None:
    site = project / "site"
    shutil.copytree(reference_site, site)
    edit(project / "stages" / "nurture.yaml", "owner: marketing_ops", "owner: marketing_opps")
    with pytest.raises(SiteError, match=r"stages/nurture\.yaml:\d+:\d+: LS101"):
        build_site(project / "mkdocs.yml", site)
    assert (site / "index.html").exists()
    result = CliRunner().invoke(main, ["build", str(project)])
    assert result.exit_code == 1
    assert "stages/nurture.yaml:" in result.output and "LS101" in result.output


def test_broken_yaml_stops_the_build_with_exit_2(project: Path) -> None:
    edit(project / "stages" / "nurture.yaml", "owner: marketing_ops", "owner: [marketing_ops")
    result = CliRunner().invoke(main, ["build", str(project)])
    assert result.exit_code == 2
    assert "stages/nurture.yaml:" in result.output and "LS001" in result.output
    assert not (project / "site").exists()


def test_serve_watches_the_spec_and_templates(project: Path) -> None:
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"))
    plugin = config.plugins["leadspec"]
    assert isinstance(plugin, LeadspecPlugin)

    class Server:
        watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = plugin.on_serve(Server(), config=config, builder=None)
    watched = {Path(p).relative_to(project).as_posix() for p in server.watched}
    assert watched == {"process", "stages", "definitions", "checks"}


def test_macros_quote_the_spec_in_hand_written_pages(reference_site: Path) -> None:
    page = html(reference_site, "service-levels")
    assert "<strong>1 working hour" in page
    assert "{{" not in page


def test_a_broken_macro_fails_the_build_cleanly(project: Path) -> None:
    (project / "docs" / "broken.md").write_text(
        "---\nrender_macros: true\n---\n\nWithin {{ window('no_such_stage') }}.\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["build", str(project)])
    assert result.exit_code == 1
    assert "no_such_stage" in result.output or "broken.md" in result.output
    assert not (project / "site").exists()


def test_a_configured_report_adds_the_conformance_page(reported_site: Path) -> None:
    site = reported_site
    page = html(site, "conformance")
    assert "inquiry.inq_meets_mql_threshold" in page and "By failure mode" in page
    assert "In the latest conformance report" in html(site, "stages/inquiry")
    assert "@example.com" not in page


def test_without_a_report_there_is_no_conformance_page(reference_site: Path) -> None:
    site = reference_site
    assert not (site / "conformance").exists()
    assert "In the latest conformance report" not in html(site, "stages/inquiry")
