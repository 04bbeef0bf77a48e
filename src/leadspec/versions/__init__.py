"""Versions of the spec: frozen releases, the gates before a release, the semantic diff.

After `render` in the pipeline (the diff words windows and targets as the pages do),
before the MkDocs plugin, which shows the version history. A release freezes the
whole resolved spec into process/releases/<version>.yaml; `diff` compares any two
releases or a release and the working files, in the terms people use; `backtest`
runs both versions' rules on one CRM export.
"""

from __future__ import annotations

from .backtest import Backtest, backtest
from .diff import Change, diff
from .freeze import WORKING, Snapshot, VersionError, freeze, frozen, resolve, working
from .gates import PilotEvidence, read_pilot_report, unmet
from .history import history_data, load_history
from .release import GateRefused, Plan, plan_release

__all__ = [
    "WORKING",
    "Backtest",
    "Change",
    "GateRefused",
    "PilotEvidence",
    "Plan",
    "Snapshot",
    "VersionError",
    "backtest",
    "diff",
    "freeze",
    "frozen",
    "history_data",
    "load_history",
    "plan_release",
    "read_pilot_report",
    "resolve",
    "unmet",
    "working",
]
