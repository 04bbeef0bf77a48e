"""Which path a lead takes through the lifecycle, and who it must be to take it.

Proportions follow what the reference process expects: source shares from
`sources.yaml`, most inquiries going to nurture or being disqualified, fewer
becoming MQLs, and fewer again being accepted, qualified and converted. A lead's
facts are drawn after its path, so they agree with it: an MQL has fit grade A or B,
consent and an intent score at the motion's threshold; a lead disqualified as
`no_fit` has grade D; one that opted out is never contacted.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from typing import Any

from . import people
from .context import SampleContext
from .model import DQ, INQ, MQL, NUR, SAL, SQL, WON, Scenario

B2C_SHARE = 0.35
FROM_INQUIRY = {
    "inbound": ((MQL, 24), (NUR, 46), (DQ, 30)),
    "outbound": ((MQL, 15), (NUR, 45), (DQ, 40)),
    "partner": ((MQL, 35), (NUR, 40), (DQ, 25)),
    "reactivation": ((MQL, 30), (NUR, 45), (DQ, 25)),
}
NEXT = {
    MQL: ((SAL, 60), (NUR, 25), (DQ, 15)),
    SAL: ((SQL, 55), (NUR, 25), (DQ, 20)),
    SQL: ((WON, 65), (NUR, 10), (DQ, 25)),
}
DQ_REASONS = {
    INQ: (
        ("no_fit", 45),
        ("invalid_contact", 20),
        ("opted_out", 12),
        ("not_a_buyer", 13),
        ("existing_customer", 10),
    ),
    "outbound": (("unresponsive", 60), ("not_a_buyer", 20), ("invalid_contact", 20)),
    NUR: (("unresponsive", 75), ("not_a_buyer", 15), ("opted_out", 10)),
    "recycled": (("unresponsive", 80), ("not_a_buyer", 20)),
    MQL: (
        ("existing_customer", 25),
        ("bought_elsewhere", 20),
        ("no_need", 30),
        ("no_authority", 15),
        ("not_a_buyer", 10),
    ),
    SAL: (
        ("no_need", 30),
        ("no_budget", 25),
        ("no_authority", 15),
        ("bought_elsewhere", 15),
        ("unresponsive", 15),
    ),
    SQL: (("no_budget", 40), ("bought_elsewhere", 30), ("no_need", 15), ("no_authority", 15)),
}
RECYCLE_REASONS = {
    MQL: (("no_response", 45), ("not_ready", 40), ("wrong_contact", 15)),
    SAL: (("no_response", 35), ("not_ready", 25), ("timing_later", 40)),
    SQL: (("timing_later", 100),),
}
DETAILS = {
    "inbound": (
        "demo request",
        "free trial",
        "content download",
        "customer referral",
        "organic search",
        "review site",
    ),
    "outbound": ("cold call", "email sequence", "linkedin outreach"),
    "partner": ("reseller", "payroll partner", "trade association"),
    "reactivation": ("returning trial", "former customer", "account expansion"),
}
CAMPAIGNS = {
    "inbound": (
        "Shift Scheduling Benchmark 2026",
        "Webinar: Overtime Without Surprises",
        "Pricing Page Retargeting",
        "Personal Free Trial Spring Push",
    ),
    "outbound": ("{year}-Q{quarter} {industry} Operations Sequence",),
    "partner": (
        "Payroll Partner Referral Program",
        "Reseller Portal Registrations",
        "Trade Association Member Offer",
    ),
    "reactivation": ("Win-back Trial Offer", "Second Site Expansion Outreach"),
}


def weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], [w for _, w in options])[0]


@dataclass
class Plan:
    """A lead's motion, source, path and reasons: decided before any time is placed."""

    motion: str
    source: str
    path: tuple[str, ...]
    open: bool
    dq_reason: str | None
    recycle_reason: str | None

    @property
    def outbound(self) -> bool:
        return self.source == "outbound"

    @property
    def reaches(self) -> set[str]:
        return set(self.path)


def plan(ctx: SampleContext, rng: random.Random, scenario: Scenario | None) -> Plan:
    motions = ctx.caps.motions
    if scenario and scenario.motion == "b2c":
        sources = {s: w for s, w in ctx.shares.items() if s != "outbound"}
    else:
        sources = dict(ctx.shares)
    if scenario and scenario.outbound is False:
        sources.pop("outbound", None)
    if scenario and scenario.source:
        source = scenario.source
    elif scenario and scenario.outbound:
        source = "outbound"
    else:
        source = rng.choices(list(sources), list(sources.values()))[0]
    if scenario and scenario.motion:
        motion = scenario.motion
    elif len(motions) == 1 or source == "outbound":
        motion = "b2b" if "b2b" in motions else motions[0]  # outbound sequences are B2B only
    else:
        # NOTE: B2C takes none of the outbound share, so it takes more of the rest.
        others = 1 - ctx.shares.get("outbound", 0) / sum(ctx.shares.values())
        motion = "b2c" if rng.random() < B2C_SHARE / others else "b2b"
    if scenario:
        return Plan(
            motion,
            source,
            scenario.path,
            scenario.open,
            scenario.dq_reason or _dq_reason(rng, scenario.path, source),
            scenario.recycle_reason or _recycle_reason(rng, scenario.path),
        )
    path = _path(rng, source)
    return Plan(motion, source, path, False, _dq_reason(rng, path, source), _recycle_reason(rng, path))


