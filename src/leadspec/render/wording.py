"""How things read, the same in every format: spec values in prose (durations, windows,
ranges) and the lines the conformance and pilot reports share (counts, samples,
findings, verdicts, KPI figures and breakdowns). Renderers only arrange these."""

from __future__ import annotations

import datetime as dt

from ..conformance.report import DataFinding, InputFile, Report, RuleResult, Sample
from ..pilot import amount
from ..pilot.report import Item, KpiResult, PilotReport
from ..spec.findings import plural
from ..spec.models import Range, Window, duration_parts
from ..spec.printable import printable

_UNITS = {"m": "minute", "h": "hour", "d": "day", "w": "week"}
_BUSINESS_UNITS = {"m": "working minute", "h": "working hour", "d": "working day", "w": "working week"}
_KPI_UNITS = {
    "percent": "%",
    "minutes": " min",
    "hours": " h",
    "days": " days",
    "currency": "",
    "count": "",
    "ratio": ":1",
}


def duration(text: str, clock: str = "calendar") -> str:
    amount, unit = duration_parts(text)
    name = (_BUSINESS_UNITS if clock == "business" else _UNITS)[unit]
    return f"{amount} {name}{'' if amount == 1 else 's'}"


def window(w: Window) -> str:
    """'1 working hour' or '5 minutes', with any per-source limits after it."""
    text = duration(w.within, w.clock)
    if w.by_source:
        extra = "; ".join(
            f"{source}: {duration(limit, w.clock)}" for source, limit in sorted(w.by_source.items())
        )
        text += f" ({extra})"
    return text


def number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")


def target(r: Range | None, unit: str = "") -> str:
    """A KPI target or expected range: '25–35%', 'at least 8', 'at most 5 min'."""
    if r is None:
        return "no target"
    suffix = _KPI_UNITS.get(unit, "")
    prefix = "$" if unit == "currency" else ""

    def fmt(value: float) -> str:
        return f"{prefix}{number(value)}{suffix}"

    if r.min is not None and r.max is not None:
        return f"{prefix}{number(r.min)}–{number(r.max)}{suffix}"
    if r.min is not None:
        return f"at least {fmt(r.min)}"
    return f"at most {fmt(r.max)}"  # type: ignore[arg-type]


def percent(rate: float) -> str:
    return f"{rate * 100:.1f}%"


def iso_timestamp(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with a `Z`: the canonical tables hold naive UTC times."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat() + "Z"


def engine_note(engine: str, separator: str) -> str:
    """'run on postgresql' and the separator, for the formats people read; nothing for
    DuckDB, the default, so a report from files reads as it always has."""
    return "" if engine == "duckdb" else f"run on {printable(engine)}{separator}"


def inputs_line(inputs: tuple[InputFile, ...]) -> str:
    """`Inputs: leads.csv (leads, 48 rows), ...`: the files a report was made from."""
    named = ", ".join(f"{printable(i.name)} ({i.role}, {plural(i.rows, 'row')})" for i in inputs)
    return f"Inputs: {named or 'none'}"


STATUS_ORDER = {"fail": 0, "warn": 1, "pass": 2, "skipped": 3}


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


def verdict_line(report: Report) -> str:
    """The verdict: `2 rules failed, 1 warned, 27 passed; exit status 1` (and how many skipped)."""
    counts = report.summary
    skipped = f", {counts['skipped']:,} skipped for lack of data" if counts["skipped"] else ""
    strict = " (--strict: a warning or a rule not measured fails too)" if report.strict else ""
    return (
        f"{plural(counts['failed'], 'rule')} failed, {counts['warned']:,} warned, "
        f"{counts['passed']:,} passed{skipped}; exit status {report.exit_status}{strict}"
    )


def skipped_lines(report: Report) -> list[str]:
    """Each reason once, with the rules it stops: one missing column often stops several."""
    by_reason: dict[str, list[str]] = {}
    for rule in report.rules:
        if rule.skipped is not None:
            by_reason.setdefault(rule.skipped, []).append(rule.id)
    return [
        f"{printable(reason)}: {', '.join(printable(i) for i in sorted(ids))}"
        for reason, ids in sorted(by_reason.items())
    ]


STATUS_WORD = {"met": "MET", "missed": "MISSED", "not_measurable": "NOT MEASURABLE"}
NOT_SET = "(not set)"


def key_text(key: str | None) -> str:
    return NOT_SET if key is None else printable(key)


def target_of(kpi: KpiResult) -> str:
    if kpi.target_min is None and kpi.target_max is None:
        return "no target"
    return target(Range(min=kpi.target_min, max=kpi.target_max), kpi.unit)


def value_of(kpi: KpiResult) -> str:
    return "n/a" if kpi.value is None else amount(kpi.value, kpi.unit)


def stage_names(report: PilotReport) -> dict[str, str]:
    return {s.id: s.name for s in report.funnel.stages}


def item_line(kpi: KpiResult, item: Item, names: dict[str, str]) -> str:
    """One breakdown row as words, the same for every format."""
    unit = "percent" if kpi.measure in ("share", "rate") else kpi.unit
    shown = "n/a" if item.value is None else amount(item.value, unit)
    if item.groups is not None or item.complete is not None:
        part = " (part of the month)" if item.complete is False else ""
        text = f"{key_text(item.key)}{part}: {item.count:,}"
        if item.groups:
            text += " (" + ", ".join(f"{key_text(k)} {n:,}" for k, n in item.groups) + ")"
        return text
    if item.to is not None:
        step = f"{names.get(item.key or '', key_text(item.key))} to {names.get(item.to, printable(item.to))}"
        text = f"{step}: {shown} ({item.matched:,} of {plural(item.count, 'departure')})"
    elif kpi.measure == "stage_days":
        text = f"{names.get(item.key or '', key_text(item.key))}: {shown} ({plural(item.count, 'stay')})"
    elif item.matched is not None:
        text = f"{key_text(item.key)}: {shown} ({item.matched:,} of {plural(item.count, 'lead')})"
    else:
        text = f"{key_text(item.key)}: {shown} ({plural(item.count, 'lead')})"
        if item.expected is not None:
            text += f", expected {target(Range(min=item.expected[0], max=item.expected[1]), 'percent')}"
    if item.status is not None:
        text += f", {STATUS_WORD[item.status].lower()}"
    return text


def pilot_verdict_line(report: PilotReport) -> str:
    """The verdict: `2 KPIs missed, 5 met, 9 not measurable; exit status 1`."""
    return (
        f"{plural(report.count('missed'), 'KPI')} missed, {report.count('met'):,} met, "
        f"{report.count('not_measurable'):,} not measurable; exit status {report.exit_status}"
    )
