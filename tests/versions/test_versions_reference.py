"""The reference process ships with its history: releases 0.5 and 0.75 and a 1.0 pilot."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest
from click.testing import CliRunner

from conftest import ROOT
from leadspec.cli import main
from leadspec.data import load_mapping
from leadspec.spec import load_spec
from leadspec.spec.releases import released_versions
from leadspec.versions import Backtest, Snapshot, backtest, diff, frozen, working
from leadspec.versions.output import as_json, as_markdown, as_text

SALESFORCE = ROOT / "examples" / "salesforce"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--spec", str(ROOT)])
    return result.exit_code, result.output


def test_the_reference_has_two_releases_and_a_pilot_version() -> None:
    assert released_versions(ROOT) == ["0.5", "0.75"]
    assert (frozen(ROOT, "0.5").status, frozen(ROOT, "0.75").status) == ("draft", "expert-review")
    process = load_spec(ROOT).spec.process  # type: ignore[union-attr]
    assert (process.version, process.status) == ("1.0", "pilot")


# The expert panel's changes, as the 0.75 changelog entry of the original draft named them.
PANEL = [
    "B2B window first_response (respond in Marketing-qualified lead): tightened from 4 working "
    "hours to 1 working hour.",
    "KPI Speed to first contact: added, target at most 5 min, reviewed daily.",
    "B2B window sales_acceptance (leave Marketing-qualified lead): for partner leads loosened "
    "from 8 working hours to 16 working hours.",
    "B2C window first_response (respond in Marketing-qualified lead): for partner leads loosened "
    "from 5 working minutes to 1 working hour.",
    "Field recycle_reason: added (string: no_response, not_ready, timing_later, wrong_contact).",
    "Rule recycle_has_reason: added (expression, error): A lead that was an MQL and is now back "
    "in nurture says why sales sent it back.",
    "Stage Inquiry: exit criterion inq_meets_mql_threshold changed: rule: 'C' removed (now "
    "`fit_grade IN ('A', 'B') AND intent_score >= motion.mql_score`); text reworded.",
    "Scoring signal Downloaded gated content: description reworded.",
    "Field disqualification_reason: allowed values: removed too_small, unsupported_country, "
    "bounced_email, job_seeker, competitor.",
    "Field consent_at: added (timestamp).",
    "Rule consent_before_contact: added (consent before contact, error): Nobody is contacted "
    "unless consent permitted it at the time of contact.",
]


def test_diff_05_075_lists_the_panel_changes() -> None:
    code, output = run("diff", "0.5", "0.75")
    assert code == 0
    assert output.startswith(
        "From 0.5 (draft, released 2026-02-13) to 0.75 (expert-review, released 2026-04-22): 36 changes.\n"
    )
    for line in PANEL:
        assert f"  - {line}\n" in output, line


def test_the_changelog_is_what_release_wrote() -> None:
    old, new = frozen(ROOT, "0.5"), frozen(ROOT, "0.75")
    lines = [c.line for c in diff(old.spec, new.spec, old.job_aids, new.job_aids)]
    spec = load_spec(ROOT).spec
    assert spec is not None
    changelog = {e.version: e for e in spec.process.changelog}
    assert changelog["0.75"].changes == lines
    assert changelog["0.5"].changes == []
    assert frozen(ROOT, "0.75").spec.process.changelog == list(changelog.values())


def test_the_working_files_differ_from_075_by_the_pilot_edits() -> None:
    old, new = frozen(ROOT, "0.75"), working(ROOT)
    changes = diff(old.spec, new.spec, old.job_aids, new.job_aids)
    assert [c.kind for c in changes] == ["window_tightened", "kpi_target_changed", "rule_changed"]


def test_075_is_the_working_spec_before_the_pilot() -> None:
    spec = frozen(ROOT, "0.75").spec
    assert spec.process.version == "0.75"
    assert {a.function for a in spec.process.approvals if a.version == "0.75"} == {
        s.function for s in spec.process.stakeholders
    }


@pytest.fixture(scope="module")
def backtested() -> tuple[Snapshot, Snapshot, Backtest]:
    old, new = frozen(ROOT, "0.5"), frozen(ROOT, "0.75")
    mapping = load_mapping("salesforce", ROOT)
    with duckdb.connect() as con:
        result = backtest(
            con,
            old,
            new,
            SALESFORCE / "Lead.csv",
            SALESFORCE / "LeadHistory.csv",
            mapping,
            as_of=dt.datetime(2026, 11, 2, 11),
        )
    return old, new, result


def test_backtest_counts_each_rule_for_both_versions(backtested: tuple[Snapshot, Snapshot, Backtest]) -> None:
    _, _, result = backtested
    assert result.leads == 300
    rules = {r.id: r for r in result.rules}
    assert (rules["consent_before_contact"].old, rules["consent_before_contact"].new) == (None, 3)
    # 0.5 gave partner MQLs the same 8 working hours as everyone else
    assert rules["stale_sales_leads"].old > rules["stale_sales_leads"].new
    assert rules["inquiry.inq_meets_mql_threshold"].new >= rules["inquiry.inq_meets_mql_threshold"].old
    assert result.notes == (
        "release 0.5 has no field consent_at, recycle_reason: the "
        "mapping's columns for them were not read for that version",
    )


def test_backtest_in_every_format(backtested: tuple[Snapshot, Snapshot, Backtest]) -> None:
    old, new, result = backtested
    text = as_text(old, new, [], result)
    assert "  consent_before_contact  " in text and text.rstrip().splitlines()[-1].startswith("  any rule")
    markdown = as_markdown(old, new, [], result)
    assert "| `consent_before_contact` | - | 3 | new rule |" in markdown
    document = json.loads(as_json(old, new, [], result))
    assert document["backtest"]["flagged"] == {"old": result.flagged_old, "new": result.flagged_new}


def test_backtest_on_the_command_line() -> None:
    code, output = run(
        "diff",
        "0.75",
        "working",
        "--backtest",
        str(SALESFORCE / "Lead.csv"),
        "--events",
        str(SALESFORCE / "LeadHistory.csv"),
        "--mapping",
        "salesforce",
    )
    assert code == 0, output
    assert "B2C window sales_acceptance" in output and "  any rule" in output


def test_backtest_says_which_rules_the_export_cannot_show() -> None:
    old, new = frozen(ROOT, "0.5"), frozen(ROOT, "0.75")
    with duckdb.connect() as con:
        result = backtest(
            con,
            old,
            new,
            SALESFORCE / "Lead.csv",
            None,
            load_mapping("salesforce", ROOT),
            as_of=dt.datetime(2026, 11, 2, 11),
        )
    skipped = [n for n in result.notes if "rules not measured" in n]
    assert len(skipped) == 2  # one note per version: without a history, its rules cannot be judged
    assert all("transitions_follow_lifecycle" in n for n in skipped)
    assert {r.id: r.new for r in result.rules}["transitions_follow_lifecycle"] == 0
