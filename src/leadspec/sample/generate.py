"""A deterministic stream of canonical leads, clean or with one planted defect each.

Lead by lead, so a million leads never sit in memory: each lead draws from its own
`random.Random` seeded with the sample's seed and the lead's number, and only a
short list of earlier emails is kept, for the duplicate plant. Nothing reads the
clock: every time derives from the fixed sample period and the seed.

Clean leads start at a random moment of the period and follow a random path; the
export is taken at the as-of time, so a lead still on its way is shown where it
stands then. Planted leads get the journey their defect needs (for instance an SQL
still open at the as-of time), anchored so that it stands there, and the defect is
applied on top. Their expected rule ids are declared by the plant.
"""

from __future__ import annotations

import dataclasses
import random
from collections import deque
from collections.abc import Callable, Iterator

from . import funnel
from .clock import DAY
from .context import SampleContext
from .journey import Journey, Retry
from .model import INQ, SAL, SQL, Event, Knobs, Lead, Scenario
from .people import Team, team
from .plants import Aid, Plant, catalogue

DEFAULT_RATE = 0.02
_TRIES = 200
_REDRAWS = 10  # another motion, source and person when no start time fits the journey


def plant_slots(count: int, kinds: int, rate: float, seed: int) -> dict[int, int]:
    """Lead position -> plant kind: spread evenly, every kind once before any repeats."""
    if kinds == 0 or count == 0:
        return {}
    total = min(count, max(kinds, round(rate * count)))
    rng = random.Random(f"{seed}/plants")
    order = list(range(kinds))
    rng.shuffle(order)
    slots: dict[int, int] = {}
    for j in range(total):
        low, high = j * count // total, (j + 1) * count // total
        slots[rng.randrange(low, max(low + 1, high))] = order[j % kinds]
    return slots


