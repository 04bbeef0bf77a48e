"""Read an export into DuckDB with every column as text, whatever its format.

Nothing is type-sniffed: '00123' stays '00123', '02/03/26' is not guessed to be a
date in some order. The mapping alone says how text becomes typed values, in SQL,
so a CSV, a Parquet file, JSON lines and a spreadsheet of the same leads give the
same canonical rows. The format is chosen by the file's extension.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from ..engines import EngineError
from ..spec.codes import Code
from . import encoding as enc
from .errors import ENGINE_STOPS, InputError, engine_reason
from .footer import find_footer
from .sql import ident, lit
from .xlsx import register_xlsx, xlsx_header

DELIMITERS = (",", ";", "\t", "|")  # the separators a CSV export uses, the likeliest first
FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "json",
    ".ndjson": "json",
    ".json": "json",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}


@dataclass(frozen=True)
class Table:
    """A table or view in the engine that runs the checks, named as the user wrote it
    (`crm.lead`): read where it is, instead of a file."""

    qualified: str
    engine: str  # the engine's name, for messages: 'postgresql'

    @property
    def name(self) -> str:
        return self.qualified

    def __str__(self) -> str:
        return self.qualified


Source = Path | Table  # where an export's rows are: a file, or a table of the engine


@dataclass(frozen=True)
class Export:
    """An export opened in DuckDB: its columns and a FROM item that yields them as text."""

    path: Source
    columns: tuple[str, ...]
    source: str  # SQL for a FROM clause
    footer: int = 0  # lines of a report footer left unread at the end of the file
    types: tuple[str, ...] = ()  # each column's type, as DuckDB names it, where the source has types

    def unfit(self, column: str, kind: str) -> str | None:
        """The column's type when its values cannot be of the data dictionary's `kind`.

        Text fits every kind, since the mapping's formats parse it; a typed column must be
        of the kind: a time for a time, a number for a number or a yes/no (1 and 0).
        """
        found = dict(zip(self.columns, self.types, strict=False)).get(column)
        if found is None:
            return None
        held = (
            "time"
            if found.startswith(("TIMESTAMP", "DATE"))
            else "boolean"
            if found == "BOOLEAN"
            else "number"
            if found in ("BIGINT", "INTEGER", "DOUBLE", "DECIMAL")
            else "text"
        )
        fits = {
            "timestamp": {"time"},
            "date": {"time"},
            "integer": {"number"},
            "number": {"number"},
            "boolean": {"boolean", "number"},
        }
        return found if held != "text" and held not in fits.get(kind, {held}) else None

    @property
    def name(self) -> str:
        return self.path.name


ARCHIVES = {
    b"\x1f\x8b": "gzip",
    b"PK\x03\x04": "ZIP",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"(\xb5/\xfd": "zstd",
    b"7z\xbc\xaf\x27\x1c": "7z",
}


def file_format(path: Path) -> str:
    if not path.is_file():
        raise InputError(str(path), "file not found", "Check the path", code=Code.LS501)
    with path.open("rb") as handle:
        start = handle.read(8)
    packed = next((name for magic, name in ARCHIVES.items() if start.startswith(magic)), None)
    kind = FORMATS.get(path.suffix.lower())
    # NOTE: an XLSX workbook is a ZIP archive itself.
    if packed is not None and not (packed == "ZIP" and kind == "xlsx"):
        raise InputError(
            path.name,
            f"is a {packed} file, not an export",
            "Unpack it first (a Salesforce Data Export arrives as a ZIP of CSV files) "
            "and check the file inside",
            code=Code.LS501,
        )
    if kind is None:
        raise InputError(
            path.name,
            f"cannot tell the format from the extension '{path.suffix}'",
            "Save the export as .csv, .parquet, .jsonl or .xlsx",
            code=Code.LS501,
        )
    return kind


@contextmanager
def open_export(
    con: Any, path: Source, *, encoding: str | None = None, delimiter: str | None = None
) -> Iterator[Export]:
    """The export as text columns in `con`; temporary files and views go when the block ends."""
    if isinstance(path, Table):
        yield _table(con, path)
        return
    kind = file_format(path)
    if kind == "parquet":
        yield _parquet(con, path)
    elif kind == "xlsx":
        view = register_xlsx(con, path)
        try:
            yield _describe(con, path, ident(view))
        finally:
            con.unregister(view)
    else:
        with tempfile.TemporaryDirectory(prefix="leadspec-") as scratch:
            readable = _utf8_copy(path, encoding, Path(scratch))
            if kind == "csv":
                yield _csv(con, path, readable, encoding, delimiter, Path(scratch))
            else:
                yield _json(con, path, readable or path)


def _table(con: Any, table: Table) -> Export:
    """A table of the engine as text columns: typed values as the text the formats read."""
    try:
        columns = con.columns(table.qualified)
    except EngineError as exc:
        raise InputError(
            table.qualified,
            f"cannot be read on {table.engine}: {exc}",
            "Check the table's name, with its schema (crm.lead), and that this login may read it",
            code=Code.LS501,
        ) from None
    name = con.relation(table.qualified)
    texts = ", ".join(f"{_as_text(column, kind)} AS {ident(column)}" for column, kind in columns)
    return Export(
        table,
        tuple(column for column, _ in columns),
        f"(SELECT {texts} FROM {name})",
        types=tuple(kind for _, kind in columns),
    )


def read_header(path: Path, *, encoding: str | None = None, delimiter: str | None = None) -> list[str]:
    """The column names only, without reading the rows (for drafting a mapping)."""
    kind = file_format(path)
    if kind == "xlsx":
        return xlsx_header(path)
    if kind == "csv":
        return _header_and_delimiter(path, encoding, delimiter)[0]
    with duckdb.connect() as con, open_export(con, path, encoding=encoding) as export:
        return list(export.columns)


def _header_and_delimiter(path: Path, encoding: str | None, delimiter: str | None) -> tuple[list[str], str]:
    """The first line's fields, and the delimiter: as given, or the one that splits that
    line into the most fields (a comma on a tie), so that 'Id;Revenue, EUR;Status' is
    read as three columns."""
    name = enc.codec(encoding, path.name)
    try:
        with path.open(encoding="utf-8-sig" if name == "utf-8" else name, newline="") as text:
            first = next((line for line in text if line.strip()), "")  # DuckDB skips blank lines too
    except UnicodeDecodeError:
        raise enc.bad_bytes(path, name, path.name) from None
    if not delimiter:
        delimiter = max(DELIMITERS, key=lambda d: len(next(csv.reader([first], delimiter=d), [])))
    return next(csv.reader([first], delimiter=delimiter), []), delimiter


def fail(export_path: Source, error: Exception, encoding: str | None) -> InputError:
    """Turn an engine's read error into an InputError that names the line (or table) and the fix."""
    if isinstance(error, ENGINE_STOPS):
        raise error  # NOTE: not a problem of the file: the CLI says what stopped the run
    if isinstance(export_path, Table):
        return InputError(
            export_path.qualified,
            f"cannot be read on {export_path.engine}: {engine_reason(error)}",
            "Check that the mapping's columns are in the table, and that their values read as "
            "its formats say",
            code=Code.LS501,
        )
    text = str(error)
    name = enc.codec(encoding, export_path.name)
    if "not utf-8 encoded" in text or "Invalid unicode" in text or "not latin-1 encoded" in text:
        return enc.bad_bytes(export_path, name, export_path.name)
    match = re.search(r"on Line: (\d+)", text)
    first = text.strip().splitlines()[0].removeprefix("Invalid Input Error: ")
    return InputError(
        export_path.name,
        f"cannot be read: {first}",
        "Check that it is the right file; for a CSV, pass --delimiter if the separator is not detected",
        int(match.group(1)) if match else None,
        code=Code.LS501,
    )


