"""Run every check on the canonical tables in DuckDB and gather the results in a Report.

The export has been read once into `leads` and `lead_events` (the data step). Row
rules (a condition on each lead's own fields) are evaluated together in one scan of
`leads`; every other check is one query over the in-memory tables. Violating rows
land in a `violations` table from which counts, samples and the violations CSV are read.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import duckdb
from sqlglot import exp

from ..data.errors import ENGINE_STOPS, engine_reason
from ..data.privacy import mask, masked
from ..engines import ENGINE_ERRORS, Connection, Engine
from ..rules import KINDS, LeadsQuery, Plan, RowCondition, RuleContext, query
from ..rules.base import literal, one_decimal, scope_condition, timestamp
from ..rules.tables import derived_statements
from ..spec.checks import SpecCheck, all_checks
from ..spec.models import Check, Spec
from .report import (
    DataFinding,
    FailureModeStatus,
    InputFile,
    Report,
    RuleResult,
    Sample,
)

Trace = Callable[[str, str, float, int | None], None]  # label, its SQL, seconds, rows written


class RuleRunError(Exception):
    """A rule the engine could not evaluate on this export, named with the engine's reason.

    `validate` checks a rule's types, so what is left is data-dependent: a CAST of a value
    that is no number, a remainder by zero. Values the engine quotes are left out, since
    they come from the export.
    """

    def __init__(self, rule: str, error: Exception) -> None:
        self.rule = rule
        reason = engine_reason(error)
        super().__init__(
            f"rule '{rule}' could not be evaluated on this export: {reason}. A CAST "
            "of text that is no number or date fails on such a value (TRY_CAST gives "
            "NULL instead), and a divisor can be guarded with NULLIF(x, 0)"
        )


FLAGGED = "_leadspec_flagged"  # the leads that break some row rule, with a flag per rule


def run_checks(
    con: Connection,
    spec: Spec,
    *,
    as_of: dt.datetime,
    mapping: str,
    inputs: tuple[InputFile, ...] = (),
    data_findings: tuple[DataFinding, ...] = (),
    samples: int = 5,
    trace: Trace | None = None,
    unfed: frozenset[str] = frozenset(),
    history: bool = True,
    strict: bool = False,
    engine: str = "duckdb",
) -> Report:
    """Every check on the canonical tables.

    `unfed` names the fields the export gives no data for and `history` says whether a
    history was read: a check that needs either is skipped, with the reason, rather than
    passing or failing on empty columns. Under `strict` such a check, like a warning
    over its threshold, fails the run.
    """
    ctx = RuleContext(spec, as_of)
    checks = all_checks(spec)
    # NOTE: rules are numbered so the violations table stores a small integer, not the id.
    con.execute("CREATE OR REPLACE TABLE violations (rule INTEGER, lead_id VARCHAR, detail VARCHAR)")
    for name, statement in derived_statements(ctx).items():
        _timed(con, statement, name, trace)
    planned = [_planned(n, c.check, ctx, unfed, history) for n, c in enumerate(checks)]
    rows = [p for p in planned if p.skipped is None and isinstance(p.plan, RowCondition)]
    for p in planned:
        if p.skipped is None and isinstance(p.plan, LeadsQuery):
            judged = query(p.check, ctx, ordered=False, planned=p.plan)
            _evaluated(
                con,
                f"INSERT INTO violations SELECT {p.number}, lead_id, detail "
                f"FROM ({judged.sql(dialect='duckdb')})",
                p.check.id,
                trace,
            )
    if rows:
        _scan_rows(con, rows, trace)
    scopes = [p.scope for p in planned]
    skipped = {p.number: p.skipped for p in planned if p.skipped is not None}
    checked = _checked(con, scopes)
    violating = dict(
        con.execute("SELECT rule, COUNT(DISTINCT lead_id) FROM violations GROUP BY rule").fetchall()
    )
    examples = _samples(con, as_of, samples)
    results = [
        _result(
            implied,
            spec,
            0 if n in skipped else checked[n],
            violating.get(n, 0),
            examples.get(n, ()),
            skipped.get(n),
        )
        for n, implied in enumerate(checks)
    ]
    leads = _count(con, "SELECT COUNT(*) FROM leads")
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
        strict=strict,
        engine=engine,
    )


def _count(con: Connection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


def _timed(con: Connection, sql: str, label: str, trace: Trace | None) -> None:
    started = time.perf_counter()
    result = con.execute(sql).fetchone()
    if trace:
        # NOTE: DuckDB answers a CREATE ... AS or an INSERT with the rows it wrote.
        rows = result[0] if result and isinstance(result[0], int) else None
        trace(label, sql, time.perf_counter() - started, rows)


def _evaluated(con: Connection, sql: str, rule: str, trace: Trace | None) -> None:
    try:
        _timed(con, sql, rule, trace)
    except ENGINE_STOPS:
        raise
    except ENGINE_ERRORS as exc:
        raise RuleRunError(rule, exc) from None


@dataclass(frozen=True)
class _Planned:
    """One check of the run: its number in the violations table, its scope and its plan, or
    why the export cannot show it."""

    number: int
    check: Check
    scope: exp.Expr
    plan: Plan
    skipped: str | None


def _planned(number: int, check: Check, ctx: RuleContext, unfed: frozenset[str], history: bool) -> _Planned:
    kind = KINDS[check.kind]
    found = kind.plan(check, ctx)
    scope = scope_condition(check, by_current_stage=not kind.stages_from_history)
    # NOTE: a row rule's detail may quote fields the rule does not judge by.
    judged = (
        exp.and_(scope, found.violation)
        if isinstance(found, RowCondition)
        else query(check, ctx, ordered=False, planned=found)
    )
    reason = _unmeasurable(
        judged, unfed - found.refined_by, missing_history=kind.needs_history and not history
    )
    return _Planned(number, check, scope, found, reason)


def _scan_rows(con: Connection, rows: list[_Planned], trace: Trace | None) -> None:
    """All row conditions in one scan of `leads`: flag each lead per rule, then word the few
    flagged. A lead's own fields decide each of them, so one pass serves them all."""
    conditions = [(p.number, p.scope, p.plan) for p in rows if isinstance(p.plan, RowCondition)]
    flags = [
        f"COALESCE(({scope.sql('duckdb')}) AND ({plan.violation.sql('duckdb')}), FALSE) AS _f{n}"
        for n, scope, plan in conditions
    ]
    scan = (
        f"CREATE OR REPLACE TEMP TABLE {FLAGGED} AS SELECT * FROM (SELECT *, {', '.join(flags)} "
        f"FROM leads) WHERE {' OR '.join(f'_f{n}' for n, _, _ in conditions)}"
    )
    details = " UNION ALL ".join(
        f"SELECT {n}, lead_id, {plan.detail.sql('duckdb')} FROM {FLAGGED} WHERE _f{n}"
        for n, _, plan in conditions
    )
    try:
        for statement, label in (
            (scan, "row rules"),
            (f"INSERT INTO violations {details}", "row rules: details"),
        ):
            _timed(con, statement, f"{label} ({len(conditions)} rules)", trace)
    except ENGINE_ERRORS as exc:
        _blame(con, exc, rows)
    con.execute(f"DROP TABLE {FLAGGED}")


