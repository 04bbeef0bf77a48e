"""A lead's source category is missing or not defined.

## What it checks
Every lead in scope has a source category, in the lead definition's
`source_field`, that is one of the sources defined in
`definitions/sources.yaml`, such as `inbound` or `partner`. An empty or
blank value is reported as missing.

## Why it matters
The source decides a lead's response windows, who it is routed to and which
conversion it is measured against. A lead with no known source gets the
wrong clock and falls out of every source report.

## Example
```yaml
check: {id: source_known, kind: known_source, description: Every lead has a known source.}
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, source_category: webinar}
  - {lead_id: 00Q5e00000Lw3kBEAR}
violations:
  - {lead_id: 00Q5e00000Lw3kAEAR, detail: "source category 'webinar' is not defined"}
  - {lead_id: 00Q5e00000Lw3kBEAR, detail: source category is missing}
```

## Use instead
```yaml
check: {id: source_known, kind: known_source, description: Every lead has a known source.}
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, source_category: inbound, source_detail: webinar}
violations: []
```

## Options
- `scope`: stages, motion and sources the check applies to.

The field and the known ids come from the lead definition and the sources;
the check itself has no other settings.
"""

from __future__ import annotations

from sqlglot import exp

from ..spec.models import Check
from .base import NoOptions, RowCondition, RuleContext, column, holds, leads_where, literal


def build(check: Check, options: NoOptions, ctx: RuleContext) -> RowCondition:
    value = column(ctx.spec.lead.source_field)
    known = value.isin(*(literal(source.id) for source in ctx.spec.sources))
    missing = exp.func("NULLIF", exp.func("TRIM", value), literal("")).is_(exp.null())
    detail = (
        exp.Case()
        .when(missing, literal("source category is missing"))
        .else_(exp.func("CONCAT", literal("source category '"), value, literal("' is not defined")))
    )
    return leads_where(holds(known).not_(), detail)
