"""One shared pilot report that every pilot format and the playbook page are pinned against.

It holds each case a renderer must handle: a count by month with part months and
groups, a share with expected ranges and leads without a value, a rate by group,
a rate split by reason with a hostile value from the export, a duration with its
window, stages and steps judged one by one (one with no data), each way a KPI
can be not measurable, and a funnel with a move the lifecycle does not allow.
"""

from __future__ import annotations

import datetime as dt

from leadspec.pilot.report import Funnel, FunnelMove, FunnelStage, InputFile, Item, KpiResult, PilotReport

HOSTILE_REASON = "<b>budget</b> | gone & lost"

KPIS = (
    KpiResult(
        "leads_per_month",
        "Leads per month",
        "count",
        "count",
        "missed",
        41.5,
        50,
        200,
        "41.5 is below the minimum of 50 (average of 2 whole months)",
        (("leads", 97), ("months", 2)),
        (
            Item("2026-02", 12.0, 12, complete=False, groups=(("inbound", 9), ("partner", 3), (None, 0))),
            Item("2026-03", 40.0, 40, complete=True, groups=(("inbound", 31), ("partner", 8), (None, 1))),
            Item("2026-04", 43.0, 43, complete=True, groups=(("inbound", 30), ("partner", 13), (None, 0))),
            Item("2026-05", 2.0, 2, complete=False, groups=(("inbound", 2), ("partner", 0), (None, 0))),
        ),
    ),
    KpiResult(
        "cost_per_lead",
        "Cost per lead",
        "currency",
        None,
        "not_measurable",
        None,
        15,
        50,
        "Spend is not in the CRM.",
    ),
    KpiResult(
        "source_mix",
        "Source mix",
        "percent",
        "share",
        "met",
        58.76,
        None,
        60,
        "58.76% is within the maximum of 60% (largest: inbound)",
        (("leads", 97), ("largest", "inbound")),
        (
            Item("inbound", 58.76, 57, expected=(45.0, 60.0)),
            Item("partner", 40.21, 39, expected=(10.0, 20.0)),
            Item(None, 1.03, 1),
        ),
    ),
    KpiResult(
        "speed_to_first_contact",
        "Speed to first contact",
        "minutes",
        "duration",
        "missed",
        7.5,
        None,
        5,
        "7.5 min is above the maximum of 5 min (median of 30 leads; 90% inside their first_response window)",
        (("leads", 30), ("median", 7.5), ("p90", 41.2), ("mean", 12.25), ("within_window", 90.0)),
    ),
    KpiResult(
        "qualification_rate",
        "Qualification rate",
        "percent",
        "rate",
        "met",
        30.93,
        25,
        35,
        "30.93% is within 25% to 35% (30 of 97 leads)",
        (("leads", 97), ("matched", 30)),
        (Item("inbound", 31.94, 72, matched=23), Item("partner", 28.0, 25, matched=7)),
    ),
    KpiResult(
        "days_in_stage",
        "Days in stage",
        "days",
        "stage_days",
        "met",
        6.2,
        None,
        10,
        "every stage is within target; closest to its edge: SAL, 6.2 days is within the maximum of 10 days",
        (("stays", 51),),
        (
            Item("marketing_qualified", 0.42, 30, status="met"),
            Item("sales_accepted", 6.2, 21, status="met"),
            Item("sales_qualified", None, 0, status="not_measurable"),
        ),
    ),
    KpiResult(
        "stage_conversion",
        "Stage conversion",
        "percent",
        "conversion",
        "missed",
        33.33,
        40,
        None,
        "MQL to SAL: 33.33% is below the minimum of 40%",
        (("departures", 127), ("forward", 55)),
        (
            Item("inquiry", 41.67, 96, to="marketing_qualified", matched=40, status="met"),
            Item("marketing_qualified", 33.33, 30, to="sales_accepted", matched=10, status="missed"),
            Item("sales_accepted", 100.0, 1, to="sales_qualified", matched=1, status="met"),
        ),
    ),
    KpiResult(
        "disqualification_rate",
        "Disqualification rate",
        "percent",
        "rate",
        "met",
        62.5,
        30,
        70,
        "62.5% is within 30% to 70% (25 of 40 leads)",
        (("leads", 40), ("matched", 25)),
        (Item("no_fit", 60.0, 15), Item("unresponsive", 36.0, 9), Item(HOSTILE_REASON, 4.0, 1)),
    ),
    KpiResult(
        "mql_acceptance_rate",
        "MQL acceptance rate",
        "percent",
        "rate",
        "not_measurable",
        None,
        70,
        None,
        "the mapping 'crm' gives sal_at no column, constant or derivation",
    ),
    KpiResult(
        "lead_velocity",
        "Lead velocity",
        "days",
        "duration",
        "not_measurable",
        None,
        None,
        30,
        "no lead in the period has both created_at and sql_at and matches motion = 'b2b'",
        (("leads", 0), ("median", None), ("p90", None), ("mean", None)),
    ),
    KpiResult(
        "offers_made",
        "Offers made",
        "count",
        None,
        "not_measurable",
        None,
        8,
        None,
        "the spec gives this KPI no measure; add 'measure:' to it in definitions/kpis.yaml",
    ),
)

FUNNEL = Funnel(
    history=True,
    leads=97,
    stages=(
        FunnelStage("inquiry", "Inquiry", 96, 1),
        FunnelStage("marketing_qualified", "Marketing-qualified lead", 40, 10),
        FunnelStage("nurture", "Nurture", 35, 30),
        FunnelStage("sales_accepted", "Sales-accepted lead", 10, 9),
        FunnelStage("sales_qualified", "Sales-qualified lead", 1, 0),
        FunnelStage("converted", "Converted to opportunity", 1, 1),
        FunnelStage("disqualified", "Disqualified", 25, 25),
    ),
    moves=(
        FunnelMove("inquiry", "marketing_qualified", 40, 41.67, True),
        FunnelMove("inquiry", "nurture", 35, 36.46, True),
        FunnelMove("inquiry", "disqualified", 21, 21.88, True),
        FunnelMove("marketing_qualified", "nurture", 5, 16.67, True),
        FunnelMove("marketing_qualified", "sales_accepted", 10, 33.33, True),
        FunnelMove("marketing_qualified", "disqualified", 4, 13.33, True),
        FunnelMove("marketing_qualified", "converted", 11, 36.67, False),
        FunnelMove("sales_accepted", "sales_qualified", 1, 100.0, True),
        FunnelMove("sales_qualified", "converted", 1, 100.0, True),
    ),
)


def sample_pilot() -> PilotReport:
    return PilotReport(
        process="Northwind Lead Management Process",
        version="1.0",
        mapping="crm",
        as_of=dt.datetime(2026, 5, 4, 13, 0),
        period_from=dt.date(2026, 2, 16),
        period_to=dt.date(2026, 5, 4),
        team=("005A", "005B"),
        inputs=(
            InputFile("leads", "leads.csv", "5e1f" * 16, 97),
            InputFile("events", "events.csv", "b77c" * 16, 640),
        ),
        leads=97,
        kpis=KPIS,
        funnel=FUNNEL,
    )


def without_history() -> PilotReport:
    """The same pilot read from an export that has no history file."""
    report = sample_pilot()
    stages = tuple(FunnelStage(s.id, s.name, None, s.current) for s in report.funnel.stages)
    funnel = Funnel(False, report.funnel.leads, stages, ())
    return PilotReport(
        report.process,
        report.version,
        report.mapping,
        report.as_of,
        report.period_from,
        report.period_to,
        (),
        report.inputs[:1],
        report.leads,
        report.kpis,
        funnel,
    )
