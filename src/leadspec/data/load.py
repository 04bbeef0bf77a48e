"""Load a CRM export into the canonical tables that every rule reads.

`load_export` is the data step: a mapping checked against the spec, each export
file scanned once into DuckDB, `leads` and `lead_events` built in SQL, and the
data findings that explain what the rules will not be able to see.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from ..engines import ENGINE_ERRORS, Connection
from ..rules.tables import EVENT_COLUMNS, lead_columns
from ..spec.codes import Code
from ..spec.findings import plural
from ..spec.models import Spec
from . import events as lead_events
from . import findings
from . import joins as joined_files
from . import leads as lead_table
from .errors import InputError, MappingError
from .mapping import Mapping
from .readers import Export, Source, Table, fail, open_export
from .records import DataFinding, InputFile
from .sql import ident, lit
from .validate import check_mapping, value_maps

T = TypeVar("T")


@dataclass(frozen=True)
class LoadedExport:
    inputs: tuple[InputFile, ...]
    findings: tuple[DataFinding, ...]
    latest: dt.datetime | None  # the latest time in the data: the default as-of
    unfed: frozenset[str] = frozenset()  # fields nothing in the export fills: empty for every lead
    history: bool = True  # whether a history was read into `lead_events`


def load_export(
    con: Connection,
    spec: Spec,
    leads_path: Source,
    events_path: Source | None,
    mapping: Mapping,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    joins: dict[str, Source] | None = None,
) -> LoadedExport:
    """Create `leads` and `lead_events` in `con` from the export files, as `mapping` says.

    `joins` gives a file for joins of the mapping, by name. Raises MappingError when the
    mapping does not fit the spec and InputError when a file cannot be read or a join
    is unknown or missing; problems in the data itself come back as findings.
    """
    problems = check_mapping(mapping, spec)
    if problems:
        raise MappingError(problems)
    maps = value_maps(mapping, spec)
    declared = joined_files.declared(mapping, joins or {})
    history = events_path if mapping.file.events is not None else None
    files: list[tuple[str, Source]] = [("leads", leads_path)]
    if history is not None:
        files.append(("events", history))
    files += [(f"join:{join.name}", path) for join, path in declared if path is not None]
    rows: dict[str, int] = {}
    # NOTE: the files are hashed in a thread while DuckDB reads them; hashlib releases the GIL.
    with ThreadPoolExecutor(max_workers=1) as pool:
        digests = [pool.submit(sha256, path) for _, path in files]
        try:
            with open_export(con, leads_path, encoding=encoding, delimiter=delimiter) as export:
                keys = {
                    join.name: joined_files.leads_key(export, join, mapping)
                    for join, path in declared
                    if path
                }
                joined = [
                    joined_files.read(con, i, join, path, mapping, encoding=encoding, delimiter=delimiter)
                    for i, (join, path) in enumerate(declared)
                ]
                rows.update({f"join:{j.name}": j.rows for j in joined if j.path is not None})
                source = joined_files.joined_export(export, joined, keys)
                layout = lead_table.plan(mapping, source, joined_files.files(joined))
                fed = {*layout.feeds, *mapping.file.constants, *(mapping.file.derived if history else ())}
                carry = joined_files.carried(joined)
                with joined_files.leads_first(con, joined):
                    checks = _scan(
                        con,
                        export,
                        encoding,
                        lambda: lead_table.create_leads(con, spec, mapping, source, layout, maps, carry),
                    )
                footers = [(export.name, export.footer)]
                footers += [(j.path.name, j.footer) for j in joined if j.path is not None]
            rows["leads"] = _count(con, "SELECT COUNT(*) FROM leads")
            found = lead_table.lead_findings(con, layout, checks)
            found += joined_files.join_findings(con, spec, mapping, joined, layout, keys, leads_path.name)
            lead_table.finish(con, checks, carry)
            _some_leads(con, leads_path.name, rows["leads"], layout.ids)
        finally:
            joined_files.drop(con, len(declared))
        if history is not None:
            with open_export(con, history, encoding=encoding, delimiter=delimiter) as export:
                read = _scan(
                    con,
                    export,
                    encoding,
                    lambda: lead_events.read_history(con, export, mapping, maps["stage"]),
                )
                footers.append((export.name, export.footer))
            rows["events"] = _count(con, "SELECT COUNT(*) FROM lead_events")
            found += lead_events.event_findings(con, read)
            found += _coverage(con)
            lead_events.create_events(con)
            lead_events.apply_derived(con, mapping)
        else:
            columns = ", ".join(f"{ident(name)} {kind}" for name, kind in EVENT_COLUMNS.items())
            con.execute(f"CREATE OR REPLACE TABLE lead_events ({columns})")
            found.append(_no_history(con, events_path is not None))
        found += _unreached(con, spec)
        found += [_footer(name, lines) for name, lines in footers if lines]
        inputs = tuple(
            InputFile(role, path.name, digest.result(), rows[role])
            for (role, path), digest in zip(files, digests, strict=True)
        )
    unfed = frozenset(f.id for f in spec.fields if f.id not in fed and f.id != "lead_id")
    latest = _latest(con, spec, frozenset(mapping.file.timestamps.end_of_day))
    return LoadedExport(
        inputs, tuple(sorted(found, key=findings.sort_key)), latest, unfed, history is not None
    )


def sha256(path: Source) -> str:
    """The file's SHA-256, read in chunks so a large export is never held in memory."""
    if isinstance(path, Table):
        return ""  # NOTE: a table is not a file; its engine holds it, and no digest is taken
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _scan(con: Connection, export: Export, encoding: str | None, scan: Callable[[], T]) -> T:
    try:
        return scan()
    except ENGINE_ERRORS as exc:
        raise fail(export.path, exc, encoding) from None