def _blame(con: Connection, error: Exception, rows: list[_Planned]) -> None:
    """Raise for the first row rule the engine cannot evaluate alone: the scan's error names none."""
    if isinstance(error, ENGINE_STOPS):
        raise error
    for p in rows:
        assert isinstance(p.plan, RowCondition)
        _evaluated(
            con,
            f"SELECT COUNT({p.plan.detail.sql('duckdb')}) FROM leads WHERE "
            f"({p.scope.sql('duckdb')}) AND ({p.plan.violation.sql('duckdb')})",
            p.check.id,
            None,
        )
    raise RuleRunError("(row rules)", error)


def _unmeasurable(judged: exp.Expr, unfed: frozenset[str], *, missing_history: bool) -> str | None:
    """Why the export cannot show whether a rule holds, or None when it can.

    An empty column would make a rule fail for every lead (a required field) or pass for
    every lead (`x IS NULL OR ...`): either way the result would come from absent data.
    """
    if missing_history:
        return "no history file was given; the rule reads stage, owner or activity changes"
    missing = sorted({c.name for c in judged.find_all(exp.Column)} & unfed)
    if missing:
        return f"the export gives no data for {', '.join(missing)}"
    return None


def _checked(con: Connection, scopes: list[exp.Expr]) -> list[int]:
    """How many leads each check looks at, counted for all checks in one scan."""
    counts = [f"COUNT(*) FILTER (WHERE {scope.sql('duckdb')})" for scope in scopes]
    row = con.execute(f"SELECT {', '.join(counts)} FROM leads").fetchone()
    assert row is not None  # an aggregate always has its row
    return list(row)


