"""A newcomer's first hour, as the README tells it, on a real Salesforce Data Loader export.

Empty folder, `leadspec init --crm salesforce`, `leadspec mapping init` on the export,
the check with the drafted mapping, and the playbook with its Conformance page. The
draft is used as written: a first report must come before any editing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from data_support import DATALOADER_LEADS, needs_shared

LEADSPEC = Path(sys.executable).with_name("leadspec")


def leadspec(*args: str, cwd: Path, ok: tuple[int, ...] = (0,)) -> str:
    done = subprocess.run([str(LEADSPEC), *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode in ok, (
        f"leadspec {' '.join(args)}: exit {done.returncode}\n{done.stdout}{done.stderr}"
    )
    assert "Traceback" not in done.stderr
    return done.stdout + done.stderr


@needs_shared
def test_from_an_empty_folder_to_a_conformance_page(tmp_path: Path) -> None:
    team = tmp_path / "our-process"
    team.mkdir()
    leadspec("init", "--crm", "salesforce", "--company", "Example", cwd=team)
    shutil.copy(DATALOADER_LEADS, team / "Lead.csv")
    drafted = leadspec("mapping", "init", "Lead.csv", "--out", "checks/mappings/ours.yaml", cwd=team)
    assert "leadspec check Lead.csv --mapping checks/mappings/ours.yaml" in drafted
    report = leadspec(
        "check", "Lead.csv", "--mapping", "ours", "--json", "build/conformance.json", cwd=team, ok=(0, 1)
    )
    assert "| 60 leads checked" in report
    document = json.loads((team / "build" / "conformance.json").read_text(encoding="utf-8"))
    assert document["leads"] == 60
    assert any(rule["status"] != "skipped" for rule in document["rules"])
    leadspec("build", cwd=team)
    page = (team / "site" / "conformance" / "index.html").read_text(encoding="utf-8")
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "How the latest CRM export holds to this process: 60 leads from Lead.csv (60 rows)" in text
