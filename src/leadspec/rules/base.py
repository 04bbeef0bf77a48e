"""What every rule kind shares: the context it compiles in and the query shape it returns.

A rule is a query that returns the violating leads, one row each, with the lead id
and a short detail a person can act on (never a personal value). No rows: it passed.
Queries are built as sqlglot trees; rule text from the spec is parsed, never pasted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Callable

from sqlglot import exp

from ..spec.expression import MOTION, parse_rule
from ..spec.models import Check, Spec

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
class RuleKind:
    name: str
    doc: str
    needs_history: bool  # judged from the history alone: skipped when none was read
    build: Callable[[Check, RuleContext], exp.Select]
    stages_from_history: bool = False  # scope.stages names stages visited, not the current one

    @property
    def title(self) -> str:
        """The docstring's first line: the default message of a violation."""
        return self.doc.strip().splitlines()[0].rstrip(".")

    def section(self, heading: str) -> str:
        match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", self.doc,
                          re.S | re.M)
        return match.group(1).strip() if match else ""

    @classmethod
    def from_module(cls, module: ModuleType) -> RuleKind:
        return cls(name=module.__name__.rsplit(".", 1)[1], doc=module.__doc__ or "",
                   needs_history=getattr(module, "NEEDS_HISTORY", False), build=module.build,
                   stages_from_history=getattr(module, "STAGES_FROM_HISTORY", False))


def column(name: str, table: str | None = None) -> exp.Column:
    return exp.column(name, table=table, quoted=True)


def literal(value: object) -> exp.Expression:
    if value is None:
        return exp.null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, (int, float)):
        return exp.Literal.number(value)
    return exp.Literal.string(str(value))


def timestamp(value: dt.datetime) -> exp.Expression:
    return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), exp.DataType.Type.TIMESTAMP)


def rule_condition(text: str, spec: Spec) -> exp.Expression:
    """A spec rule as SQL: fields quoted, motion.<threshold> resolved per lead's motion."""
    tree = parse_rule(text)

    def resolve(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and node.table == MOTION:
            case = exp.Case(this=column("motion"))
            for motion_id, motion in sorted(spec.process.motions.items()):
                case = case.when(literal(motion_id), literal(motion.thresholds[node.name]))
            return case
        if isinstance(node, exp.Column):
            return column(node.name)
        return node

    return tree.transform(resolve)


def holds(condition: exp.Expression) -> exp.Expression:
    """True only when the condition is true: unknown (NULL) counts as not holding."""
    return exp.func("COALESCE", exp.paren(condition), exp.false())


ROW_RULE = "row_rule"  # meta key of a query built by `leads_where`: its (violation, detail)
REFINED_BY = "refined_by"  # meta key: fields that only refine the result; without them it holds


def leads_where(violation: exp.Expression, detail: exp.Expression) -> exp.Select:
    """The common shape of a row rule: lead id and detail of each scoped lead that breaks it.

    The parts are kept in the query's meta, so that the conformance run can evaluate all
    row rules together in one scan of `leads` instead of one query each.
    """
    select = exp.select(column("lead_id"), detail.as_("detail")).from_(SCOPED).where(violation)
    select.meta[ROW_RULE] = (violation, detail)
    return select


def scope_condition(check: Check, by_current_stage: bool = True) -> exp.Expression:
    """Which leads a check looks at: its stages, motion and sources (all, when unset)."""
    parts: list[exp.Expression] = []
    if check.scope.stages and by_current_stage:
        parts.append(column("stage").isin(*map(literal, check.scope.stages)))
    if check.scope.motion:
        parts.append(column("motion").eq(literal(check.scope.motion)))
    if check.scope.sources:
        parts.append(column("source_category").isin(*map(literal, check.scope.sources)))
    return exp.and_(*parts) if parts else exp.true()
