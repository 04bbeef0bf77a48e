"""A field holds a value outside its allowed list.

## What it checks
Every lead in scope has, in `field`, one of the values the data dictionary
lists under the field's `allowed_values`. Values are compared exactly, so
`a` is not `A` and `A ` (with a trailing space) is not `A` either. An empty
field passes: whether it must be set is a `required_field` check's job.

## Why it matters
Reports, routing and the other checks group leads by these values. A CRM
status nobody mapped, or a grade typed by hand, silently drops a lead out of
every count that looks for the listed values.

## Example
```yaml
check:
  id: fit_grade_value_allowed
  kind: allowed_values
  field: fit_grade
  description: The fit grade is one of the four grades.
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, fit_grade: E}
violations:
  - {lead_id: 00Q5e00000Lw3kAEAR, detail: "fit_grade is 'E', not an allowed value"}
```

## Use instead
```yaml
check:
  id: fit_grade_value_allowed
  kind: allowed_values
  field: fit_grade
  description: The fit grade is one of the four grades.
leads:
  - {lead_id: 00Q5e00000Lw3kAEAR, fit_grade: B}
violations: []
```

## Options
- `field` (required): a field that lists `allowed_values` in the data dictionary.
- `scope`: stages, motion and sources the check applies to.

For a field marked `pii`, the detail names the field but never its value.
"""

from __future__ import annotations

from sqlglot import exp

from ..spec.codes import Code
from ..spec.lint.context import LintContext, Loc
from ..spec.models import Check
from ..spec.yaml_source import Document
from .base import FieldOptions, RowCondition, RuleContext, column, leads_where, lint_field, literal

Options = FieldOptions


def lint(check: Check, options: FieldOptions, ctx: LintContext, doc: Document, loc: Loc) -> None:
    lint_field(check, options, ctx, doc, loc)
    field = ctx.spec.field(options.field) if options.field in {f.id for f in ctx.spec.fields} else None
    if field is not None and not field.allowed_values:
        ctx.report(
            doc,
            (*loc, "field"),
            Code.LS012,
            f"field '{field.id}' lists no allowed_values to check against",
            "Add allowed_values to the field in definitions/fields.yaml.",
        )


def build(check: Check, options: Options, ctx: RuleContext) -> RowCondition:
    allowed = ctx.spec.field(options.field).allowed_values
    assert allowed, f"field '{options.field}' lists no allowed_values"
    value = column(options.field)
    present = exp.func("NULLIF", exp.func("TRIM", value), literal("")).is_(exp.null()).not_()
    violation = exp.and_(present, value.isin(*map(literal, allowed)).not_())
    if ctx.field_is_pii(options.field):
        detail: exp.Expr = literal(f"{options.field} has a value outside the allowed list")
    else:
        detail = exp.func(
            "CONCAT", literal(f"{options.field} is '"), value, literal("', not an allowed value")
        )
    return leads_where(violation, detail)
