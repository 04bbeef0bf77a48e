"""A pilot report as versioned JSON: what the 1.0 release gate and the playbook read.

The shape is documented in `docs/reference/kpi-measures.md` and versioned by
`format_version`: fields are only ever added within a version. Keys keep a fixed
order and figures are rounded when measured, so one report gives one byte string.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from ..pilot.report import Funnel, Item, KpiResult, PilotReport
from .wording import iso_timestamp


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
        "stages": [
            {"id": s.id, "name": s.name, "entered": s.entered, "current": s.current} for s in funnel.stages
        ],
        "moves": [
            {
                "from": m.source,
                "to": m.target,
                "count": m.count,
                "rate": m.rate,
                "in_lifecycle": m.in_lifecycle,
            }
            for m in funnel.moves
        ],
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
        "inputs": [dataclasses.asdict(i) for i in report.inputs],
        "mapping": report.mapping,
        "engine": report.engine,
        "leads": report.leads,
        "summary": report.summary,
        "kpis": [_kpi(k) for k in report.kpis],
        "funnel": _funnel(report.funnel),
    }


def as_json(report: PilotReport) -> str:
    """The whole report, two-space indented, UTF-8 text, ending in a newline."""
    return json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n"
