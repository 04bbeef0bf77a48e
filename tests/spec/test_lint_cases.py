"""Every finding code, raised by one small broken copy of the minimal fixture spec."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import MINIMAL, apply_edits, copy_spec
from leadspec.rules.lint import lint
from leadspec.spec import load_spec
from leadspec.spec.codes import Code

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))


def test_minimal_fixture_is_clean() -> None:
    assert lint(load_spec(MINIMAL)) == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str, tmp_path: Path) -> None:
    case = CASES[name]
    root = copy_spec(MINIMAL, tmp_path / "spec")
    apply_edits(root, case)
    found = [(f.code.name, f.path, f.line) for f in lint(load_spec(root))]
    assert found == [tuple(e) for e in case["expect"]]


def test_every_code_has_a_case() -> None:
    """Every spec code (LS0 to LS4) is raised here; the export codes (LS5) by tests/hostile."""
    covered = {name.split("_")[0] for name in CASES}
    assert covered == {code.name for code in Code if not code.name.startswith("LS5")}
