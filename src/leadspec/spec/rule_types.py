"""The type of every part of a rule, so that a rule which cannot run fails `validate`.

Without this, `fit_grade + 1 > 2` or `LENGTH(intent_score) > 1` would pass the
spec and stop `leadspec check` with a database error, and each engine would word
(or tolerate) it differently. Types come from the data dictionary and are judged
in families: text, number (integer or number), boolean and time (timestamp or
date). NULL fits any family. Text written in quotes may stand for a time when it
reads as an ISO date or time (`created_at >= '2026-01-01'`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlglot import exp

from .codes import Code

TEXT, NUMBER, BOOLEAN, TIME, NULL = "text", "number", "boolean", "time", "null"
FAMILIES = {
    "string": TEXT,
    "integer": NUMBER,
    "number": NUMBER,
    "boolean": BOOLEAN,
    "timestamp": TIME,
    "date": TIME,
}
CASTS = {  # the types a rule may cast to, each portable to every engine leadspec writes SQL for
    exp.DataType.Type.VARCHAR: TEXT,
    exp.DataType.Type.TEXT: TEXT,
    exp.DataType.Type.INT: NUMBER,
    exp.DataType.Type.BIGINT: NUMBER,
    exp.DataType.Type.SMALLINT: NUMBER,
    exp.DataType.Type.DOUBLE: NUMBER,
    exp.DataType.Type.FLOAT: NUMBER,
    exp.DataType.Type.DECIMAL: NUMBER,
    exp.DataType.Type.BOOLEAN: BOOLEAN,
    exp.DataType.Type.DATE: TIME,
    exp.DataType.Type.TIMESTAMP: TIME,
}
_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.NullSafeEQ, exp.NullSafeNEQ)
_ARITHMETIC = {exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/", exp.Mod: "%"}


class TypeProblem(Exception):
    """Parts of a rule whose types do not fit; the message says which and why."""

    code = Code.LS204


def rule_type(tree: exp.Expr, fields: Mapping[str, str], thresholds: set[str]) -> str:
    """The family of a parsed, allowed rule; raises TypeProblem where parts do not fit."""
    return _Typer(fields, thresholds).of(tree)


def _shown(node: exp.Expr) -> str:
    text = node.sql(dialect="duckdb")
    return text if len(text) <= 60 else text[:57] + "..."


def _reads_as_time(node: exp.Expr) -> bool:
    if not (isinstance(node, exp.Literal) and node.is_string):
        return False
    try:
        dt.datetime.fromisoformat(node.this)
    except ValueError:
        return False
    return True


class _Typer:
    def __init__(self, fields: Mapping[str, str], thresholds: set[str]) -> None:
        self.fields = fields
        self.thresholds = thresholds

    def of(self, node: exp.Expr) -> str:
        if isinstance(node, exp.Paren):
            return self.of(node.this)
        if isinstance(node, exp.Column):
            return NUMBER if node.table else FAMILIES[self.fields[node.name]]
        if isinstance(node, exp.Literal):
            return TEXT if node.is_string else NUMBER
        if isinstance(node, exp.Boolean):
            return BOOLEAN
        if isinstance(node, exp.Null):
            return NULL
        if isinstance(node, (exp.And, exp.Or)):
            self.need(node.left, BOOLEAN, node.key.upper())
            self.need(node.right, BOOLEAN, node.key.upper())
            return BOOLEAN
        if isinstance(node, exp.Not):
            self.need(node.this, BOOLEAN, "NOT")
            return BOOLEAN
        if isinstance(node, _COMPARISONS):
            self.alike(node, [node.left, node.right])
            return BOOLEAN
        if isinstance(node, exp.Between):
            self.alike(node, [node.this, node.args["low"], node.args["high"]])
            return BOOLEAN
        if isinstance(node, exp.In):
            self.alike(node, [node.this, *node.expressions])
            return BOOLEAN
        if isinstance(node, (exp.Like, exp.ILike)):
            self.need(node.this, TEXT, node.key.upper())
            self.need(node.expression, TEXT, node.key.upper())
            return BOOLEAN
        if isinstance(node, exp.Is):
            self.of(node.this)
            return BOOLEAN
        if isinstance(node, exp.Neg):
            return self.need(node.this, NUMBER, "a minus sign")
        if isinstance(node, exp.Binary) and type(node) in _ARITHMETIC:
            sign = _ARITHMETIC[type(node)]
            self.need(node.left, NUMBER, f"'{sign}'")
            self.need(node.right, NUMBER, f"'{sign}'")
            return NUMBER
        if isinstance(node, exp.Cast):
            self.of(node.this)
            return CASTS[node.to.this]
        if isinstance(node, (exp.Case, exp.If)):
            return self.case(node)
        return self.function(node)

    def function(self, node: exp.Expr) -> str:
        name = node.sql_name() if isinstance(node, exp.Func) else node.key.upper()
        if isinstance(node, (exp.Lower, exp.Upper)):
            return self.need(node.this, TEXT, name)
        if isinstance(node, exp.Trim):
            return self.need(node.this, TEXT, name)
        if isinstance(node, exp.Length):
            self.need(node.this, TEXT, name)
            return NUMBER
        if isinstance(node, exp.Abs):
            return self.need(node.this, NUMBER, name)
        if isinstance(node, exp.Round):
            self.need(node.this, NUMBER, name)
            digits = node.args.get("decimals")
            whole = digits.this if isinstance(digits, exp.Neg) else digits
            if digits is not None and not (
                isinstance(whole, exp.Literal) and whole.is_int and int(whole.this) <= 20
            ):
                raise TypeProblem(
                    f"ROUND's digits must be a whole number from -20 to 20, not {_shown(digits)}"
                )
            return NUMBER
        if isinstance(node, exp.Nullif):
            return self.alike(node, [node.this, node.expression])
        if isinstance(node, (exp.Coalesce, exp.Greatest, exp.Least)):
            return self.alike(node, [node.this, *node.expressions])
        raise TypeProblem(f"'{_shown(node)}' has no type a rule can use")

    def case(self, node: exp.Expr) -> str:
        if isinstance(node, exp.If):
            self.need(node.this, BOOLEAN, "IF")
            return self.alike(node, [node.args["true"], node.args.get("false") or exp.Null()])
        subject = node.this
        for branch in node.args.get("ifs", []):
            if subject is None:
                self.need(branch.this, BOOLEAN, "CASE WHEN")
            else:
                self.alike(node, [subject, branch.this])
        results = [b.args["true"] for b in node.args.get("ifs", [])]
        return self.alike(node, [*results, node.args.get("default") or exp.Null()])

    def need(self, node: exp.Expr, family: str, where: str) -> str:
        found = self.of(node)
        if found not in (family, NULL):
            raise TypeProblem(f"{where} needs {family}, but '{_shown(node)}' is {found}")
        return family

    def alike(self, parent: exp.Expr, parts: list[exp.Expr]) -> str:
        """The one family `parts` share (text that reads as a time counts as a time)."""
        found = [(part, self.of(part)) for part in parts]
        families = {f for _, f in found} - {NULL}
        if families == {TIME, TEXT} and all(f == TIME or _reads_as_time(p) for p, f in found):
            return TIME
        if len(families) > 1:
            shown = ", ".join(f"'{_shown(p)}' is {f}" for p, f in found if f != NULL)
            hint = " (write numbers without quotes)" if families == {TEXT, NUMBER} else ""
            if families == {TIME, TEXT}:
                hint = " (a time in quotes must read as an ISO date or time, like '2026-01-31')"
            raise TypeProblem(f"'{_shown(parent)}' mixes types: {shown}{hint}")
        return families.pop() if families else NULL
