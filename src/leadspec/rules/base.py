"""What every rule kind shares: the context it compiles in and the plan it returns.

A rule finds the violating leads, one row each, with the lead id and a short detail
a person can act on (never a personal value). No rows: it passed. A kind's `build`
returns a plan: a `RowCondition` when a lead's own fields decide (the conformance
run evaluates all of these in one scan of `leads`), or a `LeadsQuery` of its own when
it reads the history or other leads. Both are sqlglot trees; rule text from the spec
is parsed, never pasted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import sqlglot
from pydantic import BaseModel, Field
from sqlglot import exp

from ..spec.codes import Code
from ..spec.expression import MOTION, parse_rule
from ..spec.lint.context import LintContext, Loc
from ..spec.models import Check, Spec
from ..spec.models.common import Id, Strict
from ..spec.yaml_source import Document

SECTIONS = ("What it checks", "Why it matters", "Example", "Use instead", "Options")
SCOPED = "scoped"  # the leads in a check's scope: `query` writes the subquery in its place
EVENTS = "lead_events"


@dataclass(frozen=True)
class RuleContext:
    spec: Spec
    as_of: dt.datetime  # "now" for time-dependent rules: explicit, so reports reproduce

    def field_is_pii(self, field_id: str) -> bool:
        return any(f.id == field_id and f.pii for f in self.spec.fields)


@dataclass(frozen=True)
class RowCondition:
    """A rule decided by each lead's own fields: the violation and its detail, as conditions
    on one row of `leads`, so that every such rule is evaluated in one scan."""

    violation: exp.Expr
    detail: exp.Expr
    refined_by: frozenset[str] = frozenset()

    def select(self) -> exp.Select:
        """The same rule as a query of its own, over the scoped leads."""
        return exp.select(column("lead_id"), self.detail.as_("detail")).from_(SCOPED).where(self.violation)


@dataclass(frozen=True)
class LeadsQuery:
    """A rule that reads more than a lead's own row (its history, other leads): a SELECT of
    lead_id and detail, over `scoped` (written in place by `rules.query`) or other tables.

    `refined_by` names fields that only refine the result: without them the rule still
    holds, so a check is not skipped when the export lacks them.
    """

    select: exp.Select
    refined_by: frozenset[str] = frozenset()


Plan = RowCondition | LeadsQuery


class NoOptions(Strict):
    """A kind that takes no options of its own, beyond what every check has."""


class FieldOptions(Strict):
    """The options of a kind that judges one field of the data dictionary."""

    field: Id = Field(description="The field, from definitions/fields.yaml.")


def lint_field(check: Check, options: FieldOptions, ctx: LintContext, doc: Document, loc: Loc) -> None:
    """The option `field` names a field of the data dictionary."""
    known = (f.id for f in ctx.spec.fields)
    ctx.reference(doc, (*loc, "field"), options.field, known, Code.LS102, "fields", "definitions/fields.yaml")


KindLint = Callable[[Check, Any, LintContext, Document, Loc], None]


@dataclass(frozen=True)
class RuleKind:
    """A rule kind as its module declares it; the module's docstring is its page."""

    name: str
    doc: str
    needs_history: bool  # judged from the history alone: skipped when none was read
    build: Callable[[Check, Any, RuleContext], Plan]
    options: type[BaseModel] = NoOptions  # the kind's own keys of a check, validated by lint
    lint: KindLint | None = None  # what the kind asks of the spec beyond its options' types
    stages_from_history: bool = False  # scope.stages names stages visited, not the current one

    @property
    def title(self) -> str:
        """The docstring's first line: the default message of a violation."""
        return self.doc.strip().splitlines()[0].rstrip(".")

    def section(self, heading: str) -> str:
        match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", self.doc, re.S | re.M)
        return match.group(1).strip() if match else ""

    def plan(self, check: Check, ctx: RuleContext) -> Plan:
        """The check as this kind judges it, its options read by the kind's own model."""
        return self.build(check, self.options.model_validate(check.options), ctx)

    @classmethod
    def from_module(cls, module: ModuleType) -> RuleKind:
        return cls(
            name=module.__name__.rsplit(".", 1)[1],
            doc=module.__doc__ or "",
            needs_history=getattr(module, "NEEDS_HISTORY", False),
            build=module.build,
            options=getattr(module, "Options", NoOptions),
            lint=getattr(module, "lint", None),
            stages_from_history=getattr(module, "STAGES_FROM_HISTORY", False),
        )


def parsed_select(text: str) -> exp.Select:
    """leadspec's own SQL text (never a spec's or an export's) parsed as a SELECT."""
    tree = sqlglot.parse_one(text, dialect="duckdb")
    assert isinstance(tree, exp.Select), text
    return tree


def column(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def literal(value: object) -> exp.Expr:
    if value is None:
        return exp.null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    return exp.Literal.string(str(value))


def timestamp(value: dt.datetime) -> exp.Expr:
    return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), exp.DataType.Type.TIMESTAMP)


def one_decimal(value: str) -> str:
    """SQL: the number `value` (SQL text) rounded to one decimal, half away from zero.

    The value is first fixed to six decimals, so the rounding is of its decimal value and
    every engine agrees: 29.95 days is 30.0 everywhere, where rounding the double itself
    (just below 29.95) gives 29.9 in DuckDB and 30.0 in PostgreSQL and Spark. The result
    is a DECIMAL of one place, whose text ('2.0') is the same on every engine too.
    """
    return f"ROUND(CAST({value} AS DECIMAL(18, 6)), 1)"


def rule_condition(text: str, spec: Spec) -> exp.Expr:
    """A spec rule as SQL: fields quoted, motion.<threshold> resolved per lead's motion."""
    tree = parse_rule(text)

    def resolve(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and node.table == MOTION:
            case = exp.Case(this=column("motion"))
            for motion_id, motion in sorted(spec.process.motions.items()):
                case = case.when(literal(motion_id), literal(motion.thresholds[node.name]))
            return case
        if isinstance(node, exp.Column):
            return column(node.name)
        return node

    return tree.transform(resolve)


def holds(condition: exp.Expr) -> exp.Expr:
    """True only when the condition is true: unknown (NULL) counts as not holding."""
    return exp.func("COALESCE", exp.paren(condition), exp.false())


def leads_where(violation: exp.Expr, detail: exp.Expr) -> RowCondition:
    """The common shape of a row rule: each scoped lead whose own fields break it."""
    return RowCondition(violation, detail)


def scope_condition(check: Check, by_current_stage: bool = True) -> exp.Expr:
    """Which leads a check looks at: its stages, motion and sources (all, when unset)."""
    parts: list[exp.Expr] = []
    if check.scope.stages and by_current_stage:
        parts.append(column("stage").isin(*map(literal, check.scope.stages)))
    if check.scope.motion:
        parts.append(column("motion").eq(literal(check.scope.motion)))
    if check.scope.sources:
        parts.append(column("source_category").isin(*map(literal, check.scope.sources)))
    return exp.and_(*parts) if parts else exp.true()