def _utf8_copy(path: Path, encoding: str | None, scratch: Path) -> Path | None:
    name = enc.codec(encoding, path.name)
    if enc.duckdb_encoding(name) is not None:
        return None
    target = scratch / f"{path.stem}.utf8{path.suffix}"
    enc.transcode(path, target, name, path.name)
    return target


def _csv(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    copy: Path | None,
    encoding: str | None,
    delimiter: str | None,
    scratch: Path,
) -> Export:
    """A CSV file as text columns, any report footer cut off before DuckDB sees it.

    DuckDB's sniffer finds the delimiter from many rows, unless one is given; a footer
    left in place would make it take the file for one column.
    """
    readable = copy or path
    name = "utf-8" if copy else enc.codec(encoding, path.name)
    header, guessed = _header_and_delimiter(readable, name, delimiter)
    if not any(column.strip() for column in header):
        raise InputError(
            path.name,
            "is empty: no line holds column names",
            "Check that the export finished and that this is the right file",
            code=Code.LS503,
        )
    footer = find_footer(readable, name, DELIMITERS) if len(header) > 1 and name != "utf-16" else None
    if footer is not None:
        readable = _cut(readable, footer.offset, copy is None, scratch)
    options = ["all_varchar = true", "header = true"]
    if delimiter:
        options.append(f"delim = {lit(delimiter)}")
    if copy is None:
        options.append(f"encoding = {lit(enc.duckdb_encoding(name) or 'utf-8')}")
    source = f"read_csv({lit(str(readable))}, {', '.join(options)})"
    lines = footer.lines if footer else 0
    try:
        described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    except duckdb.Error as exc:
        if "sniffing" not in str(exc):
            raise fail(path, exc, encoding) from None
        described = []
    sniffed = tuple(row[0] for row in described)
    if len(header) <= 1 or (len(sniffed) == len(header) and sniffed[0] == header[0].strip()):
        return Export(path, sniffed, source, lines)
    # NOTE: rows of uneven width make the sniffer give up, take the file for one column, or
    # take a row for the header, without saying where. Read by the header instead, after
    # finding the first row of another width: DuckDB, told the columns, drops a field too
    # many when the row's last one is empty, which would shift every value of that lead.
    _even_rows(readable, name if copy is None else "utf-8", delimiter or guessed, len(header), path.name)
    columns = ", ".join(f"{lit(column)}: 'VARCHAR'" for column in header)
    options += [
        *([] if delimiter else [f"delim = {lit(guessed)}"]),
        "auto_detect = false",
        f"columns = {{{columns}}}",
    ]
    return Export(path, tuple(header), f"read_csv({lit(str(readable))}, {', '.join(options)})", lines)


