"""A conformance Report as versioned JSON: the hub format other tools read.

Dashboards, the playbook and scripts in CI read this document rather than the
terminal text, so its shape is documented field by field in
`docs/reference/report-format.md` and versioned by `format_version`: additive
changes keep the version, breaking ones bump it. Keys come in a fixed order and
rates are rounded, so the same Report always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from ..conformance.report import (
    DataFinding,
    FailureModeStatus,
    Report,
    RuleResult,
    Sample,
)
from .wording import iso_timestamp

RATE_DECIMALS = 6


def _sample(sample: Sample) -> dict[str, Any]:
    return {
        "lead_id": sample.lead_id,
        "detail": sample.detail,
        "stage": sample.stage,
        "owner_id": sample.owner_id,
        "source_category": sample.source_category,
        "age_days": sample.age_days,
    }


def _rule(rule: RuleResult) -> dict[str, Any]:
    return {
        "id": rule.id,
        "kind": rule.kind,
        "stage": rule.stage,
        "description": rule.description,
        "severity": rule.severity,
        "status": rule.status,
        "skipped_because": rule.skipped,
        "checked": rule.checked,
        "violations": rule.violations,
        "rate": round(rule.rate, RATE_DECIMALS),
        "allowed": rule.allowed,
        "threshold": rule.threshold,
        "doc": rule.doc,
        "failure_modes": list(rule.failure_modes),
        "samples": [_sample(s) for s in rule.samples],
    }


def _finding(finding: DataFinding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "column": finding.column,
        "count": finding.count,
        "message": finding.message,
        "examples": list(finding.examples),
    }


def _failure_mode(mode: FailureModeStatus) -> dict[str, Any]:
    return {"id": mode.id, "name": mode.name, "happening": mode.happening, "rules": list(mode.rules)}


def as_dict(report: Report) -> dict[str, Any]:
    """The document before serialising, for callers that embed it in a larger one."""
    return {
        "format_version": report.format_version,
        "process": {"name": report.process, "version": report.version},
        "mapping": report.mapping,
        "engine": report.engine,
        "as_of": iso_timestamp(report.as_of),
        "inputs": [dataclasses.asdict(i) for i in report.inputs],
        "leads": report.leads,
        "summary": report.summary,
        "rules": [_rule(r) for r in report.rules],
        "data_findings": [_finding(f) for f in report.data_findings],
        "failure_modes": [_failure_mode(m) for m in report.failure_modes],
    }


def as_json(report: Report) -> str:
    """The full report, two-space indented, UTF-8 text, ending in a newline."""
    return json.dumps(as_dict(report), indent=2, sort_keys=False, ensure_ascii=False) + "\n"
