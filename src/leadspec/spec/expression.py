"""Rule expressions: SQL boolean conditions over the canonical lead fields.

A rule is parsed with sqlglot and then walked node by node against an allow-list:
comparisons, boolean logic, arithmetic, CASE, casts and a few scalar functions.
Anything else (a subquery, a table, a file reader, a clock function, a parameter,
a comment, a second statement) is refused, so a rule can never do more than
compute a condition on one lead. Later stages compile the parsed tree to SQL;
rule text is never pasted. Types are checked as well (`rule_types`), so a rule
that passes here runs on every engine.

A rule is bounded before it reaches the parser, whose recursion would otherwise
end in a crash: at most MAX_LENGTH characters, and parentheses, CASE, NOT and
signs nested at most MAX_NESTING deep; the parsed tree is at most MAX_DEPTH
operations deep (a chain of AND or OR counts once), which keeps every engine's
own expression limit out of reach.

Fields are plain names (`intent_score`); numbers that differ by sales motion are
written `motion.<threshold>` and resolved per lead.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import TokenType  # type: ignore[attr-defined]

from .codes import Code
from .findings import did_you_mean, known_list
from .rule_types import BOOLEAN, CASTS, TypeProblem, rule_type

MOTION = "motion"
MAX_LENGTH = 4000
MAX_NESTING = 16
MAX_DEPTH = 64

_LOGIC = (exp.And, exp.Or, exp.Not, exp.Paren)
_PREDICATES = (
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.NullSafeEQ,
    exp.NullSafeNEQ,
    exp.Is,
    exp.In,
    exp.Between,
    exp.Like,
    exp.ILike,
    exp.Boolean,
)
_VALUES = (
    exp.Column,
    exp.Identifier,
    exp.Literal,
    exp.Null,
    exp.Neg,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Mod,
    exp.Case,
    exp.If,
    exp.Cast,
    exp.DataType,
    exp.Tuple,
)
FUNCTIONS: dict[type[exp.Expr], str] = {
    exp.Coalesce: "COALESCE",
    exp.Lower: "LOWER",
    exp.Upper: "UPPER",
    exp.Trim: "TRIM",
    exp.Length: "LENGTH",
    exp.Abs: "ABS",
    exp.Round: "ROUND",
    exp.Least: "LEAST",
    exp.Greatest: "GREATEST",
    exp.Nullif: "NULLIF",
}
_ALLOWED: tuple[type[exp.Expr], ...] = (*_LOGIC, *_PREDICATES, *_VALUES, *FUNCTIONS)


@dataclass(frozen=True)
class RuleProblem:
    code: Code
    message: str
    hint: str = ""


class RuleError(Exception):
    def __init__(self, problem: RuleProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def parse_rule(text: str) -> exp.Expr:
    """Parse a rule and refuse every construct outside the allow-list."""
    tree = _parse(text)
    refusals = _refusals(tree)
    if refusals:
        raise RuleError(refusals[0])
    return tree


_SYNTAX_HINT = "Write one SQL condition, for example: fit_grade IN ('A', 'B') AND intent_score >= 40"
_OPENING = {TokenType.L_PAREN, TokenType.L_BRACKET, TokenType.L_BRACE, TokenType.CASE}
_CLOSING = {TokenType.R_PAREN, TokenType.R_BRACKET, TokenType.R_BRACE, TokenType.END}
_PREFIX = {TokenType.NOT, TokenType.DASH, TokenType.PLUS, TokenType.TILDE}


def _over_limits(text: str) -> RuleProblem | None:
    """The limits checked before parsing, on the text and then on its tokens."""
    if len(text) > MAX_LENGTH:
        return RuleProblem(
            Code.LS201,
            f"the rule is {len(text):,} characters long; a rule may have at most {MAX_LENGTH:,}",
            "Split it into several checks, or use IN (...) for a long list.",
        )
    depth = run = deepest = 0
    for token in sqlglot.Dialect.get_or_raise("duckdb").tokenize(text):
        run = run + 1 if token.token_type in _PREFIX else 0
        depth += (token.token_type in _OPENING) - (token.token_type in _CLOSING)
        deepest = max(deepest, depth + run)
    if deepest > MAX_NESTING:
        return RuleProblem(
            Code.LS201,
            f"the rule nests {deepest} levels deep; a rule may nest "
            f"parentheses, CASE, NOT and signs at most {MAX_NESTING} deep",
            "Write it flatter, or split it into several checks.",
        )
    return None


def _parse(text: str) -> exp.Expr:
    try:
        problem = _over_limits(text)
        if problem is not None:
            raise RuleError(problem)
        if not text.strip():
            raise RuleError(RuleProblem(Code.LS201, "the rule is empty", "Write a condition."))
        tree = sqlglot.parse_one(text, dialect="duckdb")
    except (ParseError, TokenError) as exc:
        detail = str(exc).splitlines()[0]
        raise RuleError(
            RuleProblem(
                Code.LS201,
                f"rule '{_clipped(text)}' does not parse: {detail}",
                f"{_SYNTAX_HINT}.{_lookalike(text)}",
            )
        ) from None
    except RecursionError:  # NOTE: a backstop; the nesting limit is meant to come first
        raise RuleError(
            RuleProblem(
                Code.LS201,
                "the rule is nested too deeply to read",
                "Write it flatter, or split it into several checks.",
            )
        ) from None
    if tree is None:
        raise RuleError(RuleProblem(Code.LS201, "the rule is empty", "Write a condition."))
    if _depth(tree) > MAX_DEPTH:
        raise RuleError(
            RuleProblem(
                Code.LS201,
                f"the rule is more than {MAX_DEPTH} operations deep",
                "Write it flatter (in a + b + c + ... each '+' sits inside the next), or split it "
                "into several checks.",
            )
        )
    return tree


def _depth(tree: exp.Expr) -> int:
    """How many operations sit inside one another; a chain of AND or OR counts as one."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        for child in node.iter_expressions():
            chained = isinstance(node, exp.Connector) and type(child) is type(node)
            stack.append((child, depth if chained else depth + 1))
    return deepest


