"""The generated playbook pages, pinned as golden Markdown for the reference spec."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PAGES, ROOT, assert_golden, fake_svg
from leadspec.render.pages import build_pages, page_paths
from leadspec.spec import load_spec

GOLDEN = Path(__file__).parents[1] / "golden" / "pages"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    spec = load_spec(ROOT).spec
    assert spec is not None
    return build_pages(spec, PAGES, fake_svg)


def test_a_page_for_every_stage_and_role(pages: dict[str, str]) -> None:
    spec = load_spec(ROOT).spec
    assert spec is not None
    assert list(pages) == page_paths(spec)
    for stage in spec.stages:
        assert f"stages/{stage.id}.md" in pages
        assert "<svg" in pages[f"stages/{stage.id}.md"]
    for role in spec.roles:
        assert f"roles/{role.id}.md" in pages


@pytest.mark.parametrize("path", page_paths(load_spec(ROOT).spec))  # type: ignore[arg-type]
def test_page_matches_golden(path: str, pages: dict[str, str], update_goldens: bool) -> None:
    assert_golden(GOLDEN / path, pages[path], update_goldens)


def test_pages_switch_off_macros_and_escape_spec_text(tmp_path: Path) -> None:
    spec = load_spec(ROOT).spec
    assert spec is not None
    stage = spec.stages[2]
    hostile = stage.model_copy(update={"definition": "Say {{ boom }} and <script>x()</script>."})
    spec = spec.model_copy(update={"stages": [*spec.stages[:2], hostile, *spec.stages[3:]]})
    page = build_pages(spec, PAGES, fake_svg)[f"stages/{stage.id}.md"]
    assert page.startswith("---\ntitle:")
    assert "render_macros: false" in page
    assert "Say {{ boom }} and &lt;script&gt;x()&lt;/script&gt;." in page
    assert "<script>" not in page


def test_glossary_terms_become_tooltips(pages: dict[str, str]) -> None:
    spec = load_spec(ROOT).spec
    assert spec is not None
    for term in spec.glossary:
        if term.abbreviation:
            assert f"*[{term.abbreviation}]: " in pages["index.md"]


def test_conformance_page_matches_golden(update_goldens: bool) -> None:
    import json

    spec = load_spec(ROOT).spec
    assert spec is not None
    report = json.loads((GOLDEN.parent / "reports" / "report.json").read_text(encoding="utf-8"))
    pages = build_pages(spec, PAGES, fake_svg, report)
    assert list(pages)[-1] == "conformance.md"
    assert "&lt;i&gt;Recycled&lt;/i&gt;" in pages["conformance.md"]
    assert_golden(GOLDEN / "conformance.md", pages["conformance.md"], update_goldens)


def test_stage_page_names_criteria_the_export_could_not_show() -> None:
    import json

    spec = load_spec(ROOT).spec
    assert spec is not None
    report = json.loads((GOLDEN.parent / "reports" / "report.json").read_text(encoding="utf-8"))
    report["rules"].append(
        {
            **report["rules"][0],
            "id": "marketing_qualified.mql_fit_and_intent",
            "status": "skipped",
            "checked": 0,
            "violations": 0,
            "skipped_because": "the export gives no data for <fit_grade>",
        }
    )
    pages = build_pages(spec, PAGES, fake_svg, report)
    page = pages["stages/marketing_qualified.md"]
    assert '!!! warning "In the latest conformance report' in page
    assert (
        "(<code>marketing_qualified.mql_fit_and_intent</code>): the export gives no "
        "data for &lt;fit_grade&gt;"
    ) in page
    import markdown

    html = markdown.markdown(page, extensions=["admonition", "attr_list", "md_in_html"])
    assert "<li>Not measured: " in html  # a list inside the admonition, not a run-on paragraph
