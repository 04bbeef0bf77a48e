"""What a sample is generated against: the spec, what the CRM's mapping can carry, fixed times.

Every time limit comes from the spec (each stage's named windows, per motion and
source, on the business or calendar clock), measured as the checks measure it. What
the CRM can express comes from its mapping: a constant motion allows only that
motion, a source value map only the categories it translates to, and a mapping
without `events` reads no history. The sample period is fixed, so the same seed
gives the same leads whatever day it is run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..data.mapping import Mapping
from ..rules.stage_time import limit_minutes
from ..spec.models import Spec
from .clock import WorkingClock, minutes

START = dt.datetime(2026, 1, 5, 5, 0)  # naive UTC: Monday 5 January 2026, 00:00 New York
AS_OF = dt.datetime(2026, 11, 2, 11, 0)  # naive UTC: Monday 2 November 2026, 06:00 New York
STAGES = (
    "inquiry",
    "marketing_qualified",
    "nurture",
    "sales_accepted",
    "sales_qualified",
    "converted",
    "disqualified",
)
_THRESHOLDS = ("mql_score", "sql_score")
_TIMED = ("inquiry", "marketing_qualified", "nurture", "sales_accepted", "sales_qualified")
_PATH_STEPS = {
    ("inquiry", "marketing_qualified"),
    ("inquiry", "nurture"),
    ("inquiry", "disqualified"),
    ("nurture", "marketing_qualified"),
    ("nurture", "disqualified"),
    ("marketing_qualified", "sales_accepted"),
    ("marketing_qualified", "nurture"),
    ("marketing_qualified", "disqualified"),
    ("sales_accepted", "sales_qualified"),
    ("sales_accepted", "nurture"),
    ("sales_accepted", "disqualified"),
    ("sales_qualified", "converted"),
    ("sales_qualified", "nurture"),
    ("sales_qualified", "disqualified"),
}


@dataclass(frozen=True)
class Capabilities:
    """What one CRM's export can say, read from its mapping."""

    crm: str
    motions: tuple[str, ...]
    sources: tuple[str, ...]
    history: bool  # a history file is read: stage, owner and activity rules can run
    activities: bool  # the history carries activities
    fields: frozenset[str]  # fields the export can hold (columns, derivations, constants)


@dataclass(frozen=True)
class Limit:
    minutes: int
    business: bool


def capabilities(mapping: Mapping, spec: Spec) -> Capabilities:
    file = mapping.file
    motion = file.constants.get("motion")
    motions = (str(motion),) if motion is not None else tuple(sorted(spec.process.motions))
    known = [s.id for s in spec.sources]
    if "source_category" in file.values:
        targets = set(file.values["source_category"].values())
        sources = tuple(s for s in known if s in targets)
    else:
        sources = tuple(known)
    events = file.events
    fields = frozenset([*file.leads.columns, *file.derived, *file.constants, "lead_id"])
    return Capabilities(
        mapping.name, motions, sources, events is not None, bool(events and events.activity_fields), fields
    )


class SampleContext:
    """The spec's limits and thresholds as the generator needs them, with the working clock."""

    def __init__(self, spec: Spec, mapping: Mapping) -> None:
        missing = [s for s in STAGES if s not in {stage.id for stage in spec.stages}]
        allowed = {(t.source, t.target) for t in spec.process.lifecycle.transitions}
        if missing or _PATH_STEPS - allowed:
            raise ValueError(
                "the sample generator follows the reference lifecycle; this spec "
                f"lacks stages {missing} or transitions {sorted(_PATH_STEPS - allowed)}"
            )
        untimed = [
            f"{stage.id}.{which}"
            for stage in spec.stages
            if stage.id in _TIMED
            for which in ("response_window", "max_time_in_stage")
            if getattr(stage, which) is None
        ]
        if untimed:
            raise ValueError(
                "the sample generator times each lead by its stages' windows; give these "
                f"stages the window they lack: {', '.join(untimed)}"
            )
        unset = [
            f"{motion}.{name}"
            for motion, settings in sorted(spec.process.motions.items())
            for name in _THRESHOLDS
            if name not in settings.thresholds
        ]
        if unset:
            raise ValueError(
                "the sample generator scores leads against each motion's thresholds; "
                f"set these in process.yaml: {', '.join(unset)}"
            )
        self.spec = spec
        self.caps = capabilities(mapping, spec)
        self.calendar = spec.process.calendar
        self.start = minutes(START)
        self.as_of = minutes(AS_OF)
        self.clock = WorkingClock(
            self.calendar, START.date() - dt.timedelta(days=200), AS_OF.date() + dt.timedelta(days=400)
        )
        self.limits: dict[tuple[str, str, str, str | None], Limit] = {}
        self.shares = {
            s.id: _middle(s.expected_share.min, s.expected_share.max)
            for s in spec.sources
            if s.id in self.caps.sources
        }

    def limit(self, stage: str, which: str, motion: str, source: str | None) -> Limit:
        """A stage's window (`response_window` or `max_time_in_stage`) for a lead."""
        key = (stage, which, motion, source)
        if key not in self.limits:
            name = getattr(self.spec.stage(stage), which)
            window = self.spec.process.motions[motion].windows[name]
            text = window.by_source.get(source or "", window.within)
            self.limits[key] = Limit(
                limit_minutes(text, window.clock, self.calendar), window.clock == "business"
            )
        return self.limits[key]

    def used(self, limit: Limit, start: int, stop: int) -> int:
        return self.clock.between(start, stop) if limit.business else stop - start

    def after(self, limit: Limit, start: int, amount: int) -> int:
        """The moment at which `amount` minutes of the limit's clock have passed since `start`."""
        if limit.business:
            return self.clock.at_elapsed(self.clock.elapsed(start) + amount)
        return start + amount

    def threshold(self, motion: str, name: str) -> int:
        return int(self.spec.process.motions[motion].thresholds[name])

    def allowed(self, field: str) -> list[str]:
        return list(self.spec.field(field).allowed_values or [])


def _middle(low: float | None, high: float | None) -> float:
    """The middle of an expected share; an open end counts as the other (both open: 1)."""
    ends = [end for end in (low, high) if end is not None]
    return sum(ends) / len(ends) if ends else 1.0
