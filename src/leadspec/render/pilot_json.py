"""A pilot report as versioned JSON: what the 1.0 release gate and the playbook read.

The shape is documented in `docs/reference/kpi-measures.md` and versioned by
`format_version`: fields are only ever added within a version. Keys keep a fixed
order and figures are rounded when measured, so one report gives one byte string.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..pilot.report import Funnel, FunnelMove, FunnelStage, InputFile, Item, KpiResult, PilotReport
from .report_json import input_file, iso_timestamp


def exit_status(report: PilotReport) -> int:
    """1 when a measured KPI missed its target, else 0 (2 never has a report)."""
    return 1 if report.failed else 0


def summary(report: PilotReport) -> dict[str, int]:
    return {
        "kpis": len(report.kpis),
        "met": report.count("met"),
        "missed": report.count("missed"),
        "not_measurable": report.count("not_measurable"),
        "exit_status": exit_status(report),
    }


def _item(item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"key": item.key}
    if item.to is not None:
        out["to"] = item.to
    out["value"] = item.value
    out["count"] = item.count
    if item.matched is not None:
        out["matched"] = item.matched
    if item.complete is not None:
        out["complete"] = item.complete
    if item.groups is not None:
        out["groups"] = [{"key": key, "count": count} for key, count in item.groups]
    if item.expected is not None:
        out["expected"] = {"min": item.expected[0], "max": item.expected[1]}
    if item.status is not None:
        out["status"] = item.status
    return out


def _kpi(kpi: KpiResult) -> dict[str, Any]:
    return {
        "id": kpi.id,
        "name": kpi.name,
        "unit": kpi.unit,
        "measure": kpi.measure,
        "status": kpi.status,
        "value": kpi.value,
        "target": {"min": kpi.target_min, "max": kpi.target_max},
        "reason": kpi.reason,
        "statistics": dict(kpi.statistics),
        "breakdown": [_item(i) for i in kpi.breakdown],
    }


def _funnel(funnel: Funnel) -> dict[str, Any]:
    return {
        "history": funnel.history,
        "leads": funnel.leads,
        "stages": [{"id": s.id, "name": s.name, "entered": s.entered, "current": s.current}
                   for s in funnel.stages],
        "moves": [{"from": m.source, "to": m.target, "count": m.count, "rate": m.rate,
                   "in_lifecycle": m.in_lifecycle} for m in funnel.moves],
    }


def as_dict(report: PilotReport) -> dict[str, Any]:
    """The document before serialising."""
    return {
        "format_version": report.format_version,
        "process": report.process,
        "version": report.version,
        "as_of": iso_timestamp(report.as_of),
        "period": {"from": report.period_from.isoformat(), "to": report.period_to.isoformat()},
        "team": list(report.team),
        "inputs": [input_file(i) for i in report.inputs],
        "mapping": report.mapping,
        "leads": report.leads,
        "summary": summary(report),
        "kpis": [_kpi(k) for k in report.kpis],
        "funnel": _funnel(report.funnel),
    }


def as_json(report: PilotReport) -> str:
    """The whole report, two-space indented, UTF-8 text, ending in a newline."""
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"


def from_dict(document: dict[str, Any]) -> PilotReport:
    """A report read back from its JSON form (what the playbook is given), the inverse of
    `as_dict`. Raises KeyError or ValueError when the document is not a pilot report."""
    def item(raw: dict[str, Any]) -> Item:
        groups = raw.get("groups")
        expected = raw.get("expected")
        return Item(
            key=raw["key"], value=raw["value"], count=int(raw["count"]), to=raw.get("to"),
            matched=raw.get("matched"), complete=raw.get("complete"),
            groups=None if groups is None else tuple((g["key"], int(g["count"])) for g in groups),
            expected=None if expected is None else (expected["min"], expected["max"]),
            status=raw.get("status"))

    def kpi(raw: dict[str, Any]) -> KpiResult:
        return KpiResult(
            id=raw["id"], name=raw["name"], unit=raw["unit"], measure=raw.get("measure"),
            status=raw["status"], value=raw["value"], target_min=raw["target"]["min"],
            target_max=raw["target"]["max"], reason=raw["reason"],
            statistics=tuple(raw.get("statistics", {}).items()),
            breakdown=tuple(item(i) for i in raw.get("breakdown", [])))

    funnel = document["funnel"]
    return PilotReport(
        process=document["process"],
        version=str(document["version"]),
        mapping=document.get("mapping", ""),
        as_of=dt.datetime.fromisoformat(document["as_of"].removesuffix("Z")),
        period_from=dt.date.fromisoformat(document["period"]["from"]),
        period_to=dt.date.fromisoformat(document["period"]["to"]),
        team=tuple(document["team"]),
        inputs=tuple(InputFile(i["role"], i["name"], i["sha256"], int(i["rows"]))
                     for i in document["inputs"]),
        leads=int(document.get("leads", funnel["leads"])),
        kpis=tuple(kpi(k) for k in document["kpis"]),
        funnel=Funnel(
            history=bool(funnel["history"]), leads=int(funnel["leads"]),
            stages=tuple(FunnelStage(s["id"], s["name"], s["entered"], int(s["current"]))
                         for s in funnel["stages"]),
            moves=tuple(FunnelMove(m["from"], m["to"], int(m["count"]), m["rate"],
                                   bool(m["in_lifecycle"])) for m in funnel["moves"])),
        format_version=int(document["format_version"]),
    )
