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
