"""A routed lead has no owner.

## What it checks
Once a lead is routed (`routed_at` is set), it has exactly one owner at every
moment: `owner_id` holds a user, and the lead's history shows no owner change
at or after routing that cleared the owner. A lead with no owner now is
reported as such; one whose owner was removed and later set again is
reported with the time of the first removal. Without a history only the
current owner can be checked, and is. A queue is no named owner: a mapping
that names its queues (`queue_prefixes`) reads a queue-owned lead as unowned.

## Why it matters
Routing is the promise that one named person works the lead. A lead without
an owner, even for an afternoon, is nobody's job: its response window runs
out while it waits in a gap between two people.

## Example
```yaml
check: {id: one_owner, kind: single_owner, description: Routed leads always have one owner.}
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, routed_at: 2026-03-02 09:30:00}
  - {lead_id: 00Q5e00000Lw3kBEAR, routed_at: 2026-03-02 09:30:00, owner_id: 005Ec000004oBPNIA2}
events:
  - {lead_id: 00Q5e00000Lw3kBEAR, at: 2026-03-02 10:00:00, kind: owner, from_value: 005Ec000004oBPNIA2}
  - {lead_id: 00Q5e00000Lw3kBEAR, at: 2026-03-03 08:00:00, kind: owner, to_value: 005Ec000004oBPNIA2}
violations:
  - {lead_id: 00Q5e00000Lw3kAEAR, detail: routed but has no owner}
  - {lead_id: 00Q5e00000Lw3kBEAR, detail: "owner removed at 2026-03-02 10:00:00"}
```

## Use instead
```yaml
check: {id: one_owner, kind: single_owner, description: Routed leads always have one owner.}
leads:
  - {lead_id: 00Q5e00000Lw3kBEAR, routed_at: 2026-03-02 09:30:00, owner_id: 005Ec000004oCQRIA2}
events:
  - lead_id: 00Q5e00000Lw3kBEAR
    at: 2026-03-02 10:00:00
    kind: owner
    from_value: 005Ec000004oBPNIA2
    to_value: 005Ec000004oCQRIA2
violations: []
```

## Options
- `scope`: stages, motion and sources the check applies to.

Handing a lead straight from one owner to another is fine; only a change
that leaves the owner empty counts. Leads that were never routed are not
checked, since a queue may hold them.
"""

from __future__ import annotations

from sqlglot import exp

from ..spec.models import Check
from .base import EVENTS, SCOPED, LeadsQuery, NoOptions, RuleContext, column, literal


def _blank(value: exp.Expr) -> exp.Expr:
    return exp.func("NULLIF", exp.func("TRIM", value), literal("")).is_(exp.null())


def build(check: Check, options: NoOptions, ctx: RuleContext) -> LeadsQuery:
    owner, routed, at = column("owner_id", "s"), column("routed_at", "s"), column("at", "e")
    removal = exp.and_(
        column("lead_id", "e").eq(column("lead_id", "s")),
        column("kind", "e").eq(literal("owner")),
        exp.GTE(this=at, expression=routed),
        _blank(column("to_value", "e")),
    )
    removed = exp.func("MIN", at)
    detail = (
        exp.Case()
        .when(_blank(owner), literal("routed but has no owner"))
        .else_(
            exp.func(
                "CONCAT",
                literal("owner removed at "),
                exp.TimeToStr(this=removed, format=literal("%Y-%m-%d %H:%M:%S")),
            )
        )
    )
    return LeadsQuery(
        exp.select(column("lead_id", "s").as_("lead_id"), detail.as_("detail"))
        .from_(exp.to_table(SCOPED).as_("s"))
        .join(exp.to_table(EVENTS).as_("e"), on=removal, join_type="left")
        .where(routed.is_(exp.null()).not_())
        .group_by(column("lead_id", "s"), owner)
        .having(exp.or_(_blank(owner), removed.is_(exp.null()).not_()))
    )
