"""Hostile spec files: each breaks a copy of the minimal spec one way, and `validate` must
end with the right exit status and a located message, never a traceback or a hang."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bounded import Outcome, assert_outcome
from cases import Case, Prepare, Runs, spec_runs
from conftest import MINIMAL

GLOSSARY = "definitions/glossary.yaml"


def edit(rel: str, old: str, new: str | bytes) -> Prepare:
    """A preparation that replaces `old` in one file of the spec (bytes are written as they are)."""

    def prepare(root: Path) -> list[str]:
        path = root / rel
        text = path.read_bytes()
        assert old.encode() in text, f"{rel} has no {old!r}"
        replacement = new if isinstance(new, bytes) else new.encode()
        path.write_bytes(text.replace(old.encode(), replacement, 1))
        return ["validate", str(root)]

    return prepare


def write(rel: str, content: str | bytes) -> Prepare:
    def prepare(root: Path) -> list[str]:
        path = root / rel
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return ["validate", str(root)]

    return prepare


def remove(rel: str, *, make_folder: bool = False) -> Prepare:
    def prepare(root: Path) -> list[str]:
        (root / rel).unlink()
        if make_folder:
            (root / rel).mkdir()
        return ["validate", str(root)]

    return prepare


def laughs(levels: int = 9, width: int = 9) -> str:
    lines = [f"l0: &l0 [{', '.join(['lol'] * width)}]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * width)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


def at(rel: str, code: str, line: int | None = None) -> re.Pattern[str]:
    """`rel:line:col: CODE`, the way every finding starts."""
    where = str(line) if line is not None else r"\d+"
    return re.compile(rf"^{re.escape(rel)}:{where}:\d+: {code}\d* ", re.M)


CASES: dict[str, Case] = {
    "broken_yaml": Case(
        2,
        at("stages/nurture.yaml", "LS001", 3),
        edit("stages/nurture.yaml", "name: Nurture", "name: [Nurture"),
    ),
    "tab_indentation": Case(
        2, at(GLOSSARY, "LS001"), edit(GLOSSARY, "    abbreviation: MQL", "\tabbreviation: MQL")
    ),
    "duplicate_key": Case(
        1,
        at("stages/nurture.yaml", "LS003", 3),
        edit("stages/nurture.yaml", "definition:", "name: Again\ndefinition:"),
    ),
    "unknown_key": Case(
        1, at(GLOSSARY, "LS010", 3), edit(GLOSSARY, "    abbreviation: MQL", "    abbrevation: MQL")
    ),
    "mistyped_value": Case(
        1,
        at("stages/nurture.yaml", "LS012"),
        edit("stages/nurture.yaml", "steps:\n", "steps: 12\nold_steps:\n"),
    ),
    "wrong_type_of_list": Case(1, at(GLOSSARY, "LS01"), write(GLOSSARY, "glossary: {a: 1}\n")),
    "alias_bomb": Case(2, at(GLOSSARY, "LS006", 6), write(GLOSSARY, laughs() + "glossary: []\n"), seconds=5),
    "alias_bomb_inside_a_value": Case(
        2,
        at(GLOSSARY, "LS006"),
        write(
            GLOSSARY,
            "glossary:\n  - term: x\n    definition: y\n    extra:\n"
            + "".join(f"      {line}\n" for line in laughs().splitlines()),
        ),
        seconds=5,
    ),
    "alias_bomb_by_merge_keys": Case(
        2,
        at(GLOSSARY, "LS006"),
        write(
            GLOSSARY,
            "".join(
                [f"m0: &m0 {{{', '.join(f'k{i}: v' for i in range(9))}}}\n"]
                + [f"m{n}: &m{n} {{<<: [{', '.join([f'*m{n - 1}'] * 9)}]}}\n" for n in range(1, 9)]
            )
            + "glossary: []\n",
        ),
        seconds=5,
    ),
    "alias_to_itself": Case(
        2, at(GLOSSARY, "LS006", 2), write(GLOSSARY, "x: 1\nglossary: &g [*g]\n"), seconds=5
    ),
    "python_object_tag": Case(
        2, at(GLOSSARY, "LS001", 1), write(GLOSSARY, "glossary: !!python/object/apply:os.system [id]\n")
    ),
    "python_name_tag": Case(
        2, at(GLOSSARY, "LS001", 1), write(GLOSSARY, "glossary: !!python/name:os.system\n")
    ),
    "huge_file": Case(
        2,
        re.compile(rf"^{GLOSSARY}: LS007 .* 6\.\d MB", re.M),
        write(GLOSSARY, "glossary: []\n# " + "x" * 6_000_000 + "\n"),
    ),
    "many_values": Case(
        2, at(GLOSSARY, "LS007"), write(GLOSSARY, "glossary: []\nx: [" + "1, " * 250_000 + "1]\n")
    ),
    "deep_nesting": Case(
        2, at(GLOSSARY, "LS00[17]", 1), write(GLOSSARY, "glossary: " + "[" * 5000 + "]" * 5000 + "\n")
    ),
    "not_utf8": Case(
        2,
        at(GLOSSARY, "LS002", 4),
        edit(GLOSSARY, "A lead with fit", "A lead with caf\xe9 fit".encode("latin-1")),
    ),
    "utf16": Case(2, at(GLOSSARY, "LS002", 1), write(GLOSSARY, "glossary: []\n".encode("utf-16"))),
    "nul_byte": Case(2, at(GLOSSARY, "LS001", 4), edit(GLOSSARY, "A lead with", "A lead\x00 with")),
    "bell_and_escape": Case(
        2, at(GLOSSARY, "LS001", 2), edit(GLOSSARY, "Marketing-qualified", "\x1b[31mMarketing\x07")
    ),
    "escape_written_as_yaml_escape": Case(
        1,
        re.compile(r"LS20\d .*\\u001b\[31m"),
        edit(
            "stages/nurture.yaml",
            "rule: intent_score >= motion.mql_score",
            'rule: "intent_score >= 1 \\e[31m"',
        ),
        extra=lambda outcome: assert_no_raw_controls(outcome),
    ),
    "empty_file": Case(1, at(GLOSSARY, "LS0"), write(GLOSSARY, "")),
    "only_a_comment": Case(1, at(GLOSSARY, "LS0"), write(GLOSSARY, "# nothing here\n")),
    "a_list_not_a_mapping": Case(1, at(GLOSSARY, "LS0"), write(GLOSSARY, "- a\n- b\n")),
    "missing_file": Case(
        2, re.compile(r"^definitions/kpis\.yaml: LS004 ", re.M), remove("definitions/kpis.yaml")
    ),
    "folder_in_place_of_a_file": Case(
        2,
        re.compile(r"^definitions/kpis\.yaml: LS004 ", re.M),
        remove("definitions/kpis.yaml", make_folder=True),
    ),
    "unknown_role": Case(
        1, at("stages/nurture.yaml", "LS101", 5), edit("stages/nurture.yaml", "owner: mops", "owner: nobody")
    ),
    "unknown_stage": Case(
        1, at("process/process.yaml", "LS103"), edit("process/process.yaml", "to: inquiry", "to: nowhere")
    ),
    "stage_id_that_is_not_its_file": Case(
        1, at("stages/nurture.yaml", "LS0"), edit("stages/nurture.yaml", "id: nurture", "id: other")
    ),
}


def assert_no_raw_controls(outcome: Outcome) -> None:
    assert "\x1b" not in outcome.text and "\x07" not in outcome.text, outcome.text


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs[Outcome]]:
    found = spec_runs(request, tmp_path_factory.mktemp("cases"), CASES, "test_spec_file", MINIMAL)
    yield found
    found.close()


@pytest.mark.parametrize("name", sorted(CASES))
def test_spec_file(name: str, runs: Runs[Outcome]) -> None:
    case, outcome = CASES[name], runs[name]
    assert_outcome(outcome, case.code, case.fragment)
    if case.extra is not None:
        case.extra(outcome)
