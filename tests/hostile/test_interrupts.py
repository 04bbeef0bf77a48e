"""Runs that are stopped or cannot finish: SIGINT and SIGTERM during `check --json` and
`build`, output folders that refuse files. Whatever stops a run, no half-written output,
temporary file or spill folder is left, the old site stays, and the exit status says why."""

from __future__ import annotations

import json
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from bounded import TRACEBACK, Outcome, assert_outcome, run_bounded
from conftest import ROOT, copy_project

SAMPLE = ROOT / "examples" / "salesforce"
AS_OF = "2026-11-02T11:00:00"
COPIES = 150  # 45,000 leads: a check of a few seconds, long enough to be stopped at any step
SIGNALS = [signal.SIGINT, signal.SIGTERM]


def _copied(source: Path, target: Path, id_column: int) -> None:
    """`source` with its rows repeated COPIES times, each copy's lead ids made its own."""
    head, *rows = source.read_text(encoding="utf-8-sig").rstrip("\n").split("\n")
    with target.open("w", encoding="utf-8") as out:
        out.write(head + "\n")
        for n in range(COPIES):
            for row in rows:
                cells = row.split(",", id_column + 1)
                cells[id_column] = f"{n:03d}{cells[id_column][3:]}"
                out.write(",".join(cells) + "\n")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("large")
    leads, history = folder / "Lead.csv", folder / "LeadHistory.csv"
    _copied(SAMPLE / "Lead.csv", leads, 0)
    _copied(SAMPLE / "LeadHistory.csv", history, 2)
    return leads, history


def _check(export: tuple[Path, Path], out: Path, *extra: str) -> list[str]:
    return [
        "check",
        str(export[0]),
        "--events",
        str(export[1]),
        "--mapping",
        "salesforce",
        "--as-of",
        AS_OF,
        "--spec",
        str(ROOT),
        "--json",
        str(out / "report.json"),
        "--violations",
        str(out / "violations.csv"),
        *extra,
    ]


def _assert_whole_or_nothing(outcome: Outcome, sig: signal.Signals, out: Path, scratch: Path) -> bool:
    """True when the signal stopped the run; either way nothing half-done is left.

    A signal may also come after the reports are in place, while the process exits: then
    the run finished (its verdict is printed) and the signal ends the process.
    """
    assert not outcome.stopped, outcome
    assert scratch.exists() and list(scratch.iterdir()) == [], "a spill or temporary folder was left"
    left = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert left in ([], ["report.json", "violations.csv"]), left
    if left:
        assert json.loads((out / "report.json").read_text(encoding="utf-8"))["summary"]
    if outcome.code == 128 + sig:
        assert_outcome(outcome, 128 + sig, f"interrupted by {sig.name}:")
        return not left
    assert left, f"exit {outcome.code} without its reports"
    assert outcome.code in (1, -sig) and "rules failed" in outcome.out, outcome
    assert not TRACEBACK.search(outcome.text), outcome.text
    return False


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_a_signal_during_check_leaves_a_whole_report_or_none(
    sig: signal.Signals, export: tuple[Path, Path], tmp_path: Path
) -> None:
    stopped = []
    for n, delay in enumerate((0.3, 1.2, 2.5)):
        out, scratch = tmp_path / f"out{n}", tmp_path / f"tmp{n}"
        scratch.mkdir()
        outcome = run_bounded(
            _check(export, out),
            cwd=tmp_path,
            seconds=60,
            env={"TMPDIR": str(scratch)},
            signal_after=(delay, sig),
        )
        stopped.append(_assert_whole_or_nothing(outcome, sig, out, scratch))
    assert any(stopped), "no run was stopped: the export is too small to interrupt"


@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_a_signal_during_build_keeps_the_old_site(sig: signal.Signals, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("the old site", encoding="utf-8")
    for delay in (0.4, 2.0):
        outcome = run_bounded(
            ["build", str(project)], cwd=project, seconds=90, megabytes=900, signal_after=(delay, sig)
        )
        assert_outcome(outcome, 128 + sig, f"interrupted by {sig.name}")
        assert (site / "index.html").read_text(encoding="utf-8") == "the old site"
        assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


@pytest.mark.parametrize(
    ("make", "fragment"),
    [
        (lambda tmp: tmp / "a-file" / "report.json", "a-file is a file, not a folder"),
        (lambda tmp: Path("/proc/leadspec/report.json"), "cannot write /proc/leadspec/report.json"),
    ],
)
def test_an_unwritable_output_stops_before_the_export_is_read(
    make: Callable[[Path], Path], fragment: str, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    target = make(tmp_path)
    for args in (
        ["check", str(SAMPLE / "Lead.csv"), "--mapping", "salesforce", "--as-of", AS_OF],
        ["pilot", str(SAMPLE / "Lead.csv"), "--mapping", "salesforce", "--as-of", AS_OF],
    ):
        outcome = run_bounded([*args, "--spec", str(ROOT), "--json", str(target)], cwd=tmp_path)
        assert_outcome(outcome, 2, fragment)
        assert "leads checked" not in outcome.text and "KPI" not in outcome.text
