"""Each measure kind compiled to SQL over the pilot's leads, and computed in DuckDB.

One query per KPI, grouped in SQL: Python only sees a few rows per KPI (a month,
a group, a stage), never a lead, so an export of millions of leads costs the same
Python time as one of a hundred. Conditions are spec rules compiled by
`rules.base.rule_condition`; field names are quoted identifiers from the data
dictionary; no text from the spec or the data is pasted into SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlglot import exp

from ..data.privacy import masked
from ..engines import Connection
from ..rules.base import column, holds, literal, rule_condition
from ..rules.stage_time import CLOCK, limit_minutes, worked
from ..spec.models import Spec
from ..spec.models.definitions import (
    ConversionMeasure,
    CountMeasure,
    DurationMeasure,
    Kpi,
    RateMeasure,
    ShareMeasure,
    StageDaysMeasure,
)
from .report import Item, Number
from .scope import DATE_FIELD, LEADS, STAYS, Scope, in_period, run_sql, utc_midnight

DECIMALS = 2
UNIT_SECONDS = {"minutes": 60, "hours": 3600, "days": 86400}
QUANTILES = {"median": 0.5, "p90": 0.9}


@dataclass(frozen=True)
class Outcome:
    """What a measure found: the figure, what it rests on, and its breakdown."""

    value: float | None
    statistics: tuple[tuple[str, Number | str | None], ...] = ()
    breakdown: tuple[Item, ...] = ()
    empty: str | None = None  # why there was nothing to measure
    per_item: bool = False  # the target applies to each item: stages, steps


def rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), DECIMALS)


def percent(part: int, whole: int) -> float | None:
    return rounded(100.0 * part / whole) if whole else None


def measure(con: Connection, spec: Spec, kpi: Kpi, scope: Scope) -> Outcome:
    """The KPI's measure computed over the team's leads in the period."""
    m = kpi.measure
    kinds: dict[type, Callable[..., Outcome]] = {
        CountMeasure: _count,
        ShareMeasure: _share,
        RateMeasure: _rate,
        DurationMeasure: _duration,
        StageDaysMeasure: _stage_days,
        ConversionMeasure: _conversion,
    }
    return kinds[type(m)](con, spec, kpi, m, scope)


def _sql(node: exp.Expr) -> str:
    return node.sql("duckdb")


def base(spec: Spec, scope: Scope, where: str | None, dated_by: list[str] | None) -> str:
    """SQL: the team's leads dated inside the period (with their date as `_moment`) for which
    the `where` rule holds."""
    moment, inside = in_period(scope, dated_by)
    conditions = [inside]
    if where is not None:
        conditions.append(holds(rule_condition(where, spec)))
    return _sql(exp.select("*", moment.as_("_moment")).from_(LEADS).where(exp.and_(*conditions)))


def _text(field: str | None) -> str:
    """SQL: a field's value as text for grouping (masked, since groups are shown as they are),
    or NULL when there is no field."""
    if not field:
        return "CAST(NULL AS VARCHAR)"
    return _sql(masked(exp.cast(column(field), exp.DataType.Type.VARCHAR)))


def ordered_keys(spec: Spec, field: str | None, keys: Iterable[str | None]) -> list[str | None]:
    """Group values in the data dictionary's order, then others by name, then 'not set'."""
    allowed = list(spec.field(field).allowed_values or []) if field else []
    present = set(keys)
    known = [k for k in allowed if k in present]
    others = sorted(k for k in present if k is not None and k not in allowed)
    return known + others + ([None] if None in present else [])


# count ---------------------------------------------------------------------------------


