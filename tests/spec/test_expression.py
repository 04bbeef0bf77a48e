"""Rule expressions: what is allowed, what is refused, and why."""

from __future__ import annotations

import pytest

from leadspec.spec.codes import Code
from leadspec.spec.expression import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NESTING,
    RuleProblem,
    check_rule,
    referenced_fields,
)

FIELDS = {
    "fit_grade": "string",
    "intent_score": "integer",
    "email": "string",
    "employee_count": "integer",
    "need_confirmed": "boolean",
    "country": "string",
    "created_at": "timestamp",
    "annual_revenue": "number",
}
THRESHOLDS = {"mql_score"}


def codes(rule: str) -> list[Code]:
    return [p.code for p in check_rule(rule, FIELDS, THRESHOLDS)]


def problem(rule: str) -> RuleProblem:
    [found] = check_rule(rule, FIELDS, THRESHOLDS)
    return found


@pytest.mark.parametrize(
    "rule",
    [
        "fit_grade IN ('A', 'B') AND intent_score >= motion.mql_score",
        "email IS NOT NULL OR NOT need_confirmed",
        "need_confirmed",
        "LOWER(TRIM(country)) NOT IN ('us', 'ca')",
        "COALESCE(employee_count, 0) BETWEEN 50 AND 5000",
        "CASE WHEN fit_grade = 'A' THEN intent_score >= 10 ELSE intent_score >= 40 END",
        "email LIKE '%@%' AND LENGTH(email) > 3",
        "CAST(intent_score AS DOUBLE) / 2 > 10",
        "created_at >= '2026-01-31' AND created_at < '2026-02-01T12:00:00'",
        "COALESCE(annual_revenue, employee_count * 1000) > 5e6",
        "NULLIF(TRIM(fit_grade), '') IS NULL OR ROUND(annual_revenue, -3) >= 1000",
        "-intent_score < -10 AND ABS(intent_score) > 1",
        "(" * MAX_NESTING + "intent_score > 1" + ")" * MAX_NESTING,
        " OR ".join(["intent_score = 1"] * 200),
    ],
)
def test_allowed(rule: str) -> None:
    assert codes(rule) == []


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ("fit_grade IN (SELECT grade FROM grades)", Code.LS202),
        ("EXISTS (SELECT 1)", Code.LS202),
        ("read_csv('/etc/passwd') IS NOT NULL", Code.LS202),
        ("now() > intent_score", Code.LS202),
        ("current_timestamp > intent_score", Code.LS202),
        ("intent_score > 1; DROP TABLE leads", Code.LS202),
        ("leads.intent_score > 1", Code.LS202),
        ("intent_score >", Code.LS201),
        ("", Code.LS201),
        ("intent_scor > 10", Code.LS102),
        ("intent_score > motion.sql_score", Code.LS109),
        ("intent_score + 1", Code.LS203),
        ("fit_grade", Code.LS203),
    ],
)
def test_refused(rule: str, code: Code) -> None:
    assert code in codes(rule)


def test_unknown_field_suggests_the_close_name() -> None:
    [problem] = check_rule("intent_scor > 10", FIELDS, THRESHOLDS)
    assert "Did you mean 'intent_score'?" in problem.hint


