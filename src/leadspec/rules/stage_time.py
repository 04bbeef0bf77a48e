"""Time spent in stages, read from the history, on the calendar or in working time.

Shared by the response_window and max_time_in_stage kinds. A *visit* is one stay of
a lead in a stage: from the stage change into it to the next stage change (or the
as-of time when it is still there). Working time counts only the minutes inside the
process calendar's working hours, on working days that are not holidays, in the
calendar's time zone; so a lead that arrives on Friday evening and is called on
Monday morning has waited only a few working minutes.
"""

from __future__ import annotations

import datetime as dt

import sqlglot
from sqlglot import exp

from ..spec.models import Spec, Window, duration_parts
from ..spec.models.process import Calendar
from ..spec.models import Check
from .base import EVENTS, SCOPED, Context, literal, timestamp

_ISO_DAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}


def limit_minutes(window_text: str, clock: str, calendar: Calendar) -> int:
    """Minutes a window allows. On the business clock a day is one working day's hours."""
    amount, unit = duration_parts(window_text)
    hours = calendar.working_hours
    day = (dt.datetime.combine(dt.date.min, hours.end)
           - dt.datetime.combine(dt.date.min, hours.start)).seconds // 60
    per_unit = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}
    if clock == "business":
        per_unit |= {"d": day, "w": day * len(calendar.working_days)}
    return amount * per_unit[unit]


def visits(ctx: Context, stages: list[str]) -> exp.Select:
    """lead_id, stage, entered, left_at for every visit of a scoped lead to `stages`."""
    return sqlglot.parse_one(f"""
        SELECT lead_id, stage, entered, left_at FROM (
            SELECT e.lead_id, e.to_value AS stage, e.at AS entered,
                   LEAD(e.at) OVER (PARTITION BY e.lead_id ORDER BY e.at, e.to_value) AS left_at
            FROM {EVENTS} AS e JOIN {SCOPED} AS s ON s.lead_id = e.lead_id
            WHERE e.kind = 'stage')
        WHERE stage IN ({", ".join(literal(s).sql() for s in stages) or "NULL"})
    """, dialect="duckdb")


def limits(spec: Spec, window_of: dict[str, str]) -> exp.Expression:
    """CASE giving each visit (v) its limit in minutes, by stage, the lead's (s) motion and source."""
    case = exp.Case()
    for stage_id, name in sorted(window_of.items()):
        for motion_id, motion in sorted(spec.process.motions.items()):
            window = motion.windows[name]
            when = exp.and_(exp.column("stage", table="v").eq(literal(stage_id)),
                            exp.column("motion", table="s").eq(literal(motion_id)))
            for source, text in sorted(window.by_source.items()):
                minutes = limit_minutes(text, window.clock, spec.process.calendar)
                case = case.when(exp.and_(when, exp.column("source_category", table="s").eq(literal(source))),
                                 _pair(minutes, window))
            minutes = limit_minutes(window.within, window.clock, spec.process.calendar)
            case = case.when(when, _pair(minutes, window))
    return case


def _pair(minutes: int, window: Window) -> exp.Expression:
    """Minutes, negative for the business clock, so one CASE carries both facts."""
    return literal(-minutes if window.clock == "business" else minutes)


def working_periods(calendar: Calendar, first: exp.Expression, last: exp.Expression) -> exp.Select:
    """UTC start and end of every working period from date `first` to date `last`."""
    zone = literal(calendar.time_zone).sql()
    days = ", ".join(str(_ISO_DAYS[d]) for d in calendar.working_days)
    holidays = ", ".join(f"DATE '{h.date.isoformat()}'" for h in calendar.holidays) or "NULL"
    start = literal(calendar.working_hours.start.strftime("%H:%M:%S")).sql()
    end = literal(calendar.working_hours.end.strftime("%H:%M:%S")).sql()
    return sqlglot.parse_one(f"""
        SELECT timezone('UTC', timezone({zone}, CAST(d AS DATE) + CAST({start} AS TIME))) AS period_start,
               timezone('UTC', timezone({zone}, CAST(d AS DATE) + CAST({end} AS TIME))) AS period_end
        FROM generate_series(CAST(({first.sql('duckdb')}) AS DATE) - 1,
                             CAST(({last.sql('duckdb')}) AS DATE) + 1, INTERVAL 1 DAY) AS t(d)
        WHERE isodow(CAST(d AS DATE)) IN ({days}) AND CAST(d AS DATE) NOT IN ({holidays})
    """, dialect="duckdb")


