"""The engines start, answer, refuse a wrong password and load the bundled Salesforce export."""

from __future__ import annotations

import csv
from pathlib import Path

import psycopg
import pytest
from pyspark.sql import SparkSession

from engines.servers import PostgresServer, load_csv_into_postgres, password_url

LEAD_CSV = Path(__file__).resolve().parents[2] / "examples" / "salesforce" / "Lead.csv"


def lead_header() -> list[str]:
    with LEAD_CSV.open(encoding="utf-8-sig", newline="") as source:
        return next(csv.reader(source))


def test_postgres_answers_over_the_socket(postgres: PostgresServer) -> None:
    with psycopg.connect(postgres.url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


def test_postgres_checks_the_password(postgres: PostgresServer) -> None:
    with psycopg.connect(postgres.password_url) as conn:
        assert conn.execute("SELECT current_user").fetchone() == ("secret_user",)
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(password_url(postgres.port, "wrong-pw"))


def test_csv_loads_into_postgres(postgres: PostgresServer) -> None:
    load_csv_into_postgres(postgres.url, "crm.lead", LEAD_CSV)
    with psycopg.connect(postgres.url) as conn:
        assert conn.execute("SELECT count(*) FROM crm.lead").fetchone() == (300,)
        columns = conn.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = 'crm' AND table_name = 'lead' ORDER BY ordinal_position"
        ).fetchall()
    assert [name for (name,) in columns] == lead_header()


def test_spark_answers_and_reads_the_csv(spark: SparkSession) -> None:
    assert spark.sql("SELECT 1 AS one").collect()[0].one == 1
    leads = spark.read.option("header", True).csv(str(LEAD_CSV))
    assert leads.count() == 300
    assert leads.columns == lead_header()
