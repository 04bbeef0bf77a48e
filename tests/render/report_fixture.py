"""One shared Report that every report format is snapshot-tested against.

It holds each case a renderer must handle: a failing error rule with samples, a
warning over its threshold, rules passing with and without violations, a rule
that checked no leads, an exit criterion with its stage, data findings, a failure
mode happening and one no data can detect. One sample carries a hostile lead id
and detail (`|`, `<b>`, `&`, a newline) to prove every format escapes them.
"""

from __future__ import annotations

import datetime as dt

from leadspec.conformance.report import DataFinding, FailureModeStatus, InputFile, Report, RuleResult, Sample

HOSTILE_LEAD_ID = "L-0042|<b>bold</b>&co"
HOSTILE_DETAIL = "routed to <script>alert(1)</script>\nthen | split & lost"

AS_OF = dt.datetime(2026, 6, 30, 12, 0)
INPUTS = (
    InputFile("leads", "leads.csv", "3f1c" * 16, 48),
    InputFile("events", "events.csv", "a09e" * 16, 212),
)

RULES = (
    RuleResult(
        id="consent_recorded",
        kind="required_field",
        description="Every lead has a consent status from the moment it is captured.",
        severity="error",
        checked=48,
        violations=0,
        allowed=0,
        threshold="0 leads",
        doc="reference/checks/#consent_recorded",
    ),
    RuleResult(
        id="first_response_met",
        kind="response_window",
        description="New inbound leads are first contacted within the response window.",
        severity="error",
        checked=40,
        violations=7,
        allowed=4,
        threshold="10% of checked leads",
        doc="reference/checks/#first_response_met",
        samples=(
            Sample(
                "L-0003",
                "first contact 31.5 business hours after routing",
                "sales_accepted",
                "005B",
                "paid_search",
                12.5,
            ),
            Sample(
                "L-0017",
                "no first contact 52 business hours after routing",
                "marketing_qualified",
                None,
                "webinar",
                3.0,
            ),
            Sample(HOSTILE_LEAD_ID, HOSTILE_DETAIL, None, None, None, None),
        ),
        failure_modes=("cherry_picking", "unlimited_inbound_no_standard"),
    ),
    RuleResult(
        id="nurture_track_present",
        kind="required_field",
        description="Leads in nurture are enrolled on a track instead of waiting with nothing sent.",
        severity="error",
        checked=60,
        violations=1,
        allowed=1,
        threshold="2% of checked leads",
        doc="reference/checks/#nurture_track_present",
        samples=(Sample("L-0101", "nurture_track is empty", "nurture", "005C", "event", 40.2),),
    ),
    RuleResult(
        id="stage_response_met",
        kind="response_window",
        description="Leads accepted by sales are worked within the stage's response window.",
        severity="warning",
        checked=30,
        violations=5,
        allowed=3,
        threshold="10% of checked leads",
        doc="reference/checks/#stage_response_met",
        samples=(
            Sample(
                "L-0008",
                "no activity 3 business days after acceptance",
                "sales_accepted",
                "005A",
                "referral",
                9.0,
            ),
            Sample(
                "L-0021",
                "no activity 5 business days after acceptance",
                "sales_accepted",
                "005B",
                "paid_search",
                7.5,
            ),
        ),
    ),
    RuleResult(
        id="stale_marketing_leads",
        kind="max_time_in_stage",
        description="Leads do not wait in a marketing stage past its time limit.",
        severity="warning",
        checked=0,
        violations=0,
        allowed=0,
        threshold="5% of checked leads",
        doc="reference/checks/#stale_marketing_leads",
        failure_modes=("ageing_leads",),
    ),
    RuleResult(
        id="marketing_qualified.score_reached",
        kind="expression",
        description="The lead's score has reached the MQL threshold for its motion.",
        severity="error",
        checked=18,
        violations=0,
        allowed=0,
        threshold="0 leads",
        doc="stages/marketing_qualified/#exit-criteria",
        stage="marketing_qualified",
    ),
    RuleResult(
        id="consent_before_contact",
        kind="consent_before_contact",
        description="No one is contacted before consent allows it.",
        severity="error",
        checked=0,
        violations=0,
        allowed=0,
        threshold="0 leads",
        doc="reference/checks/#consent_before_contact",
        skipped="the export gives no data for consent_at, consent_status",
    ),
    RuleResult(
        id="transitions_follow_lifecycle",
        kind="allowed_transitions",
        description="Every stage change is an edge of the lifecycle.",
        severity="error",
        checked=0,
        violations=0,
        allowed=0,
        threshold="0 leads",
        doc="reference/checks/#transitions_follow_lifecycle",
        skipped="no history file was given; the rule reads stage, owner or activity changes",
    ),
)

DATA_FINDINGS = (
    # The messages as the data step words them: the count in its own unit, no final stop.
    DataFinding(
        "unmapped_status",
        "Lead Status",
        3,
        "3 rows: a status no stage claims; add it to a stage's crm_status or to values.stage in the mapping",
        ("Lost | Other", "<i>Recycled</i>"),
    ),
    DataFinding(
        "unparseable_timestamp",
        "First Contact",
        1,
        "1 row: matches none of timestamps.formats, so first_contact_at is empty; add the "
        "format to the mapping",
        ("31/02/2026 9am",),
    ),
)

FAILURE_MODES = (
    FailureModeStatus(
        "unlimited_inbound_no_standard",
        "Unlimited inbound with no response standard",
        True,
        ("first_response_met",),
    ),
    FailureModeStatus("no_shared_definition", "No shared definition of a lead", None, ()),
)


def sample_report() -> Report:
    """Six rules: one failing, one warning, four passing (one with no leads in scope)."""
    return Report(
        process="Northwind Lead Process",
        version="2.3.0",
        mapping="hubspot",
        as_of=AS_OF,
        inputs=INPUTS,
        leads=48,
        rules=RULES,
        data_findings=DATA_FINDINGS,
        failure_modes=FAILURE_MODES,
    )


def empty_report() -> Report:
    """A spec with no rules, run on an empty export."""
    return Report(
        process="Northwind Lead Process",
        version="2.3.0",
        mapping="generic",
        as_of=AS_OF,
        inputs=(InputFile("leads", "leads.csv", "e3b0" * 16, 0),),
        leads=0,
        rules=(),
    )
