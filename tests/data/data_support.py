"""Shared set-up for the data step's tests: the reference spec, fixtures, a loader."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT
from leadspec.data import LoadedExport, load_export, load_mapping
from leadspec.data.mapping import Mapping
from leadspec.spec import Spec, load_spec

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = ROOT.parent / "shared" / "data"
DATALOADER_LEADS = SHARED / "salesforce-dataloader-format" / "Lead.csv"
EXCEL_LEADS = SHARED / "salesforce-excel-format" / "Lead.csv"
# NOTE: a developer's clone may lack ../shared; CI has it, so there a missing folder fails.
SHARED_REQUIRED = os.environ.get("LEADSPEC_SHARED_REQUIRED") == "1"
needs_shared = pytest.mark.skipif(
    not SHARED.is_dir() and not SHARED_REQUIRED, reason="shared/data is not beside the repository"
)


@functools.cache
def reference_spec() -> Spec:
    spec = load_spec(ROOT).spec
    assert spec is not None
    return spec


def mapping(name: str | Path) -> Mapping:
    return load_mapping(name, ROOT)


def load(
    leads: Path, events: Path | None = None, name: str | Path = "generic", **options: str
) -> tuple[duckdb.DuckDBPyConnection, LoadedExport]:
    con = duckdb.connect()
    return con, load_export(con, reference_spec(), leads, events, mapping(name), **options)


def rows(con: duckdb.DuckDBPyConnection, columns: str, table: str = "leads") -> list[tuple]:
    return con.execute(f"SELECT {columns} FROM {table} ORDER BY ALL").fetchall()


def codes(loaded: LoadedExport) -> dict[str, list]:
    found: dict[str, list] = {}
    for item in loaded.findings:
        found.setdefault(item.code, []).append(item)
    return found
