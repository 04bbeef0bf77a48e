"""definitions/*.yaml: the vocabulary the stages are written in."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, model_validator

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
    not_detectable: str | None = Field(None, description="Why data cannot show it, when no rule can.")


class FailureMode(Strict):
    id: Id
    name: Text
    looks_like: Text
    detection: Detection
    countermeasure: Text


class FailureModesFile(Strict):
    failure_modes: list[FailureMode]


Statistic = Literal["median", "mean", "p90"]


class _Measure(Strict):
    """What every measure kind shares: which leads it reads and what places them in the period."""

    where: str | None = Field(
        None, description="Rule expression: only leads for which it holds are measured."
    )
    dated_by: list[Id] | None = Field(
        None,
        min_length=1,
        description="Timestamp fields that place a lead in the report's period: the earliest "
        "of them that is set (default: created_at).",
    )


class CountMeasure(_Measure):
    kind: Literal["count"] = Field(description="Leads per calendar month of the period.")
    by: Id | None = Field(None, description="A field whose values split each month's count.")


class ShareMeasure(_Measure):
    kind: Literal["share"] = Field(description="The largest group's share of the leads, in percent.")
    by: Id = Field(description="The field whose values form the groups.")


class RateMeasure(_Measure):
    kind: Literal["rate"] = Field(description="Of the leads matching 'of', the share matching 'that'.")
    of: str | None = Field(None, description="Rule expression for the leads counted (default: all).")
    that: str = Field(description="Rule expression for the leads that count as a success.")
    by: Id | None = Field(None, description="A field whose values each get their own rate.")
    split: Id | None = Field(None, description="A field that splits the successes, such as a reason code.")

    @model_validator(mode="after")
    def _one_breakdown(self) -> RateMeasure:
        if self.by is not None and self.split is not None:
            raise ValueError("a rate is broken down either 'by:' a field or with 'split:', not both")
        return self


class DurationMeasure(_Measure):
    kind: Literal["duration"] = Field(description="Time from one timestamp field to another.")
    start: Id = Field(alias="from", description="The timestamp field the time runs from.")
    end: Id = Field(alias="to", description="The timestamp field the time runs to.")
    clock: Literal["business", "calendar"] = Field(
        description="business: only the process calendar's working time counts; "
        "calendar: every minute counts."
    )
    statistic: Statistic = Field("median", description="Which figure is compared with the target.")
    window: Id | None = Field(
        None,
        description="A window each motion names in process.yaml: the report adds the "
        "share of leads inside their own limit.",
    )


class StageDaysMeasure(_Measure):
    kind: Literal["stage_days"] = Field(
        description="Calendar days per stay in each listed stage, from the lead history."
    )
    stages: list[Id] = Field(min_length=1)
    statistic: Statistic = Field("mean", description="Which figure each stage reports.")


class ConversionMeasure(_Measure):
    kind: Literal["conversion"] = Field(
        description="For each pair of neighbours in 'stages', the share of departures from the "
        "first that went to the second, from the lead history."
    )
    stages: list[Id] = Field(min_length=2)


Measure = Annotated[
    CountMeasure | ShareMeasure | RateMeasure | DurationMeasure | StageDaysMeasure | ConversionMeasure,
    Field(discriminator="kind"),
]
MEASURE_UNITS: dict[str, tuple[str, ...]] = {
    "count": ("count",),
    "share": ("percent",),
    "rate": ("percent",),
    "duration": ("minutes", "hours", "days"),
    "stage_days": ("days",),
    "conversion": ("percent",),
}


class Kpi(Strict):
    id: Id
    name: Text
    dimension: Literal["input", "process", "output", "efficiency"]
    definition: Text
    unit: Literal["count", "percent", "minutes", "hours", "days", "currency", "ratio"]
    target: Range | None = None
    cadence: Literal["daily", "weekly", "monthly", "quarterly"]
    measure: Measure | None = Field(
        None, description="How the pilot report computes the KPI from a CRM export."
    )
    not_measurable: Text | None = Field(
        None, description="Why no CRM export can give the KPI, in place of a measure."
    )

    @model_validator(mode="after")
    def _measure_or_reason(self) -> Kpi:
        if self.measure is not None and self.not_measurable is not None:
            raise ValueError("a KPI has either 'measure:' or 'not_measurable:', not both")
        return self


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


class CheckCommon(Strict):
    """What every check in checks/*.yaml has, whatever its kind."""

    id: Id
    description: Text
    kind: Id = Field(description="A rule kind: see the checks catalogue of the playbook.")
    scope: CheckScope = CheckScope()
    severity: Literal["error", "warning"] = "error"
    threshold: CheckThreshold = CheckThreshold(count=0, percent=None)


class Check(CheckCommon):
    """A check as the spec holds it: the common keys, and its kind's own options as written.

    Each rule kind declares its options in its module (rules/<kind>.py), where they are
    validated; the spec keeps them unread, since it does not know the kinds.
    """

    model_config = ConfigDict(extra="allow")

    @property
    def options(self) -> dict[str, Any]:
        """The options set, by name; one written as null counts as not set (a frozen release
        of an older leadspec lists every option, null where a kind has none)."""
        return {k: v for k, v in (self.model_extra or {}).items() if v is not None}

    def option(self, name: str) -> Any:
        """One option of the check's kind, or None when the check does not set it."""
        return (self.model_extra or {}).get(name)


class ChecksFile(Strict):
    checks: list[Check]
