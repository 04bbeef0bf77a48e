"""Run every check on the canonical tables in DuckDB and gather the results in a Report.

The export has been read once into `leads` and `lead_events` (the data step); each
check is one query over those in-memory tables, and its violating rows land in a
`violations` table from which counts, samples and the violations CSV are read.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path

import duckdb
from sqlglot import exp

from ..rules import KINDS, Context, query
from ..rules.base import literal, scope_condition, timestamp
from ..spec.models import Check, Spec
from .checks import all_checks
from .report import DataFinding, FailureModeStatus, InputFile, Report, RuleResult, Sample

Trace = Callable[[str, str, int], None]  # rule id, SQL, violating rows


def run_checks(
    con: duckdb.DuckDBPyConnection,
    spec: Spec,
    *,
    as_of: dt.datetime,
    mapping: str,
    inputs: tuple[InputFile, ...] = (),
    data_findings: tuple[DataFinding, ...] = (),
    samples: int = 5,
    trace: Trace | None = None,
) -> Report:
    ctx = Context(spec, as_of)
    con.execute("CREATE OR REPLACE TABLE violations (rule_id VARCHAR, lead_id VARCHAR, detail VARCHAR)")
    results = []
    for check, stage, doc in all_checks(spec):
        sql = query(check, ctx).sql(dialect="duckdb")
        con.execute(f"INSERT INTO violations SELECT {literal(check.id).sql()}, lead_id, detail "
                    f"FROM ({sql})")
        results.append(_result(con, check, stage, doc, spec, ctx, samples, trace, sql))
    leads = con.execute("SELECT COUNT(*) FROM leads").fetchone()[0]
    return Report(
        process=spec.process.name,
        version=spec.process.version,
        mapping=mapping,
        as_of=as_of,
        inputs=inputs,
        leads=leads,
        rules=tuple(results),
        data_findings=tuple(sorted(data_findings, key=lambda f: (f.code, f.column))),
        failure_modes=_failure_modes(spec, results),
    )


def _result(con: duckdb.DuckDBPyConnection, check: Check, stage: str | None, doc: str,
            spec: Spec, ctx: Context, samples: int, trace: Trace | None, sql: str) -> RuleResult:
    kind = KINDS[check.kind]
    scope = scope_condition(check, by_current_stage=not kind.stages_from_history)
    checked = con.execute(f"SELECT COUNT(*) FROM leads WHERE {scope.sql('duckdb')}").fetchone()[0]
    rule_id = literal(check.id).sql()
    violating, rows = con.execute(
        f"SELECT COUNT(DISTINCT lead_id), COUNT(*) FROM violations WHERE rule_id = {rule_id}"
    ).fetchone()
    if trace:
        trace(check.id, sql, rows)
    threshold = check.threshold
    allowed = (threshold.count if threshold.count is not None
               else math.floor(threshold.percent * checked / 100))  # type: ignore[operator]
    described = (f"{threshold.count} leads" if threshold.count is not None
                 else f"{threshold.percent:g}% of checked leads")
    return RuleResult(
        id=check.id,
        kind=check.kind,
        description=" ".join(check.description.split()),
        severity=check.severity,
        checked=checked,
        violations=violating,
        allowed=allowed,
        threshold=described,
        doc=doc,
        samples=_samples(con, check.id, ctx.as_of, samples),
        stage=stage,
        failure_modes=tuple(sorted(f.id for f in spec.failure_modes
                                   if check.id in f.detection.checks)),
    )


def _samples(con: duckdb.DuckDBPyConnection, rule_id: str, as_of: dt.datetime,
             limit: int) -> tuple[Sample, ...]:
    rows = con.execute(f"""
        SELECT v.lead_id, v.detail, l.stage, l.owner_id, l.source_category,
               ROUND(date_diff('second', l.created_at, {timestamp(as_of).sql('duckdb')}) / 86400.0, 1)
        FROM violations AS v LEFT JOIN leads AS l ON l.lead_id = v.lead_id
        WHERE v.rule_id = {literal(rule_id).sql()}
        ORDER BY v.lead_id, v.detail LIMIT {int(limit)}
    """).fetchall()
    return tuple(Sample(*row) for row in rows)


def _failure_modes(spec: Spec, results: list[RuleResult]) -> tuple[FailureModeStatus, ...]:
    by_id = {r.id: r for r in results}
    statuses = []
    for fm in spec.failure_modes:
        rules = tuple(c for c in fm.detection.checks if c in by_id)
        happening = any(by_id[c].status != "pass" for c in rules) if rules else None
        statuses.append(FailureModeStatus(fm.id, fm.name, happening, rules))
    return tuple(statuses)


def write_violations_csv(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """One row per violation, for a clean-up list back in the CRM; no personal fields."""
    target = exp.Literal.string(str(path)).sql()
    con.execute(f"""
        COPY (SELECT v.lead_id, v.rule_id, l.stage, l.owner_id, v.detail
              FROM violations AS v LEFT JOIN leads AS l ON l.lead_id = v.lead_id
              ORDER BY v.lead_id, v.rule_id, v.detail)
        TO {target} (HEADER, DELIMITER ',')
    """)
