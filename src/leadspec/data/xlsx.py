"""Spreadsheet exports (.xlsx), read with calamine and handed to DuckDB as Arrow text columns.

DuckDB's own Excel reader is an extension that would be downloaded at run time, so
calamine (a compiled reader on PyPI) reads the first sheet instead. Cells arrive
typed; they are written back as text the mapping parses like any CSV value: whole
numbers without '.0', date-times as 'YYYY-MM-DD HH:MM:SS', dates as 'YYYY-MM-DD'.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import duckdb

from ..spec.codes import Code
from .errors import InputError

BATCH = 10_000
_VIEWS = itertools.count()


def xlsx_header(path: Path) -> list[str]:
    """The first sheet's first row, as column names."""
    return _names(next(_rows(path), []))


def register_xlsx(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    """Register the first sheet as a view of text columns; returns the view's name."""
    import pyarrow as pa

    rows = _rows(path)
    names = _names(next(rows, []))
    schema = pa.schema([(name, pa.string()) for name in names])
    batches = []
    while chunk := list(itertools.islice(rows, BATCH)):
        columns = [[_text(row[i]) if i < len(row) else None for row in chunk] for i in range(len(names))]
        batches.append(pa.record_batch(columns, schema=schema))
    view = f"_leadspec_xlsx_{next(_VIEWS)}"
    con.register(view, pa.Table.from_batches(batches, schema=schema))
    return view


def _rows(path: Path) -> Iterator[list[object]]:
    from python_calamine import CalamineError, load_workbook

    try:
        workbook = load_workbook(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except (CalamineError, OSError, ValueError, IndexError) as exc:
        raise InputError(
            path.name,
            f"cannot be read as a spreadsheet: {exc}",
            "Open it in a spreadsheet program and save it again as .xlsx, or export the sheet as CSV",
            code=Code.LS501,
        ) from None
    return (list(row) for row in rows if any(cell not in ("", None) for cell in row))


def _names(header: list[object]) -> list[str]:
    """Header cells as unique names; a blank header becomes column<N> like DuckDB's CSV reader."""
    names: list[str] = []
    for i, cell in enumerate(header):
        name = _text(cell) or f"column{i}"
        base, n = name, 1
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def _text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
