"""A lead moved between stages in a way the lifecycle does not allow.

## What it checks
Every stage change in a lead's history goes from one stage to another along
a transition of the lifecycle in `process/process.yaml`. Skipping a stage,
such as an inquiry accepted by sales without ever being an MQL, or moving a
lead back out of an outcome such as `disqualified`, is reported once per
change. The first stage a lead was given (no stage before it) and a change
that keeps the same stage are not checked.

## Why it matters
Each transition has a condition that protects the next team: an MQL has
been graded and scored, an SQL has had a qualifying conversation. A lead
that jumps a stage reaches a seller without those checks, and its stage
timestamps no longer measure the process.

## Example
```yaml
check:
  id: transitions_follow_lifecycle
  kind: allowed_transitions
  description: Stage changes follow the lifecycle.
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, stage: sales_accepted}
events:
  - {lead_id: 00Q5e00000Lw3kAEAR, at: 2026-03-02 09:00:00, kind: stage, to_value: inquiry}
  - {lead_id: 00Q5e00000Lw3kAEAR, at: 2026-03-02 11:00:00, kind: stage, from_value: inquiry, to_value: sales_accepted}
violations:
  - {lead_id: 00Q5e00000Lw3kAEAR, detail: "moved from inquiry to sales_accepted, which the lifecycle does not allow"}
```

## Use instead
```yaml
check:
  id: transitions_follow_lifecycle
  kind: allowed_transitions
  description: Stage changes follow the lifecycle.
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, stage: sales_accepted}
events:
  - {lead_id: 00Q5e00000Lw3kAEAR, at: 2026-03-02 09:00:00, kind: stage, to_value: inquiry}
  - {lead_id: 00Q5e00000Lw3kAEAR, at: 2026-03-02 10:30:00, kind: stage, from_value: inquiry, to_value: marketing_qualified}
  - {lead_id: 00Q5e00000Lw3kAEAR, at: 2026-03-02 11:00:00, kind: stage, from_value: marketing_qualified, to_value: sales_accepted}
violations: []
```

## Options
- `scope`: stages, motion and sources the check applies to; a lead's whole
  history is checked when its current state is in scope.
"""

from __future__ import annotations

from sqlglot import exp

from ..spec.models import Check
from .base import EVENTS, SCOPED, LeadsQuery, NoOptions, RuleContext, column, holds, literal

NEEDS_HISTORY = True  # without a history the rule cannot be judged: it is skipped


def _pair(source: exp.Expr, target: exp.Expr) -> exp.Tuple:
    return exp.Tuple(expressions=[source, target])


def build(check: Check, options: NoOptions, ctx: RuleContext) -> LeadsQuery:
    source, target = column("from_value"), column("to_value")
    allowed = [_pair(literal(t.source), literal(t.target)) for t in ctx.spec.process.lifecycle.transitions]
    change = exp.and_(
        column("kind").eq(literal("stage")),
        source.is_(exp.null()).not_(),
        exp.NullSafeEQ(this=source, expression=target).not_(),
    )
    in_scope = column("lead_id").isin(query=exp.select(column("lead_id")).from_(SCOPED))
    detail = exp.func(
        "CONCAT",
        literal("moved from "),
        source,
        literal(" to "),
        exp.func("COALESCE", target, literal("no stage")),
        literal(", which the lifecycle does not allow"),
    )
    violation = exp.and_(in_scope, change, holds(_pair(source, target).isin(*allowed)).not_())
    return LeadsQuery(exp.select(column("lead_id"), detail.as_("detail")).from_(EVENTS).where(violation))
