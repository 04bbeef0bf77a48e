"""Hostile rule expressions, each placed both in a check (checks/rules.yaml) and in a stage's
exit criterion (stages/nurture.yaml): `validate` must refuse it at the rule's file, line and
column with its code, or accept what is harmless, and never crash or hang."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bounded import Outcome, assert_outcome
from cases import Case, Prepare, Runs, spec_runs
from conftest import MINIMAL

CRITERION = "    rule: intent_score >= motion.mql_score"


def in_check(rule: str) -> Prepare:
    def prepare(root: Path) -> list[str]:
        with (root / "checks" / "rules.yaml").open("a", encoding="utf-8") as checks:
            checks.write(
                "  - id: hostile\n    description: A rule from a stranger.\n"
                f"    kind: expression\n    rule: {json.dumps(rule)}\n"
            )
        return ["validate", str(root)]

    return prepare


def in_criterion(rule: str) -> Prepare:
    def prepare(root: Path) -> list[str]:
        stage = root / "stages" / "nurture.yaml"
        text = stage.read_text(encoding="utf-8")
        assert CRITERION in text
        stage.write_text(text.replace(CRITERION, f"    rule: {json.dumps(rule)}"), encoding="utf-8")
        return ["validate", str(root)]

    return prepare


RULES: dict[str, tuple[str, str, str]] = {  # name: (rule, code, message fragment)
    "second_statement": ("fit_grade = 'A'; DROP TABLE leads", "LS202", "not allowed"),
    "union_injection": ("fit_grade = 'A' OR 1=1) UNION SELECT * FROM leads --", "LS201", "parse"),
    "file_reader": ("read_csv('/etc/passwd') IS NOT NULL", "LS202", "READ_CSV()"),
    "file_text": ("LENGTH(read_text('/etc/passwd')) > 0", "LS202", "READ_TEXT()"),
    "glob": ("fit_grade IN (SELECT file FROM glob('/*'))", "LS202", "subquery"),
    "environment": ("getenv('HOME') = fit_grade", "LS202", "GETENV()"),
    "setting": ("current_setting('threads') = fit_grade", "LS202", "CURRENT_SETTING()"),
    "clock": ("now() > created_at", "LS202", "NOW()"),
    "subquery": ("fit_grade IN (SELECT fit_grade FROM leads)", "LS202", "subquery"),
    "attach": ("ATTACH '/tmp/x.db' AS x", "LS20", ""),
    "line_comment": ("fit_grade = 'A' -- sneak", "LS202", "comments"),
    "block_comment": ("fit_grade = 'A' /* */ OR TRUE", "LS202", "comments"),
    "cyrillic_letter": ("f\u0456t_grade = 'A'", "LS102", "U+0456"),
    "typographic_quotes": ("fit_grade = \u2018A\u2019", "LS102", "U+2018"),
    "full_width_sign": ("intent_score \uff1e 1", "LS201", "U+FF1E"),
    "nested_40": ("(" * 40 + "intent_score > 1" + ")" * 40, "LS201", "nests 40 levels"),
    "nested_50": ("(" * 50 + "1=1" + ")" * 50, "LS201", "nests 50 levels"),
    "nested_400": ("(" * 400 + "1=1" + ")" * 400, "LS201", "nests 400 levels"),
    "not_400": ("NOT " * 400 + "need_confirmed", "LS201", "nests 400 levels"),
    "case_60": (
        "intent_score = " + "CASE WHEN need_confirmed THEN " * 60 + "1" + " END" * 60,
        "LS201",
        "nests 60 levels",
    ),
    "signs_300": ("intent_score = " + "- " * 300 + "1", "LS201", "nests 300 levels"),
    "sum_of_70": ("intent_score = " + " + ".join(["1"] * 70), "LS201", "operations deep"),
    "very_long": ("fit_grade IN (" + ", ".join(["'A'"] * 2000) + ")", "LS201", "at most 4,000"),
    "positional_parameter": ("intent_score = $1", "LS202", "parameter"),
    "question_parameter": ("intent_score = ?", "LS202", "parameter"),
    "named_parameter": ("intent_score = :score", "LS202", "parameter"),
    "star": ("* IS NOT NULL", "LS202", "'*'"),
    "lambda": ("fit_grade -> fit_grade = 'A'", "LS202", "JSON"),
    "json_path": ("fit_grade->>'$.a' = 'A'", "LS202", "JSON"),
    "array": ("[1, 2] = intent_score", "LS202", "ARRAY()"),
    "struct": ("{'a': 1} = intent_score", "LS202", "STRUCT()"),
    "window": ("ROW_NUMBER() OVER (ORDER BY intent_score) = 1", "LS202", "OVER"),
    "unknown_cast": ("CAST(intent_score AS evil) = 1", "LS202", "cannot cast"),
    "table_qualified": ("leads.fit_grade = 'A'", "LS202", "names a table"),
    "text_plus_number": ("fit_grade + 1 > 2", "LS204", "needs number"),
    "length_of_a_number": ("LENGTH(intent_score) > 1", "LS204", "LENGTH needs text"),
    "time_against_garbage": ("created_at > 'garbage'", "LS204", "ISO date"),
    "not_a_condition": ("intent_score + 1", "LS203", "not a true/false"),
    "unknown_field": ("no_such_field > 1", "LS102", "unknown field"),
    "empty": (" ", "LS201", "empty"),
}
WHERE = {"check": ("checks/rules.yaml", in_check), "criterion": ("stages/nurture.yaml", in_criterion)}


def _case(rule: str, code: str, fragment: str, place: str) -> Case:
    path, prepare = WHERE[place]
    # NOTE: the fragment may stand in the message or in the hint lines below it.
    located = re.compile(
        rf"^{re.escape(path)}:\d+:\d+: {code}\d* \[error\] [^\n]*"
        rf"(?:\n    [^\n]*)*?{re.escape(fragment)}",
        re.M,
    )
    return Case(1, located, prepare(rule), seconds=10)


CASES = {f"{name}-in-{place}": _case(*RULES[name], place) for name in RULES for place in WHERE}
# A quote doubled inside a literal is text, not an escape from it: harmless, so accepted.
CASES["quotes_doubled_inside_a_literal-in-check"] = Case(
    0, "no findings", in_check("fit_grade <> 'A'' OR ''1''=''1'")
)


@pytest.fixture(scope="module")
def runs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs[Outcome]]:
    found = spec_runs(request, tmp_path_factory.mktemp("cases"), CASES, "test_rule", MINIMAL)
    yield found
    found.close()


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule(name: str, runs: Runs[Outcome]) -> None:
    case = CASES[name]
    assert_outcome(runs[name], case.code, case.fragment)