def months(scope: Scope) -> list[tuple[str, bool]]:
    """Every calendar month the period touches (local time), and whether it lies wholly inside."""
    last = scope.local(min(scope.end - dt.timedelta(microseconds=1), scope.as_of)).date()
    out = []
    year, month = scope.first_day.year, scope.first_day.month
    while (year, month) <= (last.year, last.month):
        following = (year + month // 12, month % 12 + 1)
        ends = utc_midnight(dt.date(*following, 1), scope.zone)
        complete = dt.date(year, month, 1) >= scope.first_day and ends <= min(scope.end, scope.as_of)
        out.append((f"{year:04d}-{month:02d}", complete))
        year, month = following
    return out


def _count(con: Connection, spec: Spec, kpi: Kpi, m: CountMeasure, scope: Scope) -> Outcome:
    zone = _sql(literal(scope.zone))
    rows = run_sql(
        con,
        f"""
        SELECT strftime(timezone({zone}, timezone('UTC', _moment)), '%Y-%m') AS month,
               {_text(m.by)} AS grp, COUNT(*) AS n
        FROM ({base(spec, scope, m.where, m.dated_by)}) AS b GROUP BY 1, 2""",
    )
    counts: dict[str, dict[str | None, int]] = {}
    for month, group, n in rows:
        counts.setdefault(month, {})[group] = n
    keys = ordered_keys(spec, m.by, {g for groups in counts.values() for g in groups})
    items = []
    for month, complete in months(scope):
        groups = counts.get(month, {})
        total = sum(groups.values())
        split = tuple((k, groups.get(k, 0)) for k in keys) if m.by else None
        items.append(Item(month, float(total), total, complete=complete, groups=split))
    whole = [item.count for item in items if item.complete]
    statistics = (("leads", sum(item.count for item in items)), ("months", len(whole)))
    if not whole:
        return Outcome(
            None, statistics, tuple(items), empty="the period holds no whole calendar month to count"
        )
    return Outcome(rounded(sum(whole) / len(whole)), statistics, tuple(items))


# share ---------------------------------------------------------------------------------


def _share(con: Connection, spec: Spec, kpi: Kpi, m: ShareMeasure, scope: Scope) -> Outcome:
    rows: dict[str | None, int] = dict(
        run_sql(
            con,
            f"SELECT {_text(m.by)} AS grp, COUNT(*) FROM "
            f"({base(spec, scope, m.where, m.dated_by)}) AS b GROUP BY 1",
        )
    )
    total = sum(rows.values())
    if not total:
        return Outcome(None, (("leads", 0),), empty=_none_in_period(m.where))
    expected = {}
    if m.by == spec.lead.source_field:
        expected = {s.id: (s.expected_share.min, s.expected_share.max) for s in spec.sources}
    keys = ordered_keys(spec, m.by, rows)
    items = tuple(Item(k, percent(rows[k], total), rows[k], expected=expected.get(k or "")) for k in keys)
    named = [k for k in keys if k is not None]
    if not named:
        return Outcome(
            None, (("leads", total),), items, empty=f"no lead in the period has a value for {m.by}"
        )
    largest = max(named, key=lambda k: rows[k])  # the first of equals, in dictionary order
    return Outcome(percent(rows[largest], total), (("leads", total), ("largest", largest)), items)


# rate ----------------------------------------------------------------------------------


def _rate(con: Connection, spec: Spec, kpi: Kpi, m: RateMeasure, scope: Scope) -> Outcome:
    of = holds(rule_condition(m.of, spec)) if m.of else exp.true()
    that = holds(rule_condition(m.that, spec))
    field = m.by or m.split
    rows = run_sql(
        con,
        f"""
        SELECT {_text(field)} AS grp, COUNT(*) FILTER (WHERE {_sql(of)}) AS total,
               COUNT(*) FILTER (WHERE {_sql(of.copy())} AND {_sql(that)}) AS matched
        FROM ({base(spec, scope, m.where, m.dated_by)}) AS b GROUP BY 1""",
    )
    totals = {g: (t, n) for g, t, n in rows}
    total = sum(t for t, _ in totals.values())
    matched = sum(n for _, n in totals.values())
    statistics = (("leads", total), ("matched", matched))
    if not total:
        condition = f" and {' '.join(m.of.split())}" if m.of else ""
        return Outcome(None, statistics, empty=_none_in_period(m.where, condition))
    items: list[Item] = []
    if m.by:
        items = [
            Item(k, percent(totals[k][1], totals[k][0]), totals[k][0], matched=totals[k][1])
            for k in ordered_keys(spec, m.by, totals)
            if totals[k][0]
        ]
    elif m.split:
        items = [
            Item(k, percent(totals[k][1], matched), totals[k][1])
            for k in ordered_keys(spec, m.split, totals)
            if totals[k][1]
        ]
    return Outcome(percent(matched, total), statistics, tuple(items))


# duration ------------------------------------------------------------------------------


def _duration(con: Connection, spec: Spec, kpi: Kpi, m: DurationMeasure, scope: Scope) -> Outcome:
    calendar = spec.process.calendar
    start, end = (f"b.{_sql(column(name))}" for name in (m.start, m.end))
    business = m.clock == "business" or _window_on_business_clock(spec, m.window)
    worked_seconds = (
        f"({worked('c2', end)}) - ({worked('c1', start)})" if business else "CAST(NULL AS BIGINT)"
    )
    joins = (
        (
            f"LEFT JOIN {CLOCK} AS c1 ON c1.day = CAST({start} AS DATE) "
            f"LEFT JOIN {CLOCK} AS c2 ON c2.day = CAST({end} AS DATE)"
        )
        if business
        else ""
    )
    per_unit = UNIT_SECONDS[kpi.unit]
    if m.clock == "business" and kpi.unit == "days":
        per_unit = limit_minutes("1d", "business", calendar) * 60
    spent = "working_seconds" if m.clock == "business" else "calendar_seconds"
    rows = run_sql(
        con,
        f"""
        WITH timed AS (
            SELECT b.*, date_diff('second', {start}, {end}) AS calendar_seconds,
                   {worked_seconds} AS working_seconds
            FROM ({base(spec, scope, m.where, m.dated_by)}) AS b {joins}
            WHERE {start} IS NOT NULL AND {end} IS NOT NULL AND {end} >= {start}),
        measured AS (
            SELECT {spent} / {float(per_unit)!r} AS amount, {_within(spec, m.window)} AS within
            FROM timed)
        SELECT COUNT(*), quantile_cont(amount, 0.5), quantile_cont(amount, 0.9), avg(amount),
               COUNT(within), COUNT(*) FILTER (WHERE within)
        FROM measured""",
    )
    count, median, p90, mean, judged, inside = rows[0]
    statistics: list[tuple[str, Number | str | None]] = [
        ("leads", count),
        ("median", rounded(median)),
        ("p90", rounded(p90)),
        ("mean", rounded(mean)),
    ]
    if m.window is not None:
        statistics.append(("within_window", percent(inside, judged)))
    if not count:
        return Outcome(
            None,
            tuple(statistics),
            empty=f"no lead in the period has both {m.start} and {m.end}"
            + (f" and matches {' '.join(m.where.split())}" if m.where else ""),
        )
    value = {"median": median, "p90": p90, "mean": mean}[m.statistic]
    return Outcome(rounded(value), tuple(statistics))


def _window_on_business_clock(spec: Spec, window: str | None) -> bool:
    return window is not None and any(
        motion.windows[window].clock == "business" for motion in spec.process.motions.values()
    )


def clocked_fields(spec: Spec) -> tuple[str, ...]:
    """Timestamp fields that business-clock durations place on the working clock."""
    return tuple(
        sorted(
            {
                name
                for kpi in spec.kpis
                if isinstance(kpi.measure, DurationMeasure)
                and (kpi.measure.clock == "business" or _window_on_business_clock(spec, kpi.measure.window))
                for name in (kpi.measure.start, kpi.measure.end)
            }
        )
    )


def _within(spec: Spec, window: str | None) -> str:
    """SQL: whether a timed lead took no longer than its own limit of the named window,
    by its motion and source category, on the window's clock; NULL for an unknown motion."""
    if window is None:
        return "CAST(NULL AS BOOLEAN)"
    calendar = spec.process.calendar
    case = exp.Case()
    for motion_id, motion in sorted(spec.process.motions.items()):
        limit = motion.windows[window]
        spent = "working_seconds" if limit.clock == "business" else "calendar_seconds"
        is_motion = column("motion").eq(literal(motion_id))
        for source, text in sorted(limit.by_source.items()):
            seconds = limit_minutes(text, limit.clock, calendar) * 60
            case = case.when(
                exp.and_(is_motion.copy(), column("source_category").eq(literal(source))),
                exp.LTE(this=exp.column(spent), expression=literal(seconds)),
            )
        seconds = limit_minutes(limit.within, limit.clock, calendar) * 60
        case = case.when(is_motion, exp.LTE(this=exp.column(spent), expression=literal(seconds)))
    return _sql(case)


# stays ---------------------------------------------------------------------------------


def _stays_of(
    spec: Spec, scope: Scope, where: str | None, dated_by: list[str] | None, stages: list[str]
) -> str:
    """SQL condition on `pilot_stays`: a stay in one of `stages` of a lead the measure reads."""
    listed = ", ".join(_sql(literal(s)) for s in stages)
    return (
        f"stage IN ({listed}) AND lead_id IN "
        f"(SELECT lead_id FROM ({base(spec, scope, where, dated_by)}) AS b)"
    )


def _stage_days(con: Connection, spec: Spec, kpi: Kpi, m: StageDaysMeasure, scope: Scope) -> Outcome:
    rows = run_sql(
        con,
        f"""
        SELECT stage, COUNT(*), quantile_cont(days, 0.5), quantile_cont(days, 0.9), avg(days)
        FROM (SELECT stage, date_diff('second', entered, left_at) / 86400.0 AS days
              FROM {STAYS}
              WHERE left_at IS NOT NULL AND {_stays_of(spec, scope, m.where, m.dated_by, m.stages)})
        GROUP BY stage""",
    )
    found = {
        stage: (n, {"median": med, "p90": p90, "mean": mean}[m.statistic])
        for stage, n, med, p90, mean in rows
    }
    items = tuple(
        Item(stage, rounded(found[stage][1]) if stage in found else None, found.get(stage, (0, None))[0])
        for stage in dict.fromkeys(m.stages)
    )
    stays = sum(item.count for item in items)
    if not stays:
        return Outcome(
            None,
            (("stays", 0),),
            items,
            per_item=True,
            empty=f"no lead in the period left {_names(spec, m.stages)}",
        )
    return Outcome(None, (("stays", stays),), items, per_item=True)


def _conversion(con: Connection, spec: Spec, kpi: Kpi, m: ConversionMeasure, scope: Scope) -> Outcome:
    sources = list(dict.fromkeys(m.stages[:-1]))
    rows = run_sql(
        con,
        f"""
        SELECT stage, next_stage, COUNT(*) FROM {STAYS}
        WHERE next_stage IS NOT NULL AND {_stays_of(spec, scope, m.where, m.dated_by, sources)}
        GROUP BY 1, 2""",
    )
    left: dict[str, int] = {}
    moved: dict[tuple[str, str], int] = {}
    for stage, following, n in rows:
        left[stage] = left.get(stage, 0) + n
        moved[(stage, following)] = n
    items = tuple(
        Item(
            a,
            percent(moved.get((a, b), 0), left.get(a, 0)),
            left.get(a, 0),
            to=b,
            matched=moved.get((a, b), 0),
        )
        for a, b in zip(m.stages, m.stages[1:], strict=False)
    )
    departures = sum(item.count for item in items)
    statistics = (("departures", departures), ("forward", sum(item.matched or 0 for item in items)))
    if not departures:
        return Outcome(
            None,
            statistics,
            items,
            per_item=True,
            empty=f"no lead in the period left {_names(spec, sources)}",
        )
    return Outcome(None, statistics, items, per_item=True)


def _names(spec: Spec, stages: list[str]) -> str:
    names = [spec.stage(s).name for s in dict.fromkeys(stages)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _none_in_period(where: str | None, more: str = "") -> str:
    condition = f" matching {' '.join(where.split())}" if where else ""
    return f"no lead of the period{condition}{more}"


__all__ = ["DATE_FIELD", "Outcome", "base", "clocked_fields", "measure", "months", "ordered_keys"]
