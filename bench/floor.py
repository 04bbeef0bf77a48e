"""The floors: DuckDB alone reading both export files, checking nothing.

    python bench/floor.py FOLDER           # the plain floor
    python bench/floor.py FOLDER --fair    # the fair floor

No rule can cost less than reading its data, so `leadspec check` is measured against
these. The plain floor reads every column as text (as leadspec does: no guessed
types), parses each typed field of the data dictionary with the export's one
timestamp format, and keeps both tables in memory.

The fair floor reads the files as leadspec must read an export it has not seen:
every text column trimmed where it starts or ends with a space and blank made NULL;
each typed field parsed with the mapping's whole chain of formats (the generic
mapping's nine for times), with the values that no format reads counted per field;
the history sorted by lead and time once; and the working clock built from the
process calendar over the history's span. The expressions are leadspec's own
(`leadspec.data.sql`, and the clock's DDL from `leadspec.rules.stage_time`), so
the two differ only in what leadspec does beyond reading: the rules, the stage
visits, the findings and the report.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import duckdb
from generate import AS_OF

from leadspec.data import load_mapping
from leadspec.data.sql import ident, text, typed
from leadspec.rules.base import EVENTS, RuleContext
from leadspec.rules.stage_time import CLOCK, derived_tables
from leadspec.spec import Spec, load_spec

STAMP = "%Y-%m-%dT%H:%M:%SZ"
TYPES = {"timestamp": "TIMESTAMP", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN"}


def parsed(column: str, kind: str) -> str:
    name = f'"{column}"'
    if kind == "timestamp":
        return f"strptime({name}, '{STAMP}') AS {name}"
    if kind in TYPES:
        return f"CAST({name} AS {TYPES[kind]}) AS {name}"
    return name


PARSED = ("timestamp", "date", "integer", "number", "boolean")  # leadspec trims no parsed column
EVENT_COLUMNS = {
    "lead_id": "string",
    "at": "timestamp",
    "kind": "string",
    "from_value": "string",
    "to_value": "string",
}


def fair(
    con: duckdb.DuckDBPyConnection, spec_root: Path, spec: Spec, folder: Path, as_of: dt.datetime
) -> int:
    """Read both files as leadspec must; the number of values no format read."""
    mapping = load_mapping("generic", spec_root).file
    formats, zone = mapping.timestamps.formats, mapping.timestamps.time_zone
    kinds = {f.id: f.type for f in spec.fields}

    def read(column: str, kind: str) -> tuple[str, str | None]:
        raw = text(column, trim=kind not in PARSED)
        if kind not in PARSED:
            return f"{raw} AS {ident(column)}", None
        value = typed(kind, raw, formats, zone)
        return (
            f"{value} AS {ident(column)}",
            f"CASE WHEN {raw} IS NOT NULL AND {value} IS NULL THEN 1 ELSE 0 END",
        )

    source = "read_csv('{}', all_varchar = true, header = true)"
    failed = 0
    # NOTE: the generic mapping names each column as its field, so the fields are the columns.
    leads = {c: kinds.get(c, "string") for c in ["lead_id", *mapping.leads.columns]}
    for table, name, columns, order in (
        ("leads", "leads.csv", leads, ""),
        (EVENTS, "events.csv", EVENT_COLUMNS, ' ORDER BY lead_id, "at"'),
    ):
        reads = [read(column, kind) for column, kind in columns.items()]
        # NOTE: as leadspec does, failures are flagged in the one scan, counted, then dropped.
        flags = " + ".join(flag for _, flag in reads if flag) or "0"
        con.execute(
            f"CREATE TABLE {table} AS SELECT {', '.join(r for r, _ in reads)}, {flags} AS failed_values "
            f"FROM {source.format(folder / name)}{order}"
        )
        row = con.execute(f"SELECT SUM(failed_values) FROM {table}").fetchone()
        failed += int(row[0] or 0) if row else 0
        con.execute(f"ALTER TABLE {table} DROP COLUMN failed_values")
    con.execute(derived_tables(RuleContext(spec, as_of))[CLOCK])
    return failed


def plain(con: duckdb.DuckDBPyConnection, spec: Spec, folder: Path) -> None:
    """Read both files with one timestamp format and no trimming."""
    lead_fields = ", ".join(parsed(f.id, f.type) for f in spec.fields)
    event_fields = ", ".join(parsed(column, kind) for column, kind in EVENT_COLUMNS.items())
    source = "read_csv('{}', all_varchar = true, header = true)"
    con.execute(f"CREATE TABLE leads AS SELECT {lead_fields} FROM {source.format(folder / 'leads.csv')}")
    con.execute(f"CREATE TABLE {EVENTS} AS SELECT {event_fields} FROM {source.format(folder / 'events.csv')}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="holds leads.csv and events.csv (bench/generate.py)")
    parser.add_argument("--spec", type=Path, default=Path("."))
    parser.add_argument("--memory-limit", default=None)
    parser.add_argument("--fair", action="store_true", help="read as leadspec must (see above)")
    parser.add_argument("--as-of", default=AS_OF, help="the end of the working clock")
    args = parser.parse_args()
    spec = load_spec(args.spec).spec
    assert spec is not None, "the spec must validate"
    # NOTE: configured as leadspec's own connection, so the ratio compares work, not settings.
    with duckdb.connect(config={"preserve_insertion_order": False}) as con:
        if args.memory_limit:
            con.execute(f"SET memory_limit = '{args.memory_limit}'")
        if args.fair:
            failed = fair(con, args.spec, spec, args.folder, dt.datetime.fromisoformat(args.as_of))
        else:
            plain(con, spec, args.folder)
        leads, events = con.execute(
            f"SELECT (SELECT COUNT(*) FROM leads), (SELECT COUNT(*) FROM {EVENTS})"
        ).fetchone() or (0, 0)
    values = "value" if args.fair and failed == 1 else "values"
    read = "read" if not args.fair else f"read ({failed:,} {values} no format reads)"
    print(f"{read} {leads:,} leads and {events:,} history rows")


if __name__ == "__main__":
    main()
