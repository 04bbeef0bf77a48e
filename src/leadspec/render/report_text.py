"""A conformance Report as the terminal summary a person reads after `leadspec check`.

The reader wants to know first what is wrong and where to look: failing and
warning rules lead the table, a few violating leads follow each of them, and the
last line repeats the verdict and the exit status a script will see. Without
colour the output is plain text, so golden files pin it byte for byte. Values
from the export are made printable, so a lead id cannot move the cursor or
recolour the terminal.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..conformance.report import DataFinding, InputFile, Report, RuleResult, Sample
from .printable import printable
from .report_json import exit_status, iso_timestamp, summary

WIDTH = 120
SAMPLES_SHOWN = 3
STATUS_ORDER = {"fail": 0, "warn": 1, "pass": 2, "skipped": 3}
STATUS_STYLE = {"fail": "bold red", "warn": "yellow", "pass": "green", "skipped": "dim"}


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def ordered(rules: tuple[RuleResult, ...]) -> list[RuleResult]:
    """Failing, then warning, then passing, then skipped rules, each group by id."""
    return sorted(rules, key=lambda r: (STATUS_ORDER[r.status], r.id))


def sample_line(sample: Sample) -> str:
    """`lead id: detail (stage, owner, source, age)`, leaving out what the export lacks."""
    context = []
    if sample.stage is not None:
        context.append(f"stage {printable(sample.stage)}")
    if sample.owner_id is not None:
        context.append(f"owner {printable(sample.owner_id)}")
    if sample.source_category is not None:
        context.append(f"source {printable(sample.source_category)}")
    if sample.age_days is not None:
        context.append(f"{sample.age_days:g} days old")
    suffix = f" ({', '.join(context)})" if context else ""
    return f"{printable(sample.lead_id)}: {printable(sample.detail)}{suffix}"


def finding_lines(finding: DataFinding) -> list[str]:
    """The finding on one line, its examples on the next."""
    column = f" in column {printable(finding.column)}" if finding.column else " in the file"
    # NOTE: the message carries the count in its own unit (rows, leads, lines); a bare
    # "N rows" prefix would repeat it, or misname it.
    lines = [f"{finding.code}{column}: {printable(finding.message)}"]
    if finding.examples:
        lines.append("examples: " + ", ".join(printable(e) for e in finding.examples))
    return lines


def summary_line(report: Report) -> str:
    """The verdict: `2 rules failed, 1 warned, 27 passed; exit status 1` (and how many skipped)."""
    counts = summary(report)
    skipped = f", {counts['skipped']:,} skipped for lack of data" if counts["skipped"] else ""
    strict = " (--strict: a warning or a rule not measured fails too)" if report.strict else ""
    return (f"{plural(counts['failed'], 'rule')} failed, {counts['warned']:,} warned, "
            f"{counts['passed']:,} passed{skipped}; exit status {exit_status(report)}{strict}")


def inputs_line(inputs: tuple[InputFile, ...]) -> str:
    """`Inputs: leads.csv (leads, 48 rows), ...`: the files a report was made from."""
    named = ", ".join(f"{printable(i.name)} ({i.role}, {plural(i.rows, 'row')})" for i in inputs)
    return f"Inputs: {named or 'none'}"


def table_text(table: Table, color: bool) -> str:
    """A rich table as text at the report width; plain unless `color`, no trailing spaces."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=WIDTH, color_system="standard" if color else None,
                      force_terminal=color, highlight=False, emoji=False, legacy_windows=False)
    console.print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines())


def _header(report: Report) -> list[str]:
    return [
        f"{printable(report.process)} {printable(report.version)} | mapping {printable(report.mapping)} | "
        f"as of {iso_timestamp(report.as_of)} | {plural(report.leads, 'lead')} checked",
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
        lines.append(f"  {rule.violations:,} of {rule.checked:,} checked leads, "
                     f"{rule.allowed:,} allowed ({printable(rule.threshold)}); see {printable(rule.doc)}")
        lines.extend(f"  - {sample_line(s)}" for s in rule.samples[:SAMPLES_SHOWN])
    return lines


def skipped_lines(report: Report) -> list[str]:
    """Each reason once, with the rules it stops: one missing column often stops several."""
    by_reason: dict[str, list[str]] = {}
    for rule in report.rules:
        if rule.skipped is not None:
            by_reason.setdefault(rule.skipped, []).append(rule.id)
    return [f"{printable(reason)}: {', '.join(printable(i) for i in sorted(ids))}"
            for reason, ids in sorted(by_reason.items())]


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
    lines += _section("Not measured: the export lacks the data",
                      [f"  {line}" for line in skipped_lines(report)])
    findings = [f"  {line}" if i == 0 else f"    {line}"
                for finding in report.data_findings for i, line in enumerate(finding_lines(finding))]
    lines += _section("Data findings", findings)
    happening = [f"  {printable(m.id)}: {printable(m.name)} (rules: {', '.join(m.rules)})"
                 for m in report.failure_modes if m.happening]
    lines += _section("Failure modes happening", happening)
    lines += ["", summary_line(report)]
    return "\n".join(lines) + "\n"
