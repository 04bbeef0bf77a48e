"""Rule expressions: SQL boolean conditions over the canonical lead fields.

A rule is parsed with sqlglot and then walked node by node against an allow-list:
comparisons, boolean logic, arithmetic, CASE, casts and a few scalar functions.
Anything else (a subquery, a table, a file reader, a clock function, a second
statement) is refused, so a rule can never do more than compute a condition on
one lead. Later stages compile the parsed tree to SQL; rule text is never pasted.

Fields are plain names (`intent_score`); numbers that differ by sales motion are
written `motion.<threshold>` and resolved per lead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from .codes import Code
from .findings import did_you_mean, known_list

MOTION = "motion"

_LOGIC = (exp.And, exp.Or, exp.Not, exp.Paren)
_PREDICATES = (
    exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ,
    exp.Is, exp.In, exp.Between, exp.Like, exp.ILike, exp.Boolean,
)
_VALUES = (
    exp.Column, exp.Identifier, exp.Literal, exp.Null, exp.Neg, exp.Add, exp.Sub, exp.Mul,
    exp.Div, exp.Mod, exp.Case, exp.If, exp.Cast, exp.DataType, exp.Tuple,
)
FUNCTIONS: dict[type[exp.Expression], str] = {
    exp.Coalesce: "COALESCE", exp.Lower: "LOWER", exp.Upper: "UPPER", exp.Trim: "TRIM",
    exp.Length: "LENGTH", exp.Abs: "ABS", exp.Round: "ROUND", exp.Least: "LEAST",
    exp.Greatest: "GREATEST", exp.Nullif: "NULLIF",
}
_ALLOWED = (*_LOGIC, *_PREDICATES, *_VALUES, *FUNCTIONS)


@dataclass(frozen=True)
class RuleProblem:
    code: Code
    message: str
    hint: str = ""


class RuleError(Exception):
    def __init__(self, problem: RuleProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def parse_rule(text: str) -> exp.Expression:
    """Parse a rule and refuse every construct outside the allow-list."""
    tree = _parse(text)
    refusals = _refusals(tree)
    if refusals:
        raise RuleError(refusals[0])
    return tree


def _parse(text: str) -> exp.Expression:
    try:
        tree = sqlglot.parse_one(text, dialect="duckdb")
    except (ParseError, TokenError) as exc:
        detail = str(exc).splitlines()[0]
        raise RuleError(RuleProblem(
            Code.LS201, f"rule '{text}' does not parse: {detail}",
            "Write one SQL condition, for example: fit_grade IN ('A', 'B') AND intent_score >= 40",
        )) from None
    if tree is None:
        raise RuleError(RuleProblem(Code.LS201, "the rule is empty", "Write a condition."))
    return tree


def _refusals(tree: exp.Expression) -> list[RuleProblem]:
    """One problem per construct outside the allow-list (its insides are not walked)."""
    problems = []
    for node in tree.walk(prune=lambda n: not isinstance(n, _ALLOWED)):
        if not isinstance(node, _ALLOWED):
            problems.append(_refusal(node))
    return problems


def _refusal(node: exp.Expression) -> RuleProblem:
    allowed = ", ".join(sorted(FUNCTIONS.values()))
    if isinstance(node, (exp.Select, exp.Subquery, exp.Query)):
        return RuleProblem(Code.LS202, "a rule cannot contain a query or subquery",
                           "Compare fields of the lead itself; rules see one lead at a time.")
    if isinstance(node, exp.Block) or not isinstance(node, (exp.Func, exp.Condition)):
        return RuleProblem(Code.LS202, f"'{node.sql(dialect='duckdb')}' is not allowed in a rule",
                           "A rule is a single condition: no ';', tables, statements or "
                           "parameters.")
    name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
    return RuleProblem(Code.LS202, f"function {name.upper()}() is not allowed in a rule",
                       f"Allowed functions: {allowed}. Time-dependent checks use rule kinds "
                       "with an explicit as-of time, not clock functions.")


def _is_condition(tree: exp.Expression, boolean_fields: set[str]) -> bool:
    while isinstance(tree, exp.Paren):
        tree = tree.this
    if isinstance(tree, (exp.And, exp.Or, exp.Not, *_PREDICATES)):
        return True
    if isinstance(tree, exp.Case):
        branches = [branch.args["true"] for branch in tree.args.get("ifs", [])]
        branches.append(tree.args.get("default"))
        return all(b is not None and _is_condition(b, boolean_fields) for b in branches)
    return isinstance(tree, exp.Column) and not tree.table and tree.name in boolean_fields


def check_rule(
    text: str,
    fields: Iterable[str],
    thresholds: Iterable[str],
    boolean_fields: Iterable[str] = (),
) -> list[RuleProblem]:
    """Every problem with a rule: syntax, constructs, unknown names, not a condition."""
    try:
        tree = _parse(text)
    except RuleError as exc:
        return [exc.problem]
    problems = _refusals(tree)
    fields, thresholds = set(fields), set(thresholds)
    for col in tree.find_all(exp.Column):
        problem = _name_problem(col, fields, thresholds)
        if problem is not None and not col.find_ancestor(exp.Select):
            problems.append(problem)
    if not problems and not _is_condition(tree, set(boolean_fields)):
        problems.append(RuleProblem(
            Code.LS203, f"rule '{text}' is a value, not a true/false condition",
            "Compare it with something, for example: intent_score >= 40",
        ))
    return problems


def _name_problem(col: exp.Column, fields: set[str], thresholds: set[str]) -> RuleProblem | None:
    if col.table == MOTION and not col.args.get("db"):
        if col.name in thresholds:
            return None
        return RuleProblem(
            Code.LS109, f"'motion.{col.name}' is not a threshold set by every motion",
            f"{known_list('thresholds', thresholds)}.{did_you_mean(col.name, thresholds)}",
        )
    if col.table:
        return RuleProblem(Code.LS202, f"'{col.sql()}' names a table; rules read one lead's fields",
                           f"Write the field name alone, or motion.<threshold>.")
    if col.name in fields:
        return None
    return RuleProblem(
        Code.LS102, f"unknown field '{col.name}' in rule",
        f"{known_list('fields', fields)}.{did_you_mean(col.name, fields)}",
    )


def referenced_fields(text: str) -> set[str]:
    """Field names a valid rule reads (motion thresholds excluded)."""
    return {c.name for c in parse_rule(text).find_all(exp.Column) if not c.table}