def test_referenced_fields_excludes_motion_thresholds() -> None:
    rule = "fit_grade = 'A' AND intent_score >= motion.mql_score"
    assert referenced_fields(rule) == {"fit_grade", "intent_score"}


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("(" * 50 + "1=1" + ")" * 50, "nests 50 levels deep"),
        ("(" * 400 + "1=1" + ")" * 400, "nests 400 levels deep"),
        ("NOT " * 400 + "need_confirmed", "nests 400 levels deep"),
        ("intent_score = " + "- " * 300 + "1", "nests 300 levels deep"),
        (
            "intent_score = " + "CASE WHEN need_confirmed THEN " * 60 + "1" + " END" * 60,
            "nests 60 levels deep",
        ),
        ("intent_score = " + " + ".join(["1"] * (MAX_DEPTH + 1)), f"more than {MAX_DEPTH} operations"),
        ("intent_score IN (" + ", ".join(["1"] * 2000) + ")", f"at most {MAX_LENGTH:,}"),
    ],
)
def test_limits_come_before_the_parser_can_crash(rule: str, fragment: str) -> None:
    found = problem(rule)
    assert (found.code, fragment in found.message) == (Code.LS201, True), found


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("intent_score = $1", "parameter '$1'"),
        ("intent_score = ?", "parameter '?'"),
        ("intent_score = :score", "parameter"),
        ("intent_score = $score", "parameter"),
        ("* = 1", "'*' is not allowed"),
        ("fit_grade -> fit_grade = 'A'", "function JSON"),
        ("fit_grade->'$.a' = 'A'", "function JSON"),
        ("fit_grade->>'a' = 'A'", "function JSON"),
        ("[1, 2] = intent_score", "function ARRAY()"),
        ("{'a': 1} = intent_score", "function STRUCT()"),
        ("ROW_NUMBER() OVER () = 1", "OVER"),
        ("SUM(intent_score) OVER (PARTITION BY fit_grade) > 1", "OVER"),
        ("CAST(intent_score AS foo) = 1", "cannot cast to 'foo'"),
        ("CAST(intent_score AS INT[]) IS NULL", "cannot cast to"),
        ("intent_score::STRUCT(a INT) IS NULL", "cannot cast to"),
        ("fit_grade[1] = 'A'", "is not allowed"),
        ("fit_grade COLLATE nocase = 'a'", "is not allowed"),
        ("created_at > created_at - INTERVAL '1' DAY", "is not allowed"),
        ("intent_score = ANY (intent_score)", "is not allowed"),
        ("intent_score = 1 AS alias", "is not allowed"),
        ("intent_score = #1", "is not allowed"),
        ("fit_grade = 'A' || 'B'", "is not allowed"),
        ("getenv('HOME') = fit_grade", "function GETENV()"),
        ("current_setting('memory_limit') = fit_grade", "function CURRENT_SETTING()"),
        ("fit_grade = 'A' -- and drop it", "SQL comments"),
        ("fit_grade = 'A' /* */", "SQL comments"),
    ],
)
def test_every_node_family_reaches_a_clear_refusal(rule: str, fragment: str) -> None:
    found = check_rule(rule, FIELDS, THRESHOLDS)
    assert found and all(p.code is Code.LS202 for p in found), found
    assert any(fragment in p.message for p in found), found


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("fit_grade + 1 > 2", "'+' needs number, but 'fit_grade' is text"),
        ("LENGTH(intent_score) > 1", "LENGTH needs text"),
        ("intent_score = 'high'", "mixes types"),
        ("created_at > 'garbage'", "ISO date or time"),
        ("fit_grade AND need_confirmed", "AND needs boolean"),
        ("ROUND(intent_score, 99999999999) > 1", "ROUND's digits"),
        ("CASE WHEN need_confirmed THEN 'a' ELSE 1 END = 'a'", "mixes types"),
        ("fit_grade LIKE 1", "LIKE needs text"),
        ("created_at - created_at > 0", "needs number"),
    ],
)
def test_types_that_do_not_fit(rule: str, fragment: str) -> None:
    found = problem(rule)
    assert found.code is Code.LS204 and fragment in found.message, found


@pytest.mark.parametrize(
    ("rule", "character"),
    [
        ("f\u0456t_grade = 'A'", "U+0456"),  # a Cyrillic i
        ("fit_grade = \u2018A\u2019", "U+2018"),  # typographic quotes
        ("intent_score \uff1d 1", "U+FF1D"),  # a full-width equals sign
    ],
)
def test_lookalike_characters_are_named(rule: str, character: str) -> None:
    found = problem(rule)
    assert found.code in (Code.LS102, Code.LS201) and character in found.hint, found
