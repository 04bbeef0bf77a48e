"""Where the checks run: DuckDB, embedded (the default), or the database that holds the data.

leadspec writes its SQL once, in DuckDB's dialect, much of it as sqlglot trees. An
engine runs it: DuckDB as written; any other engine through `dialect.translate`,
which rewrites each statement for that engine from a vetted list of constructs and
refuses what is not on it, rather than trusting a blind transpile. Every engine
offers what the pipeline uses of a DuckDB connection: `execute(sql)` returning
rows to fetch. Heavy work stays in the engine; Python sees counts and a few rows.
"""

from __future__ import annotations

import decimal
import re
from pathlib import Path
from typing import Any, Protocol

import duckdb

__all__ = [
    "ENGINE_ERRORS",
    "Connection",
    "Cursor",
    "Engine",
    "EngineError",
    "QueryError",
    "Recorder",
    "Rows",
    "hide_password",
    "plain",
]


class Cursor(Protocol):
    def fetchall(self) -> list[tuple[Any, ...]]: ...

    def fetchone(self) -> tuple[Any, ...] | None: ...


class Connection(Protocol):
    """What the pipeline needs of an engine: statements in DuckDB's dialect, rows back."""

    def execute(self, query: str) -> Cursor: ...


class Engine(Connection, Protocol):
    """An engine other than DuckDB, with what the pipeline does differently there."""

    name: str  # as reports name it: 'postgresql'

    def relation(self, table: str) -> str:
        """How a statement (DuckDB's dialect) names a table the user gave as `table`."""
        ...

    def columns(self, table: str) -> list[tuple[str, str]]:
        """The columns of a table the user named, in order, each with its type as DuckDB names
        it (TIMESTAMP, BIGINT, VARCHAR, ...); EngineError when there is no such table."""
        ...

    def write_csv(self, query: str, path: Path) -> None:
        """The rows of `query` (DuckDB's dialect), with a header, as a CSV file at `path`."""
        ...

    def close(self) -> None: ...


class Rows:
    """The rows of one statement on an engine other than DuckDB, fetched already."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.rows

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None


class Recorder:
    """A connection that runs each statement on `con` and keeps its text, in order: the
    script leadspec writes for an engine it cannot reach is what a run sent to this one."""

    def __init__(self, con: Connection) -> None:
        self.con = con
        self.statements: list[str] = []

    def execute(self, query: str) -> Cursor:
        self.statements.append(query)
        return self.con.execute(query)


def plain(value: Any) -> Any:
    """A value as DuckDB would give it: a whole DECIMAL (a SUM, a COUNT) an int, a fraction
    a float, and so inside a list."""
    if isinstance(value, decimal.Decimal):
        exponent = value.as_tuple().exponent
        return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


class QueryError(Exception):
    """An engine other than DuckDB refused or failed a statement; the message is the engine's."""


class EngineError(Exception):
    """An engine cannot be reached or used: a bad URL, a refused login, a missing table.

    The message never holds a password: URLs in it pass through `hide_password`.
    """


# What a statement may raise on any engine: DuckDB's own errors, or another engine's.
ENGINE_ERRORS: tuple[type[Exception], ...] = (duckdb.Error, QueryError)


def kind(url: str) -> str:
    """The engine a --engine URL names: 'postgresql' or 'spark'; EngineError for any other."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql"
    if url == "spark" or url.startswith(("spark://", "sc://", "local", "yarn", "k8s://")):
        return "spark"
    raise EngineError(
        f"'{hide_password(url)}' names no engine leadspec knows: give postgresql://user@host/db, "
        "spark (local), spark://host:7077 or sc://host:15002"
    )


def connect(url: str) -> Engine:
    """A session on the engine `url` names; EngineError when it cannot be reached."""
    if kind(url) == "postgresql":
        from .postgres import Postgres

        return Postgres(url)
    from .spark import Spark

    return Spark(url)


def hide_password(text: str) -> str:
    """`text` with the password of any URL in it replaced by ***."""
    return re.sub(r"(\w+://[^:/@\s]*:)[^@\s]*@", r"\1***@", text)
