"""Mapping files: the shipped ones fit the reference spec; broken ones point at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from data_support import mapping, reference_spec
from leadspec.data import MappingError, known_mappings, load_mapping
from leadspec.data.validate import check_mapping, value_maps

VALID = """\
name: tiny
description: A small mapping for tests.
timestamps:
  formats: ["%Y-%m-%d %H:%M"]
leads:
  lead_id: Id
  columns:
    stage: Status
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def messages(exc: pytest.ExceptionInfo[MappingError]) -> list[str]:
    return [f"{f.location}: {f.code.name} {f.message} {f.hint}" for f in exc.value.findings]


@pytest.mark.parametrize("name", ["salesforce", "hubspot", "generic"])
def test_shipped_mappings_fit_the_reference_spec(name: str) -> None:
    loaded = mapping(name)
    assert loaded.name == name and loaded.path == f"checks/mappings/{name}.yaml"
    assert check_mapping(loaded, reference_spec()) == []


def test_names_resolve_under_the_spec_root_and_paths_are_used_as_is(tmp_path: Path) -> None:
    assert {"generic", "hubspot", "salesforce"} <= set(known_mappings(ROOT))
    assert load_mapping(write(tmp_path, VALID), ROOT).name == "tiny"
    with pytest.raises(MappingError) as exc:
        load_mapping("salesforse", ROOT)
    [found] = messages(exc)
    assert "checks/mappings/salesforse.yaml" in found and "Did you mean 'salesforce'?" in found


def test_stage_statuses_come_from_the_spec_and_the_mapping() -> None:
    stage = value_maps(mapping("salesforce"), reference_spec())["stage"]
    assert stage["open - not contacted"] == "inquiry"  # stages/inquiry.yaml crm_status
    assert stage["working"] == "sales_accepted"  # checks/mappings/salesforce.yaml


def test_schema_errors_carry_file_line_and_column(tmp_path: Path) -> None:
    text = VALID.replace("  columns:", "  colums:").replace("timestamps:", "timestamps:\n  zone: UTC")
    with pytest.raises(MappingError) as exc:
        load_mapping(write(tmp_path, text), ROOT)
    found = messages(exc)
    assert any(
        m.startswith(f"{tmp_path / 'tiny.yaml'}:8:3: LS010 unknown key 'colums'")
        and "Did you mean 'columns'?" in m
        for m in found
    ), found
    assert any(":4:3: LS010 unknown key 'zone'" in m for m in found), found


def test_yaml_syntax_errors_carry_the_line(tmp_path: Path) -> None:
    with pytest.raises(MappingError) as exc:
        load_mapping(write(tmp_path, VALID + "  values: [unclosed\n"), ROOT)
    assert messages(exc)[0].startswith(f"{tmp_path / 'tiny.yaml'}:10:")
    assert exc.value.findings[0].code.name == "LS001"


def test_unquoted_yes_is_refused_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(MappingError) as exc:
        load_mapping(write(tmp_path, VALID + "values:\n  stage:\n    Yes: inquiry\n"), ROOT)
    [found] = messages(exc)
    assert ":11:" in found and "must be quoted" in found


@pytest.mark.parametrize(
    ("addition", "line", "expected"),
    [
        ("constants:\n  motoin: b2b\n", 10, "LS102 'motoin' is not a field of the data dictionary"),
        ("constants:\n  motion: b2x\n", 10, "'b2x' is not an allowed value of motion"),
        ("values:\n  stage:\n    Open: inqury\n", 11, "'inqury' is not an allowed value of stage"),
        ("values:\n  stage:\n    Nurture: inquiry\n", 11, "status 'Nurture' is claimed by stage 'nurture'"),
        ("values:\n  employee_count: {many: '500'}\n", 10, "only text fields take a value map"),
        ("derived:\n  routed_at: last_entered:mql\n", 10, "LS103 'mql' is not a stage"),
        ("derived:\n  routed_at: first_owner\n", 10, "'first_owner' is not a derivation"),
    ],
)
def test_spec_errors_point_at_the_mapping_line(
    tmp_path: Path, addition: str, line: int, expected: str
) -> None:
    path = write(tmp_path, VALID + addition)
    try:
        problems = check_mapping(load_mapping(path, ROOT), reference_spec())
    except MappingError as exc:
        problems = exc.findings
    found = [f"{f.location}: {f.code.name} {f.message}" for f in problems]
    assert any(m.startswith(f"{path}:{line}:") and expected in m for m in found), found


def test_bad_time_zone_and_format_are_reported(tmp_path: Path) -> None:
    text = VALID.replace('["%Y-%m-%d %H:%M"]', '["%Y-%m-%d %Q"]\n  time_zone: Mars/Olympus')
    with pytest.raises(MappingError) as exc:
        load_mapping(write(tmp_path, text), ROOT)
    assert any(":5:14: LS012" in m and "not an IANA time zone" in m for m in messages(exc))
    loaded = load_mapping(write(tmp_path, VALID.replace("%H:%M", "%Q")), ROOT)
    [problem] = check_mapping(loaded, reference_spec())
    assert (problem.line, problem.code.name) == (4, "LS012") and "%Q" in problem.message
