"""Planted defects: one departure from the process each, on a lead that is otherwise clean.

Each plant names the journey it needs (a `Scenario`), what it changes, and the exact
rule ids it breaks, worked out from the rule definitions. Some rules cannot be
broken alone, since another rule reads the same fields: a missing owner on a routed
MQL also breaks `owner_present` and the MQL entry condition, so that plant declares
all three. Rules that read the history are declared only when the CRM's mapping
reads one (`history_rules`), and plants that exist only in the history
(`needs_history`) are left out for CRMs without it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from .clock import DAY
from .context import Capabilities, SampleContext
from .journey import opportunity_id
from .model import DQ, INQ, MQL, NUR, SAL, SQL, WON, Knobs, Lead, Scenario


@dataclass(frozen=True)
class Aid:
    """What a plant may use besides the lead: randomness, the context, an earlier lead."""

    rng: random.Random
    ctx: SampleContext
    original: tuple[int, str] | None = None  # created_at and email of an earlier lead


Apply = Callable[[Lead, Aid], None]


@dataclass(frozen=True)
class Plant:
    name: str
    defect: str  # what is wrong with the lead, as a person would say it
    scenario: Scenario
    rules: frozenset[str]
    apply: Apply | None = None
    history_rules: frozenset[str] = frozenset()
    needs_history: bool = False
    needs_original: bool = False

    def applicable(self, caps: Capabilities) -> bool:
        sc = self.scenario
        return (
            (caps.history or not self.needs_history)
            and (sc.motion is None or sc.motion in caps.motions)
            and (sc.source is None or sc.source in caps.sources)
            and (not sc.outbound or "outbound" in caps.sources)
        )

    def expected(self, caps: Capabilities) -> frozenset[str]:
        return self.rules | (self.history_rules if caps.history else frozenset())


def _set(**values: object) -> Apply:
    def apply(lead: Lead, aid: Aid) -> None:
        lead.fields.update(values)

    return apply


def _consent_after_contact(lead: Lead, aid: Aid) -> None:
    lead.fields["consent_at"] = lead.fields["first_contact_at"] + aid.rng.randint(60, 5 * DAY)


def _contact_after_acceptance(lead: Lead, aid: Aid) -> None:
    sal = lead.fields["sal_at"]
    lead.fields["first_contact_at"] = min(e.at for e in lead.events if e.kind == "activity" and e.at > sal)


def _between(first: str, second: str) -> Apply:
    """Move created_at to after `first`, as a re-import that reset the creation date does."""

    def apply(lead: Lead, aid: Aid) -> None:
        low, high = lead.fields[first], lead.fields[second]
        lead.fields["created_at"] = aid.rng.randint(low + 1, high - 1)

    return apply


def _created_after_close(lead: Lead, aid: Aid) -> None:
    closed = lead.fields["disqualified_at"]
    lead.fields["created_at"] = min(aid.ctx.as_of, closed + aid.rng.randint(60, 3 * DAY))


def _below_mql(lead: Lead, aid: Aid) -> None:
    mql = aid.ctx.threshold(lead.fields["motion"], "mql_score")
    lead.fields["intent_score"] = aid.rng.randint(max(0, mql - 10), mql - 1)


def _below_sql(lead: Lead, aid: Aid) -> None:
    motion = lead.fields["motion"]
    low, high = aid.ctx.threshold(motion, "mql_score"), aid.ctx.threshold(motion, "sql_score")
    lead.fields["intent_score"] = aid.rng.randint(low, high - 1)


def _opportunity(lead: Lead, aid: Aid) -> None:
    lead.fields["opportunity_id"] = opportunity_id(lead.number)


def _duplicate(lead: Lead, aid: Aid) -> None:
    assert aid.original is not None
    local, _, domain = aid.original[1].partition("@")
    lead.fields["email"] = f"{local.title()}@{domain}"


def _hidden(lead: Lead, aid: Aid) -> None:
    lead.history = False
    lead.fields["nurture_at"] = None


def _owner_removed(lead: Lead, aid: Aid) -> None:
    lead.fields["owner_id"] = None


SALES = (INQ, MQL, SAL)
QUALIFIED = (INQ, MQL, SAL, SQL)
WON_PATH = (INQ, MQL, SAL, SQL, WON)
BYPASS = frozenset(
    {"no_qualification_bypass", "inquiry.inq_meets_mql_threshold", "marketing_qualified.mql_fit_and_intent"}
)
TRANSITIONS = frozenset({"transitions_follow_lifecycle"})


def _sql_answer(field: str, value: object, criterion: str) -> Plant:
    return Plant(
        f"sql_{criterion}",
        f"an SQL whose {field} is {value!r}",
        Scenario(QUALIFIED, open=True),
        frozenset(
            {"sql_criteria_confirmed", "sales_qualified.sql_criteria_met", f"sales_accepted.sal_{criterion}"}
        ),
        _set(**{field: value}),
    )


CATALOGUE: tuple[Plant, ...] = (
    Plant(
        "company_missing",
        "a B2B lead in sales without a company",
        Scenario(SALES, open=True, motion="b2b"),
        frozenset({"company_present_b2b"}),
        _set(company=None),
    ),
    Plant(
        "consent_after_contact",
        "consent recorded days after the first call",
        Scenario((INQ, MQL, DQ), outbound=False, dq_reason="no_need"),
        frozenset({"consent_before_contact"}),
        _consent_after_contact,
    ),
    Plant(
        "opted_out_after_contact",
        "a contacted lead that then opted out",
        Scenario((INQ, MQL, SAL, DQ), dq_reason="opted_out"),
        frozenset({"consent_before_contact"}),
    ),
    Plant(
        "consent_missing",
        "no consent status",
        Scenario((INQ, DQ), outbound=False, dq_reason="no_fit"),
        frozenset({"consent_recorded"}),
        _set(consent_status=None, consent_at=None),
    ),
    Plant(
        "consent_misspelt",
        "a consent status outside the list",
        Scenario((INQ, DQ), outbound=False, dq_reason="no_fit"),
        frozenset({"consent_value_allowed"}),
        _set(consent_status="Opted In"),
    ),
    Plant(
        "dq_reason_missing",
        "disqualified without a reason",
        Scenario((INQ, DQ), outbound=False, dq_reason="no_fit"),
        frozenset({"disqualified_with_reason", "disqualified.dq_reason_given"}),
        _set(disqualification_reason=None),
    ),
    Plant(
        "dq_reason_unknown",
        "disqualified with a reason outside the list",
        Scenario((INQ, DQ), outbound=False, dq_reason="no_fit"),
        frozenset({"disqualified_with_reason", "disqualified.dq_reason_given"}),
        _set(disqualification_reason="budget"),
    ),
    Plant(
        "fit_grade_unknown",
        "a fit grade outside A to D",
        Scenario((INQ, DQ), outbound=False, dq_reason="invalid_contact"),
        frozenset({"fit_grade_value_allowed"}),
        _set(fit_grade="E"),
    ),
    Plant(
        "first_response_late",
        "an MQL called hours after the first-response window",
        Scenario(
            (INQ, MQL, DQ), source="inbound", dq_reason="no_need", knobs=Knobs(late_first_response=True)
        ),
        frozenset({"first_response_met"}),
        needs_history=True,
    ),
    Plant(
        "mql_dropped_uncontacted",
        "an MQL disqualified without a contact attempt",
        Scenario((INQ, MQL, DQ), outbound=False, dq_reason="no_need", knobs=Knobs(no_mql_contact=True)),
        frozenset({"mql_contact_before_disqualify"}),
    ),
    Plant(
        "mql_below_threshold",
        "an MQL whose intent score is under the threshold",
        Scenario((INQ, MQL), open=True),
        frozenset(
            {
                "mql_meets_standard",
                "inquiry.inq_meets_mql_threshold",
                "marketing_qualified.mql_fit_and_intent",
            }
        ),
        _below_mql,
    ),
    Plant(
        "duplicate_email",
        "a second lead with an earlier lead's email in another case",
        Scenario((INQ, DQ), dq_reason="duplicate"),
        frozenset({"no_duplicate_leads"}),
        _duplicate,
        needs_original=True,
    ),
    Plant(
        "grade_c_in_sales",
        "a grade C lead accepted by sales",
        Scenario(SALES, open=True),
        BYPASS,
        _set(fit_grade="C"),
    ),
    Plant(
        "owner_gap",
        "the owner cleared for a while after routing",
        Scenario(SALES, open=True, outbound=False, knobs=Knobs(owner_gap=True)),
        frozenset({"one_owner"}),
        needs_history=True,
    ),
    Plant(
        "owner_missing",
        "a routed MQL without an owner",
        Scenario((INQ, MQL), open=True, outbound=False),
        frozenset({"one_owner", "owner_present", "marketing_qualified.mql_routed_to_one_owner"}),
        _owner_removed,
    ),
    Plant(
        "opportunity_in_nurture",
        "an opportunity on a lead recycled before it was an SQL",
        Scenario((INQ, MQL, SAL, NUR), open=True),
        frozenset({"opportunity_only_from_sql"}),
        _opportunity,
    ),
    Plant(
        "outbound_without_campaign",
        "an outbound lead without its sequence",
        Scenario((INQ, NUR), open=True, outbound=True),
        frozenset({"outbound_campaign_present"}),
        _set(campaign=None),
    ),
    Plant(
        "outbound_ungraded",
        "an outbound lead contacted without a fit grade",
        Scenario((INQ, DQ), outbound=True, dq_reason="unresponsive"),
        frozenset({"outbound_graded_before_contact"}),
        _set(fit_grade=None),
    ),
    Plant(
        "recycle_reason_missing",
        "an MQL sent back to nurture without a reason",
        Scenario((INQ, MQL, NUR), open=True),
        frozenset({"recycle_has_reason"}),
        _set(recycle_reason=None),
    ),
    Plant(
        "recycle_reason_unknown",
        "a recycle reason outside the list",
        Scenario((INQ, MQL, NUR), open=True),
        frozenset({"recycle_reason_value_allowed"}),
        _set(recycle_reason="bad timing"),
    ),
    Plant(
        "routed_before_mql",
        "an inquiry taken by an SDR before it qualified",
        Scenario((INQ, NUR), open=True, outbound=False, knobs=Knobs(early_owner=True)),
        frozenset({"routed_after_mql"}),
    ),
    Plant(
        "sales_not_ready",
        "an accepted lead that is only problem-aware",
        Scenario(SALES, open=True),
        frozenset({"sales_stage_readiness", "marketing_qualified.mql_ready_to_engage"}),
        _set(readiness="problem_aware"),
    ),
    Plant(
        "source_unknown",
        "a nurture lead whose source says nothing",
        Scenario((INQ, NUR), open=True, source="inbound"),
        frozenset({"source_known"}),
        _set(source_category=None),
    ),
    Plant(
        "source_unknown_in_sales",
        "an accepted lead whose source says nothing",
        Scenario(SALES, open=True, source="inbound"),
        frozenset({"source_known", "inquiry.inq_source_recorded"}),
        _set(source_category=None),
    ),
    _sql_answer("budget_confirmed", False, "budget_confirmed"),
    _sql_answer("need_confirmed", False, "need_confirmed"),
    _sql_answer("authority_confirmed", False, "authority_confirmed"),
    _sql_answer("timeline", "later", "timeline_near"),
    Plant(
        "enrolment_late",
        "a nurture lead enrolled days after the enrolment window",
        Scenario((INQ, NUR), open=True, knobs=Knobs(late_enrolment=True)),
        frozenset({"stage_response_met"}),
        needs_history=True,
    ),
    Plant(
        "nurture_too_long",
        "a lead left in nurture past the maximum",
        Scenario((INQ, NUR), open=True, stale=True),
        frozenset({"stale_marketing_leads"}),
        needs_history=True,
    ),
    Plant(
        "accepted_too_long",
        "an accepted lead left undecided past the qualification window",
        Scenario(SALES, open=True, stale=True),
        frozenset({"stale_sales_leads"}),
        needs_history=True,
    ),
    Plant(
        "created_after_mql",
        "a recycled lead re-imported after it was an MQL",
        Scenario((INQ, MQL, NUR), open=True),
        frozenset({"timestamps_in_order"}),
        _between("mql_at", "nurture_at"),
    ),
    Plant(
        "created_after_mql_in_sales",
        "an accepted lead re-imported after it was an MQL",
        Scenario(SALES, open=True),
        frozenset({"timestamps_in_order", "inquiry.inq_mql_stamped"}),
        _between("mql_at", "sal_at"),
    ),
    Plant(
        "reopened",
        "a disqualified lead put back into nurture",
        Scenario((INQ, DQ, NUR), open=True, outbound=False, dq_reason="invalid_contact"),
        TRANSITIONS,
        needs_history=True,
    ),
    Plant(
        "no_activity_date",
        "an accepted lead whose last activity date is empty",
        Scenario(SALES, open=True),
        frozenset({"worked_leads_have_activity"}),
        _set(last_activity_at=None),
    ),
    Plant(
        "unreachable",
        "an MQL with neither email nor phone",
        Scenario((INQ, MQL), open=True),
        frozenset({"inquiry.inq_reachable_person"}),
        _set(email=None, phone=None),
    ),
    Plant(
        "inquiry_without_consent",
        "a new inquiry without a consent status",
        Scenario((INQ,), open=True, outbound=False),
        frozenset({"consent_recorded", "inquiry.inq_consent_recorded"}),
        _set(consent_status=None, consent_at=None),
    ),
    Plant(
        "readiness_missing",
        "an MQL without a readiness level",
        Scenario((INQ, MQL), open=True),
        frozenset({"inquiry.inq_graded_scored"}),
        _set(readiness=None),
    ),
    Plant(
        "mql_consent_unknown",
        "a called MQL whose consent is unknown",
        Scenario((INQ, MQL), open=True),
        frozenset(
            {
                "inquiry.inq_contact_permitted",
                "marketing_qualified.mql_contact_permitted",
                "consent_before_contact",
            }
        ),
        _set(consent_status="unknown"),
    ),
    Plant(
        "first_contact_missing",
        "an accepted lead without a first contact time",
        Scenario(SALES, open=True, outbound=False),
        frozenset({"marketing_qualified.mql_first_attempt_logged", "sales_accepted.sal_contact_attempted"}),
        _set(first_contact_at=None),
    ),
    Plant(
        "contact_after_acceptance",
        "a lead accepted before anyone contacted it",
        Scenario(SALES, open=True, outbound=False),
        frozenset({"sales_accepted.sal_contact_attempted"}),
        _contact_after_acceptance,
    ),
    Plant(
        "acceptance_skipped",
        "an MQL handed to an AE without being accepted",
        Scenario((INQ, MQL, SQL), open=True),
        frozenset(
            {
                "marketing_qualified.mql_accepted",
                "sales_accepted.sal_accepted_by_owner",
                "sales_accepted.sal_contact_attempted",
                "sales_accepted.sal_sql_stamped",
                "worked_leads_have_activity",
            }
        ),
        history_rules=TRANSITIONS,
    ),
    Plant(
        "sql_intent_low",
        "an SQL under the SQL score",
        Scenario(QUALIFIED, open=True),
        frozenset({"sales_accepted.sal_intent_at_sql_threshold"}),
        _below_sql,
    ),
    Plant(
        "converted_without_owner",
        "a converted lead without an owner",
        Scenario(WON_PATH),
        frozenset(
            {
                "marketing_qualified.mql_routed_to_one_owner",
                "sales_accepted.sal_accepted_by_owner",
                "sales_qualified.sql_handed_over",
            }
        ),
        _owner_removed,
    ),
    Plant(
        "converted_without_opportunity",
        "a converted lead with no opportunity linked",
        Scenario(WON_PATH),
        frozenset({"sales_qualified.sql_opportunity_created", "converted.conv_opportunity_linked"}),
        _set(opportunity_id=None),
    ),
    Plant(
        "opportunity_without_value",
        "a converted lead whose opportunity is worth nothing",
        Scenario(WON_PATH),
        frozenset({"sales_qualified.sql_opportunity_valued", "converted.conv_valued"}),
        _set(opportunity_amount=0.0),
    ),
    Plant(
        "converted_from_sal",
        "a lead converted straight from SAL",
        Scenario((INQ, MQL, SAL, WON)),
        frozenset(
            {
                "converted.conv_came_from_sql",
                "sales_accepted.sal_sql_stamped",
                "sales_qualified.sql_handed_over",
                "opportunity_only_from_sql",
            }
        ),
        history_rules=TRANSITIONS,
    ),
    Plant(
        "disqualified_before_created",
        "a lead whose creation date is after its disqualification",
        Scenario((INQ, DQ), outbound=False, dq_reason="no_fit"),
        frozenset({"disqualified.dq_time_recorded"}),
        _created_after_close,
    ),
    Plant(
        "disqualified_with_opportunity",
        "a disqualified lead with an opportunity",
        Scenario((INQ, MQL, SAL, DQ), dq_reason="no_budget"),
        frozenset({"disqualified.dq_no_opportunity", "opportunity_only_from_sql"}),
        _opportunity,
    ),
    Plant(
        "nurture_grade_d",
        "a grade D lead in nurture",
        Scenario((INQ, NUR), open=True),
        frozenset({"nurture.nur_fits_market"}),
        _set(fit_grade="D"),
    ),
    Plant(
        "nurture_consent_unknown",
        "a nurture lead we may not email",
        Scenario((INQ, NUR), open=True, outbound=False),
        frozenset({"nurture.nur_may_email"}),
        _set(consent_status="unknown", consent_at=None),
    ),
    Plant(
        "nurture_without_track",
        "a nurture lead on no track",
        Scenario((INQ, NUR), open=True),
        frozenset({"nurture_track_present"}),
        _set(nurture_track=None),
    ),
    Plant(
        "nurture_before_history",
        "a nurture lead created before the history was kept",
        Scenario((INQ, NUR), open=True, outbound=False, hidden=True),
        frozenset({"nurture.nur_entry_stamped"}),
        _hidden,
    ),
)


def catalogue(caps: Capabilities) -> tuple[Plant, ...]:
    """The plants a CRM's export can carry."""
    return tuple(p for p in CATALOGUE if p.applicable(caps))
