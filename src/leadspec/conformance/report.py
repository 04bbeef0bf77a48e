"""The result of checking an export: what every report format renders.

Plain frozen records with no behaviour beyond derived totals, so that renderers
(terminal, JSON, JUnit, Markdown) and the playbook read one shape. Everything is
sorted when built, so the same inputs give the same bytes in every format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from ..data.records import DataFinding, InputFile

FORMAT_VERSION = 2  # 2: the status `skipped`, for a rule the export gives no data for
Status = Literal["pass", "fail", "warn", "skipped"]

__all__ = ["DataFinding", "FailureModeStatus", "InputFile", "Report", "RuleResult", "Sample"]


@dataclass(frozen=True)
class Sample:
    """One violating lead, with non-personal context a person can act on."""

    lead_id: str
    detail: str
    stage: str | None
    owner_id: str | None
    source_category: str | None
    age_days: float | None  # from created_at to the as-of time


@dataclass(frozen=True)
class RuleResult:
    id: str  # stable: a check id, or <stage>.<criterion> for exit criteria
    kind: str
    description: str
    severity: Literal["error", "warning"]
    checked: int  # leads the rule looked at
    violations: int
    allowed: int  # violations tolerated by the threshold, for this number of checked leads
    threshold: str  # as configured, e.g. "0 leads" or "5% of checked leads"
    doc: str  # playbook page (site-relative) that documents the rule
    samples: tuple[Sample, ...] = ()
    stage: str | None = None
    failure_modes: tuple[str, ...] = ()
    skipped: str | None = None  # why the export cannot show whether the rule holds; then not run

    @property
    def rate(self) -> float:
        return self.violations / self.checked if self.checked else 0.0

    @property
    def status(self) -> Status:
        if self.skipped is not None:
            return "skipped"
        if self.violations <= self.allowed:
            return "pass"
        return "fail" if self.severity == "error" else "warn"


@dataclass(frozen=True)
class FailureModeStatus:
    id: str
    name: str
    happening: bool | None  # None: no rule that can detect it was measured
    rules: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    process: str
    version: str
    mapping: str
    as_of: dt.datetime
    inputs: tuple[InputFile, ...]
    leads: int
    rules: tuple[RuleResult, ...]
    data_findings: tuple[DataFinding, ...] = ()
    failure_modes: tuple[FailureModeStatus, ...] = ()
    strict: bool = False  # warnings and rules the export cannot show fail the run too
    format_version: int = field(default=FORMAT_VERSION)

    @property
    def failed(self) -> bool:
        """True when an error-severity rule is over its threshold, or under `strict` when any
        rule warned or could not be measured: exit status 1."""
        failing = ("fail", "warn", "skipped") if self.strict else ("fail",)
        return any(r.status in failing for r in self.rules)
