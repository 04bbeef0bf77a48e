"""The conditions a version must meet before it is released.

0.5, the cross-functional draft: the spec validates with no errors, the functions
that plan the process together are all stakeholders, and every stage has its
definition, steps, exit criteria (entry conditions for an outcome) and job aids.
0.75, validated by the expert panel: also an approval of this version from every
stakeholder function. 1.0, proven in a pilot: also a pilot report in which every
KPI with a target met it, or a waiver recorded for this version for each that did
not. Gates add up: a later version meets every earlier gate too.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..conformance.report import ReportFormatError
from ..pilot.report import KpiResult, PilotReport
from ..render import wording
from ..spec import Severity, Spec
from ..spec.findings import Finding
from ..spec.models.process import version_key
from .freeze import VersionError

PLANNING_FUNCTIONS = ("sales", "marketing", "it", "finance")
APPROVAL_GATE = "0.75"
PILOT_GATE = "1.0"
_RESTATED = {"LS401", "LS402", "LS407", "LS408"}  # said again, per stage, by the 0.5 gate


@dataclass(frozen=True)
class PilotEvidence:
    """A pilot report as the 1.0 gate reads it: the file it came from and the report."""

    path: str
    report: PilotReport

    @property
    def version(self) -> str:
        return self.report.version

    def kpi(self, kpi_id: str) -> KpiResult | None:
        return next((k for k in self.report.kpis if k.id == kpi_id), None)


def read_pilot_report(path: Path) -> PilotEvidence:
    """A pilot report (`leadspec pilot --json`); VersionError when it is not one."""
    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VersionError(f"{shown}: cannot read the pilot report ({exc})") from None
    try:
        return PilotEvidence(shown, PilotReport.from_json(text))
    except ReportFormatError as exc:
        raise VersionError(f"{shown}: {exc}") from None


def unmet(
    version: str, spec: Spec | None, findings: list[Finding], pilot: PilotEvidence | None = None
) -> list[str]:
    """Every condition of the gates up to `version` that is not met; empty means release."""
    problems = [f.headline for f in findings if f.severity is Severity.ERROR and f.code.name not in _RESTATED]
    if spec is None:
        return problems or ["the spec does not load; run leadspec validate"]
    problems += _draft(spec)
    if version_key(version) >= version_key(APPROVAL_GATE):
        problems += _approvals(version, spec)
    if version_key(version) >= version_key(PILOT_GATE):
        problems += _pilot(version, spec, pilot)
    return problems


def _draft(spec: Spec) -> list[str]:
    problems = []
    present = {s.function for s in spec.process.stakeholders}
    for function in PLANNING_FUNCTIONS:
        if function not in present:
            problems.append(
                f"no stakeholder speaks for {function}: add one under stakeholders in process/process.yaml"
            )
    terminal = spec.terminal_stages
    for stage in spec.stages:
        missing = []
        if not stage.definition.strip():
            missing.append("a definition")
        if not stage.steps:
            missing.append("steps")
        if stage.id in terminal:
            if not stage.entry_conditions:
                missing.append("entry conditions (an outcome's exit criteria)")
        elif not stage.exit_criteria:
            missing.append("exit criteria")
        if not stage.job_aids:
            missing.append("job aids")
        if missing:
            problems.append(f"stage {stage.id} has no {_and(missing)}: add them to stages/{stage.id}.yaml")
    return problems


def _approvals(version: str, spec: Spec) -> list[str]:
    problems = []
    for holder in spec.process.stakeholders:
        given = sorted(
            (a for a in spec.process.approvals if a.version == version and a.function == holder.function),
            key=lambda a: a.date,
        )
        if not given:
            problems.append(
                f"no approval of {version} from {holder.function} "
                f"({holder.role} speaks for it): record it under approvals in "
                "process/process.yaml"
            )
        elif given[-1].decision == "rejected":
            latest = given[-1]
            problems.append(
                f"{holder.function} rejected {version} on {latest.date} "
                f"({latest.role}): record its approval once the changes are made"
            )
    return problems


def _pilot(version: str, spec: Spec, pilot: PilotEvidence | None) -> list[str]:
    if pilot is None:
        return [f"no pilot report: give the report of the {version} pilot with --pilot FILE"]
    if pilot.version != version:
        return [f"{pilot.path} reports the pilot of version {pilot.version}, not {version}"]
    waived = {w.kpi for w in spec.process.waivers if w.version == version}
    problems = []
    for kpi in spec.kpis:
        if kpi.target is None or kpi.id in waived:
            continue
        result = pilot.kpi(kpi.id)
        target = wording.target(kpi.target, kpi.unit)
        fix = f"; record a waiver for {version} under waivers in process/process.yaml"
        if result is None:
            problems.append(f"KPI {kpi.id} ({target}) is not in the pilot report and has no waiver{fix}")
        elif result.status == "missed":
            value = "" if result.value is None else f" with {wording.number(result.value)}"
            problems.append(f"KPI {kpi.id} missed its target ({target}){value} and has no waiver{fix}")
        elif result.status == "not_measurable":
            why = f" ({result.reason})" if result.reason else ""
            problems.append(f"KPI {kpi.id} could not be measured in the pilot{why} and has no waiver{fix}")
    return problems


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
