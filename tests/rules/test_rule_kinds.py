"""Every rule kind: documented with fixed headings, its examples executed, its cases run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from harness import run_check
from leadspec.rules import KINDS
from leadspec.rules.base import SECTIONS

CASES = Path(__file__).parent / "cases"


def _yaml_block(markdown: str) -> dict:
    match = re.search(r"```yaml\n(.*?)```", markdown, re.S)
    assert match, "section has no ```yaml block"
    return yaml.safe_load(match.group(1))


def test_every_module_that_builds_is_a_kind() -> None:
    """The registry finds kinds by what their modules define; nothing lists them."""
    import importlib
    import pkgutil

    import leadspec.rules as rules

    building = {
        m.name
        for m in pkgutil.iter_modules(rules.__path__)
        if callable(getattr(importlib.import_module(f"leadspec.rules.{m.name}"), "build", None))
    }
    assert set(KINDS) == building and "expression" in KINDS


@pytest.mark.parametrize("name", sorted(KINDS))
def test_the_options_section_documents_every_option(name: str) -> None:
    """A kind's page names each key of its `Options` model, and no other option."""
    kind = KINDS[name]
    documented = set(re.findall(r"^- `(\w+)`", kind.section("Options"), re.M)) - {"scope"}
    assert documented == set(kind.options.model_fields), name


@pytest.mark.parametrize("name", sorted(KINDS))
def test_docstring_has_the_fixed_headings(name: str) -> None:
    kind = KINDS[name]
    assert kind.title and not kind.title.startswith("#")
    for heading in SECTIONS:
        assert kind.section(heading), f"{name}: section '{heading}' is missing or empty"


@pytest.mark.parametrize("name", sorted(KINDS))
def test_documented_example_violates_and_use_instead_passes(name: str) -> None:
    example = _yaml_block(KINDS[name].section("Example"))
    assert example["violations"], "the Example must show at least one violation"
    assert run_check(example) == example["violations"]
    instead = _yaml_block(KINDS[name].section("Use instead"))
    assert run_check(instead) == instead["violations"] == []


def _cases() -> list[tuple[str, str]]:
    found = []
    for file in sorted(CASES.glob("*.yaml")):
        for case_name in yaml.safe_load(file.read_text(encoding="utf-8")):
            found.append((file.stem, case_name))
    return found


def test_every_kind_has_a_case_file() -> None:
    assert {p.stem for p in CASES.glob("*.yaml")} == set(KINDS)


@pytest.mark.parametrize(("kind", "case_name"), _cases())
def test_case(kind: str, case_name: str) -> None:
    case = yaml.safe_load((CASES / f"{kind}.yaml").read_text(encoding="utf-8"))[case_name]
    assert case["check"]["kind"] == kind
    assert run_check(case) == case["violations"]