def _path(rng: random.Random, source: str) -> tuple[str, ...]:
    path = [INQ, weighted(rng, FROM_INQUIRY[source])]
    if path[-1] == NUR:
        path.append(MQL if rng.random() < 0.18 else DQ)
    while path[-1] in NEXT:
        path.append(weighted(rng, NEXT[path[-1]]))
    if path[-1] == NUR:
        path.append(DQ)
    return tuple(path)


def _dq_reason(rng: random.Random, path: tuple[str, ...], source: str) -> str | None:
    if DQ not in path:
        return None
    at = path.index(DQ) - 1
    before = path[at]
    if before == INQ:
        return weighted(rng, DQ_REASONS["outbound" if source == "outbound" else INQ])
    if before == NUR:
        recycled = any(s in path[:at] for s in (MQL, SAL, SQL))
        if recycled:
            return weighted(rng, DQ_REASONS["recycled"])
        options = DQ_REASONS[NUR] if source != "outbound" else DQ_REASONS["recycled"]
        return weighted(rng, options)
    return weighted(rng, DQ_REASONS[before])


def _recycle_reason(rng: random.Random, path: tuple[str, ...]) -> str | None:
    for before, after in itertools.pairwise(path):
        if after == NUR and before in RECYCLE_REASONS:
            return weighted(rng, RECYCLE_REASONS[before])
    return None


def person(
    ctx: SampleContext, rng: random.Random, plan: Plan, number: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The lead's facts at capture (canonical fields) and its non-canonical extras."""
    motion, source, path = plan.motion, plan.source, plan.path
    qualifies = MQL in path
    first = path[1] if len(path) > 1 else None
    closed_early = path[1:] == (DQ,)
    if qualifies or plan.outbound:
        grade = rng.choice("AAABB")
    elif closed_early and plan.dq_reason == "no_fit":
        grade = "D"
    elif closed_early:
        grade = rng.choice("ABCCD")
    else:
        grade = rng.choice("ABBCCC")
    firm = people.company(rng, motion, grade)
    who = people.identity(rng, number, motion, firm.country or "US", firm.domain)
    consent, consent_at = _consent(rng, plan)
    mql = ctx.threshold(motion, "mql_score")
    if qualifies and first == MQL:
        intent = rng.randint(mql, min(100, mql + 45))
    elif grade in "AB":
        intent = rng.randint(0, mql - 1)
    else:
        intent = rng.randint(0, 70)
    readiness: str | None
    if first == MQL:
        readiness = rng.choice(("problem_aware", "solution_aware", "solution_aware", "decision_ready"))
    else:
        readiness = rng.choice(("awareness", "awareness", "problem_aware", "solution_aware"))
    if not qualifies and rng.random() < 0.05:
        readiness = None
    campaign = None
    if plan.outbound or rng.random() < {"inbound": 0.4, "partner": 0.7}.get(source, 0.3):
        campaign = rng.choice(CAMPAIGNS[source]).format(
            year=2026, quarter=rng.randint(1, 4), industry=firm.industry or "Operations"
        )
    fields = {
        "email": who.email,
        "phone": who.phone,
        "first_name": who.first_name,
        "last_name": who.last_name,
        "company": firm.name,
        "job_title": rng.choice(people.TITLES_B2B if motion == "b2b" else people.TITLES_B2C)
        if rng.random() < 0.8
        else None,
        "country": firm.country,
        "industry": firm.industry,
        "employee_count": firm.employees,
        "annual_revenue": firm.revenue,
        "motion": motion,
        "source_category": source,
        "source_detail": rng.choice(DETAILS[source]),
        "campaign": campaign,
        "consent_status": consent,
        "consent_at": consent_at,
        "fit_grade": grade,
        "intent_score": intent,
        "readiness": readiness,
    }
    street, city, state, postal = people.address(rng, firm.country)
    extra = {
        "salutation": who.salutation,
        "street": street,
        "city": city,
        "state": state,
        "postal_code": postal,
        "domain": firm.domain,
    }
    return fields, extra


def _consent(rng: random.Random, plan: Plan) -> tuple[str | None, str | None]:
    """Consent status and when it was given: 'created' (at capture), 'before', or None."""
    closed_early = plan.path[1:] == (DQ,)
    if closed_early and plan.dq_reason == "opted_out":
        return "opted_out", "created"
    unknown = 0.5 if plan.dq_reason == "invalid_contact" else 0.2
    if closed_early and not plan.outbound and rng.random() < unknown:
        return "unknown", None
    if plan.outbound:
        return "soft_opt_in", "created"
    if plan.source == "reactivation":
        return rng.choice(("opted_in", "soft_opt_in")), "before"
    return "opted_in", "created"
