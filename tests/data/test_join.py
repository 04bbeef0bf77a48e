"""Joined files: a second export (deals, closed deals) joined to the leads file by a key.

The joined columns feed fields like the leads file's own; one row per lead is chosen by
first_by and then by content; a cell listing several ids joins each; rows that match
no lead and leads that several rows match are counted; every usage error stops with
exit 2 through the CLI, naming the file, the column and the fix.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from conftest import ROOT
from data_support import codes, mapping, reference_spec, rows
from leadspec.cli import main
from leadspec.data import InputError, LoadedExport, MappingError, load_export, load_mapping, sha256
from leadspec.data.validate import check_mapping

MAPPING = """\
name: closed_deals
description: A leads file with a closed-deals file joined by the lead id.
timestamps:
  formats: ["%Y-%m-%d %H:%M", "%m/%d/%Y"]
leads:
  lead_id: Id
  columns:
    stage: Status
    email: Email
    opportunity_id: [deals.Deal ID, Opportunity]
    opportunity_amount: deals.Amount
    converted_at: deals.Closed
    timeline: deals.Timeline
  optional: [timeline]
values:
  timeline: {Q1: this_quarter, Q2: next_quarter}
joins:
  - name: deals
    key: {leads: Id, file: Lead, separator: ";"}
    first_by: Closed
