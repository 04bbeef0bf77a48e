"""Single constructs whose meaning differs between engines, run on each: the rewrite must
give DuckDB's answer, on the edge cases the bundled exports may never hold."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from engines.servers import PostgresServer
from leadspec.engines import Connection
from leadspec.engines.postgres import Postgres
from leadspec.engines.spark import Spark
from leadspec.rules.base import one_decimal


@pytest.fixture(scope="module", params=["postgresql", "spark"])
def engine(request: pytest.FixtureRequest) -> Iterator[Connection]:
    if request.param == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres")
        con: Postgres | Spark = Postgres(server.url)
    else:
        request.getfixturevalue("spark")  # NOTE: Spark() takes the active session as it is
        con = Spark("spark")
    yield con
    con.close()


def rows(*values: str) -> str:
    return f"(VALUES {', '.join(values)}) AS t(v, a, b)"


NULL_PARTS = rows("('x', NULL, 2)", "('y', NULL, 1)", "('z', 5, 3)")
ALL_NULL = rows("('x', NULL, 2)", "('y', NULL, 1)")
NULL_VALUE = rows("(NULL, 1, 1)", "('y', 1, 2)")
NULL_KEY = rows("('x', NULL, 1)", "('y', 4, 2)")
ROUNDED = ", ".join(
    f"CAST({one_decimal(v)} AS TEXT)" for v in ("2587680 / 86400.0", "-0.04", "44820 / 60.0 / 60")
)


@pytest.mark.parametrize(
    "sql",
    [
        # a NULL part of a tuple key sorts after every value; all NULL, the next part decides
        f"SELECT arg_min(v, (a, b)) FROM {NULL_PARTS}",
        f"SELECT arg_min(v, (a, b)) FROM {ALL_NULL}",
        # a row whose value or whose single key is NULL is passed over
        f"SELECT arg_min(v, b) FROM {NULL_VALUE}",
        f"SELECT arg_min(v, a) FROM {NULL_KEY}",
        # 29.95 days is just below itself as a double: rounded as a decimal it is 30.0 everywhere
        f"SELECT {ROUNDED}",
    ],
)
def test_a_construct_gives_duckdbs_answer(engine: Connection, sql: str) -> None:
    expected = duckdb.sql(sql).fetchall()
    assert engine.execute(sql).fetchall() == expected


# Each format with values zero-padded (read by their fixed places) and not (read by a
# regular expression's groups), impossible ones, and ones of another shape.
TIMES = {
    "%Y-%m-%dT%H:%M:%SZ": [
        "2026-03-02T09:05:07Z",
        "2026-3-2T9:5:7Z",
        " 2026-03-02T09:05:07Z ",
        "2024-02-29T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2000-02-29T23:59:59Z",
        "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-12-31T24:00:00Z",
        "2026-12-31T23:60:00Z",
        "2026-12-31T23:59:60Z",
        "2026-12-31 23:59:59Z",
        "2026-12-31T23:59:59",
        "２０２６-03-02T09:05:07Z",
        "",
    ],
    "%Y-%m-%dT%H:%M:%S.%f%z": [
        "2024-01-22T20:36:47.000+0000",
        "2024-01-22T20:36:47.123456+05:30",
        "2024-01-22T20:36:47.5-0800",
        "2024-01-22T20:36:47.000+02",
        "2024-01-22T20:36:47.1234567+0000",
        "2024-02-30T20:36:47.000+0000",
    ],
    "%m/%d/%y %I:%M %p": [
        "02/24/26 02:18 AM",
        "02/24/26 12:18 am",
        "12/31/99 12:00 PM",
        "2/4/68 1:05 pm",
        "02/24/26 13:18 PM",
        "02/24/26  02:18 AM",
        "02/29/25 02:18 AM",
    ],
    "%Y%m%d": ["20210105", "2021015", "20210230", "2021-01-05"],
    "%d.%m.%Y %H:%M %%": ["05.01.2021 10:30 %", "5.1.2021 10:30 %", "31.06.2021 10:30 %"],
}


@pytest.mark.parametrize("fmt", sorted(TIMES))
def test_a_time_reads_as_duckdb_reads_it(engine: Connection, fmt: str) -> None:
    values = ", ".join(f"('{v}')" for v in TIMES[fmt])
    read = f"try_strptime(v, '{fmt}')"
    if "%z" in fmt:
        read = f"timezone('UTC', {read})"
    sql = f"SELECT v, {read} FROM (VALUES {values}) AS t(v) ORDER BY v"
    expected = duckdb.sql(sql).fetchall()
    assert sum(t is not None for _, t in expected) >= 2  # NOTE: the test would be empty otherwise
    assert engine.execute(sql).fetchall() == expected
