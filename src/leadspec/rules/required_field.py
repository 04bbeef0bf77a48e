"""A required field is empty.

## What it checks
Every lead in scope has a value in `field`. Text that is only spaces counts as
empty. For a field marked `required_from` a stage in the data dictionary, scope
the check to that stage and the stages after it.

## Why it matters
A stage can only be worked, routed or measured when its data is there: a lead
without a consent status cannot be contacted safely, one without an owner is
nobody's job.

## Example
```yaml
check: {id: owner_present, kind: required_field, field: owner_id, description: Leads have an owner.}
leads:
  - {lead_id: L1, owner_id: "   "}
violations:
  - {lead_id: L1, detail: owner_id is empty}
```

## Use instead
```yaml
check: {id: owner_present, kind: required_field, field: owner_id, description: Leads have an owner.}
leads:
  - {lead_id: L1, owner_id: 005Ec000004oBPN}
violations: []
```

## Options
- `field` (required): the field that must be set.
- `scope`: stages, motion and sources the check applies to.
"""

from __future__ import annotations

from sqlglot import exp

from ..spec.models import Check
from .base import FieldOptions, RowCondition, RuleContext, column, leads_where, lint_field, literal

Options = FieldOptions
lint = lint_field


def build(check: Check, options: Options, ctx: RuleContext) -> RowCondition:
    value = column(options.field)
    empty: exp.Expr = value.is_(exp.null())
    if any(f.id == options.field and f.type == "string" for f in ctx.spec.fields):
        empty = exp.or_(empty, exp.func("TRIM", value).eq(literal("")))
    return leads_where(empty, literal(f"{options.field} is empty"))
