"""The floors of the benchmark read what they say they read.

The fair floor must do leadspec's reading work: a value that no format of the
mapping reads is found and counted, and the working clock exists.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402

FLOOR = ROOT / "bench" / "floor.py"


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    folder = tmp_path_factory.mktemp("bench")
    leads, events = generate(folder, 2000, seed=3)
    return folder, leads, events


def floor(folder: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(FLOOR), str(folder), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_plain_floor_reads_both_files(export: tuple[Path, int, int]) -> None:
    folder, leads, events = export
    assert floor(folder) == f"read {leads:,} leads and {events:,} history rows"


def test_the_fair_floor_counts_what_no_format_reads(export: tuple[Path, int, int], tmp_path: Path) -> None:
    folder, leads, events = export
    assert (
        floor(folder, "--fair")
        == f"read (0 values no format reads) {leads:,} leads and {events:,} history rows"
    )
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "events.csv").write_bytes((folder / "events.csv").read_bytes())
    with (folder / "leads.csv").open(newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))
    column = rows[0].index("created_at")
    rows[1][column], rows[2][column] = "31/31/2026 25:61", "  2026-03-02T09:00:00Z  "  # bad; padded
    with (broken / "leads.csv").open("w", newline="", encoding="utf-8") as target:
        csv.writer(target).writerows(rows)
    assert floor(broken, "--fair").startswith("read (1 value no format reads)")
