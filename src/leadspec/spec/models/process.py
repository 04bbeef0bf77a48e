"""process/process.yaml: the process as a whole, its lifecycle and its governance."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema

from .common import Id, Strict, Text, TimeZone, Window

Function = Literal["sales", "marketing", "it", "finance", "operations", "customer_success", "leadership"]
Status = Literal["draft", "expert-review", "pilot", "released"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _version_text(value: object) -> object:
    # NOTE: YAML reads an unquoted 0.75 as a float; accept it as the text it was.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(float(value))
    if isinstance(value, str) and not re.fullmatch(r"\d+\.\d+", value):
        raise ValueError(f"'{value}' is not a version; write MAJOR.MINOR such as 0.5 or 1.0")
    return value


Version = Annotated[
    str,
    BeforeValidator(_version_text),
    WithJsonSchema(
        {
            "type": ["string", "number"],
            "pattern": r"^\d+\.\d+$",
            "description": "MAJOR.MINOR, such as 0.5, 0.75 or 1.0.",
        }
    ),
]


def version_key(version: str) -> tuple[int, int]:
    """Sort key for versions: 0.5 < 0.75 < 1.0 compares the minor part as a fraction."""
    major, minor = version.split(".")
    return int(major), int(minor.ljust(4, "0"))


class Stakeholder(Strict):
    function: Function
    role: Id = Field(description="The role that speaks for this function.")
    responsibility: Text


class Transition(Strict):
    source: Id = Field(alias="from")
    target: Id = Field(alias="to")
    when: Text = Field(description="The condition for the move, as a person reads it.")


class Outcome(Strict):
    stage: Id
    result: Literal["won", "disqualified"]


class Lifecycle(Strict):
    pre_lead: list[Id] = Field(
        default_factory=list,
        description="Stages before a lead exists (demand creation, engagement), in order; "
        "shown for context, never checked against CRM data.",
    )
    entry: Id = Field(description="The stage every lead starts in.")
    transitions: list[Transition]
    outcomes: list[Outcome] = Field(description="Terminal stages and what they mean.")


class Motion(Strict):
    name: Text
    description: Text
    sales_cycle_days: int = Field(gt=0, description="Typical days from inquiry to decision.")
    thresholds: dict[Id, float] = Field(
        description="Numbers that rules read as motion.<name>, such as the MQL score."
    )
    windows: dict[Id, Window] = Field(
        description="Named time limits that stages use for response and time in stage."
    )


class Holiday(Strict):
    date: dt.date
    name: Text


class WorkingHours(Strict):
    start: dt.time
    end: dt.time


class Calendar(Strict):
    time_zone: TimeZone
    working_days: list[Weekday]
    working_hours: WorkingHours
    holidays: list[Holiday] = Field(default_factory=list)


class Approval(Strict):
    version: Version
    role: Id = Field(description="The role that approved; people are not named here.")
    function: Function
    date: dt.date
    decision: Literal["approved", "approved-with-changes", "rejected"]
    comment: str = ""


class ChangelogEntry(Strict):
    version: Version
    date: dt.date
    summary: Text
    changes: list[str] = Field(default_factory=list)


class Waiver(Strict):
    """Leave to release a version although a pilot KPI missed its target or was not measured."""

    version: Version = Field(description="The version whose release gate the waiver covers.")
    kpi: Id = Field(description="The KPI from definitions/kpis.yaml that is waived.")
    reason: Text = Field(description="Why the version may be released all the same.")
    approved_by: Id = Field(description="The role that accepted the risk.")
    date: dt.date


class Process(Strict):
    name: Text
    version: Version
    status: Status
    purpose: Text
    owner: Id = Field(description="The role that owns the process as a whole.")
    stakeholders: list[Stakeholder]
    lifecycle: Lifecycle
    motions: dict[Id, Motion] = Field(description="Sales motions, such as b2b and b2c.")
    default_motion: Id
    calendar: Calendar
    approvals: list[Approval] = Field(default_factory=list)
    changelog: list[ChangelogEntry] = Field(default_factory=list)
    waivers: list[Waiver] = Field(
        default_factory=list,
        description="KPIs that may miss their target in a version's pilot, each with a reason.",
    )
