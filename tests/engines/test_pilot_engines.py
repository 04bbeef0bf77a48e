"""`leadspec pilot` and `leadspec diff --backtest` give the same answers on every engine:
the pilot's KPIs and funnel, and each rule's flagged leads under both versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pyspark.sql import SparkSession

from engines.servers import PostgresServer, load_csv_into_postgres, load_csv_into_spark
from leadspec.cli import main

ROOT = Path(__file__).resolve().parents[2]
SALESFORCE = ROOT / "examples" / "salesforce"
FILES = {"leads": SALESFORCE / "Lead.csv", "events": SALESFORCE / "LeadHistory.csv"}
AS_OF = "2026-11-02T11:00:00"


@pytest.fixture(scope="module")
def where(request: pytest.FixtureRequest) -> dict[str, tuple[str, ...]]:
    """The options that name the Salesforce example's tables on each engine."""
    server: PostgresServer = request.getfixturevalue("postgres")
    session: SparkSession = request.getfixturevalue("spark")
    for role, path in FILES.items():
        load_csv_into_postgres(server.url, f"pilot_sf.{role}", path)
        load_csv_into_spark(session, f"pilot_sf.{role}", path)
    tables = ("--leads-table", "pilot_sf.leads", "--events-table", "pilot_sf.events")
    return {
        "duckdb": (str(FILES["leads"]), "--events", str(FILES["events"])),
        "postgresql": ("--engine", server.url, *tables),
        "spark": ("--engine", "spark", *tables),
    }


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--spec", str(ROOT)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def pilot(tmp_path: Path, *where: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "pilot.json"
    code, output = run("pilot", *where, "--mapping", "salesforce", "--as-of", AS_OF, "--json", str(out))
    assert code in (0, 1), output
    report = json.loads(out.read_text(encoding="utf-8"))
    return code, {k: v for k, v in report.items() if k not in ("engine", "inputs")} | {
        "inputs": [(i["role"], i["rows"]) for i in report["inputs"]]
    }


@pytest.mark.parametrize("engine", ["postgresql", "spark"])
def test_the_pilot_measures_the_same_on_each_engine(
    where: dict[str, tuple[str, ...]], tmp_path: Path, engine: str
) -> None:
    expected = pilot(tmp_path / "duckdb", *where["duckdb"])
    assert expected[1]["kpis"], "the example must give KPIs to compare"
    assert pilot(tmp_path / engine, *where[engine]) == expected


@pytest.mark.parametrize("engine", ["postgresql", "spark"])
def test_a_backtest_flags_the_same_leads_on_each_engine(
    where: dict[str, tuple[str, ...]], engine: str
) -> None:
    def backtest(*options: str) -> tuple[int, dict[str, Any]]:
        code, output = run(
            "diff", "0.5", "0.75", "--format", "json", "--mapping", "salesforce", "--as-of", AS_OF, *options
        )
        assert code in (0, 1), output
        report = json.loads(output)
        report["backtest"].pop("inputs")  # the files' names, or the tables'
        return code, report

    duckdb_where = where["duckdb"]
    expected = backtest("--backtest", duckdb_where[0], *duckdb_where[1:])
    assert expected[1]["backtest"], "the example must give a backtest to compare"
    assert backtest(*where[engine]) == expected
