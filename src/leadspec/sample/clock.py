"""Times as whole minutes since the epoch (UTC), and the process calendar's working time.

The generator places every human action inside working hours and keeps each one
inside its window measured exactly as the checks measure it: working minutes are
the overlap with the calendar's working periods (working days, working hours in the
calendar's time zone, holidays left out), so `between(a, b)` equals what
`rules.stage_time` counts for a visit from `a` to `b`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
import zoneinfo

from ..spec.models.process import Calendar

EPOCH = dt.datetime(1970, 1, 1)
DAY = 24 * 60
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def minutes(moment: dt.datetime) -> int:
    """Whole minutes since the epoch of an aware time, or of a naive UTC time."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return int((moment - EPOCH).total_seconds()) // 60


def utc(at: int) -> dt.datetime:
    """The naive UTC time of a minute count, as the canonical tables hold times."""
    return EPOCH + dt.timedelta(minutes=at)


class WorkingClock:
    """Working periods of one calendar over a span of days, with cumulative working minutes."""

    def __init__(self, calendar: Calendar, first: dt.date, last: dt.date) -> None:
        self.zone = zoneinfo.ZoneInfo(calendar.time_zone)
        days = {_WEEKDAYS.index(d) for d in calendar.working_days}
        holidays = {h.date for h in calendar.holidays}
        start, end = calendar.working_hours.start, calendar.working_hours.end
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.before: list[int] = []  # working minutes before each period
        self.upto: list[int] = []  # working minutes up to each period's end
        total = 0
        day = first
        while day <= last:
            if day.weekday() in days and day not in holidays:
                begin = minutes(dt.datetime.combine(day, start, tzinfo=self.zone))
                finish = minutes(dt.datetime.combine(day, end, tzinfo=self.zone))
                self.starts.append(begin)
                self.ends.append(finish)
                self.before.append(total)
                total += finish - begin
                self.upto.append(total)
            day += dt.timedelta(days=1)

    def elapsed(self, at: int) -> int:
        """Working minutes from the start of the span to `at`."""
        k = bisect.bisect_right(self.starts, at) - 1
        if k < 0:
            return 0
        return self.before[k] + min(at - self.starts[k], self.ends[k] - self.starts[k])

    def between(self, start: int, stop: int) -> int:
        return self.elapsed(stop) - self.elapsed(start)

    def at_elapsed(self, target: int) -> int:
        """The first moment at which `target` working minutes have passed."""
        k = bisect.bisect_left(self.upto, target)
        if k >= len(self.upto):
            raise ValueError("a working time beyond the calendar span")
        return self.starts[k] + max(0, target - self.before[k])

    def add(self, at: int, amount: int) -> int:
        """The moment `amount` working minutes after `at` (at least one minute later)."""
        return max(self.at_elapsed(self.elapsed(at) + max(1, amount)), at + 1)

    def pick(self, rng: random.Random, low: int, high: int) -> int | None:
        """A working moment strictly after `low` and at or before `high`, uniform in working time."""
        first, last = self.elapsed(low) + 1, self.elapsed(high)
        if last < first:
            return None
        return self.at_elapsed(rng.randint(first, last))

    def period_after(self, at: int) -> tuple[int, int]:
        """Start and end of the first working period that begins on a later local day than `at`."""
        today = self.local_date(at)
        k = bisect.bisect_right(self.starts, at)
        while self.local_date(self.starts[k]) <= today:
            k += 1
        return self.starts[k], self.ends[k]

    def local(self, at: int) -> dt.datetime:
        return utc(at).replace(tzinfo=dt.UTC).astimezone(self.zone)

    def local_date(self, at: int) -> dt.date:
        return self.local(at).date()

    def ambiguous(self, at: int) -> bool:
        """True when the local wall time of `at` occurs twice (the hour clocks go back)."""
        wall = self.local(at).replace(tzinfo=None)
        first = wall.replace(tzinfo=self.zone, fold=0)
        second = wall.replace(tzinfo=self.zone, fold=1)
        return first.utcoffset() != second.utcoffset()
