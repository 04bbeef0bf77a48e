"""The leads file -> the canonical `leads` table, one column per field of the data dictionary.

The export is scanned once, straight into `leads`: every field typed in SQL and, for
rows where some checked column failed, a list of those columns' text. The data
findings are counted from that list in one pass, so they can quote the raw values
that failed; then the list and the rows without a lead id are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..engines import Connection
from ..rules.tables import lead_columns
from ..spec.codes import Code
from ..spec.findings import did_you_mean, plural
from ..spec.models import FieldDef, Spec
from . import findings, sql
from .errors import InputError, column_list
from .mapping import Mapping, either, join_of, options
from .readers import Export, Table
from .records import DataFinding

MAP_CODES = {"stage": "unmapped_status", "source_category": "unknown_source"}
PARSED = ("timestamp", "date", "integer", "number")  # types whose text is parsed, never kept
FAILED = "_failed"  # per row: the text of each checked column, where it failed; NULL if none did


@dataclass
class Layout:
    """Which export columns feed which field, and their names in the scan's query."""

    ids: list[str]
    feeds: dict[str, list[str]]  # field -> export columns present, in order of preference
    raw: dict[str, str] = field(default_factory=dict)  # export column -> its trimmed text's name
    missing: dict[str, list[str]] = field(default_factory=dict)  # optional field -> absent columns

    def column(self, name: str) -> str:
        return self.raw[name]


@dataclass(frozen=True)
class ColumnCheck:
    """A data finding about one export column, counted from the temporary list of `leads`."""

    code: str
    column: str  # the export column
    message: str
    pii: bool
    failed: str  # SQL: the column's text where its value failed, else NULL


def plan(mapping: Mapping, export: Export, joins: dict[str, str | None] | None = None) -> Layout:
    """Match the mapping's columns to the export's; raise InputError for any required one missing.

    `joins` gives each declared join's file name, or None when no file was given. The
    columns `<join>.<column>` of a join without a file are absent without an error, and a
    field that could read one is neither fed nor missing: the join's finding names it.
    """
    joins = joins or {}
    present = {c.strip(): c for c in export.columns}
    absent: list[str] = []

    def choose(wanted: str | list[str], label: str, optional: bool) -> list[str]:
        columns = options(wanted)
        found = [present[c.strip()] for c in columns if c.strip() in present]
        if not found and not optional:
            join = join_of(columns[0], joins)
            where = f" in {joins[join]}" if join is not None else ""
            absent.append(f"{either(columns)}{where} (for {label}){did_you_mean(columns[0], present)}")
        return found

    def unjoined(wanted: str | list[str]) -> bool:
        return any((join := join_of(c, joins)) is not None and joins[join] is None for c in options(wanted))

    leads = mapping.file.leads
    layout = Layout(choose(leads.lead_id, "lead_id", False), {})
    for name, wanted in leads.columns.items():
        skipped = unjoined(wanted)
        found = choose(wanted, name, name in leads.optional or skipped)
        if found:
            layout.feeds[name] = found
        elif not skipped:
            layout.missing[name] = options(wanted)
    if absent:
        joined = [f for f in joins.values() if f]
        kind = "table" if isinstance(export.path, Table) else "file"
        where, whose = (
            (f"{' and '.join([export.name, *joined])}", "their")
            if joined
            else (f"the {kind}", f"the {kind}'s")
        )
        raise InputError(
            export.name,
            f"the mapping '{mapping.name}' needs columns that are not in "
            f"{where}: {'; '.join(absent)} ({whose} columns are: "
            f"{column_list(export.columns)})",
            f"Fix the column names in {mapping.path}, or list the field under "
            "leads.optional if some exports lack it",
            code=Code.LS504,
        )
    # NOTE: generated names start with '_', which no field id can, so they never clash.
    for name in dict.fromkeys([*layout.ids, *(c for cols in layout.feeds.values() for c in cols)]):
        layout.raw[name] = f"_c{len(layout.raw)}"
    return layout