def _result(
    implied: SpecCheck,
    spec: Spec,
    checked: int,
    violating: int,
    samples: tuple[Sample, ...],
    skipped: str | None,
) -> RuleResult:
    check = implied.check
    threshold = check.threshold
    if threshold.count is not None:
        allowed = threshold.count
    else:
        assert threshold.percent is not None  # a threshold is a count or a percent
        allowed = math.floor(threshold.percent * checked / 100)
    described = (
        f"{threshold.count} leads"
        if threshold.count is not None
        else f"{threshold.percent:g}% of checked leads"
    )
    return RuleResult(
        id=check.id,
        kind=check.kind,
        description=" ".join(check.description.split()),
        severity=check.severity,
        checked=checked,
        violations=violating,
        allowed=allowed,
        threshold=described,
        doc=implied.doc,
        samples=samples,
        stage=implied.stage,
        failure_modes=tuple(sorted(f.id for f in spec.failure_modes if check.id in f.detection.checks)),
        skipped=skipped,
    )


def _samples(con: Connection, as_of: dt.datetime, limit: int) -> dict[int, tuple[Sample, ...]]:
    """The first `limit` violations of every rule by lead id, with context, in one query."""
    rows = con.execute(f"""
        SELECT v.rule, v.lead_id, v.detail, l.stage, l.owner_id, l.source_category,
               CAST({one_decimal(f"date_diff('second', l.created_at, {timestamp(as_of).sql('duckdb')}) / 86400.0")}
                    AS DOUBLE)
        FROM (SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY rule ORDER BY lead_id, detail) AS n
                             FROM violations) WHERE n <= {int(limit)}) AS v
        LEFT JOIN ({_first_rows("SELECT lead_id FROM violations")}) AS l ON l.lead_id = v.lead_id
        ORDER BY v.rule, v.n
    """).fetchall()
    grouped: dict[int, list[Sample]] = {}
    for rule, lead_id, detail, stage, owner_id, source, age in rows:
        grouped.setdefault(rule, []).append(
            Sample(mask(lead_id), mask(detail), stage, owner_id and mask(owner_id), source, age)
        )
    return {rule: tuple(items) for rule, items in grouped.items()}


def _first_rows(ids: str) -> str:
    """One row of `leads` per lead id in `ids` (an export can repeat an id), for context."""
    # NOTE: only the leads asked for are deduplicated, not all millions of them; of rows
    # that share an id, the order picks the same one every run.
    return (
        f"SELECT DISTINCT ON (lead_id) * FROM leads WHERE lead_id IN ({ids}) "
        "ORDER BY lead_id, created_at, stage, owner_id, source_category"
    )


def _failure_modes(spec: Spec, results: list[RuleResult]) -> tuple[FailureModeStatus, ...]:
    by_id = {r.id: r for r in results}
    statuses = []
    for fm in spec.failure_modes:
        rules = tuple(c for c in fm.detection.checks if c in by_id)
        measured = [by_id[c] for c in rules if by_id[c].status != "skipped"]
        happening = any(r.status != "pass" for r in measured) if measured else None
        statuses.append(FailureModeStatus(fm.id, fm.name, happening, rules))
    return tuple(statuses)


CSV_COLUMNS = ("lead_id", "rule_id", "stage", "owner_id", "detail")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_violations_csv(con: Connection, spec: Spec, path: Path) -> None:
    """One row per violation, for a clean-up list back in the CRM; no personal fields.

    The file is meant to be opened in a spreadsheet, so every cell shows as text: values
    that look like an address or a phone number are masked, and a cell that would start a
    formula (=, +, -, @, a tab or a carriage return) gets a leading apostrophe, as OWASP
    advises for CSV exports. The JSON report keeps the values as they are.
    """
    ids = ", ".join(f"({n}, {literal(c.check.id).sql()})" for n, c in enumerate(all_checks(spec)))
    target = exp.Literal.string(str(path)).sql()
    masks = ", ".join(f"{masked(exp.column(name)).sql('duckdb')} AS _{name}" for name in CSV_COLUMNS)
    starts = ", ".join(literal(c).sql("duckdb") for c in FORMULA_STARTS)
    quote = literal("'").sql("duckdb")
    cells = ", ".join(
        f"CASE WHEN left(_{name}, 1) IN ({starts}) THEN {quote} || _{name} ELSE _{name} END AS {name}"
        for name in CSV_COLUMNS
    )
    rows = f"""
        SELECT {cells} FROM (
            SELECT *, {masks} FROM (
                SELECT v.lead_id, r.rule_id, l.stage, l.owner_id, v.detail
                FROM violations AS v
                JOIN (VALUES {ids}) AS r(rule, rule_id) ON r.rule = v.rule
                LEFT JOIN ({_first_rows("SELECT lead_id FROM violations")}) AS l
                  ON l.lead_id = v.lead_id))
        ORDER BY lead_id, rule_id, detail"""
    if isinstance(con, duckdb.DuckDBPyConnection):
        con.execute(f"COPY ({rows}) TO {target} (HEADER, DELIMITER ',')")
    else:
        cast(Engine, con).write_csv(rows, path)
