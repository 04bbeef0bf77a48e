"""Bad input on Spark stops with exit 2 and a message naming the engine, the table and the
column, writes no report, and leaves the catalog as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pyspark.sql import SparkSession

from engines.servers import load_csv_into_spark
from leadspec.cli import main

ROOT = Path(__file__).resolve().parents[2]
GENERIC = ROOT / "examples" / "generic"


def run(*args: str) -> Result:
    return CliRunner().invoke(
        main, ["check", "--engine", "spark", *args, "--spec", str(ROOT), "--as-of", "2026-10-30"]
    )


@pytest.fixture(scope="module")
def catalog(spark: SparkSession) -> Iterator[SparkSession]:
    """The generic example as the table `sparkin.leads`, and copies that do not fit it."""
    load_csv_into_spark(spark, "sparkin.leads", GENERIC / "leads.csv")
    spark.sql("CREATE TABLE sparkin.no_stage AS SELECT * EXCEPT (stage) FROM sparkin.leads").collect()
    spark.sql(
        "CREATE TABLE sparkin.flag_time AS SELECT * EXCEPT (created_at), created_at IS NULL AS created_at "
        "FROM sparkin.leads"
    ).collect()
    yield spark
    spark.sql("DROP DATABASE sparkin CASCADE").collect()


def views(session: SparkSession) -> list[str]:
    return sorted(t.name for t in session.catalog.listTables() if t.isTemporary)


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ("sparkin.nowhere", ["sparkin.nowhere", "cannot be read on spark"]),
        ("sparkin.no_stage", ["sparkin.no_stage", "needs columns that are not in the table", "stage"]),
        ("sparkin.flag_time", ["sparkin.flag_time", "column created_at is BOOLEAN on spark", "created_at"]),
        ("/nowhere/leads.parquet", ["/nowhere/leads.parquet", "cannot be read on spark"]),
    ],
    ids=["missing table", "missing column", "wrong type", "missing file"],
)
def test_a_table_that_does_not_fit_exits_2_naming_it(
    catalog: SparkSession, tmp_path: Path, table: str, words: list[str]
) -> None:
    before = views(catalog)
    out = tmp_path / "report.json"
    result = run("--leads-table", table, "--json", str(out))
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert views(catalog) == before
