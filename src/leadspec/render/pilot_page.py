"""What the playbook's pilot results page draws: the lifecycle with the pilot's real numbers.

Read from a pilot report in its JSON form, as the page is: each lead stage is
labelled with how many leads entered it and how many are in it at the as-of time,
and each transition of the lifecycle with how many left its first stage for its
second and what share of the first stage's departures that was. Without a history
only the current counts are known, so the transitions stay unlabelled.
"""

from __future__ import annotations

from typing import Any

from ..pilot.report import PilotReport
from ..spec.models import Spec
from .diagrams import lifecycle_dot
from .wording import (
    STATUS_WORD,
    item_line,
    number,
    pilot_verdict_line,
    stage_names,
    target_of,
    value_of,
)


def funnel_notes(pilot: dict[str, Any]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Stage id -> its counts, and (from, to) -> the move's count and rate."""
    funnel = pilot["funnel"]
    history = bool(funnel["history"])
    stages = {}
    for stage in funnel["stages"]:
        now = f"{stage['current']:,} now"
        stages[str(stage["id"])] = f"{stage['entered']:,} entered, {now}" if history else now
    moves = {
        (str(m["from"]), str(m["to"])): f"{m['count']:,} ({number(m['rate'])}%)"
        for m in funnel["moves"]
        if m["in_lifecycle"]
    }
    return stages, moves


def funnel_dot(spec: Spec, pilot: dict[str, Any], link_prefix: str = "") -> str:
    """The lifecycle diagram annotated with the pilot funnel; a lead transition no lead
    took reads 0 when the history was read."""
    stages, moves = funnel_notes(pilot)
    if pilot["funnel"]["history"]:
        pre_lead = set(spec.process.lifecycle.pre_lead)
        for t in spec.process.lifecycle.transitions:
            if t.source not in pre_lead:
                moves.setdefault((t.source, t.target), "0")
    return lifecycle_dot(spec, link_prefix, stage_notes=stages, edge_notes=moves)


def view(spec: Spec, pilot: dict[str, Any]) -> dict[str, Any]:
    """Everything the pilot results page shows, worded once here rather than in the template."""
    report = PilotReport.from_json(pilot)
    names = stage_names(report)
    rows = [
        {
            "kpi": k,
            "value": value_of(k),
            "target": target_of(k),
            "status": STATUS_WORD[k.status].lower(),
            "known": any(s.id == k.id for s in spec.kpis),
        }
        for k in report.kpis
    ]
    breakdowns = [
        (k, [item_line(k, item, names) for item in k.breakdown]) for k in report.kpis if k.breakdown
    ]
    off = [m for m in report.funnel.moves if not m.in_lifecycle]
    return {
        "report": report,
        "rows": rows,
        "breakdowns": breakdowns,
        "names": names,
        "off_lifecycle": off,
        "dot": funnel_dot(spec, pilot, link_prefix="../"),
        "summary": pilot_verdict_line(report),
    }
