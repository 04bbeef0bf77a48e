"""CSV, Parquet, JSON lines and XLSX give the same canonical rows; bad files give InputError."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import duckdb
import pytest

from data_support import FIXTURES, load, mapping, reference_spec, rows
from leadspec.data import InputError, load_export, sha256
from leadspec.data.readers import read_header

COLUMNS = (
    "lead_id, created_at, stage, motion, source_category, email, owner_id, routed_at, "
    "intent_score, budget_confirmed, opportunity_amount"
)
EXPECTED = [
    (
        "L1",
        dt.datetime(2026, 3, 2, 9, 0),
        "inquiry",
        "b2b",
        "inbound",
        "ana@example.com",
        "005A",
        None,
        35,
        None,
        None,
    ),
    (
        "L2",
        dt.datetime(2026, 3, 2, 10, 30),
        "marketing_qualified",
        "b2c",
        "partner",
        "ben@example.com",
        "005B",
        dt.datetime(2026, 3, 2, 11, 0),
        55,
        False,
        None,
    ),
    (
        "L3",
        dt.datetime(2026, 3, 3, 8, 15),
        "converted",
        "b2b",
        "outbound",
        "cy@example.com",
        "005A",
        dt.datetime(2026, 3, 3, 9, 0),
        80,
        True,
        12500.5,
    ),
]


def write_parquet(path: Path) -> Path:
    """Typed columns, one of them with a time zone, as a warehouse would write them."""
    duckdb.sql(f"""
        COPY (SELECT * FROM (VALUES
            ('L1', TIMESTAMP '2026-03-02 09:00:00', 'inquiry', 'b2b', 'inbound', 'ana@example.com',
             '005A', CAST(NULL AS TIMESTAMPTZ), 35, CAST(NULL AS BOOLEAN), CAST(NULL AS DOUBLE)),
            ('L2', TIMESTAMP '2026-03-02 10:30:00', 'marketing_qualified', 'b2c', 'partner',
             'ben@example.com', '005B', TIMESTAMPTZ '2026-03-02 11:00:00+00', 55, FALSE, NULL),
            ('L3', TIMESTAMP '2026-03-03 08:15:00', 'converted', 'b2b', 'outbound', 'cy@example.com',
             '005A', TIMESTAMPTZ '2026-03-03 10:00:00+01', 80, TRUE, 12500.5))
          AS t({COLUMNS})) TO '{path}' (FORMAT parquet)""")
    return path


def write_jsonl(path: Path) -> Path:
    names = [c.strip() for c in COLUMNS.split(",")]
    with path.open("w", encoding="utf-8") as out:
        for row in EXPECTED:
            values = [v.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(v, dt.datetime) else v for v in row]
            out.write(json.dumps(dict(zip(names, values, strict=True))) + "\n")
    return path


@pytest.mark.parametrize(
    "make",
    [
        lambda tmp: FIXTURES / "generic_leads.csv",
        lambda tmp: write_parquet(tmp / "leads.parquet"),
        lambda tmp: write_jsonl(tmp / "leads.jsonl"),
        lambda tmp: FIXTURES / "generic_leads.xlsx",
    ],
    ids=["csv", "parquet", "jsonl", "xlsx"],
)
def test_every_format_gives_the_same_canonical_rows(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    con, loaded = load(make(tmp_path))
    assert rows(con, COLUMNS) == EXPECTED
    assert loaded.inputs[0].rows == 3
    assert {r[0] for r in con.execute("SHOW TABLES").fetchall()} == {"leads", "lead_events"}


def test_generic_history_and_a_second_load_replaces_the_tables() -> None:
    con, _ = load(FIXTURES / "generic_leads.csv", FIXTURES / "generic_events.csv")
    assert rows(con, "COUNT(*)", "lead_events") == [(11,)]
    load_export(con, reference_spec(), FIXTURES / "generic_leads.csv", None, mapping("generic"))
    assert rows(con, "COUNT(*)", "lead_events") == [(0,)]


def latin1_file(tmp_path: Path) -> Path:
    path = tmp_path / "latin.csv"
    path.write_bytes(
        "lead_id;created_at;stage;company\nL1;2026-03-02T09:00:00Z;inquiry;Café Müller\n".encode("latin-1")
    )
    return path


def test_latin1_with_its_encoding_reads_and_semicolons_are_detected(tmp_path: Path) -> None:
    con, _ = load(latin1_file(tmp_path), encoding="latin-1")
    assert rows(con, "lead_id, company") == [("L1", "Café Müller")]


def test_latin1_read_as_utf8_names_the_file_line_and_fix(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        load(latin1_file(tmp_path))
    assert (exc.value.file, exc.value.line) == ("latin.csv", 2)
    assert "byte 0xe9 is not utf-8 text" in str(exc.value) and "--encoding latin-1" in str(exc.value)


def test_windows_1252_is_transcoded_and_suggested(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(b"lead_id,created_at,stage,company\nL1,2026-03-02T09:00:00Z,inquiry,\x93Acme\x94\n")
    con, _ = load(path, encoding="windows-1252")
    assert rows(con, "company") == [("\u201cAcme\u201d",)]
    with pytest.raises(InputError) as exc:
        load(path, encoding="latin-1")
    assert exc.value.line == 2 and "--encoding windows-1252" in str(exc.value)


def test_semicolon_file_with_an_explicit_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text(
        "lead_id;created_at;stage\nL1;2026-03-02T09:00:00Z;inquiry\nL2;2026-03-02T10:00:00Z;nurture\n",
        encoding="utf-8",
    )
    for options in ({}, {"delimiter": ";"}):
        con, _ = load(path, **options)
        assert rows(con, "lead_id, stage") == [("L1", "inquiry"), ("L2", "nurture")]


def test_a_missing_column_names_file_column_and_a_likely_one(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    path.write_text("lead_id,created_at,stag\nL1,2026-03-02T09:00:00Z,inquiry\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load(path)
    text = str(exc.value)
    assert exc.value.file == "short.csv"
    assert "'stage' (for stage) Did you mean 'stag'?" in text
    assert "the file's columns are: lead_id, created_at, stag" in text


def test_odd_column_names_are_quoted_not_pasted(tmp_path: Path) -> None:
    mapping = tmp_path / "odd.yaml"
    mapping.write_text(
        """\
