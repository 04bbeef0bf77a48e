"""Time `leadspec check` on PostgreSQL and Spark beside each engine's floor, and beside DuckDB.

    python bench/run_engines.py                    # 1,000,000 leads, 3 rounds, both engines
    python bench/run_engines.py --leads 100000 --rounds 1 --engines postgresql

The generated export (bench/generate.py) is loaded once into a throwaway PostgreSQL
server as text tables, the way a CRM sync lands it, and written once as Parquet for
Spark. Then each round runs every program once, one after another, as its own
process: DuckDB's check over the CSV files and its floor (bench/floor.py), and for
each engine its check on the tables, a `count(*)` and a parsing scan
(bench/engine_floor.py). Alternating them means a drift in the machine's speed
touches every program alike; the ratios are taken within a round and their median
is printed. The reports of the engines must equal DuckDB's in every rule's counts
and samples and in the data findings, or the run fails.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from generate import AS_OF, generate  # noqa: E402
from run import Timing, timed  # noqa: E402

LEADS, EVENTS = "crm.lead", "crm.lead_history"


def parquet(data: Path) -> tuple[Path, Path]:
    """The export's two files as Parquet of text columns, written once."""
    paths = (data / "leads.parquet", data / "events.parquet")
    for source, target in zip(("leads.csv", "events.csv"), paths, strict=True):
        if not target.exists():
            # NOTE: in a child process: a forked program's peak memory would include this one's.
            copy = (
                f"COPY (SELECT * FROM read_csv('{data / source}', all_varchar = true, header = true)) "
                f"TO '{target}' (FORMAT parquet)"
            )
            subprocess.run([sys.executable, "-c", f"import duckdb; duckdb.sql({copy!r})"], check=True)
    return paths


def postgres(stack: ExitStack, data: Path) -> str:
    """A new PostgreSQL server holding the export as two text tables; its URL."""
    import psycopg

    from engines.servers import load_csv_into_postgres, postgres_server

    base = Path(tempfile.mkdtemp(prefix="leadspec-bench-pg-"))
    stack.callback(os.rmdir, base)
    server = stack.enter_context(postgres_server(base))
    load_csv_into_postgres(server.url, LEADS, data / "leads.csv")
    load_csv_into_postgres(server.url, EVENTS, data / "events.csv")
    with psycopg.connect(server.url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return server.url


def check(data: Path, report: Path, *where: str) -> list[str]:
    leadspec = str(Path(sys.executable).with_name("leadspec"))
    as_of = AS_OF.replace(" ", "T")
    return [leadspec, "check", *where, "--mapping", "generic", "--as-of", as_of, "--json", str(report)]


def floor(how: str, engine: str, leads: str, events: str) -> list[str]:
    return [sys.executable, str(HERE / "engine_floor.py"), how, engine, leads, events]


def same_results(reports: dict[str, Path]) -> None:
    """Stop unless every engine's report says what DuckDB's says, rule by rule."""

    def results(path: Path) -> object:
        document = json.loads(path.read_text())
        return document["leads"], document["rules"], document["data_findings"]

    expected = results(reports["duckdb"])
    for engine, path in reports.items():
        if results(path) != expected:
            sys.exit(
                f"the report from {engine} differs from DuckDB's: compare {path} with {reports['duckdb']}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument(
        "--data", type=Path, default=None, help="the export's folder (default: one per size in /tmp)"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--engines", default="postgresql,spark", help="comma-separated: postgresql, spark")
    parser.add_argument(
        "--spark-memory", default="8g", help="the local Spark driver's memory (SPARK_DRIVER_MEMORY)"
    )
    args = parser.parse_args()
    data = args.data or Path(tempfile.gettempdir()) / f"leadspec-bench-{args.leads}"
    if not (data / "events.csv").exists():
        print(f"generating {args.leads:,} leads into {data} ...", flush=True)
        generate(data, args.leads, seed=1)
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    # NOTE: a stopped run still stops its PostgreSQL server and removes its folder.
    signal.signal(signal.SIGTERM, lambda signum, _: sys.exit(128 + signum))
    reports = {name: data / f"report-{name}.json" for name in ["duckdb", *engines]}
    with ExitStack() as stack:
        programs: dict[str, list[str]] = {
            "duckdb check": check(
                data, reports["duckdb"], str(data / "leads.csv"), "--events", str(data / "events.csv")
            ),
            "duckdb floor": [sys.executable, str(HERE / "floor.py"), str(data)],
        }
        if "postgresql" in engines:
            print("loading the export into PostgreSQL ...", flush=True)
            url = postgres(stack, data)
            tables = ["--engine", url, "--leads-table", LEADS, "--events-table", EVENTS]
            programs["postgresql check"] = check(data, reports["postgresql"], *tables)
            programs["postgresql count"] = floor("count", url, LEADS, EVENTS)
            programs["postgresql parse"] = floor("parse", url, LEADS, EVENTS)
        if "spark" in engines:
            # NOTE: local Spark's driver gets 1 GB unless told; 1M leads need more.
            os.environ["SPARK_DRIVER_MEMORY"] = args.spark_memory
            leads, events = (str(p) for p in parquet(data))
            files = ["--engine", "spark", "--leads-table", leads, "--events-table", events]
            programs["spark check"] = check(data, reports["spark"], *files)
            programs["spark count"] = floor("count", "spark", leads, events)
            programs["spark parse"] = floor("parse", "spark", leads, events)
        rounds: list[dict[str, Timing]] = []
        for number in range(1, args.rounds + 1):
            measured = {}
            for name, command in programs.items():
                measured[name] = timed(command)[0]
                print(
                    f"round {number}: {name} {measured[name].wall:.2f} s, peak {measured[name].peak_mb:,.0f} MB",
                    flush=True,
                )
            rounds.append(measured)
            if number == 1:
                same_results(reports)
    print(f"\n{args.leads:,} leads, {args.rounds} rounds; ratios are medians of each round's ratio\n")
    print("| program | wall s (median) | peak MB | check / this |\n|---|---:|---:|---:|")
    for name in programs:
        engine = name.split()[0]
        walls = [r[name].wall for r in rounds]
        ratio = statistics.median(r[f"{engine} check"].wall / r[name].wall for r in rounds)
        peak = statistics.median(r[name].peak_mb for r in rounds)
        print(f"| {name} | {statistics.median(walls):.2f} | {peak:,.0f} | {ratio:.2f} |")
    for engine in engines:
        ratio = statistics.median(r[f"{engine} check"].wall / r["duckdb check"].wall for r in rounds)
        print(f"\n{engine} check / duckdb check: {ratio:.2f}", end="")
    print()


if __name__ == "__main__":
    main()
