"""The two ways reading an export can fail before any data is checked, and the engine's own.

`InputError` is about the export file (unreadable, wrong encoding, a column the
mapping needs is missing); `MappingError` is about the mapping YAML and carries
findings located at `path:line:col`, like spec errors. `ENGINE_STOPS` are never
the file's fault (the memory limit, an interrupt) and pass through as they are.
"""

from __future__ import annotations

import re

import duckdb

from ..spec.codes import Code
from ..spec.findings import Finding
from .privacy import mask

# What stops the engine whatever the file holds: the memory limit, or an interrupt.
ENGINE_STOPS = (duckdb.OutOfMemoryException, duckdb.InterruptException)


class InputError(Exception):
    """An export that cannot be read as the mapping says: names the file, the problem and the fix,
    with the code (LS5xx) that documents the kind of problem."""

    def __init__(self, file: str, problem: str, fix: str, line: int | None = None, *, code: Code) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        self.fix = fix
        self.code = code
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {problem}. {fix}")

    @property
    def finding(self) -> Finding:
        """The error as a finding, to be written the way every finding is."""
        return Finding(self.file, self.line or 0, 0, self.code, self.problem, self.fix)


class MappingError(Exception):
    """The mapping file is invalid; `findings` say where and why, all of them at once."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = sorted(findings)
        super().__init__("\n".join(f.headline for f in self.findings))


def engine_reason(error: Exception) -> str:
    """The engine's first sentence, for a message; values it quotes (the export's) left out.

    DuckDB quotes a value in single quotes; PostgreSQL in double quotes after a colon
    (`invalid input syntax for type integer: "x"`), where it names a column the same
    way without one, and a column's name is worth keeping.
    """
    first = str(error).strip().splitlines()[0].split(". ")[0].rstrip(".")
    return re.sub(r': "[^"]*"$', ': "..."', re.sub(r"'[^']*'", "'...'", first))


def column_list(columns: tuple[str, ...] | list[str], limit: int = 40) -> str:
    """A file's column names for a message: the first `limit`, each cut short and masked.

    When a row of data is taken for the header, its "names" are a lead's values.
    """
    shown = [mask(c if len(c) <= 40 else c[:37] + "...") for c in columns[:limit]]
    more = f", and {len(columns) - limit} more" if len(columns) > limit else ""
    return ", ".join(shown) + more
