"""Positions survive parsing; unsafe or malformed YAML is refused with a location."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadspec.spec.codes import Code
from leadspec.spec.yaml_source import Position, YamlError, read_yaml


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "f.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_keys_and_values_keep_one_based_positions(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "a: 1\nsteps:\n  - do: x\n    by: sdr\n"), "f.yaml")
    assert doc.data == {"a": 1, "steps": [{"do": "x", "by": "sdr"}]}
    assert doc.keys[("steps", 0, "by")] == Position(4, 5)
    assert doc.values[("steps", 0, "by")] == Position(4, 9)
    assert doc.locate(("steps", 0, "missing")) == Position(3, 5)


def test_duplicate_key_is_reported_with_both_lines(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "a: 1\nb: 2\na: 3\n"), "f.yaml")
    [problem] = doc.problems
    assert (problem.code, problem.line, problem.column) == (Code.LS003, 3, 1)
    assert "line 1" in problem.hint
    assert doc.data == {"a": 1, "b": 2}


def test_python_tags_are_refused(tmp_path: Path) -> None:
    with pytest.raises(YamlError) as exc:
        read_yaml(write(tmp_path, "a: !!python/object/apply:os.system ['true']\n"), "f.yaml")
    assert exc.value.finding.code is Code.LS001
    assert exc.value.finding.line == 1


def test_syntax_error_shows_context(tmp_path: Path) -> None:
    with pytest.raises(YamlError) as exc:
        read_yaml(write(tmp_path, "a: 1\nb: [2\nc: 3\n"), "f.yaml")
    finding = exc.value.finding
    assert finding.code is Code.LS001
    assert "b: [2" in finding.context


def test_utf8_bom_is_accepted_and_latin1_refused(tmp_path: Path) -> None:
    assert read_yaml(write(tmp_path, b"\xef\xbb\xbfa: 1\n"), "f.yaml").data == {"a": 1}
    with pytest.raises(YamlError) as exc:
        read_yaml(write(tmp_path, b"a: 1\nb: caf\xe9\n"), "f.yaml")
    assert (exc.value.finding.code, exc.value.finding.line, exc.value.finding.column) == (Code.LS002, 2, 7)


def test_merge_keys_are_resolved(tmp_path: Path) -> None:
    doc = read_yaml(write(tmp_path, "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n"), "f.yaml")
    assert doc.data["other"] == {"x": 1, "y": 2}


def billion_laughs(levels: int = 9, width: int = 9, merge: bool = False) -> str:
    """Each line repeats the one before `width` times: width ** levels values in a few lines."""
    first = ", ".join(f"k{i}: x" for i in range(width)) if merge else ", ".join(["x"] * width)
    lines = [f"l0: &l0 {{{first}}}" if merge else f"l0: &l0 [{first}]"]
    for n in range(1, levels):
        items = ", ".join([f"*l{n - 1}"] * width)
        lines.append(f"l{n}: &l{n} {{<<: [{items}]}}" if merge else f"l{n}: &l{n} [{items}]")
    return "\n".join(lines) + "\n"


INSIDE_A_VALUE = "top:\n  inside:\n" + "".join(f"    {line}\n" for line in billion_laughs().splitlines())


@pytest.mark.parametrize("text", [billion_laughs(), INSIDE_A_VALUE, billion_laughs(merge=True)])
def test_aliases_that_multiply_are_refused_at_their_line(tmp_path: Path, text: str) -> None:
    with pytest.raises(YamlError) as exc:
        read_yaml(write(tmp_path, text), "f.yaml")
    finding = exc.value.finding
    assert finding.code is Code.LS006 and "more than 200,000 values" in finding.message
    assert finding.line > 1


def test_an_alias_to_itself_is_refused(tmp_path: Path) -> None:
    with pytest.raises(YamlError) as exc:
        read_yaml(write(tmp_path, "a: 1\nb: &r [x, *r]\n"), "f.yaml")
    assert (exc.value.finding.code, exc.value.finding.line, exc.value.finding.column) == (Code.LS006, 2, 11)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [("a: 1\nb: 'x\x07y'\n", 2, 6), ("a: \x00\n", 1, 4), ("a: \x1b[31mred\n", 1, 4)],
)
def test_control_characters_are_named_at_their_position(
    tmp_path: Path, text: str, line: int, column: int
) -> None:
    with pytest.raises(YamlError) as exc:
        read_yaml(write(tmp_path, text), "f.yaml")
    finding = exc.value.finding
    assert (finding.code, finding.line, finding.column) == (Code.LS001, line, column)
    assert "U+00" in finding.message


def test_deep_nesting_and_huge_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(YamlError) as deep:
        read_yaml(write(tmp_path, "a: " + "[" * 100 + "]" * 100 + "\n"), "f.yaml")
    assert deep.value.finding.code is Code.LS007
    with pytest.raises(YamlError) as many:
        read_yaml(write(tmp_path, "a: [" + "1, " * 200_001 + "1]\n"), "f.yaml")
    assert many.value.finding.code is Code.LS007
    with pytest.raises(YamlError) as huge:
        read_yaml(write(tmp_path, "a: '" + "x" * 5_000_001 + "'\n"), "f.yaml")
    assert huge.value.finding.code is Code.LS007 and "MB" in huge.value.finding.message