def _some_leads(con: Connection, name: str, rows: int, ids: list[str]) -> None:
    """Stop when no lead is left to check: a pass must never come from an empty export."""
    if _count(con, "SELECT COUNT(*) FROM leads"):
        return
    if not rows:
        raise InputError(
            name,
            "holds no rows below its header",
            "Check that the export finished "
            "and that its filters or report criteria select the leads to check",
            code=Code.LS503,
        )
    raise InputError(
        name,
        f"none of its {rows} rows has a lead id (column {' or '.join(ids)})",
        "Check that the mapping's leads.lead_id names the column that holds the id",
        code=Code.LS503,
    )


def _no_history(con: Connection, unmapped: bool) -> DataFinding:
    leads = _count(con, "SELECT COUNT(*) FROM leads")
    why = (
        "the mapping has no events section, so the history file was not read"
        if unmapped
        else "no history file was given"
    )
    return findings.finding(
        "no_history",
        "",
        leads,
        f"{why}: rules on stage changes, owners and "
        "activities cannot run; export the lead history (e.g. LeadHistory) to check them",
    )


def _footer(name: str, lines: int) -> DataFinding:
    return findings.finding(
        "report_footer",
        "",
        lines,
        f"{name} ends with a Salesforce report footer "
        f"({lines} lines: copyright, 'Generated By' and the like), which was not read "
        "as rows; the rows above it were",
    )


def _coverage(con: Connection) -> list[DataFinding]:
    """Whether the history's own rows (not the added entry events) span the leads."""
    # NOTE: only whether any lead is covered matters, so the first match ends the search.
    covered = con.execute(
        f"SELECT 1 FROM {lead_events.CHANGES} WHERE lead_id IN (SELECT lead_id FROM leads) LIMIT 1"
    ).fetchone()
    leads = 0 if covered else _count(con, "SELECT COUNT(DISTINCT lead_id) FROM leads")
    if leads:
        return [
            findings.finding(
                "missing_history",
                "",
                leads,
                "the history file holds no change for any "
                "lead in the leads file: check that both come from the same CRM and period",
            )
        ]
    start = findings.scalar(con, f'SELECT MIN("at") FROM {lead_events.CHANGES}')
    if start is None:
        return []
    before = _count(
        con,
        f"SELECT COUNT(*) FROM leads WHERE created_at < CAST({lit(start.isoformat(sep=' '))} AS TIMESTAMP)",
    )
    if not before:
        return []
    return [
        findings.finding(
            "missing_history",
            "",
            before,
            f"the history starts at {start:%Y-%m-%d %H:%M} UTC, after "
            f"{plural(before, 'lead')} {'was' if before == 1 else 'were'} created: "
            "their earlier changes are missing; export the history for the whole "
            "period of the leads",
        )
    ]


def _unreached(con: Connection, spec: Spec) -> list[DataFinding]:
    reached = {
        row[0]
        for row in con.execute(
            "SELECT stage FROM leads UNION SELECT to_value FROM lead_events WHERE kind = 'stage'"
        ).fetchall()
    }
    pre_lead = set(spec.process.lifecycle.pre_lead)
    return [
        findings.finding(
            "stage_never_reached",
            "",
            0,
            f"no lead is in stage '{stage.id}' or entered it: rules about it pass only for lack of data",
            (),
        )
        for stage in spec.stages
        if stage.id not in pre_lead and stage.id not in reached
    ]


def _latest(con: Connection, spec: Spec, days: frozenset[str]) -> dt.datetime | None:
    """The latest time in the data; a day read as its end (`days`) would run past the export."""
    columns = [
        f"MAX({ident(name)})"
        for name, kind in lead_columns(spec).items()
        if kind == "TIMESTAMP" and name not in days
    ]
    parts = [f"SELECT GREATEST({', '.join(columns)}) AS t FROM leads"] if columns else []
    parts.append('SELECT MAX("at") AS t FROM lead_events')
    latest: dt.datetime | None = findings.scalar(con, f"SELECT MAX(t) FROM ({' UNION ALL '.join(parts)})")
    return latest


def _count(con: Connection, query: str) -> int:
    count: int = findings.scalar(con, query)
    return count
