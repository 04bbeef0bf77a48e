"""The spec's pydantic models: pure data, no I/O. `Spec` is the whole, resolved spec."""

from __future__ import annotations

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
        return next(s for s in self.stages if s.id == stage_id)

    def role(self, role_id: str) -> Role:
        return next(r for r in self.roles if r.id == role_id)

    def field(self, field_id: str) -> FieldDef:
        return next(f for f in self.fields if f.id == field_id)

    @property
    def terminal_stages(self) -> dict[str, str]:
        """Terminal stage id -> result ('won' or 'disqualified')."""
        return {o.stage: o.result for o in self.process.lifecycle.outcomes}


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
