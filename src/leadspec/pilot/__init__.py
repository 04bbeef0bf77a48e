"""Pilot KPI reports: the spec's KPIs measured on a CRM export and judged by their targets.

spec -> rules -> data -> conformance -> **pilot**. Each KPI in definitions/kpis.yaml
says how data measures it (`measure:`) or why data cannot (`not_measurable:`).
`run_pilot` compiles every measure to SQL over the canonical tables the data step
built, for a team of owners and a period, and returns a `PilotReport`: each KPI
met, missed or not measurable with the reason, and the lifecycle as the leads
really moved through it. Version 1.0 of a process is approved on this report.
"""

from __future__ import annotations

from .report import (
    FORMAT_VERSION,
    Funnel,
    FunnelMove,
    FunnelStage,
    Item,
    KpiResult,
    PilotReport,
)
from .run import amount, judge, run_pilot

__all__ = [
    "FORMAT_VERSION",
    "Funnel",
    "FunnelMove",
    "FunnelStage",
    "Item",
    "KpiResult",
    "PilotReport",
    "amount",
    "judge",
    "run_pilot",
]
