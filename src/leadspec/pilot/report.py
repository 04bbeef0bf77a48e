"""The result of a pilot: every KPI of the spec against its target, and the real funnel.

Plain frozen records, sorted when built, so the terminal, JSON and Markdown
renderers and the playbook page read one shape and the same inputs give the same
bytes; `PilotReport.from_json` reads the JSON format back, the one place that does. No record holds a value of a personal field: breakdowns group by fields the
spec does not mark personal (lint refuses the others), and no lead is listed.
"""

from __future__ import annotations

import datetime as dt
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from ..conformance.report import ReportFormatError, json_document
from ..data.records import InputFile

FORMAT_VERSION = 1
Status = Literal["met", "missed", "not_measurable"]
STATUSES: tuple[Status, ...] = typing.get_args(Status)
Number = int | float

__all__ = [
    "FORMAT_VERSION",
    "Funnel",
    "FunnelMove",
    "FunnelStage",
    "InputFile",
    "Item",
    "KpiResult",
    "PilotReport",
    "Status",
]


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
    engine: str = "duckdb"  # where the measures ran: duckdb, postgresql or spark
    format_version: int = field(default=FORMAT_VERSION)

    def count(self, status: Status) -> int:
        return sum(k.status == status for k in self.kpis)

    @property
    def failed(self) -> bool:
        """True when a measured KPI missed its target: exit status 1."""
        return self.count("missed") > 0

    @property
    def exit_status(self) -> int:
        """1 when a measured KPI missed its target, else 0 (2 never has a report)."""
        return 1 if self.failed else 0

    @property
    def summary(self) -> dict[str, int]:
        """The totals every format states, in the JSON report's order."""
        return {
            "kpis": len(self.kpis),
            "met": self.count("met"),
            "missed": self.count("missed"),
            "not_measurable": self.count("not_measurable"),
            "exit_status": self.exit_status,
        }

    @classmethod
    def from_json(cls, document: str | dict[str, Any]) -> PilotReport:
        """A report read back from its JSON form (what the playbook and the 1.0 gate are given),
        the inverse of `render.pilot_json`. Raises ReportFormatError when it is not one."""
        data = json_document(document, "pilot", FORMAT_VERSION)
        try:
            return _report(data)
        except ReportFormatError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ReportFormatError(f"the pilot report is not complete: {exc!r}") from None


def _report(document: dict[str, Any]) -> PilotReport:
    def item(raw: dict[str, Any]) -> Item:
        groups = raw.get("groups")
        expected = raw.get("expected")
        return Item(
            key=raw["key"],
            value=raw["value"],
            count=int(raw["count"]),
            to=raw.get("to"),
            matched=raw.get("matched"),
            complete=raw.get("complete"),
            groups=None if groups is None else tuple((g["key"], int(g["count"])) for g in groups),
            expected=None if expected is None else (expected["min"], expected["max"]),
            status=raw.get("status"),
        )

    def kpi(index: int, raw: dict[str, Any]) -> KpiResult:
        if raw["status"] not in STATUSES:
            raise ReportFormatError(
                f"kpis[{index}] ({raw['id']}): status {raw['status']!r} is not one of {', '.join(STATUSES)}"
            )
        value = raw["value"]
        if value is not None and (not isinstance(value, int | float) or isinstance(value, bool)):
            raise ReportFormatError(f"kpis[{index}] ({raw['id']}): value {value!r} is not a number or null")
        return KpiResult(
            id=raw["id"],
            name=raw["name"],
            unit=raw["unit"],
            measure=raw.get("measure"),
            status=raw["status"],
            value=raw["value"],
            target_min=raw["target"]["min"],
            target_max=raw["target"]["max"],
            reason=raw["reason"],
            statistics=tuple(raw.get("statistics", {}).items()),
            breakdown=tuple(item(i) for i in raw.get("breakdown", [])),
        )

    funnel = document["funnel"]
    return PilotReport(
        process=document["process"],
        version=str(document["version"]),
        mapping=document.get("mapping", ""),
        as_of=dt.datetime.fromisoformat(document["as_of"].removesuffix("Z")),
        period_from=dt.date.fromisoformat(document["period"]["from"]),
        period_to=dt.date.fromisoformat(document["period"]["to"]),
        team=tuple(document["team"]),
        inputs=tuple(
            InputFile(i["role"], i["name"], i["sha256"], int(i["rows"])) for i in document["inputs"]
        ),
        leads=int(document.get("leads", funnel["leads"])),
        kpis=tuple(kpi(i, k) for i, k in enumerate(document["kpis"])),
        funnel=Funnel(
            history=bool(funnel["history"]),
            leads=int(funnel["leads"]),
            stages=tuple(
                FunnelStage(s["id"], s["name"], s["entered"], int(s["current"])) for s in funnel["stages"]
            ),
            moves=tuple(
                FunnelMove(m["from"], m["to"], int(m["count"]), m["rate"], bool(m["in_lifecycle"]))
                for m in funnel["moves"]
            ),
        ),
        format_version=int(document["format_version"]),
        engine=str(document.get("engine", "duckdb")),  # NOTE: reports before engines had none
    )