def _clipped(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _lookalike(text: str) -> str:
    """A hint naming the first character outside ASCII and outside quotes: often a look-alike."""
    quoted = False
    for char in text:
        quoted = quoted != (char == "'")
        if ord(char) > 127 and not quoted:
            name = unicodedata.name(char, "an unnamed character").lower()
            return (
                f" The rule holds U+{ord(char):04X} ({name}) outside quotes, which may only "
                "look like the letter or sign you meant; type it again."
            )
    return ""


def _refusals(tree: exp.Expr) -> list[RuleProblem]:
    """One problem per construct outside the allow-list (its insides are not walked)."""
    problems = []
    for node in tree.walk(prune=lambda n: not _allowed(n)):
        if node.comments:
            problems.append(
                RuleProblem(
                    Code.LS202,
                    "a rule cannot hold SQL comments (-- or /* */)",
                    "Put the note in a YAML comment (#) beside the rule, or in its description.",
                )
            )
        if not _allowed(node):
            problems.append(_refusal(node))
    return problems


def _allowed(node: exp.Expr) -> bool:
    if isinstance(node, exp.DataType):
        return node.this in CASTS and not node.expressions
    return isinstance(node, _ALLOWED)


def _refusal(node: exp.Expr) -> RuleProblem:
    if isinstance(node, (exp.Select, exp.Subquery, exp.Query)):
        return RuleProblem(
            Code.LS202,
            "a rule cannot contain a query or subquery",
            "Compare fields of the lead itself; rules see one lead at a time.",
        )
    if isinstance(node, (exp.Placeholder, exp.Parameter)):
        return RuleProblem(
            Code.LS202,
            f"the parameter '{_sql(node)}' is not allowed in a rule",
            "A rule is complete as written: put the value itself in it.",
        )
    if isinstance(node, exp.DataType):
        casts = ", ".join(sorted(t.value for t in CASTS))
        return RuleProblem(Code.LS202, f"a rule cannot cast to '{_sql(node)}'", f"Cast to one of: {casts}.")
    if isinstance(node, exp.Func):
        allowed = ", ".join(sorted(FUNCTIONS.values()))
        name = node.name if isinstance(node, exp.Anonymous) else node.sql_name()
        return RuleProblem(
            Code.LS202,
            f"function {name.upper()}() is not allowed in a rule",
            f"Allowed functions: {allowed}. Time-dependent checks use rule kinds "
            "with an explicit as-of time, not clock functions.",
        )
    return RuleProblem(
        Code.LS202,
        f"'{_sql(node)}' is not allowed in a rule",
        "A rule is a single condition on one lead's fields: no ';', tables, "
        "statements, windows, arrays or parameters.",
    )


def _sql(node: exp.Expr) -> str:
    """The construct as SQL for a message, shortened; its kind where it has no SQL of its own."""
    try:
        return _clipped(node.sql(dialect="duckdb"), 60)
    except Exception:  # NOTE: sqlglot cannot write every node it can parse
        return node.key.upper()


def check_rule(text: str, fields: Mapping[str, str], thresholds: Iterable[str]) -> list[RuleProblem]:
    """Every problem with a rule: syntax, limits, constructs, unknown names, types, not a condition.

    `fields` maps each field of the data dictionary to its type.
    """
    try:
        tree = _parse(text)
    except RuleError as exc:
        return [exc.problem]
    problems = _refusals(tree)
    thresholds = set(thresholds)
    for col in tree.find_all(exp.Column):
        problem = _name_problem(col, set(fields), thresholds)
        if problem is not None and not col.find_ancestor(exp.Select):
            problems.append(problem)
    if problems:
        return problems
    try:
        family = rule_type(tree, fields, thresholds)
    except TypeProblem as exc:
        return [
            RuleProblem(
                Code.LS204,
                str(exc),
                "Compare values of one kind: text with text, numbers with numbers, times with times.",
            )
        ]
    if family != BOOLEAN:
        return [
            RuleProblem(
                Code.LS203,
                f"rule '{_clipped(text)}' is a value, not a true/false condition",
                "Compare it with something, for example: intent_score >= 40",
            )
        ]
    return []


def _name_problem(col: exp.Column, fields: set[str], thresholds: set[str]) -> RuleProblem | None:
    if col.table == MOTION and not col.args.get("db"):
        if col.name in thresholds:
            return None
        return RuleProblem(
            Code.LS109,
            f"'motion.{col.name}' is not a threshold set by every motion",
            f"{known_list('thresholds', thresholds)}.{did_you_mean(col.name, thresholds)}",
        )
    if col.table:
        return RuleProblem(
            Code.LS202,
            f"'{col.sql()}' names a table; rules read one lead's fields",
            "Write the field name alone, or motion.<threshold>.",
        )
    if col.name in fields:
        return None
    return RuleProblem(
        Code.LS102,
        f"unknown field '{col.name}' in rule",
        f"{known_list('fields', fields)}.{did_you_mean(col.name, fields)}{_lookalike(col.name)}",
    )


def referenced_fields(text: str) -> set[str]:
    """Field names a valid rule reads (motion thresholds excluded)."""
    return {c.name for c in parse_rule(text).find_all(exp.Column) if not c.table}
