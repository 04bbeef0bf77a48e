"""A pilot report as the terminal summary a person reads after `leadspec pilot`.

First the header (process, period, team, inputs), then one table row per KPI with
its figure, target and status in the spec's order, then why each KPI got its
status, the breakdowns, the funnel as the leads walked it, and last the verdict
with the exit status a script sees. Without colour the text is plain, so golden
files pin it byte for byte; values from the export are made printable.
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from ..pilot import amount
from ..pilot.report import Funnel, PilotReport
from ..spec.findings import plural
from ..spec.printable import printable
from .terminal import table_text
from .wording import (
    STATUS_WORD,
    engine_note,
    inputs_line,
    iso_timestamp,
    item_line,
    pilot_verdict_line,
    stage_names,
    target_of,
    value_of,
)

STATUS_STYLE = {"missed": "bold red", "met": "green", "not_measurable": "yellow"}


def funnel_lines(funnel: Funnel) -> list[str]:
    """Each stage with its leads, and under it where the leads that left it went."""
    names = {s.id: s.name for s in funnel.stages}
    lines = []
    for stage in funnel.stages:
        entered = "" if stage.entered is None else f"{stage.entered:,} entered, "
        lines.append(f"{printable(stage.name)}: {entered}{stage.current:,} in it at the as-of time")
        for move in funnel.moves:
            if move.source == stage.id:
                note = "" if move.in_lifecycle else " (not a transition of the lifecycle)"
                lines.append(
                    f"  to {printable(names.get(move.target, move.target))}: "
                    f"{move.count:,} ({amount(move.rate, 'percent')}){note}"
                )
    return lines


def header_lines(report: PilotReport) -> list[str]:
    team = ", ".join(printable(t) for t in report.team) if report.team else "every owner"
    return [
        f"{printable(report.process)} {printable(report.version)} | mapping "
        f"{printable(report.mapping)} | {engine_note(report.engine, ' | ')}as of {iso_timestamp(report.as_of)}",
        f"Period {report.period_from.isoformat()} to {report.period_to.isoformat()} | team: {team} | "
        f"{plural(report.leads, 'lead')} created in the period",
        inputs_line(report.inputs),
    ]


def _table(report: PilotReport, color: bool) -> str:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("KPI", no_wrap=True)
    table.add_column("Value", justify="right", no_wrap=True)
    table.add_column("Target", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for kpi in report.kpis:
        table.add_row(
            Text(printable(kpi.id)),
            value_of(kpi),
            target_of(kpi),
            Text(STATUS_WORD[kpi.status], style=STATUS_STYLE[kpi.status]),
        )
    return table_text(table, color)


def as_text(report: PilotReport, *, color: bool = False) -> str:
    """Header, KPI table, reasons, breakdowns, funnel, verdict."""
    lines = header_lines(report)
    lines += ["", _table(report, color), "", "Why"]
    lines += [
        f"  {printable(k.id)} ({STATUS_WORD[k.status].lower()}): {printable(k.reason)}" for k in report.kpis
    ]
    names = stage_names(report)
    breakdowns = []
    for kpi in report.kpis:
        if kpi.breakdown:
            breakdowns.append(f"  {printable(kpi.name)}")
            breakdowns += [f"    {item_line(kpi, item, names)}" for item in kpi.breakdown]
    if breakdowns:
        lines += ["", "Breakdowns", *breakdowns]
    source = "from the lead history" if report.funnel.history else "current stages only: no history"
    lines += ["", f"Funnel ({source})", *(f"  {line}" for line in funnel_lines(report.funnel))]
    lines += ["", pilot_verdict_line(report)]
    return "\n".join(lines) + "\n"
