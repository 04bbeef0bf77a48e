"""Which leads a pilot report reads: the pilot team's, dated inside the period.

The period is a span of days in the process calendar's time zone, both ends
included, and never reaches past the as-of time. The team is a list of owner ids:
a lead is the team's when one of them owns it now or owned it at some point in
the history. Both become temporary tables once (`pilot_leads`, and from the
history `pilot_stays`) that every measure reads.
"""

from __future__ import annotations

import datetime as dt
import typing
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

import sqlglot
from sqlglot import exp

from ..engines import Connection
from ..rules.base import EVENTS, column, literal, timestamp
from ..rules.stage_time import VISITS
from ..spec.models import Spec

LEADS = "pilot_leads"  # the team's leads (every lead without a team)
STAYS = "pilot_stays"  # their stays in stages, from the history, with the stage that followed
DATE_FIELD = "created_at"  # what places a lead in the period unless a measure says otherwise


@dataclass(frozen=True)
class Scope:
    as_of: dt.datetime  # naive UTC
    first_day: dt.date  # local days, both included
    last_day: dt.date
    start: dt.datetime  # naive UTC: the first day's local midnight
    end: dt.datetime  # naive UTC, excluded: the midnight after the last day
    team: tuple[str, ...]
    history: bool  # a history file was read: stays and stage changes are known
    zone: str

    def local(self, moment: dt.datetime) -> dt.datetime:
        """A naive UTC time as a naive local time of the process calendar."""
        zone = zoneinfo.ZoneInfo(self.zone)
        return moment.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None)


def utc_midnight(day: dt.date, zone: str) -> dt.datetime:
    """The naive UTC time at which `day` begins in `zone`."""
    local = dt.datetime.combine(day, dt.time(0), tzinfo=zoneinfo.ZoneInfo(zone))
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def run_sql(con: Connection, text: str) -> list[tuple[typing.Any, ...]]:
    """Parse `text` with sqlglot (DuckDB dialect) and run what it generates."""
    return con.execute(sqlglot.parse_one(text, dialect="duckdb").sql("duckdb")).fetchall()


def prepare(
    con: Connection,
    spec: Spec,
    *,
    as_of: dt.datetime,
    team: Sequence[str],
    first_day: dt.date | None,
    last_day: dt.date | None,
    history: bool,
) -> Scope:
    """Create `pilot_leads` and settle the period: by default from the first lead's day to as-of."""
    zone = spec.process.calendar.time_zone
    members = tuple(sorted(set(team)))
    _create_leads(con, members, as_of, history)
    if first_day is None:
        earliest = run_sql(
            con,
            f"SELECT MIN({column(DATE_FIELD).sql('duckdb')}) FROM {LEADS} "
            f"WHERE {column(DATE_FIELD).sql('duckdb')} <= "
            f"{timestamp(as_of).sql('duckdb')}",
        )[0][0]
        first_day = _local_day(earliest or as_of, zone)
    if last_day is None:
        last_day = _local_day(as_of, zone)
    return Scope(
        as_of,
        first_day,
        last_day,
        utc_midnight(first_day, zone),
        utc_midnight(last_day + dt.timedelta(days=1), zone),
        members,
        history,
        zone,
    )


def _local_day(moment: dt.datetime, zone: str) -> dt.date:
    return moment.replace(tzinfo=dt.UTC).astimezone(zoneinfo.ZoneInfo(zone)).date()


def _create_leads(con: Connection, team: tuple[str, ...], as_of: dt.datetime, history: bool) -> None:
    where: exp.Expr = exp.true()
    if team:
        owners = [literal(member) for member in team]
        where = column("owner_id").isin(*owners)
        if history:
            owned = (
                exp.select("lead_id")
                .from_(EVENTS)
                .where(exp.column("kind").eq(literal("owner")))
                .where(exp.column("to_value").isin(*[o.copy() for o in owners]))
                .where(exp.LTE(this=column("at"), expression=timestamp(as_of)))
            )
            where = exp.or_(where, column("lead_id").isin(query=owned))
    if not team:
        # NOTE: the whole export is the team's: a view, not a copy of every lead (on a
        # million leads the copy was some 800 MB of the pilot's peak memory).
        con.execute(f"CREATE OR REPLACE TEMP VIEW {LEADS} AS SELECT * FROM leads")
        return
    select = exp.select("*").from_("leads").where(where)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {LEADS} AS {select.sql('duckdb')}")


def in_period(scope: Scope, dated_by: Sequence[str] | None) -> tuple[exp.Expr, exp.Expr]:
    """The moment that dates a lead (earliest of the fields that are set), and the condition
    that it falls inside the period."""
    fields = [column(name) for name in (dated_by or [DATE_FIELD])]
    moment = fields[0] if len(fields) == 1 else exp.func("LEAST", *fields)
    inside = exp.and_(
        exp.GTE(this=moment.copy(), expression=timestamp(scope.start)),
        exp.LT(this=moment.copy(), expression=timestamp(scope.end)),
        exp.LTE(this=moment.copy(), expression=timestamp(scope.as_of)),
    )
    return moment, inside


def create_stays(con: Connection, scope: Scope) -> None:
    """`pilot_stays`: each stay of a team lead in a stage, and the stage it moved to next.

    Read from `stage_visits` (the visits the stage-time rules use). Visits to a stage
    no mapping names are left out, and back-to-back visits to one stage (two CRM
    statuses of the same stage) are one stay. A stay still open at the as-of time has
    no `left_at` and no `next_stage`.
    """
    as_of = timestamp(scope.as_of).sql("duckdb")
    con.execute(
        sqlglot.parse_one(
            f"""
        CREATE OR REPLACE TEMP TABLE {STAYS} AS
        WITH visits AS (
            SELECT lead_id, stage, entered, CASE WHEN left_at <= {as_of} THEN left_at END AS left_at
            FROM {VISITS}
            WHERE stage IS NOT NULL AND entered <= {as_of}
              AND lead_id IN (SELECT lead_id FROM {LEADS})),
        marked AS (
            SELECT *, CASE WHEN stage = LAG(stage) OVER (PARTITION BY lead_id ORDER BY entered, stage)
                           THEN 0 ELSE 1 END AS fresh
            FROM visits),
        numbered AS (
            SELECT *, SUM(fresh) OVER (PARTITION BY lead_id ORDER BY entered, stage
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS stay
            FROM marked),
        stays AS (
            SELECT lead_id, stay, MIN(stage) AS stage, MIN(entered) AS entered,
                   CASE WHEN COUNT(left_at) = COUNT(*) THEN MAX(left_at) END AS left_at
            FROM numbered GROUP BY lead_id, stay)
        SELECT lead_id, stage, entered, left_at,
               LEAD(stage) OVER (PARTITION BY lead_id ORDER BY stay) AS next_stage
        FROM stays
    """,
            dialect="duckdb",
        ).sql("duckdb")
    )
