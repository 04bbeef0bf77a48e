"""The version history page and the role pages' "what changed" sections, pinned as golden
Markdown for the reference spec and its releases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import MINIMAL, PAGES, ROOT, assert_golden, fake_svg
from leadspec.render.pages import build_pages, page_paths
from leadspec.spec import load_spec
from leadspec.versions import load_history

GOLDEN = Path(__file__).parents[1] / "golden" / "pages"


@pytest.fixture(scope="module")
def history() -> dict[str, Any]:
    spec = load_spec(ROOT).spec
    assert spec is not None
    found = load_history(ROOT, spec)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def pages(history: dict[str, Any]) -> dict[str, str]:
    spec = load_spec(ROOT).spec
    assert spec is not None
    return build_pages(spec, PAGES, fake_svg, history=history)


def test_history_lists_releases_newest_first(history: dict[str, Any]) -> None:
    assert [r["version"] for r in history["releases"]] == ["0.75", "0.5"]
    assert history["latest"] == "0.75"
    assert history["working"]["version"] == "1.0"
    assert len(history["working"]["changes"]) == 3


def test_history_page_matches_golden(pages: dict[str, str], update_goldens: bool) -> None:
    page = pages["history.md"]
    assert page.index("## Release 0.75") < page.index("## Release 0.5")
    assert "<code>fit_grade IN (&#39;A&#39;, &#39;B&#39;)" in page  # code spans keep quotes
    assert_golden(GOLDEN / "history.md", page, update_goldens)


@pytest.mark.parametrize("role", ["sdr", "finance_partner"])
def test_role_pages_say_what_changed_for_the_role(
    role: str, pages: dict[str, str], update_goldens: bool
) -> None:
    page = pages[f"roles/{role}.md"]
    assert "## What changed for this role in 0.75" in page
    assert_golden(GOLDEN / "with-history" / "roles" / f"{role}.md", page, update_goldens)


def test_without_releases_there_is_no_history() -> None:
    spec = load_spec(MINIMAL).spec
    assert spec is not None
    assert load_history(MINIMAL, spec) is None
    assert "history.md" not in page_paths(spec)
    pages = build_pages(spec, PAGES, fake_svg)
    assert "What changed for this role" not in pages["roles/ae.md"]
