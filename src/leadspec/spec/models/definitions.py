"""definitions/*.yaml: the vocabulary the stages are written in."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .common import Id, Range, Strict, Text
from .process import Function

FieldType = Literal["string", "integer", "number", "boolean", "timestamp", "date"]


class LeadDefinition(Strict):
    summary: Text = Field(description="What makes an inquiry a lead, in one or two sentences.")
    required_fields: list[Id] = Field(description="Fields every lead has from capture on.")
    contact_any_of: list[Id] = Field(description="At least one of these contact fields.")
    consent_field: Id
    consent_rule: str = Field(description="Expression that holds when contact is permitted.")
    source_field: Id
    not_a_lead: list[Text] = Field(description="Things that are demand or noise, not leads.")


class LeadFile(Strict):
    lead: LeadDefinition


class FieldDef(Strict):
    id: Id
    type: FieldType
    description: Text
    allowed_values: list[str] | None = None
    pii: bool = Field(False, description="Personal data: never shown in reports or the site.")
    required_from: Id | None = Field(None, description="The stage from which it must be set.")


class FieldsFile(Strict):
    fields: list[FieldDef]


class Source(Strict):
    id: Id
    name: Text
    description: Text
    examples: list[Text]
    expected_share: Range = Field(description="Percent of all leads.")
    expected_conversion: Range = Field(description="Percent of leads that become opportunities.")
    handling: Text


class SourcesFile(Strict):
    sources: list[Source]


class Capacity(Strict):
    leads_per_week: int | None = Field(None, gt=0)
    note: str = ""


class Role(Strict):
    id: Id
    title: Text
    function: Function
    summary: Text
    responsibilities: list[Text]
    capacity: Capacity | None = None


class RolesFile(Strict):
    roles: list[Role]


class Grade(Strict):
    grade: Literal["A", "B", "C", "D"]
    label: Text
    rule: str = Field(description="Expression over firmographic fields; first match wins.")
    description: Text


class Grading(Strict):
    field: Id
    summary: Text
    grades: list[Grade]


class GradingFile(Strict):
    grading: Grading


class Signal(Strict):
    id: Id
    name: Text
    points: int
    description: Text


class Threshold(Strict):
    id: Id
    meaning: Text


class Scoring(Strict):
    field: Id
    summary: Text
    signals: list[Signal]
    thresholds: list[Threshold] = Field(
        description="Thresholds each motion sets a value for (process.motions.*.thresholds)."
    )


class ScoringFile(Strict):
    scoring: Scoring


class ReadinessLevel(Strict):
    id: Id
    name: Text
    description: Text
    signals: list[Text]
    action: Literal["nurture", "engage", "disqualify"]


class ReadinessFile(Strict):
    readiness: list[ReadinessLevel]


class Detection(Strict):
    checks: list[Id] = Field(default_factory=list, description="Ids of rules that catch it.")
    not_detectable: str | None = Field(
        None, description="Why data cannot show it, when no rule can."
    )


class FailureMode(Strict):
    id: Id
    name: Text
    looks_like: Text
    detection: Detection
    countermeasure: Text


class FailureModesFile(Strict):
    failure_modes: list[FailureMode]


class Kpi(Strict):
    id: Id
    name: Text
    dimension: Literal["input", "process", "output", "efficiency"]
    definition: Text
    unit: Literal["count", "percent", "minutes", "hours", "days", "currency", "ratio"]
    target: Range | None = None
    cadence: Literal["daily", "weekly", "monthly", "quarterly"]


class KpisFile(Strict):
    kpis: list[Kpi]


class Term(Strict):
    term: Text
    definition: Text
    abbreviation: str | None = None


class GlossaryFile(Strict):
    glossary: list[Term]


class CheckScope(Strict):
    stages: list[Id] = Field(default_factory=list)
    motion: Id | None = None
    sources: list[Id] = Field(default_factory=list)


class CheckThreshold(Strict):
    count: int | None = Field(None, ge=0)
    percent: float | None = Field(None, ge=0, le=100)

    @model_validator(mode="after")
    def _one(self) -> CheckThreshold:
        if (self.count is None) == (self.percent is None):
            raise ValueError("a threshold is either 'count:' or 'percent:'")
        return self


CheckKind = Literal[
    "required_field",
    "allowed_values",
    "expression",
    "single_owner",
    "response_window",
    "max_time_in_stage",
    "allowed_transitions",
    "consent_before_contact",
    "disqualification_reason",
    "unique_leads",
    "known_source",
]


class Check(Strict):
    id: Id
    description: Text
    kind: CheckKind
    scope: CheckScope = CheckScope()
    severity: Literal["error", "warning"] = "error"
    threshold: CheckThreshold = CheckThreshold(count=0)
    rule: str | None = Field(None, description="The expression, for kind 'expression'.")
    field: Id | None = Field(None, description="The field, for required_field and allowed_values.")


class ChecksFile(Strict):
    checks: list[Check]
