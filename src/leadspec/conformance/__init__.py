"""Conformance: the spec's rules run on an export's canonical tables, gathered in a Report.

Between the data step (which fills `leads` and `lead_events`) and the renderers
(which print the Report). Nothing here reads files or formats output.
"""

from __future__ import annotations

from .report import Report
from .run import RuleRunError, run_checks, write_violations_csv

__all__ = ["Report", "RuleRunError", "run_checks", "write_violations_csv"]
