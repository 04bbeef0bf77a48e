"""The result of checking an export: what every report format renders.

Plain frozen records with no behaviour beyond derived totals (the summary, the exit
status), so that renderers (terminal, JSON, JUnit, Markdown) and the playbook read
one shape; `Report.from_json` reads the JSON format back, the one place that does.
Everything is sorted when built, so the same inputs give the same bytes in every
format.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from ..data.records import DataFinding, InputFile

FORMAT_VERSION = 2  # 2: the status `skipped`, for a rule the export gives no data for
Status = Literal["pass", "fail", "warn", "skipped"]

__all__ = [
    "DataFinding",
    "FailureModeStatus",
    "InputFile",
    "Report",
    "ReportFormatError",
    "RuleResult",
    "Sample",
]


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
    engine: str = "duckdb"  # where the rules ran: duckdb, postgresql or spark
    format_version: int = field(default=FORMAT_VERSION)

    @property
    def failed(self) -> bool:
        """True when an error-severity rule is over its threshold, or under `strict` when any
        rule warned or could not be measured: exit status 1."""
        failing = ("fail", "warn", "skipped") if self.strict else ("fail",)
        return any(r.status in failing for r in self.rules)

    @property
    def exit_status(self) -> int:
        """1 when the report failed, else 0 (2, unusable input, never has a Report)."""
        return 1 if self.failed else 0

    @property
    def summary(self) -> dict[str, int | bool]:
        """The totals every format states, in the JSON report's order."""
        statuses = [r.status for r in self.rules]
        return {
            "rules": len(self.rules),
            "passed": statuses.count("pass"),
            "failed": statuses.count("fail"),
            "warned": statuses.count("warn"),
            "skipped": statuses.count("skipped"),
            "violations": sum(r.violations for r in self.rules),
            "exit_status": self.exit_status,
            "strict": self.strict,
        }

    @classmethod
    def from_json(cls, document: str | dict[str, Any]) -> Report:
        """A report read back from its JSON form, the inverse of `render.report_json`.

        Raises ReportFormatError when the document is not a report of this format.
        """
        data = json_document(document, "conformance", FORMAT_VERSION)
        try:
            return cls(
                process=data["process"]["name"],
                version=str(data["process"]["version"]),
                mapping=data["mapping"],
                as_of=dt.datetime.fromisoformat(data["as_of"].removesuffix("Z")),
                inputs=tuple(
                    InputFile(i["role"], i["name"], i["sha256"], int(i["rows"])) for i in data["inputs"]
                ),
                leads=int(data["leads"]),
                rules=tuple(_rule(r) for r in data["rules"]),
                data_findings=tuple(
                    DataFinding(f["code"], f["column"], int(f["count"]), f["message"], tuple(f["examples"]))
                    for f in data["data_findings"]
                ),
                failure_modes=tuple(
                    FailureModeStatus(m["id"], m["name"], m["happening"], tuple(m["rules"]))
                    for m in data["failure_modes"]
                ),
                strict=bool(data["summary"]["strict"]),
                engine=str(data.get("engine", "duckdb")),  # NOTE: reports before engines had none
            )
        except ReportFormatError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ReportFormatError(f"the conformance report is not complete: {exc!r}") from None


class ReportFormatError(ValueError):
    """A JSON document that is not a report of the format this leadspec writes."""


def json_document(document: str | dict[str, Any], kind: str, version: int) -> dict[str, Any]:
    """The parsed document, once it is a JSON object of the expected format version."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError as exc:
            raise ReportFormatError(f"the {kind} report is not JSON ({exc})") from None
    if not isinstance(document, dict):
        raise ReportFormatError(f"a {kind} report is a JSON object")
    found = document.get("format_version")
    if found != version:
        raise ReportFormatError(
            f"{kind} report format {found!r} is not {version}; write the report again with this leadspec"
        )
    return document


def _rule(raw: dict[str, Any]) -> RuleResult:
    return RuleResult(
        id=raw["id"],
        kind=raw["kind"],
        description=raw["description"],
        severity=raw["severity"],
        checked=int(raw["checked"]),
        violations=int(raw["violations"]),
        allowed=int(raw["allowed"]),
        threshold=raw["threshold"],
        doc=raw["doc"],
        samples=tuple(
            Sample(s["lead_id"], s["detail"], s["stage"], s["owner_id"], s["source_category"], s["age_days"])
            for s in raw["samples"]
        ),
        stage=raw["stage"],
        failure_modes=tuple(raw["failure_modes"]),
        skipped=raw["skipped_because"],
    )