class Generator:
    def __init__(self, ctx: SampleContext, seed: int, lead_id: Callable[[int], str]) -> None:
        self.ctx, self.seed, self.lead_id = ctx, seed, lead_id
        self.team: Team = team(seed)
        self.emails: deque[tuple[int, str]] = deque(maxlen=64)

    def leads(self, count: int, *, plant: bool, rate: float = DEFAULT_RATE) -> Iterator[Lead]:
        kinds = catalogue(self.ctx.caps) if plant else ()
        slots = plant_slots(count, len(kinds), rate, self.seed)
        waiting: list[Plant] = []
        for index in range(count):
            if index in slots:
                waiting.append(kinds[slots[index]])
            chosen = next((p for p in waiting if not p.needs_original or self.emails), None)
            rng = random.Random(f"{self.seed}/lead/{index}")
            if chosen is None:
                lead = self.clean(index + 1, rng)
            else:
                waiting.remove(chosen)
                lead = self.planted(index + 1, rng, chosen)
            if lead.fields["email"] and lead.plant != "duplicate_email":
                self.emails.append((lead.fields["created_at"], lead.fields["email"]))
            yield lead

    def clean(self, number: int, rng: random.Random) -> Lead:
        plan = funnel.plan(self.ctx, rng, None)
        fields, extra = funnel.person(self.ctx, rng, plan, number)
        for _ in range(_TRIES):
            journey = Journey(self.ctx, rng, self.team, plan, fields, Knobs(), number)
            try:
                journey.run(self._created(rng, plan.outbound))
            except Retry:
                continue
            snapshot, events = journey.snapshot(self.ctx.as_of)
            if self._worked(snapshot, events):
                return self._lead(number, journey, extra)
        raise RuntimeError(f"lead {number}: no clean journey found for {plan.path}")

    def planted(self, number: int, rng: random.Random, plant: Plant) -> Lead:
        scenario = plant.scenario
        original = None
        if plant.needs_original:
            original = min(self.emails)
            scenario = dataclasses.replace(scenario, created_after=original[0])
        for _ in range(_REDRAWS):
            plan = funnel.plan(self.ctx, rng, scenario)
            fields, extra = funnel.person(self.ctx, rng, plan, number)
            journey = self._anchored(rng, plan, fields, scenario, number)
            if journey is not None:
                break
        else:
            raise RuntimeError(f"lead {number}: no journey found for the plant {plant.name}")
        lead = self._lead(number, journey, extra)
        if plant.apply is not None:
            plant.apply(lead, Aid(rng, self.ctx, original))
        lead.plant, lead.rules = plant.name, plant.expected(self.ctx.caps)
        return lead

    def _lead(self, number: int, journey: Journey, extra: dict[str, object]) -> Lead:
        snapshot, events = journey.snapshot(self.ctx.as_of)
        fields = {f.id: snapshot.get(f.id) for f in self.ctx.spec.fields}
        lead_id = self.lead_id(number)
        fields["lead_id"] = lead_id
        extra = {**extra, "sdr": journey.sdr.id, "ae": journey.ae.id}
        return Lead(number, lead_id, journey.created, fields, events, extra)

    def _created(self, rng: random.Random, outbound: bool) -> int:
        """A capture time in the sample period: mostly working hours, some nights and weekends."""
        ctx = self.ctx
        while True:
            if outbound or rng.random() < 0.65:
                at = ctx.clock.pick(rng, ctx.start, ctx.as_of - 1)
                assert at is not None
            else:
                at = rng.randrange(ctx.start, ctx.as_of)
            if not ctx.clock.ambiguous(at):
                return at

    def _worked(self, snapshot: dict[str, object], events: list[Event]) -> bool:
        """An accepted lead shows an activity on a later day than its acceptance.

        A later day, so that the lead reads as worked in every shape: Salesforce's
        LastActivityDate holds the day alone, the other exports the time as well.
        """
        accepted_at = snapshot["sal_at"]
        if snapshot["stage"] not in (SAL, SQL) or not isinstance(accepted_at, int):
            return True
        accepted = self.ctx.clock.local_date(accepted_at)
        return any(
            e.kind == "activity" and e.personal and self.ctx.clock.local_date(e.at) > accepted for e in events
        )

    def _anchored(
        self,
        rng: random.Random,
        plan: funnel.Plan,
        fields: dict[str, object],
        scenario: Scenario,
        number: int,
    ) -> Journey | None:
        """A journey for the scenario that stands as it asks at the as-of time, if one is found."""
        ctx = self.ctx
        low = ctx.start if not scenario.hidden else ctx.start - 60 * DAY
        high = ctx.as_of - 1 if not scenario.hidden else ctx.start - 20 * DAY
        if scenario.created_after is not None:
            low = max(low, scenario.created_after + 60)
        clock = ctx.clock
        created = rng.randint(low, high)
        draws = rng.getrandbits(64)
        for attempt in range(_TRIES):
            if attempt % 8 == 7:
                draws = rng.getrandbits(64)
            created = min(max(created, low), high)
            if plan.outbound and clock.between(created, created + 1) == 0:
                back = clock.at_elapsed(max(1, clock.elapsed(created) - rng.randint(1, 60)))
                created = back if back >= low else clock.add(low, rng.randint(1, 60))
            if clock.ambiguous(created):
                created -= 120
                continue
            # NOTE: the same draws on every attempt, so moving the start moves the whole
            # journey by the same amount of working time and the anchoring converges.
            journey = Journey(ctx, random.Random(draws), self.team, plan, fields, scenario.knobs, number)
            try:
                journey.run(created)
            except Retry:
                created, draws = rng.randint(low, high), rng.getrandbits(64)
                continue
            if not scenario.open:
                if journey.end <= ctx.as_of:
                    return journey
                created -= journey.end - ctx.as_of + rng.randint(DAY, 30 * DAY)
                continue
            if self._stands(journey, plan, scenario):
                return journey
            start, stop, working = self._entry_window(journey, plan, scenario)
            if working:
                target = clock.pick(rng, start, stop) or stop
                created = clock.at_elapsed(
                    max(
                        1, clock.elapsed(created) + clock.elapsed(target) - clock.elapsed(journey.final_entry)
                    )
                )
            else:
                created += rng.randint(start, stop) - journey.final_entry
        return None

    def _entry_window(self, journey: Journey, plan: funnel.Plan, scenario: Scenario) -> tuple[int, int, bool]:
        """When the last stage should be entered for the lead to stand in it at the as-of time,
        and whether to aim in working time (a stage entered by a person's decision)."""
        ctx, stage = self.ctx, plan.path[-1]
        cap = ctx.limit(stage, "max_time_in_stage", plan.motion, plan.source)
        if scenario.hidden:
            return journey.final_entry - DAY, journey.final_entry, False
        if scenario.stale:
            late = cap.minutes + _margin(cap.minutes)
            return ctx.as_of - late - 28 * DAY, ctx.as_of - late, False
        room = cap
        if stage == INQ and not plan.outbound:
            review = ctx.limit(stage, "response_window", plan.motion, plan.source)
            room = min(room, review, key=lambda limit: limit.minutes)
        if room.business:
            earliest = ctx.clock.at_elapsed(ctx.clock.elapsed(ctx.as_of) - int(room.minutes * 0.8))
            return earliest, ctx.as_of, stage != INQ or plan.outbound
        return ctx.as_of - int(room.minutes * 0.85), ctx.as_of - (DAY if stage == SAL else 60), False

    def _stands(self, journey: Journey, plan: funnel.Plan, scenario: Scenario) -> bool:
        """In its last stage at the as-of time, with its required actions done and in time."""
        ctx, stage = self.ctx, plan.path[-1]
        entered = journey.final_entry
        if entered > ctx.as_of or journey.ready > ctx.as_of:
            return False
        if scenario.hidden:
            return True
        snapshot, events = journey.snapshot(ctx.as_of)
        if snapshot["stage"] != stage or not self._worked(snapshot, events):
            return False
        cap = ctx.limit(stage, "max_time_in_stage", plan.motion, plan.source)
        used = ctx.used(cap, entered, ctx.as_of)
        if scenario.stale:
            return used >= cap.minutes + _margin(cap.minutes)
        if used > cap.minutes * 0.9:
            return False
        acted = any(e.kind == "activity" and e.at >= entered for e in events)
        if not acted:
            window = ctx.limit(stage, "response_window", plan.motion, plan.source)
            return ctx.used(window, entered, ctx.as_of) <= window.minutes * 0.9
        return True


def _margin(minutes: int) -> int:
    """How far past a maximum a stale plant goes: clear whatever as-of time a reader picks."""
    return max(3 * DAY, minutes // 10)
