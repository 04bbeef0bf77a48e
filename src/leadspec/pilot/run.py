"""A pilot report: every KPI of the spec measured on the team's leads and judged by its target.

The export has been loaded into `leads` and `lead_events` exactly as for
`leadspec check`. The period and team become `pilot_leads`; the working clock and
stage visits the rules use are built once (the clock also covering the fields of
business-clock durations); each KPI's measure is then one query. A KPI is
`not_measurable` when the spec says so, when it has no measure, when the export
lacks a field or the history it needs, or when no lead of the period is there to
measure; otherwise `met` or `missed` by its target range.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from ..data.mapping import Mapping
from ..data.records import InputFile
from ..engines import Connection
from ..rules.base import RuleContext, column
from ..rules.tables import derived_statements
from ..spec.expression import referenced_fields
from ..spec.models import Range, Spec
from ..spec.models.definitions import (
    ConversionMeasure,
    DurationMeasure,
    Kpi,
    RateMeasure,
    StageDaysMeasure,
)
from .funnel import funnel
from .measures import Outcome, clocked_fields, measure
from .report import Item, KpiResult, PilotReport, Status
from .scope import DATE_FIELD, LEADS, Scope, create_stays, prepare, run_sql

_UNIT_WORDS = {"minutes": "min", "hours": "h", "days": "days"}


def run_pilot(
    con: Connection,
    spec: Spec,
    *,
    as_of: dt.datetime,
    mapping: Mapping,
    inputs: tuple[InputFile, ...] = (),
    events_file: bool = False,
    team: Sequence[str] = (),
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
    engine: str = "duckdb",
) -> PilotReport:
    """Measure every KPI for the team and period on the loaded canonical tables."""
    history = events_file and mapping.file.events is not None
    scope = prepare(
        con, spec, as_of=as_of, team=team, first_day=first_day, last_day=last_day, history=history
    )
    clocked = clocked_fields(spec)
    if history or clocked:
        for statement in derived_statements(RuleContext(spec, as_of), clocked).values():
            con.execute(statement)
    if history:
        create_stays(con, scope)
    filled = _filled(con, spec)
    owned = run_sql(con, f"SELECT COUNT(*) FROM {LEADS}")[0][0]
    results = tuple(_kpi(con, spec, kpi, scope, filled, mapping, events_file, owned) for kpi in spec.kpis)
    flow = funnel(con, spec, scope)
    return PilotReport(
        process=spec.process.name,
        version=spec.process.version,
        mapping=mapping.name,
        as_of=as_of,
        period_from=scope.first_day,
        period_to=scope.last_day,
        team=scope.team,
        inputs=inputs,
        leads=flow.leads,
        kpis=results,
        funnel=flow,
        engine=engine,
    )


def needed_fields(kpi: Kpi) -> tuple[list[str], list[str]]:
    """Fields a KPI's measure reads: those it needs every one of, and those it needs one of."""
    m = kpi.measure
    if m is None:
        return [], []
    every: list[str] = []
    for rule in (m.where, getattr(m, "of", None), getattr(m, "that", None)):
        if rule is not None:
            every += sorted(referenced_fields(rule))
    for name in ("by", "split"):
        if getattr(m, name, None):
            every.append(getattr(m, name))
    if isinstance(m, DurationMeasure):
        every += [m.start, m.end]
    return list(dict.fromkeys(every)), list(m.dated_by or [DATE_FIELD])


def _filled(con: Connection, spec: Spec) -> set[str]:
    """Fields that hold a value in at least one lead of the export, counted in one scan."""
    names = sorted(
        {f for kpi in spec.kpis for part in needed_fields(kpi) for f in part} & {f.id for f in spec.fields}
    )
    if not names:
        return set()
    counts = run_sql(
        con, "SELECT " + ", ".join(f"COUNT({column(n).sql('duckdb')})" for n in names) + " FROM leads"
    )[0]
    return {name for name, count in zip(names, counts, strict=True) if count}


def _kpi(
    con: Connection,
    spec: Spec,
    kpi: Kpi,
    scope: Scope,
    filled: set[str],
    mapping: Mapping,
    events_file: bool,
    owned: int,
) -> KpiResult:
    def result(
        status: Status, reason: str, outcome: Outcome | None = None, value: float | None = None
    ) -> KpiResult:
        target = kpi.target
        return KpiResult(
            id=kpi.id,
            name=kpi.name,
            unit=kpi.unit,
            measure=kpi.measure.kind if kpi.measure else None,
            status=status,
            value=value,
            target_min=target.min if target else None,
            target_max=target.max if target else None,
            reason=reason,
            statistics=outcome.statistics if outcome else (),
            breakdown=outcome.breakdown if outcome else (),
        )

    if kpi.not_measurable is not None:
        return result("not_measurable", " ".join(kpi.not_measurable.split()))
    if kpi.measure is None:
        return result(
            "not_measurable",
            "the spec gives this KPI no measure; add 'measure:' to it in definitions/kpis.yaml",
        )
    if isinstance(kpi.measure, (StageDaysMeasure, ConversionMeasure)) and not scope.history:
        why = (
            f"the mapping '{mapping.name}' reads no history"
            if events_file
            else "no history file was given (--events)"
        )
        return result("not_measurable", f"{why}, and this measure reads the stage changes in it")
    every, one_of = needed_fields(kpi)
    missing = [f for f in every if f not in filled] + ([] if set(one_of) & filled else one_of)
    if missing:
        return result("not_measurable", "; ".join(_absent(f, mapping, scope.history) for f in missing))
    if not owned:
        return result("not_measurable", "the export holds no lead of the team")
    outcome = measure(con, spec, kpi, scope)
    if outcome.per_item:
        return _per_item(spec, kpi, outcome, result)
    if outcome.value is None:
        return result("not_measurable", outcome.empty or "nothing to measure", outcome)
    status, phrase = judge(outcome.value, kpi.target, kpi.unit)
    return result(status, phrase + _context(kpi, outcome), outcome, outcome.value)


