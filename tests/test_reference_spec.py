"""The bundled reference process is complete and clean: a new user's starting point."""

from __future__ import annotations

from conftest import ROOT
from leadspec.rules.lint import lint
from leadspec.spec import load_spec

LEAD_STAGES = {
    "inquiry",
    "marketing_qualified",
    "nurture",
    "sales_accepted",
    "sales_qualified",
    "converted",
    "disqualified",
}


def test_reference_spec_has_no_findings() -> None:
    findings = lint(load_spec(ROOT))
    assert [f"{f.location}: {f.code.name} {f.message}" for f in findings] == []


def test_reference_spec_covers_the_lifecycle() -> None:
    spec = load_spec(ROOT).spec
    assert spec is not None
    ids = [s.id for s in spec.stages]
    assert ids[:2] == ["demand_creation", "engagement"]
    assert set(ids) >= LEAD_STAGES
    assert set(spec.process.motions) == {"b2b", "b2c"}
    for stage in spec.stages:
        assert 3 <= len(stage.steps) <= 8, stage.id
        assert stage.job_aids, stage.id


def test_every_yaml_file_names_its_schema() -> None:
    for folder in ("process", "stages", "definitions", "checks"):
        for file in sorted((ROOT / folder).glob("*.yaml")):
            first = file.read_text(encoding="utf-8").splitlines()[0]
            assert first.startswith("# yaml-language-server: $schema=../schema/"), file
            schema = first.split("=", 1)[1]
            assert (file.parent / schema).resolve().is_file(), file
