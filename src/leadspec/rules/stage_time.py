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

from ..spec.models import Check, Spec, Window, duration_parts
from ..spec.models.process import Calendar
from .base import EVENTS, SCOPED, LeadsQuery, RuleContext, literal, one_decimal, parsed_select, timestamp

_ISO_DAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}


def limit_minutes(window_text: str, clock: str, calendar: Calendar) -> int:
    """Minutes a window allows. On the business clock a day is one working day's hours."""
    amount, unit = duration_parts(window_text)
    hours = calendar.working_hours
    day = (
        dt.datetime.combine(dt.date.min, hours.end) - dt.datetime.combine(dt.date.min, hours.start)
    ).seconds // 60
    per_unit = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}
    if clock == "business":
        per_unit |= {"d": day, "w": day * len(calendar.working_days)}
    return amount * per_unit[unit]


VISITS = "stage_visits"
CLOCK = "working_clock"
_ENDS = ("entered", "left_at", "acted_at")  # the visit's times, each also read on the working clock


def derived_tables(ctx: RuleContext, lead_times: tuple[str, ...] = ()) -> dict[str, str]:
    """DDL for the working clock and the visits, which all stage-time rules read.

    `working_clock` has a row per UTC day from the first event to the as-of time: the
    working seconds before the day began and the (at most two) working periods within
    it. `stage_visits` holds every visit of every lead: from a stage change into the
    stage (`entered`) to the lead's next stage change (`left_at`), with the first
    activity at or after entering (`acted_at`), and each of the three as a position on
    the working clock (`worked_entered`, ...). The history is sorted once and working
    time found once, however many rules read them.

    `lead_times` names timestamp fields of `leads` that the clock must cover as well,
    for readers that place those fields on it (the pilot report's business-clock
    durations).
    """
    as_of = timestamp(ctx.as_of).sql("duckdb")
    first = f'(SELECT MIN("at") FROM {EVENTS})'
    last = f'(SELECT GREATEST(MAX("at"), {as_of}) FROM {EVENTS})'
    if lead_times:
        fields = [exp.column(name, quoted=True).sql("duckdb") for name in lead_times]
        lows = " UNION ALL ".join(f"SELECT MIN({f}) FROM leads" for f in fields)
        highs = " UNION ALL ".join(f"SELECT MAX({f}) FROM leads" for f in fields)
        first = f'(SELECT MIN(t) FROM (SELECT MIN("at") FROM {EVENTS} UNION ALL {lows}) AS s(t))'
        last = (
            f'(SELECT GREATEST(MAX(t), {as_of}) FROM (SELECT MAX("at") FROM {EVENTS} '
            f"UNION ALL {highs}) AS s(t))"
        )
    periods = working_periods(
        ctx.spec.process.calendar, sqlglot.parse_one(first), sqlglot.parse_one(last)
    ).sql("duckdb")
    # NOTE: a working period can cross UTC midnight (working hours far from UTC), so each
    # is cut into its parts per UTC day; a day then holds at most two parts.
    clock = f"""
        CREATE OR REPLACE TEMP TABLE {CLOCK} AS
        WITH parts AS (
            SELECT CAST(d AS DATE) AS day, GREATEST(period_start, d) AS part_start,
                   LEAST(period_end, d + INTERVAL 1 DAY) AS part_end
            FROM ({periods}) AS p,
                 generate_series(CAST(CAST(period_start AS DATE) AS TIMESTAMP),
                                 CAST(CAST(period_end AS DATE) AS TIMESTAMP), INTERVAL 1 DAY) AS g(d)
            WHERE LEAST(period_end, d + INTERVAL 1 DAY) > GREATEST(period_start, d)),
        days AS (
            SELECT day, list(part_start ORDER BY part_start) AS starts,
                   list(part_end ORDER BY part_start) AS ends,
                   SUM(date_diff('second', part_start, part_end)) AS seconds
            FROM parts GROUP BY day)
        SELECT CAST(d AS DATE) AS day,
               COALESCE(SUM(seconds) OVER (ORDER BY d ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
                        0) AS before,
               starts[1] AS start1, ends[1] AS end1, starts[2] AS start2, ends[2] AS end2
        FROM generate_series(CAST(CAST({first} AS DATE) - 2 AS TIMESTAMP),
                             CAST(CAST({last} AS DATE) + 2 AS TIMESTAMP), INTERVAL 1 DAY) AS t(d)
        LEFT JOIN days ON days.day = CAST(d AS DATE)"""
    # NOTE: at equal times a stage change sorts before an activity, so an activity logged
    # in the same minute as the change counts as acting on the new stage.
    visits = f"""
        SELECT lead_id, to_value AS stage, "at" AS entered, left_at, acted_at FROM (
            SELECT lead_id, kind, to_value, "at",
                   MIN(CASE WHEN kind = 'stage' THEN "at" END) OVER (
                       lead ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) AS left_at,
                   MIN(CASE WHEN kind = 'activity' THEN "at" END) OVER (
                       lead ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS acted_at
            FROM {EVENTS} WHERE kind IN ('stage', 'activity') AND "at" IS NOT NULL
            WINDOW lead AS (PARTITION BY lead_id ORDER BY "at", kind = 'activity', to_value))
        WHERE kind = 'stage'"""
    positions = ", ".join(f"{worked(f'c{n}', f'v.{end}')} AS {_worked(end)}" for n, end in enumerate(_ENDS))
    joins = " ".join(
        f"LEFT JOIN {CLOCK} AS c{n} ON c{n}.day = CAST(v.{end} AS DATE)" for n, end in enumerate(_ENDS)
    )
    return {
        CLOCK: clock,
        VISITS: f"CREATE OR REPLACE TEMP TABLE {VISITS} AS SELECT v.*, {positions} "
        f"FROM ({visits}) AS v {joins}",
    }


