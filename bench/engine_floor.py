"""An engine's floor: what PostgreSQL or Spark spends to count the rows, or to parse them once.

`leadspec check --engine` on a table cannot cost less than the engine reading that
table, so it is timed beside two plain queries in the same engine, each run as its
own process like the check (start-up and connection count):

    python bench/engine_floor.py count postgresql://... crm.lead crm.lead_history
    python bench/engine_floor.py parse spark leads.parquet events.parquet

`count` is a `SELECT count(*)` of each table. `parse` is one scan of each table that
parses every column the checks use with the engine's own functions (to_timestamp,
casts) and counts the parsed values, so nothing can be skipped; it checks nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from leadspec.spec import load_spec

# The generated export's one time format (bench/generate.py), as each engine spells it.
STAMPS = {"postgresql": 'YYYY-MM-DD"T"HH24:MI:SS"Z"', "spark": "yyyy-MM-dd'T'HH:mm:ss'Z'"}
CASTS = {"integer": "BIGINT", "number": "DOUBLE PRECISION", "boolean": "BOOLEAN"}
EVENT_FIELDS = {
    "lead_id": "string",
    "at": "timestamp",
    "kind": "string",
    "from_value": "string",
    "to_value": "string",
}


def parsed(engine: str, column: str, kind: str) -> str:
    """`column` parsed as the data dictionary types it, in `engine`'s SQL."""
    name = f"`{column}`" if engine == "spark" else f'"{column}"'
    if kind == "timestamp":
        # NOTE: Spark's pattern holds single quotes, so there it is a double-quoted literal.
        quote = '"' if engine == "spark" else "'"
        return f"to_timestamp({name}, {quote}{STAMPS[engine]}{quote})"
    if kind in CASTS:
        cast = "DOUBLE" if engine == "spark" and kind == "number" else CASTS[kind]
        return f"CAST(NULLIF({name}, '') AS {cast})"
    return name


def scan(engine: str, table: str, fields: dict[str, str], how: str) -> str:
    if how == "count":
        return f"SELECT count(*) FROM {table}"
    counts = ", ".join(f"count({parsed(engine, column, kind)})" for column, kind in fields.items())
    return f"SELECT count(*), {counts} FROM {table}"


def on_postgres(url: str, queries: list[str]) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return [conn.execute(query).fetchone() or () for query in queries]


def on_spark(master: str, files: list[Path], queries: list[str]) -> list[tuple[object, ...]]:
    from pyspark.sql import SparkSession

    quiet = Path(tempfile.mkdtemp(prefix="leadspec-floor-")) / "log4j2.properties"
    quiet.write_text(
        "rootLogger.level = off\nrootLogger.appenderRef.stderr.ref = console\n"
        "appender.console.type = Console\nappender.console.name = console\n"
        "appender.console.target = SYSTEM_ERR\nappender.console.layout.type = PatternLayout\n",
        encoding="utf-8",
    )
    # NOTE: the settings leadspec's own Spark session uses on one machine.
    session = (
        SparkSession.builder.master("local[*]" if master == "spark" else master)
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{quiet}")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", str(4 * (os.cpu_count() or 1)))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.timestampType", "TIMESTAMP_NTZ")
        .getOrCreate()
    )
    try:
        for number, path in enumerate(files):
            session.read.parquet(str(path)).createOrReplaceTempView(f"t{number}")
        return [tuple(session.sql(query).collect()[0]) for query in queries]
    finally:
        session.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("how", choices=["count", "parse"])
    parser.add_argument("engine", help="a postgresql:// URL, or spark")
    parser.add_argument("leads", help="the leads: a PostgreSQL table, or a Parquet file for Spark")
    parser.add_argument("events", help="the history, likewise")
    parser.add_argument("--spec", type=Path, default=Path("."))
    args = parser.parse_args()
    spec = load_spec(args.spec).spec
    assert spec is not None, "the spec must validate"
    lead_fields = {f.id: f.type for f in spec.fields}
    engine = "postgresql" if args.engine.startswith("postgres") else "spark"
    tables = [args.leads, args.events] if engine == "postgresql" else ["t0", "t1"]
    queries = [
        scan(engine, tables[0], lead_fields, args.how),
        scan(engine, tables[1], EVENT_FIELDS, args.how),
    ]
    if engine == "spark":
        results = on_spark(args.engine, [Path(args.leads), Path(args.events)], queries)
    else:
        results = on_postgres(args.engine, queries)
    print(f"{args.how}: {results[0][0]:,} leads and {results[1][0]:,} history rows", file=sys.stdout)


if __name__ == "__main__":
    main()
