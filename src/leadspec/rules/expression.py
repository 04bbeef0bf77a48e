"""A rule written for this check does not hold.

## What it checks
Every lead in scope meets the check's `rule`: a condition over the lead's
fields, such as `fit_grade IN ('A', 'B') AND intent_score >= motion.mql_score`.
`motion.<threshold>` reads the number the lead's own motion sets. A rule that
cannot be decided because a field it reads is empty counts as not holding, so
write `routed_at IS NULL OR ...` when an empty field is acceptable.

## Why it matters
Most of the process is a promise about what a lead looks like at a stage:
an MQL has a good grade and enough intent, an SQL has need, authority and
budget confirmed. Writing the promise as a rule lets the data show every lead
that got there without keeping it.

## Example
```yaml
check:
  id: mql_meets_standard
  kind: expression
  rule: fit_grade IN ('A', 'B') AND intent_score >= motion.mql_score
  description: An MQL has fit grade A or B and enough intent.
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, motion: b2b, fit_grade: A, intent_score: 35}
violations:
  - {lead_id: 00Q5e00000Lw3kAEAR, detail: "rule does not hold: fit_grade IN ('A', 'B') AND intent_score >= motion.mql_score"}
```

## Use instead
```yaml
check:
  id: mql_meets_standard
  kind: expression
  rule: fit_grade IN ('A', 'B') AND intent_score >= motion.mql_score
  description: An MQL has fit grade A or B and enough intent.
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, motion: b2b, fit_grade: A, intent_score: 45}
violations: []
```

## Options
- `rule` (required): the condition that must hold, over the canonical lead
  fields and `motion.<threshold>`. Subqueries, tables and clock functions
  are refused; time limits have their own rule kinds.
- `scope`: stages, motion and sources the check applies to.
"""

from __future__ import annotations

from pydantic import Field

from ..spec.lint.context import LintContext, Loc
from ..spec.models import Check
from ..spec.models.common import Strict
from ..spec.yaml_source import Document
from .base import RowCondition, RuleContext, holds, leads_where, literal, rule_condition


class Options(Strict):
    rule: str = Field(description="The condition every lead in scope must meet.")


def lint(check: Check, options: Options, ctx: LintContext, doc: Document, loc: Loc) -> None:
    ctx.rule(doc, (*loc, "rule"), options.rule)


def build(check: Check, options: Options, ctx: RuleContext) -> RowCondition:
    condition = rule_condition(options.rule, ctx.spec)
    detail = literal(f"rule does not hold: {' '.join(options.rule.split())}")
    return leads_where(holds(condition).not_(), detail)
