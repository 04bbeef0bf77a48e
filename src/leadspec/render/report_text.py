"""A conformance Report as the terminal summary a person reads after `leadspec check`.

The reader wants to know first what is wrong and where to look: failing and
warning rules lead the table, a few violating leads follow each of them, and the
last line repeats the verdict and the exit status a script will see. Without
colour the output is plain text, so golden files pin it byte for byte. Values
from the export are made printable, so a lead id cannot move the cursor or
recolour the terminal.
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from ..conformance.report import Report
from ..spec.findings import plural
from ..spec.printable import printable
from .terminal import table_text
from .wording import (
    engine_note,
    finding_lines,
    inputs_line,
    iso_timestamp,
    ordered,
    percent,
    sample_line,
    skipped_lines,
    verdict_line,
)

SAMPLES_SHOWN = 3
STATUS_STYLE = {"fail": "bold red", "warn": "yellow", "pass": "green", "skipped": "dim"}


def _header(report: Report) -> list[str]:
    return [
        f"{printable(report.process)} {printable(report.version)} | mapping {printable(report.mapping)} | "
        f"{engine_note(report.engine, ' | ')}as of {iso_timestamp(report.as_of)} | {plural(report.leads, 'lead')} checked",
        inputs_line(report.inputs),
    ]


def _table(report: Report, color: bool) -> str:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Kind", overflow="fold")
    for name in ("Checked", "Violations", "Rate", "Allowed"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for rule in ordered(report.rules):
        table.add_row(
            Text(printable(rule.id)),
            Text(printable(rule.kind)),
            f"{rule.checked:,}",
            f"{rule.violations:,}",
            percent(rule.rate),
            f"{rule.allowed:,}",
            Text(rule.status.upper(), style=STATUS_STYLE[rule.status]),
        )
    return table_text(table, color)


def _samples(report: Report) -> list[str]:
    lines = []
    for rule in ordered(report.rules):
        if rule.status in ("pass", "skipped"):
            continue
        lines.append(f"{printable(rule.id)} ({rule.status.upper()}): {printable(rule.description)}")
        lines.append(
            f"  {rule.violations:,} of {rule.checked:,} checked leads, "
            f"{rule.allowed:,} allowed ({printable(rule.threshold)}); see {printable(rule.doc)}"
        )
        lines.extend(f"  - {sample_line(s)}" for s in rule.samples[:SAMPLES_SHOWN])
    return lines


def _section(title: str, lines: list[str]) -> list[str]:
    return ["", title, *lines] if lines else []


def as_text(report: Report, *, color: bool = False) -> str:
    """Header, rule table, samples, data findings, failure modes, verdict."""
    lines = _header(report)
    if report.rules:
        lines += ["", _table(report, color)]
    else:
        lines += ["", "No rules to check."]
    lines += _section("Violating leads", _samples(report))
    lines += _section(
        "Not measured: the export lacks the data", [f"  {line}" for line in skipped_lines(report)]
    )
    findings = [
        f"  {line}" if i == 0 else f"    {line}"
        for finding in report.data_findings
        for i, line in enumerate(finding_lines(finding))
    ]
    lines += _section("Data findings", findings)
    happening = [
        f"  {printable(m.id)}: {printable(m.name)} (rules: {', '.join(m.rules)})"
        for m in report.failure_modes
        if m.happening
    ]
    lines += _section("Failure modes happening", happening)
    lines += ["", verdict_line(report)]
    return "\n".join(lines) + "\n"
