"""A lead duplicates an earlier lead with the same email.

## What it checks
No two leads in scope share an email address. Emails are compared without
regard to upper and lower case or surrounding spaces, so `Ana@Example.com `
and `ana@example.com` are the same person. The earliest lead of each group
(by `created_at`, then by lead id) counts as the original; every later one is
reported as its duplicate. Leads without an email are not compared.

## Why it matters
Two records for one buyer means two reps calling the same person, split
activity history, and a buyer counted twice in every funnel report.
Duplicates should be merged into the original, not worked side by side.

## Example
```yaml
check: {id: no_duplicate_leads, kind: unique_leads, description: One person has one lead.}
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, email: ana.silva@example.com, created_at: 2026-03-02 09:00:00}
  - {lead_id: 00Q5e00000Lw3kBEAR, email: " Ana.Silva@example.com", created_at: 2026-03-05 14:20:00}
violations:
  - {lead_id: 00Q5e00000Lw3kBEAR, detail: duplicate of lead 00Q5e00000Lw3kAEAR}
```

## Use instead
```yaml
check: {id: no_duplicate_leads, kind: unique_leads, description: One person has one lead.}
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, email: ana.silva@example.com, created_at: 2026-03-02 09:00:00}
  - {lead_id: 00Q5e00000Lw3kBEAR, email: ben.ortiz@example.com, created_at: 2026-03-05 14:20:00}
violations: []
```

## Options
- `scope`: stages, motion and sources the check applies to. Only leads in
  scope are compared, so scoping to open stages lets a new lead follow a
  closed one.
"""

from __future__ import annotations

from ..spec.models import Check
from .base import SCOPED, LeadsQuery, NoOptions, RuleContext, parsed_select


def build(check: Check, options: NoOptions, ctx: RuleContext) -> LeadsQuery:
    # NOTE: most addresses are unique, so the repeated ones are found first by a bare count;
    # only their leads are then grouped to find the original (earliest created, then lowest
    # id; a lead without a creation time comes last), without sorting any lead.
    return LeadsQuery(
        parsed_select(f"""
        WITH keyed AS (SELECT lead_id, created_at, NULLIF(LOWER(TRIM(email)), '') AS address
                       FROM {SCOPED}),
             members AS (SELECT * FROM keyed WHERE address IN (
                             SELECT address FROM keyed WHERE address IS NOT NULL
                             GROUP BY address HAVING COUNT(*) > 1)),
             groups AS (SELECT address, arg_min(lead_id, (created_at IS NULL, created_at, lead_id))
                                            AS original
                        FROM members GROUP BY address)
        SELECT m.lead_id, 'duplicate of lead ' || g.original AS detail
        FROM members AS m JOIN groups AS g ON g.address = m.address
        WHERE m.lead_id <> g.original
    """)
    )
