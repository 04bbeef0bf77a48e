"""The leads file -> the canonical `leads` table, one column per field of the data dictionary.

The export is scanned once, into a temporary table holding only the columns the
mapping uses, as trimmed text. `leads` is built from it with every conversion in
SQL; the data findings are counted from the same text, so they can quote the raw
values that failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

from ..rules.tables import lead_columns
from ..spec.findings import did_you_mean
from ..spec.models import FieldDef, Spec
from . import findings as fd
from . import sql
from .errors import InputError
from .mapping import Mapping
from .readers import Export
from .records import DataFinding

RAW = "_leadspec_leads_raw"
MAP_CODES = {"stage": "unmapped_status", "source_category": "unknown_source"}


@dataclass
class Layout:
    """Which export columns feed which field, and their names in the raw table."""

    ids: list[str]
    feeds: dict[str, list[str]]  # field -> export columns present, in order of preference
    raw: dict[str, str] = field(default_factory=dict)  # export column -> raw table column
    missing: dict[str, list[str]] = field(default_factory=dict)  # optional field -> absent columns

    def column(self, name: str) -> str:
        return self.raw[name]


def plan(mapping: Mapping, export: Export) -> Layout:
    """Match the mapping's columns to the export's; raise InputError for any required one missing."""
    present = {c.strip(): c for c in export.columns}
    absent: list[str] = []

    def choose(wanted: str | list[str], label: str, optional: bool) -> list[str]:
        options = [wanted] if isinstance(wanted, str) else wanted
        found = [present[c.strip()] for c in options if c.strip() in present]
        if not found and not optional:
            absent.append(f"'{options[0]}' (for {label}){did_you_mean(options[0], present)}")
        return found

    leads = mapping.file.leads
    layout = Layout(choose(leads.lead_id, "lead_id", False), {})
    for name, wanted in leads.columns.items():
        found = choose(wanted, name, name in leads.optional)
        if found:
            layout.feeds[name] = found
        else:
            layout.missing[name] = [wanted] if isinstance(wanted, str) else wanted
    if absent:
        raise InputError(export.name, f"the mapping '{mapping.name}' needs columns that are not in "
                         f"the file: {'; '.join(absent)} (the file's columns are: "
                         f"{', '.join(export.columns)})",
                         f"Fix the column names in {mapping.path}, or list the field under "
                         "leads.optional if some exports lack it")
    for name in dict.fromkeys([*layout.ids, *(c for cols in layout.feeds.values() for c in cols)]):
        layout.raw[name] = f"c{len(layout.raw)}"
    return layout


def stage_raw(con: duckdb.DuckDBPyConnection, export: Export, layout: Layout) -> None:
    """The single scan of the leads file."""
    columns = ", ".join(f"{sql.text(name)} AS {raw}" for name, raw in layout.raw.items())
    con.execute(f"CREATE OR REPLACE TEMP TABLE {RAW} AS SELECT {columns} FROM {export.source}")


def create_leads(con: duckdb.DuckDBPyConnection, spec: Spec, mapping: Mapping, layout: Layout,
                 maps: dict[str, dict[str, str | None]]) -> None:
    file = mapping.file
    lead_id = _coalesce([layout.column(c) for c in layout.ids])
    select = []
    for definition in spec.fields:
        if definition.id == "lead_id":
            value = lead_id
        elif definition.id in layout.feeds:
            value = _coalesce([_value(definition, layout.column(c), mapping, maps)
                               for c in layout.feeds[definition.id]])
        elif definition.id in file.constants:
            value = sql.constant(definition.type, file.constants[definition.id])
        else:
            value = "NULL"
        select.append(f"CAST({value} AS {lead_columns(spec)[definition.id]}) AS {sql.ident(definition.id)}")
    con.execute(f"CREATE OR REPLACE TABLE leads AS SELECT {', '.join(select)} FROM {RAW} "
                f"WHERE {lead_id} IS NOT NULL")


def lead_findings(con: duckdb.DuckDBPyConnection, spec: Spec, mapping: Mapping, layout: Layout,
                  maps: dict[str, dict[str, str | None]]) -> list[DataFinding]:
    fields = {f.id: f for f in spec.fields}
    pii = {c for name, cols in layout.feeds.items() if fields[name].pii for c in cols}
    found: list[DataFinding] = []
    for name, columns in layout.feeds.items():
        definition = fields[name]
        for column in columns:
            raw = layout.column(column)
            problem = _problem(definition, raw, mapping, maps)
            if problem is None:
                continue
            code, condition, message = problem
            count, examples = fd.counted(con, RAW, raw, condition, pii=column in pii)
            if count:
                found.append(fd.finding(code, column, count, f"{count} rows: {message}", examples))
    if layout.missing:
        named = ", ".join(" or ".join(cols) + ("" if cols == [name] else f" ({name})")
                          for name, cols in sorted(layout.missing.items()))
        found.append(fd.finding("missing_column", "", _rows(con),
                                f"the export has no column for {len(layout.missing)} optional fields, "
                                f"which are empty for every lead: {named}"))
    lead_id = _coalesce([layout.column(c) for c in layout.ids])
    blank = _rows(con, f"{lead_id} IS NULL")
    if blank:
        found.append(fd.finding("missing_lead_id", layout.ids[0], blank,
                                f"{blank} rows have no lead id and are left out"))
    repeated = con.execute("SELECT COUNT(*), SUM(n), list(lead_id ORDER BY n DESC, lead_id)[1:3] FROM "
                           "(SELECT lead_id, COUNT(*) AS n FROM leads GROUP BY lead_id HAVING n > 1)"
                           ).fetchone()
    if repeated and repeated[0]:
        ids, rows, examples = repeated
        found.append(fd.finding("duplicate_lead_id", layout.ids[0], ids,
                                f"{ids} lead ids appear on more than one row ({rows} rows); "
                                "each row is checked as a separate lead", tuple(examples)))
    return found


def _problem(definition: FieldDef, raw: str, mapping: Mapping,
             maps: dict[str, dict[str, str | None]]) -> tuple[str, str, str] | None:
    name, file = definition.id, mapping.file
    if name in file.values or name == "stage":
        code = MAP_CODES.get(name, "unmapped_value")
        fix = ("add it to a stage's crm_status or to values.stage in the mapping" if name == "stage"
               else f"add it to values.{name} in the mapping")
        return code, sql.unlisted(raw, maps[name]), f"a {name} value the mapping does not translate; {fix}"
    if definition.type in ("timestamp", "date"):
        parsed = sql.typed(definition.type, raw, file.timestamps.formats, "UTC")
        condition = f"{raw} IS NOT NULL AND {parsed} IS NULL"
        return ("unparseable_timestamp", condition,
                f"matches none of timestamps.formats, so {name} is empty; add the format to the mapping")
    if definition.type in ("integer", "number", "boolean"):
        condition = f"{raw} IS NOT NULL AND {sql.typed(definition.type, raw, (), 'UTC')} IS NULL"
        return "unparseable_value", condition, f"not a {definition.type}, so {name} is empty"
    return None


def _value(definition: FieldDef, raw: str, mapping: Mapping, maps: dict[str, dict[str, str | None]]) -> str:
    if definition.id in mapping.file.values or definition.id == "stage":
        return sql.translate(raw, maps[definition.id])
    stamps = mapping.file.timestamps
    return sql.typed(definition.type, raw, stamps.formats, stamps.time_zone)


def _coalesce(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"COALESCE({', '.join(parts)})"


def _rows(con: duckdb.DuckDBPyConnection, condition: str = "TRUE") -> int:
    count: int = fd.scalar(con, f"SELECT COUNT(*) FROM {RAW} WHERE {condition}")
    return count