def overdue(ctx: Context, timed: exp.Select) -> exp.Select:
    """Visits of `timed` (lead_id, stage, entered, limit_code, stop) that took longer than allowed.

    The clock runs from `entered` to `stop`, or to the as-of time when there is no stop
    yet. Returns lead_id, stage, entered, used and allowed minutes, and whether the
    business clock applied.
    """
    as_of = timestamp(ctx.as_of).sql("duckdb")
    periods = working_periods(ctx.spec.process.calendar,
                              sqlglot.parse_one("SELECT MIN(entered) FROM timed"),
                              sqlglot.parse_one(as_of)).sql("duckdb")
    # NOTE: working time is read from a running total of working seconds per period, found
    # by an ASOF join for each end of a visit; this stays one pass however long the visits.
    worked = ("COALESCE(c.before + LEAST(GREATEST(date_diff('second', c.period_start, {t}), 0), "
              "date_diff('second', c.period_start, c.period_end)), 0)")
    return sqlglot.parse_one(f"""
        WITH timed AS ({timed.sql("duckdb")}),
        periods AS ({periods}),
        cumulative AS (
            SELECT period_start, period_end,
                   COALESCE(SUM(date_diff('second', period_start, period_end)) OVER (
                       ORDER BY period_start ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                       AS before
            FROM periods),
        ends AS (
            SELECT t.lead_id, t.stage, t.entered, t.limit_code,
                   LEAST(COALESCE(t.stop, {as_of}), {as_of}) AS until
            FROM timed AS t WHERE t.limit_code IS NOT NULL AND t.entered <= {as_of}),
        started AS (
            SELECT e.*, {worked.format(t="e.entered")} AS worked_from
            FROM ends AS e ASOF LEFT JOIN cumulative AS c ON e.entered >= c.period_start),
        measured AS (
            SELECT s.lead_id, s.stage, s.entered, s.limit_code < 0 AS business,
                   ABS(s.limit_code) AS allowed,
                   CASE WHEN s.limit_code < 0
                        THEN ({worked.format(t="s.until")} - s.worked_from) / 60.0
                        ELSE date_diff('second', s.entered, s.until) / 60.0 END AS used
            FROM started AS s ASOF LEFT JOIN cumulative AS c ON s.until >= c.period_start)
        SELECT lead_id, stage, entered, used, allowed, business FROM measured WHERE used > allowed
    """, dialect="duckdb")


def readable(minutes: str) -> str:
    """SQL text for an amount of minutes in the unit that suits the visit's limit.

    Both the time used and the limit are shown in one unit, chosen by the limit:
    days for calendar limits of a day or more, hours from an hour, else minutes.
    """
    def amount(per: int, unit: str) -> str:
        value = f"CAST(CEIL({minutes}) AS BIGINT)" if per == 1 else f"ROUND({minutes} / {per}, 1)"
        return f"CAST({value} AS VARCHAR) || ' {unit}'"

    return f"""CASE WHEN business THEN
                   CASE WHEN allowed >= 60 THEN {amount(60, 'working hours')}
                        ELSE {amount(1, 'working minutes')} END
               WHEN allowed >= 1440 THEN {amount(1440, 'days')}
               WHEN allowed >= 60 THEN {amount(60, 'hours')}
               ELSE {amount(1, 'minutes')} END"""


def late_visits(check: Check, ctx: Context, window: str, stop: str, wording: tuple[str, str],
                join: str = "") -> exp.Select:
    """Visits to the check's stages that broke the stage's named window (`window` attribute).

    `stop` is SQL over the visit `v` (and whatever `join` adds) for when the clock stops;
    `wording` frames the detail: '<stage>: <before> <time used><after> <limit>'.
    """
    spec = ctx.spec
    window_of = {s.id: getattr(s, window) for s in spec.stages
                 if getattr(s, window) and (not check.scope.stages or s.id in check.scope.stages)}
    timed = sqlglot.parse_one(f"""
        SELECT v.lead_id, v.stage, v.entered, {limits(spec, window_of).sql("duckdb")} AS limit_code,
               {stop} AS stop
        FROM ({visits(ctx, sorted(window_of)).sql("duckdb")}) AS v
        JOIN {SCOPED} AS s ON s.lead_id = v.lead_id {join}
    """, dialect="duckdb")
    before, after = (literal(text).sql("duckdb") for text in wording)
    return sqlglot.parse_one(f"""
        SELECT lead_id, stage || ': ' || {before} || {readable("used")} || {after}
                        || {readable("allowed")} AS detail
        FROM ({overdue(ctx, timed).sql("duckdb")})
    """, dialect="duckdb")
