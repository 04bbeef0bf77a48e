"""A lead was contacted without consent on record at that time.

## What it checks
Every lead in scope with a `first_contact_at` meets the lead definition's
`consent_rule` (in the reference spec: a consent status of `opted_in` or
`soft_opt_in`), and its `consent_at` is set and no later than the first
contact. The CRM keeps only the current consent, so a lead that opted out
after it was contacted is reported too: its `consent_at` shows when.

## Why it matters
Contacting a person without a lawful basis is a legal risk, not only a
process slip, and a complaint lands on the whole company. Consent recorded
after the first call is a sign it was filled in to make the record look
right.

## Example
```yaml
check: {id: consent_before_contact, kind: consent_before_contact, description: Nobody is contacted without consent.}
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, consent_status: unknown, first_contact_at: 2026-03-02 10:15:00}
  - lead_id: 00Q5e00000Lw3kBEAR
    consent_status: opted_in
    consent_at: 2026-03-02 11:00:00
    first_contact_at: 2026-03-02 10:15:00
violations:
  - {lead_id: 00Q5e00000Lw3kAEAR, detail: contacted without consent}
  - {lead_id: 00Q5e00000Lw3kBEAR, detail: contacted before consent was recorded}
```

## Use instead
```yaml
check: {id: consent_before_contact, kind: consent_before_contact, description: Nobody is contacted without consent.}
leads:
  - lead_id: 00Q5e00000Lw3kBEAR
    consent_status: opted_in
    consent_at: 2026-03-02 09:40:00
    first_contact_at: 2026-03-02 10:15:00
  - {lead_id: 00Q5e00000Lw3kCEAR, consent_status: unknown}
violations: []
```

## Options
- `scope`: stages, motion and sources the check applies to.

What counts as consent is the lead definition's `consent_rule`, so the
check follows it when the rule changes.
"""

from __future__ import annotations

from sqlglot import exp

from ..spec.models import Check
from .base import NoOptions, RowCondition, RuleContext, column, holds, leads_where, literal, rule_condition


def build(check: Check, options: NoOptions, ctx: RuleContext) -> RowCondition:
    contacted, consented = column("first_contact_at"), column("consent_at")
    permitted = holds(rule_condition(ctx.spec.lead.consent_rule, ctx.spec))
    recorded_first = holds(
        exp.and_(consented.is_(exp.null()).not_(), exp.LTE(this=consented, expression=contacted))
    )
    violation = exp.and_(contacted.is_(exp.null()).not_(), exp.and_(permitted, recorded_first).not_())
    detail = (
        exp.Case()
        .when(permitted.not_(), literal("contacted without consent"))
        .else_(literal("contacted before consent was recorded"))
    )
    return leads_where(violation, detail)
