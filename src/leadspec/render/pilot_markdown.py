"""A pilot report as Markdown, for a CI job summary, a pull request or the review meeting.

It opens with the verdict and one table row per KPI (figure, target, status and
why), folds the breakdowns away, and ends with the funnel as a table of moves.
Group values in breakdowns come from the export, so every value is escaped for
HTML and for Markdown tables, as in the conformance report.
"""

from __future__ import annotations

from ..pilot.report import PilotReport
from ..spec.findings import plural
from .markdown import escape
from .wording import (
    STATUS_WORD,
    engine_note,
    iso_timestamp,
    item_line,
    pilot_verdict_line,
    stage_names,
    target_of,
    value_of,
)


def as_markdown(report: PilotReport) -> str:
    """Verdict, KPI table, breakdowns folded, funnel."""
    missed = report.count("missed")
    verdict = f"{plural(missed, 'KPI')} missed" if missed else "every measured KPI met"
    team = ", ".join(escape(t) for t in report.team) if report.team else "every owner"
    lines = [
        f"## leadspec pilot: {verdict}",
        "",
        f"{escape(report.process)} {escape(report.version)}, mapping {escape(report.mapping)}, "
        f"{engine_note(report.engine, ', ')}as of {iso_timestamp(report.as_of)}. Period {report.period_from.isoformat()} to "
        f"{report.period_to.isoformat()}, team: {team}; "
        f"{plural(report.leads, 'lead')} created in the period.",
        "",
        pilot_verdict_line(report) + ".",
        "",
        "| KPI | Value | Target | Status | Why |",
        "| --- | ---: | --- | --- | --- |",
    ]
    lines += [
        f"| {escape(k.name)} | {escape(value_of(k))} | {escape(target_of(k))} "
        f"| {STATUS_WORD[k.status]} | {escape(k.reason)} |"
        for k in report.kpis
    ]
    names = stage_names(report)
    folded = []
    for kpi in report.kpis:
        if kpi.breakdown:
            folded += ["", f"**{escape(kpi.name)}**", ""]
            folded += [f"- {escape(item_line(kpi, item, names))}" for item in kpi.breakdown]
    if folded:
        lines += ["", "<details><summary>Breakdowns</summary>", *folded, "", "</details>"]
    funnel = report.funnel
    lines += ["", "### Funnel", ""]
    if funnel.history:
        lines += ["| Stage | Entered | In it now |", "| --- | ---: | ---: |"]
        lines += [f"| {escape(s.name)} | {s.entered:,} | {s.current:,} |" for s in funnel.stages]
        lines += ["", "| From | To | Leads | Share of departures |", "| --- | --- | ---: | ---: |"]
        lines += [
            f"| {escape(names.get(m.source, m.source))} | {escape(names.get(m.target, m.target))}"
            f"{'' if m.in_lifecycle else ' (outside the lifecycle)'} | {m.count:,} "
            f"| {m.rate:g}% |"
            for m in funnel.moves
        ]
    else:
        lines += [
            "No history was read, so only each lead's current stage is known.",
            "",
            "| Stage | In it now |",
            "| --- | ---: |",
        ]
        lines += [f"| {escape(s.name)} | {s.current:,} |" for s in funnel.stages]
    return "\n".join(lines) + "\n"
