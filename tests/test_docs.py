"""Documentation that is generated from code stays equal to the code."""

from __future__ import annotations

from conftest import ROOT, assert_golden
from leadspec.render.codes import codes_markdown
from leadspec.spec.codes import Code


def test_codes_reference_is_current(update_goldens: bool) -> None:
    assert_golden(ROOT / "docs" / "reference" / "codes.md", codes_markdown(), update_goldens)


def test_every_code_is_documented() -> None:
    for code in Code:
        assert code.info.title and code.info.explanation.endswith("."), code.name
        assert code.info.severity in ("error", "warning"), code.name
