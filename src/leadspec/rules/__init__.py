"""Rule kinds: one module each, whose docstring is its documentation page.

Every module of this package that defines `build` is a rule kind, named after the
module, and is found here at import: built-in kinds register exactly as a new one
would, by being written. A module declares what a check of its kind may say
(`Options`, a pydantic model; none by default), what it asks of the spec beyond
that (`lint`), and how it judges leads (`build(check, options, ctx)`, which returns
a plan: a row condition or a query). The checks files' model and JSON Schema, the
lint of each check's options and the catalogue page all come from this registry.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, create_model
from sqlglot import exp

from ..spec.models import Check
from ..spec.models.definitions import CheckCommon
from .base import SCOPED, LeadsQuery, Plan, RowCondition, RuleContext, RuleKind, scope_condition


def _registry() -> dict[str, RuleKind]:
    kinds: dict[str, RuleKind] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if not callable(getattr(module, "build", None)):
            continue
        kind = RuleKind.from_module(module)
        if kind.name in kinds:
            raise RuntimeError(f"rule kind '{kind.name}' is registered twice")
        kinds[kind.name] = kind
    return kinds


KINDS = _registry()


def check_model(kind: RuleKind) -> type[BaseModel]:
    """A check of this kind as one strict model: the common keys and the kind's options."""
    fields: dict[str, Any] = {
        name: (info.annotation, info) for name, info in kind.options.model_fields.items()
    }
    name = "".join(part.title() for part in kind.name.split("_")) + "Check"
    tag: Any = Literal[kind.name]  # NOTE: a literal built at run time, which mypy cannot follow
    return create_model(name, __base__=CheckCommon, kind=(tag, ...), **fields)


CHECK_MODELS = {name: check_model(kind) for name, kind in KINDS.items()}


def checks_file_model() -> type[BaseModel]:
    """The model of a checks/*.yaml file, each check validated by its kind: for its schema."""
    models = tuple(CHECK_MODELS.values())
    union: Any = models[0]
    for model in models[1:]:
        union = union | model
    one = Annotated[union, Field(discriminator="kind")]
    return create_model("ChecksFile", checks=(list[one], ...))


def plan(check: Check, ctx: RuleContext) -> Plan:
    """How the check's kind judges it."""
    return KINDS[check.kind].plan(check, ctx)


def query(check: Check, ctx: RuleContext, *, ordered: bool = True, planned: Plan | None = None) -> exp.Select:
    """The violations of one check: a SELECT of lead_id and detail, sorted unless told not to.

    `planned` is the kind's plan for the check, when the caller has it already.
    """
    kind = KINDS[check.kind]
    found = planned or kind.plan(check, ctx)
    select = found.select() if isinstance(found, RowCondition) else found.select
    scoped = (
        exp.select("*")
        .from_("leads")
        .where(scope_condition(check, by_current_stage=not kind.stages_from_history))
    )

    # NOTE: `scoped` is written in place of each reference, not as a common table
    # expression: DuckDB stores a CTE's every column for every lead before reading it,
    # where a subquery is only a filtered scan of the columns the rule reads.
    def inline(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Table) and node.name == SCOPED and not node.args.get("db"):
            return scoped.subquery(node.alias or SCOPED)
        return node

    inlined = select.transform(inline)
    assert isinstance(inlined, exp.Select)
    body = inlined.subquery("violations")
    result = exp.select("lead_id", "detail").from_(body)
    return result.order_by("lead_id", "detail") if ordered else result


__all__ = [
    "CHECK_MODELS",
    "KINDS",
    "LeadsQuery",
    "Plan",
    "RowCondition",
    "RuleContext",
    "RuleKind",
    "check_model",
    "checks_file_model",
    "plan",
    "query",
]
