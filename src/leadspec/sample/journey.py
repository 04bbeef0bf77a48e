"""One lead's timeline: every stage change, owner change, activity and field update, in time.

Each step is placed inside the window the spec gives it, measured on the window's
own clock: an inquiry is decided inside the review window, an MQL is routed when it
becomes one and called inside the first-response window, an accepted lead gets a
follow-up inside the follow-up window and a logged activity on a later day, and
every stage is left before its maximum time. People act only in working hours.
`snapshot` then reads the lead as an export taken at a given moment would show it:
stage times are the last entry into each stage and `routed_at` the first owner
assignment, which is how the Salesforce mapping derives them from the history.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from .clock import DAY
from .context import Limit, SampleContext
from .funnel import Plan
from .model import DQ, INQ, MQL, NUR, SAL, SQL, WON, Event, Knobs
from .people import Team, salesforce_id

STAMPS = {
    "mql_at": MQL,
    "sal_at": SAL,
    "sql_at": SQL,
    "converted_at": WON,
    "disqualified_at": DQ,
    "nurture_at": NUR,
}
QUALIFIED = ("solution_aware", "decision_ready")
NOTES = (
    "Overtime is over budget at three sites; wants rota swaps in an app.",
    "Runs schedules in spreadsheets; decision with the COO this quarter.",
    "Two no-shows a week; wants reminders and a shift marketplace.",
    "Payroll disputes over hours worked; needs time tracking that payroll trusts.",
)


class Retry(Exception):
    """The drawn times left no working time for a step inside its window: draw again."""


class Journey:
    def __init__(
        self,
        ctx: SampleContext,
        rng: random.Random,
        team: Team,
        plan: Plan,
        fields: dict[str, Any],
        knobs: Knobs,
        number: int,
    ) -> None:
        self.ctx, self.clock, self.rng = ctx, ctx.clock, rng
        self.team, self.plan, self.knobs, self.number = team, plan, knobs, number
        self.sdr = rng.choice(team.sdrs[plan.motion])
        self.ae = rng.choice(team.aes[plan.motion])
        self.ops = rng.choice(team.marketing)
        self.fields = dict(fields)
        self.state: dict[str, Any] = {}
        self.events: list[Event] = []
        self.changes: list[tuple[int, str, Any]] = []
        self.owner = self.sdr.id if plan.outbound else team.queue.id
        self.created = 0
        self.ready = 0  # when the last stage's required actions are done
        self.entries: list[tuple[int, str]] = []

    def run(self, created: int) -> Journey:
        self.created = created
        consent_at = self.fields.get("consent_at")
        if consent_at == "created":
            self.fields["consent_at"] = created
        elif consent_at == "before":
            self.fields["consent_at"] = created - self.rng.randint(30, 400) * DAY
        self.fields["owner_id"] = self.owner
        self.state = dict(self.fields)
        by = self.sdr.id if self.plan.outbound else self.team.integration.id
        self.events.append(Event(created, "stage", None, INQ, by))
        self.entries.append((created, INQ))
        visits: dict[str, Callable[[int, str | None], int | None]] = {
            INQ: self._inquiry,
            MQL: self._mql,
            SAL: self._sal,
            SQL: self._sql,
            NUR: self._nurture,
            WON: self._closed,
            DQ: self._closed,
        }
        at = created
        path = self.plan.path
        for i, stage in enumerate(path):
            after = path[i + 1] if i + 1 < len(path) else None
            leave = visits[stage](at, after)
            if after is None or leave is None:
                break
            self._move(leave, stage, after)
            at = leave
        return self

    @property
    def final_entry(self) -> int:
        return self.entries[-1][0]

    @property
    def end(self) -> int:
        return max(e.at for e in self.events)

    def snapshot(self, as_of: int) -> tuple[dict[str, Any], list[Event]]:
        """The lead's fields and history as an export taken at `as_of` holds them."""
        fields = dict(self.fields)
        for at, name, value in self.changes:
            if at <= as_of:
                fields[name] = value
        events = sorted((e for e in self.events if e.at <= as_of), key=lambda e: e.at)
        last: dict[str, int] = {}
        stage = None
        for event in events:
            if event.kind == "stage":
                stage = event.after
                last[str(event.after)] = event.at
        fields["stage"] = stage
        for name, stage_id in STAMPS.items():
            fields[name] = last.get(stage_id)
        owners = [e.at for e in events if e.kind == "owner" and e.after]
        if owners:
            fields["routed_at"] = owners[0]
        personal = [e.at for e in events if e.kind == "activity" and e.personal]
        fields["last_activity_at"] = max(personal) if personal else None
        fields["created_at"] = self.created
        return fields, events

    def _limit(self, stage: str, which: str) -> Limit:
        return self.ctx.limit(stage, which, self.plan.motion, self.plan.source)

    def _pick(self, low: int, high: int) -> int:
        at = self.clock.pick(self.rng, low, high)
        if at is None:
            raise Retry
        return at

    def _change(self, at: int, name: str, value: Any) -> None:
        self.changes.append((at, name, value))
        self.state[name] = value

    def _act(self, at: int, kind: str, by: str, personal: bool = True) -> None:
        self.events.append(Event(at, "activity", None, kind, by, personal))

    def _own(self, at: int, user: str | None, by: str) -> None:
        self.events.append(Event(at, "owner", self.owner, user, by))
        self.owner = user or ""
        self._change(at, "owner_id", user)

    def _contact(self, at: int, kind: str, by: str) -> None:
        self._act(at, kind, by)
        if self.state.get("first_contact_at") is None:
            self._change(at, "first_contact_at", at)

    def _touches(
        self,
        start: int,
        stop: int,
        gap: tuple[int, int],
        by: str,
        kinds: tuple[str, ...],
        personal: bool = True,
        most: int = 6,
    ) -> None:
        at = start
        for _ in range(most):
            at = self.clock.add(at + self.rng.randint(*gap), self.rng.randint(1, 240))
            if at >= stop:
                return
            self._act(at, self.rng.choice(kinds), by, personal)

    def _inquiry(self, entered: int, after: str | None) -> int | None:
        review = self._limit(INQ, "response_window")
        cap = self._limit(INQ, "max_time_in_stage")
        last = entered
        if self.plan.outbound:
            last = self.clock.add(entered, self.rng.randint(1, 30))
            self._contact(last, self.rng.choice(("Call", "Email")), self.sdr.id)
        self.ready = last
        room = cap if self.plan.outbound or cap.minutes < review.minutes else review
        deadline = self.ctx.after(room, entered, int(room.minutes * 0.9))
        if self.knobs.early_owner:
            last = self._pick(last, last + (deadline - last) // 2)
            self._own(last, self.sdr.id, self.sdr.id)
        if after is None:
            return None
        return self._pick(last, deadline)

    def _mql(self, entered: int, after: str | None) -> int | None:
        first = self._limit(MQL, "response_window")
        cap = self._limit(MQL, "max_time_in_stage")
        reach = min(first.minutes, cap.minutes)
        self.ready = entered
        if self.knobs.no_mql_contact:
            return (
                None
                if after is None
                else self._pick(entered, self.ctx.after(first, entered, max(1, int(reach * 0.8))))
            )
        if self.knobs.late_first_response:
            spare = cap.minutes - first.minutes
            wait = self.rng.randint(first.minutes + max(5, spare // 4), first.minutes + max(6, spare // 2))
        else:
            wait = self.rng.randint(1, max(1, int(reach * 0.8)))
        call = self.ctx.after(first, entered, wait)
        self._contact(call, "Call", self.sdr.id)
        last = self.ready = call
        if self.rng.random() < 0.5:
            last = self.clock.add(call, self.rng.randint(1, 15))
            self._act(last, "Email", self.sdr.id)
        if after is None:
            return None
        return self._pick(last, self.ctx.after(cap, entered, int(cap.minutes * 0.9)))

    def _sal(self, entered: int, after: str | None) -> int | None:
        follow = self._limit(SAL, "response_window")
        cap = self._limit(SAL, "max_time_in_stage")
        first = self.ctx.after(follow, entered, self.rng.randint(5, max(5, int(follow.minutes * 0.8))))
        self._act(first, self.rng.choice(("Call", "Email")), self.sdr.id)
        later = first
        if self.clock.local_date(first) <= self.clock.local_date(entered):
            start, end = self.clock.period_after(entered)
            later = self.rng.randint(start, end - 1)
            self._act(later, self.rng.choice(("Call", "Email", "Meeting")), self.sdr.id)
        self.ready = later
        if self.knobs.owner_gap:
            gone = self._pick(entered, first)
            self._own(gone, None, self.team.integration.id)
            back = self.clock.add(gone, self.rng.randint(10, 120))
            self._own(back, self.sdr.id, self.sdr.id)
            self.ready = max(self.ready, back)
        if after is None:
            self._touches(later, self.ctx.as_of + 1, (DAY, 4 * DAY), self.sdr.id, ("Call", "Email"))
            return None
        leave = self._pick(max(later, self.ready) + 10, entered + int(cap.minutes * 0.9))
        if after in (SQL, WON):
            self._act(self._pick(self.ready, leave - 1), "Meeting", self.sdr.id)
        self._touches(later, leave, (DAY, 4 * DAY), self.sdr.id, ("Call", "Email"), most=3)
        return leave

    def _sql(self, entered: int, after: str | None) -> int | None:
        handoff = self._limit(SQL, "response_window")
        cap = self._limit(SQL, "max_time_in_stage")
        reply = self.ctx.after(handoff, entered, self.rng.randint(5, max(5, int(handoff.minutes * 0.8))))
        self._act(reply, "Email", self.ae.id)
        self.ready = reply
        if after is None:
            self._touches(reply, self.ctx.as_of + 1, (2 * DAY, 5 * DAY), self.ae.id, ("Call", "Meeting"))
            return None
        leave = self._pick(reply + 10, entered + int(cap.minutes * 0.9))
        self._act(self._pick(reply, leave - 1), "Meeting", self.ae.id)
        return leave

    def _nurture(self, entered: int, after: str | None) -> int | None:
        enrol_window = self._limit(NUR, "response_window")
        cap = self._limit(NUR, "max_time_in_stage")
        if self.knobs.late_enrolment:
            wait = self.rng.randint(2 * enrol_window.minutes, 3 * enrol_window.minutes)
        else:
            wait = self.rng.randint(1, max(1, int(enrol_window.minutes * 0.8)))
        enrol = self.ctx.after(enrol_window, entered, wait)
        self._act(enrol, "Nurture email", self.ops.id, personal=False)
        self.ready = enrol
        every = 14 * DAY if self.plan.motion == "b2b" else 7 * DAY
        if after is None:
            leave = None
            stop = self.ctx.as_of + 1
        elif after == MQL:
            leave = stop = self._pick(enrol + 2 * every, entered + cap.minutes - 2 * every)
        else:
            leave = stop = self._pick(
                max(enrol, entered + cap.minutes - 3 * every), entered + cap.minutes - DAY
            )
        self._touches(enrol, stop, (every, every), self.ops.id, ("Nurture email",), personal=False, most=8)
        return leave

    def _closed(self, entered: int, after: str | None) -> int | None:
        self.ready = entered
        if after is None:
            return None
        return self._pick(entered + 7 * DAY, entered + 28 * DAY)

    def _actor(self, source: str, target: str) -> str:
        if source == INQ:
            if self.plan.outbound:
                return self.sdr.id
            return self.ops.id if self.plan.motion == "b2b" else self.team.integration.id
        if source == NUR:
            return self.team.integration.id if target == MQL else self.ops.id
        if source == SQL:
            return self.ae.id
        return self.ops.id if source == DQ else self.sdr.id

    def _move(self, at: int, source: str, target: str) -> None:
        by = self._actor(source, target)
        self.events.append(Event(at, "stage", source, target, by))
        self.entries.append((at, target))
        rng, motion = self.rng, self.plan.motion
        if target == MQL:
            if self.owner == self.team.queue.id:
                self._own(at, self.sdr.id, self.team.integration.id)
            else:
                self._change(at, "routed_at", at)
            if source == NUR:
                mql = self.ctx.threshold(motion, "mql_score")
                self._change(at, "intent_score", rng.randint(mql, min(100, mql + 30)))
        elif target == SAL:
            if self.state.get("readiness") not in QUALIFIED:
                self._change(at, "readiness", "solution_aware")
        elif target == SQL:
            self._own(at, self.ae.id, by)
            self._qualify(at)
        elif target == WON:
            if self.owner != self.ae.id:
                self._own(at, self.ae.id, by)
                self._qualify(at)
            self._change(at, "opportunity_id", opportunity_id(self.number))
            amount = rng.randint(18, 240) * 1000 if motion == "b2b" else rng.randint(29, 199) * 12
            self._change(at, "opportunity_amount", float(amount))
        elif target == NUR:
            self._enrol(at, source)
        elif target == DQ:
            self._disqualify(at, source)

    def _qualify(self, at: int) -> None:
        for name in ("need_confirmed", "authority_confirmed", "budget_confirmed"):
            self._change(at, name, True)
        self._change(at, "timeline", self.rng.choice(("this_quarter", "next_quarter")))
        sql = self.ctx.threshold(self.plan.motion, "sql_score")
        if (self.state.get("intent_score") or 0) < sql:
            self._change(at, "intent_score", self.rng.randint(sql, min(100, sql + 35)))
        self._change(at, "readiness", "decision_ready")
        self._change(at, "qualification_notes", self.rng.choice(NOTES))

    def _enrol(self, at: int, source: str) -> None:
        reason = self.plan.recycle_reason if source in (MQL, SAL, SQL) else None
        if reason:
            self._change(at, "recycle_reason", reason)
            if self.owner != self.team.queue.id:
                self._own(at, self.team.queue.id, by=self.ops.id)
        if self.plan.motion == "b2c":
            track = "personal"
        elif reason == "timing_later":
            track = "timing"
        elif self.state.get("readiness") in (None, "awareness"):
            track = "foundations"
        else:
            track = "evaluation"
        self._change(at, "nurture_track", track)

    def _disqualify(self, at: int, source: str) -> None:
        reason = self.plan.dq_reason
        self._change(at, "disqualification_reason", reason)
        if reason == "opted_out":
            self._change(at, "consent_status", "opted_out")
            self._change(at, "consent_at", at)
        elif reason == "no_fit" and source != INQ:
            self._change(at, "fit_grade", "D")
        answers = {
            "no_need": "need_confirmed",
            "no_budget": "budget_confirmed",
            "no_authority": "authority_confirmed",
        }
        if reason in answers and source in (SAL, SQL):
            self._change(at, answers[reason], False)


def opportunity_id(number: int) -> str:
    return salesforce_id("006", 3_000_000 + number)
