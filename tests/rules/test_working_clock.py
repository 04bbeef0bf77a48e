"""Working time in SQL (`working_clock`, `stage_visits`) equals an independent count in Python.

The Python count (`sample.clock.WorkingClock`) walks the calendar's periods one by one;
the SQL reads positions on a clock of UTC days. Zones far from UTC matter: a working
day in Sydney or Auckland crosses UTC midnight, Kolkata is off by half an hour, and
New York and Sydney change clocks in the period.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest

from harness import canonical_db, reference_spec
from leadspec.rules import RuleContext
from leadspec.rules.tables import derived_statements
from leadspec.sample.clock import WorkingClock, minutes

AS_OF = dt.datetime(2026, 12, 31)


@pytest.mark.parametrize(
    "zone", ["America/New_York", "Australia/Sydney", "Asia/Kolkata", "Pacific/Auckland", "UTC"]
)
def test_working_minutes_match_a_period_by_period_count(zone: str) -> None:
    base = reference_spec()
    calendar = base.process.calendar.model_copy(update={"time_zone": zone})
    spec = base.model_copy(update={"process": base.process.model_copy(update={"calendar": calendar})})
    rng = random.Random(zone)
    visits = []
    for n in range(300):
        start = dt.datetime(2026, 1, 1) + dt.timedelta(minutes=rng.randrange(360 * 24 * 60))
        visits.append((f"L{n}", start, start + dt.timedelta(minutes=rng.randrange(6 * 24 * 60))))
    events = [
        row
        for lead, start, stop in visits
        for row in (
            {"lead_id": lead, "at": start, "kind": "stage", "to_value": "marketing_qualified"},
            {"lead_id": lead, "at": stop, "kind": "activity", "to_value": "call"},
        )
    ]
    con = canonical_db(spec, [], events)
    for statement in derived_statements(RuleContext(spec, AS_OF)).values():
        con.execute(statement)
    measured = dict(
        con.execute("SELECT lead_id, (worked_acted - worked_entered) / 60 FROM stage_visits").fetchall()
    )

    clock = WorkingClock(calendar, dt.date(2025, 12, 1), dt.date(2027, 1, 31))
    expected = {lead: clock.between(minutes(start), minutes(stop)) for lead, start, stop in visits}
    assert measured == expected
