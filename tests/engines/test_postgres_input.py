"""Checks on PostgreSQL: typed tables read as they are, bad input stops with exit 2 and a
message that names the engine, the table and the column, never the password, and a run
leaves nothing behind in the database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from psycopg import sql

from engines.servers import PASSWORD, PASSWORD_USER, PostgresServer, load_csv_into_postgres, password_url
from leadspec.cli import main

ROOT = Path(__file__).resolve().parents[2]
GENERIC = ROOT / "examples" / "generic"
AS_OF = "2026-10-30"
TIMES = (
    "created_at",
    "consent_at",
    "routed_at",
    "first_contact_at",
    "mql_at",
    "sal_at",
    "sql_at",
    "converted_at",
    "disqualified_at",
    "nurture_at",
    "last_activity_at",
)
NUMBERS = {
    "employee_count": "integer",
    "annual_revenue": "numeric(14,2)",
    "intent_score": "integer",
    "opportunity_amount": "numeric(14,2)",
}
FLAGS = ("budget_confirmed", "authority_confirmed", "need_confirmed")


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["check", *args, "--spec", str(ROOT), "--as-of", AS_OF], env=env)


@pytest.fixture(scope="module")
def generic(postgres: PostgresServer) -> Iterator[PostgresServer]:
    """The generic example as text tables (`raw`), and as the typed tables a sync writes (`typed`)."""
    for schema in ("raw", "typed"):
        load_csv_into_postgres(postgres.url, f"{schema}.leads", GENERIC / "leads.csv")
        load_csv_into_postgres(postgres.url, f"{schema}.events", GENERIC / "events.csv")
    changes = [f"ALTER COLUMN {c} TYPE timestamptz USING NULLIF({c}, '')::timestamptz" for c in TIMES]
    changes += [f"ALTER COLUMN {c} TYPE {t} USING NULLIF({c}, '')::{t}" for c, t in NUMBERS.items()]
    changes += [f"ALTER COLUMN {c} TYPE boolean USING NULLIF({c}, '')::boolean" for c in FLAGS]
    with psycopg.connect(postgres.url, autocommit=True) as conn:
        conn.execute(f"ALTER TABLE typed.leads {', '.join(changes)}")  # type: ignore[arg-type]
        conn.execute("ALTER TABLE typed.events ALTER COLUMN at TYPE timestamptz USING at::timestamptz")
        conn.execute("CREATE SCHEMA bad")
        conn.execute("CREATE TABLE bad.no_stage AS SELECT * FROM raw.leads")
        conn.execute("ALTER TABLE bad.no_stage DROP COLUMN stage")
        conn.execute("CREATE TABLE bad.flag_time AS SELECT * FROM raw.leads")
        conn.execute(
            "ALTER TABLE bad.flag_time ALTER COLUMN created_at TYPE boolean USING created_at IS NULL"
        )
        for schema in ("raw", "typed", "bad"):
            conn.execute(
                sql.SQL(
                    "GRANT USAGE ON SCHEMA {0} TO {1}; GRANT SELECT ON ALL TABLES IN SCHEMA {0} TO {1}"
                ).format(sql.Identifier(schema), sql.Identifier(PASSWORD_USER))
            )
    yield postgres


def tables(server: PostgresServer) -> list[tuple[str, str]]:
    """Every table and view outside the system schemas, temporary ones included."""
    with psycopg.connect(server.url) as conn:
        return conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema NOT IN "
            "('pg_catalog', 'information_schema') ORDER BY 1, 2"
        ).fetchall()


def report_of(tmp_path: Path, name: str, *where: str) -> dict[str, object]:
    out = tmp_path / f"{name}.json"
    result = run(*where, "--json", str(out))
    assert result.exit_code == 1, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    return {k: v for k, v in document.items() if k not in ("engine", "inputs")}


def test_typed_tables_give_the_report_the_files_give(generic: PostgresServer, tmp_path: Path) -> None:
    files = report_of(tmp_path, "files", str(GENERIC / "leads.csv"), "--events", str(GENERIC / "events.csv"))
    for schema in ("raw", "typed"):
        on_engine = report_of(
            tmp_path,
            schema,
            "--engine",
            generic.url,
            "--leads-table",
            f"{schema}.leads",
            "--events-table",
            f"{schema}.events",
        )
        assert on_engine == files, schema


def test_the_url_can_come_from_the_environment_and_the_password_from_libpq(
    generic: PostgresServer, tmp_path: Path
) -> None:
    url = f"postgresql://{PASSWORD_USER}@127.0.0.1:{generic.port}/leadspec"
    result = run("--leads-table", "raw.leads", env={"LEADSPEC_ENGINE_URL": url, "PGPASSWORD": PASSWORD})
    assert result.exit_code == 1, result.output
    assert "run on postgresql" in result.output


def test_a_wrong_password_exits_2_without_showing_it(generic: PostgresServer) -> None:
    wrong = "Wr0ng-s3cret"
    result = run("--engine", password_url(generic.port, wrong), "--leads-table", "raw.leads")
    assert result.exit_code == 2
    assert "password authentication failed" in result.output
    assert wrong not in result.output and "***" in result.output


def test_an_unreachable_server_exits_2_naming_the_engine(generic: PostgresServer) -> None:
    closed = f"postgresql://{PASSWORD_USER}:{PASSWORD}@127.0.0.1:1/leadspec"
    result = run("--engine", closed, "--leads-table", "raw.leads")
    assert result.exit_code == 2
    assert "cannot connect to PostgreSQL" in result.output
    assert PASSWORD not in result.output


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ("raw.nowhere", ["raw.nowhere", "cannot be read on postgresql", "does not exist"]),
        ("bad.no_stage", ["bad.no_stage", "needs columns that are not in the table", "stage"]),
        ("bad.flag_time", ["bad.flag_time", "column created_at is BOOLEAN on postgresql", "created_at"]),
    ],
    ids=["missing table", "missing column", "wrong type"],
)
def test_a_table_that_does_not_fit_exits_2_naming_it(
    generic: PostgresServer, tmp_path: Path, table: str, words: list[str]
) -> None:
    before = tables(generic)
    out = tmp_path / "report.json"
    result = run("--engine", generic.password_url, "--leads-table", table, "--json", str(out))
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.output
    assert PASSWORD not in result.output
    assert not out.exists()
    assert tables(generic) == before


def test_a_run_leaves_no_table_behind(generic: PostgresServer, tmp_path: Path) -> None:
    before = tables(generic)
    result = run(
        "--engine",
        generic.url,
        "--leads-table",
        "raw.leads",
        "--events-table",
        "raw.events",
        "--violations",
        str(tmp_path / "v.csv"),
    )
    assert result.exit_code == 1, result.output
    assert tables(generic) == before