def _absent(field: str, mapping: Mapping, history: bool) -> str:
    """Why a field holds no value in any lead: what the mapping does (not) say about it."""
    file = mapping.file
    if field in file.derived and not history and field not in file.leads.columns:
        return f"the mapping '{mapping.name}' derives {field} from the history, and no history was read"
    if field not in {"lead_id", *file.leads.columns, *file.constants, *file.derived}:
        return f"the mapping '{mapping.name}' gives {field} no column, constant or derivation"
    return f"{field} is empty in every lead of the export"


def _context(kpi: Kpi, outcome: Outcome) -> str:
    """What the figure rests on, after the verdict."""
    stats = dict(outcome.statistics)
    m = kpi.measure
    if stats.get("months"):
        return f" (average of {stats['months']} whole months)"
    if stats.get("largest") is not None:
        return f" (largest: {stats['largest']})"
    if isinstance(m, DurationMeasure):
        text = f" ({m.statistic} of {stats['leads']} leads"
        if m.window is not None and stats.get("within_window") is not None:
            text += f"; {_number(stats['within_window'])}% inside their {m.window} window"  # type: ignore[arg-type]
        return text + ")"
    if isinstance(m, RateMeasure):
        return f" ({stats['matched']} of {stats['leads']} leads)"
    return ""


def _per_item(spec: Spec, kpi: Kpi, outcome: Outcome, result: Callable[..., KpiResult]) -> KpiResult:
    """Stages and steps are each held to the target; the KPI shows the one furthest from it."""
    judged: list[Item] = []
    for item in outcome.breakdown:
        status: Status = (
            "not_measurable" if item.value is None else judge(item.value, kpi.target, kpi.unit)[0]
        )
        judged.append(Item(item.key, item.value, item.count, to=item.to, matched=item.matched, status=status))
    measured = Outcome(None, outcome.statistics, tuple(judged), per_item=True)
    valued = [item for item in judged if item.value is not None]
    if not valued:
        return result("not_measurable", outcome.empty or "nothing to measure", measured)
    worst = max(valued, key=lambda item: _distance(item.value, kpi.target))  # type: ignore[arg-type]
    status, phrase = judge(worst.value, kpi.target, kpi.unit)  # type: ignore[arg-type]
    label = _label(spec, worst)
    if status == "met":
        reason = f"every {'step' if worst.to else 'stage'} is within target; closest to its edge: {label}, {phrase}"
    else:
        reason = f"{label}: {phrase}"
    return result(status, reason, measured, worst.value)


def _label(spec: Spec, item: Item) -> str:
    names = {s.id: s.short or s.name for s in spec.stages}
    first = names.get(item.key or "", item.key or "")
    return f"{first} to {names.get(item.to, item.to)}" if item.to else first


def _distance(value: float, target: Range | None) -> tuple[float, float]:
    """How far outside the target a figure is, then how close inside it to an edge."""
    if target is None:
        return (0.0, 0.0)
    below = target.min - value if target.min is not None and value < target.min else 0.0
    above = value - target.max if target.max is not None and value > target.max else 0.0
    edges = [abs(value - end) for end in (target.min, target.max) if end is not None]
    return (below + above, -min(edges))


def judge(value: float, target: Range | None, unit: str) -> tuple[Status, str]:
    """Met or missed, and the sentence that says why: '12.5% is below the minimum of 25%'."""
    shown = amount(value, unit)
    if target is None:
        return "met", f"{shown}; the KPI has no target"
    if target.min is not None and value < target.min:
        return "missed", f"{shown} is below the minimum of {amount(target.min, unit)}"
    if target.max is not None and value > target.max:
        return "missed", f"{shown} is above the maximum of {amount(target.max, unit)}"
    if target.min is not None and target.max is not None:
        return "met", (f"{shown} is within {amount(target.min, unit)} to {amount(target.max, unit)}")
    if target.min is not None:
        return "met", f"{shown} reaches the minimum of {amount(target.min, unit)}"
    return "met", f"{shown} is within the maximum of {amount(target.max, unit)}"  # type: ignore[arg-type]


def amount(value: float, unit: str) -> str:
    """A figure with its unit as the playbook writes targets: '32.5%', '4 min', '$15'."""
    number = _number(value)
    if unit == "percent":
        return f"{number}%"
    if unit == "currency":
        return f"${number}"
    if unit == "ratio":
        return f"{number}:1"
    if unit in _UNIT_WORDS:
        return f"{number} {_UNIT_WORDS[unit]}"
    return number


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0")


__all__ = ["amount", "judge", "needed_fields", "run_pilot"]
