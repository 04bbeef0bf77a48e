"""The result of a pilot: every KPI of the spec against its target, and the real funnel.

Plain frozen records, sorted when built, so the terminal, JSON and Markdown
renderers and the playbook page read one shape and the same inputs give the same
bytes. No record holds a value of a personal field: breakdowns group by fields the
spec does not mark personal (lint refuses the others), and no lead is listed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from ..data.records import InputFile

FORMAT_VERSION = 1
Status = Literal["met", "missed", "not_measurable"]
Number = int | float

__all__ = ["FORMAT_VERSION", "Funnel", "FunnelMove", "FunnelStage", "InputFile", "Item",
           "KpiResult", "PilotReport", "Status"]


@dataclass(frozen=True)
class Item:
    """One row of a KPI's breakdown: a month, a group, a stage or a step between two stages.

    `value` is in the KPI's unit; `count` is what it rests on (leads, stays or
    departures). The optional parts belong to some measure kinds only.
    """

    key: str | None  # the month, group value, stage id or a step's first stage; None: not set
    value: float | None
    count: int
    to: str | None = None  # a step's second stage (conversion)
    matched: int | None = None  # of `count`, how many matched (rates and conversions)
    complete: bool | None = None  # a month wholly inside the period (counts)
    groups: tuple[tuple[str | None, int], ...] | None = None  # a month's count by group
    expected: tuple[float | None, float | None] | None = None  # a source's expected share
    status: Status | None = None  # an item judged against the KPI's target on its own


@dataclass(frozen=True)
class KpiResult:
    id: str
    name: str
    unit: str
    measure: str | None  # the measure kind, None for a KPI the spec gives no measure
    status: Status
    value: float | None
    target_min: float | None
    target_max: float | None
    reason: str
    statistics: tuple[tuple[str, Number | str | None], ...] = ()
    breakdown: tuple[Item, ...] = ()


@dataclass(frozen=True)
class FunnelStage:
    id: str
    name: str
    entered: int | None  # leads with a stay in the stage; None without a history
    current: int  # leads in the stage at the as-of time


@dataclass(frozen=True)
class FunnelMove:
    source: str
    target: str
    count: int  # departures from `source` straight into `target`
    rate: float  # percent of all departures from `source`
    in_lifecycle: bool


@dataclass(frozen=True)
class Funnel:
    history: bool
    leads: int
    stages: tuple[FunnelStage, ...]
    moves: tuple[FunnelMove, ...]


@dataclass(frozen=True)
class PilotReport:
    process: str
    version: str
    mapping: str
    as_of: dt.datetime  # naive UTC
    period_from: dt.date  # days of the process calendar's time zone, both included
    period_to: dt.date
    team: tuple[str, ...]  # owner ids; empty: every lead in the export
    inputs: tuple[InputFile, ...]
    leads: int  # the team's leads created in the period
    kpis: tuple[KpiResult, ...]
    funnel: Funnel
    format_version: int = field(default=FORMAT_VERSION)

    def count(self, status: Status) -> int:
        return sum(k.status == status for k in self.kpis)

    @property
    def failed(self) -> bool:
        """True when a measured KPI missed its target: exit status 1."""
        return self.count("missed") > 0