def unfit(export: Export, column: str, field: str, kind: str, mapping: Mapping) -> None:
    """InputError when a typed column cannot hold the field it feeds: a flag for a time."""
    found = export.unfit(column, kind)
    if found is None:
        return
    where = f" on {export.path.engine}" if isinstance(export.path, Table) else ""
    raise InputError(
        export.name,
        f"column {column} is {found}{where}, which cannot hold {field} (a {kind})",
        f"Map {field} to a column of that kind, or to text that the mapping's formats read, "
        f"in {mapping.path}",
        code=Code.LS504,
    )


def create_leads(
    con: Connection,
    spec: Spec,
    mapping: Mapping,
    export: Export,
    layout: Layout,
    maps: dict[str, dict[str, str | None]],
    carry: Sequence[str] = (),
) -> list[ColumnCheck]:
    """The single scan of the leads file into `leads`, with a column per check (see `finish`).

    `carry` names columns of the export kept in `leads` as they are (a join's matched key),
    for findings counted before `finish` drops them.
    """
    fields, types, constants = {f.id: f for f in spec.fields}, lead_columns(spec), mapping.file.constants
    for name, columns in layout.feeds.items():
        for column in columns:
            unfit(export, column, name, fields[name].type, mapping)
    pii = {c for name, cols in layout.feeds.items() if fields[name].pii for c in cols}
    parsed_only = {
        c
        for c in layout.raw
        if c not in layout.ids
        and all(
            fields[name].type in PARSED and name not in mapping.file.values
            for name, cols in layout.feeds.items()
            if c in cols
        )
    }
    texts = [f"{sql.text(name, trim=name not in parsed_only)} AS {raw}" for name, raw in layout.raw.items()]
    texts += [sql.ident(name) for name in carry]
    values: list[str] = []  # one per (field, column): the column's value for the field
    fed: dict[str, list[str]] = {"lead_id": [layout.column(c) for c in layout.ids]}
    checks: list[ColumnCheck] = []
    failures: list[tuple[str, str]] = []  # (condition, the text that failed)
    for name, columns in layout.feeds.items():
        for column in columns:
            raw, value = layout.column(column), f"_v{len(values)}"
            values.append(f"{_value(fields[name], raw, mapping, maps)} AS {value}")
            fed.setdefault(name, []).append(value)
            problem = _problem(fields[name], raw, value, mapping, maps)
            if problem is not None:
                code, failed, message = problem
                checks.append(
                    ColumnCheck(code, column, message, column in pii, f"{FAILED}[{len(checks) + 1}]")
                )
                failures.append((failed, raw))
    select = []
    for definition in spec.fields:
        name = definition.id
        if name in fed:
            value = _coalesce(fed[name])
        elif name in constants:
            value = sql.constant(definition.type, constants[name])
        else:
            value = "NULL"
        select.append(f"CAST({value} AS {types[name]}) AS {sql.ident(name)}")
    # NOTE: one list, NULL on rows where nothing failed, costs a fraction of a column per
    # check: most rows are clean, and each such column would be stored for every row.
    if failures:
        listed = ", ".join(f"CASE WHEN {failed} THEN {raw} END" for failed, raw in failures)
        select.append(
            f"CASE WHEN {' OR '.join(f'({failed})' for failed, _ in failures)} "
            f"THEN [{listed}] END AS {FAILED}"
        )
    # NOTE: each column's value is computed once, in the middle query, and used both for
    # its field and for its check; a timestamp is not parsed twice.
    kept = [sql.ident(name) for name in carry]
    con.execute(
        f"CREATE OR REPLACE TABLE leads AS SELECT {', '.join([*select, *kept])} "
        f"FROM (SELECT {', '.join(['*', *values])} "
        f"FROM (SELECT {', '.join(texts)} FROM {export.source}))"
    )
    return checks


