"""The floor: DuckDB alone reading both export files and parsing what the checks use, once.

No rule can cost less than reading its data, so `leadspec check` is measured against
this. It reads every column as text (as leadspec does: no guessed types), parses each
typed field of the data dictionary with the export's one timestamp format, and keeps
both tables in memory; it checks nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from leadspec.spec import load_spec

STAMP = "%Y-%m-%dT%H:%M:%SZ"
TYPES = {"timestamp": "TIMESTAMP", "integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN"}


def parsed(column: str, kind: str) -> str:
    name = f'"{column}"'
    if kind == "timestamp":
        return f"strptime({name}, '{STAMP}') AS {name}"
    if kind in TYPES:
        return f"CAST({name} AS {TYPES[kind]}) AS {name}"
    return name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="holds leads.csv and events.csv (bench/generate.py)")
    parser.add_argument("--spec", type=Path, default=Path("."))
    parser.add_argument("--memory-limit", default=None)
    args = parser.parse_args()
    spec = load_spec(args.spec).spec
    assert spec is not None, "the spec must validate"
    lead_fields = ", ".join(parsed(f.id, f.type) for f in spec.fields)
    event_fields = ", ".join(
        [
            parsed("lead_id", "string"),
            parsed("at", "timestamp"),
            parsed("kind", "string"),
            parsed("from_value", "string"),
            parsed("to_value", "string"),
        ]
    )
    # NOTE: configured as leadspec's own connection, so the ratio compares work, not settings.
    with duckdb.connect(config={"preserve_insertion_order": False}) as con:
        if args.memory_limit:
            con.execute(f"SET memory_limit = '{args.memory_limit}'")
        source = "read_csv('{}', all_varchar = true, header = true)"
        con.execute(
            f"CREATE TABLE leads AS SELECT {lead_fields} FROM {source.format(args.folder / 'leads.csv')}"
        )
        con.execute(
            f"CREATE TABLE lead_events AS SELECT {event_fields} "
            f"FROM {source.format(args.folder / 'events.csv')}"
        )
        leads, events = con.execute(
            "SELECT (SELECT COUNT(*) FROM leads), (SELECT COUNT(*) FROM lead_events)"
        ).fetchone() or (0, 0)
    print(f"read {leads:,} leads and {events:,} history rows")


if __name__ == "__main__":
    main()
