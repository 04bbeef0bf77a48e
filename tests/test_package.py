"""The package as a team gets it: the built wheel in a fresh environment, and the pre-commit hooks.

Both start from a copy of the working tree (what a wheel is built from), so they test
the code as it is, committed or not, and leave no build folders in the checkout.
Both install leadspec's dependencies from the package index, as a team's machine does.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

SOURCE = (
    "src",
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    ".pre-commit-hooks.yaml",
    "process",
    "stages",
    "definitions",
    "checks",
    "docs",
    "mkdocs.yml",
)
GIT = {
    "GIT_AUTHOR_NAME": "leadspec tests",
    "GIT_AUTHOR_EMAIL": "tests@leadspec.invalid",
    "GIT_COMMITTER_NAME": "leadspec tests",
    "GIT_COMMITTER_EMAIL": "tests@leadspec.invalid",
}


def sh(args: list[str], cwd: Path, env: dict[str, str] | None = None, ok: tuple[int, ...] = (0,)) -> str:
    done = subprocess.run(
        args, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=600
    )
    shown = f"$ {shlex.join(args)}\nexit {done.returncode}\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    assert done.returncode in ok, shown
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The working tree's sources, as a git repository of one commit."""
    copy = tmp_path_factory.mktemp("source") / "leadspec"
    for part in SOURCE:
        path = ROOT / part
        ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
        if path.is_dir():
            shutil.copytree(path, copy / part, ignore=ignore)
        else:
            copy.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy / part)
    sh(["git", "init", "-q", "-b", "main"], copy)
    sh(["git", "add", "-A"], copy)
    sh(["git", "commit", "-q", "-m", "snapshot"], copy, GIT)
    return copy


def test_the_wheel_alone_takes_a_team_from_an_empty_folder_to_a_report(source: Path, tmp_path: Path) -> None:
    sh([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), "."], source)
    (wheel,) = (tmp_path / "dist").glob("leadspec-*.whl")
    venv = tmp_path / "venv"
    sh([sys.executable, "-m", "venv", str(venv)], tmp_path)
    sh([str(venv / "bin" / "pip"), "install", "-q", str(wheel)], tmp_path)
    folder = tmp_path / "empty"
    folder.mkdir()
    # NOTE: only the new environment and the system programs on PATH: not this checkout's.
    path = {"PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", "PYTHONPATH": ""}
    leadspec = str(venv / "bin" / "leadspec")
    assert "wrote 45 files to ." in sh([leadspec, "init", "--company", "Acme"], folder, path)
    assert "no findings" in sh([leadspec, "validate"], folder, path)
    assert "built the playbook" in sh([leadspec, "build"], folder, path)
    assert (folder / "site" / "index.html").is_file()
    printed = sh([leadspec, "sample", "--crm", "salesforce", "--out", "x"], folder, path)
    command = shlex.split(printed.strip().splitlines()[-1])
    assert command[:2] == ["leadspec", "check"]
    report = sh([leadspec, *command[1:]], folder, path, ok=(1,))  # planted violations fail rules
    assert "Acme Lead Management Process 0.5 | mapping salesforce" in report
    assert "| 1,000 leads checked" in report
    located = sh(
        [str(venv / "bin" / "python"), "-c", "import leadspec; print(leadspec.__file__)"], folder, path
    )
    assert str(venv) in located  # the installed wheel ran, not this checkout


def test_pre_commit_stops_a_broken_stage_file_with_its_line(source: Path, tmp_path: Path) -> None:
    pre_commit = Path(sys.executable).with_name("pre-commit")
    team = tmp_path / "team"
    sh([str(Path(sys.executable).with_name("leadspec")), "init", str(team)], tmp_path)
    (team / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {source}\n"
        f"    rev: {sh(['git', 'rev-parse', 'HEAD'], source).strip()}\n"
        "    hooks:\n"
        "      - id: leadspec-validate\n"
        "      - id: leadspec-schema\n",
        encoding="utf-8",
    )
    env = {**GIT, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    sh(["git", "init", "-q", "-b", "main"], team)
    sh([str(pre_commit), "install"], team, env)
    sh(["git", "add", "-A"], team)
    passed = sh(["git", "commit", "-q", "-m", "our process"], team, env)
    assert "leadspec validate" in passed and "Passed" in passed

    stage = team / "stages" / "inquiry.yaml"
    text = stage.read_text(encoding="utf-8")
    line = text.splitlines().index("owner: marketing_ops") + 1
    stage.write_text(text.replace("owner: marketing_ops", "owner: sdr_team"), encoding="utf-8")
    sh(["git", "add", "-A"], team)
    failed = sh(["git", "commit", "-q", "-m", "a new owner"], team, env, ok=(1,))
    assert "leadspec validate" in failed and "Failed" in failed
    assert f"stages/inquiry.yaml:{line}:8: LS101 [error] owner 'sdr_team'" in failed
    page = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    (shown,) = [text for text in page.splitlines() if text.startswith("stages/inquiry.yaml:")]
    assert shown in failed  # docs/ci.md shows what pre-commit prints
    assert sh(["git", "rev-list", "--count", "HEAD"], team).strip() == "1"  # the commit was stopped
