"""A disqualified lead has no valid reason code.

## What it checks
Every lead in a stage the lifecycle ends with the result `disqualified` has a
`disqualification_reason`, and the reason is one of the codes the data
dictionary lists for that field. Codes are compared exactly.

## Why it matters
Disqualification reasons are how marketing learns which sources and
campaigns bring the wrong people, and how sales proves a lead was closed for
a reason rather than dropped. A lead closed without a code teaches nobody
anything.

## Example
```yaml
check: {id: disqualified_with_reason, kind: disqualification_reason, description: Disqualified leads say why.}
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, stage: disqualified}
  - {lead_id: 00Q5e00000Lw3kBEAR, stage: disqualified, disqualification_reason: too_small}
violations:
  - {lead_id: 00Q5e00000Lw3kAEAR, detail: disqualified without a reason}
  - {lead_id: 00Q5e00000Lw3kBEAR, detail: "disqualification reason 'too_small' is not in the list"}
```

## Use instead
```yaml
check: {id: disqualified_with_reason, kind: disqualification_reason, description: Disqualified leads say why.}
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, stage: disqualified, disqualification_reason: no_fit}
  - {lead_id: 00Q5e00000Lw3kBEAR, stage: disqualified, disqualification_reason: no_budget}
violations: []
```

## Options
- `scope`: stages, motion and sources the check applies to. Leads outside
  the disqualified outcome stages are never checked, whatever the scope.
"""

from __future__ import annotations

from sqlglot import exp

from ..spec.models import Check
from .base import NoOptions, RowCondition, RuleContext, column, holds, leads_where, literal

FIELD = "disqualification_reason"


def build(check: Check, options: NoOptions, ctx: RuleContext) -> RowCondition:
    stages = [stage for stage, result in ctx.spec.terminal_stages.items() if result == "disqualified"]
    reason = column(FIELD)
    missing = exp.func("NULLIF", exp.func("TRIM", reason), literal("")).is_(exp.null())
    codes = ctx.spec.field(FIELD).allowed_values
    valid = exp.and_(missing.not_(), reason.isin(*map(literal, codes))) if codes else missing.not_()
    if ctx.field_is_pii(FIELD):
        unlisted: exp.Expr = literal("disqualification reason is not in the list")
    else:
        unlisted = exp.func(
            "CONCAT", literal("disqualification reason '"), reason, literal("' is not in the list")
        )
    detail = exp.Case().when(missing, literal("disqualified without a reason")).else_(unlisted)
    closed = column("stage").isin(*map(literal, stages)) if stages else exp.false()
    violation = exp.and_(closed, holds(valid).not_())
    return leads_where(violation, detail)
