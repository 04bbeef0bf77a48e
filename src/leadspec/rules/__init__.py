"""Rule kinds: one module each, whose docstring is its documentation page.

Built-in kinds register here exactly as a new kind would: add the module and its
name to KIND_MODULES. A kind's `build(check, ctx)` returns a sqlglot SELECT of
(lead_id, detail) over the scoped leads; `query(check, ctx)` wraps it with the
check's scope. Duplicate names are an error at import.
"""

from __future__ import annotations

import importlib

from sqlglot import exp

from ..spec.models import Check
from .base import SCOPED, RuleContext, RuleKind, scope_condition

KIND_MODULES = (
    "allowed_transitions",
    "allowed_values",
    "consent_before_contact",
    "disqualification_reason",
    "expression",
    "known_source",
    "max_time_in_stage",
    "required_field",
    "response_window",
    "single_owner",
    "unique_leads",
)


def _registry() -> dict[str, RuleKind]:
    kinds: dict[str, RuleKind] = {}
    for name in KIND_MODULES:
        kind = RuleKind.from_module(importlib.import_module(f"{__name__}.{name}"))
        if kind.name in kinds:
            raise RuntimeError(f"rule kind '{kind.name}' is registered twice")
        kinds[kind.name] = kind
    return kinds


KINDS = _registry()


def query(check: Check, ctx: RuleContext, *, ordered: bool = True,
          built: exp.Select | None = None) -> exp.Select:
    """The violations of one check: a SELECT of lead_id and detail, sorted unless told not to.

    `built` is the kind's own query for the check, when the caller has built it already.
    """
    kind = KINDS[check.kind]
    scoped = exp.select("*").from_("leads").where(
        scope_condition(check, by_current_stage=not kind.stages_from_history))

    # NOTE: `scoped` is written in place of each reference, not as a common table
    # expression: DuckDB stores a CTE's every column for every lead before reading it,
    # where a subquery is only a filtered scan of the columns the rule reads.
    def inline(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and node.name == SCOPED and not node.args.get("db"):
            return scoped.subquery(node.alias or SCOPED)
        return node

    body = (built or kind.build(check, ctx)).transform(inline).subquery("violations")
    select = exp.select("lead_id", "detail").from_(body)
    return select.order_by("lead_id", "detail") if ordered else select


__all__ = ["KINDS", "RuleContext", "RuleKind", "query"]