def _worked(end: str) -> str:
    return f"worked_{end.removesuffix('_at')}"


def worked(clock: str, moment: str) -> str:
    """SQL: working seconds from the clock's start to `moment`, given the clock's row for its day."""

    def within(n: int) -> str:
        start, end = f"{clock}.start{n}", f"{clock}.end{n}"
        return (
            f"COALESCE(LEAST(GREATEST(date_diff('second', {start}, {moment}), 0), "
            f"date_diff('second', {start}, {end})), 0)"
        )

    return f"{clock}.before + {within(1)} + {within(2)}"


def limits(spec: Spec, window_of: dict[str, str]) -> exp.Expr:
    """CASE giving each visit (v) its limit in minutes, by stage, the lead's (s) motion and source."""
    case = exp.Case()
    for stage_id, name in sorted(window_of.items()):
        for motion_id, motion in sorted(spec.process.motions.items()):
            window = motion.windows[name]
            when = exp.and_(
                exp.column("stage", table="v").eq(literal(stage_id)),
                exp.column("motion", table="s").eq(literal(motion_id)),
            )
            for source, text in sorted(window.by_source.items()):
                minutes = limit_minutes(text, window.clock, spec.process.calendar)
                case = case.when(
                    exp.and_(when, exp.column("source_category", table="s").eq(literal(source))),
                    _pair(minutes, window),
                )
            minutes = limit_minutes(window.within, window.clock, spec.process.calendar)
            case = case.when(when, _pair(minutes, window))
    return case


def _pair(minutes: int, window: Window) -> exp.Expr:
    """Minutes, negative for the business clock, so one CASE carries both facts."""
    return literal(-minutes if window.clock == "business" else minutes)


def working_periods(calendar: Calendar, first: exp.Expr, last: exp.Expr) -> exp.Select:
    """UTC start and end of every working period from date `first` to date `last`."""
    zone = literal(calendar.time_zone).sql()
    days = ", ".join(str(_ISO_DAYS[d]) for d in calendar.working_days)
    holidays = ", ".join(f"DATE '{h.date.isoformat()}'" for h in calendar.holidays) or "NULL"
    start = literal(calendar.working_hours.start.strftime("%H:%M:%S")).sql()
    end = literal(calendar.working_hours.end.strftime("%H:%M:%S")).sql()
    return parsed_select(f"""
        SELECT timezone('UTC', timezone({zone}, CAST(d AS DATE) + CAST({start} AS TIME))) AS period_start,
               timezone('UTC', timezone({zone}, CAST(d AS DATE) + CAST({end} AS TIME))) AS period_end
        FROM generate_series(CAST(({first.sql("duckdb")}) AS DATE) - 1,
                             CAST(({last.sql("duckdb")}) AS DATE) + 1, INTERVAL 1 DAY) AS t(d)
        WHERE isodow(CAST(d AS DATE)) IN ({days}) AND CAST(d AS DATE) NOT IN ({holidays})
    """)


