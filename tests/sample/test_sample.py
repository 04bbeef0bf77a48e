"""Generated samples checked the real way: `leadspec check` on the written CRM files.

A planted sample reports exactly its expected violations, every rule a CRM's export
can break is planted, a clean sample reports nothing, a seed always gives the same
bytes, no personal value reaches a report, and the committed examples are what the
generator writes for the command in examples/README.md.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from leadspec.cli import main
from leadspec.data import load_mapping
from leadspec.sample import AS_OF, CATALOGUE, EXPECTED, Written, write_sample
from leadspec.spec import load_spec
from leadspec.spec.checks import all_checks

SPEC = load_spec(ROOT).spec
RULES = {c.check.id for c in all_checks(SPEC)}
HISTORY_RULES = {
    "first_response_met",
    "stage_response_met",
    "stale_sales_leads",
    "stale_marketing_leads",
    "transitions_follow_lifecycle",
}
UNPLANTABLE = {
    "salesforce": {"stage_value_allowed"},
    "generic": {"stage_value_allowed"},
    "hubspot": {"stage_value_allowed", *HISTORY_RULES},
}
EXAMPLES = {"salesforce": (300, 7), "hubspot": (300, 7)}  # examples/generic is a hand-made fixture


def check(written: Written, folder: Path) -> tuple[int, dict[str, Path], set[tuple[str, str]]]:
    """Run `leadspec check` on the sample; exit code, report files, (lead_id, rule_id) found."""
    outputs = {
        flag: folder / name
        for flag, name in (
            ("--json", "report.json"),
            ("--junit", "report.xml"),
            ("--markdown", "report.md"),
            ("--violations", "violations.csv"),
        )
    }
    events = ["--events", str(written.history)] if written.history else []
    events += [arg for name, path in written.joins.items() for arg in ("--join", f"{name}={path}")]
    args = [
        "check",
        str(written.export),
        *events,
        "--mapping",
        written.crm,
        "--spec",
        str(ROOT),
        "--as-of",
        AS_OF.isoformat(),
    ]
    for flag, path in outputs.items():
        args += [flag, str(path)]
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    with outputs["--violations"].open(encoding="utf-8") as handle:
        found = {(row["lead_id"], row["rule_id"]) for row in csv.DictReader(handle)}
    return result.exit_code, outputs, found


def expected(written: Written) -> set[tuple[str, str]]:
    with written.expected.open(encoding="utf-8") as handle:
        return {(row["lead_id"], row["rule_id"]) for row in csv.DictReader(handle)}


def personal_values(written: Written) -> tuple[set[str], set[str]]:
    """Emails, phones and full names in the export, and last names (matched as whole words)."""
    columns = load_mapping(written.crm, ROOT).file.leads.columns

    def column(field: str) -> str:
        value = columns[field]
        return value if isinstance(value, str) else value[0]

    exact: set[str] = set()
    words: set[str] = set()
    with written.export.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            first, last = row[column("first_name")], row[column("last_name")]
            exact |= {
                v.strip()
                for v in (row[column("email")], row.get(column("phone"), ""), f"{first} {last}")
                if v.strip()
            }
            words.add(last)
    return exact, {w for w in words if w}


@pytest.mark.parametrize("seed", [3, 17])
@pytest.mark.parametrize("crm", ["salesforce", "hubspot", "generic"])
def test_check_reports_exactly_the_planted_violations(tmp_path: Path, crm: str, seed: int) -> None:
    written = write_sample(tmp_path / "export", crm, 400, seed, spec_root=ROOT)
    code, outputs, found = check(written, tmp_path)
    planted = expected(written)
    assert sorted(found - planted) == [], "violations that were not planted"
    assert sorted(planted - found) == [], "planted violations that were not reported"
    assert code == 1
    assert set(written.unplantable) == UNPLANTABLE[crm]
    assert {rule for _, rule in planted} == RULES - UNPLANTABLE[crm]
    exact, words = personal_values(written)
    for path in outputs.values():
        text = path.read_text(encoding="utf-8")
        leaked = [v for v in exact if v in text]
        leaked += [w for w in words if re.search(rf"\b{re.escape(w)}\b", text)]
        assert leaked == [], (path.name, leaked[:5])


@pytest.mark.parametrize("crm", ["salesforce", "hubspot", "generic"])
def test_a_clean_sample_passes_every_rule(tmp_path: Path, crm: str) -> None:
    written = write_sample(tmp_path / "export", crm, 400, 5, plant=False, spec_root=ROOT)
    code, _, found = check(written, tmp_path)
    assert (code, sorted(found)) == (0, [])
    assert expected(written) == set()
    assert written.planted == 0


@pytest.mark.parametrize("crm", ["salesforce", "hubspot", "generic"])
def test_the_same_seed_gives_the_same_bytes(tmp_path: Path, crm: str) -> None:
    first = write_sample(tmp_path / "a", crm, 150, 11, spec_root=ROOT)
    write_sample(tmp_path / "b", crm, 150, 11, spec_root=ROOT)
    other = write_sample(tmp_path / "c", crm, 150, 12, spec_root=ROOT)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert first.export.read_bytes() != other.export.read_bytes()


@pytest.mark.parametrize("crm", sorted(EXAMPLES))
def test_the_committed_examples_are_what_the_generator_writes(tmp_path: Path, crm: str) -> None:
    leads, seed = EXAMPLES[crm]
    committed = ROOT / "examples" / crm
    written = write_sample(tmp_path, crm, leads, seed, spec_root=ROOT)
    assert sorted(p.name for p in committed.iterdir()) == sorted(p.name for p in tmp_path.iterdir())
    for path in tmp_path.iterdir():
        assert path.read_bytes() == (committed / path.name).read_bytes(), (
            f"examples/{crm}/{path.name} is stale; regenerate it with the command in examples/README.md"
        )
    readme = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    assert f"leadspec sample --crm {crm} --leads {leads} --seed {seed} --out examples/{crm}" in readme
    assert f"| `{crm}/` | {written.planted} | {written.violations} |" in readme


def test_the_hubspot_opportunity_comes_from_the_joined_deals(tmp_path: Path) -> None:
    written = write_sample(tmp_path / "export", "hubspot", 400, 3, spec_root=ROOT)
    deals = tmp_path / "export" / "deals.csv"
    assert written.joins == {"deals": deals}
    assert f" --join deals={deals} " in written.check_command()
    with deals.open(encoding="utf-8") as handle:
        contacts = [row["Associated Contact IDs"] for row in csv.DictReader(handle)]
    assert any(";" in cell for cell in contacts)  # deals that name a colleague too
    assert len(contacts) > len(set(contacts))  # some contacts have a later deal too
    # without the deals nothing gives the opportunity: rules that judge by it are not measured
    out = tmp_path / "without.json"
    CliRunner().invoke(
        main,
        [
            "check",
            str(written.export),
            "--mapping",
            "hubspot",
            "--spec",
            str(ROOT),
            "--as-of",
            AS_OF.isoformat(),
            "--json",
            str(out),
        ],
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    assert "missing_join_file" in {f["code"] for f in report["data_findings"]}
    rules = {r["id"]: r for r in report["rules"]}
    linked = rules["converted.conv_opportunity_linked"]
    assert (linked["status"], linked["checked"], linked["violations"]) == ("skipped", 0, 0)
    assert "opportunity_id" in linked["skipped_because"]
    assert rules["converted.conv_came_from_sql"]["status"] != "skipped"  # judged by the contacts alone


def test_every_plant_declares_rules_the_spec_has() -> None:
    for plant in CATALOGUE:
        assert plant.rules | plant.history_rules <= RULES, plant.name
        assert plant.defect and plant.name


def test_a_clean_sample_flows_like_the_process_expects(tmp_path: Path) -> None:
    written = write_sample(tmp_path, "generic", 3000, 9, plant=False, spec_root=ROOT)
    with written.export.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    stages = Counter(row["stage"] for row in rows)
    sources = Counter(row["source_category"] for row in rows)
    motions = Counter(row["motion"] for row in rows)
    share = {name: 100 * count / len(rows) for name, count in sources.items()}
    for source in SPEC.sources:
        assert source.expected_share.min - 5 <= share[source.id] <= source.expected_share.max + 5
    qualified = sum(1 for row in rows if row["mql_at"])
    assert stages["nurture"] + stages["disqualified"] > 0.75 * len(rows)
    assert 0 < stages["converted"] < 0.12 * len(rows) < qualified < 0.5 * len(rows)
    assert set(motions) == {"b2b", "b2c"}
    assert (tmp_path / EXPECTED).read_text(encoding="utf-8") == "lead_id,rule_id\n"


def test_sample_command_takes_the_folder_as_out_or_as_the_argument(tmp_path: Path) -> None:
    for args in (["--out", str(tmp_path / "a")], [str(tmp_path / "b")]):
        result = CliRunner().invoke(
            main, ["sample", "--crm", "generic", "--leads", "20", "--seed", "3", "--spec", str(ROOT), *args]
        )
        assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / "expected_violations.csv").read_bytes() == (
        tmp_path / "b" / "expected_violations.csv"
    ).read_bytes()
    both = CliRunner().invoke(
        main,
        [
            "sample",
            str(tmp_path / "c"),
            "--out",
            str(tmp_path / "d"),
            "--crm",
            "generic",
            "--spec",
            str(ROOT),
        ],
    )
    assert both.exit_code == 2 and "once" in both.output