"""
LEADS = [
    {"Id": "L1", "Status": "Closed - Converted", "Email": "ana@example.com", "Opportunity": ""},
    {"Id": "L2", "Status": "Closed - Converted", "Email": "bo@example.com", "Opportunity": "OPP-OWN"},
    {"Id": "L3", "Status": "Sales Qualified", "Email": "cy@example.com", "Opportunity": ""},
    {"Id": "L4", "Status": "Nurture", "Email": "di@example.com", "Opportunity": ""},
]
DEALS = [
    # L1 has two deals: the earlier close date wins although it sorts later as text.
    {"Deal ID": "D1", "Lead": "L1", "Amount": "5000", "Closed": "02/01/2026", "Timeline": "Q2"},
    {"Deal ID": "D2", "Lead": "L1", "Amount": "9000", "Closed": "12/15/2025", "Timeline": "Q1"},
    # one deal naming two leads, with spaces around the ids
    {
        "Deal ID": "D3",
        "Lead": " L3 ; L4 ",
        "Amount": "about 7k",
        "Closed": "2026-03-02 09:30",
        "Timeline": "soon",
    },
    # rows that match no lead: an unknown id, and no id at all
    {"Deal ID": "D4", "Lead": "L9", "Amount": "100", "Closed": "2026-01-05 10:00", "Timeline": ""},
    {"Deal ID": "D5", "Lead": "", "Amount": "200", "Closed": "2026-01-06 10:00", "Timeline": ""},
]


def write_csv(path: Path, records: list[dict[str, str]], header: list[str] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, header or list(records[0]))
        writer.writeheader()
        writer.writerows(records)
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "mapping": write_text(tmp_path / "closed_deals.yaml", MAPPING),
        "leads": write_csv(tmp_path / "leads.csv", LEADS),
        "deals": write_csv(tmp_path / "deals.csv", DEALS),
    }


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def load_joined(
    leads: Path, mapping_path: Path | str, joins: dict[str, Path], events: Path | None = None
) -> tuple[duckdb.DuckDBPyConnection, LoadedExport]:
    con = duckdb.connect()
    return con, load_export(con, reference_spec(), leads, events, mapping(mapping_path), joins=joins)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *args, "--spec", str(ROOT), "--as-of", "2026-06-30"])
    return result.exit_code, result.output


def test_joined_columns_fill_fields_like_the_leads_files_own(files: dict[str, Path]) -> None:
    con, loaded = load_joined(files["leads"], files["mapping"], {"deals": files["deals"]})
    assert rows(con, "lead_id, stage, opportunity_id, opportunity_amount, converted_at, timeline") == [
        ("L1", "converted", "D2", 9000.0, dt.datetime(2025, 12, 15), "this_quarter"),
        ("L2", "converted", "OPP-OWN", None, None, None),  # no deal: the leads file's column
        ("L3", "sales_qualified", "D3", None, dt.datetime(2026, 3, 2, 9, 30), None),
        ("L4", "nurture", "D3", None, dt.datetime(2026, 3, 2, 9, 30), None),
    ]
    found = codes(loaded)
    # a joined column's bad values are reported under its `<join>.<column>` name
    assert [(f.column, f.count, f.examples) for f in found["unparseable_value"]] == [
        ("deals.Amount", 2, ("about 7k",))
    ]
    assert [(f.column, f.count, f.examples) for f in found["unmapped_value"]] == [
        ("deals.Timeline", 2, ("soon",))
    ]
    assert [(i.role, i.name, i.rows) for i in loaded.inputs] == [
        ("leads", "leads.csv", 4),
        ("join:deals", "deals.csv", 5),
    ]
    assert loaded.inputs[1].sha256 == sha256(files["deals"])
    tables = con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
    assert sorted(name for (name,) in tables) == ["lead_events", "leads"]
    assert con.execute("SELECT current_setting('disabled_optimizers')").fetchone() == ("",)


def test_several_rows_and_unmatched_rows_are_counted(files: dict[str, Path]) -> None:
    _, loaded = load_joined(files["leads"], files["mapping"], {"deals": files["deals"]})
    found = codes(loaded)
    [several] = found["several_join_rows"]
    assert (several.column, several.count, several.examples) == ("Lead", 1, ("L1",))
    assert "the earliest by Closed is used" in several.message
    [unmatched] = found["unmatched_join_rows"]
    assert (unmatched.column, unmatched.count, unmatched.examples) == ("Lead", 2, ("L9",))
    assert "2 rows of deals.csv (1 with no Lead) match no lead's Id in leads.csv" in unmatched.message
    assert "missing_join_file" not in found


def test_the_earliest_row_wins_and_ties_go_by_content_whatever_the_order(
    tmp_path: Path, files: dict[str, Path]
) -> None:
    tied = [
        {"Deal ID": "T2", "Lead": "L1", "Amount": "300", "Closed": "2026-01-05 10:00", "Timeline": ""},
        {"Deal ID": "T1", "Lead": "L1", "Amount": "300", "Closed": "2026-01-05 10:00", "Timeline": ""},
        {"Deal ID": "T0", "Lead": "L1", "Amount": "100", "Closed": "", "Timeline": ""},
    ]
    chosen = set()
    for order in (tied, tied[::-1], [tied[1], tied[2], tied[0]]):
        con, _ = load_joined(
            files["leads"], files["mapping"], {"deals": write_csv(tmp_path / "tied.csv", order)}
        )
        chosen.add(
            con.execute(
                "SELECT opportunity_id, opportunity_amount FROM leads WHERE lead_id = 'L1'"
            ).fetchone()
        )
    # T0 has no close date, so it comes last; T1 and T2 tie on the date and T1 sorts first
    assert chosen == {("T1", 300.0)}


def test_a_cell_listing_several_ids_joins_each_only_with_a_separator(
    tmp_path: Path, files: dict[str, Path]
) -> None:
    text = MAPPING.replace(', separator: ";"', "")
    con, loaded = load_joined(
        files["leads"], write_text(tmp_path / "whole.yaml", text), {"deals": files["deals"]}
    )
    assert rows(con, "lead_id, opportunity_id") == [
        ("L1", "D2"),
        ("L2", "OPP-OWN"),
        ("L3", None),
        ("L4", None),
    ]
    # without a separator ' L3 ; L4 ' is one id that matches no lead
    assert [(f.count, f.examples) for f in codes(loaded)["unmatched_join_rows"]] == [(3, ("L3 ; L4", "L9"))]


def test_without_the_file_the_fields_fall_back_or_stay_empty(files: dict[str, Path]) -> None:
    con, loaded = load_joined(files["leads"], files["mapping"], {})
    assert rows(con, "lead_id, opportunity_id, opportunity_amount, converted_at") == [
        ("L1", None, None, None),
        ("L2", "OPP-OWN", None, None),
        ("L3", None, None, None),
        ("L4", None, None, None),
    ]
    [missing] = codes(loaded)["missing_join_file"]
    assert missing.count == 4
    assert (
        "opportunity_amount, converted_at, timeline stay empty; opportunity_id is read from "
        "leads.csv's own columns only; pass --join deals=PATH"
    ) in missing.message
    assert "missing_column" not in codes(loaded)
    assert [i.role for i in loaded.inputs] == ["leads"]


def test_examples_never_quote_a_personal_key(tmp_path: Path, files: dict[str, Path]) -> None:
    text = MAPPING.replace("key: {leads: Id, file: Lead", "key: {leads: Email, file: Lead")
    deals = write_csv(
        tmp_path / "by_email.csv",
        [
            {**DEALS[0], "Lead": "ana@example.com"},
            {**DEALS[1], "Lead": "ana@example.com"},
            {**DEALS[3], "Lead": "zed@example.com"},
        ],
    )
    con, loaded = load_joined(files["leads"], write_text(tmp_path / "email.yaml", text), {"deals": deals})
    assert con.execute("SELECT opportunity_id FROM leads WHERE lead_id = 'L1'").fetchone() == ("D2",)
    found = codes(loaded)
    assert [(f.count, f.examples) for f in found["several_join_rows"]] == [(1, ())]
    assert [(f.count, f.examples) for f in found["unmatched_join_rows"]] == [(1, ())]
    assert "example.com" not in " ".join(f.message for f in loaded.findings)


def test_a_parquet_join_is_read_as_text_like_any_export(tmp_path: Path, files: dict[str, Path]) -> None:
    deals = tmp_path / "deals.parquet"
    duckdb.sql(f"""COPY (SELECT 'P1' AS "Deal ID", 'L2' AS "Lead", 1250.5 AS "Amount",
                        TIMESTAMP '2026-04-01 08:15:00' AS "Closed", 'Q1' AS "Timeline")
                   TO '{deals}' (FORMAT parquet)""")
    text = MAPPING.replace('formats: ["%Y-%m-%d %H:%M"', 'formats: ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"')
    con, _ = load_joined(files["leads"], write_text(tmp_path / "parquet.yaml", text), {"deals": deals})
    assert con.execute(
        "SELECT opportunity_id, opportunity_amount, converted_at, timeline FROM leads WHERE lead_id = 'L2'"
    ).fetchone() == ("P1", 1250.5, dt.datetime(2026, 4, 1, 8, 15), "this_quarter")


def test_a_large_join_keeps_the_leads_in_the_files_order(tmp_path: Path, files: dict[str, Path]) -> None:
    """More joined rows than leads: DuckDB would build on the leads and lose their order."""
    leads, deals, count = tmp_path / "many.csv", tmp_path / "many_deals.csv", 60_000
    duckdb.sql(f"""COPY (SELECT 'L' || ((i * 7919) % 1000003) AS "Id", 'Nurture' AS "Status",
                        '' AS "Email", '' AS "Opportunity" FROM range({count}) AS t(i)) TO '{leads}' (HEADER)""")
    duckdb.sql(f"""COPY (SELECT 'D' || i AS "Deal ID", 'L' || ((i % {count} * 7919) % 1000003) || ';X' || i AS "Lead",
                        CAST(i AS VARCHAR) AS "Amount",
                        strftime(TIMESTAMP '2026-01-01' + INTERVAL (i // {count}) DAY, '%Y-%m-%d %H:%M')
                            AS "Closed", '' AS "Timeline"
                        FROM range({4 * count}) AS t(i)) TO '{deals}' (HEADER)""")
    con, loaded = load_joined(leads, files["mapping"], {"deals": deals})
    expected = [f"L{(i * 7919) % 1000003}" for i in range(count)]
    assert [row[0] for row in con.execute("SELECT lead_id FROM leads").fetchall()] == expected
    # four deals per lead, a day apart: the first (amount = the lead's number) wins
    wrong = con.execute(
        "SELECT COUNT(*) FROM leads WHERE opportunity_amount IS NULL OR "
        "'L' || ((CAST(opportunity_amount AS BIGINT) * 7919) % 1000003) <> lead_id"
    ).fetchone()
    assert wrong == (0,)
    found = codes(loaded)
    assert [f.count for f in found["several_join_rows"]] == [count]
    assert "unmatched_join_rows" not in found
    assert [i.rows for i in loaded.inputs] == [count, 4 * count]


def test_the_cli_passes_joins_and_reports_the_joined_file(tmp_path: Path, files: dict[str, Path]) -> None:
    out = tmp_path / "report.json"
    code, output = run(
        str(files["leads"]),
        "--join",
        f"deals={files['deals']}",
        "--mapping",
        str(files["mapping"]),
        "--json",
        str(out),
    )
    assert code in (0, 1), output
    assert "deals.csv (join:deals, 5 rows)" in output
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [(i["role"], i["name"], i["rows"]) for i in report["inputs"]] == [
        ("leads", "leads.csv", 4),
        ("join:deals", "deals.csv", 5),
    ]
    assert {"several_join_rows", "unmatched_join_rows"} <= {f["code"] for f in report["data_findings"]}
    assert "unmatched_join_rows in column Lead: 2 rows of deals" in output


@pytest.mark.parametrize(
    ("problem", "expected"),
    [
        (
            "unknown join",
            [
                "deals.csv: LS506 [error] --join dealz=... names no join of the mapping 'closed_deals'",
                "Did you mean 'deals'?",
            ],
        ),
        (
            "required join",
            [
                "closed_deals.yaml: LS506 [error] the join 'deals' is required, but no file was given",
                "Pass --join deals=PATH",
            ],
        ),
        (
            "leads key",
            [
                "leads.csv: LS504 [error] the join 'deals' needs the key column 'LeadId' (key.leads)",
                "Fix joins: deals: key: leads:",
            ],
        ),
        (
            "file key",
            [
                "deals.csv: LS504 [error] the join 'deals' of the mapping 'closed_deals' needs columns that are "
                "not in the file: 'Leads' (for key.file) Did you mean 'Lead'?",
                "the file's columns are: Deal ID, Lead, Amount, Closed, Timeline",
            ],
        ),
        ("first_by", ["deals.csv:", "'Close Date' (for first_by)"]),
        ("joined column", ["'deals.Amt' in deals.csv (for opportunity_amount) Did you mean 'deals.Amount'?"]),
        ("missing file", ["nowhere.csv: LS501 [error] file not found"]),
        (
            "unreadable file",
            [
                "deals.xls: LS501 [error] cannot tell the format from the extension '.xls'",
                "Save the export as .csv",
            ],
        ),
        ("broken file", ["broken.csv", "cannot be read"]),
        ("not NAME=PATH", ["Invalid value for '--join': 'deals.csv' is not NAME=PATH"]),
    ],
)
def test_join_errors_exit_2_naming_the_file_column_and_fix(
    tmp_path: Path, files: dict[str, Path], problem: str, expected: list[str]
) -> None:
    text, join = MAPPING, f"deals={files['deals']}"
    if problem == "unknown join":
        join = f"dealz={files['deals']}"
    elif problem == "required join":
        text, join = MAPPING + "    required: true\n", ""
    elif problem == "leads key":
        text = MAPPING.replace("{leads: Id,", "{leads: LeadId,")
    elif problem == "file key":
        text = MAPPING.replace("file: Lead,", "file: Leads,")
    elif problem == "first_by":
        text = MAPPING.replace("first_by: Closed", "first_by: Close Date")
    elif problem == "joined column":
        text = MAPPING.replace("opportunity_amount: deals.Amount", "opportunity_amount: deals.Amt")
    elif problem == "missing file":
        join = f"deals={tmp_path / 'nowhere.csv'}"
    elif problem == "unreadable file":
        join = f"deals={write_text(tmp_path / 'deals.xls', 'x')}"
    elif problem == "broken file":
        broken = tmp_path / "broken.csv"
        broken.write_bytes(b"Deal ID,Lead\n" + b"D1,L1\n" * 10 + b'D2,"L2\n' + b"x" * 3_000_000 + b"\n")
        join = f"deals={broken}"
    elif problem == "not NAME=PATH":
        join = "deals.csv"
    args = [str(files["leads"]), "--mapping", str(write_text(tmp_path / "closed_deals.yaml", text))]
    code, output = run(*args, *(["--join", join] if join else []))
    assert code == 2, output
    for part in expected:
        assert part in output, (part, output)


def test_the_mapping_checks_its_joins(tmp_path: Path, files: dict[str, Path]) -> None:
    typo = MAPPING.replace("first_by: Closed", "first_by: Closed\n    frist: x")
    with pytest.raises(MappingError) as exc:
        load_mapping(write_text(tmp_path / "typo.yaml", typo), ROOT)
    assert [(f.line, f.code.name) for f in exc.value.findings] == [(21, "LS010")]
    twice = write_text(
        tmp_path / "twice.yaml",
        MAPPING + "  - name: deals\n    key: {leads: Id, file: Lead}\n"
        "  - name: extra\n    key: {leads: Id, file: Lead}\n",
    )
    problems = check_mapping(load_mapping(twice, ROOT), reference_spec())
    assert [(f.line, f.code.name, f.message) for f in problems] == [
        (21, "LS013", "the join 'deals' is declared twice"),
        (23, "LS012", "the join 'extra' feeds no field"),
    ]
    with pytest.raises(MappingError):
        load_joined(files["leads"], twice, {"deals": files["deals"]})


def test_an_error_half_way_leaves_no_tables_behind(tmp_path: Path, files: dict[str, Path]) -> None:
    text = MAPPING.replace("opportunity_amount: deals.Amount", "opportunity_amount: deals.Amt")
    con = duckdb.connect()
    with pytest.raises(InputError, match="'deals.Amt' in deals.csv"):
        load_export(
            con,
            reference_spec(),
            files["leads"],
            None,
            mapping(write_text(tmp_path / "amt.yaml", text)),
            joins={"deals": files["deals"]},
        )
    assert con.execute("SELECT table_name FROM duckdb_tables()").fetchall() == []
