"""Rule expressions: what is allowed, what is refused, and why."""

from __future__ import annotations

import pytest

from leadspec.spec.codes import Code
from leadspec.spec.expression import check_rule, referenced_fields

FIELDS = {"fit_grade", "intent_score", "email", "employee_count", "need_confirmed", "country"}
THRESHOLDS = {"mql_score"}


def codes(rule: str) -> list[Code]:
    return [p.code for p in check_rule(rule, FIELDS, THRESHOLDS, {"need_confirmed"})]


@pytest.mark.parametrize("rule", [
    "fit_grade IN ('A', 'B') AND intent_score >= motion.mql_score",
    "email IS NOT NULL OR NOT need_confirmed",
    "need_confirmed",
    "LOWER(TRIM(country)) NOT IN ('us', 'ca')",
    "COALESCE(employee_count, 0) BETWEEN 50 AND 5000",
    "CASE WHEN fit_grade = 'A' THEN intent_score >= 10 ELSE intent_score >= 40 END",
    "email LIKE '%@%' AND LENGTH(email) > 3",
    "CAST(intent_score AS DOUBLE) / 2 > 10",
])
def test_allowed(rule: str) -> None:
    assert codes(rule) == []


@pytest.mark.parametrize(("rule", "code"), [
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
])
def test_refused(rule: str, code: Code) -> None:
    assert code in codes(rule)


def test_unknown_field_suggests_the_close_name() -> None:
    [problem] = check_rule("intent_scor > 10", FIELDS, THRESHOLDS)
    assert "Did you mean 'intent_score'?" in problem.hint


def test_referenced_fields_excludes_motion_thresholds() -> None:
    rule = "fit_grade = 'A' AND intent_score >= motion.mql_score"
    assert referenced_fields(rule) == {"fit_grade", "intent_score"}
