"""The CI recipes of docs/ci.md, run command for command on a folder made by `leadspec init`.

Each recipe's YAML is read from the page itself, so the page cannot drift from what
was tested. Steps that install leadspec or use a hosted action are the CI service's
part and are not run; every `run:` (GitHub) or script line (GitLab) is, in order, with
the recipe's own rule for which steps run after a failure.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT

PAGE = ROOT / "docs" / "ci.md"
BIN = Path(sys.executable).parent


def recipe(first_line: str) -> dict[str, Any]:
    """The YAML block of docs/ci.md whose first line is `first_line`."""
    for block in re.findall(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.S):
        if block.startswith(first_line + "\n"):
            return yaml.safe_load(block)  # type: ignore[no-any-return]
    raise AssertionError(f"docs/ci.md has no YAML block starting {first_line!r}")


def shell(script: str, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    done = subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=cwd,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    return done.returncode, done.stdout + done.stderr


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """A team's repository: the starting spec, and the latest export in exports/."""
    folder = tmp_path / "team"
    for args in (["init", str(folder)], ["sample", "--crm", "salesforce", "--out", "exports"]):
        code, output = shell(" ".join(["leadspec", *args]), folder if args[0] == "sample" else tmp_path, {})
        assert code == 0, output
    return folder


def test_the_github_workflow(team: Path, tmp_path: Path) -> None:
    steps = recipe("# .github/workflows/lead-process.yml")["jobs"]["leadspec"]["steps"]
    summary = tmp_path / "summary.md"
    outcomes: dict[str, str] = {}
    ran: list[tuple[str, int]] = []
    failed = False
    for step in steps:
        if "run" not in step or step["name"].startswith("Install"):
            continue
        condition = step.get("if")
        if condition is None and failed:
            continue  # GitHub skips a step without a condition once one has failed
        if condition is not None:
            assert condition == "${{ !cancelled() && steps.check.outcome != 'skipped' }}", condition
            if outcomes.get("check", "skipped") == "skipped":
                continue
        code, output = shell(step["run"], team, {"GITHUB_STEP_SUMMARY": str(summary)})
        ran.append((step["name"], code))
        if "id" in step:
            outcomes[step["id"]] = "success" if code == 0 else "failure"
        failed = failed or code != 0
    assert ran == [
        ("Validate the spec", 0),
        ("Check the latest export", 1),  # the sample's planted violations: the job fails
        ("Report into the job summary", 0),
        ("Build the playbook", 0),
    ]
    assert summary.read_text(encoding="utf-8") == (team / "build" / "conformance.md").read_text(
        encoding="utf-8"
    )
    cases = [
        c.get("name") for c in ET.parse(team / "build" / "conformance.junit.xml").getroot().iter("testcase")
    ]
    rules = json.loads((team / "build" / "conformance.json").read_text(encoding="utf-8"))["rules"]
    assert sorted(cases) == sorted([r["id"] for r in rules] + ["data"])  # a case per rule, one for the data
    assert (team / "site" / "conformance" / "index.html").is_file()  # the Conformance page


def test_the_github_annotations_land_on_the_broken_line(team: Path) -> None:
    steps = recipe("# .github/workflows/lead-process.yml")["jobs"]["leadspec"]["steps"]
    (validate,) = [s["run"] for s in steps if s.get("name") == "Validate the spec"]
    stage = team / "stages" / "nurture.yaml"
    stage.write_text(stage.read_text(encoding="utf-8").replace("owner: ", "owner: x_", 1), encoding="utf-8")
    code, output = shell(validate, team, {})
    assert code == 1
    assert re.search(
        r"^::error file=stages/nurture\.yaml,line=\d+,col=8,title=LS101::owner 'x_", output, re.M
    )


def test_the_gitlab_job(team: Path) -> None:
    job = recipe("# .gitlab-ci.yml")["lead-process"]
    assert job["artifacts"]["reports"]["junit"] == "build/conformance.junit.xml"
    codes = []
    for line in job["script"]:
        code, output = shell(line, team, {})
        codes.append(code)
        if code:
            break  # GitLab stops the script at the first failing line
    assert codes == [0, 1]
    for line in job["after_script"]:
        code, output = shell(line, team, {})
        assert code == 0, output
    assert (team / "site" / "conformance" / "index.html").is_file()
    assert all((team / path).exists() for path in job["artifacts"]["paths"])
