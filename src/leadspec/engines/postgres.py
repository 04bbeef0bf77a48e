"""PostgreSQL as an engine: leadspec's statements run in the server that holds the data.

The connection is psycopg's, in autocommit, with the session's time zone set to UTC
so that times mean what they mean in DuckDB, and JIT compilation off, as it spends
longer on leadspec's long expressions than running them does. Every table leadspec
makes is a temporary one (`dialect.translate` sees to it), so the session leaves
nothing behind when it ends, even on error. Its text columns take the "C" collation,
so text sorts by code point as in DuckDB and reports come out in the same order.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import EngineError, QueryError, Rows, hide_password, plain
from .dialect import translate

_CREATED = re.compile(r"^\s*CREATE\s+TEMPORARY\s+TABLE\s+(\w+|\"[^\"]+\")", re.I)


class Postgres:
    """A connection to PostgreSQL that takes statements in DuckDB's dialect."""

    name = "postgresql"

    def __init__(self, url: str) -> None:
        import psycopg  # NOTE: imported here: only a run on PostgreSQL needs the driver

        self._psycopg = psycopg
        try:
            self.connection = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as exc:
            reason = hide_password(
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            )
            raise EngineError(f"cannot connect to PostgreSQL at {hide_password(url)}: {reason}") from None
        self.connection.execute("SET TIME ZONE 'UTC'")
        # NOTE: at 20,000 leads JIT took ten minutes to compile what runs in seconds without it.
        self.connection.execute("SET jit = off")

    def execute(self, query: str) -> Rows:
        rows: list[tuple[Any, ...]] = []
        for statement in translate(query, "postgres"):
            try:
                cursor = self.connection.execute(statement)
                rows = (
                    [tuple(plain(v) for v in row) for row in cursor.fetchall()]
                    if cursor.description
                    else [(cursor.rowcount,)]
                )
            except self._psycopg.Error as exc:
                raise QueryError(hide_password(str(exc).strip().splitlines()[0])) from None
            created = _CREATED.match(statement)
            if created:
                self._binary_text(created.group(1))
        return Rows(rows)

    def _binary_text(self, table: str) -> None:
        """Give a new table's text columns the "C" collation: text sorts by code point."""
        name = table.strip('"')
        columns = self.connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND table_schema LIKE 'pg_temp%%' AND data_type IN ('text', 'character varying')",
            (name,),
        ).fetchall()
        for (column,) in columns:
            quoted = '"' + column.replace('"', '""') + '"'
            self.connection.execute(f'ALTER TABLE {table} ALTER COLUMN {quoted} TYPE text COLLATE "C"')

    def relation(self, table: str) -> str:
        return ".".join('"' + part.strip('"').replace('"', '""') + '"' for part in table.split("."))

    def columns(self, table: str) -> list[tuple[str, str]]:
        """The columns of a table or view the user named, with their types in DuckDB's names."""
        from psycopg import sql

        parts = [p.strip('"') for p in table.split(".")]
        try:
            cursor = self.connection.execute(
                sql.SQL("SELECT * FROM {} LIMIT 0").format(sql.Identifier(*parts))
            )
        except self._psycopg.Error as exc:
            raise EngineError(hide_password(str(exc).strip().splitlines()[0])) from None
        return [(c.name, _duckdb_type(c.type_display)) for c in cursor.description or []]

    def write_csv(self, query: str, path: Path) -> None:
        """The rows as PostgreSQL's CSV writes them, streamed: a header, NULL as an empty field."""
        (statement,) = translate(query, "postgres")
        copy = f"COPY ({statement}) TO STDOUT (FORMAT csv, HEADER true)"
        try:
            with path.open("wb") as out, self.connection.cursor() as cursor, cursor.copy(copy) as rows:
                for chunk in rows:
                    out.write(chunk)
        except self._psycopg.Error as exc:
            raise QueryError(hide_password(str(exc).strip().splitlines()[0])) from None

    def close(self) -> None:
        self.connection.close()


_TYPES = {
    "timestamptz": "TIMESTAMP WITH TIME ZONE",
    "timestamp": "TIMESTAMP",
    "date": "DATE",
    "bool": "BOOLEAN",
    "int2": "BIGINT",
    "int4": "BIGINT",
    "int8": "BIGINT",
    "float4": "DOUBLE",
    "float8": "DOUBLE",
    "json": "JSON",
    "jsonb": "JSON",
}


def _duckdb_type(name: str) -> str:
    """PostgreSQL's short type name as DuckDB names the type; text and the rest as VARCHAR."""
    if name.endswith("]"):
        return name.upper()
    if name.startswith("numeric"):
        return "DECIMAL"
    return _TYPES.get(name.split("(")[0], "VARCHAR")
