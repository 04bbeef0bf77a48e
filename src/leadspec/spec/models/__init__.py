"""The spec's pydantic models: pure data, no I/O. `Spec` is the whole, resolved spec."""

from __future__ import annotations

from typing import Protocol, TypeVar

from pydantic import Field

from .common import Criterion, Range, Strict, Window, duration_minutes, duration_parts
from .definitions import (
    Check,
    FailureMode,
    FieldDef,
    Grading,
    Kpi,
    LeadDefinition,
    ReadinessLevel,
    Role,
    Scoring,
    Source,
    Term,
)
from .process import Process, version_key
from .stage import JobAid, Stage, Step


class Spec(Strict):
    """Everything the YAML says, in one object: what pages, checks and diffs read."""

    process: Process
    stages: list[Stage] = Field(description="In lifecycle order: pre-lead, then from entry.")
    lead: LeadDefinition
    fields: list[FieldDef]
    sources: list[Source]
    roles: list[Role]
    grading: Grading
    scoring: Scoring
    readiness: list[ReadinessLevel]
    failure_modes: list[FailureMode]
    kpis: list[Kpi]
    glossary: list[Term]
    checks: list[Check]

    def stage(self, stage_id: str) -> Stage:
        return _find(self.stages, stage_id, "stage")

    def role(self, role_id: str) -> Role:
        return _find(self.roles, role_id, "role")

    def field(self, field_id: str) -> FieldDef:
        return _find(self.fields, field_id, "field")

    @property
    def terminal_stages(self) -> dict[str, str]:
        """Terminal stage id -> result ('won' or 'disqualified')."""
        return {o.stage: o.result for o in self.process.lifecycle.outcomes}


class _HasId(Protocol):
    id: str


T = TypeVar("T", bound=_HasId)


def _find(items: list[T], item_id: str, kind: str) -> T:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"no {kind} '{item_id}' in the spec")


__all__ = [
    "Check",
    "Criterion",
    "FailureMode",
    "FieldDef",
    "Grading",
    "JobAid",
    "Kpi",
    "LeadDefinition",
    "Process",
    "Range",
    "ReadinessLevel",
    "Role",
    "Scoring",
    "Source",
    "Spec",
    "Stage",
    "Step",
    "Term",
    "Window",
    "duration_minutes",
    "duration_parts",
    "version_key",
]