def lead_findings(con: Connection, layout: Layout, checks: list[ColumnCheck]) -> list[DataFinding]:
    """Every count in one pass over `leads` and its failed text; examples only for what failed."""
    counts = [
        "COUNT(*)",
        f"COUNT(*) FILTER (WHERE {sql.ident('lead_id')} IS NULL)",
        *(f"COUNT({check.failed})" for check in checks),
    ]
    rows, blank, *failed = con.execute(f"SELECT {', '.join(counts)} FROM leads").fetchone() or ()
    found: list[DataFinding] = []
    for check, count in zip(checks, failed, strict=True):
        if count:
            examples = () if check.pii else findings.examples(con, "leads", check.failed)
            found.append(
                findings.finding(
                    check.code, check.column, count, f"{plural(count, 'row')}: {check.message}", examples
                )
            )
    if layout.missing:
        named = ", ".join(
            name if cols == [name] else f"{name} ({cols[0]})" for name, cols in sorted(layout.missing.items())
        )
        found.append(
            findings.finding(
                "missing_column",
                "",
                rows,
                f"the export has no column for {len(layout.missing)} optional fields, "
                f"which are empty for every lead: {named}",
            )
        )
    if blank:
        found.append(
            findings.finding(
                "missing_lead_id", layout.ids[0], blank, f"{plural(blank, 'row')} without a lead id, left out"
            )
        )
    repeated = con.execute(
        "SELECT COUNT(*), SUM(n), list(lead_id ORDER BY n DESC, lead_id)[1:3] FROM "
        "(SELECT lead_id, COUNT(*) AS n FROM leads WHERE lead_id IS NOT NULL "
        "GROUP BY lead_id HAVING COUNT(*) > 1)"
    ).fetchone()
    if repeated and repeated[0]:
        ids, total, examples = repeated
        found.append(
            findings.finding(
                "duplicate_lead_id",
                layout.ids[0],
                ids,
                f"{plural(ids, 'lead id')} appear on more than one row "
                f"({total:,} rows); "
                "each row is checked as a separate lead",
                tuple(examples),
            )
        )
    return found


def finish(con: Connection, checks: list[ColumnCheck], carry: Sequence[str] = ()) -> None:
    """`leads` as the rules read it: no check or carried columns, and no rows without a lead id."""
    # NOTE: dropping columns and deleting rows is instant; copying the table is not.
    if checks:
        con.execute(f"ALTER TABLE leads DROP COLUMN {FAILED}")
    for name in carry:
        con.execute(f"ALTER TABLE leads DROP COLUMN {sql.ident(name)}")
    con.execute(f"DELETE FROM leads WHERE {sql.ident('lead_id')} IS NULL")


def _problem(
    definition: FieldDef, raw: str, value: str, mapping: Mapping, maps: dict[str, dict[str, str | None]]
) -> tuple[str, str, str] | None:
    """The finding code, the SQL condition under which `raw` failed, and the message; or None."""
    name = definition.id
    if name in mapping.file.values or name == "stage":
        code = MAP_CODES.get(name, "unmapped_value")
        fix = (
            "add it to a stage's crm_status or to values.stage in the mapping"
            if name == "stage"
            else f"add it to values.{name} in the mapping"
        )
        message = f"a {name} value the mapping does not translate; {fix}"
        return code, sql.unlisted(raw, maps[name], value), message
    if name == "owner_id" and mapping.file.queue_prefixes:
        return (
            "queue_owner",
            sql.queued(raw, mapping.file.queue_prefixes),
            "owned by a queue, not a named person, so read as having no owner",
        )
    # NOTE: `value` is read in the mapping's time zone; a zone never makes a time unreadable.
    failed = f"{raw} IS NOT NULL AND {value} IS NULL AND TRIM({raw}) <> ''"
    if definition.type in ("timestamp", "date"):
        return (
            "unparseable_timestamp",
            failed,
            f"matches none of timestamps.formats, so {name} is empty; add the format to the mapping",
        )
    if definition.type in ("integer", "number", "boolean"):
        return "unparseable_value", failed, f"not a {definition.type}, so {name} is empty"
    return None


def _value(definition: FieldDef, raw: str, mapping: Mapping, maps: dict[str, dict[str, str | None]]) -> str:
    if definition.id in mapping.file.values or definition.id == "stage":
        return sql.translate(raw, maps[definition.id])
    if definition.id == "owner_id" and mapping.file.queue_prefixes:
        return sql.unless_queue(raw, mapping.file.queue_prefixes)
    stamps = mapping.file.timestamps
    return sql.typed(
        definition.type, raw, stamps.formats, stamps.time_zone, definition.id in stamps.end_of_day
    )


def _coalesce(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"COALESCE({', '.join(parts)})"
