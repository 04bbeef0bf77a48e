"""A lead stayed in a stage longer than the stage allows.

## What it checks
For every visit of a lead to a stage in scope (all stages with a
`max_time_in_stage` when no stages are given), the time from entering the stage
to leaving it, or to the as-of time while the lead is still there, is within the
stage's maximum. The limit is the one the lead's motion sets for the stage, with
any limit for its source category; on the business clock only working hours count.

## Why it matters
Leads that sit in a stage are leads nobody is deciding about: parked, hoarded or
forgotten. A maximum time forces a decision (move on, recycle or disqualify).

## Example
```yaml
check: {id: stale_sales_leads, kind: max_time_in_stage, scope: {stages: [sales_accepted]}}
as_of: 2026-06-30 12:00:00
leads:
  - {lead_id: 00Q7, motion: b2b, source_category: inbound, stage: sales_accepted}
events:
  - {lead_id: 00Q7, at: 2026-06-01 15:00:00, kind: stage, from_value: marketing_qualified, to_value: sales_accepted}
violations:
  - {lead_id: 00Q7, detail: "sales_accepted: 28.9 days in the stage; the limit is 21.0 days"}
```

## Use instead
```yaml
check: {id: stale_sales_leads, kind: max_time_in_stage, scope: {stages: [sales_accepted]}}
as_of: 2026-06-30 12:00:00
leads:
  - {lead_id: 00Q7, motion: b2b, source_category: inbound, stage: sales_qualified}
events:
  - {lead_id: 00Q7, at: 2026-06-01 15:00:00, kind: stage, from_value: marketing_qualified, to_value: sales_accepted}
  - {lead_id: 00Q7, at: 2026-06-12 15:00:00, kind: stage, from_value: sales_accepted, to_value: sales_qualified}
violations: []
```

## Options
- `scope.stages`: the stages whose maximum times are checked (visits in the
  history, not the lead's current stage); `scope.motion` and `scope.sources`
  select leads as usual.
- The limits live in `process.yaml` under each motion's `windows`, named by each
  stage's `max_time_in_stage`.
"""

from __future__ import annotations

from ..spec.models import Check
from .base import LeadsQuery, NoOptions, RuleContext
from .stage_time import late_visits

NEEDS_HISTORY = True  # without a history the rule cannot be judged: it is skipped
STAGES_FROM_HISTORY = True


def build(check: Check, options: NoOptions, ctx: RuleContext) -> LeadsQuery:
    return late_visits(check, ctx, "max_time_in_stage", ("left_at",), ("", " in the stage; the limit is "))