def _even_rows(readable: Path, name: str, delimiter: str, width: int, shown: str) -> None:
    """Stop at the first row whose field count is not the header's, naming its line."""
    with readable.open(encoding="utf-8-sig" if name == "utf-8" else name, newline="") as text:
        rows = csv.reader(text, delimiter=delimiter)
        try:
            next(rows, None)
            for row in rows:
                if row and len(row) != width:
                    raise InputError(
                        shown,
                        f"row has {len(row)} fields where the header has {width}",
                        "Check the quoting on this line (a quote opened "
                        "and not closed, or a separator inside an unquoted value)",
                        rows.line_num,
                        code=Code.LS505,
                    )
        except csv.Error as exc:
            raise InputError(
                shown,
                f"cannot be read: {exc}",
                "Check the quoting on this line",
                rows.line_num,
                code=Code.LS505,
            ) from None


def _cut(readable: Path, offset: int, original: bool, scratch: Path) -> Path:
    """The file up to `offset`: a copy of an original, or leadspec's own copy truncated."""
    if not original:
        os.truncate(readable, offset)
        return readable
    target = scratch / f"{readable.stem}.rows{readable.suffix}"
    with readable.open("rb") as source, target.open("wb") as out:
        while offset > 0 and (chunk := source.read(min(enc.CHUNK, offset))):
            out.write(chunk)
            offset -= len(chunk)
    return target


def _describe(con: duckdb.DuckDBPyConnection, path: Path, source: str, encoding: str | None = None) -> Export:
    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    except duckdb.Error as exc:
        raise fail(path, exc, encoding) from None
    return Export(path, tuple(row[0] for row in rows), source)


def _json(con: duckdb.DuckDBPyConnection, path: Path, readable: Path) -> Export:
    shape = "'auto'" if path.suffix.lower() == ".json" else "'newline_delimited'"
    base = f"read_json({lit(str(readable))}, format = {shape}"
    described = _describe(con, path, base + ")")
    columns = ", ".join(f"{lit(c)}: 'VARCHAR'" for c in described.columns)
    source = f"{base}, columns = {{{columns}}})"
    return Export(path, described.columns, source)


def _parquet(con: duckdb.DuckDBPyConnection, path: Path) -> Export:
    base = f"read_parquet({lit(str(path))})"
    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {base}").fetchall()
    except duckdb.Error as exc:
        raise fail(path, exc, None) from None
    casts = ", ".join(f"{_as_text(name, kind)} AS {ident(name)}" for name, kind, *_ in rows)
    return Export(path, tuple(row[0] for row in rows), f"(SELECT {casts} FROM {base})")


def _as_text(name: str, kind: str) -> str:
    """Typed Parquet values as the text a mapping's formats can parse."""
    column = ident(name)
    if kind == "TIMESTAMP WITH TIME ZONE":
        return f"strftime(timezone('UTC', {column}), '%Y-%m-%d %H:%M:%S') || '+0000'"
    if kind.startswith("TIMESTAMP"):
        return f"strftime(CAST({column} AS TIMESTAMP), '%Y-%m-%d %H:%M:%S')"
    if kind.endswith("]") or kind.startswith(("STRUCT", "MAP")):
        return f"CAST(to_json({column}) AS VARCHAR)"
    return f"CAST({column} AS VARCHAR)"
