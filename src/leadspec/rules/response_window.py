"""The owner acted too late after a lead entered a stage.

## What it checks
For every visit of a lead to a stage in scope (all stages with a
`response_window` when no stages are given), the owner's first action comes
within that stage's response window. The first action is the first activity in
the history after the lead entered the stage, or the stage change that moved it
on, whichever came first. The window is the one the lead's motion sets for the
stage, with any limit for the lead's source category; on the business clock only
working hours count. A lead still waiting past its window at the as-of time is a
violation too.

## Why it matters
Speed to first contact decides whether an interested buyer is still interested.
A response standard that nobody measures is not a standard.

## Example
```yaml
check: {id: first_response_met, kind: response_window, scope: {stages: [marketing_qualified]}}
as_of: 2026-03-09 20:00:00
leads:
  - {lead_id: 00Q1, motion: b2c, source_category: inbound}
events:
  - {lead_id: 00Q1, at: 2026-03-09 14:00:00, kind: stage, from_value: inquiry, to_value: marketing_qualified}
  - {lead_id: 00Q1, at: 2026-03-09 14:30:00, kind: activity, to_value: call}
violations:
  - {lead_id: 00Q1, detail: "marketing_qualified: first action after 30 working minutes; the window allows 5 working minutes"}
```

## Use instead
```yaml
check: {id: first_response_met, kind: response_window, scope: {stages: [marketing_qualified]}}
as_of: 2026-03-09 20:00:00
leads:
  - {lead_id: 00Q1, motion: b2c, source_category: inbound}
events:
  - {lead_id: 00Q1, at: 2026-03-09 14:00:00, kind: stage, from_value: inquiry, to_value: marketing_qualified}
  - {lead_id: 00Q1, at: 2026-03-09 14:03:00, kind: activity, to_value: call}
violations: []
```

## Options
- `scope.stages`: the stages whose response windows are checked (visits in the
  history, not the lead's current stage); `scope.motion` and `scope.sources`
  select leads as usual.
- The windows themselves live in `process.yaml` under each motion's `windows`,
  named by each stage's `response_window`.
"""

from __future__ import annotations

from ..spec.models import Check
from .base import LeadsQuery, NoOptions, RuleContext
from .stage_time import late_visits

NEEDS_HISTORY = True  # without a history the rule cannot be judged: it is skipped
STAGES_FROM_HISTORY = True


# NOTE: the clock stops at the first activity at or after entering, or on leaving the stage.
def build(check: Check, options: NoOptions, ctx: RuleContext) -> LeadsQuery:
    return late_visits(
        check,
        ctx,
        "response_window",
        ("left_at", "acted_at"),
        ("first action after ", "; the window allows "),
    )