name: odd
description: Column names with quotes and spaces.
timestamps: {formats: ["%Y-%m-%d"]}
leads:
  lead_id: 'Record "ID"'
  columns:
    company: "O'Brien's; DROP TABLE leads"
    intent_score: ' Score '
""",
        encoding="utf-8",
    )
    path = tmp_path / "odd.csv"
    path.write_text(
        '"Record ""ID""","O\'Brien\'s; DROP TABLE leads"," Score "\nX1,Acme,12.0\n', encoding="utf-8"
    )
    con, _ = load(path, name=mapping)
    assert rows(con, "lead_id, company, intent_score") == [("X1", "Acme", 12)]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("leads.dat", b"a,b\n", "cannot tell the format"),
        ("leads.xlsx", b"not a zip file", "cannot be read as a spreadsheet"),
    ],
)
def test_unreadable_files_raise_input_error(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=expected):
        load(path)


def test_sha256_matches_hashlib() -> None:
    path = FIXTURES / "generic_leads.xlsx"
    _, loaded = load(path)
    assert loaded.inputs[0].sha256 == sha256(path) == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty: no line holds column names"),
        (b"\r\n\r\n", "is empty: no line holds column names"),
        (b"lead_id,created_at,stage\n", "holds no rows below its header"),
        (
            b"lead_id,created_at,stage\n,2026-03-02T09:00:00Z,inquiry\n",
            "none of its 1 rows has a lead id (column lead_id)",
        ),
    ],
    ids=["no-bytes", "blank-lines", "header-only", "no-ids"],
)
def test_an_export_with_no_lead_to_check_is_unusable(tmp_path: Path, content: bytes, expected: str) -> None:
    """A pass must never come from an empty export: a failed or over-filtered export stops the run."""
    path = tmp_path / "leads.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(expected)):
        load(path)


def test_blank_lines_before_the_header_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_bytes(b"\n\n" + (FIXTURES / "generic_leads.csv").read_bytes())
    con, _ = load(path)
    assert rows(con, COLUMNS) == EXPECTED


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_a_header_name_with_a_comma_does_not_make_the_separator_a_comma(
    tmp_path: Path, separator: str
) -> None:
    path = tmp_path / "leads.csv"
    lines = [
        ["lead_id", "Company, legal name", "created_at", "stage"],
        ["L1", "Acme, Inc.", "2026-03-02T09:00:00Z", "inquiry"],
        ["L2", "Bo AB", "2026-03-02T10:00:00Z", "nurture"],
    ]
    path.write_text("".join(separator.join(line) + "\n" for line in lines), encoding="utf-8")
    con, _ = load(path)
    assert rows(con, "lead_id, stage") == [("L1", "inquiry"), ("L2", "nurture")]
    assert read_header(path) == lines[0]


def test_a_semicolon_in_a_comma_file_header_leaves_the_sniffed_comma(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(
        "lead_id,Notes; internal; draft,created_at,stage\n"
        "L1,x,2026-03-02T09:00:00Z,inquiry\nL2,y,2026-03-02T10:00:00Z,nurture\n",
        encoding="utf-8",
    )
    con, _ = load(path)
    assert rows(con, "lead_id, stage") == [("L1", "inquiry"), ("L2", "nurture")]