def overdue(ctx: RuleContext, timed: str) -> str:
    """SQL: the visits of query `timed` that took longer than allowed.

    `timed` gives lead_id, stage, entered, limit_code, and when the clock stops both as
    a time (`stop`) and on the working clock (`worked_stop`); the clock runs to the as-of
    time while there is no stop yet. Returns lead_id, stage, entered, used and allowed
    minutes, and whether the business clock applied.
    """
    as_of = timestamp(ctx.as_of).sql("duckdb")
    now = f"(SELECT {worked('c', as_of)} FROM {CLOCK} AS c WHERE c.day = CAST({as_of} AS DATE))"
    return f"""
        WITH timed AS ({timed}),
        measured AS (
            SELECT lead_id, stage, entered, limit_code < 0 AS business, ABS(limit_code) AS allowed,
                   CASE WHEN limit_code < 0
                        THEN (LEAST(COALESCE(worked_stop, {now}), COALESCE({now}, 0))
                              - worked_entered) / 60.0
                        ELSE date_diff('second', entered, LEAST(COALESCE(stop, {as_of}), {as_of})) / 60.0
                   END AS used
            FROM timed WHERE limit_code IS NOT NULL AND entered <= {as_of})
        SELECT lead_id, stage, entered, used, allowed, business FROM measured WHERE used > allowed
    """


def readable(minutes: str) -> str:
    """SQL text for an amount of minutes in the unit that suits the visit's limit.

    Both the time used and the limit are shown in one unit, chosen by the limit:
    days for calendar limits of a day or more, hours from an hour, else minutes.
    """

    def amount(per: int, unit: str) -> str:
        value = f"CAST(CEIL({minutes}) AS BIGINT)" if per == 1 else one_decimal(f"{minutes} / {per}")
        return f"CAST({value} AS VARCHAR) || ' {unit}'"

    return f"""CASE WHEN business THEN
                   CASE WHEN allowed >= 60 THEN {amount(60, "working hours")}
                        ELSE {amount(1, "working minutes")} END
               WHEN allowed >= 1440 THEN {amount(1440, "days")}
               WHEN allowed >= 60 THEN {amount(60, "hours")}
               ELSE {amount(1, "minutes")} END"""


def late_visits(
    check: Check, ctx: RuleContext, window: str, stops: tuple[str, ...], wording: tuple[str, str]
) -> LeadsQuery:
    """Visits to the check's stages that broke the stage's named window (`window` attribute).

    `stops` names the visit's times that stop the clock, the earliest of them counting
    (`left_at`, `acted_at`); `wording` frames the detail:
    '<stage>: <before> <time used><after> <limit>'.
    """
    spec = ctx.spec
    window_of = {
        s.id: getattr(s, window)
        for s in spec.stages
        if getattr(s, window) and (not check.scope.stages or s.id in check.scope.stages)
    }
    stages = ", ".join(literal(s).sql() for s in sorted(window_of)) or "NULL"

    def earliest(names: list[str]) -> str:
        return names[0] if len(names) == 1 else f"LEAST({', '.join(names)})"

    timed = f"""
        SELECT v.lead_id, v.stage, v.entered, v.worked_entered,
               {limits(spec, window_of).sql("duckdb")} AS limit_code,
               {earliest([f"v.{name}" for name in stops])} AS stop,
               {earliest([f"v.{_worked(name)}" for name in stops])} AS worked_stop
        FROM {VISITS} AS v JOIN {SCOPED} AS s ON s.lead_id = v.lead_id
        WHERE v.stage IN ({stages})
    """
    before, after = (literal(text).sql("duckdb") for text in wording)
    # NOTE: the parts are SQL text, parsed once as a whole: parsing is most of the cost.
    late = parsed_select(f"""
        SELECT lead_id, stage || ': ' || {before} || {readable("used")} || {after}
                        || {readable("allowed")} AS detail
        FROM ({overdue(ctx, timed)})
    """)
    # NOTE: without a source, a visit is held to its motion's window, a real measure.
    return LeadsQuery(late, frozenset() if check.scope.sources else frozenset({"source_category"}))
