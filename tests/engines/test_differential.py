"""The same export gives the same report on every engine: DuckDB over the files, and
PostgreSQL and Spark over the same rows loaded as tables (and Spark over the files too).

Each export is loaded as text tables, the way a CRM sync lands it, and checked with
`--engine`. The JSON reports must be equal apart from the engine's name and how each
input is named (a file and its digest, or a table); the violations CSV must be the same
bytes, and hold exactly the export's planted violations.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pyspark.sql import SparkSession

from engines.servers import PostgresServer, load_csv_into_postgres, load_csv_into_spark
from leadspec.cli import main
from leadspec.sample import write_sample

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


@dataclass(frozen=True)
class Export:
    """An export as files, with the mapping and time to check it at."""

    name: str
    mapping: str
    as_of: str
    leads: Path
    events: Path | None = None
    joins: dict[str, Path] = field(default_factory=dict)

    @property
    def expected(self) -> Path:
        return self.leads.parent / "expected_violations.csv"

    def files(self) -> dict[str, Path]:
        """Each file by the role it plays, for loading into an engine."""
        found = {"leads": self.leads, **{f"join_{n}": p for n, p in self.joins.items()}}
        return found | ({"events": self.events} if self.events else {})


BUNDLED = [
    Export(
        "salesforce",
        "salesforce",
        "2026-11-02T11:00:00",
        EXAMPLES / "salesforce" / "Lead.csv",
        EXAMPLES / "salesforce" / "LeadHistory.csv",
    ),
    Export(
        "hubspot",
        "hubspot",
        "2026-11-02T11:00:00",
        EXAMPLES / "hubspot" / "contacts.csv",
        joins={"deals": EXAMPLES / "hubspot" / "deals.csv"},
    ),
    Export(
        "generic",
        "generic",
        "2026-10-30",
        EXAMPLES / "generic" / "leads.csv",
        EXAMPLES / "generic" / "events.csv",
    ),
]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Export:
    """A generated Salesforce export with another seed and a higher plant rate than the example's."""
    written = write_sample(
        tmp_path_factory.mktemp("planted"), "salesforce", 500, 23, spec_root=ROOT, plant_rate=0.2
    )
    assert written.history is not None
    return Export("planted", "salesforce", written.as_of.isoformat(), written.export, written.history)


def check(export: Export, out: Path, *where: str) -> tuple[int, dict[str, Any], bytes]:
    """`leadspec check` on the export (files, or `where` names the engine and tables)."""
    out.mkdir(parents=True, exist_ok=True)
    report, violations = out / "report.json", out / "violations.csv"
    if not where:
        where = (str(export.leads),)
        if export.events:
            where += ("--events", str(export.events))
        for name, path in export.joins.items():
            where += ("--join", f"{name}={path}")
    args = ["check", *where, "--mapping", export.mapping, "--spec", str(ROOT), "--as-of", export.as_of]
    args += ["--samples", "1000", "--json", str(report), "--violations", str(violations)]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(report.read_text(encoding="utf-8")), violations.read_bytes()


def on_postgres(server: PostgresServer, export: Export) -> tuple[str, ...]:
    """Load the export's files as text tables in a schema of its own; the options to check them."""
    tables = {role: f"{export.name}.{role}" for role in export.files()}
    for role, path in export.files().items():
        load_csv_into_postgres(server.url, tables[role], path)
    return _options(server.url, tables, export)


def on_spark(session: SparkSession, export: Export) -> tuple[str, ...]:
    """Load the export's files as text tables in a database of its own; the options to check them."""
    tables = {role: f"{export.name}.{role}" for role in export.files()}
    for role, path in export.files().items():
        load_csv_into_spark(session, tables[role], path)
    return _options("spark", tables, export)


def spark_files(export: Export) -> tuple[str, ...]:
    """The options that have Spark read the export's own files."""
    return _options("spark", {role: str(path) for role, path in export.files().items()}, export)


def _options(engine: str, tables: dict[str, str], export: Export) -> tuple[str, ...]:
    where = ("--engine", engine, "--leads-table", tables["leads"])
    if export.events:
        where += ("--events-table", tables["events"])
    for name in export.joins:
        where += ("--join", f"{name}={tables[f'join_{name}']}")
    return where


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """The report without what must differ: the engine, and each input's name (a file's or a
    table's, also where a finding names it) and digest."""
    text = json.dumps({k: v for k, v in report.items() if k not in ("engine", "inputs")})
    for i in report["inputs"]:
        text = text.replace(json.dumps(i["name"])[1:-1], f"<{i['role']}>")
    return json.loads(text) | {"inputs": [(i["role"], i["rows"]) for i in report["inputs"]]}


def pairs(violations: bytes) -> set[tuple[str, str]]:
    return {(r["lead_id"], r["rule_id"]) for r in csv.DictReader(violations.decode("utf-8").splitlines())}


def expected_pairs(export: Export) -> set[tuple[str, str]]:
    with export.expected.open(encoding="utf-8") as handle:
        return {(r["lead_id"], r["rule_id"]) for r in csv.DictReader(handle)}


def assert_same_as_files(export: Export, tmp_path: Path, engine: str, where: tuple[str, ...]) -> None:
    code, report, violations = check(export, tmp_path / "duckdb")
    engine_code, engine_report, engine_violations = check(export, tmp_path / engine, *where)
    assert (report["engine"], engine_report["engine"]) == ("duckdb", engine)
    assert comparable(engine_report) == comparable(report)
    assert engine_violations == violations
    assert engine_code == code == 1
    assert pairs(engine_violations) == expected_pairs(export)


@pytest.mark.parametrize("export", BUNDLED, ids=lambda e: e.name)
def test_postgres_reports_the_bundled_exports_as_duckdb_does(
    postgres: PostgresServer, export: Export, tmp_path: Path
) -> None:
    assert_same_as_files(export, tmp_path, "postgresql", on_postgres(postgres, export))


def test_postgres_reports_planted_violations_as_duckdb_does(
    postgres: PostgresServer, planted: Export, tmp_path: Path
) -> None:
    assert_same_as_files(planted, tmp_path, "postgresql", on_postgres(postgres, planted))


@pytest.mark.parametrize("export", BUNDLED, ids=lambda e: e.name)
def test_spark_reports_the_bundled_exports_as_duckdb_does(
    spark: SparkSession, export: Export, tmp_path: Path
) -> None:
    assert_same_as_files(export, tmp_path, "spark", on_spark(spark, export))


def test_spark_reports_planted_violations_as_duckdb_does(
    spark: SparkSession, planted: Export, tmp_path: Path
) -> None:
    assert_same_as_files(planted, tmp_path, "spark", on_spark(spark, planted))


@pytest.mark.parametrize("export", BUNDLED[:2], ids=lambda e: e.name)
def test_spark_reads_the_export_files_itself(spark: SparkSession, export: Export, tmp_path: Path) -> None:
    assert_same_as_files(export, tmp_path, "spark", spark_files(export))
